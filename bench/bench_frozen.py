"""Frozen bundle benchmarks (issue 6). Prints `name: value` lines; ratios are against floors measured in this run.

1. Self-test wall time: the frozen app (`dist/WardBrief/WardBrief selftest OUT`) vs the same self-test from source
   (`python -m desktop selftest OUT`), same isolated environment, median of N alternating runs. Goal <= 1.3x.
2. Window shown: process start to the first expose of the main window, frozen WardBrief vs a bare PySide6
   QMainWindow frozen the same way (bench/bare_window.py, built here with PyInstaller). Goal <= 1.5x. The same
   figure from source is printed for reference.
3. Bundle size (MB) against the 230 MB target for the Linux one-folder build.

Run: `python -m bench --only frozen` (the table) or `python -m bench.bench_frozen [--rebuild] [--runs N]`.
Builds dist/WardBrief first if it is missing (about a minute); the bare app is built once into build/bench/.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BUNDLE = ROOT / "dist" / "WardBrief"
EXE_SUFFIX = ".exe" if sys.platform == "win32" else ""
BARE_WORK = ROOT / "build" / "bench"
BARE_EXE = BARE_WORK / "dist" / "BareWindow" / f"BareWindow{EXE_SUFFIX}"
SIZE_TARGET_MB = 230.0

CASES: list[dict[str, Any]] = []


def line(name: str, value: object) -> None:
    print(f"{name}: {value}", flush=True)


def case(name: str, seconds: float, floor: float, goal: float | None, note: str = "") -> None:
    ratio = seconds / floor if floor else float("nan")
    CASES.append({"case": name, "seconds": seconds, "floor": floor, "ratio": ratio, "goal": goal, "note": note})
    line(f"{name} ratio", f"{ratio:.2f}" + (f" (goal <= {goal:g})" if goal else ""))


def isolated_env(home: Path, **extra: str) -> dict[str, str]:
    """A user who never ran WardBrief, no display (offscreen Qt), no developer variables."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PYTHON", "WARDBRIEF", "MPL", "QT_", "XDG_")) and k not in ("DISPLAY", "WAYLAND_DISPLAY")
    }
    env.update(
        HOME=str(home),
        USERPROFILE=str(home),
        APPDATA=str(home / "AppData" / "Roaming"),
        LOCALAPPDATA=str(home / "AppData" / "Local"),
        XDG_DATA_HOME=str(home / ".local" / "share"),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_CACHE_HOME=str(home / ".cache"),
        XDG_STATE_HOME=str(home / ".local" / "state"),
        QT_QPA_PLATFORM="offscreen",
    )
    env.update(extra)
    return env


def ensure_bundle(rebuild: bool) -> Path:
    exe = BUNDLE / f"WardBrief{EXE_SUFFIX}"
    if rebuild or not exe.is_file():
        subprocess.run([sys.executable, str(ROOT / "packaging" / "build.py"), "--no-zip"], cwd=ROOT, check=True)
    return exe


def ensure_bare(rebuild: bool) -> Path:
    source = ROOT / "bench" / "bare_window.py"
    if rebuild or not BARE_EXE.is_file() or BARE_EXE.stat().st_mtime < source.stat().st_mtime:
        cmd = [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--log-level=WARN",
            "--onedir",
            "--name",
            "BareWindow",
            "--distpath",
            str(BARE_WORK / "dist"),
            "--workpath",
            str(BARE_WORK / "work"),
            "--specpath",
            str(BARE_WORK),
            *[f"--exclude-module={m}" for m in ("tkinter", "numpy", "pandas", "matplotlib", "PIL")],
            str(source),
        ]
        started = time.perf_counter()
        subprocess.run(cmd, cwd=ROOT, check=True)
        line("bare frozen QMainWindow build seconds", f"{time.perf_counter() - started:.0f}")
    return BARE_EXE


def time_selftest(cmd: list[str], extra_env: dict[str, str]) -> float:
    with tempfile.TemporaryDirectory(prefix="wardbrief-bench-") as tmp:
        home = Path(tmp) / "home"
        home.mkdir()
        started = time.perf_counter()
        proc = subprocess.run(
            [*cmd, "selftest", str(Path(tmp) / "out")],
            env=isolated_env(home, **extra_env),
            cwd=tmp,
            capture_output=True,
            text=True,
            timeout=600,
        )
        elapsed = time.perf_counter() - started
    if proc.returncode != 0 or "SELF-TEST PASSED" not in proc.stdout:
        raise RuntimeError(f"self-test failed ({' '.join(cmd)}):\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")
    return elapsed


def time_window(cmd: list[str], extra_env: dict[str, str]) -> tuple[float, float]:
    """Seconds from starting the process to its "window shown" line (printed on the first expose), and to the
    start of its entry script (what the interpreter or the frozen bootloader and its run-time hooks cost)."""
    with tempfile.TemporaryDirectory(prefix="wardbrief-bench-") as tmp:
        home = Path(tmp) / "home"
        home.mkdir()
        env = isolated_env(home, WARDBRIEF_BENCH_SHOWN="1", WARDBRIEF_BENCH_T0=repr(time.time()), **extra_env)
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, env=env, cwd=tmp, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        assert proc.stdout is not None
        shown, entry = None, float("nan")
        for text in proc.stdout:
            if text.startswith("entry script reached "):
                entry = float(text.split()[-1])
            if text.strip() == "window shown":
                shown = time.perf_counter() - started
                break
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    if shown is None:
        raise RuntimeError(f"no window was shown by {' '.join(cmd)}")
    return shown, entry


def bundle_size_mb(folder: Path) -> float:
    total = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())
    return total / 1024 / 1024


def run(full: bool = False, *, runs: int | None = None, rebuild: bool = False) -> list[dict[str, Any]]:
    CASES.clear()
    n = runs or (5 if full else 3)
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        line("frozen", "skipped: PyInstaller is not installed (pip install -e '.[packaging]')")
        return []
    exe = ensure_bundle(rebuild)
    bare = ensure_bare(rebuild)
    source = [sys.executable, "-m", "desktop"]
    source_env = {"PYTHONPATH": str(ROOT)}

    # 1. self-test, frozen vs source (alternating, after one warm-up each so disk caches are fair)
    time_selftest([str(exe)], {})
    time_selftest(source, source_env)
    frozen_runs, source_runs = [], []
    for _ in range(n):
        frozen_runs.append(time_selftest([str(exe)], {}))
        source_runs.append(time_selftest(source, source_env))
    frozen_st, source_st = statistics.median(frozen_runs), statistics.median(source_runs)
    line("self-test frozen seconds (median)", f"{frozen_st:.2f}  runs {', '.join(f'{t:.2f}' for t in frozen_runs)}")
    line("self-test source seconds (median)", f"{source_st:.2f}  runs {', '.join(f'{t:.2f}' for t in source_runs)}")
    case("self-test: frozen vs from source", frozen_st, source_st, 1.3, f"median of {n}")

    # 2. window shown, frozen WardBrief vs a bare frozen QMainWindow (and from source, for reference)
    m = max(n, 5)
    entry = [sys.executable, str(ROOT / "packaging" / "entry.py"), "gui"]
    time_window([str(exe), "gui"], {})
    time_window([str(bare)], {})
    wb, floor, src = [], [], []
    for _ in range(m):
        wb.append(time_window([str(exe), "gui"], {}))
        floor.append(time_window([str(bare)], {}))
        src.append(time_window(entry, source_env))
    wb_s, floor_s, src_s = (statistics.median(t for t, _ in runs) for runs in (wb, floor, src))
    wb_e, floor_e, src_e = (statistics.median(e for _, e in runs) for runs in (wb, floor, src))
    line("window shown frozen seconds (median)", f"{wb_s:.2f}  (entry script reached at {wb_e:.2f})")
    line("window shown bare frozen QMainWindow seconds (median)", f"{floor_s:.2f}  (entry at {floor_e:.2f})")
    line("window shown from source seconds (median)", f"{src_s:.2f}  (entry at {src_e:.2f})")
    case("window shown: frozen vs bare frozen QMainWindow", wb_s, floor_s, 1.5, f"median of {m}, offscreen")
    case("window shown: source vs bare frozen QMainWindow", src_s, floor_s, None, "reference")

    # 3. bundle size
    size = bundle_size_mb(BUNDLE)
    bare_size = bundle_size_mb(BARE_EXE.parent)
    line("bundle size MB", f"{size:.1f} (target <= {SIZE_TARGET_MB:.0f}); bare QMainWindow bundle {bare_size:.1f} MB")
    CASES.append(
        {
            "case": "bundle size MB vs 230 MB target",
            "seconds": size,
            "floor": SIZE_TARGET_MB,
            "ratio": size / SIZE_TARGET_MB,
            "goal": 1.0,
            "note": f"MB, not seconds; {sys.platform}",
        }
    )
    return list(CASES)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, help="timed runs per case (default 3; 5 for --full)")
    parser.add_argument("--full", action="store_true")
    parser.add_argument("--rebuild", action="store_true", help="rebuild dist/WardBrief and the bare app first")
    args = parser.parse_args(argv)
    run(args.full, runs=args.runs, rebuild=args.rebuild)
    return 0


if __name__ == "__main__":
    sys.exit(main())
