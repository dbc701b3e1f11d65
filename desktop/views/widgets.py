"""Small widgets every page shares: the in-place message banner, the task bar (progress + Cancel) and helpers.

Everything that shows data uses plain text (Qt.PlainText labels), so a ward name or category holding markup is
shown as typed, never interpreted.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from desktop.errors import WardBriefError
from desktop.tasks import Task, TaskRunner


def window_settings() -> QSettings:
    """The window's remembered state (size, page, splitters, the current ward, the last folder), kept in
    `window.ini` in the data folder so a test's temporary data folder keeps its own."""
    from desktop import paths

    return QSettings(str(paths.data_dir() / "window.ini"), QSettings.Format.IniFormat)


def plain_label(text: str = "", *, wrap: bool = True, selectable: bool = False) -> QLabel:
    """A label that never interprets its text as HTML."""
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(wrap)
    if selectable:
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def heading_label(text: str) -> QLabel:
    label = plain_label(text, wrap=False)
    label.setObjectName("heading")
    font = label.font()
    font.setBold(True)
    font.setPointSizeF(font.pointSizeF() * 1.15)
    label.setFont(font)
    return label


def open_folder(path: str | Path) -> bool:
    """Open a folder in the system file manager."""
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QDesktopServices

    return bool(QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))))


def log_file_path() -> str:
    from desktop import paths

    return str(paths.log_file())


def describe_failure(exc: BaseException) -> tuple[str, str, str | None]:
    """(message, what to do next, technical details or None) for any failure a task reports."""
    if isinstance(exc, WardBriefError):
        return exc.message, exc.next_step, None
    details = getattr(exc, "details", None) or f"{type(exc).__name__}: {exc}"
    return (
        f"Something unexpected went wrong ({type(exc).__name__}: {exc}).",
        "Try again. If it happens again, send the details and the log file to your analyst. "
        f"Log file: {log_file_path()}",
        details,
    )


class MessageBanner(QFrame):
    """A message shown where the user is: error, warning, information or success, with what to do next.

    It holds a fixed place (three lines; longer messages scroll inside it), shown or not, so a message appearing
    never moves the controls below it. Hidden until used; the user can dismiss it. Unexpected errors get a "Details…" button that opens the crash
    dialog with the copyable report.
    """

    dismissed = Signal()

    ICONS = {
        "error": QStyle.StandardPixmap.SP_MessageBoxCritical,
        "warning": QStyle.StandardPixmap.SP_MessageBoxWarning,
        "info": QStyle.StandardPixmap.SP_MessageBoxInformation,
        "success": QStyle.StandardPixmap.SP_DialogApplyButton,
    }

    def __init__(self, parent: QWidget | None = None, *, reserve: bool = True) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._details: str | None = None
        self.icon = QLabel()
        self.text = plain_label(selectable=True)
        self.text.setObjectName("banner_text")
        self.text.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        # a long message scrolls inside the banner: the banner's height never changes, so nothing below it moves
        self.text_area = QScrollArea()
        self.text_area.setWidget(self.text)
        self.text_area.setWidgetResizable(True)
        self.text_area.setFrameShape(QFrame.Shape.NoFrame)
        self.text_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.text_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.text_area.viewport().setAutoFillBackground(False)
        self.text.setAutoFillBackground(False)
        self.details_button = QPushButton("Show details…")
        self.details_button.clicked.connect(self._show_details)
        self.action_button = QPushButton()
        self.action_button.clicked.connect(self._run_action)
        self._action: Callable[[], object] | None = None
        self.close_button = QPushButton("Dismiss")
        self.close_button.setToolTip("Hide this message")
        self.close_button.clicked.connect(self.dismiss)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.text_area, 1)
        for button in (self.action_button, self.details_button, self.close_button):
            layout.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
        lines = self.fontMetrics().lineSpacing() * 3
        self.setFixedHeight(max(lines, self.close_button.sizeHint().height()) + 14)
        # the wheel and arrows move a whole line, so a long message never shows lines cut in half (a first user's find)
        scroll = self.text_area.verticalScrollBar()
        scroll.setSingleStep(self.fontMetrics().lineSpacing())
        scroll.setPageStep(lines)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        policy.setRetainSizeWhenHidden(reserve)  # hidden, it still holds its place: showing it moves nothing
        self.setSizePolicy(policy)
        self.level = ""
        self.hide()

    def show_message(self, level: str, message: str, next_step: str = "", details: str | None = None) -> None:
        self.level = level
        self.setProperty("level", level)
        self.style().unpolish(self)
        self.style().polish(self)
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
        self.icon.setPixmap(self.style().standardIcon(self.ICONS.get(level, self.ICONS["info"])).pixmap(size, size))
        self.text.setText(f"{message}\n{next_step}".strip() if next_step else message)
        self.text_area.verticalScrollBar().setValue(0)  # a new message starts at its first line
        self._details = details
        self.details_button.setVisible(details is not None)
        self.action_button.hide()
        self._action = None
        self.show()

    def set_action(self, text: str, action: Callable[[], object]) -> None:
        """Offer one next step as a button on the shown message (e.g. "Open folder")."""
        self._action = action
        self.action_button.setText(text)
        self.action_button.show()

    def _run_action(self) -> None:
        if self._action is not None:
            self._action()

    def show_error(self, message: str, next_step: str = "") -> None:
        self.show_message("error", message, next_step)

    def show_info(self, message: str) -> None:
        self.show_message("info", message)

    def show_success(self, message: str) -> None:
        self.show_message("success", message)

    def show_warning(self, message: str, next_step: str = "") -> None:
        self.show_message("warning", message, next_step)

    def show_failure(self, exc: BaseException) -> None:
        message, next_step, details = describe_failure(exc)
        self.show_message("error", message, next_step, details)

    def message(self) -> str:
        return "" if self.isHidden() else self.text.text()

    def dismiss(self) -> None:
        self.hide()
        self.text.setText("")
        self.dismissed.emit()

    def _show_details(self) -> None:
        from desktop.views.crash_dialog import show_crash_dialog

        show_crash_dialog(self._details or "", log_file_path())


class TaskBar(QWidget):
    """What a background task is doing: a message, one progress bar and Cancel. Hidden when idle.

    `idle` fires once the tracked task has fully ended (after its own handlers), so pages re-enable buttons then.
    """

    idle = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("taskbar")
        self.label = plain_label(wrap=False)
        self.label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.label.setMinimumWidth(self.label.fontMetrics().averageCharWidth() * 20)
        self.bar = QProgressBar()
        self.bar.setTextVisible(True)
        self.cancel_button = QPushButton("&Cancel")
        self.cancel_button.setToolTip("Stop this work; nothing half-done is kept")
        self.cancel_button.clicked.connect(self.cancel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        row = QHBoxLayout()
        row.addWidget(self.bar, 1)
        row.addWidget(self.cancel_button)
        layout.addLayout(row)
        self.task: Task | None = None
        self.hide()

    def start(
        self,
        runner: TaskRunner,
        name: str,
        fn: Callable[..., Any],
        *args: Any,
        message: str,
        on_end: Callable[[], None] | None = None,
        **handlers: Any,
    ) -> Task:
        """Run `fn` through the runner with this bar tracking it. Every handler is connected before the work
        starts, so even work that fails at once is seen to end (the bar hides, `idle` fires, then `on_end`)."""

        def ended() -> None:
            self.on_ended()
            if on_end is not None:
                on_end()

        self.label.setText(message)
        self.bar.setRange(0, 0)  # busy until the first progress report
        self.cancel_button.setEnabled(True)
        self.show()
        self.task = runner.run(name, fn, *args, on_progress=self.on_progress, on_end=ended, **handlers)
        return self.task

    def on_progress(self, done: int, total: int, message: str) -> None:
        if total > 0:
            self.bar.setRange(0, total)
            self.bar.setValue(min(done, total))
        else:
            self.bar.setRange(0, 0)
        if message:
            self.label.setText(message)
            self.label.setToolTip(message)

    def cancel(self) -> None:
        if self.task is not None and self.task.running:
            self.task.cancel()
            self.label.setText("Cancelling… (finishing the current step safely)")
            self.cancel_button.setEnabled(False)

    def on_ended(self) -> None:
        self.task = None
        self.hide()
        self.idle.emit()

    def busy(self) -> bool:
        return self.task is not None
