"""What the user chose for a pack (Qt-free)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class PackOptions:
    month: str | None = None  # reference month YYYY-MM; None = the latest complete month in the store
    themes: list[str] = field(default_factory=list)  # theme keys from resources/themes.toml; empty = defaults
    public: bool = True  # public packs apply disclosure control; internal packs show every count
    meeting_date: str | None = None  # ISO date of the panel meeting, shown on the cover
    prepared_by: str | None = None  # overrides Settings.prepared_by when given
    summary: bool = False  # the two-page summary edition (editions.apply_edition) instead of the full pack
    large_print: bool = False  # text of at least 16 pt in the PDF and the HTML
    html: bool = False  # batches: also write the accessible HTML twin of each pack
