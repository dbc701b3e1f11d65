"""Build a briefing pack (the Qt-free model in model.py) from the store: `build_pack` for one ward (ward_pack.py),
`build_overview` for all wards of a borough (overview.py). Sections follow DESIGN.md §6; the figures are defined in
§5 and computed in desktop/analysis. Renderers (pdf.py, xlsx.py) draw the result."""

from __future__ import annotations

from desktop.analysis.themes import Theme, bundled_themes
from desktop.reports.build_context import pack_months, reference_month
from desktop.reports.overview import build_overview
from desktop.reports.ward_pack import build_pack

__all__ = ["available_themes", "build_overview", "build_pack", "pack_months", "reference_month"]


def available_themes() -> list[Theme]:
    """Every theme in resources/themes.toml (each has .key, .label, .default), in file order."""
    return list(bundled_themes())
