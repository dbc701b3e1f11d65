"""What every pack has besides its sections: the frame (title, period, marking, data as at) it starts with, and
its sources, provisional months and advice, set when it is finished. Both pack builders (ward_pack.py, overview.py)
use it."""

from __future__ import annotations

from datetime import date

from sqlite_utils import Database

from desktop import kinds
from desktop.reports.about import provisional_months
from desktop.reports.build_context import Context
from desktop.reports.model import Pack
from desktop.store import figures


def _data_as_at(db: Database) -> str:
    return figures.data_as_at(db) or date.today().isoformat()


def new_pack(ctx: Context, kind: str, title: str, code: str, name: str) -> Pack:
    return Pack(
        kind="ward" if kind == "ward" else "overview",
        title=title,
        area_code=code,
        area_name=name,
        borough_name=ctx.borough,
        period_label=ctx.periods.label,
        reference_month=ctx.periods.reference,
        marking=ctx.settings.marking,
        organisation=ctx.settings.organisation,
        prepared_by=ctx.options.prepared_by or ctx.settings.prepared_by,
        data_as_at=_data_as_at(ctx.db),
        meeting_date=ctx.options.meeting_date or "",
        mode="public" if ctx.public else "internal",
    )


def finish(pack: Pack, ctx: Context) -> None:
    """What every pack carries besides its sections: its sources, its provisional months (named on the cover) and
    the advice for whoever makes it (shown in the window, never printed)."""
    pack.sources = source_lines(ctx)
    pack.provisional = provisional_months(ctx)
    pack.advice = list(ctx.cache.get("advice", []))


def source_lines(ctx: Context) -> list[str]:
    lines = []
    for row in figures.sources(ctx.db):
        span = f", {row['first_month']} to {row['last_month']}" if row["first_month"] else ""
        lines.append(f"{kinds.source_label(row['kind'])}: {row['file_name']}{span}")
    return lines
