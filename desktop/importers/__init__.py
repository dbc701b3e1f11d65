"""Importers (Qt-free): `import_file(db, path)` takes any supported extract and stores it, whole or not at all.

The kind is found from the file's column headings (detect.py); one module per kind reads it; job.py holds the
shared bookkeeping and the rejected-row policy (any bad row fails the file unless `skip_bad_rows=True`);
supersede.py decides which edition's figures are in force. `import_file` never raises for a bad file: it returns
a failed ImportResult whose message says what to do. It raises only `Cancelled`.

The store's write lock: the file is read, detected, parsed and checked with no lock held; the lock (one
BEGIN IMMEDIATE transaction per file) is taken at the job's first write and held to the commit, so another window or
command can save priorities while a slow XLSX parses. Kinds read whole (XLSX, wide Met crime, lookups, surveys) hold it
only for their writes; CSV kinds streamed in parts (long crime, police.uk, LFB) hold it from their first part's write
(buffering every part first would break the memory bound). The same-bytes check is repeated once the lock is held.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterable
from pathlib import Path

from sqlite_utils import Database

from desktop.errors import Cancelled, WardBriefError
from desktop.importers.errors import ImportFailed, NotNeeded, Rejection
from desktop.importers.result import ImportResult
from desktop.kinds import BY_KIND
from desktop.store import write_transaction

log = logging.getLogger(__name__)
Progress = Callable[[int, int, str], None]

__all__ = ["ImportFailed", "ImportResult", "Rejection", "import_file", "import_files"]


class _AlreadyImported(Exception):  # a signal, not an error
    """The same bytes were imported by another writer while this file was being parsed."""

    def __init__(self, source_id: int, kind: str) -> None:
        super().__init__(source_id, kind)
        self.source_id = source_id
        self.kind = kind


def import_file(
    db: Database,
    path: str | Path,
    *,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    skip_bad_rows: bool = False,
) -> ImportResult:
    """Import one extract file in one transaction. Same bytes again -> "already imported", nothing changes."""
    from desktop.importers.detect import open_table
    from desktop.importers.job import ImportJob
    from desktop.importers.reader import file_facts

    path = Path(path)
    progress = _steady(progress)
    result = ImportResult(status="failed", file_name=path.name)
    job: ImportJob | None = None
    try:
        if progress:
            progress(0, 0, "reading the file")
        facts = file_facts(path, cancelled)
        row = db.execute("SELECT id, kind FROM source WHERE sha256 = ?", [facts.sha256]).fetchone()
        if row:
            return ImportResult(status="already imported", file_name=path.name, kind=row[1], source_id=row[0])
        table = open_table(facts)
        result.kind = table.kind
        handler = BY_KIND[table.kind].handler_function()
        with contextlib.ExitStack() as stack:

            def begin() -> None:
                # the write lock is taken at the job's first write, not before parsing (a slow parse must not
                # block other writers); then the same bytes are looked for again, as another process may have
                # imported them meanwhile
                stack.enter_context(write_transaction(db))  # waits for another writer, then StoreBusy
                again = db.execute("SELECT id, kind FROM source WHERE sha256 = ?", [facts.sha256]).fetchone()
                if again:
                    raise _AlreadyImported(int(again[0]), str(again[1]))

            job = ImportJob(
                db, facts, table, progress=progress, cancelled=cancelled, skip_bad_rows=skip_bad_rows, begin=begin
            )
            handler(job)
            if progress:
                progress(0, 0, "checking months and editions")
            job.finish()  # ends with the write lock held: the commit happens as the `with` ends
    except _AlreadyImported as done:
        return ImportResult(status="already imported", file_name=path.name, kind=done.kind, source_id=done.source_id)
    except Cancelled:
        raise
    except NotNeeded as exc:  # recognised, and knowingly not needed: a calm note, not a failure
        return ImportResult(status="not needed", file_name=path.name, kind=result.kind or exc.kind, message=str(exc))
    except WardBriefError as exc:
        result.message = str(exc)
        _copy_counts(result, job, failed=True)
        return result
    except MemoryError:
        result.message = (
            "The computer ran out of memory reading this file; nothing was imported. "
            "Close other programs, or split the file into smaller files and import each."
        )
        return result
    except Exception as exc:  # a file we did not foresee: report it, never crash the caller
        log.exception("import of %s failed unexpectedly", path)
        result.message = (
            f"The file could not be read as a {result.kind or 'known'} extract ({type(exc).__name__}: {exc}); "
            "nothing was imported. Check the file opens in Excel and its columns hold what their headings say; "
            "if it does, report this with the log file."
        )
        _copy_counts(result, job, failed=True)
        return result
    assert job is not None
    result.status = "imported"
    _copy_counts(result, job, failed=False)
    if progress:
        progress(1, 1, "done")
    return result


def _steady(progress: Progress | None) -> Progress | None:
    """Progress that never goes back: a step with no share of its own (total 0) after one with a share keeps it."""
    if progress is None:
        return None
    report = progress
    last = [0, 0]

    def inner(done: int, total: int, message: str) -> None:
        if total <= 0 and last[1] > 0:
            done, total = last
        last[:] = [done, total]
        report(done, total, message)

    return inner


def _copy_counts(result: ImportResult, job: object, *, failed: bool) -> None:
    from desktop.importers.job import ImportJob

    if not isinstance(job, ImportJob):
        return
    result.rows_read = job.rows_read
    result.rows_rejected = job.rows_rejected
    result.rejections = list(job.rejections)
    if failed:
        return
    months = sorted(job.months)
    row = job.db.execute("SELECT first_month, last_month FROM source WHERE id = ?", [job.source_id]).fetchone()
    result.source_id = job.source_id
    result.rows_stored = job.rows_stored
    result.first_month, result.last_month = (row[0], row[1]) if row else (months[0], months[-1])
    result.partial_months = list(job.partial_months)
    result.warnings = list(job.warnings)


def import_files(
    db: Database,
    paths: Iterable[str | Path],
    *,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    skip_bad_rows: bool = False,
) -> list[ImportResult]:
    """Import several files, each in its own transaction (a failed file does not stop the others)."""
    items = list(paths)
    results: list[ImportResult] = []
    for i, item in enumerate(items):
        name = Path(item).name

        def step(done: int, total: int, message: str, i: int = i, name: str = name) -> None:
            if progress:
                progress(i, len(items), f"{name}: {message}")

        results.append(import_file(db, item, progress=step, cancelled=cancelled, skip_bad_rows=skip_bad_rows))
    if progress:
        progress(len(items), len(items), "done")
    return results
