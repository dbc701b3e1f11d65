"""The pack model: what a briefing pack says, independent of how it is drawn (Qt-free).

The builder (`reports/build.py`) fills it from the analysis; the renderers draw it: `reports/pdf.py` (PDF and
printing, QtGui) and `reports/xlsx.py` (the data appendix). All text here is plain text: renderers must escape it
(never interpret it as HTML or a formula).

A section is an ordered list of blocks. Numbers in tables stay numbers (the XLSX appendix keeps them as numbers);
`Column.fmt` says how to show them. A suppressed cell holds the string "<5" (or whatever the threshold gives).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Direction = Literal["up", "down", "flat", "none"]
# the verdict a tile's icon shows, after the NHS "Making Data Count" variation icons: a change beyond normal
# variation that is bad news (a rise in crime) or good news (a fall), or common-cause variation only
Variation = Literal["concern", "improvement", "common", "none"]
CellValue = str | int | float | None


@dataclass
class Column:
    name: str
    # pct: a proportion 0-1; share: a part of a total 0-1 (under 1% reads "<1%"); points: a change in percentage
    # points, given in points (+9.0 reads "+9 pts"); signed_pct: a % change given as a fraction
    fmt: Literal["text", "int", "pct", "pct1", "share", "points", "rate", "float1", "signed_pct", "p"] = "text"
    width: float = 1.0  # relative width in the PDF table


@dataclass
class Table:
    key: str  # short unique id; the XLSX sheet name comes from it (<= 31 chars)
    title: str
    columns: list[Column]
    rows: list[list[CellValue]]
    units: str = ""  # e.g. "recorded crimes, count"
    source: str = ""  # e.g. "MPS Ward Level Crime, edition to 2025-06"
    notes: list[str] = field(default_factory=list)
    highlight_rows: list[int] = field(default_factory=list)  # drawn bold with a marker, not by colour alone
    total_row: bool = False  # last row is a total


@dataclass
class Tile:
    label: str  # "Recorded crime"
    value: str  # "12,345" (already formatted, may be "<5")
    change: str = ""  # "▼ 19% vs 15,240"
    significance: str = ""  # "clear fall" / "within normal variation" / "too few to tell"
    context: str = ""  # "41% of borough" / "rank 1 of 18"
    direction: Direction = "none"
    significant: bool = False
    variation: Variation = "none"  # drawn as an icon with a letter and shape, beside the words (never colour alone)


@dataclass
class TrendChart:
    title: str
    months: list[str]  # YYYY-MM, oldest first
    values: list[float | None]
    rolling: list[float | None]  # 12-month rolling mean, None where undefined
    provisional: list[bool]  # partial/provisional months: drawn hatched / open markers
    y_label: str = "count"
    comparison: list[float | None] | None = None  # optional second series (e.g. borough average per ward)
    comparison_label: str = ""
    alt_text: str = ""
    # statistical process control (analysis/spc.py): per month the centre line and process limits (None where none
    # are computed), and the special cause at that month ("" none; else "high:outside", "low:run", ...)
    centre: list[float | None] | None = None
    lower: list[float | None] | None = None
    upper: list[float | None] | None = None
    special: list[str] = field(default_factory=list)
    summary: str = ""  # "June 2025's 1,882 is within the usual range for West End (1,500 to 2,100)."

    verdict: str = ""  # what the figures say, in one sentence from the same numbers (the HTML chart description)


@dataclass
class FunnelPoint:
    label: str
    population: float
    rate: float  # per 1,000 residents
    position: str  # funnel.POSITION keys: "higher", "as expected", ...
    highlight: bool = False  # the pack's own ward
    footfall: bool = False  # a high-footfall ward: drawn but not part of the target; its resident rate misleads


@dataclass
class FunnelChart:
    """Every ward's rate per 1,000 residents against its residents, with the borough's target rate and the 95% and
    99.8% limits (adjusted for over-dispersion) as curves over `xs` (analysis/funnel.py)."""

    title: str
    points: list[FunnelPoint]
    target: float  # per 1,000
    xs: list[float]
    lower95: list[float]
    upper95: list[float]
    lower998: list[float]
    upper998: list[float]
    y_label: str = "per 1,000 residents"
    adjusted: bool = False  # limits widened for over-dispersion (tau^2 > 0)
    alt_text: str = ""


@dataclass
class BarChart:
    title: str
    labels: list[str]
    values: list[float]
    lower: list[float | None] | None = None  # interval bounds in the same units as values (e.g. Wilson 95%)
    upper: list[float | None] | None = None
    highlight: list[int] = field(default_factory=list)  # indexes drawn distinctly (weakest right, this ward)
    value_format: Literal["int", "pct", "rate"] = "int"
    reference: float | None = None  # a reference line (e.g. the borough or London figure)
    reference_label: str = ""
    horizontal: bool = True
    alt_text: str = ""
    verdict: str = ""  # what the figures say, in one sentence from the same numbers (the HTML chart description)


Ring = list[tuple[float, float]]


@dataclass
class MapArea:
    code: str
    name: str
    polygons: list[list[Ring]]  # lon/lat; outer ring first, then holes
    shade: int = -1  # class index into MapChart.classes; -1 = not shaded (outline only)
    label: str = ""  # printed inside the area (a count, "<5", or a ward's name)


@dataclass
class MapChart:
    """A map drawn as vectors (reports/maps.py): shaded areas with printed values, outlines for context, the area
    in focus drawn bold, and numbered markers keyed to a table. Colour is never the only signal: classes are
    sequential greys that print, and each area's value is printed on it."""

    title: str
    areas: list[MapArea]  # shaded (LSOAs of a ward, or a borough's wards)
    classes: list[str] = field(default_factory=list)  # legend labels, lightest first ("0", "1-2", "3-5", "6+")
    legend_title: str = ""
    unshaded: str = ""  # what an area drawn without shading or a number means, when there are any
    shading: str = ""  # what the greys mean, when not "more" of the printed number
    focus: list[MapArea] = field(default_factory=list)  # drawn with a heavy outline (the ward)
    context: list[MapArea] = field(default_factory=list)  # neighbours: thin outlines, names printed
    markers: list[tuple[int, float, float]] = field(default_factory=list)  # (number, lon, lat)
    flagged: list[str] = field(default_factory=list)  # area codes marked with a symbol (high footfall)
    flag_label: str = ""
    attribution: str = ""
    alt_text: str = ""
    height_mm: float = 120.0


@dataclass
class Paragraph:
    text: str
    style: Literal["body", "lead", "small", "caveat"] = "body"


@dataclass
class Bullets:
    items: list[str]


@dataclass
class Tiles:
    tiles: list[Tile]


@dataclass
class ContactList:
    contacts: list[tuple[str, str]]  # (heading, text)


@dataclass
class PriorityBlock:
    title: str
    theme: str
    status: str
    set_on: str
    review_date: str
    measure_before: str
    measure_after: str
    actions: list[tuple[str, str, str, str]]  # (text, owner, due, done_on or "")
    notes: str = ""


Block = (
    Paragraph | Bullets | Tiles | TrendChart | BarChart | FunnelChart | MapChart | Table | ContactList | PriorityBlock
)


@dataclass
class Section:
    key: str  # "glance", "theme:theft", "victims", "trust", "fire", "priorities", "contacts", "about"
    title: str
    blocks: list[Block] = field(default_factory=list)
    new_page: bool = True


@dataclass
class Pack:
    kind: Literal["ward", "overview"]
    title: str  # "West End ward" / "Westminster: all wards"
    area_code: str
    area_name: str
    borough_name: str
    period_label: str  # "12 months to June 2025"
    reference_month: str  # YYYY-MM
    marking: str  # "OFFICIAL"
    organisation: str
    prepared_by: str
    data_as_at: str  # ISO date of the newest source import
    meeting_date: str = ""
    mode: Literal["public", "internal"] = "public"
    edition: Literal["full", "summary"] = "full"  # the summary has no cover page (reports/editions.py)
    large_print: bool = False  # every renderer draws text of at least 16 pt (reports/editions.py)
    sections: list[Section] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    # what the person making the pack could import or enter to fill a gap: shown in the window, never printed (a
    # pack says only what is missing; instructions to staff do not belong in a panel's papers)
    advice: list[str] = field(default_factory=list)
    provisional: list[str] = field(
        default_factory=list
    )  # partial months of the figures shown (YYYY-MM), named on the cover

    def tables(self) -> list[Table]:
        return [b for s in self.sections for b in s.blocks if isinstance(b, Table)]

    def headings(self) -> list[str]:
        return [s.title for s in self.sections]
