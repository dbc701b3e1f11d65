"""Low-level reading of extract files: CSV lines, XLSX rows, cell text, notes rows (what the file is: facts.py).

Everything here works on plain strings: CSV cells are read as text (`dtype=str`, no NA guessing), XLSX cells are
turned into the text a user sees in Excel (12.0 -> "12", a date -> "2024-01-31"). The kind modules convert and
validate the text themselves, so "numbers stored as text" and real numbers are the same thing to them.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desktop.importers import shp
from desktop.importers.errors import ImportFailed
from desktop.importers.facts import MAX_XLSX_INFLATED as MAX_XLSX_INFLATED
from desktop.importers.facts import OLE_MAGIC, damaged, read_through
from desktop.importers.facts import SNIFF_BYTES as SNIFF_BYTES
from desktop.importers.facts import FileFacts as FileFacts
from desktop.importers.facts import _check_inflated_size as _check_inflated_size
from desktop.importers.textfile import ZIP_MAGIC, Encoding, check_tail, decode_head, not_a_spreadsheet, sniff_encoding

HEADER_SCAN_ROWS = 40
CHUNK_ROWS = 200_000
# Kinds read whole (not streamed) refuse files above this: their real extracts are a few MB at most.
MAX_WHOLE_CSV_BYTES = 150 * 1024 * 1024
MAX_XLSX_BYTES = 100 * 1024 * 1024


def file_facts(path: Path, cancelled: Callable[[], bool] | None = None) -> FileFacts:
    """Size, sha256 and format in one pass; for text also its encoding (textfile.py), refusing NUL-padded text
    (from its last bytes first, so a huge sparse file costs nothing) and naming a file that is no spreadsheet."""
    if not path.exists():
        raise ImportFailed(f"The file {path} does not exist.", "Check the name and folder, then try again.")
    if not path.is_file():
        raise ImportFailed(f"{path} is a folder, not a file.", "Choose the extract file itself (CSV or XLSX).")
    size = path.stat().st_size
    if size == 0:
        raise ImportFailed("The file is empty (0 bytes).", "Download or export the extract again, then import it.")
    if (part := shp.side_part(path)) is not None:
        raise part
    try:
        with path.open("rb") as fh:
            head = fh.read(SNIFF_BYTES)
        if head.startswith(shp.SHP_MAGIC) or (head.startswith(ZIP_MAGIC) and _zipped_shapefile(path)):
            sha256 = shp.fingerprint(path) or read_through(path, size, "shapefile", Encoding("utf-8"), cancelled)[0]
            return FileFacts(path, size, sha256, "shapefile", "utf-8")
        if head.startswith(OLE_MAGIC):
            raise ImportFailed(
                "This is an old-style Excel file (.xls), which WardBrief does not read.",
                "Open it in Excel and save it as .xlsx or CSV, then import that.",
            )
        if (other := not_a_spreadsheet(head)) is not None:
            raise other
        fmt = "xlsx" if head.startswith(ZIP_MAGIC) else "csv"
        encoding = sniff_encoding(head) if fmt == "csv" else Encoding("utf-8-sig")
        if fmt == "csv":
            check_tail(path, size, encoding)
        sha256, utf8 = read_through(path, size, fmt, encoding, cancelled)
    except OSError as exc:
        raise ImportFailed(
            f"The file cannot be read ({exc.strerror or exc}).", "Close it in other programs and try again."
        ) from exc
    if fmt == "xlsx" and size > MAX_XLSX_BYTES:
        raise ImportFailed(
            f"This spreadsheet is {size / 1e6:,.0f} MB, more than WardBrief reads from an XLSX file "
            f"({MAX_XLSX_BYTES / 1e6:,.0f} MB).",
            "Save it as CSV (in Excel: File > Save As > CSV UTF-8) and import the CSV, which is read in parts.",
        )
    if fmt == "xlsx":
        _check_inflated_size(path)
    if encoding.codec == "utf-8":
        encoding = Encoding("utf-8-sig") if utf8 else Encoding("cp1252")
    elif encoding.codec == "utf-8-sig" and not utf8:  # a UTF-8 BOM in front of Windows text
        encoding = Encoding("cp1252", skip=len(codecs.BOM_UTF8))
    return FileFacts(path, size, sha256, fmt, encoding.codec, encoding.skip)


def _zipped_shapefile(path: Path) -> bool:
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            return bool(shp.zip_shapefiles(archive.namelist()))
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError):
        return False  # file_facts names a damaged zip as it does any other


def sniff_csv_rows(facts: FileFacts, limit: int = HEADER_SCAN_ROWS, delimiter: str | None = None) -> list[list[str]]:
    """The first `limit` rows of a CSV as lists of cells (for finding the header). Any line end (CR alone too)."""
    with facts.path.open("rb") as fh:
        raw = fh.read(SNIFF_BYTES)
    text = decode_head(raw, facts.text_encoding)
    if len(raw) == SNIFF_BYTES:  # drop the cut-off last line
        end = max(text.rfind("\n"), text.rfind("\r"))
        if end < 0:
            raise ImportFailed(
                f"The first line of this file is longer than {SNIFF_BYTES // 1024} kB, so it cannot be column "
                f"headings: a real extract's first line is a few hundred characters (this one has at least "
                f"{text.count(delimiter or facts.delimiter):,} separators). Nothing was imported.",
                "Check it is the right file, exported as CSV from the extract's own website or from Excel.",
            )
        text = text[: end + 1]
    rows: list[list[str]] = []
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter or facts.delimiter):
            rows.append(row)
            if len(rows) >= limit:
                break
    except csv.Error as exc:
        raise ImportFailed(
            f"The start of the file is not readable as CSV ({exc}).", "Check it is a CSV export of the extract."
        ) from exc
    return rows


def trim_name(name: object) -> str:
    return cell_text(name).replace("\ufeff", "").strip()


def cell_text(value: object) -> str:
    """The text of a spreadsheet cell as a user reads it."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value != value:  # NaN
            return ""
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(int(value.total_seconds()))
    return str(value).strip()


def xlsx_sheets(path: Path) -> Iterator[tuple[str, Any]]:
    """(name, sheet) pairs of a workbook, loaded one at a time, via python-calamine (the engine behind pandas'
    `engine="calamine"`)."""
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
        names = list(book.sheet_names)
    except Exception as exc:  # calamine raises its own error types for damaged files
        raise damaged(exc) from exc
    for name in names:
        try:
            sheet = book.get_sheet_by_name(name)
        except Exception as exc:
            raise damaged(exc) from exc
        yield name, sheet


def xlsx_rows(sheet: Any, nrows: int | None = None) -> list[list[Any]]:
    try:
        rows: list[list[Any]] = sheet.to_python(skip_empty_area=False, nrows=nrows)
    except Exception as exc:
        raise ImportFailed(
            f"The sheet '{getattr(sheet, 'name', '?')}' cannot be read; the file looks damaged ({exc}).",
            "Download or save the file again, then import it.",
        ) from exc
    return rows


@dataclass
class Notes:
    """What was skipped while reading (blank rows, notes under the table, stray cells)."""

    blank_rows: int = 0
    notes_rows: list[tuple[int, str]] = field(default_factory=list)
    stray_cells: list[tuple[int, str]] = field(default_factory=list)
    above_header: int = 0

    def warnings(self) -> list[str]:
        out: list[str] = []
        if self.above_header:
            out.append(f"{self.above_header} title or blank row(s) above the column headings were skipped.")
        if self.blank_rows:
            out.append(f"{self.blank_rows:,} blank row(s) were skipped.")
        if self.notes_rows:
            row, text = self.notes_rows[0]
            out.append(f"{len(self.notes_rows)} notes row(s) below the table were ignored (row {row}: '{text[:60]}').")
        if self.stray_cells:
            row, text = self.stray_cells[0]
            out.append(
                f"{len(self.stray_cells)} stray cell(s) outside the table's columns were ignored "
                f"(row {row}: '{text[:40]}')."
            )
        return out


def iter_csv_chunks(
    facts: FileFacts, header_index: int, chunk_rows: int = CHUNK_ROWS, extra_columns: int = 0
) -> Iterator[Any]:  # Iterator[pd.DataFrame]
    """Data rows below the header row (0-based line index) as string DataFrames, `chunk_rows` at a time.

    Each frame has a `_row` column: the 1-based line number of the row in the file. `extra_columns`: blank cells
    the data rows carry past the headings (a trailing comma); they are read as empty "Unnamed" columns.
    """
    import warnings

    import pandas as pd

    names: list[str] | None = None
    if extra_columns:
        header = sniff_csv_rows(facts, header_index + 1)[header_index]
        names = [trim_name(c) or f"Unnamed: {i}" for i, c in enumerate(header)]
        names += [f"Unnamed: {len(header) + i}" for i in range(extra_columns)]
    source: Any = facts.path
    if facts.skip:  # a BOM in front of cp1252 text: read the text after it
        handle = facts.path.open("rb")
        handle.seek(facts.skip)
        source = io.TextIOWrapper(handle, encoding=facts.encoding, newline="")
    try:
        reader = pd.read_csv(
            source,
            sep=facts.delimiter,
            skiprows=header_index + 1 if names else header_index,
            header=None if names else 0,
            names=names,
            index_col=False,  # never take a first column as the index (a ragged first row must be an error)
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=False,
            encoding=None if facts.skip else facts.encoding,
            chunksize=chunk_rows,
            on_bad_lines="error",
        )
        first_line = header_index + 2
        parts = iter(reader)
        while True:
            with warnings.catch_warnings():
                warnings.simplefilter("error", pd.errors.ParserWarning)
                chunk = next(parts, None)
            if chunk is None:
                break
            chunk.columns = [trim_name(c) for c in chunk.columns]
            chunk["_row"] = range(first_line, first_line + len(chunk))
            first_line += len(chunk)
            yield chunk
    except pd.errors.ParserWarning as exc:
        line = _first_long_row(facts, header_index)
        where = f" at line {line}" if line else ""
        raise ImportFailed(
            f"The CSV file has a row with more cells than there are column headings{where}.",
            "Open the file, fix or remove that row (often a value with an unquoted comma), and import it again.",
        ) from exc
    except pd.errors.ParserError as exc:
        text = str(exc)
        line = _line_from_parser_error(text, header_index)
        where = f" at line {line}" if line else ""
        raise ImportFailed(
            f"The CSV file has a row with the wrong number of cells{where} ({text.strip()}).",
            "Open the file, fix or remove that row (often a value with an unquoted comma), and import it again.",
        ) from exc
    except pd.errors.EmptyDataError as exc:
        raise ImportFailed("The file has no rows.", "Download or export the extract again.") from exc
    except UnicodeDecodeError as exc:
        raise ImportFailed(
            "The file's text encoding cannot be read.", "Save it again as CSV UTF-8 and import that."
        ) from exc
    finally:
        if source is not facts.path:
            source.close()


def _first_long_row(facts: FileFacts, header_index: int) -> int | None:
    """The line number of the first row with more cells than the header (only run when pandas found one)."""
    try:
        with facts.path.open("rb") as raw:
            raw.seek(facts.skip)
            fh = io.TextIOWrapper(raw, encoding=facts.encoding, newline="")
            rows = csv.reader(fh, delimiter=facts.delimiter)
            width = 0
            for number, row in enumerate(rows, start=1):
                if number == header_index + 1:
                    width = len(row)
                elif number > header_index + 1 and len(row) > width:
                    return number
    except (OSError, UnicodeDecodeError, csv.Error):
        return None
    return None


def _line_from_parser_error(text: str, header_index: int) -> int | None:
    import re

    found = re.search(r"line (\d+)", text)
    if not found:
        return None
    # pandas counts lines from the header it was given
    return int(found.group(1)) + header_index


def split_blank_and_notes(frame: Any, key_columns: list[str], notes: Notes, is_last: bool) -> Any:
    """Drop blank rows; on the last part, drop a block of notes rows under the table (rows whose key cells are
    all blank except perhaps one, with at most two cells filled). Returns the remaining frame.

    Only rows with a blank key cell are looked at in full, so this stays cheap on long files."""
    if frame.empty:
        return frame
    keys = [c for c in key_columns if c in frame.columns] or [c for c in frame.columns if c != "_row"][:1]
    import pandas as pd

    key_blank = pd.Series(sum(_blank(frame[c]) for c in keys), index=frame.index)
    suspects = frame[key_blank >= len(keys) - 1]
    if suspects.empty:
        return frame
    cols = [c for c in frame.columns if c != "_row"]
    filled = suspects[cols].apply(lambda col: col.astype(str).str.strip() != "").sum(axis=1)
    blank_index = set(filled.index[filled == 0])
    drop = set(blank_index)
    if is_last:
        noteish = set(filled.index[(filled <= 2) & (key_blank[filled.index] >= len(keys) - 1)])
        tail = []
        for index in reversed(frame.index.tolist()):  # the trailing block of blank / note-like rows
            if index not in noteish:
                break
            tail.append(index)
        for index in reversed(tail):
            row = frame.loc[index]
            text = " ".join(str(row[c]).strip() for c in cols if str(row[c]).strip())
            if text:
                notes.notes_rows.append((int(row["_row"]), text))
        drop.update(tail)
    notes.blank_rows += len(blank_index)
    return frame.drop(index=list(drop)) if drop else frame


def _blank(col: Any) -> Any:
    """A boolean array: True where a text cell is empty or only spaces (each distinct value looked at once)."""
    import numpy as np
    import pandas as pd

    uniques = pd.unique(col.to_numpy())
    try:
        blanks = [u for u in uniques if not u or u.isspace()]
    except AttributeError:  # a cell that is not text (not seen in practice: every cell is read as text)
        return (col.astype(str).str.strip() == "").to_numpy()
    if not blanks:
        return np.zeros(len(col), dtype=bool)
    return col.isin(blanks).to_numpy()


def xlsx_frame(rows: list[list[Any]], header_index: int) -> Any:
    """A string DataFrame from XLSX rows below the header (with `_row` = 1-based spreadsheet row number).

    Built column by column from plain lists (much faster than a DataFrame of objects for 500k-row sheets)."""
    import pandas as pd

    header = [trim_name(c) for c in rows[header_index]]
    body = rows[header_index + 1 :]
    width = max(len(header), max((len(r) for r in body[:1]), default=0))
    header = header + [""] * (width - len(header))
    names = [h if h else f"Unnamed: {i}" for i, h in enumerate(header)]
    seen: dict[str, int] = {}
    for i, name in enumerate(names):  # de-duplicate like pandas does
        if name in seen:
            seen[name] += 1
            names[i] = f"{name}.{seen[name]}"
        else:
            seen[name] = 0
    rectangular = set(map(len, body)) == {width}  # calamine pads rows to the sheet's width
    data: dict[str, Any] = {}
    for i, name in enumerate(names):  # (a list comprehension per column: zip(*body) measured 2x slower)
        values = [r[i] for r in body] if rectangular else [r[i] if i < len(r) else None for r in body]
        data[name] = pd.Series(_text_values(values), dtype=object)
    frame = pd.DataFrame(data)
    frame["_row"] = range(header_index + 2, header_index + 2 + len(frame))
    return frame


def _text_values(values: list[Any]) -> list[str]:
    """Cells as text, with fast paths for the common all-text and all-whole-number columns."""
    kinds = set(map(type, values))
    if kinds <= {str}:
        return values  # (CSV cells are not trimmed either; key columns are trimmed where they are read)
    if kinds == {float}:  # numbers: whole ones as "12" (vectorised; else cell by cell below)
        import numpy as np

        numbers = np.array(values, dtype=np.float64)
        if bool(np.all(np.abs(numbers) < 2.0**53)) and bool(np.all(numbers == np.trunc(numbers))):
            return list(map(str, numbers.astype(np.int64).tolist()))
    if kinds <= {float, int} and all(float(v).is_integer() for v in values):
        return [str(int(v)) for v in values]
    return [cell_text(v) for v in values]
