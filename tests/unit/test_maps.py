"""Boundaries, placement, maps and the Where / outcomes / stop and search sections (issue 14)."""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from desktop import geo
from desktop.analysis.outcomes import CHARGED, NO_SUSPECT, NOT_KNOWN, OTHER_FORMAL, UNABLE, UNDER, group_of, shares
from desktop.importers import import_file
from desktop.importers.sources import remove_source
from desktop.reports import maps
from desktop.reports.disclosure_plan import LocationRule, small_counts
from desktop.reports.model import MapChart, Table
from desktop.store import open_store, places
from tests.conftest import TEST_DATA

WARDS = TEST_DATA / "westminster_wards_2022_oi_wgs84.geojson"
LSOAS = TEST_DATA / "westminster_lsoa21_west_end_excerpt_bng27700.geojson"
SEARCHES = TEST_DATA / "policeuk_stop_and_search_2024-01_sample.csv"
WEST_END = "E05013808"


# --- geometry ------------------------------------------------------------------------------------------------------


def test_grid_to_lon_lat_matches_the_os_worked_example() -> None:
    """Ordnance Survey's guide, annexe C: E 651409.903, N 313177.270 is OSGB36 52°39'27.2531"N 1°43'4.5177"E."""
    phi, lam = geo.bng_to_osgb36(651409.903, 313177.270)
    assert math.degrees(float(phi)) == pytest.approx(52 + 39 / 60 + 27.2531 / 3600, abs=1e-7)
    assert math.degrees(float(lam)) == pytest.approx(1 + 43 / 60 + 4.5177 / 3600, abs=1e-7)
    # the first vertex of Westminster LSOA E01004646 (BNG file) and the Helmert-converted WGS84 copy of it
    lon, lat = geo.bng_to_wgs84(526511.402, 183696.848)
    assert (float(lon), float(lat)) == pytest.approx((-0.1772639, 51.5380049), abs=2e-6)  # within 0.2 m


def test_point_in_polygon_subtracts_holes_and_areas_are_metres() -> None:
    square = [(0.0, 51.0), (0.01, 51.0), (0.01, 51.01), (0.0, 51.01), (0.0, 51.0)]
    hole = [(0.004, 51.004), (0.006, 51.004), (0.006, 51.006), (0.004, 51.006), (0.004, 51.004)]
    shape = geo.Shape("X", "x", [[square, hole]])
    assert shape.contains([0.002, 0.005, 0.02], [51.002, 51.005, 51.0]).tolist() == [True, False, False]
    width = 0.01 * geo.M_PER_DEG_LAT * math.cos(math.radians(51.0))
    assert shape.area_m2() == pytest.approx(width * 0.01 * geo.M_PER_DEG_LAT * 0.96, rel=0.01)
    assert geo.place([shape], [0.002, float("nan")], [51.002, 51.0]) == ["X", None]


def test_clip_ring_keeps_what_is_inside_the_frame() -> None:
    ring = np.array([(-1.0, -1.0), (2.0, -1.0), (2.0, 2.0), (-1.0, 2.0)])
    clipped = maps.clip_ring(ring, (0.0, 0.0, 1.0, 1.0))
    assert sorted(map(tuple, clipped.tolist())) == [(0.0, 0.0), (0.0, 1.0), (1.0, 0.0), (1.0, 1.0)]
    assert len(maps.clip_ring(ring + 5, (0.0, 0.0, 1.0, 1.0))) == 0


def test_class_breaks_rise_and_label_every_count() -> None:
    breaks = maps.class_breaks([0, 0, 1, 3, 13, 17, 35], 4)
    assert breaks == sorted(set(breaks)) and breaks[-1] == 35
    labels = maps.class_labels(breaks)
    assert labels[0].startswith("0") and labels[-1].endswith("35")
    assert [maps.class_of(v, breaks) for v in (0, 35)] == [0, len(breaks) - 1]


# --- the boundaries kind ------------------------------------------------------------------------------------------


def test_boundary_files_are_found_by_their_properties_and_removable(db: Any) -> None:
    wards = import_file(db, WARDS)
    assert wards.ok and wards.kind == "boundaries", wards.message
    assert wards.rows_stored == 18
    lsoas = import_file(db, LSOAS)
    assert lsoas.ok and lsoas.kind == "boundaries" and lsoas.rows_stored == 4
    assert any("British National Grid" in w for w in lsoas.warnings)
    shape = places.shapes(db, "lsoa")[0]
    x0, y0, x1, y1 = shape.bbox
    assert -0.2 < x0 < x1 < -0.1 and 51.4 < y0 < y1 < 51.6  # converted to lon/lat, in central London
    west_end = places.shapes(db, "ward", codes=[WEST_END])[0]
    assert west_end.name == "West End" and west_end.parent == "E09000033"
    assert lsoas.source_id is not None
    remove_source(db, lsoas.source_id)
    assert places.shapes(db, "lsoa") == []


def test_a_json_file_that_holds_no_boundaries_is_refused_plainly(db: Any, tmp_path: Path) -> None:
    path = tmp_path / "other.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [{"properties": {"name": "x"}}]}))
    result = import_file(db, path)
    assert not result.ok and "match none of the extract kinds" in result.message
    assert "Ward or LSOA boundaries" in result.message
    (tmp_path / "broken.geojson").write_text('{"type": "FeatureCollection", "features": [')
    assert "cannot be read as JSON" in import_file(db, tmp_path / "broken.geojson").message


def test_the_newest_file_of_a_code_is_the_shape_in_force(db: Any, tmp_path: Path) -> None:
    data = json.loads(WARDS.read_text(encoding="utf-8"))
    data["features"] = data["features"][:1]
    ring = data["features"][0]["geometry"]["coordinates"][0]
    data["features"][0]["geometry"]["coordinates"] = [[[x + 0.001, y] for x, y in ring]]
    assert import_file(db, WARDS).ok
    moved = tmp_path / "moved.geojson"
    moved.write_text(json.dumps(data))
    assert import_file(db, moved).ok
    code = data["features"][0]["properties"]["WD22CD"]
    assert places.shapes(db, "ward", codes=[code])[0].polygons[0][0][0][0] == pytest.approx(ring[0][0] + 0.001)
    assert len(places.shapes(db, "ward")) == 18


# --- stop and search in wards ---------------------------------------------------------------------------------------


def _searches(tmp_path: Path) -> Path:
    path = tmp_path / "2024-01-metropolitan-stop-and-search.csv"
    shutil.copyfile(SEARCHES, path)
    return path


@pytest.mark.parametrize("boundaries_first", [True, False])
def test_searches_are_placed_in_wards_whichever_file_comes_first(
    db: Any, tmp_path: Path, boundaries_first: bool
) -> None:
    first, second = (WARDS, _searches(tmp_path)) if boundaries_first else (_searches(tmp_path), WARDS)
    assert import_file(db, first).ok
    assert import_file(db, second).ok
    rows = db.execute("SELECT longitude, latitude, ward_code, self_ethnicity FROM stop_search").fetchall()
    shapes = places.shapes(db, "ward")
    located = [r for r in rows if r[0] is not None]
    expected = geo.place(shapes, [r[0] for r in located], [r[1] for r in located])
    assert [r[2] for r in located] == expected and any(expected)
    assert all(r[2] is None for r in rows if r[0] is None)
    assert rows[0][3] and rows[0][3].startswith("White")  # self-defined ethnicity is stored


# --- outcomes and small counts --------------------------------------------------------------------------------------


def test_outcome_groups_are_plain_and_shares_have_wilson_intervals() -> None:
    cases = {
        "Suspect charged": CHARGED,
        "Awaiting court outcome": CHARGED,
        "Offender sent to prison": CHARGED,
        "Offender given a caution": OTHER_FORMAL,
        "Local resolution": OTHER_FORMAL,
        "Investigation complete; no suspect identified": NO_SUSPECT,
        "Unable to prosecute suspect": UNABLE,
        "Formal action is not in the public interest": UNABLE,
        "Under investigation": UNDER,
        "Status update unavailable": NOT_KNOWN,
        "": NOT_KNOWN,
    }
    assert {k: group_of(k) for k in cases} == cases
    found = shares([NO_SUSPECT] * 8 + [CHARGED] * 2)
    charged = next(s for s in found if s.group == CHARGED)
    assert charged.share == 0.2 and charged.lower < 0.2 < charged.upper and charged.base == 10
    assert sum(s.count for s in found) == 10


def test_small_counts_hide_a_second_cell_so_none_can_be_worked_out() -> None:
    texts = small_counts([2, 10, 12], 5)
    assert texts[0] == "<5" and texts.count("[c]") == 1 and texts[-1] == "24"
    assert small_counts([6, 10], 5) == ["6", "10", "16"]
    rule = LocationRule(points=False, floor=5, total=False)
    assert [rule.text(n) for n in (0, 3, 7)] == ["0", "<5", "7"]


# --- the sections on the demo data ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from desktop.importers.demo import load_demo

    db = open_store(tmp_path_factory.mktemp("demo") / "wardbrief.db")
    assert all(r.ok for r in load_demo(db))
    yield db
    db.close()


def _pack(db: Any, ward: str, **options: Any) -> Any:
    from desktop.reports.build import build_pack
    from desktop.reports.options import PackOptions
    from desktop.settings import Settings

    return build_pack(db, ward, PackOptions(**options), Settings())


def test_west_end_pack_has_a_map_places_outcomes_and_searches(demo_store: Any) -> None:
    pack = _pack(demo_store, WEST_END)
    keys = [s.key for s in pack.sections]
    assert {"where", "outcomes", "stop_search"} <= set(keys)
    where = next(s for s in pack.sections if s.key == "where")
    chart = next(b for b in where.blocks if isinstance(b, MapChart))
    assert chart.focus[0].code == WEST_END and len(chart.context) >= 3 and len(chart.areas) >= 5
    assert "(70 crimes)" in chart.title and "burglary only" in chart.title
    assert sum(int(a.label) for a in chart.areas if a.label) == 70  # every crime in one LSOA of the ward
    table = next(b for b in where.blocks if isinstance(b, Table))
    counts = [r[2] for r in table.rows]
    assert counts == sorted(counts, reverse=True) and len(chart.markers) == len(table.rows)
    assert table.rows[0][1] == "On or near Margaret Street"
    text = " ".join(getattr(b, "text", "") for s in pack.sections for b in s.blocks)
    assert "snap points" in text and "settle" in text.lower()


def test_a_sensitive_theme_map_shows_no_places_and_no_small_counts(demo_store: Any) -> None:
    from desktop.analysis.themes import theme_map
    from desktop.reports.build_context import make_context
    from desktop.reports.options import PackOptions
    from desktop.reports.where import street_window
    from desktop.reports.where import theme_map as where_map
    from desktop.settings import Settings
    from desktop.store import figures

    ward = figures.ward_row(demo_store, WEST_END)
    ctx = make_context(demo_store, "Westminster", PackOptions(), Settings(), ward)
    window = street_window(ctx, [WEST_END])
    assert window is not None
    rows = places.street_frame(demo_store, [WEST_END], *window)
    shape = places.shapes(demo_store, "ward", codes=[WEST_END])[0]
    from desktop.reports.where import ward_lsoas

    lsoas, _ = ward_lsoas(ctx, shape, set(rows["lsoa_code"]))
    rule = LocationRule(points=False, floor=5, total=False)
    blocks = where_map(ctx, theme_map()["burglary"], rows, shape, lsoas, [], window, rule)
    chart = blocks[0]
    assert isinstance(chart, MapChart) and chart.markers == [] and "crimes)" not in chart.title
    assert not any(isinstance(b, Table) for b in blocks)
    labels = [a.label for a in chart.areas]
    assert set(labels) <= {"0", "<5", "[c]"} | {str(n) for n in range(5, 1000)}
    assert "<5" in labels and not (labels.count("<5") == 1 and "[c]" not in labels)  # never a lone hidden cell
    assert all(a.shade == -1 for a in chart.areas if a.label in ("<5", "[c]"))  # no class narrows a hidden count


def test_pimlico_south_outcomes_fall_back_to_the_borough_for_a_small_base(demo_store: Any) -> None:
    pack = _pack(demo_store, "E05013803")
    section = next(s for s in pack.sections if s.key == "outcomes")
    table = next(b for b in section.blocks if isinstance(b, Table))
    assert all(r[2] is None for r in table.rows)  # ward shares hidden: 6 crimes is under the base of 50
    assert any("only the borough's shares" in n for n in table.notes)


def test_overview_has_the_borough_map(demo_store: Any) -> None:
    from desktop.reports.build import build_overview
    from desktop.reports.options import PackOptions
    from desktop.settings import Settings

    pack = build_overview(demo_store, "Westminster", PackOptions(), Settings())
    section = next(s for s in pack.sections if s.key == "overview:map")
    chart = next(b for b in section.blocks if isinstance(b, MapChart))
    assert len(chart.areas) == 18 and {"E05013808", "E05013806"} <= set(chart.flagged)
    footfall = [a for a in chart.areas if a.code in chart.flagged]
    assert all(a.shade == -1 for a in footfall) and "expected" in chart.title  # not judged by the funnel


def test_the_map_is_vector_and_the_pack_stays_small(demo_store: Any, tmp_path: Path) -> None:
    from pypdf import PdfReader

    from desktop.reports.pdf import render_pdf

    pack = _pack(demo_store, WEST_END)
    chart = next(b for s in pack.sections for b in s.blocks if isinstance(b, MapChart))
    svg, height = maps.map_svg(chart, 170.0)
    assert b"<image" not in svg and height > 50  # vector: no raster image inside
    path = render_pdf(pack, tmp_path / "west_end.pdf")
    assert path.stat().st_size < 1_000_000
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(path).pages)
    assert "On or near Margaret Street" in text and "Open Government Licence" in text


def test_ethnicity_groups_are_the_first_part_and_not_stated_is_its_own() -> None:
    from desktop.reports.stop_search import NOT_STATED, ethnicity_group

    assert ethnicity_group("Black/African/Caribbean/Black British - African") == "Black/African/Caribbean/Black British"
    assert ethnicity_group("Other ethnic group - Not stated") == NOT_STATED
    assert ethnicity_group(None) == NOT_STATED
    assert ethnicity_group("Other ethnic group - Arab") == "Other ethnic group"


def test_the_ethnicity_table_suppresses_small_counts_in_public_packs(demo_store: Any) -> None:
    pack = _pack(demo_store, "E05013803")
    section = next(s for s in pack.sections if s.key == "stop_search")
    table = next(b for b in section.blocks if isinstance(b, Table) and b.key == "stop_search_ethnicity")
    values = [r[1] for r in table.rows]
    assert any(v == "<5" for v in values)
    assert not any(isinstance(v, int) and 0 < v < 5 for v in values)
    internal = _pack(demo_store, "E05013803", public=False)
    section = next(s for s in internal.sections if s.key == "stop_search")
    table = next(b for b in section.blocks if isinstance(b, Table) and b.key == "stop_search_ethnicity")
    assert all(isinstance(r[1], int) for r in table.rows)


def test_markers_are_spread_so_none_overlap() -> None:
    points = [(0.0, 0.0), (0.1, 0.0), (0.0, 0.1), (5.0, 5.0)]
    placed = maps.spread(points, 1.0)
    assert placed[0] == (0.0, 0.0) and placed[3] == (5.0, 5.0)  # alone: unmoved
    for i, a in enumerate(placed):
        for b in placed[i + 1 :]:
            assert math.hypot(a[0] - b[0], a[1] - b[1]) >= 1.0 - 1e-9
