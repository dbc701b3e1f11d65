"""The statistical-process-control layer of a monthly chart (Qt-free): centre line, process limits and the
special-cause months (analysis/spc.py), marked by shape and word so they survive greyscale print."""

from __future__ import annotations

import math
from typing import Any

from desktop.reports.charts_style import _LABEL_BOX, BLACK, FONT_SIZE, GREY, ORANGE, SKY_BLUE, _line_handle
from desktop.reports.model import TrendChart

RULE_RANK = {"outside": 0, "run": 1, "trend": 2, "near": 3}
SPECIAL_WORDS = {"outside": "beyond limit", "run": "run", "trend": "trend", "near": "near limit"}


def draw_spc(ax: Any, chart: TrendChart, xs: list[int], vals: list[float]) -> list[Any]:
    """Centre line (solid grey), process limits (dashed black), each labelled at its right end; special-cause
    months as large triangles (up: unusually high, down: unusually low) with a word for the rule, so the meaning
    survives greyscale print."""
    n = len(xs)
    centre = [math.nan if v is None else float(v) for v in chart.centre or []]
    upper = [math.nan if v is None else float(v) for v in chart.upper or []]
    lower = [math.nan if v is None else float(v) for v in chart.lower or []]
    ax.plot(xs, centre, color=GREY, linewidth=1.2, zorder=2, drawstyle="steps-mid")
    for line in (upper, lower):
        ax.plot(xs, line, color=BLACK, linewidth=0.9, linestyle=(0, (4, 2.5)), zorder=2, drawstyle="steps-mid")
    last = max((x for x in xs if not math.isnan(centre[x])), default=None)
    if last is not None:
        # the latest month's value is written at the line's end (charts._label_last): a limit's name that would
        # sit on it moves up or down out of its way
        firm = [x for x in xs if not math.isnan(vals[x]) and not (x < len(chart.provisional) and chart.provisional[x])]
        value = vals[firm[-1]] if firm and firm[-1] >= n - 2 else None
        span = max([v for v in vals + upper if not math.isnan(v)] + [1.0]) * 1.12
        for y, text in ((upper[last], "upper limit"), (centre[last], "average"), (lower[last], "lower limit")):
            dy = 0.0
            if value is not None and abs(y - value) < 0.07 * span:
                dy = 8.0 if y >= value else -8.0
            ax.annotate(
                text, (n - 0.3, y), xytext=(2, dy), textcoords="offset points", va="center", ha="left",
                color=BLACK, annotation_clip=False,
            )  # fmt: skip
    handles = [
        _line_handle(color=GREY, linewidth=1.2, label="Average"),
        _line_handle(color=BLACK, linewidth=0.9, linestyle=(0, (4, 2.5)), label="Usual range (limits)"),
    ]
    special = chart.special + [""] * (n - len(chart.special))
    for side, marker, colour, label in (
        ("high", "^", ORANGE, "Unusually high"),
        ("low", "v", SKY_BLUE, "Unusually low"),
    ):
        found = [x for x in xs if special[x].startswith(side + ":")]
        if not found:
            continue
        ax.plot(
            found, [vals[x] for x in found], linestyle="none", marker=marker, markersize=7, color=colour,
            markeredgecolor=BLACK, markeredgewidth=0.9, zorder=6,
        )  # fmt: skip
        handles.append(
            _line_handle(
                color=colour, marker=marker, linestyle="none", markeredgecolor=BLACK, markersize=6, label=label
            )
        )
        # one word per stretch of months flagged by the same rule, at its last month; the stronger rules are
        # named first, and a word that would sit on top of another's (within 3 months) is left out (the
        # triangles still mark those months)
        ends = [x for x in found if not (x + 1 < n and special[x + 1] == special[x])]
        ends.sort(key=lambda x: (RULE_RANK.get(special[x].split(":", 1)[1], 9), -x))
        placed: list[int] = []
        for x in ends:
            if any(abs(x - p) < 3 for p in placed):
                continue
            placed.append(x)
            rule = special[x].split(":", 1)[1]
            ax.annotate(
                SPECIAL_WORDS.get(rule, rule), (x, vals[x]), xytext=(0, 7 if side == "high" else -8),
                textcoords="offset points", ha="right" if x >= n - 2 else "center",
                va="bottom" if side == "high" else "top", fontsize=FONT_SIZE, color=BLACK, bbox=_LABEL_BOX, zorder=7,
            )  # fmt: skip
    return handles
