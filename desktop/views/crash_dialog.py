"""The dialog an unexpected error ends in: what happened, copyable details, and where the log is."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox


def show_crash_dialog(report: str, log_file: str) -> None:
    """Shows the dialog (modal). Only on the GUI thread: Qt widgets made on another thread hang or crash."""
    import threading

    if QApplication.instance() is None:
        raise RuntimeError("no QApplication")
    if threading.current_thread() is not threading.main_thread():
        raise RuntimeError("the crash dialog can only be shown on the GUI thread")
    box = QMessageBox()
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle("WardBrief: something went wrong")
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(
        "WardBrief hit an unexpected error. Any import or edit in progress was rolled back, so your store is "
        "as it was before.\n\nPlease send the details (Show Details..., then copy) and the log file to your "
        f"analyst.\n\nLog file: {log_file}"
    )
    box.setDetailedText(report)
    box.setStandardButtons(QMessageBox.StandardButton.Close)
    box.exec()
