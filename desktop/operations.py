"""What the window and the CLI ask of the core: plain functions, no Qt, each opening its own store connection.

Each runs on a pool thread, takes `progress` and `cancelled` keyword arguments and calls the Qt-free core
(store queries, importers, reports). The pages never touch SQL. Heavy modules (pandas, matplotlib) are imported
here, inside the functions, so the window is up before they load.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop import paths
from desktop.errors import Cancelled, WardBriefError, check_cancelled
from desktop.months import add_months

if TYPE_CHECKING:
    from desktop.reports.batch import BatchResult

log = logging.getLogger(__name__)

Progress = Callable[[int, int, str], None] | None
IsCancelled = Callable[[], bool] | None
IMPORTABLE = (".csv", ".xlsx", ".xlsm", ".xls", ".txt", ".geojson", ".json")


@contextmanager
def store() -> Iterator[Any]:
    from desktop.store import open_store

    db = open_store(paths.store_path())
    try:
        yield db
    finally:
        db.close()


def throttled(progress: Progress, interval: float = 0.1) -> Progress:
    """Pass progress on at most every `interval` seconds (and always the last step), so a reader that reports
    every row cannot flood the window with signals."""
    if progress is None:
        return None
    import time

    last = [0.0]

    def report(done: int, total: int, message: str = "") -> None:
        now = time.monotonic()
        if now - last[0] >= interval or (total and done >= total):
            last[0] = now
            progress(done, total, message)

    return report


def _report(progress: Progress, done: int, total: int, message: str) -> None:
    if progress is not None:
        progress(done, total, message)


def _as_list(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value]
    if isinstance(value, str) and value.strip().startswith("["):
        import json

        try:
            return [str(v) for v in json.loads(value)]
        except ValueError:
            return []
    return []


def current_settings() -> Any:
    """The saved settings, or the defaults when the file is missing or unreadable (the Settings page says why)."""
    from desktop.settings import Settings, load_settings

    try:
        return load_settings(paths.settings_path())
    except WardBriefError:
        return Settings()


# --- store status, wards and months --------------------------------------------------------------------------


@dataclass
class StoreSummary:
    sources: list[dict[str, Any]] = field(default_factory=list)
    reference_month: str | None = None
    partial_months: list[str] = field(default_factory=list)  # flagged partial and newer than the reference
    months: list[str] = field(default_factory=list)  # complete months a pack can be made for, newest first
    wards: list[dict[str, Any]] = field(default_factory=list)  # wards with data (code, name, borough_name)
    all_wards: list[dict[str, Any]] = field(default_factory=list)
    themes: list[Any] = field(default_factory=list)  # reports.build Theme: .key, .label, .default
    stale_wards: list[dict[str, Any]] = field(default_factory=list)  # no figures in the 12 months to the reference
    home_boroughs: list[str] = field(default_factory=list)  # the home area (store/home_area.py)
    generation: int = 0  # the store's generation when read: a pack built at another is out of date

    @property
    def empty(self) -> bool:
        return not self.sources


def store_summary(*, progress: Progress = None, cancelled: IsCancelled = None) -> StoreSummary:
    """What the window shows of the store: sources, the home area's wards with figures, the months a pack can be
    made for (months with recorded crime, newest first, partial months left out) and the store's generation."""
    from desktop.importers.sources import list_sources
    from desktop.reports.build import available_themes, reference_month
    from desktop.store.home_area import home_boroughs, in_home, split_recent
    from desktop.store.queries import crime_months, generation, wards, wards_with_data

    with store() as db:
        summary = StoreSummary(sources=list_sources(db), themes=list(available_themes()), generation=generation(db))
        summary.home_boroughs = home_boroughs(db, current_settings().borough)
        summary.wards = in_home(wards_with_data(db), summary.home_boroughs)
        summary.all_wards = in_home(wards(db), summary.home_boroughs)
        held = crime_months(db)
        if summary.wards:
            summary.reference_month = reference_month(db)
            if summary.reference_month:
                # wards on old boundaries keep figures that stop when the boundaries changed: a pack for them now
                # would be empty, so they are left out of the lists (and of "All")
                summary.wards, summary.stale_wards = split_recent(db, summary.wards, summary.reference_month)
    flagged = {m for s in summary.sources for m in _as_list(s.get("partial_months"))}
    ref = summary.reference_month
    summary.partial_months = sorted(m for m in flagged if ref is None or m > ref)
    if ref:
        first = add_months(ref, -47)
        summary.months = [m for m in sorted(held, reverse=True) if first <= m <= ref and (m not in flagged or m == ref)]
    return summary


# --- importing -----------------------------------------------------------------------------------------------


def expand_paths(names: list[str]) -> list[Path]:
    """Files as given; a folder stands for the importable files directly inside it."""
    out: list[Path] = []
    for name in names:
        path = Path(name)
        if path.is_dir():
            out += sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in IMPORTABLE)
        else:
            out.append(path)
    return out


def _failed_result(path: Path, message: str) -> Any:
    from desktop.importers.result import ImportResult

    return ImportResult(status="failed", file_name=path.name, message=message)


def import_files(
    files: list[Path],
    results: list[Any],
    skip_bad_rows: bool = False,
    *,
    progress: Progress = None,
    cancelled: IsCancelled = None,
) -> list[Any]:
    """Import each file in its own transaction, appending each result to `results` as it finishes (so a Cancel
    keeps what was done before it). A file that trips an unexpected error fails alone; the others go on."""
    from desktop.importers import import_file

    progress = throttled(progress)
    total = len(files)
    with store() as db:
        for i, path in enumerate(files):
            check_cancelled(cancelled)
            label = f"{path.name} ({i + 1} of {total})"

            def report(done: int, count: int, message: str = "", i: int = i, label: str = label) -> None:
                share = done * 1000 // count if count else 0
                _report(progress, i * 1000 + min(share, 1000), total * 1000, f"Importing {label}: {message}")

            _report(progress, i * 1000, total * 1000, f"Importing {label}…")
            try:
                result = import_file(db, path, progress=report, cancelled=cancelled, skip_bad_rows=skip_bad_rows)
            except Cancelled:
                raise
            except Exception as exc:  # one bad file must not stop the rest
                log.exception("unexpected error importing %s", path)
                result = _failed_result(
                    path,
                    f"An unexpected error stopped this import ({type(exc).__name__}: {exc}); nothing from the "
                    "file was stored. Send the file's name and the log file to your analyst.",
                )
            results.append(result)
    _report(progress, total * 1000, total * 1000, "Import finished")
    return results


def load_demo(results: list[Any], *, progress: Progress = None, cancelled: IsCancelled = None) -> list[Any]:
    from desktop.importers.demo import load_demo as demo

    with store() as db:
        out = demo(db, progress=throttled(progress), cancelled=cancelled)
    results.extend(out)
    return out


def remove_source(source_id: int, *, progress: Progress = None, cancelled: IsCancelled = None) -> str:
    from desktop.importers.sources import remove_source as remove

    with store() as db:
        return str(remove(db, source_id))


# --- packs ---------------------------------------------------------------------------------------------------


def cache_dir() -> Path:
    folder = paths.data_dir() / "cache"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def clear_cache() -> None:
    """Remove old preview files (best effort: a file still open elsewhere is left alone)."""
    folder = paths.data_dir() / "cache"
    if folder.is_dir():
        for path in folder.glob("preview-*.pdf"):
            with suppress(OSError):
                path.unlink()


@dataclass
class Generated:
    """A pack made for the preview, with everything it was made from: a change to any of them makes it stale."""

    pack: Any
    pdf: Path
    ward_code: str
    options: Any = None
    settings: Any = None
    generation: int = -1


def stale_reasons(made: Generated, ward_code: str | None, options: Any, settings: Any, generation: int) -> list[str]:
    """Why a pack made earlier no longer matches what the user now asks for (empty: it is up to date)."""
    reasons = []
    if ward_code != made.ward_code:
        reasons.append("another ward is now current")
    if generation != made.generation:
        reasons.append("the store has changed since (an import, a removal or a priority edit)")
    if options != made.options:
        reasons.append("the pack's options have changed")
    if settings != made.settings:
        reasons.append("the settings have changed")
    return reasons


def generate_pack(
    ward_code: str, options: Any, *, progress: Progress = None, cancelled: IsCancelled = None
) -> Generated:
    from desktop.reports.build import build_pack
    from desktop.reports.editions import apply_edition
    from desktop.reports.pdf import render_pdf
    from desktop.settings import load_settings
    from desktop.store.queries import generation

    settings = load_settings(paths.settings_path())
    _report(progress, 0, 3, "Working out the figures…")
    with store() as db:
        made_at = generation(db)  # read first: a change during the build leaves the pack marked out of date
        pack = build_pack(db, ward_code, options, settings)
    # the edition the options ask for (summary, large print): preview, print, Save PDF and Save HTML all show it
    pack = apply_edition(pack, getattr(options, "summary", False), getattr(options, "large_print", False))
    check_cancelled(cancelled)
    _report(progress, 1, 3, "Drawing the pages…")
    import uuid

    target = cache_dir() / f"preview-{ward_code}-{uuid.uuid4().hex[:8]}.pdf"
    render_pdf(pack, target)
    check_cancelled(cancelled)
    _report(progress, 3, 3, "Ready")
    return Generated(pack, Path(target), ward_code, options, settings, made_at)


def save_copy(source: Path, target: Path, *, progress: Progress = None, cancelled: IsCancelled = None) -> Path:
    """Copy the previewed PDF to `target` whole or not at all (a full disk leaves any earlier file as it was)."""
    import shutil

    from desktop.atomic import replacing

    with replacing(target, "the PDF") as tmp:
        shutil.copyfile(source, tmp)
    return target


def save_xlsx(pack: Any, target: Path, *, progress: Progress = None, cancelled: IsCancelled = None) -> Path:
    from desktop.reports.xlsx import write_xlsx

    return Path(write_xlsx(pack, target))


def save_html(pack: Any, target: Path, *, progress: Progress = None, cancelled: IsCancelled = None) -> Path:
    """The accessible HTML twin of the generated pack (the window's "Save HTML…")."""
    from desktop.reports.html import write_html

    return Path(write_html(pack, target))


def write_packs(
    ward_codes: list[str] | None,
    options: Any,
    out_dir: Path,
    xlsx: bool,
    overview: bool,
    workers: int = 0,
    *,
    progress: Progress = None,
    cancelled: IsCancelled = None,
) -> BatchResult:
    """Every ward's pack into `out_dir` (the batch module's own processes). Returns its BatchResult: the paths
    written, with `.failures` for packs that could not be made and `.skipped` for wards with no figures."""
    from desktop.reports.batch import write_packs as batch

    return batch(
        paths.store_path(),
        ward_codes,
        options,
        out_dir,
        xlsx=xlsx,
        overview=overview,
        workers=workers,
        progress=throttled(progress),
        cancelled=cancelled,
    )


# --- priorities ----------------------------------------------------------------------------------------------


def list_priorities(ward_code: str, *, progress: Progress = None, cancelled: IsCancelled = None) -> list[Any]:
    from desktop.store.priorities import list_priorities as listing

    with store() as db:
        return listing(db, ward_code)


def save_priority(priority: Any, *, progress: Progress = None, cancelled: IsCancelled = None) -> int:
    from desktop.store.priorities import save_priority as save

    with store() as db:
        return int(save(db, priority))


def delete_priority(priority_id: int, *, progress: Progress = None, cancelled: IsCancelled = None) -> None:
    from desktop.store.priorities import delete_priority as delete

    with store() as db:
        delete(db, priority_id)


# --- the store file ------------------------------------------------------------------------------------------


def backup(target: Path, *, progress: Progress = None, cancelled: IsCancelled = None) -> str:
    from desktop.store.backup import backup_store

    return str(backup_store(paths.store_path(), target))


def restore(source: Path, *, progress: Progress = None, cancelled: IsCancelled = None) -> str:
    from desktop.store.backup import restore_store

    return str(restore_store(source, paths.store_path()))
