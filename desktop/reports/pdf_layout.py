"""Turn a Pack into flowables and flow them onto pages (the first of the two passes; painting is the second)."""

from __future__ import annotations

from dataclasses import dataclass, field

from desktop.reports.model import (
    BarChart,
    Block,
    Bullets,
    Column,
    ContactList,
    Pack,
    Paragraph,
    PriorityBlock,
    Section,
    Table,
    Tiles,
    TrendChart,
)
from desktop.reports.pdf_base import BODY, HEADING, INK_SOFT, LEAD, SMALL, Ctx, Flowable, Spacer, Stack, TextBlock
from desktop.reports.pdf_blocks import ChartFlow, TableFlow, TileRow, tile_columns
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


def section_flowables(section: Section) -> list[Flowable]:
    out: list[Flowable] = [TextBlock(section.title, HEADING, bold=True, after_pt=8, keep_with_next=True)]
    for block in section.blocks:
        out += block_flowables(block)
    return out


def block_flowables(block: Block) -> list[Flowable]:
    if isinstance(block, Paragraph):
        return [_paragraph(block)]
    if isinstance(block, Bullets):
        return [TextBlock(item, BODY, bullet="•", after_pt=3.5) for item in block.items] + [Spacer(1.5)]
    if isinstance(block, Tiles):
        cols = tile_columns(len(block.tiles))
        rows = [block.tiles[i : i + cols] for i in range(0, len(block.tiles), cols)]
        return [TileRow(row, cols) for row in rows] + [Spacer(1.0)]
    if isinstance(block, TrendChart | BarChart):
        return [ChartFlow(block)]
    if isinstance(block, Table):
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


def paginate(ctx: Ctx, pack: Pack, top: float, bottom: float, left: float, width: float) -> list[Page]:
    """Flow every section onto pages after the cover. `top`/`bottom` bound the content area (device px)."""
    pages: list[Page] = [Page()]
    y = top

    def new_page(section: str) -> None:
        nonlocal y
        pages.append(Page(section=section))
        y = top

    for section in pack.sections:
        if (section.new_page or not pages[-1].items) and (pages[-1].items or len(pages) == 1):
            new_page(section.title)
        flows = section_flowables(section)
        if not pages[-1].section:
            pages[-1].section = section.title
        i = 0
        while i < len(flows):
            item = flows[i]
            h = item.height(ctx, width)
            need = h
            if item.keep_with_next and i + 1 < len(flows):
                need = h + flows[i + 1].min_height(ctx, width)
            if y + need <= bottom or (y == top and i == 0):
                if i == 0:  # the heading: the section starts here
                    pages[-1].starts.append(section.title)
                pages[-1].items.append(Placed(item, left, y, width))
                y += h
                i += 1
                continue
            at_top = y == top
            parts = None if item.keep_with_next or item.keep_together else item.split(ctx, width, bottom - y)
            if parts is not None and y + parts[0].height(ctx, width) <= bottom:
                pages[-1].items.append(Placed(parts[0], left, y, width))
                flows[i] = parts[1]
                new_page(section.title)
                continue
            if at_top:  # does not fit on an empty page either: place it anyway (clipped) rather than loop
                parts = item.split(ctx, width, bottom - y)
                if parts is not None:
                    pages[-1].items.append(Placed(parts[0], left, y, width))
                    flows[i] = parts[1]
                    new_page(section.title)
                    continue
                pages[-1].items.append(Placed(item, left, y, width))
                y += h
                i += 1
                continue
            new_page(section.title)
    return pages
