"""The fuzzing harness for guarantee 3: seed files of every kind, mutators, and a checker that runs one import on a
fresh copy of a base store and records anything that breaks the contract.

The contract checked for every case: `import_file` returns an ImportResult (never raises, never hangs past
CASE_TIMEOUT); a failed result has a plain message a user can act on (not the importers' catch-all for an
unforeseen exception, which asks the user to report it); a failed import leaves the store exactly as it was; a
successful one leaves it intact with its source row.
"""

from __future__ import annotations

import csv
import io
import random
import signal
import sqlite3
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.conftest import ROOT, SHARED_DATA

CASE_TIMEOUT = 30  # seconds; a small file that takes longer than this counts as a hang
UNFORESEEN = "report this with the log file"
SEED_LINES = 120


class CaseTimeout(BaseException):  # noqa: N818 - BaseException, so the importers' `except Exception` cannot eat it
    pass


def _on_alarm(signum: int, frame: Any) -> None:
    raise CaseTimeout()


def conn_signature(conn: sqlite3.Connection) -> tuple[Any, ...]:
    tables = [
        r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    ]
    counts = tuple((t, conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]) for t in sorted(tables))
    extra = conn.execute(
        "SELECT (SELECT total(count) + total(current) FROM crime_count), (SELECT count(population) FROM ward), "
        "(SELECT group_concat(sha256) FROM source)"
    ).fetchone()
    return counts + (extra,)


# --- seeds -------------------------------------------------------------------------------------------------


def _head(path: Path, lines: int = SEED_LINES) -> bytes:
    with path.open("rb") as fh:
        return b"".join(line for _, line in zip(range(lines), fh, strict=False))


def seed_files() -> dict[str, bytes]:
    """The first lines of every real and demo extract (one or more per importer kind), as bytes."""
    seeds: dict[str, bytes] = {}
    for path in sorted((ROOT / "resources" / "demo").glob("*.csv")):
        seeds[f"demo/{path.name}"] = _head(path)
    for path in sorted((ROOT / "resources" / "templates").glob("*.csv")):
        seeds[f"template/{path.name}"] = path.read_bytes()
    if SHARED_DATA.is_dir():
        for path in sorted(SHARED_DATA.glob("*/*.csv")):
            seeds[f"shared/{path.parent.name}/{path.name}"] = _head(path)
    return seeds


def xlsx_seeds() -> dict[str, bytes]:
    out = {f"template/{p.name}": p.read_bytes() for p in sorted((ROOT / "resources" / "templates").glob("*.xlsx"))}
    for name, data in seed_files().items():
        if name.startswith("demo/"):
            out[name.replace(".csv", ".xlsx")] = csv_to_xlsx(data, title_rows=1)
    return out


def csv_rows(data: bytes) -> list[list[str]]:
    # The csv module's field limit is process-wide and the importers read with it too: raise it only while we read.
    old = csv.field_size_limit(1 << 30)
    try:
        return list(csv.reader(io.StringIO(data.decode("utf-8-sig", errors="replace"))))
    finally:
        csv.field_size_limit(old)


def rows_to_csv(rows: list[list[str]], *, delimiter: str = ",", quoting: int = csv.QUOTE_MINIMAL) -> str:
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, quoting=quoting, lineterminator="\r\n").writerows(rows)
    return buf.getvalue()


def csv_to_xlsx(data: bytes, *, title_rows: int = 0, sheet_first: bool = False) -> bytes:
    """An XLSX of a CSV's rows as a user's Excel would hold them: numbers as numbers, optional title rows above the
    table, optionally an empty cover sheet first."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE  # control characters an XLSX cannot hold at all

    book = Workbook()
    sheet = book.active
    if sheet_first:
        sheet.title = "Cover"
        sheet = book.create_sheet("Data")
    for i in range(title_rows):
        sheet.append([f"Title row {i + 1}: exported by hand"])
    for row in csv_rows(data):
        out: list[Any] = []
        for cell in (ILLEGAL_CHARACTERS_RE.sub("", c) for c in row):
            try:
                out.append(int(cell) if cell.strip().lstrip("-").isdigit() and len(cell) < 15 else cell)
            except ValueError:
                out.append(cell)
        sheet.append(out)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


# --- mutators (seeded) -------------------------------------------------------------------------------------

SPECIAL_CELLS = [
    "",
    " ",
    "NA",
    "NaN",
    "null",
    "-",
    "1,234",
    "0,56",
    "58%",
    "12.5",
    "-3",
    "1e309",
    "99999999999999999999999",
    "٣",
    "１２",
    "2024-13",
    "202413",
    "31/02/2024",
    "0000-00",
    "E05013806",
    "E0501380",
    '=HYPERLINK("http://x")',
    "+cmd|' /C calc'!A0",
    "@SUM(1)",
    "-2+3",
    "\x00",
    '"',
    "\n",
    "\r",
    "\t",
    "\ufeff",
    "<script>x</script>",
    "'; DROP TABLE source; --",
    "caf\u00e9",
    "\u202eevil",
    "💥",
]


def m_flip(rng: random.Random, data: bytes) -> bytes:
    buf = bytearray(data)
    for _ in range(rng.randint(1, 20)):
        i = rng.randrange(len(buf))
        buf[i] ^= 1 << rng.randrange(8)
    return bytes(buf)


def m_truncate(rng: random.Random, data: bytes) -> bytes:
    return data[: rng.randrange(1, len(data))]


def m_nul(rng: random.Random, data: bytes) -> bytes:
    buf = bytearray(data)
    for _ in range(rng.randint(1, 5)):
        buf.insert(rng.randrange(len(buf)), 0)
    return bytes(buf)


def _cells(rng: random.Random, data: bytes, make: Callable[[random.Random], str], n: int) -> bytes:
    rows = csv_rows(data)
    if len(rows) < 2:
        return data
    for _ in range(n):
        r = rng.randrange(1 if rng.random() < 0.8 else 0, len(rows))
        if rows[r]:
            rows[r][rng.randrange(len(rows[r]))] = make(rng)
    return rows_to_csv(rows).encode("utf-8")


def m_special(rng: random.Random, data: bytes) -> bytes:
    return _cells(rng, data, lambda r: r.choice(SPECIAL_CELLS), rng.randint(1, 8))


def m_big_cell(rng: random.Random, data: bytes) -> bytes:
    return _cells(rng, data, lambda r: r.choice('A9,"') * 1_000_000, 1)


def m_lines(rng: random.Random, data: bytes) -> bytes:
    lines = data.splitlines(keepends=True)
    op = rng.choice(["delete", "duplicate", "shuffle", "blank", "header-last", "only-header"])
    if op == "delete" and len(lines) > 1:
        del lines[rng.randrange(len(lines))]
    elif op == "duplicate":
        i = rng.randrange(len(lines))
        lines.insert(i, lines[i])
    elif op == "shuffle":
        body = lines[1:]
        rng.shuffle(body)
        lines = lines[:1] + body
    elif op == "blank":
        for _ in range(rng.randint(1, 10)):
            lines.insert(rng.randrange(len(lines) + 1), b"\r\n" if rng.random() < 0.5 else b",,,,\n")
    elif op == "header-last":
        lines = lines[1:] + lines[:1]
    else:
        lines = lines[:1]
    return b"".join(lines)


def m_header(rng: random.Random, data: bytes) -> bytes:
    rows = csv_rows(data)
    if not rows or not rows[0]:
        return data
    head = rows[0]
    op = rng.choice(["drop", "duplicate", "case", "space", "rename", "swap", "empty"])
    i = rng.randrange(len(head))
    if op == "drop":
        for row in rows:
            if i < len(row):
                del row[i]
    elif op == "duplicate":
        head.append(head[i])
    elif op == "case":
        head[i] = head[i].swapcase()
    elif op == "space":
        head[i] = f"  {head[i]} "
    elif op == "rename":
        head[i] = rng.choice(SPECIAL_CELLS[:20]) + "x"
    elif op == "swap":
        j = rng.randrange(len(head))
        head[i], head[j] = head[j], head[i]
    else:
        head[i] = ""
    return rows_to_csv(rows).encode("utf-8")


def m_encoding(rng: random.Random, data: bytes) -> bytes:
    text = data.decode("utf-8-sig", errors="replace")
    if rng.random() < 0.5:
        text = text.replace("e", "\u00e9", 3).replace("a", "\u2019", 2)
    enc = rng.choice(["utf-16", "utf-16-le", "utf-8-sig", "cp1252", "latin-1", "utf-32", "mac-roman"])
    return text.encode(enc, errors="replace")


def m_dialect(rng: random.Random, data: bytes) -> bytes:
    rows = csv_rows(data)
    delimiter = rng.choice([";", "\t", "|", ","])
    quoting = rng.choice([csv.QUOTE_ALL, csv.QUOTE_MINIMAL, csv.QUOTE_NONNUMERIC])
    try:
        text = rows_to_csv(rows, delimiter=delimiter, quoting=quoting)
    except (ValueError, csv.Error):
        text = rows_to_csv(rows, delimiter=delimiter)
    if rng.random() < 0.3:
        text = text.replace("\r\n", rng.choice(["\n", "\r"]))
    return text.encode("utf-8")


def m_quote(rng: random.Random, data: bytes) -> bytes:
    buf = bytearray(data)
    for _ in range(rng.randint(1, 3)):
        buf.insert(rng.randrange(len(buf)), ord('"'))
    return bytes(buf)


CSV_MUTATORS: dict[str, Callable[[random.Random, bytes], bytes]] = {
    "flip": m_flip,
    "truncate": m_truncate,
    "nul": m_nul,
    "special-cells": m_special,
    "1MB-cell": m_big_cell,
    "lines": m_lines,
    "header": m_header,
    "encoding": m_encoding,
    "dialect": m_dialect,
    "quote": m_quote,
}


def x_rewrite(data: bytes, change: Callable[[str, bytes], bytes | None]) -> bytes:
    """Rewrite an XLSX's zip, passing each member through `change` (None drops it)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dest:
        for info in src.infolist():
            new = change(info.filename, src.read(info.filename))
            if new is not None:
                dest.writestr(info.filename, new)
    return out.getvalue()


def xm_member(rng: random.Random, data: bytes) -> bytes:
    op = rng.choice(["garbage", "empty", "drop", "flip-xml", "truncate-xml", "shared-strings"])

    def change(name: str, body: bytes) -> bytes | None:
        if op == "shared-strings" and name.endswith("sharedStrings.xml"):
            return body.replace(b"<t>", b"<t>" + b"W" * 1_000_000, 1)
        if not name.startswith("xl/worksheets/") and not (op == "drop" and name == "xl/workbook.xml"):
            return body
        if op == "garbage":
            return bytes(rng.randrange(256) for _ in range(500))
        if op == "empty":
            return b""
        if op == "drop":
            return None
        if op == "flip-xml":
            return m_flip(rng, body)
        return body[: rng.randrange(1, max(2, len(body)))]

    return x_rewrite(data, change)


XLSX_MUTATORS: dict[str, Callable[[random.Random, bytes], bytes]] = {
    "zip-flip": m_flip,
    "zip-truncate": m_truncate,
    "member": xm_member,
}


# --- the checker -------------------------------------------------------------------------------------------


# Findings reported to the importers' owner and not yet fixed: counted and shown, but they do not fail the run.
# Each entry is a substring of the failed result's message. Empty this when the importers fix them.
KNOWN_ISSUES: dict[str, str] = {
    "'DataFrame' object has no attribute 'str'": "two headings normalising to one name "
    "(see test_importer_findings.py::test_headings_that_collide_are_a_clear_error)",
}


@dataclass
class Tally:
    cases: int = 0
    imported: int = 0
    failed: int = 0
    problems: Counter[str] = field(default_factory=Counter)
    known: Counter[str] = field(default_factory=Counter)
    examples: dict[str, str] = field(default_factory=dict)

    def problem(self, kind: str, example: str) -> None:
        for marker, why in KNOWN_ISSUES.items():
            if marker in example:
                self.known[why] += 1
                return
        self.problems[kind] += 1
        self.examples.setdefault(kind, example[:400])

    def merge(self, other: Tally) -> None:
        self.cases += other.cases
        self.imported += other.imported
        self.failed += other.failed
        self.problems.update(other.problems)
        self.known.update(other.known)
        for kind, example in other.examples.items():
            self.examples.setdefault(kind, example)

    def report(self) -> str:
        lines = [f"{self.cases} cases: {self.imported} imported, {self.failed} failed cleanly"]
        lines += [f"  PROBLEM x{n}: {kind}: {self.examples[kind]}" for kind, n in self.problems.most_common()]
        lines += [f"  known (reported) x{n}: {why}" for why, n in self.known.most_common()]
        return "\n".join(lines)


class Harness:
    """Imports one case at a time into a fresh in-memory copy of a base store and checks the contract."""

    def __init__(self, base_path: Path, work: Path) -> None:
        self.base = sqlite3.connect(":memory:")
        disk = sqlite3.connect(str(base_path))
        disk.backup(self.base)
        disk.close()
        self.base_signature = conn_signature(self.base)
        self.work = work
        self.tally = Tally()

    def fresh(self) -> Iterator[Any]:
        from sqlite_utils import Database

        conn = sqlite3.connect(":memory:")
        self.base.backup(conn)
        conn.execute("PRAGMA foreign_keys = ON")
        yield Database(conn)
        conn.close()

    def run(self, label: str, data: bytes, suffix: str = ".csv") -> Any:
        from desktop.importers import ImportResult, import_file

        path = self.work / f"case{suffix}"
        path.write_bytes(data)
        self.tally.cases += 1
        for db in self.fresh():
            old = signal.signal(signal.SIGALRM, _on_alarm)
            signal.alarm(CASE_TIMEOUT)
            try:
                result = import_file(db, path)
            except CaseTimeout:
                self.tally.problem("hang", f"{label}: no answer within {CASE_TIMEOUT} s")
                return None
            except BaseException as exc:  # noqa: BLE001 - anything at all is a contract breach
                self.tally.problem(f"raised {type(exc).__name__}", f"{label}: {exc}")
                return None
            finally:
                signal.alarm(0)
                signal.signal(signal.SIGALRM, old)
            self._check(label, db, result, ImportResult)
            return result
        return None

    def _check(self, label: str, db: Any, result: Any, result_type: type) -> None:
        if not isinstance(result, result_type):
            self.tally.problem("not an ImportResult", f"{label}: {result!r}")
            return
        if result.ok:
            self.tally.imported += 1
            if db.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                self.tally.problem("store damaged by an import", label)
            if (
                result.status == "imported"
                and not db.execute("SELECT 1 FROM source WHERE id = ?", [result.source_id]).fetchone()
            ):
                self.tally.problem("imported without a source row", label)
            return
        self.tally.failed += 1
        message = result.message or ""
        if not message.strip():
            self.tally.problem("failed with no message", label)
        elif UNFORESEEN in message:
            head = message.split("(", 1)[-1].split(":", 1)[0]
            self.tally.problem(f"unforeseen error ({head})", f"{label}: {message}")
        elif "Traceback" in message:
            self.tally.problem("traceback in message", f"{label}: {message}")
        if conn_signature(db.conn) != self.base_signature:
            self.tally.problem("failed import changed the store", f"{label}: {message}")


# --- zip bombs ---------------------------------------------------------------------------------------------


def zip_bomb_xlsx(seed_xlsx: bytes, target: Path, inflated_mb: int, *, lie: bool = False) -> Path:
    """A real workbook whose first sheet's XML inflates to `inflated_mb` MB (valid XML: the real header and rows,
    then the same row repeated) while the file stays around 1/1000 of that. With `lie`, the zip's local and central
    headers claim the sheet is only 100 kB (a checker trusting the directory is fooled; the inflater is not bounded
    by it)."""
    import struct

    sheet_name = "xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(io.BytesIO(seed_xlsx)) as src:
        members = {info.filename: src.read(info.filename) for info in src.infolist()}
    sheet = members[sheet_name]
    head, _, tail = sheet.partition(b"</sheetData>")
    last_row = head[head.rindex(b"<row") :]
    last_row = last_row.split(b'r="')[0] + last_row.split(b'r="', 1)[1].split(b'"', 1)[1]  # drop the row number
    last_row = last_row.replace(b' r="', b' x="')
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as dest:
        for name, body in members.items():
            if name != sheet_name:
                dest.writestr(name, body)
        with dest.open(sheet_name, "w", force_zip64=True) as fh:
            fh.write(head)
            block = last_row * max(1, (1 << 20) // len(last_row))
            for _ in range(inflated_mb):
                fh.write(block)
            fh.write(b"</sheetData>" + tail)
    if lie:
        data = bytearray(target.read_bytes())
        with zipfile.ZipFile(target) as zf:
            info = zf.getinfo(sheet_name)
        real = info.file_size
        # zip64 extra fields hold the real sizes: overwrite every 8-byte little-endian copy of the real size
        needle = struct.pack("<Q", real)
        data = bytearray(bytes(data).replace(needle, struct.pack("<Q", 100_000)))
        needle32 = struct.pack("<I", real & 0xFFFFFFFF)
        if real < 0xFFFFFFFF:
            data = bytearray(bytes(data).replace(needle32, struct.pack("<I", 100_000)))
        target.write_bytes(bytes(data))
    return target
