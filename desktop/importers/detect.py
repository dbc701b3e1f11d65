"""Which kind of extract a file is, found from its column headings (never its file name), and where its table is.

A CSV's header is the first of its first 40 lines that matches a kind; an XLSX's is found the same way on every
sheet, so a title or blank rows above the table, or the data on a sheet other than the first, do not matter.
Header names are compared trimmed, case-insensitively, with spaces and underscores treated alike. A CSV's column
separator is whichever of comma, semicolon, tab and bar makes a header row match (most likely first); month headings
may take any form Excel writes (month_headers.py). Each kind has a most columns it can have, so a file with a million
columns is refused before it is read, and a CSV whose last row stops part-way (a download cut off) is refused whole.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from desktop.importers.errors import ImportFailed
from desktop.importers.reader import (
    CHUNK_ROWS,
    HEADER_SCAN_ROWS,
    MAX_WHOLE_CSV_BYTES,
    SNIFF_BYTES,
    FileFacts,
    Notes,
    iter_csv_chunks,
    sniff_csv_rows,
    trim_name,
    xlsx_frame,
    xlsx_rows,
    xlsx_sheets,
)
from desktop.importers.textfile import DELIMITER_NAMES, cut_off, decode_head, delimiters_by_likelihood, last_line_cut
from desktop.kinds import KINDS, KindSpec


def norm(name: object) -> str:
    """'  Crime ID' -> 'crime_id'; 'IncGeo_WardCode' -> 'incgeo_wardcode'."""
    return re.sub(r"[\s_]+", "_", trim_name(name).lower()).strip("_")


def match_kind(cells: list[object]) -> KindSpec | None:
    names = [norm(c) for c in cells if trim_name(c)]
    if len(names) < 2:
        return None
    for spec in KINDS:
        if spec.matches(names):
            return spec
    return None


def expected_kinds_text() -> str:
    return "\n".join(
        f"  - {spec.layout}: {spec.expects}" for spec in KINDS if spec.handler != "lfb.refuse_mobilisation"
    )


def no_kind_error(seen: list[str], opening: str = "WardBrief does not recognise this file:") -> ImportFailed:
    shown = ", ".join(seen[:12]) + (" ..." if len(seen) > 12 else "")
    return ImportFailed(
        f"{opening} its column headings ({shown or 'none found'}) match none of the extract kinds it reads. "
        f"The kinds and the columns each expects are:\n{expected_kinds_text()}",
        "Check you exported the right file (with its column headings row), or copy your data into one of the "
        "templates in the resources/templates folder.",
    )


def too_many_columns(spec: KindSpec, count: int) -> ImportFailed:
    return ImportFailed(
        f"This file has {count:,} columns; a {spec.layout} extract has at most {spec.max_columns:,}, so it has not "
        "been read (it may be damaged, or not the extract its headings say).",
        "Check it is the right file; if extra columns were added to it, remove them and import it again.",
    )


@dataclass
class Table:
    """A file's table: its kind, headings and where they are, and a way to read its data rows."""

    facts: FileFacts
    spec: KindSpec
    columns: list[str]
    header_index: int  # 0-based row/line index of the header row
    sheet: str | None = None
    rows: list[list[Any]] | None = None  # XLSX: the sheet's rows
    notes: Notes = field(default_factory=Notes)
    extra_columns: int = 0  # CSV: blank cells past the last heading on data rows (a trailing comma)
    features: list[dict[str, Any]] | None = None  # boundaries: the features (importers/geojson.py, shp.py)

    @property
    def kind(self) -> str:
        return self.spec.kind

    def chunks(self, chunk_rows: int | None = None) -> Iterator[tuple[Any, bool]]:
        """(frame, is_last) pairs of string frames with normalised column names and a `_row` column."""
        if self.rows is not None:
            frame = xlsx_frame(self.rows, self.header_index)
            frame.columns = normalised_columns(list(frame.columns))
            self.rows = None  # free the raw cells
            yield frame, True
            return
        if not self.spec.streamed and self.facts.size > MAX_WHOLE_CSV_BYTES:
            raise ImportFailed(
                f"This file is {self.facts.size / 1e6:,.0f} MB; a {self.spec.layout} extract is normally a few MB.",
                "Check it is the right file. If it is, split it into smaller files and import each.",
            )
        previous = None
        parts = iter_csv_chunks(self.facts, self.header_index, chunk_rows or CHUNK_ROWS, self.extra_columns)
        for chunk in parts:
            chunk.columns = normalised_columns(list(chunk.columns))
            if previous is not None:
                yield previous, False
            previous = chunk
        if previous is None:
            raise ImportFailed(
                "The file has column headings but no data rows.",
                "Export the extract again with its data, then import it.",
            )
        yield previous, True


def normalised_columns(columns: list[str]) -> list[str]:
    """Normalised column names; two headings that mean the same (e.g. 'action' and 'action_') are an error."""
    names = [c if c == "_row" else norm(c) for c in columns]
    seen: dict[str, str] = {}
    for raw, name in zip(columns, names, strict=True):
        if name in seen and name:
            raise ImportFailed(
                f"Two column headings, '{seen[name]}' and '{raw}', name the same column.",
                "Rename or remove one of them (a heading cut short or typed twice is the usual cause), then import "
                "the file again.",
            )
        seen[name] = raw
    return names


def _blank_extra_cells(rows: list[list[str]], width: int) -> int:
    """How many cells past the headings the first data rows carry, when every such cell is blank (a trailing comma
    on each row); 0 otherwise, so a real extra value is still reported as a ragged row."""
    extra = [row[width:] for row in rows if len(row) > width]
    if not extra or any(cell.strip() for cells in extra for cell in cells):
        return 0
    return max(len(cells) for cells in extra)


def _open_features(facts: FileFacts) -> Table:
    """A boundary file (GeoJSON, or a shapefile read into the same features), found by its property names."""
    if facts.fmt == "shapefile":
        from desktop.importers.shp import read_shapefile

        names, features = read_shapefile(facts.path)
    else:
        from desktop.importers.geojson import read_features

        names, features = read_features(facts)
        facts.fmt = "geojson"
    spec = match_kind(list(names))
    if spec is None:
        raise no_kind_error(names)
    if len(names) > spec.max_columns:
        raise too_many_columns(spec, len(names))
    table = Table(facts, spec, names, 0, features=features)
    table.notes.above_header = 0
    return table


def open_table(facts: FileFacts) -> Table:
    """Find the kind and the header row (and for XLSX, the sheet; for CSV, the column separator)."""
    if facts.fmt == "xlsx":
        return _open_xlsx(facts)
    if facts.fmt == "shapefile":
        return _open_features(facts)
    with facts.path.open("rb") as fh:
        head = decode_head(fh.read(64 * 1024), facts.text_encoding)
    if head.lstrip("\ufeff \t\r\n").startswith("{"):  # JSON: a GeoJSON boundary file, found by its properties
        return _open_features(facts)
    delimiters = delimiters_by_likelihood(head)
    first_rows: list[list[str]] = []
    for delimiter in delimiters:
        rows = sniff_csv_rows(facts, delimiter=delimiter)
        first_rows = first_rows or rows
        for index, row in enumerate(rows):
            spec = match_kind(list(row))
            if spec:
                facts.delimiter = delimiter
                return _csv_table(facts, spec, rows, index)
    if not any(any(c.strip() for c in row) for row in first_rows):
        raise ImportFailed("The file has no data: it is blank.", "Download or export the extract again.")
    first = next((r for r in first_rows if any(c.strip() for c in r)), [])
    seen = [trim_name(c) for c in first if trim_name(c)]
    if delimiters[0] != ",":  # say how it was read, so "semicolon-separated" is never the suspect
        opening = f"This file looks {DELIMITER_NAMES[delimiters[0]]}-separated (WardBrief reads that), but"
        raise no_kind_error(seen, opening)
    raise no_kind_error(seen)


def _csv_table(facts: FileFacts, spec: KindSpec, rows: list[list[str]], index: int) -> Table:
    row = rows[index]
    widest = max(len(r) for r in rows[index:])
    if widest > spec.max_columns:
        raise too_many_columns(spec, widest)
    if len(rows) == index + 1 and facts.size > SNIFF_BYTES:  # the first data row did not fit in the first 256 kB
        raise ImportFailed(
            f"The first row under the headings is longer than {SNIFF_BYTES // 1024} kB; a row of a real extract is a "
            "few hundred characters, so the file has not been read (it may be damaged, or not the extract its "
            "headings say).",
            "Check it is the right file, exported as CSV from the extract's own website or from Excel.",
        )
    if (line := last_line_cut(facts.path, facts.size, facts.text_encoding, facts.delimiter, len(row))) is not None:
        raise cut_off(line)
    table = Table(facts, spec, [trim_name(c) for c in row], index)
    table.notes.above_header = index
    table.extra_columns = _blank_extra_cells(rows[index + 1 :], len(row))
    return table


def _open_xlsx(facts: FileFacts) -> Table:
    first_seen: list[str] = []
    any_sheet = False
    for name, sheet in xlsx_sheets(facts.path):
        any_sheet = True
        head = xlsx_rows(sheet, nrows=HEADER_SCAN_ROWS)
        for index, row in enumerate(head):
            spec = match_kind(row)
            if spec:
                headings = sum(1 for c in row if trim_name(c))
                if headings > spec.max_columns:
                    raise too_many_columns(spec, headings)
                rows = xlsx_rows(sheet)
                if len(rows) <= index + 1:
                    raise ImportFailed(
                        f"The sheet '{name}' has column headings but no data rows.",
                        "Export the extract again with its data, then import it.",
                    )
                table = Table(facts, spec, [trim_name(c) for c in row], index, sheet=name, rows=rows)
                table.notes.above_header = index
                return table
            if not first_seen and any(trim_name(c) for c in row):
                first_seen = [trim_name(c) for c in row if trim_name(c)]
    if not any_sheet or not first_seen:
        raise ImportFailed("The spreadsheet has no data: every sheet is blank.", "Check it is the right file.")
    raise no_kind_error(first_seen)
