"""Many packs in one go: every chosen ward (or every ward with data), plus one overview per borough involved.

Small batches run in this process; larger ones use a pool of processes (one per core), each with its own read-only
store connection and its own offscreen QGuiApplication; the workers die with their parent (batch_workers.py).
Each pack reads one snapshot of the store, so an import committing meanwhile is wholly in it or wholly not.
Progress is reported per pack. Cancel stops within about a second (running workers are killed, not waited for):
the packs already finished are kept and named in `BatchCancelled`; no half-written file is left. A full disk or an
unwritable folder (a MachineFault) stops the batch at once, with the finished packs kept likewise.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import sqlite3
import time
import unicodedata
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop.errors import Cancelled, WardBriefError, check_cancelled
from desktop.faults import MachineFault
from desktop.reports.batch_workers import die_with_parent, note_out_dir, remove_temp_files, stop_pool
from desktop.reports.options import PackOptions
from desktop.settings import Settings

log = logging.getLogger(__name__)

SERIAL_MAX = 3  # up to this many packs, a process pool costs more than it saves
Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class PackJob:
    kind: str  # "ward" | "overview"
    code: str  # ward code, or borough name for an overview
    name: str


class BatchResult(list[Path]):
    """The paths written (a list), plus `failures`: (pack name, reason) for packs that could not be made, and
    `skipped`: (ward name, reason) for wards left out because they have no figures in the period."""

    def __init__(self, paths: list[Path] | None = None, failures: list[tuple[str, str]] | None = None) -> None:
        super().__init__(paths or [])
        self.failures: list[tuple[str, str]] = failures or []
        self.skipped: list[tuple[str, str]] = []


class BatchCancelled(Cancelled):
    """Cancel was pressed: `kept` are the files finished before it (left in `folder`, whole); nothing else was
    written. str() says so in a sentence."""

    def __init__(self, kept: list[Path], folder: Path) -> None:
        super().__init__(kept, folder)
        self.kept = list(kept)
        self.folder = folder

    def __str__(self) -> str:
        if not self.kept:
            return f"Cancelled. No pack had been finished, so nothing was written to {self.folder}."
        n = len(self.kept)
        return f"Cancelled. The {n} file{'s' if n != 1 else ''} finished before that are kept in {self.folder}."


def safe_name(text: str) -> str:
    """A file-name-safe form: 'St James's' -> 'St_Jamess', 'Knightsbridge & Belgravia' -> 'Knightsbridge_Belgravia'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    ascii_text = ascii_text.replace("'", "")
    return re.sub(r"[^A-Za-z0-9]+", "_", ascii_text).strip("_")[:60] or "area"


def pack_stem(
    job: PackJob, reference_month: str, public: bool, summary: bool = False, large_print: bool = False
) -> str:
    if job.kind == "overview":
        stem = f"{safe_name(job.name)}_overview_{reference_month}"
    else:
        stem = f"{safe_name(job.name)}_{job.code}_{reference_month}"
        stem += "_summary" if summary else ""
    stem += "_large_print" if large_print else ""
    return f"{stem}_{'public' if public else 'internal'}"  # who may see it, in the name a reader sees first


def open_readonly(db_path: Path) -> Any:
    """A read-only connection to the store (no migration, no writes: safe beside the app and other workers)."""
    from sqlite_utils import Database

    if not db_path.exists():
        raise WardBriefError(f"There is no store at {db_path}.", "Import your extracts first (or run wardbrief demo).")
    conn = sqlite3.connect(f"{db_path.resolve().as_uri()}?mode=ro", uri=True, timeout=5, check_same_thread=False)
    conn.execute("PRAGMA busy_timeout = 5000")
    return Database(conn)


def plan_jobs(
    db: Any, ward_codes: list[str] | None, overview: bool, month: str | None = None
) -> tuple[list[PackJob], list[tuple[str, str]]]:
    """Ward jobs in borough/name order, then one overview per borough involved; and the wards skipped, with why.

    Only wards with recorded crime in the 12 months to `month` (default: the latest complete month) get a pack:
    a ward whose only figures lie outside that year (e.g. a neighbouring force's stray rows) would get an empty one.
    """
    from desktop.months import add_months, month_label
    from desktop.reports.build_context import reference_month
    from desktop.store.queries import wards_with_data, wards_with_figures

    with_data = wards_with_data(db)
    end = month or reference_month(db)
    in_period = {w["code"]: w for w in wards_with_figures(db, add_months(end, -11), end)} if end else {}
    if ward_codes is None:
        candidates = with_data
    else:
        by_code = {w["code"]: w for w in with_data}
        missing = [c for c in ward_codes if c not in by_code]
        if missing:
            raise WardBriefError(
                f"No crime figures are stored for ward(s) {', '.join(missing)}.",
                "Check the codes with `wardbrief wards`, or import a crime extract that covers them.",
            )
        candidates = [by_code[c] for c in dict.fromkeys(ward_codes)]  # each ward once, in the order given
    chosen = [w for w in candidates if w["code"] in in_period]
    period = f"the 12 months to {month_label(end)}" if end else "any complete month"
    skipped = [(str(w["name"]), f"no recorded crime in {period}") for w in candidates if w["code"] not in in_period]
    if not chosen:
        if candidates:
            raise WardBriefError(
                f"None of the chosen wards has recorded crime in {period}, so there is nothing to make a pack from.",
                "Choose another month, or import a crime extract that covers it.",
            )
        raise WardBriefError(
            "No ward has crime figures in the store yet, so there is nothing to make a pack from.",
            "Import a Met ward-level crime extract (or run wardbrief demo) first.",
        )
    jobs = [PackJob("ward", w["code"], w["name"]) for w in chosen]
    if overview:
        boroughs: list[str] = []
        for w in chosen:
            if w["borough_name"] and w["borough_name"] not in boroughs:
                boroughs.append(w["borough_name"])
        jobs += [PackJob("overview", b, b) for b in boroughs]
    return jobs, skipped


def render_job(
    db: Any,
    job: PackJob,
    options: PackOptions,
    settings: Settings,
    out_dir: Path,
    xlsx: bool,
    cancelled: Callable[[], bool] | None = None,
) -> list[Path]:
    """Build one pack from one snapshot of the store and write its PDF (and HTML, XLSX) in the edition the options
    ask for. Returns the paths written. `cancelled` is checked between the steps (a pack already written stays)."""
    from desktop.reports.build import build_overview, build_pack
    from desktop.reports.editions import apply_edition
    from desktop.reports.pdf import render_pdf
    from desktop.store import read_snapshot

    with read_snapshot(db):  # figures, sources and names all as of one moment, even while an import commits
        if job.kind == "overview":
            pack = build_overview(db, job.code, options, settings)
        else:
            pack = build_pack(db, job.code, options, settings)
    check_cancelled(cancelled)
    edition = apply_edition(pack, options.summary, options.large_print)
    stem = pack_stem(job, pack.reference_month, options.public, edition.edition == "summary", options.large_print)
    written = [render_pdf(edition, out_dir / f"{stem}.pdf")]
    if options.html:
        from desktop.reports.html import write_html

        try:
            check_cancelled(cancelled)
        except Cancelled:
            raise _CancelledAfter(written) from None
        written.append(write_html(edition, out_dir / f"{stem}.html"))
    if xlsx:  # the appendix holds every table of the full pack, whatever the edition
        from desktop.reports.xlsx import write_xlsx

        try:
            check_cancelled(cancelled)
        except Cancelled:
            raise _CancelledAfter(written) from None
        written.append(write_xlsx(pack, out_dir / f"{stem}.xlsx"))
    return written


class _CancelledAfter(Cancelled):  # a signal inside this module
    """Cancel came after some of a pack's files were written (they are whole, and kept)."""

    def __init__(self, written: list[Path]) -> None:
        super().__init__(written)
        self.written = written


# --- worker processes ---------------------------------------------------------------------------------------

_worker_db: Any = None


def _worker_init(db_path: str, parent_pid: int | None = None) -> None:
    global _worker_db
    if parent_pid is not None:
        die_with_parent(parent_pid)
    os.environ["QT_QPA_PLATFORM"] = "offscreen"  # workers never show anything
    os.environ.setdefault("MPLBACKEND", "Agg")
    from desktop.reports.pdf import ensure_gui_app

    ensure_gui_app()
    _worker_db = open_readonly(Path(db_path))


def _worker_run(job: PackJob, options: PackOptions, settings: Settings, out_dir: str, xlsx: bool) -> list[str]:
    note_out_dir(Path(out_dir))
    return [str(p) for p in render_job(_worker_db, job, options, settings, Path(out_dir), xlsx)]


# --- the batch ----------------------------------------------------------------------------------------------


def write_packs(
    db_path: str | os.PathLike[str],
    ward_codes: list[str] | None,
    options: PackOptions,
    out_dir: str | os.PathLike[str],
    *,
    xlsx: bool = False,
    overview: bool = True,
    workers: int = 0,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> BatchResult:
    """Write a pack per ward (None = every ward with data) and an overview per borough into `out_dir`.

    `workers`: 0 = one process per core when the batch is big enough, 1 = in this process, n = n processes.
    Returns the paths written (a BatchResult: `.failures` lists packs that could not be made, with the reason).
    Raises BatchCancelled (a Cancelled naming the files kept) within about a second of `cancelled()` turning true,
    and MachineFault when the folder cannot be written (checked first) or the disk fills up.
    """
    from desktop import paths
    from desktop.settings import load_settings

    settings = load_settings(paths.settings_path())
    db_file = Path(db_path)
    out = Path(out_dir)
    _check_writable(out)
    db = open_readonly(db_file)
    try:
        jobs, skipped = plan_jobs(db, ward_codes, overview, options.month)
        n_workers = workers if workers > 0 else min(os.cpu_count() or 1, len(jobs))
        if n_workers <= 1 or len(jobs) <= SERIAL_MAX:
            result = _run_serial(db, jobs, options, settings, out, xlsx, progress, cancelled)
            result.skipped = skipped
            return result
    finally:
        db.close()
    result = _run_pool(db_file, jobs, options, settings, out, xlsx, n_workers, progress, cancelled)
    result.skipped = skipped
    return result


def _check_writable(out: Path) -> None:
    """Fail at once, in plain words, when the output folder cannot be made or written (not after the first pack)."""
    from desktop.atomic import write_bytes
    from desktop.faults import next_step_for, os_cause

    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = write_bytes(out / f".wardbrief-write-test-{os.getpid()}", b"ok", "A test file")
        probe.unlink(missing_ok=True)
    except (OSError, MachineFault) as exc:
        original = exc if isinstance(exc, OSError) else exc.__cause__
        cause = os_cause(original) if isinstance(original, OSError) else str(exc)
        raise MachineFault(
            f"The output folder {out} cannot be written: {cause}. No pack was made.", next_step_for(cause)
        ) from exc


def _report(progress: Progress | None, done: int, total: int, message: str) -> None:
    if progress is not None:
        progress(done, total, message)


def _finish(result: BatchResult, total: int) -> BatchResult:
    if result.failures and not result:
        name, reason = result.failures[0]
        raise WardBriefError(f"No pack could be made. {name}: {reason}", "Check the data for the chosen month.")
    for name, reason in result.failures:
        log.warning("pack not made for %s: %s", name, reason)
    return result


def _stopped_by_fault(exc: MachineFault, kept: list[Path], out: Path) -> MachineFault:
    """The batch stops at a full disk or an unwritable folder; say so, and what was kept."""
    n = len(kept)
    done = f" The {n} file{'s' if n != 1 else ''} finished before that are kept in {out}." if n else ""
    return MachineFault(f"{exc.message} The batch was stopped.{done}", exc.next_step)


def _failure_text(exc: BaseException) -> str:
    if isinstance(exc, WardBriefError):
        return str(exc)
    log.error("pack failed unexpectedly", exc_info=exc)
    return f"unexpected error ({type(exc).__name__}: {exc}); see the log"


def _run_serial(
    db: Any,
    jobs: list[PackJob],
    options: PackOptions,
    settings: Settings,
    out: Path,
    xlsx: bool,
    progress: Progress | None,
    cancelled: Callable[[], bool] | None,
) -> BatchResult:
    from desktop.reports.pdf import ensure_gui_app

    ensure_gui_app()
    result = BatchResult()
    total = len(jobs)
    _report(progress, 0, total, f"Making {total} pack(s)…")
    for done, job in enumerate(jobs, start=1):
        try:
            check_cancelled(cancelled)
            result.extend(render_job(db, job, options, settings, out, xlsx, cancelled))
            _report(progress, done, total, f"{job.name}: written")
        except _CancelledAfter as stop:
            raise BatchCancelled(result + stop.written, out) from None
        except Cancelled:
            raise BatchCancelled(list(result), out) from None
        except MachineFault as exc:
            raise _stopped_by_fault(exc, list(result), out) from exc
        except Exception as exc:  # one bad ward must not sink the batch
            result.failures.append((job.name, _failure_text(exc)))
            _report(progress, done, total, f"{job.name}: not made ({result.failures[-1][1]})")
    return _finish(result, total)


def _files_of(out: Path, jobs: list[PackJob], since: float) -> list[Path]:
    """Whole files this run wrote for `jobs` (packs a killed worker finished before it could report them)."""
    from desktop.atomic import is_temp_file

    found: list[Path] = []
    for job in jobs:
        middle = "overview" if job.kind == "overview" else job.code
        for path in out.glob(f"{safe_name(job.name)}_{middle}_*"):
            with contextlib.suppress(OSError):
                if not is_temp_file(path) and path.stat().st_mtime >= since:
                    found.append(path)
    return found


def _run_pool(
    db_file: Path,
    jobs: list[PackJob],
    options: PackOptions,
    settings: Settings,
    out: Path,
    xlsx: bool,
    n_workers: int,
    progress: Progress | None,
    cancelled: Callable[[], bool] | None,
) -> BatchResult:
    import multiprocessing

    result = BatchResult()
    total = len(jobs)
    started = time.time() - 1  # (file times may be coarser than the clock)
    _report(progress, 0, total, f"Making {total} packs, {n_workers} at a time…")
    context = multiprocessing.get_context("spawn")  # never fork a process that may hold Qt/GUI state
    pool = ProcessPoolExecutor(
        n_workers, mp_context=context, initializer=_worker_init, initargs=(str(db_file), os.getpid())
    )
    pending: dict[Future[list[str]], PackJob] = {}
    queue = list(jobs)
    done = 0
    try:
        while queue or pending:
            check_cancelled(cancelled)
            while queue and len(pending) < n_workers * 2:
                job = queue.pop(0)
                pending[pool.submit(_worker_run, job, options, settings, str(out), xlsx)] = job
            finished, _ = wait(list(pending), timeout=0.2, return_when=FIRST_COMPLETED)
            for future in finished:
                job = pending.pop(future)
                done += 1
                try:
                    result.extend(Path(p) for p in future.result())
                    _report(progress, done, total, f"{job.name}: written")
                except MachineFault:
                    raise
                except Exception as exc:
                    result.failures.append((job.name, _failure_text(exc)))
                    _report(progress, done, total, f"{job.name}: not made ({result.failures[-1][1]})")
    except BaseException as exc:
        remove_temp_files(out, stop_pool(pool) | {os.getpid()})  # nothing more is written after this
        kept = list(result)
        for future, job in pending.items():  # packs finished while Cancel came: whole, so kept
            if future.done() and not future.cancelled() and future.exception() is None:
                kept.extend(Path(p) for p in future.result())
            else:
                kept.extend(p for p in _files_of(out, [job], started) if p not in kept)
        if isinstance(exc, Cancelled):
            raise BatchCancelled(kept, out) from None
        if isinstance(exc, MachineFault):
            raise _stopped_by_fault(exc, kept, out) from exc
        raise
    pool.shutdown(wait=True)
    return _finish(result, total)
