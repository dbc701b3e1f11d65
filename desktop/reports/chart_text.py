"""Charts in words (Qt-free): the text description a screen reader gives for a chart, and the chart's figures as
table rows, both made from the same numbers the chart draws (so they show nothing the chart does not: a public
pack's disclosure plan has already decided what the chart holds).

The description says what the chart shows, its latest value and the verdict (DESIGN.md §6, issue 16), e.g.
"Line chart of all recorded crime in West End, by month: recorded crimes a month from July 2023 to June 2025
(24 months), with the 12-month average. Latest complete month, June 2025: 2,944 (12-month average 3,012).
Highest: 3,514 in December 2023; lowest: 2,396 in August 2023. All recorded crime fell ... (-6%)."
"""

from __future__ import annotations

import math
from typing import Literal

from desktop.months import month_label
from desktop.reports.charts import format_number
from desktop.reports.model import BarChart, CellValue, Column, FunnelChart, MapChart, TrendChart


def _num(value: float | None, fmt: str = "int") -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "no figure"
    return format_number(value, fmt)


def _sentence(text: str) -> str:
    text = " ".join(str(text).split())
    if not text:
        return ""
    return text if text.endswith((".", "!", "?")) else text + "."


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text


def describe(chart: TrendChart | BarChart | FunnelChart | MapChart) -> str:
    """A few plain sentences: what the chart shows, its latest (or this area's) value, and the verdict."""
    if isinstance(chart, TrendChart):
        return _describe_trend(chart)
    if isinstance(chart, MapChart):
        return _describe_map(chart)
    if isinstance(chart, FunnelChart):
        return _describe_funnel(chart)
    return _describe_bars(chart)


def _describe_map(chart: MapChart) -> str:
    """A map in words: what is shaded and each area's printed value (the same numbers the map prints)."""
    shaded = [a for a in chart.areas if a.shade >= 0 and a.label]
    out = [_sentence(f"Map of {_lower_first(chart.title)}: {len(chart.areas)} areas")]
    if chart.focus:
        out.append(_sentence(f"The area in focus, outlined in bold: {', '.join(a.name for a in chart.focus)}"))
    if shaded:
        listed = "; ".join(f"{a.name}: {a.label}" for a in shaded[:12])
        more = f" and {len(shaded) - 12} more (see the table)" if len(shaded) > 12 else ""
        out.append(_sentence(f"{chart.legend_title or 'Values'} by area: {listed}{more}"))
    if chart.markers:
        out.append(_sentence(f"{len(chart.markers)} numbered markers show the places listed in the table below it"))
    if chart.alt_text:
        out.append(_sentence(chart.alt_text))
    return " ".join(out)


def _describe_funnel(chart: FunnelChart) -> str:
    n = len(chart.points)
    out = [
        _sentence(
            f"Funnel plot of {_lower_first(chart.title)}: {n} ward{'s' if n != 1 else ''}, each ward's rate "
            f"{chart.y_label} against its number of residents, with the borough rate of {_num(chart.target, 'rate')} "
            "and limits showing the range expected for a ward of that size"
        )
    ]
    for point in chart.points:
        if point.highlight:
            out.append(_sentence(f"{point.label}: {_num(point.rate, 'rate')}, {point.position} for its size"))
    outside = [p for p in chart.points if not p.footfall and p.position not in ("as expected", "within")]
    if outside:
        listed = "; ".join(f"{p.label} ({p.position})" for p in outside)
        out.append(_sentence(f"Outside the expected range: {listed}"))
    footfall = [p.label for p in chart.points if p.footfall]
    if footfall:
        out.append(_sentence(f"High-footfall wards drawn but not judged: {', '.join(footfall)}"))
    return " ".join(out)


def _describe_trend(chart: TrendChart) -> str:
    months = chart.months
    if not months:
        return _sentence(f"Line chart of {_lower_first(chart.title)}: no months to show")
    parts = [
        f"Line chart of {_lower_first(chart.title)}: {chart.y_label} from {month_label(months[0])} to "
        f"{month_label(months[-1])} ({len(months)} months)"
    ]
    if any(v is not None for v in chart.rolling):
        parts[0] += ", with the 12-month average"
    if chart.comparison is not None:
        parts[0] += f" and {chart.comparison_label or 'a comparison'}"
    out = [_sentence(parts[0])]
    prov = list(chart.provisional) + [False] * (len(months) - len(chart.provisional))
    firm = [i for i, v in enumerate(chart.values) if v is not None and not prov[i]]
    if firm:
        last = firm[-1]
        text = f"Latest complete month, {month_label(months[last])}: {_num(chart.values[last])}"
        rolling = chart.rolling[last] if last < len(chart.rolling) else None
        if rolling is not None:
            text += f" (12-month average {_num(rolling)})"
        out.append(_sentence(text))
        high = max(firm, key=lambda i: (chart.values[i] or 0.0, i))
        low = min(firm, key=lambda i: (chart.values[i] or 0.0, -i))
        out.append(
            f"Highest: {_num(chart.values[high])} in {month_label(months[high])}; "
            f"lowest: {_num(chart.values[low])} in {month_label(months[low])}."
        )
    gaps = [months[i] for i, v in enumerate(chart.values) if v is None]
    if gaps:
        out.append(_sentence(f"No figures for {len(gaps)} month{'s' if len(gaps) != 1 else ''}"))
    provisional = [months[i] for i in range(len(months)) if prov[i]]
    if provisional:
        names = ", ".join(month_label(m) for m in provisional)
        out.append(_sentence(f"Provisional, not yet complete: {names}"))
    if chart.summary:  # the usual range (statistical process control)
        out.append(_sentence(chart.summary))
    if chart.verdict:
        out.append(_sentence(chart.verdict))
    return " ".join(out)


def _describe_bars(chart: BarChart) -> str:
    n = len(chart.labels)
    fmt = chart.value_format
    kind = "Bar chart"
    out = [_sentence(f"{kind} of {_lower_first(chart.title)}: {n} bar{'s' if n != 1 else ''}")]
    if n:
        order = sorted(range(n), key=lambda i: -chart.values[i])
        top, bottom = order[0], order[-1]
        out.append(
            f"Highest: {chart.labels[top]}, {_num(chart.values[top], fmt)}; "
            f"lowest: {chart.labels[bottom]}, {_num(chart.values[bottom], fmt)}."
        )
    for i in chart.highlight:
        if 0 <= i < n:
            out.append(_sentence(f"Highlighted: {chart.labels[i]}, {_num(chart.values[i], fmt)}"))
    if chart.reference is not None:
        out.append(_sentence(f"{(chart.reference_label or 'Reference').capitalize()}: {_num(chart.reference, fmt)}"))
    if chart.lower is not None:
        out.append("Whiskers show the 95% interval.")
    verdict = chart.verdict or chart.alt_text
    if verdict:
        out.append(_sentence(verdict))
    return " ".join(out)


def data_table(
    chart: TrendChart | BarChart | FunnelChart | MapChart,
) -> tuple[list[Column], list[list[CellValue]]]:
    """The chart's figures as a table: columns and rows (numbers stay numbers; pct charts hold proportions)."""
    if isinstance(chart, MapChart):
        areas = [a for a in chart.areas if a.label]
        shade = {i: label for i, label in enumerate(chart.classes)}
        columns = [Column("Area"), Column(chart.legend_title or "Value"), Column("Class")]
        return columns, [[a.name, a.label, shade.get(a.shade, "not shaded")] for a in areas]
    if isinstance(chart, FunnelChart):
        columns = [Column("Ward"), Column("Residents", "int"), Column("Rate per 1,000", "rate"), Column("For its size")]
        points = sorted(chart.points, key=lambda p: p.label)
        return columns, [[p.label, p.population, p.rate, "not judged" if p.footfall else p.position] for p in points]
    if isinstance(chart, TrendChart):
        columns = [Column("Month"), Column(chart.y_label[:1].upper() + chart.y_label[1:], "int")]
        has_rolling = any(v is not None for v in chart.rolling)
        if has_rolling:
            columns.append(Column("12-month average", "int"))
        if chart.comparison is not None:
            columns.append(Column(chart.comparison_label or "Comparison", "int"))
        if any(chart.provisional):
            columns.append(Column("Provisional"))
        rows: list[list[CellValue]] = []
        for i, month in enumerate(chart.months):
            row: list[CellValue] = [month_label(month), chart.values[i] if i < len(chart.values) else None]
            if has_rolling:
                row.append(chart.rolling[i] if i < len(chart.rolling) else None)
            if chart.comparison is not None:
                row.append(chart.comparison[i] if i < len(chart.comparison) else None)
            if any(chart.provisional):
                row.append("yes" if i < len(chart.provisional) and chart.provisional[i] else "")
            rows.append(row)
        return columns, rows
    fmt: Literal["pct", "rate", "int"] = chart.value_format
    columns = [Column("Category"), Column("Value", fmt)]
    if chart.lower is not None and chart.upper is not None:
        columns += [Column("95% interval from", fmt), Column("to", fmt)]
    rows = []
    for i, label in enumerate(chart.labels):
        row = [label, chart.values[i]]
        if chart.lower is not None and chart.upper is not None:
            row += [chart.lower[i], chart.upper[i]]
        rows.append(row)
    return columns, rows
