"""The fuzzing harness for guarantee 3: seed files of every kind, mutators, and a checker that runs one import on a
fresh copy of a base store and records anything that breaks the contract.

The contract checked for every case: `import_file` returns an ImportResult (never raises, never hangs past
CASE_TIMEOUT); a failed result has a plain message a user can act on (not the importers' catch-all for an
unforeseen exception, which asks the user to report it); a failed import leaves the store exactly as it was; a
successful one leaves it intact with its source row.
"""

from __future__ import annotations

import io
import signal
import sqlite3
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.conftest import ROOT, SHARED_DATA
from tests.reliability.mutators import (  # noqa: F401 - re-exported for the tests
    CSV_MUTATORS,
    SPECIAL_CELLS,
    XLSX_MUTATORS,
    csv_rows,
    rows_to_csv,
    zip_bomb_xlsx,
)

CASE_TIMEOUT = 30  # seconds; a small file that takes longer than this counts as a hang
UNFORESEEN = "report this with the log file"
SEED_LINES = 120


class CaseTimeout(BaseException):  # BaseException, so the importers' `except Exception` cannot eat it
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


# --- the checker -------------------------------------------------------------------------------------------


# Findings reported to the importers' owner and not yet fixed: counted and shown, but they do not fail the run.
# Each entry is a substring of the failed result's message. Empty this when the importers fix them.
KNOWN_ISSUES: dict[str, str] = {}


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
            except BaseException as exc:  # anything at all is a contract breach
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
