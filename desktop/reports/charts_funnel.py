"""The funnel plot as vector SVG (Qt-free): every ward's rate per 1,000 residents against its residents, the
borough's target rate, and the 95% and 99.8% limits (analysis/funnel.py). Same rules as charts.py: Okabe-Ito,
never colour alone (the pack's own ward is a large filled square with a bold label, high-footfall wards open
diamonds, wards beyond a limit labelled by name), DejaVu Sans text kept as text."""

from __future__ import annotations

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
from desktop.reports.model import FunnelChart

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
        usual = [p for p in chart.points if not p.highlight and not p.footfall]
        ax.plot(
            [p.population for p in usual], [p.rate for p in usual], linestyle="none", marker="o", markersize=4.2,
            color=BLUE, markeredgecolor=BLACK, markeredgewidth=0.5, zorder=4,
        )  # fmt: skip
        foot = [p for p in chart.points if p.footfall and not p.highlight]
        if foot:
            ax.plot(
                [p.population for p in foot], [p.rate for p in foot], linestyle="none", marker="D", markersize=5,
                markerfacecolor="white", markeredgecolor=BLACK, markeredgewidth=1.0, zorder=4,
            )  # fmt: skip
        own = [p for p in chart.points if p.highlight]
        if own:
            ax.plot(
                [p.population for p in own], [p.rate for p in own], linestyle="none",
                marker="D" if own[0].footfall else "s", markersize=7, color=ORANGE, markeredgecolor=BLACK,
                markeredgewidth=1.1, zorder=5,
            )  # fmt: skip
        top = max([p.rate for p in chart.points] + [max(chart.upper998, default=0.0), chart.target]) * 1.12
        for p in chart.points:
            if p.highlight or p.position != "as expected" or p.footfall:
                ax.annotate(
                    p.label, (p.population, p.rate), xytext=(5, 0), textcoords="offset points", va="center",
                    fontweight="bold" if p.highlight else "normal", color=BLACK, zorder=6,
                    bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.3},
                )  # fmt: skip
        xmax = max([p.population for p in chart.points] + chart.xs) * 1.04
        ax.set_xlim(0, xmax)
        ax.set_ylim(0, top if top > 0 else 1)
        x_right = chart.xs[-1] if chart.xs else xmax
        for y, text in ((chart.upper998[-1] if chart.upper998 else None, "99.8%"), (chart.target, "borough rate")):
            if y is not None:
                ax.annotate(text, (x_right, y), xytext=(2, 3), textcoords="offset points", fontsize=7.5,
                            color=BLACK, ha="right", va="bottom")  # fmt: skip
        ax.xaxis.set_major_formatter(_thousands())
        ax.grid(axis="both", color=LIGHT_GREY, linewidth=0.5)
        ax.set_axisbelow(True)
        ax.set_xlabel("residents")
        ax.set_ylabel(chart.y_label)
        handles = [
            _line_handle(color=GREY, linewidth=1.2, label="Borough rate"),
            _line_handle(color=BLACK, linewidth=0.9, linestyle=(0, (4, 2.5)), label="95% limits"),
            _line_handle(color=BLACK, linewidth=0.9, linestyle=":", label="99.8% limits"),
            _line_handle(color=ORANGE, marker="s", linestyle="none", markeredgecolor=BLACK, label="This ward"),
        ]
        if foot or (own and own[0].footfall):
            handles.append(
                _line_handle(color=BLACK, marker="D", markerfacecolor="white", linestyle="none", label="High footfall")
            )
        if not own:
            handles.pop(3)
        ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(0, 1.0), ncol=len(handles), borderaxespad=0.2)
        tick_w = max((text_width_pt(f"{t:,.0f}") for t in ax.get_yticks()), default=20.0)
        line_h = FONT_SIZE * 1.25
        label_w = max((text_width_pt(p.label) for p in chart.points), default=20.0)
        _margins(
            fig,
            left=tick_w + 3 + 3.5 + line_h + 6,
            bottom=3 + 3.5 + 2 * line_h + 4,
            right=min(label_w, 90.0) * 0.5 + 6,
            top=line_h + 9,
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
        "the range expected for its size; small wards scatter more by chance, so the funnel is wider for them."
        + adjusted
    )
