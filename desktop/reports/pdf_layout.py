"""Turn a Pack into flowables and flow them onto pages (the first of the two passes; painting is the second)."""

from __future__ import annotations

from dataclasses import dataclass, field

from desktop.reports.model import (
    BarChart,
    Block,
    Bullets,
    Column,
    ContactList,
    FunnelChart,
    MapChart,
    Pack,
    Paragraph,
    PriorityBlock,
    Section,
    Table,
    Tiles,
    TrendChart,
)
from desktop.reports.pdf_base import BODY, HEADING, INK_SOFT, LEAD, SMALL, Ctx, Flowable, Spacer, Stack, TextBlock
from desktop.reports.pdf_blocks import TableFlow, TileRow, split_columns, tile_columns
from desktop.reports.pdf_charts import ChartFlow
from desktop.reports.pdf_text import clean, long_date


@dataclass
class Placed:
    item: Flowable
    x: float
    y: float
    width: float


@dataclass
class Page:
    items: list[Placed] = field(default_factory=list)
    section: str = ""  # the section running at the top of the page (for the header)
    starts: list[str] = field(default_factory=list)  # sections that begin on this page (for the contents)


def section_flowables(section: Section, ctx: Ctx | None = None, width: float = 0.0) -> list[Flowable]:
    """The heading keeps with the section's opening paragraphs, and they with what follows them, so a heading (or a
    heading and its introduction) is never left alone at the foot of a page."""
    out: list[Flowable] = [TextBlock(section.title, HEADING, bold=True, after_pt=8, keep_with_next=True)]
    opening = True
    for block in section.blocks:
        flows = block_flowables(block, ctx, width)
        if opening and isinstance(block, Paragraph) and block.style in ("", "body", "lead") and flows:
            flows[-1].keep_with_next = True
        else:
            opening = False
        out += flows
    return out


def block_flowables(block: Block, ctx: Ctx | None = None, width: float = 0.0) -> list[Flowable]:
    """The flowables of one block; `ctx` and `width` (when given) let large print re-flow tiles and wide tables."""
    large_print = ctx is not None and ctx.large_print
    if isinstance(block, Paragraph):
        return [_paragraph(block)]
    if isinstance(block, Bullets):
        return [TextBlock(item, BODY, bullet="•", after_pt=3.5) for item in block.items] + [Spacer(1.5)]
    if isinstance(block, Tiles):
        cols = tile_columns(len(block.tiles), large_print)
        rows = [block.tiles[i : i + cols] for i in range(0, len(block.tiles), cols)]
        return [TileRow(row, cols) for row in rows] + [Spacer(1.0)]
    if isinstance(block, TrendChart | BarChart | FunnelChart):
        return [ChartFlow(block)]
    if isinstance(block, MapChart):
        from desktop.reports.pdf_maps import MapFlow

        return [MapFlow(block)]
    if isinstance(block, Table):
        if large_print and ctx is not None:
            return [TableFlow(part) for part in split_columns(ctx, block, width)]
        return [TableFlow(block)]
    if isinstance(block, ContactList):
        return [
            Stack(
                [
                    TextBlock(heading, BODY, bold=True, after_pt=1.0),
                    TextBlock(text, BODY, after_pt=6.0),
                ]
            )
            for heading, text in block.contacts
        ]
    if isinstance(block, PriorityBlock):
        return _priority(block)
    return [TextBlock(clean(block), BODY)]  # an unknown block still shows, as text


def _paragraph(p: Paragraph) -> TextBlock:
    if p.style == "lead":
        return TextBlock(p.text, LEAD, bold=True, before_pt=4, after_pt=4, keep_with_next=True)
    if p.style == "small":
        return TextBlock(p.text, SMALL, after_pt=4)
    if p.style == "caveat":
        return TextBlock(p.text, 9.5, italic=True, color=INK_SOFT, after_pt=6)
    return TextBlock(p.text, BODY, after_pt=6)


def _priority(block: PriorityBlock) -> list[Flowable]:
    meta = f"Theme: {block.theme}  ·  Status: {block.status}  ·  Set: {long_date(block.set_on)}"
    if block.review_date:
        meta += f"  ·  Review: {long_date(block.review_date)}"
    head: list[Flowable] = [
        TextBlock(block.title, LEAD, bold=True, before_pt=4, after_pt=2),
        TextBlock(meta, 9.5, after_pt=3),
    ]
    if block.measure_before:
        head.append(TextBlock(f"Before: {block.measure_before}", BODY, after_pt=1))
    if block.measure_after:
        head.append(TextBlock(f"Now: {block.measure_after}", BODY, after_pt=4))
    out: list[Flowable] = [Stack(head, keep_with_next=bool(block.actions))]
    if block.actions:
        table = Table(
            key="actions",
            title="Actions",
            columns=[Column("Action", "text", 3.4), Column("Owner", "text", 1.4), Column("Due", "text", 1.1)]
            + [Column("Done", "text", 1.1)],
            rows=[
                [text, owner, long_date(due) if due else "", long_date(done) if done else "not yet"]
                for text, owner, due, done in block.actions
            ],
        )
        out.append(TableFlow(table, show_title=False))
    if block.notes:
        out.append(TextBlock(block.notes, 9.5, italic=True, color=INK_SOFT, after_pt=6))
    out.append(Spacer(3))
    return out


# A section marked new_page starts on a fresh page only when less than this share of the page is left: a section
# that can start a third of the way down is better there than after a page that holds a few lines.
NEW_PAGE_ROOM = 1 / 3


def _need(ctx: Ctx, flows: list[Flowable], i: int, width: float) -> float:
    """The room item i needs to start here: itself, every item kept with it, and the start of the first item that
    is not (its first unsplittable piece)."""
    need = 0.0
    j = i
    while j < len(flows) and flows[j].keep_with_next:
        need += flows[j].height(ctx, width)
        j += 1
    if j < len(flows):
        need += flows[j].min_height(ctx, width) if j > i else flows[j].height(ctx, width)
    return need


def paginate(
    ctx: Ctx,
    pack: Pack,
    top: float,
    bottom: float,
    left: float,
    width: float,
    first_top: float | None = None,
    front: int = 1,
) -> list[Page]:
    """Flow every section onto pages after the `front` pages (the cover, and a contents page when large print's
    cover has no room for it). `top`/`bottom` bound the content area (device px). With `first_top` there is no
    cover: the first page's content starts there (under the summary's masthead)."""
    pages: list[Page] = [Page() for _ in range(front)] if first_top is None else [Page()]
    y = top if first_top is None else first_top
    room = bottom - top
    ctx.page_room = room  # what a chart or a map may be drawn at most (pdf_charts.ChartFlow)

    def new_page(section: str) -> None:
        nonlocal y
        pages.append(Page(section=section))
        y = top

    for section in pack.sections:
        cover = len(pages) == front and first_top is None
        if cover or (section.new_page and bottom - y < NEW_PAGE_ROOM * room):
            new_page(section.title)
        flows = section_flowables(section, ctx, width)
        if not pages[-1].section:
            pages[-1].section = section.title
        i = 0
        while i < len(flows):
            item = flows[i]
            h = item.height(ctx, width)
            kept = item.keep_with_next  # must it start on the same page as what follows it?
            need = _need(ctx, flows, i, width) if kept else h
            if need > room:  # a chain taller than a page: keep only with the next item's start, when that fits
                after = flows[i + 1].min_height(ctx, width) if i + 1 < len(flows) else 0.0
                need, kept = (h + after, True) if h + after <= room else (h, False)
            if y + need <= bottom or (y == top and i == 0 and h <= room):
                if i == 0:  # the heading: the section starts here
                    pages[-1].starts.append(section.title)
                pages[-1].items.append(Placed(item, left, y, width))
                y += h
                i += 1
                continue
            at_top = y == top
            if at_top and h <= room:  # its chain does not fit on any page, but it does: here it goes, whole
                pages[-1].items.append(Placed(item, left, y, width))
                y += h
                i += 1
                continue
            # split it here when it may be (kept with what follows only when the chain could not be kept anyway)
            parts = None if kept or item.keep_together else item.split(ctx, width, bottom - y)
            if parts is None and at_top:  # taller than a page: split wherever it must, rather than run off it
                parts = item.split(ctx, width, bottom - y, force=True)
            if parts is not None and y + parts[0].height(ctx, width) <= bottom:
                if i == 0:
                    pages[-1].starts.append(section.title)
                pages[-1].items.append(Placed(parts[0], left, y, width))
                flows[i] = parts[1]
                new_page(section.title)
                continue
            if at_top:  # cannot split and does not fit on an empty page: place it anyway rather than loop
                if i == 0:
                    pages[-1].starts.append(section.title)
                pages[-1].items.append(Placed(item, left, y, width))
                y += h
                i += 1
                continue
            new_page(section.title)
    return pages
