"""The stop and search section: searches placed in the ward (by point-in-polygon: police.uk publishes no LSOA for
them), what they were for, the share whose outcome was linked to the object of the search (Wilson interval, the
borough alongside), and who was searched by self-defined ethnicity with small numbers suppressed in public packs
(the same suppression as every other table: "<5" and "[c]" so no hidden count can be worked out from the total)."""

from __future__ import annotations

from desktop.analysis.surveys import wilson
from desktop.months import add_months, month_label, range_label
from desktop.reports.build_context import Context
from desktop.reports.disclosure_plan import small_counts
from desktop.reports.model import Block, CellValue, Column, Paragraph, Section, Table
from desktop.store import places

NOT_STATED = "Not stated"


def _window(ctx: Context) -> tuple[str, str] | None:
    months = places.search_months(ctx.db)
    if not months:
        return None
    end = max([m for m in months if m <= ctx.periods.reference] or months)
    return add_months(end, -11), end


def _pct(x: float) -> str:
    return f"{x * 100:.0f}%"


def linked_share(frame: object) -> tuple[int, int]:
    """(searches whose outcome was linked to their object, searches with an outcome recorded either way)."""
    values = [str(v).strip().casefold() for v in frame["outcome_linked"] if v is not None]  # type: ignore[index]
    known = [v for v in values if v in ("true", "false")]
    return sum(1 for v in known if v == "true"), len(known)


def ethnicity_group(text: object) -> str:
    """'Black/African/Caribbean/Black British - African' -> 'Black/African/Caribbean/Black British'."""
    value = str(text or "").strip()
    if not value or value.casefold() in ("nan", "none"):
        return NOT_STATED
    if value.casefold().endswith("not stated"):
        return NOT_STATED
    return value.split(" - ")[0].strip()


def stop_search_section(ctx: Context) -> Section:
    section = Section("stop_search", "Stop and search", new_page=False)
    if ctx.ward is None:
        return section
    code, name = str(ctx.ward["code"]), str(ctx.ward["name"])
    window = _window(ctx)
    if window is None:
        section.blocks.append(Paragraph("The store holds no police.uk stop and search records.", "caveat"))
        ctx.advise("Stop and search: import the force's monthly stop-and-search CSVs from data.police.uk.")
        return section
    if not places.has_boundaries(ctx.db, "ward"):
        section.blocks.append(
            Paragraph(
                "Stop and search records cannot be placed in wards: the store holds no ward boundaries.", "caveat"
            )
        )
        ctx.advise("Stop and search: import ward boundaries (GeoJSON) so searches can be placed in wards.")
        return section
    borough = places.search_frame(ctx.db, ctx.ward_codes, *window)
    ward = borough[borough["ward_code"] == code]
    span = range_label(*window)
    intro = (
        f"{len(ward):,} searches were recorded in {name} from {span} ({len(borough):,} in "
        f"{ctx.borough or 'the borough'}). police.uk gives each search a location near where it happened, not an "
        "area, so searches are placed in wards by their coordinates; searches with no location are in no ward."
    )
    if window[1] < ctx.periods.reference:
        intro += f" The latest stop and search month in the store is {month_label(window[1])}."
    section.blocks.append(Paragraph(intro))
    if not len(ward):
        return section
    blocks: list[Block] = []
    objects = ward["object_of_search"].fillna(NOT_STATED).value_counts()
    rows: list[list[CellValue]] = [[str(k), int(v), int(v) / len(ward)] for k, v in objects.items()]
    rows.append(["All searches", len(ward), 1.0])
    blocks.append(
        Table(
            key="stop_search_object",
            title=f"What the searches in {name} were for, {span}",
            columns=[Column("Object of search", "text", 2.5), Column("Searches", "int"), Column("Share", "share")],
            rows=rows,
            units="searches, count",
            source=ctx.source_text("policeuk_stop_search"),
            total_row=True,
        )
    )
    linked: list[list[CellValue]] = []
    for area, frame in ((name, ward), (ctx.borough or "Borough", borough)):
        hits, base = linked_share(frame)
        if base:
            lo, hi = wilson(hits / base, base)
            linked.append([area, hits, base, hits / base, f"{_pct(lo)}–{_pct(hi)}"])
        else:
            linked.append([area, 0, 0, None, ""])
    blocks.append(
        Table(
            key="stop_search_linked",
            title=f"Searches whose outcome was linked to what was searched for, {span}",
            columns=[
                Column("Area", "text", 1.6),
                Column("Linked", "int"),
                Column("Searches with a recorded link", "int"),
                Column("Share", "pct"),
                Column("95% interval", "text"),
            ],  # fmt: skip
            rows=linked,
            units="searches, count and share",
            notes=[
                "police.uk's 'Outcome linked to object of search': whether the outcome (e.g. an arrest) was for what "
                "the officer searched for. Searches where it is blank are left out. 95% intervals are Wilson score "
                "intervals."
            ],
        )
    )
    groups = ward["self_ethnicity"].map(ethnicity_group).value_counts().sort_index()
    counts = [int(v) for v in groups.to_numpy()]
    texts = small_counts(counts, ctx.threshold) if ctx.public else [f"{c:,}" for c in [*counts, sum(counts)]]
    cells: list[CellValue] = [int(t.replace(",", "")) if t.replace(",", "").isdigit() else t for t in texts]
    eth_rows: list[list[CellValue]] = [[str(k), c] for k, c in zip(groups.index, cells, strict=False)]
    eth_rows.append(["All searches", cells[-1]])
    notes = ["Self-defined ethnicity, as the person searched gave it (the first part of police.uk's category)."]
    if ctx.public:
        notes.append(
            f"Counts from 1 to {ctx.threshold - 1} show as <{ctx.threshold}, and '[c]' marks a count hidden so that "
            "no small count can be worked out from the total."
        )
    blocks.append(
        Table(
            key="stop_search_ethnicity",
            title=f"Searches in {name} by self-defined ethnicity, {span}",
            columns=[Column("Self-defined ethnicity", "text", 3.0), Column("Searches", "int")],
            rows=eth_rows,
            units="searches, count",
            notes=notes,
            total_row=True,
        )
    )
    section.blocks += blocks
    return section
