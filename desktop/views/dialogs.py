"""Small dialogs: the user guide viewer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QImage, QTextDocument
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from desktop.resources import resources_dir

GUIDE_NAME = "user-guide.md"


def guide_path() -> Path | None:
    """The user guide: docs/ beside resources/ in a checkout, or resources/docs/ in a frozen bundle."""
    for folder in (resources_dir().parent / "docs", resources_dir() / "docs"):
        if (folder / GUIDE_NAME).is_file():
            return folder / GUIDE_NAME
    return None


class GuideBrowser(QTextBrowser):
    """Loads the guide's screenshots from its folder, scaled to the reading width (never a sideways scroll)."""

    def __init__(self, folder: Path | None) -> None:
        super().__init__()
        self.folder = folder
        self.setOpenLinks(False)

    def loadResource(self, kind: int, name: QUrl | str) -> Any:  # Qt override
        if kind == QTextDocument.ResourceType.ImageResource.value and self.folder is not None:
            image = QImage(str(self.folder / (name.toString() if isinstance(name, QUrl) else name)))
            if not image.isNull():
                width = max(300, self.viewport().width() - 40, self.fontMetrics().averageCharWidth() * 90)
                if image.width() > width:
                    image = image.scaledToWidth(width, Qt.TransformationMode.SmoothTransformation)
                return image
        return super().loadResource(kind, name)


class UserGuideDialog(QDialog):
    """Shows docs/user-guide.md (our own text, with its screenshots) in a read-only browser."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("WardBrief user guide")
        path = guide_path()
        self.browser = GuideBrowser(path.parent if path else None)
        metrics = self.fontMetrics()
        self.resize(metrics.averageCharWidth() * 110, metrics.height() * 40)
        if path is None:
            self.browser.setPlainText(
                "The user guide is not installed with this copy of WardBrief. Ask your analyst for docs/user-guide.md."
            )
        else:
            self.browser.setMarkdown(path.read_text(encoding="utf-8"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
