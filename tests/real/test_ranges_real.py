"""Issue 13 on the Met's real edition: SPC limits, special causes and funnel positions for Westminster's wards are
computed and stable, and the over-dispersion-aware verdicts only ever soften the old ones."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from desktop.analysis.change import compare_covered
from desktop.analysis.themes import theme_map
from desktop.importers import import_file
from desktop.reports.build_context import make_context
from desktop.reports.options import PackOptions
from desktop.reports.sections_series import ward_comparison
from desktop.reports.series import crime_series, trend_chart
from desktop.settings import Settings
from tests.real import editions as ed

POPULATIONS = "populations/westminster_2022wards_census2021_pop_DERIVED_bestfit.csv"
WEST_END, HYDE_PARK, ST_JAMES = "E05013808", "E05013796", "E05013806"
THEMES = ["all_crime", "theft", "theft_person", "violence", "robbery", "burglary", "drugs", "vehicle"]


@pytest.fixture
def westminster(db: Any, shared_data: Path, tmp_path: Path) -> Any:
    for path in (ed.write_edition(ed.westminster(shared_data), tmp_path / "edition.csv"), shared_data / POPULATIONS):
        result = import_file(db, path)
        assert result.ok, result.message
    return make_context(db, "Westminster", PackOptions(themes=THEMES, public=False), Settings())


def _spc(ctx: Any, code: str) -> Any:
    series = crime_series(ctx, theme_map()["all_crime"])
    return trend_chart(ctx, series, [code], "t", ctx.names[code])


def test_spc_limits_and_special_causes_for_west_end(westminster: Any) -> None:
    ctx = westminster
    chart = _spc(ctx, WEST_END)
    assert chart.months[0] == "2023-07" and chart.months[-1] == "2025-06" and len(chart.months) == 24
    centre, lower, upper = chart.centre[-1], chart.lower[-1], chart.upper[-1]  # type: ignore[index]
    assert centre == pytest.approx(sum(chart.values) / 24)  # type: ignore[arg-type]
    assert (round(lower), round(upper)) == (2063, 4154)
    # December 2023 and December 2024 are above the upper limit (the West End's festive peaks); the first half of
    # 2025 falls month on month
    flagged = {m: s for m, s in zip(chart.months, chart.special, strict=True) if s}
    assert {m for m, s in flagged.items() if s == "high:outside"} >= {"2023-12"}
    assert any(s.startswith("low:") for s in flagged.values())
    assert chart.summary == "June 2025's 2,613 is within the usual range for West End (2,063 to 4,154 a month)."
    assert _spc(ctx, WEST_END).special == chart.special  # stable


def test_spc_for_every_ward_never_flags_a_partial_month(westminster: Any) -> None:
    ctx = westminster
    for code in ctx.ward_codes:
        chart = _spc(ctx, code)
        assert chart.centre is not None, ctx.names[code]
        assert all(not s for s, p in zip(chart.special, chart.provisional, strict=True) if p)


def test_funnel_positions_for_westminster(westminster: Any) -> None:
    ctx = westminster
    wc = ward_comparison(ctx, crime_series(ctx, theme_map()["all_crime"]))
    assert wc.fair is not None
    positions = wc.fair.positions
    assert len(positions) == 18 and wc.fair.footfall == {WEST_END, ST_JAMES}
    assert positions[HYDE_PARK] == "higher"
    judged = [c for c in positions if c not in wc.fair.footfall]
    assert sum(positions[c] == "as expected" for c in judged) == 15
    assert wc.fair.fit.tau2 > 0  # the wards differ by more than chance: the limits are widened
    again = ward_comparison(
        make_context(ctx.db, "Westminster", ctx.options, Settings()), crime_series(ctx, theme_map()["all_crime"])
    )
    assert again.fair is not None and again.fair.positions == positions


def test_new_verdicts_only_soften_the_old(westminster: Any) -> None:
    ctx = westminster
    p = ctx.periods
    old_sig = kept = 0
    for key in THEMES:
        series = crime_series(ctx, theme_map()[key])
        for code in ctx.ward_codes:
            new = series.change(code, p.r12, p.previous)
            if not new.comparable or new.verdict == "too few":
                continue
            old = compare_covered(new.current, new.previous, 12, 12, 12)
            assert not (new.significant and not old.significant)
            if old.significant:
                old_sig += 1
                kept += new.significant
                assert new.p_value is not None and old.p_value is not None and new.p_value >= old.p_value
    assert old_sig > kept > 0
