"""The bundled demo data: Westminster's 18 wards, real where public data exists, illustrative (and labelled so) where
it does not. See resources/demo/README.md for what each file is and where it came from.

Every demo file goes through the same `import_file` as a user's extract, in dependency order (the file names carry
it: ward lookup and populations first, so the wards are known; then crime, ASB, LFB, surveys, priorities). Loading
twice changes nothing: the second time every file is "already imported".
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlite_utils import Database

from desktop.errors import check_cancelled
from desktop.importers.result import ImportResult
from desktop.resources import resources_dir

Progress = Callable[[int, int, str], None]

DEMO_SUFFIXES = (".csv", ".xlsx", ".geojson")
_STEPS = 1000  # progress units per file, so a bar moves smoothly within a long file


def demo_dir() -> Path:
    return resources_dir() / "demo"


def demo_files() -> list[Path]:
    """The demo extracts, in import order (their names start with a two-digit order number)."""
    folder = demo_dir()
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in DEMO_SUFFIXES)


def _file_progress(progress: Progress | None, index: int, count: int, name: str) -> Progress | None:
    """Map one file's progress (its total may be 0 = unknown) into the whole demo load's."""
    if progress is None:
        return None
    report = progress

    def inner(done: int, total: int, message: str) -> None:
        part = min(_STEPS - 1, done * _STEPS // total) if total > 0 else 0
        report(index * _STEPS + part, count * _STEPS, f"{name}: {message}" if message else name)

    return inner


def load_demo(
    db: Database,
    *,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> list[ImportResult]:
    """Import every demo file into `db`. Returns one result per file; a file already in the store is reported
    "already imported" and left as it is. Raises Cancelled (between or inside files) when `cancelled()` says so;
    files imported before that stay imported (each file is its own transaction)."""
    from desktop.importers import import_file

    files = demo_files()
    if not files:
        from desktop.errors import WardBriefError

        raise WardBriefError(
            f"The demo data is missing: no files in {demo_dir()}.",
            "Reinstall WardBrief, or import your own extracts from the Data page instead.",
        )
    results: list[ImportResult] = []
    count = len(files)
    for index, path in enumerate(files):
        check_cancelled(cancelled)
        if progress:
            progress(index * _STEPS, count * _STEPS, f"Importing {path.name} ({index + 1} of {count})")
        inner = _file_progress(progress, index, count, path.name)
        results.append(import_file(db, path, progress=inner, cancelled=cancelled))
    if progress:
        progress(count * _STEPS, count * _STEPS, "Demo data loaded")
    return results
