"""Charts are vector SVG, text stays text, colour is never the only signal, and no raster or pattern sneaks in."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from desktop.reports import charts
from desktop.reports.model import BarChart, TrendChart
from tests.data.sample_pack import VCOP_RIGHTS, sample_pack


def _trend() -> TrendChart:
    months = [f"2024-{m:02d}" for m in range(1, 13)] + [f"2025-{m:02d}" for m in range(1, 8)]
    values: list[float | None] = [100.0 + i for i in range(len(months))]
    rolling: list[float | None] = [None] * 11 + [105.0] * (len(months) - 11)
    return TrendChart("Theft", months, values, rolling, [False] * (len(months) - 1) + [True])


def _texts(svg: bytes) -> list[str]:
    return [re.sub(r"<[^>]+>", "", t) for t in re.findall(r"<text[^>]*>(.*?)</text>", svg.decode(), re.S)]


def test_trend_is_vector_with_text_as_text() -> None:
    svg = charts.trend_svg(_trend())
    assert svg.startswith(b"<?xml")
    assert b"<image" not in svg and b"<pattern" not in svg  # QtSvg would rasterise these
    texts = _texts(svg)
    assert "12-month average" in texts and "Provisional (shaded)" in texts
    assert "Jan 25" in texts  # month ticks are words, not numbers
    assert "DejaVu Sans" in svg.decode()


def test_trend_marks_provisional_months_and_average_differently() -> None:
    svg = charts.trend_svg(_trend()).decode()
    assert "stroke-dasharray" in svg  # the 12-month average is dashed
    assert 'fill="#ffffff"' in svg or "fill: #ffffff" in svg  # open markers for the provisional month
    assert "provisional" in charts.legend_note(_trend())


def test_every_text_has_an_explicit_weight() -> None:
    svg = charts.trend_svg(_trend()).decode()
    tags = re.findall(r"<text style=\"[^\"]*\"", svg)
    assert tags and all("font-weight" in t for t in tags)


def test_bar_chart_highlight_is_hatched_and_bold_not_colour_alone() -> None:
    chart = BarChart(
        "Victims' Code",
        VCOP_RIGHTS,
        [0.9, 0.8, 0.7, 0.6, 0.13, 0.5, 0.58, 0.66, 0.49, 0.41, 0.37, 0.52],
        lower=[v - 0.05 for v in [0.9, 0.8, 0.7, 0.6, 0.13, 0.5, 0.58, 0.66, 0.49, 0.41, 0.37, 0.52]],
        upper=[v + 0.05 for v in [0.9, 0.8, 0.7, 0.6, 0.13, 0.5, 0.58, 0.66, 0.49, 0.41, 0.37, 0.52]],
        highlight=[4],
        value_format="pct",
        reference=0.62,
        reference_label="London",
    )
    plain = charts.bar_svg(BarChart(**{**chart.__dict__, "highlight": []})).decode()
    svg = charts.bar_svg(chart).decode()
    assert svg.count("<path") > plain.count("<path")  # hatching added as line segments
    assert "<pattern" not in svg
    bold = re.findall(r'<text style="[^"]*font-weight: 700[^"]*"[^>]*>(.*?)</text>', svg, re.S)
    assert any("compensation" in b for b in bold) and any("13%" in b for b in bold)
    texts = _texts(svg.encode())
    assert "91%" not in texts and "90%" in texts  # direct value labels
    assert any("London 62%" in t for t in texts)
    assert "95% interval" in charts.legend_note(chart)


def test_bar_height_grows_with_labels() -> None:
    few = BarChart("x", ["a", "b"], [1, 2])
    many = BarChart("x", [f"label {i}" for i in range(12)], list(range(12)))
    assert charts.bar_height_mm(many) > charts.bar_height_mm(few)


def test_charts_for_the_sample_pack_render_and_are_small() -> None:
    pack = sample_pack()
    blocks = [b for s in pack.sections for b in s.blocks if isinstance(b, TrendChart | BarChart)]
    assert blocks
    for block in blocks:
        svg, height = charts.chart_svg(block, 180)
        assert 20 < height < 240
        assert len(svg) < 80_000


def test_charts_module_is_qt_free_and_uses_no_pyplot() -> None:
    charts.trend_svg(_trend())
    assert "matplotlib.pyplot" not in sys.modules
    source = Path(charts.__file__).read_text(encoding="utf-8")
    assert "PySide6" not in source and "pyplot" not in source.replace("no pyplot", "")


def test_edge_cases_do_not_crash() -> None:
    assert charts.trend_svg(TrendChart("empty", [], [], [], []))
    assert charts.trend_svg(TrendChart("gaps", ["2025-01", "2025-02"], [None, None], [None, None], [False, True]))
    assert charts.bar_svg(BarChart("zeros", ["a"], [0.0]))
    assert charts.bar_svg(BarChart("one", ["only"], [0.5], lower=[None], upper=[None], value_format="pct"))
    assert charts.bar_svg(
        BarChart("vertical", [f"w{i}" for i in range(9)], list(range(9)), horizontal=False, highlight=[3])
    )
    assert charts.bar_svg(BarChart("rate", ["a", "b"], [1.25, 3.5], value_format="rate", reference=2.0))


def test_legend_note_keeps_proper_nouns() -> None:
    note = charts.legend_note(BarChart("x", ["a"], [0.5], reference=0.6, reference_label="London", value_format="pct"))
    assert note.endswith("line: London.")
