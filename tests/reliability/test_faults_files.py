"""Issue 12 (and issue 10, issue 11 item 10): messy files users really have, built from the real extracts. What Excel
writes on Windows in any locale imports with the same figures as the clean file; a cut-off, padded, huge or
non-spreadsheet file is refused fast, cheaply, in plain words, with nothing stored."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.reliability.faults_helpers import (
    MOBILISATION,
    SHARED,
    STREET,
    import_in_child,
    westminster_csv,
)

pytestmark = pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/data is not present")
LFB_INCIDENTS = SHARED / "lfb" / "LFB Incident data.csv"
PNG = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.fixture(scope="module")
def westminster(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return westminster_csv(tmp_path_factory.mktemp("clean"))


def _rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


def _write(
    rows: list[list[str]], path: Path, *, delimiter: str = ",", encoding: str = "utf-8", eol: str = "\r\n"
) -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator=eol).writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def _figures(db: object) -> tuple[int, int, str, str]:
    row = db.execute(  # type: ignore[attr-defined]
        "SELECT count(*), sum(count), min(month), max(month) FROM crime_count WHERE current = 1"
    ).fetchone()
    return int(row[0]), int(row[1]), str(row[2]), str(row[3])


def _import(path: Path) -> tuple[object, object]:
    from desktop.importers import import_file
    from desktop.store import open_store

    db = open_store(":memory:")
    return db, import_file(db, path)


@pytest.fixture(scope="module")
def clean_figures(westminster: Path) -> tuple[int, int, str, str]:
    db, result = _import(westminster)
    assert result.ok, result.summary()  # type: ignore[attr-defined]
    return _figures(db)


def _month_headers(rows: list[list[str]], form: Callable[[dt.date], str]) -> list[list[str]]:
    header = rows[0][:5] + [form(dt.date(int(m[:4]), int(m[4:]), 1)) for m in rows[0][5:]]
    return [header, *rows[1:]]


# What Excel (or a colleague's Excel) writes: each must import with the same figures as the clean file.
VARIANTS: dict[str, Callable[[list[list[str]], Path], Path]] = {
    "semicolon (European Excel)": lambda rows, d: _write(rows, d / "semi.csv", delimiter=";", encoding="cp1252"),
    "tab-separated .txt": lambda rows, d: _write(rows, d / "tabs.txt", delimiter="\t", encoding="cp1252"),
    "UTF-16 Unicode text .txt": lambda rows, d: _write(rows, d / "unicode.txt", delimiter="\t", encoding="utf-16"),
    "UTF-16 .csv": lambda rows, d: _write(rows, d / "unicode.csv", encoding="utf-16"),
    "UTF-16 without a BOM": lambda rows, d: _write(rows, d / "nobom.csv", encoding="utf-16-le"),
    "CR-only line ends": lambda rows, d: _write(rows, d / "mac.csv", eol="\r"),
    "months as Jul-23": lambda rows, d: _write(_month_headers(rows, lambda m: m.strftime("%b-%y")), d / "mon.csv"),
    "months as 01/07/2023": lambda rows, d: _write(
        _month_headers(rows, lambda m: m.strftime("%d/%m/%Y")), d / "dmy.csv"
    ),
    "months as July 2023": lambda rows, d: _write(_month_headers(rows, lambda m: m.strftime("%B %Y")), d / "long.csv"),
    "months as 2023-07-01": lambda rows, d: _write(_month_headers(rows, lambda m: m.isoformat()), d / "iso.csv"),
}


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_what_excel_writes_imports_with_the_same_figures(
    variant: str, westminster: Path, clean_figures: tuple[int, int, str, str], tmp_path: Path
) -> None:
    path = VARIANTS[variant](_rows(westminster), tmp_path)
    db, result = _import(path)
    assert result.ok, result.summary()  # type: ignore[attr-defined]
    assert _figures(db) == clean_figures


def _xlsx(rows: list[list[str]], path: Path, *, title_rows: int, second_sheet: bool, month_end: bool) -> Path:
    """The wide edition saved from Excel with its month headings as real dates (formatted mmm-yy or dd/mm/yyyy)."""
    import calendar

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    if second_sheet:
        ws.title = "Notes"
        ws.append(["Recorded crime by ward, see the next sheet"])
        ws = wb.create_sheet("Data")
    for i in range(title_rows):
        ws.append([f"Title line {i + 1}"])
    header: list[object] = list(rows[0][:5])
    for text in rows[0][5:]:
        year, month = int(text[:4]), int(text[4:])
        day = calendar.monthrange(year, month)[1] if month_end else 1
        header.append(dt.datetime(year, month, day))
    ws.append(header)
    for cell in ws[title_rows + 1][5:]:
        cell.number_format = "dd/mm/yyyy" if month_end else "mmm-yy"
    for row in rows[1:]:
        ws.append(row[:5] + [int(v) for v in row[5:]])
    wb.save(path)
    return path


@pytest.mark.parametrize(
    "layout",
    [
        {"title_rows": 0, "second_sheet": False, "month_end": False},
        {"title_rows": 2, "second_sheet": True, "month_end": True},
    ],
    ids=["dates mmm-yy on the first row", "title rows, second sheet, dates at month end"],
)
def test_xlsx_month_headers_as_real_excel_dates(
    layout: dict[str, object], westminster: Path, clean_figures: tuple[int, int, str, str], tmp_path: Path
) -> None:
    path = _xlsx(_rows(westminster), tmp_path / "dates.xlsx", **layout)  # type: ignore[arg-type]
    db, result = _import(path)
    assert result.ok, result.summary()  # type: ignore[attr-defined]
    assert _figures(db) == clean_figures


def test_cp1252_text_behind_a_utf8_bom(tmp_path: Path) -> None:
    """Excel's "CSV UTF-8" BOM on text a tool then wrote in Windows' own encoding ("Notional Cost (£)")."""
    text = LFB_INCIDENTS.read_text(encoding="utf-8-sig")
    path = tmp_path / "lfb.csv"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("cp1252"))
    db, result = _import(path)
    assert result.ok, result.summary()  # type: ignore[attr-defined]
    assert result.kind == "lfb_incidents" and result.rows_stored == 20  # type: ignore[attr-defined]


def _refused(path: Path, *words: str) -> str:
    db, result = _import(path)
    assert result.status == "failed", result.summary()  # type: ignore[attr-defined]
    message: str = result.message  # type: ignore[attr-defined]
    for word in words:
        assert word in message, message
    assert "report this" not in message and "universal-newline" not in message
    assert db.execute("SELECT count(*) FROM source").fetchone()[0] == 0  # type: ignore[attr-defined]
    return message


def test_a_csv_cut_off_mid_row_is_refused(westminster: Path, tmp_path: Path) -> None:
    """A download cut off mid-row: today "BURGLA" becomes a notes row and the rest imports."""
    data = westminster.read_bytes()
    cut = data[: data.index(b"\nBURGLARY", 20000) + len(b"\nBURGLA")]
    path = tmp_path / "cut.csv"
    path.write_bytes(cut)
    message = _refused(path, "cut off")
    assert "BURGLA" in message


def test_a_csv_cut_off_inside_a_quoted_cell_is_refused(tmp_path: Path) -> None:
    old = SHARED / "mps-ward-crime" / "MPS_Ward_Level_Crime_most_recent_24_months_202009-202208.csv"
    data = old.read_bytes()[:400_000]
    cut = data[: data.rindex(b',"') + 6]  # inside a quoted category with a comma
    path = tmp_path / "cut-quoted.csv"
    path.write_bytes(cut)
    _refused(path, "cut off")


def test_nul_padding_is_refused(westminster: Path, tmp_path: Path) -> None:
    path = tmp_path / "padded.csv"
    path.write_bytes(westminster.read_bytes() + b"\x00" * 65536)
    _refused(path, "empty (NUL) bytes")
    path.write_bytes(westminster.read_bytes()[:30000] + b"\x00" * 4096 + westminster.read_bytes()[30000:])
    _refused(path, "empty (NUL) bytes")


def test_a_2_gb_sparse_file_is_refused_fast_and_cheaply(tmp_path: Path) -> None:
    """A police.uk header, one row, then 2 GB of NUL bytes (a sparse file): today 4.3 GB of memory, "1 of 1 rows"."""
    lines = STREET.read_bytes().splitlines(keepends=True)
    path = tmp_path / "sparse.csv"
    path.write_bytes(lines[0] + lines[1])
    os.truncate(path, 2 * 1024**3)
    found = import_in_child(path, tmp_path / "store.db", timeout=60)
    print(f"\n2 GB sparse file: {found['seconds']:.2f} s, peak {found['peak_mb']:.0f} MB: {found['message']}")
    assert found["status"] == "failed" and found["sources"] == 0
    assert "empty (NUL) bytes" in str(found["message"])
    assert float(found["read_mb"]) < 50, "the 2 GB of NUL bytes were read"  # type: ignore[arg-type]
    assert float(found["cpu_seconds"]) < 5 and float(found["peak_mb"]) < 400  # type: ignore[arg-type]


def test_a_csv_with_a_million_columns_is_refused_fast_and_cheaply(tmp_path: Path) -> None:
    """48 MB: a police.uk header with a million more columns and rows to match: today > 300 s and 7.7 GB."""
    lines = STREET.read_text(encoding="utf-8-sig").splitlines()
    n = 1_000_000
    path = tmp_path / "wide.csv"
    with path.open("w", encoding="utf-8") as fh:
        fh.write(lines[0] + "," + ",".join(f"c{i}" for i in range(n)) + "\n")
        filler = ",1" * n
        for line in lines[1:21]:
            fh.write(line + filler + "\n")
    assert path.stat().st_size > 45_000_000
    found = import_in_child(path, tmp_path / "store.db", timeout=60)
    print(
        f"\n1M columns ({path.stat().st_size / 1e6:.0f} MB): {found['seconds']:.2f} s, peak {found['peak_mb']:.0f} MB"
    )
    assert found["status"] == "failed" and found["sources"] == 0
    assert "column" in str(found["message"])
    assert float(found["cpu_seconds"]) < 10 and float(found["peak_mb"]) < 600  # type: ignore[arg-type]


def test_data_rows_of_a_million_cells_under_a_real_header_are_refused_fast(tmp_path: Path) -> None:
    """The real police.uk header, then rows a million cells wide (40 MB): pandas alone runs for minutes on it."""
    lines = STREET.read_text(encoding="utf-8-sig").splitlines()
    path = tmp_path / "wide-rows.csv"
    with path.open("w", encoding="utf-8") as fh:
        fh.write(lines[0] + "\n")
        filler = ",1" * 1_000_000
        for line in lines[1:21]:
            fh.write(line + filler + "\n")
    found = import_in_child(path, tmp_path / "store.db", timeout=60)
    print(
        f"\n1M-cell rows ({path.stat().st_size / 1e6:.0f} MB): {found['seconds']:.2f} s, peak {found['peak_mb']:.0f} MB"
    )
    assert found["status"] == "failed" and found["sources"] == 0 and "longer than" in str(found["message"])
    assert float(found["cpu_seconds"]) < 10 and float(found["peak_mb"]) < 600  # type: ignore[arg-type]


def test_too_many_columns_for_the_kind_is_refused(tmp_path: Path) -> None:
    lines = STREET.read_text(encoding="utf-8-sig").splitlines()
    path = tmp_path / "wider.csv"
    extra = 5000
    path.write_text(
        "\n".join(
            [lines[0] + "," + ",".join(f"c{i}" for i in range(extra))] + [line + ",1" * extra for line in lines[1:50]]
        )
        + "\n"
    )
    _refused(path, "columns", "police.uk street crimes")


@pytest.mark.parametrize("name", ["screen.png", "screen.xlsx", "screen.csv"])
def test_a_picture_is_not_a_spreadsheet(name: str, tmp_path: Path) -> None:
    png = sorted(PNG.glob("*.png"))[0]
    path = tmp_path / name
    path.write_bytes(png.read_bytes())
    _refused(path, "image", "not a spreadsheet")


def test_the_lfb_mobilisation_file_gets_a_calm_note(tmp_path: Path) -> None:
    db, result = _import(MOBILISATION)
    assert result.status == "not needed" and result.ok  # type: ignore[attr-defined]
    assert "Incident Records" in result.message and "not needed" in result.summary()  # type: ignore[attr-defined]
    assert "FAILED" not in result.summary()  # type: ignore[attr-defined]
    assert db.execute("SELECT count(*) FROM source").fetchone()[0] == 0  # type: ignore[attr-defined]


def test_a_semicolon_file_that_matches_no_kind_names_the_likely_cause(westminster: Path, tmp_path: Path) -> None:
    rows = _rows(westminster)
    rows[0] = ["Category", "Sub", "Name", "Code", "Borough"] + rows[0][5:]
    path = _write(rows, tmp_path / "semi.csv", delimiter=";")
    message = _refused(path, "semicolon-separated")
    assert message.count("\n") < 20


def test_a_word_document_renamed_xlsx_is_not_a_spreadsheet(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "crime.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    _refused(path, "Word document", "not a spreadsheet")
