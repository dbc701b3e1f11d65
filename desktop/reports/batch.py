"""Many packs in one go: every chosen ward (or every ward with data), plus one overview per borough involved.

Small batches run in this process; larger ones use a pool of processes (one per core), each with its own read-only
store connection and its own offscreen QGuiApplication. Progress is reported per pack; Cancel is honoured between
packs, and then nothing this run wrote is kept.
"""

from __future__ import annotations

import logging
import os
import re
import sqlite3
import unicodedata
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop.errors import Cancelled, WardBriefError, check_cancelled
from desktop.reports.options import PackOptions
from desktop.settings import Settings

log = logging.getLogger(__name__)

SERIAL_MAX = 3  # up to this many packs, a process pool costs more than it saves
Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class Job:
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


def safe_name(text: str) -> str:
    """A file-name-safe form: 'St James's' -> 'St_Jamess', 'Knightsbridge & Belgravia' -> 'Knightsbridge_Belgravia'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    ascii_text = ascii_text.replace("'", "")
    return re.sub(r"[^A-Za-z0-9]+", "_", ascii_text).strip("_")[:60] or "area"


def pack_stem(job: Job, reference_month: str, public: bool) -> str:
    if job.kind == "overview":
        stem = f"{safe_name(job.name)}_overview_{reference_month}"
    else:
        stem = f"{safe_name(job.name)}_{job.code}_{reference_month}"
    return stem if public else f"{stem}_internal"


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
) -> tuple[list[Job], list[tuple[str, str]]]:
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
    jobs = [Job("ward", w["code"], w["name"]) for w in chosen]
    if overview:
        boroughs: list[str] = []
        for w in chosen:
            if w["borough_name"] and w["borough_name"] not in boroughs:
                boroughs.append(w["borough_name"])
        jobs += [Job("overview", b, b) for b in boroughs]
    return jobs, skipped


def render_job(db: Any, job: Job, options: PackOptions, settings: Settings, out_dir: Path, xlsx: bool) -> list[Path]:
    """Build one pack and write its PDF (and XLSX). Returns the paths written."""
    from desktop.reports.build import build_overview, build_pack
    from desktop.reports.pdf import render_pdf

    if job.kind == "overview":
        pack = build_overview(db, job.code, options, settings)
    else:
        pack = build_pack(db, job.code, options, settings)
    stem = pack_stem(job, pack.reference_month, options.public)
    written = [render_pdf(pack, out_dir / f"{stem}.pdf")]
    if xlsx:
        from desktop.reports.xlsx import write_xlsx

        written.append(write_xlsx(pack, out_dir / f"{stem}.xlsx"))
    return written


# --- worker processes ---------------------------------------------------------------------------------------

_worker_db: Any = None


def _worker_init(db_path: str) -> None:
    global _worker_db
    os.environ["QT_QPA_PLATFORM"] = "offscreen"  # workers never show anything
    os.environ.setdefault("MPLBACKEND", "Agg")
    from desktop.reports.pdf import ensure_gui_app

    ensure_gui_app()
    _worker_db = open_readonly(Path(db_path))


def _worker_run(job: Job, options: PackOptions, settings: Settings, out_dir: str, xlsx: bool) -> list[str]:
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
) -> list[Path]:
    """Write a pack per ward (None = every ward with data) and an overview per borough into `out_dir`.

    `workers`: 0 = one process per core when the batch is big enough, 1 = in this process, n = n processes.
    Returns the paths written (a BatchResult: `.failures` lists packs that could not be made, with the reason).
    Raises Cancelled (removing what this run wrote) when `cancelled()` turns true between packs.
    """
    from desktop import paths
    from desktop.settings import load_settings

    settings = load_settings(paths.settings_path())
    db_file = Path(db_path)
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WardBriefError(f"The folder {out} cannot be created ({exc}).", "Choose another folder.") from exc
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


def _failure_text(exc: BaseException) -> str:
    if isinstance(exc, WardBriefError):
        return str(exc)
    log.error("pack failed unexpectedly", exc_info=exc)
    return f"unexpected error ({type(exc).__name__}: {exc}); see the log"


def _remove(paths: list[Path]) -> None:
    for path in paths:
        path.unlink(missing_ok=True)


def _run_serial(
    db: Any,
    jobs: list[Job],
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
        except Cancelled:
            _remove(result)
            raise
        try:
            result.extend(render_job(db, job, options, settings, out, xlsx))
            _report(progress, done, total, f"{job.name}: written")
        except Exception as exc:  # one bad ward must not sink the batch
            result.failures.append((job.name, _failure_text(exc)))
            _report(progress, done, total, f"{job.name}: not made ({result.failures[-1][1]})")
    return _finish(result, total)


def _run_pool(
    db_file: Path,
    jobs: list[Job],
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
    _report(progress, 0, total, f"Making {total} packs with {n_workers} processes…")
    context = multiprocessing.get_context("spawn")  # never fork a process that may hold Qt/GUI state
    pool = ProcessPoolExecutor(n_workers, mp_context=context, initializer=_worker_init, initargs=(str(db_file),))
    pending: dict[Future[list[str]], Job] = {}
    queue = list(jobs)
    done = 0
    try:
        while queue or pending:
            if cancelled is not None and cancelled():
                raise Cancelled()
            while queue and len(pending) < n_workers * 2:
                job = queue.pop(0)
                pending[pool.submit(_worker_run, job, options, settings, str(out), xlsx)] = job
            finished, _ = wait(list(pending), timeout=0.5, return_when=FIRST_COMPLETED)
            for future in finished:
                job = pending.pop(future)
                done += 1
                try:
                    result.extend(Path(p) for p in future.result())
                    _report(progress, done, total, f"{job.name}: written")
                except Exception as exc:
                    result.failures.append((job.name, _failure_text(exc)))
                    _report(progress, done, total, f"{job.name}: not made ({result.failures[-1][1]})")
    except BaseException:
        pool.shutdown(wait=True, cancel_futures=True)
        for future in pending:  # packs that were being drawn when Cancel came: remove them too
            if future.done() and not future.cancelled() and future.exception() is None:
                result.extend(Path(p) for p in future.result())
        _remove(result)
        raise
    pool.shutdown(wait=True)
    return _finish(result, total)
