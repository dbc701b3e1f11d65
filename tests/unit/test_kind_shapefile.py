"""Boundaries as a shapefile (.shp beside its .dbf, or the parts in one .zip): the same boundaries as the GeoJSON
copy of the same ONS file, and plain words for every way a shapefile arrives broken or incomplete."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.importers import import_file
from desktop.store import places
from tests.conftest import TEST_DATA

STEM = "westminster_lsoa21_west_end_excerpt_bng27700"
PARTS = (".shp", ".dbf", ".shx", ".prj", ".cpg")


@pytest.fixture
def shp(tmp_path: Path) -> Path:
    """The West End LSOA excerpt as a shapefile, every part in one folder."""
    for suffix in PARTS:
        shutil.copy(TEST_DATA / f"{STEM}{suffix}", tmp_path / f"{STEM}{suffix}")
    return tmp_path / f"{STEM}.shp"


def _bboxes(db: Any) -> dict[str, tuple[float, ...]]:
    return {s.code: tuple(round(v, 5) for v in s.bbox) for s in places.shapes(db, "lsoa")}


def test_a_shapefile_gives_the_same_boundaries_as_the_geojson_of_the_same_file(shp: Path, tmp_path: Path) -> None:
    from desktop.store import open_store

    from_shp = open_store(tmp_path / "a.db")
    result = import_file(from_shp, shp)
    assert result.status == "imported" and result.kind == "boundaries", result.summary()
    assert result.rows_stored == 4 and any("British National Grid" in w for w in result.warnings)
    from_json = open_store(tmp_path / "b.db")
    assert import_file(from_json, TEST_DATA / f"{STEM}.geojson").status == "imported"
    assert _bboxes(from_shp) == _bboxes(from_json) and len(_bboxes(from_shp)) == 4
    names = {s.code: s.name for s in places.shapes(from_shp, "lsoa")}
    assert names["E01004763"].startswith("Westminster ")
    assert all(51.4 < s.bbox[1] < 51.6 and -0.2 < s.bbox[0] < -0.1 for s in places.shapes(from_shp, "lsoa"))


def test_a_zip_of_the_parts_imports_and_choosing_every_part_imports_once(db: Any, shp: Path, tmp_path: Path) -> None:
    parts = sorted(shp.parent.glob(f"{STEM}.*"))
    results = [import_file(db, p) for p in parts]
    assert [r.status for r in results].count("imported") == 1
    notes = [r for r in results if r.status == "not needed"]
    assert len(notes) == 4 and all(shp.name in r.message and r.kind == "boundaries" for r in notes)
    assert "not needed (Ward or LSOA boundaries)" in notes[0].summary()

    archive = tmp_path / "lsoa.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for p in parts:
            z.write(p, f"LSOA_2021/{p.name}")
    from desktop.store import open_store

    fresh = open_store(tmp_path / "zip.db")
    result = import_file(fresh, archive)
    assert result.status == "imported" and result.rows_stored == 4, result.summary()


def test_the_dbf_is_part_of_the_file_so_new_names_are_a_new_file(db: Any, shp: Path) -> None:
    import shapefile

    assert import_file(db, shp).status == "imported"
    assert import_file(db, shp).status == "already imported"
    reader = shapefile.Reader(str(shp))
    out = shapefile.Writer(str(shp.with_suffix("")) + "_renamed", shapeType=reader.shapeType)
    for field in reader.fields[1:]:
        out.field(*field)
    for record in reader.iterShapeRecords():
        out.shape(record.shape)
        out.record(*[f"{v} (renamed)" if str(v).startswith("Westminster") else v for v in record.record])
    out.close()
    reader.close()
    renamed = shp.with_name(f"{STEM}_renamed.shp")
    renamed.with_suffix(".dbf").replace(shp.with_suffix(".dbf"))  # same .shp bytes, new names beside it
    assert import_file(db, shp).status == "imported"


def _damaged(shp: Path) -> None:
    shp.write_bytes(shp.read_bytes()[:300])


def _no_dbf(shp: Path) -> None:
    shp.with_suffix(".dbf").unlink()


def _utm(shp: Path) -> None:
    shp.with_suffix(".prj").write_text('PROJCS["WGS_1984_UTM_Zone_30N",GEOGCS["GCS_WGS_1984"]]')


def _points(shp: Path) -> None:
    import shapefile

    with shapefile.Writer(str(shp.with_suffix("")), shapeType=shapefile.POINT) as out:
        out.field("LSOA21CD", "C")
        out.point(529000, 181000)
        out.record("E01004763")


@pytest.mark.parametrize(
    ("spoil", "said"),
    [
        (_damaged, "looks damaged or incomplete"),
        (_no_dbf, "The .dbf file that goes with"),
        (_utm, "WGS_1984_UTM_ZONE_30N"),
        (_points, "holds point shapes, not areas"),
    ],
)
def test_a_broken_shapefile_is_refused_in_plain_words(db: Any, shp: Path, spoil: Any, said: str) -> None:
    spoil(shp)
    result = import_file(db, shp)
    assert result.status == "failed" and said in result.message, result.message
    assert "Traceback" not in result.message and result.message.rstrip().endswith(".")
    assert db.execute("SELECT count(*) FROM boundary").fetchone()[0] == 0


def test_a_zip_of_two_shapefiles_asks_for_one(db: Any, shp: Path, tmp_path: Path) -> None:
    archive = tmp_path / "two.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for p in shp.parent.glob(f"{STEM}.*"):
            z.write(p, p.name)
            z.write(p, "copy_" + p.name)
    result = import_file(db, archive)
    assert result.status == "failed" and "holds 2 shapefiles" in result.message and "Unzip it" in result.message


def test_the_real_london_lsoa_shapefile_matches_the_westminster_geojson(shared_data: Path, tmp_path: Path) -> None:
    from desktop.store import open_store

    folder = shared_data / "boundaries"
    whole = open_store(tmp_path / "london.db")
    result = import_file(whole, folder / "london_lsoa21_bgc_bng27700" / "london-2021-lsoa-gen20.shp")
    assert result.status == "imported" and result.rows_stored == 4994, result.summary()
    west = open_store(tmp_path / "westminster.db")
    assert import_file(west, folder / "westminster_lsoa21_bgc_bng27700.geojson").status == "imported"
    expected = _bboxes(west)
    london = _bboxes(whole)
    assert len(expected) == 123 and {code: london[code] for code in expected} == expected


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    part=st.sampled_from([".shp", ".dbf", ".shx"]),
    flips=st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255)), min_size=1, max_size=8),
    cut=st.none() | st.floats(0, 1),
)
def test_a_mangled_shapefile_never_crashes_the_import(
    tmp_path_factory: pytest.TempPathFactory, part: str, flips: list[tuple[float, int]], cut: float | None
) -> None:
    """Bytes flipped or cut anywhere in any part: a result, never an exception or the 'report this' catch-all, and a
    failed import stores nothing."""
    from desktop.store import open_store

    folder = tmp_path_factory.mktemp("mangled")
    for suffix in PARTS:
        shutil.copy(TEST_DATA / f"{STEM}{suffix}", folder / f"{STEM}{suffix}")
    target = folder / f"{STEM}{part}"
    data = bytearray(target.read_bytes())
    for where, value in flips:
        data[int(where * len(data))] = value
    if cut is not None:
        data = data[: max(1, int(cut * len(data)))]
    target.write_bytes(bytes(data))
    db = open_store(folder / "wardbrief.db")
    try:
        result = import_file(db, folder / f"{STEM}.shp")
        assert "report this with the log file" not in result.message, result.message
        if result.status == "failed":
            assert db.execute("SELECT count(*) FROM boundary").fetchone()[0] == 0
    finally:
        db.close()
