"""Every bad-input case of issue 3 gives a clear message and leaves the store exactly as it was."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from desktop.importers import import_file
from desktop.importers.sources import list_sources

TABLES = (
    "source",
    "ward",
    "crime_count",
    "street_crime",
    "outcome",
    "asb_count",
    "fire_incident",
    "survey_result",
    "priority",
    "priority_action",
    "rejected_row",
    "lsoa_ward",
)
WIDE_HEAD = "MajorText,MinorText,WardName,WardCode,LookUp_BoroughName,202401,202402,202403\n"
WIDE_ROW = "THEFT,SHOPLIFTING,West End,E05013808,Westminster,{a},{b},{c}\n"


def snapshot(db) -> dict[str, object]:  # type: ignore[no-untyped-def]
    out: dict[str, object] = {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
    out["current"] = db.execute("SELECT count(*), sum(count) FROM crime_count WHERE current = 1").fetchone()
    return out


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


@pytest.fixture
def seeded(db, tmp_path):  # type: ignore[no-untyped-def]
    """A store with one good import in it, so 'unchanged' means something."""
    good = write(tmp_path, "good.csv", WIDE_HEAD + WIDE_ROW.format(a=10, b=12, c=11))
    assert import_file(db, good).ok
    return db


def assert_fails_cleanly(db, path: Path, *words: str):  # type: ignore[no-untyped-def]
    before = snapshot(db)
    result = import_file(db, path)
    assert result.status == "failed", result.summary()
    assert not result.ok
    assert result.message and "Traceback" not in result.message
    text = (result.message + " " + " ".join(str(r) for r in result.rejections)).lower()
    for word in words:
        assert word.lower() in text, (word, result.summary())
    assert snapshot(db) == before, "a failed import must leave the store unchanged"
    assert "FAILED" in result.summary()
    return result


def test_empty_file(seeded, tmp_path: Path) -> None:
    assert_fails_cleanly(seeded, write(tmp_path, "empty.csv", ""), "empty")


def test_blank_lines_only(seeded, tmp_path: Path) -> None:
    assert_fails_cleanly(seeded, write(tmp_path, "blank.csv", "\n\n  \n"), "blank")


def test_header_only(seeded, tmp_path: Path) -> None:
    assert_fails_cleanly(seeded, write(tmp_path, "head.csv", WIDE_HEAD), "no data rows")


def test_unknown_columns_lists_every_kind(seeded, tmp_path: Path) -> None:
    result = assert_fails_cleanly(seeded, write(tmp_path, "x.csv", "foo,bar,baz\n1,2,3\n"), "foo, bar, baz")
    for label in ("Met ward-level crime", "police.uk street", "LFB incident", "PAS", "USS", "ASB", "priorities"):
        assert label.lower() in result.message.lower()
    assert "MajorText" in result.message and "asb_incidents" in result.message


def test_truncated_xlsx(seeded, tmp_path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for line in (WIDE_HEAD + WIDE_ROW.format(a=1, b=2, c=3) * 50).splitlines():
        sheet.append(line.split(","))
    whole = tmp_path / "whole.xlsx"
    book.save(whole)
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    assert_fails_cleanly(seeded, cut, "damaged")


def test_old_xls_refused(seeded, tmp_path: Path) -> None:
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    assert_fails_cleanly(seeded, path, ".xls", "save it as")


def test_ragged_csv_row(seeded, tmp_path: Path) -> None:
    text = WIDE_HEAD + WIDE_ROW.format(a=1, b=2, c=3) + "THEFT,OTHER THEFT,West End,E05013808,Westminster,1,2,3,4,5\n"
    assert_fails_cleanly(seeded, write(tmp_path, "ragged.csv", text), "wrong number of cells", "line 3")


def test_text_in_a_count_column(seeded, tmp_path: Path) -> None:
    text = WIDE_HEAD + WIDE_ROW.format(a=1, b="twelve", c=3)
    result = assert_fails_cleanly(seeded, write(tmp_path, "text.csv", text), "twelve", "not a whole number")
    assert result.rejections[0].row == 2 and result.rejections[0].column == "202402"


def test_negative_counts(seeded, tmp_path: Path) -> None:
    text = WIDE_HEAD + WIDE_ROW.format(a=1, b=-4, c=3)
    assert_fails_cleanly(seeded, write(tmp_path, "neg.csv", text), "negative")


def test_future_month_column(seeded, tmp_path: Path) -> None:
    future = (dt.date.today() + dt.timedelta(days=62)).strftime("%Y%m")
    text = WIDE_HEAD.replace("202403", future) + WIDE_ROW.format(a=1, b=2, c=3)
    assert_fails_cleanly(seeded, write(tmp_path, "future.csv", text), future, "future")


def test_future_month_rows_in_long_kinds(seeded, tmp_path: Path) -> None:
    future = (dt.date.today() + dt.timedelta(days=62)).strftime("%Y-%m")
    text = f"ward_code,ward_name,month,asb_incidents\nE05013808,West End,2024-01,10\nE05013808,West End,{future},3\n"
    result = assert_fails_cleanly(seeded, write(tmp_path, "asb.csv", text), "future")
    assert result.rejections[0].row == 3


def test_duplicate_rows(seeded, tmp_path: Path) -> None:
    text = WIDE_HEAD + WIDE_ROW.format(a=1, b=2, c=3) + WIDE_ROW.format(a=1, b=2, c=3)
    result = assert_fails_cleanly(seeded, write(tmp_path, "dup.csv", text), "duplicate")
    assert result.rejections[0].row == 3


def test_unknown_ward_code(seeded, tmp_path: Path) -> None:
    text = "ward_code,ward_name,month,asb_incidents\nE05013808,West End,2024-01,10\nE05999999,Nowhere,2024-01,3\n"
    result = assert_fails_cleanly(seeded, write(tmp_path, "asb.csv", text), "E05999999", "ward code")
    assert result.rejections[0].column == "ward_code"


def test_malformed_ward_code_in_crime_file(seeded, tmp_path: Path) -> None:
    text = WIDE_HEAD + WIDE_ROW.format(a=1, b=2, c=3).replace("E05013808", "WEST END")
    assert_fails_cleanly(seeded, write(tmp_path, "code.csv", text), "not a ward code")


def test_every_rejected_row_is_reported(seeded, tmp_path: Path) -> None:
    rows = "".join(WIDE_ROW.replace("SHOPLIFTING", f"CAT {i}").format(a=1, b="x", c=3) for i in range(30))
    result = assert_fails_cleanly(
        seeded, write(tmp_path, "many.csv", WIDE_HEAD + WIDE_ROW.format(a=1, b=2, c=3) + rows)
    )
    assert result.rows_rejected == 30 and len(result.rejections) == 30
    assert [r.row for r in result.rejections] == list(range(3, 33))
    assert "and 25 more" in result.summary()


def test_big_file_of_a_whole_read_kind_is_refused(seeded, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop.importers import detect

    monkeypatch.setattr(detect, "MAX_WHOLE_CSV_BYTES", 1000)
    text = WIDE_HEAD + "".join(WIDE_ROW.replace("SHOPLIFTING", f"C{i}").format(a=1, b=2, c=3) for i in range(100))
    assert_fails_cleanly(seeded, write(tmp_path, "big.csv", text), "MB", "right file")


def test_big_xlsx_is_refused_with_advice(seeded, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop.importers import reader

    monkeypatch.setattr(reader, "MAX_XLSX_BYTES", 10)
    path = tmp_path / "big.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    assert_fails_cleanly(seeded, path, "CSV")


def test_missing_file_and_folder(seeded, tmp_path: Path) -> None:
    assert_fails_cleanly(seeded, tmp_path / "nope.csv", "does not exist")
    assert_fails_cleanly(seeded, tmp_path, "folder")


def test_binary_junk(seeded, tmp_path: Path) -> None:
    path = tmp_path / "junk.csv"
    path.write_bytes(bytes(range(256)) * 20)
    assert_fails_cleanly(seeded, path)


def test_mostly_bad_rows_fail_even_when_skipping(seeded, tmp_path: Path) -> None:
    text = (
        "ward_code,ward_name,month,asb_incidents\nE05013808,West End,2024-01,10\n"
        + "E05013808,West End,2024-02,x\n" * 3
    )
    before = snapshot(seeded)
    result = import_file(seeded, write(tmp_path, "asb.csv", text), skip_bad_rows=True)
    assert not result.ok and "more than half" in result.message
    assert snapshot(seeded) == before


def test_skip_bad_rows_imports_the_good_and_records_the_bad(seeded, tmp_path: Path) -> None:
    lines = [f"E05013808,West End,2024-{m:02d},{10 + m}" for m in range(1, 9)] + ["E05013808,West End,2024-09,lots"]
    text = "ward_code,ward_name,month,asb_incidents\n" + "\n".join(lines) + "\n"
    result = import_file(seeded, write(tmp_path, "asb.csv", text), skip_bad_rows=True)
    assert result.ok and result.rows_stored == 8 and result.rows_rejected == 1
    assert "1 rejected" in result.summary()
    stored = seeded.execute("SELECT row_number, column_name, value FROM rejected_row").fetchall()
    assert stored == [(10, "asb_incidents", "lots")]
    assert [s for s in list_sources(seeded) if s["id"] == result.source_id][0]["rows_rejected"] == 1


def test_cancel_leaves_the_store_unchanged(seeded, tmp_path: Path) -> None:
    from desktop.errors import Cancelled

    text = WIDE_HEAD + "".join(WIDE_ROW.replace("SHOPLIFTING", f"C{i}").format(a=1, b=2, c=3) for i in range(50))
    path = write(tmp_path, "cancel.csv", text)
    before = snapshot(seeded)
    calls = []

    def cancelled() -> bool:
        calls.append(1)
        return len(calls) > 2  # let it start, then cancel part-way

    with pytest.raises(Cancelled):
        import_file(seeded, path, cancelled=cancelled)
    assert snapshot(seeded) == before
    assert import_file(seeded, path).ok  # and it imports cleanly afterwards


@pytest.mark.slow
def test_200_mb_police_uk_file_is_streamed(db, tmp_path: Path) -> None:
    """A ~200 MB street file imports in parts: all rows stored, memory far below the file size."""
    import resource

    head = "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context\n"
    row = "{i:064d},2024-01,Metropolitan Police Service,Metropolitan Police Service,-0.134,51.512,On or near Oxford Street,E01004763,Westminster 018C,Other theft,Investigation complete; no suspect identified,\n"
    path = tmp_path / "big.csv"
    n = 0
    with path.open("w") as fh:
        fh.write(head)
        while fh.tell() < 200 * 1024 * 1024:
            fh.write("".join(row.format(i=n + k) for k in range(10_000)))
            n += 10_000
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    result = import_file(db, path)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    assert result.ok and result.rows_stored == n, result.summary()
    assert peak - before < path.stat().st_size  # streamed: never the whole file in memory


def test_ragged_first_row_is_not_taken_as_an_index(seeded, tmp_path: Path) -> None:
    text = "ward_code,month,asb_incidents\nE05013808,2024-01,10,99\nE05013806,2024-01,7\n"
    assert_fails_cleanly(seeded, write(tmp_path, "ragged1.csv", text), "more cells than", "line 2")


def test_xlsx_that_would_inflate_too_far_is_refused_unopened(seeded, tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            chunk = b"<row>" + b" " * (1 << 20) + b"</row>"
            for _ in range(700):  # 700 MB of XML in a file of about 1 MB
                part.write(chunk)
    assert path.stat().st_size < 5_000_000
    assert_fails_cleanly(seeded, path, "expands to", "CSV")


def test_xlsx_part_that_expands_too_many_times_is_refused_unopened(seeded, tmp_path: Path) -> None:
    """Under the total limit, but one part expands ~1000x: refused from the zip directory, before inflating."""
    import zipfile

    from desktop.importers.reader import MAX_XLSX_INFLATED

    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            chunk = b"<row>" + b" " * (1 << 20) + b"</row>"
            for _ in range(60):
                part.write(chunk)
    assert path.stat().st_size < 1_000_000 and MAX_XLSX_INFLATED > 60 << 20
    result = assert_fails_cleanly(seeded, path, "times over", "sheet1.xml", "zip bomb", "CSV")
    assert "expands to" not in result.message  # the ratio check, not the total limit


def test_big_xlsx_part_at_a_real_ratio_is_not_refused(tmp_path: Path) -> None:
    import zipfile

    from desktop.importers.reader import _check_inflated_size

    path = tmp_path / "fine.xlsx"
    rng = __import__("random").Random(7)
    with (
        zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive,
        archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part,
    ):
        for _ in range(55):  # 55 MB of varied XML: compresses a few times over, like a real sheet
            part.write(b"<row><c><v>" + rng.randbytes(1 << 19).hex().encode() + b"</v></c></row>")
    info = zipfile.ZipFile(path).infolist()[0]
    assert info.file_size > 50 << 20 and info.file_size < 100 * info.compress_size
    _check_inflated_size(path)  # no error


def test_trailing_comma_on_every_row_is_accepted(db, tmp_path: Path) -> None:
    text = "ward_code,ward_name,month,asb_incidents\nE05013808,West End,2023-07,30,\nE05013806,St James's,2023-07,12,\n"
    result = import_file(db, write(tmp_path, "asb.csv", text))
    assert result.ok, result.summary()
    assert db.execute("SELECT sum(count) FROM asb_count").fetchone()[0] == 42


def test_headings_that_mean_the_same_column_are_a_clear_error(seeded, tmp_path: Path) -> None:
    text = "ward_code,ward_name,month,asb_incidents,Month \nE05013808,West End,2023-07,30,2023-08\n"
    assert_fails_cleanly(seeded, write(tmp_path, "asb.csv", text), "name the same column", "Rename")
