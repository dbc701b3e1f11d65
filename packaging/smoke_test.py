"""Smoke test of the frozen bundle: `python packaging/smoke_test.py` (or `make smoke`, which builds first).

Copies dist/WardBrief to a temporary folder, makes the copy read-only, and runs it with HOME/APPDATA/LOCALAPPDATA/
XDG_* pointed at a fresh empty folder and QT_QPA_PLATFORM=offscreen:
  1. `WardBrief --version` (the version must match pyproject.toml),
  2. `WardBrief selftest OUT` (demo import, a ward pack as PDF + XLSX + HTML and its two-page summary, the overview, the main window),
  3. `WardBrief --data-dir D import FILES`, `wards` and `pack` of 4 wards with 2 worker processes (the CLI works
     from the GUI executable, and the frozen process pool starts its workers correctly).
Fails on a non-zero exit, on "ModuleNotFoundError", "could not load" or "Traceback" in the output, if the bundle
folder changed in any way, if files appeared in the working folder, or if the self-test wrote anything of
WardBrief's into the fake home folder. Prints timings.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP = "WardBrief"
FORBIDDEN = ("ModuleNotFoundError", "could not load", "Traceback", "ImportError")
SELFTEST_TIMEOUT_S = 600


class SmokeFailure(Exception):
    pass


def exe_name() -> str:
    return APP + (".exe" if sys.platform == "win32" else "")


def make_read_only(folder: Path) -> None:
    """chmod -R a-w (the folder itself too). On Windows this sets the read-only attribute on files."""
    for dirpath, dirnames, filenames in os.walk(folder):
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            if not path.is_symlink():
                path.chmod(path.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
    folder.chmod(folder.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))


def make_writable(folder: Path) -> None:
    folder.chmod(folder.stat().st_mode | stat.S_IWUSR)
    for dirpath, dirnames, filenames in os.walk(folder):
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            if not path.is_symlink():
                path.chmod(path.stat().st_mode | stat.S_IWUSR)


def snapshot(folder: Path) -> dict[str, tuple[int, int, int]]:
    files = {}
    for path in folder.rglob("*"):
        st = path.lstat()
        files[path.relative_to(folder).as_posix()] = (st.st_size, st.st_mtime_ns, stat.S_IFMT(st.st_mode))
    return files


def missing_guide_files(docs: Path) -> list[str]:
    """The user guide and every image it links must be in the bundle (Help > User guide reads them there)."""
    guide = ROOT / "docs" / "user-guide.md"
    if not guide.is_file():
        return []
    links = re.findall(r"\]\(([^)\s]+\.(?:png|jpe?g|gif|svg))\)", guide.read_text(encoding="utf-8"))
    return [name for name in ["user-guide.md", *links] if not (docs / name).is_file()]


def isolated_env(home: Path) -> dict[str, str]:
    """The environment of a user who never ran WardBrief, with no display and no developer settings."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PYTHON", "VIRTUAL_ENV", "WARDBRIEF", "MPL", "QT_", "XDG_", "CONDA"))
    }
    for key in ("DISPLAY", "WAYLAND_DISPLAY"):
        env.pop(key, None)
    runtime = home / ".runtime"
    runtime.mkdir(mode=0o700)
    env.update(
        HOME=str(home),
        USERPROFILE=str(home),
        APPDATA=str(home / "AppData" / "Roaming"),
        LOCALAPPDATA=str(home / "AppData" / "Local"),
        XDG_DATA_HOME=str(home / ".local" / "share"),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_CACHE_HOME=str(home / ".cache"),
        XDG_STATE_HOME=str(home / ".local" / "state"),
        XDG_RUNTIME_DIR=str(runtime),
        QT_QPA_PLATFORM="offscreen",
    )
    return env


def run(cmd: list[str], env: dict[str, str], cwd: Path, timeout: float, label: str) -> tuple[str, float]:
    print(f"\n$ {' '.join(cmd)}", flush=True)
    started = time.perf_counter()
    try:
        proc = subprocess.run(
            cmd, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=timeout
        )
    except subprocess.TimeoutExpired as exc:
        raise SmokeFailure(f"{label}: no answer after {timeout:.0f} s") from exc
    elapsed = time.perf_counter() - started
    output = proc.stdout or ""
    print(output.rstrip(), flush=True)
    print(f"({label}: exit {proc.returncode} in {elapsed:.1f} s)", flush=True)
    if proc.returncode != 0:
        raise SmokeFailure(f"{label}: exit status {proc.returncode}")
    found = [word for word in FORBIDDEN if word in output]
    if found:
        raise SmokeFailure(f"{label}: the output contains {', '.join(found)}")
    return output, elapsed


def smoke(bundle: Path, *, keep: bool = False) -> dict[str, float]:
    exe = bundle / exe_name()
    if not exe.is_file():
        raise SmokeFailure(f"no bundle at {bundle}: build it first (make bundle, or python packaging/build.py)")
    version = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    tmp = Path(tempfile.mkdtemp(prefix="wardbrief-smoke-"))
    timings: dict[str, float] = {}
    copy = tmp / "app" / APP
    try:
        started = time.perf_counter()
        shutil.copytree(bundle, copy, symlinks=True)
        make_read_only(copy)
        timings["copy"] = time.perf_counter() - started
        home, work, out = tmp / "home", tmp / "cwd", tmp / "out"
        for folder in (home, work):
            folder.mkdir()
        env = isolated_env(home)
        before = snapshot(copy)
        exe = copy / exe_name()
        dangling = sorted(str(p.relative_to(copy)) for p in copy.rglob("*") if p.is_symlink() and not p.exists())
        if dangling:
            raise SmokeFailure(f"the bundle has broken links: {dangling[:10]}")
        if not (copy / "_internal" / "licenses" / "THIRD-PARTY-NOTICES.txt").is_file():
            raise SmokeFailure("the bundle has no _internal/licenses/THIRD-PARTY-NOTICES.txt")
        missing = missing_guide_files(copy / "_internal" / "resources" / "docs")
        if missing:
            raise SmokeFailure(f"the user guide (Help menu) is incomplete in the bundle: missing {missing}")

        output, timings["version"] = run([str(exe), "--version"], env, work, 120, "--version")
        if version not in output and not (sys.platform == "win32" and not output.strip()):  # GUI exe: no stdout
            raise SmokeFailure(f"--version printed {output.strip()!r}, expected version {version}")

        output, timings["selftest"] = run([str(exe), "selftest", str(out)], env, work, SELFTEST_TIMEOUT_S, "selftest")
        report = out / "selftest-report.txt"  # the Windows GUI executable may have no stdout to capture
        if "SELF-TEST PASSED" not in output and report.is_file():
            output = report.read_text(encoding="utf-8")
        if "SELF-TEST PASSED" not in output:
            raise SmokeFailure("the self-test did not report SELF-TEST PASSED")
        pdfs, xlsxs = sorted(out.glob("*.pdf")), sorted(out.glob("*.xlsx"))
        if len(pdfs) < 2 or not xlsxs:
            raise SmokeFailure(
                f"expected a ward PDF, an overview PDF and an XLSX in {out}; found {sorted(out.iterdir())}"
            )

        leaked = sorted(p.relative_to(home).as_posix() for p in home.rglob("*"))
        leaked = [name for name in leaked if "wardbrief" in name.lower()]
        if leaked:
            raise SmokeFailure(f"the self-test wrote into the user's folders: {leaked[:10]}")

        # The CLI from the same executable, and a batch big enough to use the process pool (frozen workers).
        demo = sorted((copy / "_internal" / "resources" / "demo").glob("*.csv"))
        if not demo:
            raise SmokeFailure("the bundle has no resources/demo files")
        data = ["--data-dir", str(tmp / "cli-data")]
        _, timings["import"] = run([str(exe), *data, "import", *map(str, demo)], env, work, 300, "import")
        if not (tmp / "cli-data" / "wardbrief.db").is_file():
            raise SmokeFailure("import did not create the store in the --data-dir folder")
        output, _ = run([str(exe), *data, "wards"], env, work, 120, "wards")
        codes = [line.split()[0] for line in output.splitlines() if line.startswith(("E0", "W0", "S1"))][:4]
        if len(codes) < 4:
            raise SmokeFailure("the wards command listed fewer than 4 wards after importing the demo data")
        packs = tmp / "packs"
        wards = [arg for code in codes for arg in ("--ward", code)]
        cmd = [str(exe), *data, "pack", *wards, "--no-overview", "--workers", "2", "--out", str(packs)]
        _, timings["pack (2 worker processes)"] = run(cmd, env, work, 600, "pack")
        if len(list(packs.glob("*.pdf"))) != len(codes):
            raise SmokeFailure(f"pack wrote {sorted(p.name for p in packs.iterdir())}, expected {len(codes)} PDFs")

        after = snapshot(copy)
        changed = sorted(set(after) ^ set(before)) + sorted(
            k for k in set(after) & set(before) if after[k] != before[k]
        )
        if changed:
            raise SmokeFailure(f"the read-only bundle folder changed: {changed[:10]}")
        if any(work.iterdir()):
            raise SmokeFailure(f"files appeared in the working folder: {sorted(p.name for p in work.iterdir())}")
        other = sorted(str(p.relative_to(home)) for p in home.rglob("*") if p.is_file())
        if other:
            print(f"note: caches written under the fake home (allowed outside the self-test): {other[:10]}")
        print(f"\nOutput files: {', '.join(p.name for p in sorted(out.iterdir()))}")
    finally:
        if copy.exists():
            make_writable(copy)
        if keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return timings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Smoke-test the frozen WardBrief bundle (read-only, isolated).")
    parser.add_argument(
        "--bundle", default=str(ROOT / "dist" / APP), help="the one-folder bundle (default: dist/WardBrief)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder for inspection")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        timings = smoke(Path(args.bundle).resolve(), keep=args.keep)
    except SmokeFailure as exc:
        print(f"\nSMOKE TEST FAILED: {exc}", flush=True)
        return 1
    parts = ", ".join(f"{k} {v:.1f} s" for k, v in timings.items())
    print(f"\nSMOKE TEST PASSED in {time.perf_counter() - started:.1f} s ({parts})", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
