"""Issue 12 (and issue 11 item 4), packs: workers die with their parent, Cancel keeps what is finished and stops at
once, a full disk or an unwritable folder never replaces a good file nor claims a pack was written, and each pack
reads one snapshot of the store."""

from __future__ import annotations

import os
import shutil
import signal
import time
from pathlib import Path

import pytest

from tests.reliability.faults_helpers import (
    POPULATION,
    SHARED,
    alive,
    can_make_read_only,
    can_mount_tmpfs,
    children,
    cli,
    cli_on_small_disk,
    plain,
    spawn_cli,
    wait_until,
    westminster_csv,
)

pytestmark = pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/data is not present")


@pytest.fixture(scope="module")
def westminster_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder holding Westminster's 18 wards (the real edition, cut) and their populations."""
    folder = tmp_path_factory.mktemp("westminster")
    data = folder / "data"
    result = cli(["import", str(westminster_csv(folder)), str(POPULATION)], data)
    assert result.returncode == 0, result.stderr
    return data


@pytest.fixture
def data(westminster_store: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(westminster_store, copy)
    return copy


def _outputs(folder: Path) -> dict[str, float]:
    return {p.name: p.stat().st_mtime for p in folder.iterdir()} if folder.exists() else {}


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
def test_pack_workers_die_with_their_parent(data: Path, tmp_path: Path, how: signal.Signals) -> None:
    out = tmp_path / "packs"
    proc = spawn_cli(["pack", "--all", "--workers", "2", "--out", str(out)], data)
    assert proc.stderr is not None
    family: set[int] = set()
    try:
        end = time.monotonic() + 120
        while time.monotonic() < end:  # wait until the workers have written a pack
            line = proc.stderr.readline()
            assert line, f"the batch ended before the kill: {proc.stderr.read()[-2000:]}"
            if "written" in line:
                break
        family = children(proc.pid)  # two workers and multiprocessing's resource tracker
        assert len(family) >= 3, family
        killed_at = time.monotonic()
        os.kill(proc.pid, how)
        proc.wait(30)
        gone = wait_until(lambda: not any(alive(pid) for pid in family), timeout=5)
        seconds = time.monotonic() - killed_at
        left = [pid for pid in family if alive(pid)]
        assert gone, f"still running {seconds:.1f} s after {how.name} to the parent: {left}"
        print(f"\n{how.name}: {len(family)} child processes gone {seconds:.2f} s after the parent was killed")
        settled = _outputs(out)
        time.sleep(2)
        assert _outputs(out) == settled  # nothing more was written
        assert not [name for name in settled if name.endswith(".part")]  # no half-written file
        if how == signal.SIGTERM:
            assert proc.returncode == 143
            assert "Traceback" not in (proc.stderr.read() or "")
    finally:  # (a failed run must not leave its workers behind either; only ours, by pid)
        proc.kill()
        for pid in family | children(proc.pid):
            try:
                if b"multiprocessing" in Path(f"/proc/{pid}/cmdline").read_bytes():
                    os.kill(pid, signal.SIGKILL)
            except OSError:
                pass


def test_cancel_keeps_finished_packs_and_stops_within_a_second(data: Path, tmp_path: Path, qapp) -> None:  # type: ignore[no-untyped-def]
    from desktop import paths
    from desktop.errors import Cancelled
    from desktop.reports.batch import write_packs
    from desktop.reports.options import PackOptions

    paths.set_data_dir(data)
    out = tmp_path / "packs"
    state: dict[str, float] = {}

    def progress(done: int, total: int, message: str) -> None:
        if done >= 2 and "cancel" not in state:
            state["cancel"] = time.monotonic()  # press Cancel once two packs are finished

    try:
        with pytest.raises(Cancelled) as stopped:
            write_packs(
                data / "wardbrief.db",
                None,
                PackOptions(),
                out,
                xlsx=True,
                workers=2,
                progress=progress,
                cancelled=lambda: "cancel" in state,
            )
    finally:
        paths.set_data_dir(None)
    seconds = time.monotonic() - state["cancel"]
    kept = stopped.value.kept  # type: ignore[attr-defined]
    print(f"\ncancel: stopped {seconds:.2f} s after Cancel, {len(kept)} files kept")
    assert seconds < 1.5
    assert len(kept) >= 4 and all(p.exists() and p.stat().st_size > 0 for p in kept)  # two packs: PDF + XLSX each
    assert str(out) in str(stopped.value) and "kept" in str(stopped.value)
    settled = _outputs(out)
    assert set(settled) == {p.name for p in kept}  # no temporary file, nothing unreported
    time.sleep(2)
    assert _outputs(out) == settled  # and nothing is written after Cancel returned


def _good_pdf(tmp_path: Path) -> tuple[Path, bytes]:
    """The PDF an earlier run left where this run writes St James's pack (its content stands in for a good pack)."""
    out = tmp_path / "packs"
    out.mkdir()
    pdf = out / "St_Jamess_E05013806_2025-06_public.pdf"
    pdf.write_bytes(b"%PDF-1.7 the pack from the last panel meeting %%EOF")
    return pdf, pdf.read_bytes()


@pytest.mark.skipif(can_mount_tmpfs(), reason="the real full disk below covers it (this is the fallback elsewhere)")
def test_pack_on_a_size_limited_disk_keeps_the_good_pdf(data: Path, tmp_path: Path) -> None:
    pdf, good = _good_pdf(tmp_path)
    result = cli(
        ["pack", "--ward", "E05013806", "--out", str(pdf.parent), "--no-overview"], data, max_file_bytes=100_000
    )
    text = plain(result)
    assert result.returncode == 1 and "could not be saved" in text and "unchanged" in text, text
    assert "printer" not in text and "Check the data" not in text
    assert str(pdf) not in result.stdout  # never listed as written
    assert pdf.read_bytes() == good
    assert [p.name for p in pdf.parent.iterdir()] == [pdf.name]


@pytest.mark.skipif(not can_mount_tmpfs(), reason="needs root to mount a small tmpfs in a private namespace")
def test_pack_onto_a_really_full_disk_keeps_the_good_pdf(data: Path, tmp_path: Path) -> None:
    pdf, good = _good_pdf(tmp_path)
    result = cli_on_small_disk(
        ["--data-dir", str(data), "pack", "--ward", "E05013806", "--ward", "E05013792", "--out", "{disk}"],
        pdf.parent,
        tmp_path / "after",
        30_000,
    )
    text = plain(result)
    assert result.returncode == 1 and "the disk is full" in text and "Free some space" in text, text
    assert "The batch was stopped" in text and "printer" not in text and "Check the data" not in text
    after = tmp_path / "after"
    assert (after / pdf.name).read_bytes() == good  # the earlier pack is whole and unchanged
    assert not [p for p in after.iterdir() if p.name.startswith(".")]  # no temporary file left


@pytest.mark.skipif(not can_make_read_only(), reason="needs setpriv to make a folder read-only for root")
def test_pack_into_a_folder_that_cannot_be_written(data: Path, tmp_path: Path) -> None:
    out = tmp_path / "locked"
    out.mkdir()
    out.chmod(0o555)
    try:
        result = cli(["pack", "--all", "--out", str(out)], data, read_only_rules=True)
    finally:
        out.chmod(0o755)
    text = plain(result)
    assert result.returncode == 1 and "permission" in text and "Choose a folder you can write to" in text, text
    assert "printer" not in text and "Check the data" not in text
    assert list(out.iterdir()) == []


def test_each_pack_reads_one_snapshot_of_the_store(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An import that commits while a pack is built is wholly in the pack or wholly not: here the figures are read,
    another connection commits a new source, and the sources are read again."""
    import sqlite3
    import sys
    import types

    from desktop.reports.batch import PackJob, open_readonly, render_job
    from desktop.reports.options import PackOptions
    from desktop.settings import Settings

    seen: dict[str, int] = {}

    def build_pack(db, code, options, settings):  # type: ignore[no-untyped-def]
        seen["figures"] = db.execute("SELECT count(*) FROM crime_count").fetchone()[0]
        other = sqlite3.connect(data / "wardbrief.db")
        other.execute("DELETE FROM crime_count WHERE rowid IN (SELECT rowid FROM crime_count LIMIT 10)")
        other.execute(
            "INSERT INTO source (kind, file_name, sha256, imported_at) VALUES ('mps_crime', 'new.csv', 'x', 'now')"
        )
        other.commit()
        other.close()
        seen["sources"] = db.execute("SELECT count(*) FROM source").fetchone()[0]
        seen["figures_again"] = db.execute("SELECT count(*) FROM crime_count").fetchone()[0]
        raise RuntimeError("stop here")

    module = types.ModuleType("desktop.reports.build")
    module.build_pack = build_pack  # type: ignore[attr-defined]
    module.build_overview = build_pack  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "desktop.reports.build", module)
    db = open_readonly(data / "wardbrief.db")
    with pytest.raises(RuntimeError, match="stop here"):
        render_job(db, PackJob("ward", "E05013806", "St James's"), PackOptions(), Settings(), data, False)
    db.close()
    assert seen["sources"] == 2 and seen["figures_again"] == seen["figures"]  # the store as the pack began


@pytest.mark.slow  # (quick profile: tests/unit/test_charts_long_names.py draws the same names)
def test_a_ward_name_of_117_characters_does_not_stop_the_borough(data: Path, tmp_path: Path) -> None:
    import sqlite3

    conn = sqlite3.connect(data / "wardbrief.db")
    conn.execute("UPDATE ward SET name = ? WHERE code = 'E05013797'", ["Knightsbridge" * 9])  # as an ONS lookup may
    conn.commit()
    conn.close()
    out = tmp_path / "packs"
    result = cli(["pack", "--ward", "E05013797", "--ward", "E05013806", "--out", str(out)], data)
    text = plain(result)
    assert result.returncode == 0 and "not made" not in text, text
    assert len(list(out.glob("*.pdf"))) == 3  # both wards and the borough overview
