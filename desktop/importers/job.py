"""One file's import: its `source` row, rejected rows, bulk writes, partial months and the final bookkeeping.

A kind module gets an `ImportJob`, reads its table, calls `reject_mask` for bad cells and `write` for good rows,
and returns; `finish` then applies the policy below and updates the source row, all inside the caller's single
transaction (so a failure anywhere leaves the store exactly as it was).

Rejected-row policy (one rule for every kind):
- A file whose structure is wrong (no known header, missing columns, ragged CSV row, damaged XLSX, no data rows)
  fails whole.
- Bad values in rows (text in a count, a negative count, a month in the future, an unknown ward code, a duplicate
  row, ...) are rejected row by row and every rejection is reported (row, column, value, reason). By default ANY
  rejected row fails the whole file, so nothing is half-imported: the user fixes the listed rows and imports
  again. With `skip_bad_rows=True` the good rows are imported and the rejected ones recorded in `rejected_row`
  (the first 1,000; all are counted) - unless more than half the rows are bad, when the file still fails whole.
- Rows that are plainly not data (blank rows, titles above the header, notes under the table, stray cells outside
  the columns) and rows outside the area the store knows (other forces, LSOAs outside the lookup, no location)
  are not errors: they are counted and reported as warnings.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from desktop.errors import check_cancelled
from desktop.importers.detect import Table
from desktop.importers.errors import ImportFailed, Rejection
from desktop.importers.reader import FileFacts
from desktop.importers.supersede import Slice, recompute_all, slice_of, slices_for_source
from desktop.importers.wards import WardInfo, known_wards
from desktop.months import add_months, detect_partial, this_month
from desktop.store.schema import ALL_TYPES_FROM, SUPERSEDING

MAX_REJECTIONS_KEPT = 1000
BULK_MIN_ROWS = 50_000  # inserts this big into a smaller table rebuild its indexes once instead of row by row
Progress = Callable[[int, int, str], None]


class ImportJob:
    def __init__(
        self,
        db: Database,
        facts: FileFacts,
        table: Table,
        *,
        progress: Progress | None = None,
        cancelled: Callable[[], bool] | None = None,
        skip_bad_rows: bool = False,
        begin: Callable[[], None] | None = None,
    ) -> None:
        self.db = db
        self._begin = begin  # takes the store's write lock (the caller's write_transaction), once, at the first write
        self.facts = facts
        self.table = table
        self.kind = table.kind
        self._progress = progress
        self._cancelled = cancelled
        self.skip_bad_rows = skip_bad_rows
        self.rejections: list[Rejection] = []
        self.rows_rejected = 0
        self.rows_read = 0
        self.rows_stored = 0
        self.warnings: list[str] = []
        self.months: set[str] = set()
        self.partial_months: list[str] = []
        # (table, series) -> month -> total, for the partial-month check and the file's coverage (source_month);
        # (table, series, month) -> the crime categories it holds
        self.month_totals: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
        self.month_types: dict[tuple[str, str, str], set[str]] = defaultdict(set)
        self.flagged: dict[tuple[str, str], set[str]] = {}  # (table, series) -> its partial months
        self.series = table.kind
        self.taxonomy: str | None = None  # crime kinds: the crime_count taxonomy they write
        self._dropped_indexes: dict[str, list[str]] = {}
        self._source_id: int | None = None

    @property
    def source_id(self) -> int:
        """The `source` row, written on first use: a whole-file kind parses and checks everything before its
        first write, so the store's write lock is held only while writing (the window stays responsive)."""
        if self._source_id is None:
            self.start_writing()
            self._source_id = self._insert_source()
        return self._source_id

    def start_writing(self) -> None:
        """Take the store's write lock (once): every write goes through here first, so parsing and checking
        before the first write run without the lock and another window or command can write meanwhile."""
        if self._begin is not None:
            begin, self._begin = self._begin, None
            begin()

    # --- progress -------------------------------------------------------------------------------------

    def step(self, message: str, line: int | None = None) -> None:
        """Report progress; `line`: the file line reached, turned into a share of the file's estimated lines."""
        check_cancelled(self._cancelled)
        if not self._progress:
            return
        total = self._estimated_lines() if line is not None else 0
        self._progress(min(line or 0, total), total, message)

    def _estimated_lines(self) -> int:
        """The file's line count, estimated from the average line length of its first 256 KB (CSV only)."""
        if self.facts.fmt != "csv":
            return 0
        with self.facts.path.open("rb") as fh:
            head = fh.read(256 * 1024)
        lines = head.count(b"\n") or 1
        return max(1, int(self.facts.size * lines / max(len(head), 1)))

    # --- the source row -------------------------------------------------------------------------------

    def _insert_source(self) -> int:
        cur = self.db.execute(
            "INSERT INTO source (kind, series, file_name, sha256, size_bytes, imported_at, status) "
            "VALUES (?, ?, ?, ?, ?, ?, 'importing')",
            [
                self.kind,
                self.series,
                self.facts.path.name,
                self.facts.sha256,
                self.facts.size,
                datetime.now().isoformat(timespec="seconds"),
            ],
        )
        return int(cur.lastrowid or 0)

    # --- rejections -----------------------------------------------------------------------------------

    def reject(self, row: int | None, column: str, value: object, reason: str) -> None:
        self.rows_rejected += 1
        if len(self.rejections) < MAX_REJECTIONS_KEPT:
            self.rejections.append(Rejection(row, column, str(value), reason))

    def reject_unknown_wards(self, frame: Any, code: str, hint: str) -> tuple[Any, dict[str, WardInfo]]:
        """Upper-case the ward codes in column `code` and reject rows whose code the store (or the bundled London
        lookup) does not know; `hint` tells the user what to do. Returns the frame and the known wards."""
        frame[code] = frame[code].str.strip().str.upper()
        known = known_wards(self.db)
        reason = f"not a ward code the store knows ({hint})"
        return self.reject_mask(frame, ~frame[code].isin(list(known)), "ward_code", reason, shown=code), known

    def reject_mask(self, frame: Any, mask: Any, column: str, reason: str, shown: str | None = None) -> Any:
        """Reject the rows of `frame` where `mask` is True (reporting the cell of `column`, or `shown`);
        returns the frame without them."""
        count = int(mask.sum())
        if not count:
            return frame
        bad = frame[mask]
        room = MAX_REJECTIONS_KEPT - len(self.rejections)
        if room > 0:
            cells = bad[shown or column] if (shown or column) in bad.columns else None
            for i, row in enumerate(bad["_row"].iloc[:room].tolist()):
                value = "" if cells is None else cells.iloc[i]
                self.rejections.append(Rejection(int(row), column, str(value), reason))
        self.rows_rejected += count
        return frame[~mask]

    def report_cells(self, frame: Any, mask: Any, column: str, reason: str) -> None:
        """Report the bad cells of `column` (rows where `mask`) without counting rows; pair with `drop_rows`."""
        if not mask.any():
            return
        room = MAX_REJECTIONS_KEPT - len(self.rejections)
        for row, value in list(zip(frame.loc[mask, "_row"], frame.loc[mask, column], strict=True))[: max(room, 0)]:
            self.rejections.append(Rejection(int(row), column, str(value), reason))

    def drop_rows(self, frame: Any, mask: Any) -> Any:
        count = int(mask.sum())
        self.rows_rejected += count
        return frame[~mask] if count else frame

    # --- checks shared by kinds -----------------------------------------------------------------------

    def require_columns(self, frame: Any, needed: Sequence[str], label: str) -> None:
        missing = [c for c in needed if c not in frame.columns]
        if missing:
            raise ImportFailed(
                f"This {label} file is missing the column(s): {', '.join(missing)}.",
                f"The file needs these columns: {self.table.spec.expects}.",
            )

    def reject_future_months(self, frame: Any, month_col: str, column_label: str) -> Any:
        future = frame[month_col] > this_month()
        return self.reject_mask(frame, future, column_label, "month is in the future", shown=month_col)

    # --- writing --------------------------------------------------------------------------------------

    def write(self, sql: str, rows: Iterable[Sequence[Any]]) -> int:
        check_cancelled(self._cancelled)
        self.start_writing()
        cur = self.db.conn.executemany(sql, rows)
        n = cur.rowcount if cur.rowcount is not None and cur.rowcount >= 0 else 0
        return int(n)

    def bulk_load(self, table: str, expected_rows: int) -> None:
        """Before a big insert into `table`: if it brings more rows than the table holds, drop the table's secondary
        indexes; `finish` builds them again in the same transaction (building an index once is several times
        faster than growing it row by row, and a failure rolls the drop back with everything else)."""
        if table in self._dropped_indexes or expected_rows < BULK_MIN_ROWS:
            return
        self.start_writing()
        held = self.db.execute(f"SELECT coalesce(max(rowid), 0) FROM {table}").fetchone()[0]
        if expected_rows <= held:
            return
        indexes = self.db.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL", [table]
        ).fetchall()
        for name, _ in indexes:
            self.db.execute(f'DROP INDEX "{name}"')
        self._dropped_indexes[table] = [sql for _, sql in indexes]

    def _restore_indexes(self) -> None:
        for table, statements in self._dropped_indexes.items():
            self.step(f"indexing {table}")
            for sql in statements:
                self.db.execute(sql)
        self._dropped_indexes.clear()

    def add_month_totals(
        self, table: str, months: Any, counts: Any, *, series: Any = "", categories: Any = None
    ) -> None:
        """Accumulate totals per series and month (pandas Series of months and counts; `series`: one name or a
        Series, e.g. police.uk forces; `categories`: the crime category of each count) for the partial-month
        check and the coverage this file gives (source_month)."""
        import pandas as pd

        frame = pd.DataFrame({"month": months.to_numpy(), "count": counts.to_numpy()})
        frame["series"] = series.to_numpy() if isinstance(series, pd.Series) else series
        sums = frame.groupby(["series", "month"], sort=False)["count"].sum()
        for (name, month), total in zip(sums.index.tolist(), sums.tolist(), strict=True):
            self.month_totals[(table, str(name))][str(month)] += int(total)
        if categories is not None:
            frame["cat"] = categories.to_numpy()
            found = frame.groupby(["series", "month"], sort=False)["cat"].unique()
            for (name, month), cats in zip(found.index.tolist(), found.tolist(), strict=True):
                self.month_types[(table, str(name), str(month))].update(str(c) for c in cats)
        self.months.update(str(m) for m in frame["month"].unique())

    def types_of(self, table: str, series: str, month: str) -> str:
        """'*' when the file's month holds every crime type (a police.uk month with ALL_TYPES_FROM or more types, a
        Met ward file, ASB counts), else the JSON list of the types it holds (a police.uk file filtered by type)."""
        cats = self.month_types.get((table, series, month))
        if self.taxonomy != "policeuk" or not cats or len(cats) >= ALL_TYPES_FROM:
            return "*"
        return json.dumps(sorted(cats))

    # --- the end --------------------------------------------------------------------------------------

    def check_policy(self) -> None:
        if self.rows_rejected and (not self.skip_bad_rows or self.rows_rejected * 2 > self.rows_read):
            share = f"{self.rows_rejected:,} of {self.rows_read:,} rows"
            if self.skip_bad_rows:
                raise ImportFailed(
                    f"{share} have problems - more than half the file - so nothing was imported.",
                    "Check it is the right file and its columns hold what their headings say.",
                )
            raise ImportFailed(
                f"{share} have problems, so nothing from this file was imported (the problems are listed below).",
                "Correct those rows in the file and import it again, or import it with 'skip bad rows' "
                "(wardbrief import --skip-bad-rows) to store the good rows and keep a list of the rejected ones.",
            )
        if self.rows_stored == 0 and self.rows_read == 0:
            raise ImportFailed(
                "The file has column headings but no data rows.",
                "Export the extract again with its data, then import it.",
            )

    def flag_partial_months(self) -> None:
        """Judge each series' months against the series' own neighbours (this file's, and for a file of a few
        months the store's in force for the same series, wards and crime types), never against other sources."""
        for (table, series), totals in self.month_totals.items():
            around = {**self._store_totals(table, series, totals), **totals}
            flagged = {m for m in detect_partial(around) if m in totals}
            self.flagged[(table, series)] = flagged
            if flagged:
                marks = ",".join("?" for _ in flagged)
                self.db.execute(
                    f"UPDATE {table} SET partial = 1 WHERE source_id = ? AND series = ? AND month IN ({marks})",
                    [self.source_id, series, *sorted(flagged)],
                )
                self.partial_months = sorted(set(self.partial_months) | flagged)

    def _store_totals(self, table: str, series: str, totals: dict[str, int]) -> dict[str, int]:
        """For a file of only a few months (e.g. one police.uk month): the store's figures in force for the same
        series and wards (and, for a file filtered by type, the same types) in the 12 months either side, so its
        months can be judged against their neighbours too."""
        if not totals or len(totals) >= 4:
            return {}
        first, last = add_months(min(totals), -12), add_months(max(totals), 12)
        where = "current = 1 AND source_id != ? AND month BETWEEN ? AND ? AND series = ?"
        params: list[Any] = [self.source_id, first, last, series]
        if table == "crime_count":
            where += " AND taxonomy = ?"
            params.append(self.taxonomy or "")
            types = {self.types_of(table, series, m) for m in totals}
            if types != {"*"}:
                cats = sorted({c for t in types if t != "*" for c in json.loads(t)})
                where += f" AND category IN ({', '.join('?' for _ in cats)})"
                params += cats
        params.append(self.source_id)
        rows = self.db.execute(
            f"SELECT month, sum(count) FROM {table} WHERE {where} "
            f"AND ward_code IN (SELECT DISTINCT ward_code FROM {table} WHERE source_id = ?) GROUP BY month",
            params,
        ).fetchall()
        return {str(m): int(n) for m, n in rows}

    def _write_coverage(self) -> None:
        """One source_month row per table, series and month this file holds (what coverage reads)."""
        rows = [
            (
                self.source_id,
                table,
                (self.taxonomy or "") if table == "crime_count" else "",
                series,
                month,
                total,
                int(month in self.flagged.get((table, series), set())),
                self.types_of(table, series, month),
            )
            for (table, series), totals in self.month_totals.items()
            for month, total in totals.items()
        ]
        self.db.conn.executemany(
            "INSERT INTO source_month (source_id, tbl, taxonomy, series, month, total, partial, types) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )

    def finish(self, *, first_month: str | None = None, last_month: str | None = None) -> int:
        """Apply the rejection policy, flag partial months, update the source row, recompute what is current.
        Returns the number of keys that now have more than one edition (revisions)."""
        self.check_policy()
        self.start_writing()
        self._restore_indexes()
        self.flag_partial_months()
        self._write_coverage()
        months = sorted(self.months)
        first = first_month or (months[0] if months else None)
        last = last_month or (months[-1] if months else None)
        self.warnings = self.table.notes.warnings() + self.warnings
        self.db.execute(
            "UPDATE source SET series = ?, rows_read = ?, rows_stored = ?, rows_rejected = ?, first_month = ?, "
            "last_month = ?, partial_months = ?, warnings = ?, status = 'ok' WHERE id = ?",
            [
                self.series,
                self.rows_read,
                self.rows_stored,
                self.rows_rejected,
                first,
                last,
                json.dumps(self.partial_months),
                json.dumps(self.warnings),
                self.source_id,
            ],
        )
        if self.rejections:
            self.db.conn.executemany(
                "INSERT INTO rejected_row (source_id, row_number, column_name, value, reason) VALUES (?, ?, ?, ?, ?)",
                [(self.source_id, r.row, r.column, r.value, r.reason) for r in self.rejections],
            )
        revised = recompute_all(self.db, self._slices(), self.source_id)
        if revised:
            self.warnings.append(
                f"{revised:,} ward-month (or other) figures were already in the store from another edition; "
                "the edition in force now follows the newest complete figures, and the older ones are kept as "
                "revision history."
            )
            self.db.execute("UPDATE source SET warnings = ? WHERE id = ?", [json.dumps(self.warnings), self.source_id])
        return revised

    def _slices(self) -> list[Slice]:
        """What this import touched, from what it counted (no scan of the rows it wrote)."""
        out: list[Slice] = []
        counted = {table for table, _ in self.month_totals}
        for table in counted:
            months = sorted({m for (t, _), totals in self.month_totals.items() if t == table for m in totals})
            group = self.taxonomy if table == "crime_count" else None
            if table == "crime_count" and not group:
                out += slices_for_source(self.db, self.source_id, (table,))
            else:
                out.append(slice_of(table, group, months[0], months[-1]))
        rest = tuple(t for t in SUPERSEDING if t not in counted)
        return out + slices_for_source(self.db, self.source_id, rest)


class SeenKeys:
    """Row keys (64-bit hashes) seen so far in a file read in parts: finds repeats within and across parts."""

    def __init__(self) -> None:
        import numpy as np

        self._sorted = np.empty(0, dtype="uint64")

    def check_and_add(self, hashes: Any) -> Any:
        """A boolean array: True where the key was seen before (earlier in this part or in an earlier part)."""
        import numpy as np
        import pandas as pd

        repeat = pd.Series(hashes).duplicated().to_numpy().copy()
        if len(self._sorted):
            pos = np.searchsorted(self._sorted, hashes)
            pos[pos >= len(self._sorted)] = 0
            repeat |= self._sorted[pos] == hashes
        fresh = np.sort(hashes[~repeat])
        self._sorted = np.sort(np.concatenate([self._sorted, fresh]), kind="mergesort") if len(self._sorted) else fresh
        return repeat
