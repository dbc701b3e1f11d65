"""Issue 12: a ward name of 100+ characters without spaces (it comes in through the ONS lookup) once made every
pack of its borough fail with "ValueError: left cannot be >= right". Long names now wrap or are shortened."""

from __future__ import annotations

import re

import pytest

from desktop.reports import charts
from desktop.reports.model import BarChart

LONG = "Knightsbridge" * 9  # 117 characters, no spaces
NAMES = ["West End", LONG, "St James's", "x" * 400, "Hyde Park " * 30]


def _texts(svg: bytes) -> list[str]:
    return [re.sub(r"<[^>]+>", "", t) for t in re.findall(r"<text[^>]*>(.*?)</text>", svg.decode(), re.S)]


@pytest.mark.parametrize("horizontal", [True, False])
def test_a_bar_chart_with_very_long_names_draws(horizontal: bool) -> None:
    chart = BarChart("Rate per 1,000", NAMES, [1.0, 2.0, 3.0, 4.0, 5.0], horizontal=horizontal, highlight=[1])
    svg = charts.bar_svg(chart)  # today: ValueError: left cannot be >= right
    texts = _texts(svg)
    assert "West End" in texts and "St James's" in texts
    assert all(len(t) <= 34 for t in texts if t.startswith(("Knights", "xxx")))
    assert any(t.endswith("…") for t in texts)  # shortened, and says so


def test_long_labels_wrap_break_and_shorten() -> None:
    from desktop.reports.chart_labels import MAX_LABEL_LINES, wrap_label

    assert wrap_label("Knightsbridge & Belgravia", 34) == ["Knightsbridge & Belgravia"]
    lines = wrap_label(LONG, 34)
    assert len(lines) == MAX_LABEL_LINES and all(len(line) <= 34 for line in lines)
    assert lines[0].endswith("-") and lines[-1].endswith("…")
    assert wrap_label("", 34) == [""]
