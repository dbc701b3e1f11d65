"""The funnel plot as vector SVG (Qt-free): every ward's rate per 1,000 residents against its residents, the
borough's target rate, and the 95% and 99.8% limits (analysis/funnel.py). Same rules as charts.py: Okabe-Ito,
never colour alone (the pack's own ward is a large filled square with a bold label, high-footfall wards open
diamonds, wards beyond a limit labelled by name), DejaVu Sans text kept as text."""

from __future__ import annotations

import math

from desktop.reports.charts_style import (
    _RC,
    BLACK,
    BLUE,
    FONT_SIZE,
    GREY,
    LIGHT_GREY,
    ORANGE,
    _figure,
    _line_handle,
    _margins,
    _style_axes,
    _thousands,
    _to_svg,
    text_width_pt,
)
from desktop.reports.model import FunnelChart, FunnelPoint

FUNNEL_HEIGHT_MM = 85.0


def funnel_svg(chart: FunnelChart, width_mm: float = 170.0, height_mm: float = FUNNEL_HEIGHT_MM) -> bytes:
    import matplotlib

    with matplotlib.rc_context(_RC):
        fig = _figure(width_mm, height_mm)
        ax = fig.add_subplot()
        _style_axes(ax)
        ax.axhline(chart.target, color=GREY, linewidth=1.2, zorder=2)
        ax.plot(chart.xs, chart.upper95, color=BLACK, linewidth=0.9, linestyle=(0, (4, 2.5)), zorder=2)
        ax.plot(chart.xs, chart.lower95, color=BLACK, linewidth=0.9, linestyle=(0, (4, 2.5)), zorder=2)
        ax.plot(chart.xs, chart.upper998, color=BLACK, linewidth=0.9, linestyle=":", zorder=2)
        ax.plot(chart.xs, chart.lower998, color=BLACK, linewidth=0.9, linestyle=":", zorder=2)
        # the scale is set by the wards judged and the limits; a high-footfall ward far above them is drawn at the
        # top edge as an arrow with its rate written beside it (else every other ward is squashed flat at the bottom)
        judged = [p.rate for p in chart.points if not p.footfall]
        top = max(judged + [max(chart.upper998, default=0.0), chart.target, 0.0]) * 1.3 or 1.0
        ceiling = top * 0.97

        def y_of(p: FunnelPoint) -> float:
            return min(p.rate, ceiling)

        usual = [p for p in chart.points if not p.highlight and not p.footfall]
        ax.plot(
            [p.population for p in usual], [p.rate for p in usual], linestyle="none", marker="o", markersize=4.2,
            color=BLUE, markeredgecolor=BLACK, markeredgewidth=0.5, zorder=4,
        )  # fmt: skip
        foot = [p for p in chart.points if p.footfall and not p.highlight]
        for p in foot:
            ax.plot(
                [p.population], [y_of(p)], linestyle="none", marker="^" if p.rate > ceiling else "D",
                markersize=6, markerfacecolor="white", markeredgecolor=BLACK, markeredgewidth=1.0, zorder=4,
            )  # fmt: skip
        own = [p for p in chart.points if p.highlight]
        for p in own:
            ax.plot(
                [p.population], [y_of(p)], linestyle="none", marker="^" if p.rate > ceiling else "s",
                markersize=7.5, color=ORANGE, markeredgecolor=BLACK, markeredgewidth=1.1, zorder=5,
            )  # fmt: skip
        off = 0  # wards off the scale share the top edge: their labels are stacked downwards
        for p in chart.points:
            if p.highlight or p.position != "as expected" or p.footfall:
                dy = 0.0
                if p.rate > ceiling:
                    text = f"{p.label} ({p.rate:,.0f}, off the scale)"
                    dy = -FONT_SIZE * 1.3 * off
                    off += 1
                else:
                    text = p.label
                ax.annotate(
                    text, (p.population, y_of(p)), xytext=(6, dy), textcoords="offset points", va="center",
                    fontweight="bold" if p.highlight else "normal", color=BLACK, zorder=6,
                    bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.3},
                )  # fmt: skip
        xmax = max([p.population for p in chart.points] + chart.xs) * 1.04
        ax.set_xlim(0, xmax)
        ax.set_ylim(0, top)
        ax.xaxis.set_major_formatter(_thousands())
        ax.grid(axis="both", color=LIGHT_GREY, linewidth=0.5)
        ax.set_axisbelow(True)
        ax.set_xlabel("residents")
        ax.set_ylabel(chart.y_label)
        handles = [
            _line_handle(color=GREY, linewidth=1.2, label="Borough rate (high footfall left out)"),
            _line_handle(color=BLACK, linewidth=0.9, linestyle=(0, (4, 2.5)), label="95% limits"),
            _line_handle(color=BLACK, linewidth=0.9, linestyle=":", label="99.8% limits"),
            _line_handle(color=ORANGE, marker="s", linestyle="none", markeredgecolor=BLACK, label="This ward"),
        ]
        if foot:
            handles.append(
                _line_handle(color=BLACK, marker="D", markerfacecolor="white", linestyle="none", label="High footfall")
            )
        if not own:
            handles.pop(3)
        ncol = min(3, len(handles))
        rows = math.ceil(len(handles) / ncol)
        ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(0, 1.0), ncol=ncol, borderaxespad=0.2)
        tick_w = max((text_width_pt(f"{t:,.0f}") for t in ax.get_yticks()), default=20.0)
        line_h = FONT_SIZE * 1.25
        label_w = max((text_width_pt(p.label) for p in chart.points), default=20.0)
        _margins(
            fig,
            left=tick_w + 3 + 3.5 + line_h + 6,
            bottom=3 + 3.5 + 2 * line_h + 4,
            right=min(label_w, 90.0) * 0.5 + 6,
            top=rows * line_h + 9,
        )
        return _to_svg(fig)


def funnel_note(chart: FunnelChart) -> str:
    adjusted = (
        " The limits are widened for the extra variation between wards that chance alone does not explain "
        "(Spiegelhalter's method)."
        if chart.adjusted
        else ""
    )
    return (
        "Each dot is a ward: its rate against its number of residents. Solid line: the borough rate (high-footfall "
        "wards left out); dashed curves: 95% limits; dotted curves: 99.8% limits. A ward inside the curves is within "
        "the range expected for its size; small wards scatter more by chance, so the funnel is wider for them. "
        "High-footfall wards (open diamonds; a triangle at the top edge when far off the scale) are drawn but not "
        "judged: their visitors are not residents." + adjusted
    )
