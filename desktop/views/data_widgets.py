"""Pieces of the Data page: the drop zone, the first-run welcome panel and the text of import results."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from desktop import months
from desktop.views.widgets import heading_label, plain_label


def month_label(month: str | None) -> str:
    """'Mar 2024' ('-' for none), as import results read."""
    return months.month_label(month, "short", blank="-")


def months_text(first: str | None, last: str | None) -> str:
    if not first:
        return ""
    return month_label(first) if first == last or not last else f"{month_label(first)} – {month_label(last)}"


def kind_label(kind: str) -> str:
    from desktop.kinds import label

    return label(kind)


def result_notes(result: Any) -> str:
    notes: list[str] = []
    if result.status in ("failed", "not needed"):
        notes.append(result.message)
    if result.status == "already imported":
        notes.append("Already imported; nothing changed.")
    if result.partial_months:
        partial = ", ".join(month_label(m) for m in result.partial_months)
        notes.append(f"Partial month(s) flagged: {partial}.")
    notes += list(result.warnings)
    return " ".join(n for n in notes if n)


class DropZone(QFrame):
    """The visible target for dropped files, with the "Import files…" button beside the hint."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dropzone")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setProperty("active", False)
        self.hint = plain_label(
            "Drop extract files here (CSV or XLSX: Met ward crime, police.uk, LFB, MOPAC surveys, lookups, "
            "populations; boundaries as GeoJSON or a shapefile). Several at once is fine; the kind of each file is "
            "worked out from its columns."
        )
        self.pick_button = QPushButton("I&mport files…")
        self.pick_button.setToolTip("Choose one or more extract files to import (Ctrl+I)")
        layout = QHBoxLayout(self)
        layout.addWidget(self.hint, 1)
        layout.addWidget(self.pick_button, 0, Qt.AlignmentFlag.AlignVCenter)

    def set_active(self, active: bool) -> None:
        self.setProperty("active", active)
        self.style().unpolish(self)
        self.style().polish(self)


class WelcomePanel(QFrame):
    """Shown instead of the sources list while the store is empty (first run)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("welcome")
        self.demo_button = QPushButton("Load d&emo data")
        self.demo_button.setToolTip("Illustrative figures for Westminster's wards, to try every page")
        self.import_button = QPushButton("Import files…")
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(heading_label("Welcome to WardBrief"), 0, Qt.AlignmentFlag.AlignHCenter)
        text = plain_label(
            "Your store is empty. To try WardBrief, load the demo data (illustrative figures, clearly marked). "
            "To make real briefing packs, import the extracts you receive each month: drop them on this page or "
            "choose Import files."
        )
        text.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(text)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.demo_button)
        row.addWidget(self.import_button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(2)
