"""Bugs the reliability tests found in the importers, each as a small test: xfail while open (reported to the
importers' owner), a plain regression test once fixed. The fuzzers' KNOWN_ISSUES entry goes when the fix lands.

Fixed by the importers' owner after being found here: huge counts (c38e057), data rows longer than the header
(b93b495), colliding headings; the zip bomb guard (reader.py) followed test_zip_bombs.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.store import open_store
from tests.reliability import fuzz

MET_DEMO = fuzz.ROOT / "resources" / "demo" / "03_MPS_Ward_Level_Crime_Westminster_202307-202506.csv"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("value", ["9223372036854775808", "99999999999999999999999"])
def test_huge_count_is_a_rejected_row(tmp_path: Path, value: str, fmt: str) -> None:
    from desktop.importers import import_file

    rows = fuzz.csv_rows(MET_DEMO.read_bytes())[:5]
    rows[2][6] = value
    data = fuzz.rows_to_csv(rows).encode()
    path = tmp_path / f"met.{fmt}"
    path.write_bytes(fuzz.csv_to_xlsx(data) if fmt == "xlsx" else data)
    db = open_store(tmp_path / "s.db")
    result = import_file(db, path)
    assert not result.ok
    assert fuzz.UNFORESEEN not in result.message, result.message
    assert result.rejections and result.rejections[0].row == 3, result.summary()


def test_trailing_comma_on_data_rows_is_handled(tmp_path: Path) -> None:
    from desktop.importers import import_file

    path = tmp_path / "asb.csv"
    path.write_text("ward_code,ward_name,month,asb_incidents\nE05013792,Abbey Road,2023-07,30,\n")
    result = import_file(open_store(tmp_path / "s.db"), path)
    assert fuzz.UNFORESEEN not in result.message, result.message


def test_headings_that_collide_are_a_clear_error(tmp_path: Path) -> None:
    from desktop.importers import import_file

    path = tmp_path / "priorities.csv"
    template = (fuzz.ROOT / "resources" / "templates" / "priorities_template.csv").read_bytes()
    path.write_bytes(template[:104])  # "...,measure_after,action,action_" - the header of a file cut short
    result = import_file(open_store(tmp_path / "s.db"), path)
    assert not result.ok
    assert fuzz.UNFORESEEN not in result.message, result.message


def test_xlsx_with_an_unknown_zip_version_is_a_clear_error(tmp_path: Path) -> None:
    """Found by the long fuzz run after the zip bomb guard landed: a flipped 'version needed to extract' in the zip's
    central directory made zipfile raise NotImplementedError ("zip file version 14.8"), which reached the catch-all.
    """
    from desktop.importers import import_file

    data = bytearray(fuzz.xlsx_seeds()["demo/01_Ward_to_LAD_Dec2023_ONS_Westminster.xlsx"])
    at = data.index(b"PK\x01\x02")  # the first central directory entry; 'version needed' is 6 bytes in
    data[at + 6 : at + 8] = (148).to_bytes(2, "little")
    path = tmp_path / "wards.xlsx"
    path.write_bytes(bytes(data))
    result = import_file(open_store(tmp_path / "s.db"), path)
    assert not result.ok
    assert fuzz.UNFORESEEN not in result.message, result.message
