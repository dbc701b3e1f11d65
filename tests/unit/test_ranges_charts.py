"""SPC and funnel charts draw as vector SVG with their meaning in words and shapes (greyscale-safe)."""

from __future__ import annotations

from desktop.analysis.spc import spc
from desktop.reports import charts, charts_funnel
from desktop.reports.model import FunnelChart, FunnelPoint, TrendChart

MONTHS = [f"{2023 + i // 12}-{i % 12 + 1:02d}" for i in range(24)]


def _spc_chart() -> TrendChart:
    values: list[float | None] = [100.0 + (i * 7) % 11 for i in range(24)]
    values[10] = 190.0
    prov = [False] * 23 + [True]
    res = spc(MONTHS, values, prov)
    chart = TrendChart("t", MONTHS, values, [None] * 24, prov)
    chart.centre = [lim.centre if lim else None for lim in res.limits]
    chart.upper = [lim.upper if lim else None for lim in res.limits]
    chart.lower = [max(0.0, lim.lower) if lim else None for lim in res.limits]
    chart.special = [f"{s.side}:{s.rule}" if (s := res.signal(i)) else "" for i in range(24)]
    chart.summary = "June 2024's 104 is within the usual range for X (60 to 150 a month)."
    return chart


def test_spc_chart_names_its_lines_and_special_causes_in_words() -> None:
    chart = _spc_chart()
    assert chart.special[10] == "high:outside"
    svg = charts.trend_svg(chart).decode("utf-8")
    for word in ("upper limit", "lower limit", "average", "beyond limit", "Unusually high"):
        assert word in svg, word
    note = charts.legend_note(chart)
    assert note.startswith("June 2024's 104 is within the usual range") and "triangles" in note


def test_funnel_chart_draws_labels_and_off_scale_wards() -> None:
    xs = [5000.0 + 500 * i for i in range(20)]
    chart = FunnelChart(
        "f",
        [
            FunnelPoint("Abbey Road", 9000, 80.0, "as expected"),
            FunnelPoint("Hyde Park", 9500, 160.0, "higher", highlight=True),
            FunnelPoint("West End", 11000, 3400.0, "higher", footfall=True),
        ],
        100.0,
        xs,
        [80.0] * 20,
        [120.0] * 20,
        [70.0] * 20,
        [130.0] * 20,
        adjusted=True,
    )
    svg = charts_funnel.funnel_svg(chart).decode("utf-8")
    assert "Hyde Park" in svg and "West End (3,400, off the scale)" in svg and "99.8% limits" in svg
    assert "Abbey Road" not in svg  # a ward within the limits is a dot, not a label
    assert "Spiegelhalter" in charts_funnel.funnel_note(chart)
