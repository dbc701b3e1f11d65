"""Pack charts as vector SVG (Qt-free). The PDF renderer draws the SVG with QSvgRenderer.

Rules (DESIGN.md §6): Okabe-Ito colours, but colour is never the only signal — line styles, markers, hatching and
direct labels carry the meaning in greyscale. Text stays text (`svg.fonttype = "none"`) in DejaVu Sans, the family
the pack bundles. Hatching is drawn as clipped line segments, never as SVG `<pattern>` fills (QtSvg rasterises those
into large images). matplotlib is imported lazily and used only through `Figure` objects (no pyplot state).
"""

from __future__ import annotations

import math
from typing import Any

from desktop.months import month_label
from desktop.reports.chart_labels import wrap_label
from desktop.reports.charts_spc import draw_spc
from desktop.reports.charts_style import (
    _LABEL_BOX,
    _RC,
    BLACK,
    BLUE,
    FONT_SIZE,
    GREEN,
    GREY,
    LIGHT_GREY,
    MM,
    ORANGE,
    PURPLE,
    SKY_BLUE,
    TREND_HEIGHT_MM,
    VERMILION,
    YELLOW,
    _figure,
    _hatch,
    _line_handle,
    _margins,
    _style_axes,
    _thousands,
    _to_svg,
    format_number,
    legend_columns,
    legend_height_pt,
    text_width_pt,
)
from desktop.reports.model import BarChart, TrendChart

# the palette and helpers are charts_style's; named here too for callers that know them as charts.*
__all__ = [
    "BLACK", "BLUE", "GREEN", "GREY", "LIGHT_GREY", "ORANGE", "PURPLE", "SKY_BLUE", "VERMILION", "YELLOW",
    "FONT_SIZE", "TREND_HEIGHT_MM", "bar_height_mm", "bar_svg", "chart_svg", "format_number", "legend_note",
    "text_width_pt", "trend_svg",
]  # fmt: skip

# --- trend --------------------------------------------------------------------------------------------------


def trend_svg(chart: TrendChart, width_mm: float = 170.0, height_mm: float = 72.0) -> bytes:
    """Monthly counts (solid line, filled circles), the 12-month average (dashed), provisional months as open
    markers on a shaded band, and an optional comparison series (dotted, squares)."""
    import matplotlib

    with matplotlib.rc_context(_RC):
        fig = _figure(width_mm, height_mm)
        ax = fig.add_subplot()
        _style_axes(ax)
        n = len(chart.months)
        xs = list(range(n))
        vals = [math.nan if v is None else float(v) for v in chart.values]
        prov = list(chart.provisional) + [False] * (n - len(chart.provisional))
        firm_x = [x for x in xs if not prov[x]]
        prov_x = [x for x in xs if prov[x]]

        # complete months joined by a solid line; a provisional month only by a dotted one (not a real fall)
        ax.plot(xs, [math.nan if prov[x] else vals[x] for x in xs], color=BLUE, linewidth=1.6, zorder=3)
        for x in prov_x:
            if x > 0:
                ax.plot([x - 1, x], [vals[x - 1], vals[x]], color=BLUE, linewidth=1.1, linestyle=":", zorder=3)
        ax.plot(firm_x, [vals[x] for x in firm_x], linestyle="none", marker="o", markersize=3.6, color=BLUE, zorder=4)
        handles = [
            _line_handle(color=BLUE, marker="o", linestyle="-", label="Monthly count"),
        ]
        if prov_x:
            for x in prov_x:
                ax.axvspan(
                    x - 0.5, x + 0.5, color="#E6E6E6", linewidth=0, zorder=1
                )  # no transparency: prints the same everywhere
            ax.plot(
                prov_x,
                [vals[x] for x in prov_x],
                linestyle="none",
                marker="o",
                markersize=5,
                markerfacecolor="white",
                markeredgecolor=BLACK,
                markeredgewidth=1.1,
                zorder=5,
            )
            handles.append(
                _line_handle(
                    color=BLACK, marker="o", linestyle="none", markerfacecolor="white", label="Provisional (shaded)"
                )
            )
        spc = chart.centre is not None
        if spc:
            handles += draw_spc(ax, chart, xs, vals)
        elif any(v is not None for v in chart.rolling):  # an SPC chart's centre line replaces the rolling average
            roll = [math.nan if v is None else float(v) for v in chart.rolling]
            ax.plot(xs, roll, color=VERMILION, linewidth=1.8, linestyle=(0, (5, 2.5)), zorder=3)
            handles.append(_line_handle(color=VERMILION, linestyle=(0, (5, 2.5)), label="12-month average"))
        if chart.comparison is not None:
            comp = [math.nan if v is None else float(v) for v in chart.comparison]
            ax.plot(xs, comp, color=GREEN, linewidth=1.3, linestyle=":", marker="s", markersize=2.8, zorder=2)
            handles.append(
                _line_handle(
                    color=GREEN, linestyle=":", marker="s", label=chart.comparison_label or "Comparison", markersize=3
                )
            )
        _label_last(ax, xs, vals, prov)

        # a label every quarter; every half year on a narrow canvas (large print, phones), where quarters collide
        every = ("-01", "-07") if width_mm < 120 or n > 40 else ("-01", "-04", "-07", "-10")
        ticks = [x for x in xs if chart.months[x].endswith(every)] or xs[:: max(1, n // 8)]
        if n and ticks and n - 1 - ticks[-1] >= 2:  # always name the latest month
            ticks.append(n - 1)
        ax.set_xticks(ticks, [month_label(chart.months[x], "axis") for x in ticks])
        ax.set_xlim(-0.7, n - 0.3 + (1.8 if n else 0))
        top = max([v for v in vals if not math.isnan(v)] + [v for v in chart.upper or [] if v is not None] + [0.0])
        ax.set_ylim(0, top * 1.12 if top > 0 else 1)
        ax.yaxis.set_major_formatter(_thousands())
        ax.grid(axis="y", color=LIGHT_GREY, linewidth=0.6)
        ax.set_axisbelow(True)
        ax.set_ylabel(chart.y_label)
        tick_w = max((text_width_pt(f"{t:,.0f}") for t in ax.get_yticks()), default=20.0)
        line_h = FONT_SIZE * 1.25
        left = tick_w + 3 + 3.5 + line_h + 6
        # the legend sits above the plot from its left edge: as many columns as that width holds (at most 3)
        most = len(handles) if len(handles) <= 3 else math.ceil(len(handles) / 2)
        ncol = legend_columns([h.get_label() for h in handles], width_mm * MM * 72 - left, most)
        rows = math.ceil(len(handles) / ncol)
        ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(0, 1.0), ncol=ncol, borderaxespad=0.2)
        right = 4 + (text_width_pt("lower limit") + 6 if spc else 0)
        _margins(fig, left=left, bottom=3 + 3.5 + line_h + 2, right=right, top=legend_height_pt(rows))
        return _to_svg(fig)


def _label_last(ax: Any, xs: list[int], vals: list[float], prov: list[bool]) -> None:
    """Write the latest complete month's value at the end of the line (a direct label)."""
    for x in reversed(xs):
        if not prov[x] and not math.isnan(vals[x]):
            ax.annotate(
                f"{vals[x]:,.0f}",
                (x, vals[x]),
                xytext=(5, 0),
                textcoords="offset points",
                va="center",
                fontweight="bold",
                color=BLACK,
            )
            return


# --- bars ---------------------------------------------------------------------------------------------------


def label_chars(width_mm: float) -> int:
    """How many characters a bar's label may have on a line: 34 on the page's width, fewer on a narrow canvas (large
    print lays a chart out at half the width), so the labels leave the bars their room."""
    return 34 if width_mm >= 120 else 22


def bar_height_mm(chart: BarChart, width_mm: float = 170.0) -> float:
    """The height a bar chart needs so every label (8.5 pt, ~3.6 mm a line) is legible: ~4.4 mm a bar, more for
    labels that wrap (18 wards: ~95 mm, so a theme's comparison shares its page)."""
    n = max(1, len(chart.labels))
    if chart.horizontal:
        lines = sum(max(1, len(wrap_label(label, label_chars(width_mm)))) for label in chart.labels)
        return min(230.0, 16.0 + max(4.4 * n, 4.2 * lines))
    return 75.0


def bar_svg(chart: BarChart, width_mm: float = 170.0, height_mm: float | None = None) -> bytes:
    """Bars with direct value labels, 95% intervals as error bars, highlighted bars hatched with bold labels,
    and an optional dashed reference line (e.g. the borough figure)."""
    import matplotlib

    height_mm = height_mm or bar_height_mm(chart, width_mm)
    fmt = chart.value_format
    scale = 100.0 if fmt == "pct" else 1.0
    n = len(chart.labels)
    vals = [float(v) * scale for v in chart.values]
    with matplotlib.rc_context(_RC):
        fig = _figure(width_mm, height_mm, constrained=not chart.horizontal)
        ax = fig.add_subplot()
        _style_axes(ax)
        positions = list(range(n))
        if chart.horizontal:
            positions = positions[::-1]  # first label at the top
        colours = [VERMILION if i in chart.highlight else SKY_BLUE for i in range(n)]
        draw = ax.barh if chart.horizontal else ax.bar
        bars = draw(positions, vals, 0.66, color=colours, edgecolor=BLACK, linewidth=0.7, zorder=2)
        ends = list(vals)
        if chart.lower is not None and chart.upper is not None:
            lo = [vals[i] - (float(v) * scale) if v is not None else 0.0 for i, v in enumerate(chart.lower)]
            hi = [(float(v) * scale) - vals[i] if v is not None else 0.0 for i, v in enumerate(chart.upper)]
            err = [[max(0.0, v) for v in lo], [max(0.0, v) for v in hi]]
            ends = [vals[i] + err[1][i] for i in range(n)]
            kw = {"xerr": err} if chart.horizontal else {"yerr": err}
            ax.errorbar(
                [vals[i] for i in range(n)] if chart.horizontal else positions,
                positions if chart.horizontal else vals,
                fmt="none",
                ecolor=BLACK,
                elinewidth=0.9,
                capsize=2.5,
                zorder=4,
                **kw,
            )
        top = max(ends + [chart.reference * scale if chart.reference is not None else 0.0, 0.0])
        # room on the right for the direct labels, which always sit beyond the bar and its whisker
        limit = max(top, 100.0) * 1.12 if fmt == "pct" else top * 1.18 if top > 0 else 1.0
        pad = limit * 0.012
        labels = [format_number(v / scale if fmt == "pct" else v, fmt) for v in vals]
        for i in range(n):
            weight = "bold" if i in chart.highlight else "normal"
            tx = ends[i] + pad
            if chart.horizontal:
                ax.text(
                    tx,
                    positions[i],
                    labels[i],
                    va="center",
                    ha="left",
                    fontweight=weight,
                    color=BLACK,
                    zorder=6,
                    bbox=_LABEL_BOX,
                )
            else:
                ax.text(
                    positions[i], tx, labels[i], ha="center", va="bottom", fontweight=weight, zorder=6, bbox=_LABEL_BOX
                )
        tick_labels = ["\n".join(wrap_label(label, label_chars(width_mm))) for label in chart.labels]
        if chart.reference is not None:
            ref = chart.reference * scale
            line = ax.axvline if chart.horizontal else ax.axhline
            line(ref, color=BLACK, linestyle=(0, (4, 2)), linewidth=1.0, zorder=5)
            text = f"{chart.reference_label} {format_number(chart.reference, fmt)}".strip()
            if chart.horizontal:
                ax.text(ref, n - 0.35, " " + text, ha="left", va="bottom", zorder=6, bbox=_LABEL_BOX)
            else:
                ax.text(n - 0.5, ref, " " + text, ha="left", va="center", zorder=6, bbox=_LABEL_BOX)
        if chart.horizontal:
            ax.set_yticks(positions, tick_labels)
            ax.set_xlim(0, limit)
            ax.set_ylim(-0.6, n - 0.4 + (0.5 if chart.reference is not None else 0))
            ax.grid(axis="x", color=LIGHT_GREY, linewidth=0.6)
            ax.tick_params(axis="y", length=0)
            label_w = max(
                (
                    text_width_pt(part, i in chart.highlight)
                    for i, t in enumerate(tick_labels)
                    for part in t.split("\n")
                ),
                default=10.0,
            )
            _margins(fig, left=label_w + 3.5 + 4, bottom=3 + 3.5 + FONT_SIZE * 1.25 + 2, right=8, top=3)
            # every value label ends inside the plot: on a narrow canvas a label is a larger share of the axis
            plot_pt = width_mm * MM * 72 * ax.get_position().width
            room = [1 - (text_width_pt(labels[i], i in chart.highlight) + 4) / plot_pt for i in range(n)]
            need = [ends[i] / r for i, r in enumerate(room) if r > 0.2 and ends[i] > 0]
            if need and max(need) > limit:
                ax.set_xlim(0, max(need))
            tick_objs = ax.get_yticklabels()
            axis_fmt = ax.xaxis
        else:
            ax.set_xticks(positions, tick_labels, rotation=30 if n > 6 else 0, ha="right" if n > 6 else "center")
            ax.set_ylim(0, limit)
            ax.grid(axis="y", color=LIGHT_GREY, linewidth=0.6)
            tick_objs = ax.get_xticklabels()
            axis_fmt = ax.yaxis
        for i, tick in enumerate(tick_objs):
            if i in chart.highlight:
                tick.set_fontweight("bold")
        if fmt == "pct":
            from matplotlib.ticker import FixedLocator, FuncFormatter

            # every 20%, or every 50% where the value axis is too short for six labels side by side (large print)
            plot_pt = width_mm * MM * 72 * (ax.get_position().width if chart.horizontal else 1.0)
            narrow = chart.horizontal and plot_pt < 6 * (text_width_pt("100%") + FONT_SIZE)
            axis_fmt.set_major_locator(FixedLocator([0, 50, 100] if narrow else [0, 20, 40, 60, 80, 100]))

            axis_fmt.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:.0f}%"))
        else:
            axis_fmt.set_major_formatter(_thousands())
        ax.set_axisbelow(True)
        rects = [bars[i].get_bbox().bounds for i in chart.highlight if 0 <= i < n]
        _hatch(ax, [(r[0], r[1], r[2], r[3]) for r in rects])
        return _to_svg(fig)


def chart_svg(chart: TrendChart | BarChart, width_mm: float, max_height_mm: float | None = None) -> tuple[bytes, float]:
    """The SVG for a chart block and its height in mm (no more than `max_height_mm`, when given: what the page has
    room for)."""
    height = TREND_HEIGHT_MM if isinstance(chart, TrendChart) else bar_height_mm(chart, width_mm)
    if max_height_mm is not None:
        height = max(min(height, max_height_mm), 20.0)
    if isinstance(chart, TrendChart):
        return trend_svg(chart, width_mm, height), height
    return bar_svg(chart, width_mm, height), height


def legend_note(chart: TrendChart | BarChart) -> str:
    """A plain sentence under the chart that says what the marks mean (for readers and for greyscale)."""
    if isinstance(chart, TrendChart):
        parts = ["Solid line: monthly count"]
        if chart.centre is not None:
            parts.append("grey line: the average; dashed lines: the usual range (process limits)")
            if any(chart.special):
                parts.append("triangles: unusual months (special causes; the rules are in About these figures)")
        elif any(v is not None for v in chart.rolling):
            parts.append("dashed line: 12-month average")
        if any(v is None for v in chart.values):
            parts.append("gaps: months the store has no figures for")
        if any(chart.provisional):
            parts.append("open markers on a shaded band: provisional months (may rise when the next edition lands)")
        if chart.comparison is not None:
            parts.append(f"dotted line: {chart.comparison_label or 'comparison'}")
        return (chart.summary + " " if chart.summary else "") + "; ".join(parts) + "."
    parts = []
    if chart.lower is not None:
        parts.append("whiskers show the 95% interval")
    if chart.highlight:
        parts.append("hatched bars with bold labels are highlighted")
    if chart.reference is not None:
        parts.append(f"dashed line: {chart.reference_label or 'reference'}")
    text = "; ".join(parts) + "."
    return text[0].upper() + text[1:] if parts else ""
