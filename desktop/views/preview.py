"""The in-app preview: the real rendered PDF pages (QtPdf), with page count and zoom."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QHBoxLayout,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.errors import WardBriefError
from desktop.views.widgets import plain_label


class PdfPreview(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("preview")
        self.document = QPdfDocument(self)
        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitInView)  # a whole A4 page; Fit width or + to read closer
        self.view.setPageSpacing(12)
        self.view.setAccessibleName("Preview of the briefing pack")
        self.view.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # Page Up/Down through the pages from the keyboard
        self.view.pageNavigator().currentPageChanged.connect(self._update_label)
        self.placeholder = plain_label("")
        self.placeholder.setObjectName("preview_placeholder")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.placeholder)
        self.stack.addWidget(self.view)

        self.title = plain_label(wrap=True)
        self.stale = plain_label(wrap=True)
        self.stale.setObjectName("preview_stale")
        policy = self.stale.sizePolicy()
        policy.setRetainSizeWhenHidden(True)  # appearing never moves the pages below it
        self.stale.setSizePolicy(policy)
        self.stale.hide()
        self.page_label = plain_label(wrap=False)
        self.fit_width = QPushButton("Fit width")
        self.fit_width.clicked.connect(lambda: self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth))
        self.fit_page = QPushButton("Whole page")
        self.fit_page.clicked.connect(lambda: self.view.setZoomMode(QPdfView.ZoomMode.FitInView))
        self.zoom_out = QToolButton()
        self.zoom_out.setText("−")
        self.zoom_out.setToolTip("Zoom out (Ctrl+-)")
        self.zoom_out.setShortcut("Ctrl+-")
        self.zoom_out.clicked.connect(lambda: self.zoom(1 / 1.25))
        self.zoom_in = QToolButton()
        self.zoom_in.setText("+")
        self.zoom_in.setToolTip("Zoom in (Ctrl++)")
        self.zoom_in.setShortcut("Ctrl++")
        self.zoom_in.clicked.connect(lambda: self.zoom(1.25))
        self.title.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        bar = QHBoxLayout()
        bar.addWidget(self.page_label, 1)
        for button in (self.fit_width, self.fit_page, self.zoom_out, self.zoom_in):
            button.setEnabled(False)
            bar.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.stale)
        layout.addLayout(bar)
        layout.addWidget(self.stack, 1)
        self.path: Path | None = None
        self.show_placeholder("Choose a ward and press Generate preview (Ctrl+G) to see its pack here.")

    def show_placeholder(self, text: str) -> None:
        self.placeholder.setText(text)
        self.stack.setCurrentWidget(self.placeholder)

    def load(self, path: Path, title: str) -> int:
        """Show the PDF at `path`; returns its page count."""
        self.document.close()
        error = self.document.load(str(path))
        if error != QPdfDocument.Error.None_ or self.document.pageCount() == 0:
            self.path = None
            self.show_placeholder("The preview could not be shown.")
            raise WardBriefError(
                f"The pack was made but its preview could not be opened ({error.name}).",
                "Try Generate again; if it keeps failing, use Save PDF and open the file in your PDF reader.",
            )
        self.path = Path(path)
        self.title.setText(title)
        self.stack.setCurrentWidget(self.view)
        for button in (self.fit_width, self.fit_page, self.zoom_out, self.zoom_in):
            button.setEnabled(True)
        self.view.pageNavigator().jump(0, self.view.pageNavigator().currentLocation())
        self._update_label()
        return self.page_count()

    def page_count(self) -> int:
        return int(self.document.pageCount()) if self.path is not None else 0

    def zoom(self, factor: float) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(max(0.2, min(5.0, self.view.zoomFactor() * factor)))

    def _update_label(self) -> None:
        total = self.page_count()
        if total:
            page = self.view.pageNavigator().currentPage() + 1
            self.page_label.setText(f"page {page} of {total}")
        else:
            self.page_label.setText("")

    def set_stale(self, reason: str) -> None:
        """Mark the shown pack out of date, saying why ("" when it is up to date)."""
        if reason and self.path is not None:
            self.stale.setText(f"Out of date: {reason}. Press Generate preview (Ctrl+G) to update it.")
            self.stale.show()
        else:
            self.stale.setText("")
            self.stale.hide()

    def is_stale(self) -> bool:
        return not self.stale.isHidden()
