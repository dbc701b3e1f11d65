"""Small dialogs: the user guide viewer."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from desktop.resources import resources_dir

GUIDE_NAME = "user-guide.md"


def guide_path() -> Path | None:
    """The user guide: docs/ beside resources/ in a checkout, or resources/docs/ in a frozen bundle."""
    for folder in (resources_dir().parent / "docs", resources_dir() / "docs"):
        if (folder / GUIDE_NAME).is_file():
            return folder / GUIDE_NAME
    return None


class UserGuideDialog(QDialog):
    """Shows docs/user-guide.md (our own text, with its screenshots) in a read-only browser."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("WardBrief user guide")
        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(False)
        self.browser.setOpenLinks(False)
        path = guide_path()
        if path is None:
            self.browser.setPlainText(
                "The user guide is not installed with this copy of WardBrief. Ask your analyst for docs/user-guide.md."
            )
        else:
            self.browser.setSearchPaths([str(path.parent)])
            self.browser.document().setBaseUrl(QUrl.fromLocalFile(str(path.parent) + "/"))
            self.browser.setMarkdown(path.read_text(encoding="utf-8"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
        metrics = self.fontMetrics()
        self.resize(metrics.averageCharWidth() * 110, metrics.height() * 40)
