"""Boundaries on real data (issue 14's "Done when"): LSOAs placed in the ward holding most of their area agree with
the ONS best-fit lookup; police.uk rows placed by point-in-polygon agree with the LSOA the file names."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from desktop import geo
from desktop.importers import import_file
from desktop.store import places

pytestmark = pytest.mark.real
B = "boundaries"
LOOKUP = "ons/LSOA_(2021)_to_Electoral_Ward_(2025)_to_LAD_(2025)_Best_Fit_Lookup_in_EW_v2.csv"


def _import(db, path: Path) -> None:  # type: ignore[no-untyped-def]
    result = import_file(db, path)
    assert result.ok and result.kind == "boundaries", result.message


def test_lsoas_fall_in_their_best_fit_ward(db, shared_data: Path) -> None:  # type: ignore[no-untyped-def]
    _import(db, shared_data / B / "westminster_wards_2022_oi_wgs84.geojson")
    _import(db, shared_data / B / "westminster_lsoa21_bgc_bng27700.geojson")  # British National Grid
    wards = places.shapes(db, "ward")
    lsoas = places.shapes(db, "lsoa")
    assert (len(wards), len(lsoas)) == (18, 123)
    lookup = pd.read_csv(shared_data / LOOKUP, encoding="utf-8-sig", dtype=str)
    best = dict(zip(lookup["LSOA21CD"], lookup["WD25CD"], strict=True))
    agree = sum(geo.majority(lsoa, wards) == best[lsoa.code] for lsoa in lsoas)
    assert agree >= 115, agree


def test_the_grid_file_and_the_lon_lat_file_agree(db, shared_data: Path) -> None:  # type: ignore[no-untyped-def]
    """Our transform against the Helmert-converted copy the data folder holds: within a metre."""
    _import(db, shared_data / B / "westminster_lsoa21_bgc_bng27700.geojson")
    ours = {s.code: s for s in places.shapes(db, "lsoa")}
    theirs = json.loads((shared_data / B / "westminster_lsoa21_bgc_wgs84.geojson").read_text(encoding="utf-8"))
    for feature in theirs["features"][:20]:
        code = feature["properties"]["LSOA21CD"]
        ring = geo.polygons_of(feature["geometry"])[0][0]
        mine = ours[code].polygons[0][0]
        worst = max(abs(a[0] - b[0]) * 69_000 + abs(a[1] - b[1]) * 111_000 for a, b in zip(ring, mine, strict=True))
        assert worst < 1.0, (code, worst)


def test_policeuk_points_fall_in_the_lsoa_the_file_names(db, shared_data: Path) -> None:  # type: ignore[no-untyped-def]
    _import(db, shared_data / B / "westminster_lsoa21_bgc_bng27700.geojson")
    lsoas = places.shapes(db, "lsoa")
    street = pd.read_csv(shared_data / "policeuk/2024-01-metropolitan-street.BURGLARY-ONLY.csv", dtype=str)
    rows = street[street["LSOA code"].isin({s.code for s in lsoas})].dropna(subset=["Longitude"])
    assert len(rows) > 200
    placed = geo.place(lsoas, rows["Longitude"].astype(float), rows["Latitude"].astype(float))
    agree = sum(p == c for p, c in zip(placed, rows["LSOA code"], strict=True))
    assert agree / len(rows) >= 0.90, agree / len(rows)
