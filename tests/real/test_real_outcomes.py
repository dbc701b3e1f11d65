"""Outcome shares in the pack equal an independent pandas count of the real police.uk files (issue 14)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from desktop.analysis.outcomes import GROUPS, group_of
from desktop.importers.demo import load_demo
from desktop.reports.build import build_pack
from desktop.reports.model import Table
from desktop.reports.options import PackOptions
from desktop.settings import Settings
from desktop.store import open_store

pytestmark = pytest.mark.real
WEST_END = "E05013808"
LOOKUP = "ons/LSOA_(2021)_to_Electoral_Ward_(2025)_to_LAD_(2025)_Best_Fit_Lookup_in_EW_v2.csv"


def _independent(shared: Path) -> tuple[dict[str, int], dict[str, int]]:
    """West End's and Westminster's crimes by outcome group, from the whole Met burglary files (not the demo cut)."""
    lookup = pd.read_csv(shared / LOOKUP, encoding="utf-8-sig", dtype=str)
    street = pd.read_csv(shared / "policeuk/2024-01-metropolitan-street.BURGLARY-ONLY.csv", dtype=str)
    outcomes = pd.read_csv(shared / "policeuk/2024-01-metropolitan-outcomes.BURGLARY-ONLY.csv", dtype=str)
    street = street.merge(lookup[["LSOA21CD", "WD25CD", "LAD25NM"]], left_on="LSOA code", right_on="LSOA21CD")
    street = street[street["LAD25NM"] == "Westminster"]
    latest = outcomes.sort_values("Month").drop_duplicates("Crime ID", keep="last").set_index("Crime ID")
    final = street["Crime ID"].map(latest["Outcome type"]).fillna(street["Last outcome category"])
    street = street.assign(group=[group_of(v) for v in final])
    ward = street[street["WD25CD"] == WEST_END]["group"].value_counts().to_dict()
    borough = street["group"].value_counts().to_dict()
    return ward, borough


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """West End's outcomes section, from the demo store (its police.uk files are the real Met burglary files cut
    to Westminster)."""
    db: Any = open_store(tmp_path_factory.mktemp("outcomes") / "wardbrief.db")
    try:
        assert all(r.ok for r in load_demo(db))
        pack = build_pack(db, WEST_END, PackOptions(), Settings())
    finally:
        db.close()
    return next(s for s in pack.sections if s.key == "outcomes")


def test_outcome_shares_equal_an_independent_pandas_count(shared_data: Path, outcomes: Any) -> None:
    section = outcomes
    table = next(b for b in section.blocks if isinstance(b, Table))
    ward, borough = _independent(shared_data)
    ward_n, borough_n = sum(ward.values()), sum(borough.values())
    assert ward_n == 70 and borough_n == 282
    for row in table.rows:
        group = str(row[0])
        assert group in GROUPS
        assert row[1] == ward.get(group, 0)
        assert row[2] == pytest.approx(ward.get(group, 0) / ward_n)
        assert row[4] == pytest.approx(borough.get(group, 0) / borough_n)


def test_the_outcomes_section_says_which_months_and_types_its_crimes_are(outcomes: Any) -> None:
    """A reviewer read '70 crimes reported in West End from February 2023 to January 2024' as a year of crimes:
    the demo's police.uk files are one month, burglary only. The section now says both."""
    from desktop.reports.model import Paragraph

    section = outcomes
    text = " ".join(b.text for b in section.blocks if isinstance(b, Paragraph))
    assert "police.uk files in the store cover January 2024 for Westminster (1 of these 12 months)" in text, text
    assert "hold only: Burglary" in text, text
