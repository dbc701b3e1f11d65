"""The two-page summary edition on paper (QtGui): no cover page, a masthead on page 1 instead, and the content
shortened step by step (editions.shorten) until it fits on two A4 sides. Large print is not held to two pages:
at 16 pt the same content needs more room, and cutting it further would leave too little to be useful."""

from __future__ import annotations

from PySide6.QtCore import QPointF
from PySide6.QtGui import QPainter, QPen

from desktop.months import month_label
from desktop.reports.editions import shorten
from desktop.reports.model import Pack
from desktop.reports.pdf_base import INK, INK_SOFT, Ctx
from desktop.reports.pdf_layout import Page, paginate
from desktop.reports.pdf_text import clean, long_date

SUMMARY_PAGES = 2


def _lines(ctx: Ctx, pack: Pack) -> list[tuple[str, float, bool, bool]]:
    """(text, size, bold, soft) lines of the masthead."""
    kicker = "Ward panel briefing: two-page summary"
    meeting = f"Panel meeting {long_date(pack.meeting_date)}" if pack.meeting_date else ""
    audience = "Public: small numbers suppressed" if pack.mode == "public" else "Internal: not for publication"
    facts = " · ".join(
        x
        for x in (
            clean(pack.borough_name),
            f"{clean(pack.period_label)} (figures to {month_label(pack.reference_month)})",
            meeting,
            audience,
        )
        if x
    )
    marking_w = ctx.text_width(clean(pack.marking), 10, True) + ctx.mm(4) if pack.marking else 0.0
    out = [(line, 9.5, True, True) for line in ctx.wrap(kicker.upper(), 9.5, ctx.width - marking_w, True)]
    out += [(line, 20.0, True, False) for line in ctx.wrap(pack.title, 20.0, ctx.width, True)]
    out += [(line, 10.0, False, False) for line in ctx.wrap(facts, 10.0, ctx.width)]
    return out


def masthead_height(ctx: Ctx, pack: Pack) -> float:
    return sum(ctx.line_height(size, bold) for _t, size, bold, _s in _lines(ctx, pack)) + ctx.mm(6)


def draw_masthead(painter: QPainter, ctx: Ctx, pack: Pack, top: float) -> None:
    marking = clean(pack.marking)
    if marking:  # the protective marking top right, as on every other page
        ctx.draw_text(painter, ctx.width - ctx.text_width(marking, 10, True), top, marking, 10, True)
    y = top
    for text, size, bold, soft in _lines(ctx, pack):
        ctx.draw_text(painter, 0, y, text, size, bold, False, INK_SOFT if soft else INK)
        y += ctx.line_height(size, bold)
    pen = QPen(INK)
    pen.setWidthF(ctx.pt(1.6))
    painter.setPen(pen)
    y += ctx.mm(2)
    painter.drawLine(QPointF(0, y), QPointF(ctx.width, y))


def fit(ctx: Ctx, pack: Pack, top: float, bottom: float, first_top: float) -> tuple[Pack, list[Page]]:
    """The summary laid out; shortened until it fits on two pages (unless large print, or nothing is left to cut)."""
    while True:
        pages = paginate(ctx, pack, top, bottom, 0.0, ctx.width, first_top)
        if len(pages) <= SUMMARY_PAGES or ctx.large_print:
            return pack, pages
        shorter = shorten(pack)
        if shorter is None:
            return pack, pages
        pack = shorter
