"""Helpers for the fault tests (issue 12): the CLI in a child process with a full disk (RLIMIT_FSIZE) or a read-only
store (file permissions, with root's override dropped), process trees, and hostile variants of the real extracts."""

from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

from tests.reliability.helpers import PYTHON, ROOT, child_env

SHARED = ROOT.parent / "shared" / "data"
MPS_RECENT = SHARED / "mps-ward-crime" / "MPS_Ward_Level_Crime_most_recent_24_months_202307-202506.csv"
POPULATION = SHARED / "populations" / "westminster_2022wards_census2021_pop_DERIVED_bestfit.csv"
STREET = SHARED / "policeuk" / "2023-03-city-of-london-street.csv"
MOBILISATION = SHARED / "lfb" / "LFB Mobilisation data.csv"
CLI = "import sys; from desktop.cli import main; sys.exit(main())"
# Root ignores file permissions; dropping these capabilities makes a read-only file read-only for root too.
DROP_OVERRIDE = [
    "setpriv",
    "--bounding-set",
    "-dac_override,-dac_read_search,-fowner",
    "--inh-caps",
    "-dac_override,-dac_read_search,-fowner",
]


def westminster_csv(folder: Path) -> Path:
    """The real Met ward-level edition cut to Westminster's 18 wards (484 rows): quick to import and to pack."""
    lines = MPS_RECENT.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    path = folder / "westminster_202307-202506.csv"
    path.write_text(lines[0] + "".join(line for line in lines[1:] if ",Westminster," in line), encoding="utf-8")
    return path


def limit_file_size(max_bytes: int) -> Callable[[], None]:
    """A preexec_fn: no file may grow past `max_bytes` (writes fail with EFBIG, as on a full disk; SIGXFSZ off)."""

    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (max_bytes, max_bytes))

    return apply


def can_make_read_only() -> bool:
    return os.geteuid() != 0 or shutil.which("setpriv") is not None


def cli(
    args: list[str],
    data_dir: Path,
    *,
    max_file_bytes: int | None = None,
    read_only_rules: bool = False,
    timeout: float = 180,
) -> subprocess.CompletedProcess[str]:
    """`wardbrief --data-dir DATA ARGS` in a child process, optionally on a "full disk" or obeying permissions."""
    command = [PYTHON, "-c", CLI, "--data-dir", str(data_dir), *args]
    if read_only_rules and os.geteuid() == 0:
        command = DROP_OVERRIDE + command
    return subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=child_env(),
        cwd=str(ROOT),
        preexec_fn=limit_file_size(max_file_bytes) if max_file_bytes else None,
    )


def plain(result: subprocess.CompletedProcess[str]) -> str:
    """stdout + stderr, asserting no traceback and no logging error reached the user."""
    text = result.stdout + result.stderr
    assert "Traceback" not in text and "--- Logging error ---" not in text, text[-3000:]
    return text


# --- processes ----------------------------------------------------------------------------------------------


def children(pid: int) -> set[int]:
    """Every descendant of `pid` (from /proc)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def alive(pid: int) -> bool:
    """Running (not gone, not a zombie waiting to be reaped)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def wait_until(condition: Callable[[], bool], timeout: float, step: float = 0.1) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(step)
    return condition()


def spawn_cli(args: list[str], data_dir: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [PYTHON, "-c", CLI, "--data-dir", str(data_dir), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=child_env(),
        cwd=str(ROOT),
        start_new_session=True,  # a signal to the test's process group never reaches it
    )


IMPORT_PROBE = """
import json, resource, sys, time
from pathlib import Path
from desktop.importers import import_file
from desktop.store import open_store
db = open_store(Path(sys.argv[2]))

def cpu():
    use = resource.getrusage(resource.RUSAGE_SELF)
    return use.ru_utime + use.ru_stime

def read_bytes():
    try:
        return int(dict(line.split(": ") for line in Path("/proc/self/io").read_text().splitlines())["rchar"])
    except (OSError, KeyError, ValueError):
        return 0

start, start_cpu, start_read = time.monotonic(), cpu(), read_bytes()
result = import_file(db, Path(sys.argv[1]))
seconds, cpu_seconds = time.monotonic() - start, cpu() - start_cpu
read_mb = (read_bytes() - start_read) / 1e6
stored = db.execute("SELECT count(*) FROM source").fetchone()[0]
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"status": result.status, "message": result.message, "summary": result.summary(),
                  "seconds": seconds, "cpu_seconds": cpu_seconds, "read_mb": read_mb, "peak_mb": peak,
                  "sources": stored}))
"""


def import_in_child(path: Path, store: Path, timeout: float = 60) -> dict[str, object]:
    """Import `path` into `store` in a child process (limited to 2 GB of memory); return the result, the time and
    CPU time the import took, the bytes it read (MB, from /proc/self/io) and the child's peak memory (MB). Tests
    judge cost by CPU time, bytes read and memory, which a busy machine does not change, never by wall time."""
    import json

    def limit_memory() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (2 * 1024**3, 2 * 1024**3))

    done = subprocess.run(
        [PYTHON, "-c", IMPORT_PROBE, str(path), str(store)],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=child_env(),
        cwd=str(ROOT),
        preexec_fn=limit_memory,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


# --- a really full disk: a small tmpfs in a private mount namespace (root only; skipped elsewhere) ------------


def can_mount_tmpfs() -> bool:
    if os.geteuid() != 0 or not shutil.which("unshare"):
        return False
    probe = subprocess.run(
        ["unshare", "--mount", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt"], capture_output=True, timeout=30
    )
    return probe.returncode == 0


def cli_on_small_disk(
    args: list[str], seed: Path, result: Path, free_bytes: int, timeout: float = 180
) -> subprocess.CompletedProcess[str]:
    """Run `wardbrief ARGS` where `{disk}` in ARGS is a tmpfs holding a copy of `seed` plus `free_bytes` of room
    (a real "No space left on device"); afterwards the tmpfs's content is copied to `result` for inspection."""
    import shlex

    used = sum(p.stat().st_size for p in seed.rglob("*") if p.is_file())
    size_kb = (used + free_bytes) // 1024 + 64
    mount_point = result.parent / f".mnt-{result.name}"
    mount_point.mkdir()
    result.mkdir()
    command = [PYTHON, "-c", CLI, *[a.replace("{disk}", str(mount_point)) for a in args]]
    script = (
        f"mount -t tmpfs -o size={size_kb}k tmpfs {shlex.quote(str(mount_point))} && "
        f"cp -a {shlex.quote(str(seed))}/. {shlex.quote(str(mount_point))}/ && "
        f"{shlex.join(command)}; rc=$?; cp -a {shlex.quote(str(mount_point))}/. {shlex.quote(str(result))}/; exit $rc"
    )
    return subprocess.run(
        ["unshare", "--mount", "sh", "-c", script],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=child_env(),
        cwd=str(ROOT),
    )
