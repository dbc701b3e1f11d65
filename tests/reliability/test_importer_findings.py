"""Bugs the reliability tests found in the importers, each as a small failing test (xfail until fixed, reported to
the importers' owner). Remove the xfail mark when the fix lands; the fuzzers' KNOWN_ISSUES entry goes with it."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.store import open_store
from tests.reliability import fuzz

MET_DEMO = fuzz.ROOT / "resources" / "demo" / "03_MPS_Ward_Level_Crime_Westminster_202307-202506.csv"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("value", ["9223372036854775808", "99999999999999999999999"])
@pytest.mark.xfail(
    reason="importers: a count >= 2**63 overflows int64 to a negative number, the CHECK (count >= 0) fails and the "
    "user gets the catch-all 'report this' message instead of a rejected row (reported)",
    strict=False,
)
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
