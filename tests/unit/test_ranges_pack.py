"""SPC charts, funnel comparisons and variation icons in built packs, on a synthetic borough of eight wards; and
disclosure control over every new figure: a hidden count never reaches a limit, a funnel point or a sentence."""

from __future__ import annotations

from typing import Any

import pytest

from desktop.analysis import funnel
from desktop.analysis.periods import add_months
from desktop.reports.build import build_overview, build_pack
from desktop.reports.build_context import make_context
from desktop.reports.model import Bullets, FunnelChart, Pack, Paragraph, Tiles, TrendChart
from desktop.reports.options import PackOptions
from desktop.reports.sections_series import crime_series, ward_comparison
from desktop.settings import Settings
from desktop.store.schema import derive_source_months

BOROUGH = "Westminster"
START = "2022-07"
MONTHS = [add_months(START, i) for i in range(37)]  # 36 complete to 2025-06, then a partial 2025-07
PARTIAL = "2025-07"
# code, name, residents, theft a month; ward 5 has one sexual offence in the last year (a hidden count)
WARDS = [(f"E0500010{i}", name, pop, base) for i, (name, pop, base) in enumerate([
    ("Abbey Road", 12_000, 40), ("Bayswater", 15_000, 55), ("Church Street", 11_000, 38), ("Harrow Road", 13_000, 45),
    ("Hyde Park", 9_000, 90), ("Lancaster Gate", 10_000, 36), ("Maida Vale", 14_000, 41), ("West End", 11_000, 900),
])]  # fmt: skip
THEMES = ["all_crime", "theft", "sexual_offences"]


def _theft(w: int, m: int) -> int:
    base = WARDS[w][3]
    spike = 3 * base if (w == 1 and m == 30) else 0  # Bayswater: one unusual month, a special cause
    return base + (m * 7 + w * 3) % 9 - 4 + spike


def _sexual(w: int, m: int) -> int:
    if w == 5:
        return 1 if m == 30 else 0  # R12 = 1: hidden in a public pack
    return 2 + (m + w) % 3


def fill(db: Any) -> None:
    db.execute(
        "INSERT INTO source (id, kind, file_name, sha256, imported_at, first_month, last_month, partial_months) "
        f"VALUES (1, 'mps_crime', 'mps.csv', 'a', '2025-08-01T10:00:00', ?, ?, '[\"{PARTIAL}\"]')",
        [START, PARTIAL],
    )
    for code, name, pop, _ in WARDS:
        db.execute(
            "INSERT INTO ward (code, name, borough_name, population, population_source) VALUES (?, ?, ?, ?, ?)",
            [code, name, BOROUGH, pop, "test"],
        )
    rows = []
    for w, (code, *_rest) in enumerate(WARDS):
        for m, month in enumerate(MONTHS):
            partial = month == PARTIAL
            for major, minor, count in (
                ("THEFT", "SHOPLIFTING", _theft(w, m)),
                ("SEXUAL OFFENCES", "OTHER SEXUAL OFFENCES", _sexual(w, m)),
            ):
                rows.append((1, code, month, "mps", major, minor, count // 10 if partial else count, int(partial)))
    db.conn.executemany(
        "INSERT INTO crime_count (source_id, ward_code, month, taxonomy, category, subcategory, count, partial) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    derive_source_months(db)
    db.conn.commit()


@pytest.fixture
def borough(db: Any) -> Any:
    fill(db)
    return db


def _blocks(pack: Pack, kind: type) -> list[Any]:
    return [b for s in pack.sections for b in s.blocks if isinstance(b, kind)]


def test_monthly_charts_are_spc_charts(borough: Any) -> None:
    pack = build_pack(borough, "E05000101", PackOptions(themes=THEMES, public=False), Settings())
    charts = _blocks(pack, TrendChart)
    assert charts and all(c.centre is not None and c.upper is not None for c in charts)
    theft = next(c for c in charts if c.title.startswith("Theft"))
    i = theft.months.index(add_months(START, 30))
    assert theft.special[i] == "high:outside"  # Bayswater's spike month
    assert theft.provisional[-1] and theft.special[-1] == ""  # the partial month is never a special cause
    assert theft.summary.startswith("June 2025's ") and "usual range for Bayswater" in theft.summary


def test_tiles_show_a_variation_icon_and_words(borough: Any) -> None:
    pack = build_pack(borough, "E05000101", PackOptions(themes=THEMES, public=False), Settings())
    tiles = _blocks(pack, Tiles)[0].tiles
    crime = tiles[0]
    assert crime.variation in ("concern", "improvement", "common")
    assert crime.significance  # the words are always there beside the icon


def test_funnel_positions_in_table_sentences_and_chart(borough: Any) -> None:
    pack = build_pack(borough, "E05000105", PackOptions(themes=THEMES, public=False), Settings())
    funnels = _blocks(pack, FunnelChart)
    assert funnels
    chart = funnels[0]
    names = [p.label for p in chart.points]
    assert "West End" in names and next(p for p in chart.points if p.label == "West End").footfall
    assert next(p for p in chart.points if p.label == "Lancaster Gate").highlight
    text = " ".join(i for b in _blocks(pack, Bullets) for i in b.items)
    assert "Compared fairly with the borough's other wards, Lancaster Gate's" in text
    overview = build_overview(borough, BOROUGH, PackOptions(themes=THEMES, public=False), Settings())
    assert _blocks(overview, FunnelChart)
    table = next(t for t in overview.tables() if t.key == "wards_all_crime")
    col = [c.name for c in table.columns].index("For its size")
    we = next(r for r in table.rows if r[0] == "West End")
    assert we[col] == "high footfall: not judged"
    hyde = next(r for r in table.rows if r[0] == "Hyde Park")
    assert hyde[col] == "higher than expected"  # twice the others' rate for its size
    lines = " ".join(i for b in _blocks(overview, Bullets) for i in b.items)
    assert "Higher than expected for its size: Hyde Park." in lines and "Not judged" in lines


def test_hidden_count_never_reaches_a_limit_point_or_sentence(borough: Any) -> None:
    options = PackOptions(themes=THEMES, public=True)
    ctx = make_context(borough, BOROUGH, options, Settings())
    series = crime_series(ctx, next(t for t in ctx.themes if t.key == "sexual_offences"))
    wc = ward_comparison(ctx, series)
    hidden = "E05000105"
    assert hidden in wc.hidden
    assert wc.fair is not None and hidden not in wc.fair.positions and hidden not in wc.fair.counts
    # the target rate comes only from counts the pack shows (and footfall wards are left out of it)
    shown = {c: v for c, v in wc.r12.items() if c not in wc.hidden and c not in wc.fair.footfall}
    pops = {c: p for c, p in ctx.populations.items() if c in shown}
    assert wc.fair.fit.target == pytest.approx(sum(shown.values()) / sum(v or 0 for v in pops.values()))
    # refit without the hidden ward at all: the same limits, so they carry nothing about its count
    refit = funnel.fit({c: float(v) for c, v in wc.r12.items() if c != hidden}, {
        c: float(p or 0) for c, p in ctx.populations.items()}, wc.fair.footfall)  # fmt: skip
    assert refit is not None and refit.tau2 == pytest.approx(wc.fair.fit.tau2)
    # changing the hidden count changes nothing the pack shows about other wards
    pack = build_pack(borough, hidden, options, Settings())
    section = next(s for s in pack.sections if s.key == "theme:sexual_offences")
    assert not any(isinstance(b, FunnelChart | TrendChart) for b in section.blocks)  # a table says "<5"
    table = next(b for b in section.blocks if getattr(b, "key", "") == "wards_sexual_offences")
    row = next(r for r in table.rows if r[0] == "Lancaster Gate")
    assert row[1] == "<5" and row[-1] == ""
    text = " ".join(i for b in section.blocks if isinstance(b, Bullets) for i in b.items)
    assert "usual range" not in text and "per 1,000 residents is" not in text
    assert any(isinstance(b, Paragraph) for b in section.blocks)
    # ... and any monthly chart shown in a public pack shows only counts a reader may see anyway
    for chart in _blocks(pack, TrendChart):
        assert not any(0 < (v or 0) < 5 for v in chart.values) or "Sexual" not in chart.title


def test_spc_restarts_only_where_the_theme_itself_changed_meaning() -> None:
    import pandas as pd

    from desktop.analysis.breaks import Break
    from desktop.reports.series import Series, restart_months

    frame = pd.DataFrame(columns=["ward_code", "month", "group", "count"])
    brk = Break("violence against the person", ("a",), ("b",), "2024-07")
    inside = Series("v", "Violence", "recorded crimes", frame, {}, [], breaks=[brk], frozen={"a": "relabelled"})
    assert restart_months(inside) == []  # rows relabelled inside the theme: its monthly total is unbroken
    broken = Series("v", "Violence", "recorded crimes", frame, {}, [], breaks=[brk], broken="relabelled")
    assert restart_months(broken) == ["2024-07"]
