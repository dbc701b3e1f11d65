"""Guarantee 1, crash safety, for imports and source removal: SIGKILL the process doing it at seeded random
moments. Every time the store must open, pass PRAGMA integrity_check and hold either all of that file (or removal)
or none of it: its signature (row counts, sums, in-force flags, sources) equals the store's before or after."""

from __future__ import annotations

import random
import time
from pathlib import Path

import pytest

from desktop.store import open_store
from tests.reliability.helpers import (
    MET_NEW,
    copy_store,
    head_rows,
    integrity,
    kill_and_collect,
    revised_edition,
    signature,
    spawn,
    wait_for_line,
)

QUICK_TRIALS = 4
LONG_TRIALS = 30


def _kill_loop(work: Path, base: Path, command: list[str], trials: int, seed: int) -> dict[str, int]:
    """Run `command` (a worker taking the store path first) on a copy of `base`, kill it after a random delay up to
    1.2 times what the operation took uninterrupted, and check the copy is exactly before or after. Returns counts of each outcome."""
    from desktop.importers import import_file  # noqa: F401 - fail early if importers are broken

    before = signature(base)
    reference = copy_store(base, work / "reference.db")
    ref = spawn(command[0], str(reference), *command[1:])
    wait_for_line(ref, "ready")
    start = time.monotonic()
    wait_for_line(ref, "result", timeout=300)
    window = 1.2 * (time.monotonic() - start)  # kills spread over the whole operation and a little after
    ref.communicate(timeout=60)
    after = signature(reference)
    assert after != before, "the operation must change the store for the test to mean anything"
    rng = random.Random(seed)
    stats = {"trials": trials, "none": 0, "all": 0, "killed_before_done": 0}
    for trial in range(trials):
        path = copy_store(base, work / f"trial-{trial}.db")
        proc = spawn(command[0], str(path), *command[1:])
        try:
            wait_for_line(proc, "ready")
            time.sleep(rng.uniform(0, window))
        finally:
            lines = kill_and_collect(proc)
        assert integrity(path) == ["ok"], f"trial {trial}: integrity check failed"
        open_store(path).close()
        got = signature(path)
        assert got in (before, after), f"trial {trial}: the store holds part of the change"
        stats["all" if got == after else "none"] += 1
        if not any(line.startswith("result") for line in lines):
            stats["killed_before_done"] += 1  # (a commit just before the kill may still show as "all")
        for leftover in path.parent.glob(path.name + "*"):
            leftover.unlink()
    return stats


_BASES: dict[str, dict[str, object]] = {}


def _bases(folder: Path, profile: str) -> dict[str, object]:
    """Stores to start from: empty, and with a Met edition plus a later revision of it (cached per profile). The
    quick profile uses the first 2,500 rows of the real edition, the long one the whole file (17,894 rows)."""
    if profile in _BASES:
        return _BASES[profile]
    from tests.conftest import SHARED_DATA

    if not SHARED_DATA.is_dir():
        pytest.skip("../shared/data is not present")
    from desktop.importers import import_file

    met = SHARED_DATA / MET_NEW
    if profile == "quick":
        met = head_rows(met, folder / "met-head.csv", 2500)
    revised = revised_edition(met, folder / "met-revised.csv")
    empty = folder / "empty.db"
    open_store(empty).close()
    both = folder / "both.db"
    db = open_store(both)
    first = import_file(db, met)
    second = import_file(db, revised)
    db.close()
    assert first.ok and second.ok, (first.summary(), second.summary())
    _BASES[profile] = {"met": met, "empty": empty, "both": both, "revised_id": second.source_id}
    return _BASES[profile]


def _import_loop(folder: Path, profile: str, trials: int, seed: int) -> dict[str, int]:
    bases = _bases(folder, profile)
    return _kill_loop(folder, bases["empty"], ["import", str(bases["met"])], trials, seed)  # type: ignore[arg-type]


def _remove_loop(folder: Path, profile: str, trials: int, seed: int) -> dict[str, int]:
    bases = _bases(folder, profile)
    return _kill_loop(folder, bases["both"], ["remove", str(bases["revised_id"])], trials, seed)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("crash-importers")


def test_kill_during_import_quick(folder: Path) -> None:
    stats = _import_loop(folder, "quick", QUICK_TRIALS, seed=11)
    print(f"\nimport kill loop (quick): {stats}")


def test_kill_during_source_removal_quick(folder: Path) -> None:
    stats = _remove_loop(folder, "quick", QUICK_TRIALS, seed=12)
    print(f"\nremoval kill loop (quick): {stats}")


@pytest.mark.slow
def test_kill_during_import_long(folder: Path) -> None:
    stats = _import_loop(folder, "long", LONG_TRIALS, seed=1101)
    print(f"\nimport kill loop (long): {stats}")
    assert stats["none"] >= 5 and stats["all"] >= 1, "kills should land both before and after the commit"


@pytest.mark.slow
def test_kill_during_source_removal_long(folder: Path) -> None:
    stats = _remove_loop(folder, "long", LONG_TRIALS, seed=1201)
    print(f"\nremoval kill loop (long): {stats}")
    assert stats["none"] >= 5 and stats["all"] >= 1, "kills should land both before and after the commit"
