"""Build the WardBrief one-folder bundle: `python packaging/build.py` (or `make bundle`).

Produces `dist/WardBrief/` (run `dist/WardBrief/WardBrief`, or `WardBrief.exe` on Windows) and
`dist/WardBrief-<version>-<platform>.zip`, then prints the bundle size and what its largest parts are.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import subprocess
import sys
import time
import tomllib
import zipfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "packaging" / "wardbrief.spec"
APP = "WardBrief"
SIZE_TARGET_MB = 230  # Linux one-folder build

# What each large part of the bundle is, matched on its path inside the bundle (first match wins).
PARTS: list[tuple[str, tuple[str, ...]]] = [
    ("ICU (Unicode tables Qt needs)", ("libicu", "icudt", "icuuc", "icuin")),
    ("OpenBLAS (numpy's linear algebra)", ("openblas",)),
    ("Qt plugins (platforms, image formats, print)", ("PySide6/Qt/plugins/", "PySide6/plugins/")),
    ("Qt libraries", ("libQt6", "Qt6", "PySide6/Qt/lib/")),
    ("PySide6/shiboken bindings", ("PySide6/", "shiboken6")),
    ("libpython and the standard library extensions", ("libpython", "python3", "lib-dynload", "base_library.zip")),
    ("pandas", ("pandas",)),
    ("numpy", ("numpy",)),
    ("matplotlib (+ its fonts)", ("matplotlib", "mpl_toolkits", "kiwisolver", "contourpy")),
    ("Pillow (matplotlib's image I/O)", ("PIL/", "pillow")),
    ("python-calamine (XLSX reader)", ("calamine",)),
    ("WardBrief resources (demo data, lookups, fonts)", ("resources/",)),
    ("compiled Python modules (PYZ archive)", ("PYZ", ".pyz", APP.lower(), APP)),
]


def project() -> dict[str, str]:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return {"name": APP, "version": str(data["version"])}


def platform_tag() -> str:
    system = {"win32": "windows", "darwin": "macos"}.get(sys.platform, sys.platform)
    machine = platform.machine().lower().replace("amd64", "x86_64")
    return f"{system}-{machine}"


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def classify(rel: str) -> str:
    for label, needles in PARTS:
        if any(n in rel for n in needles):
            return label
    if re.fullmatch(r"_internal/[^/]+\.(so[.0-9]*|dll)", rel):
        return "system libraries (C++ runtime, OpenSSL, CUPS printing, X11/xcb, GLib, fontconfig)"
    return "other"


def report_size(bundle: Path, top: int = 12) -> int:
    files = [
        (p.stat().st_size, p.relative_to(bundle).as_posix())
        for p in bundle.rglob("*")
        if p.is_file() and not p.is_symlink()  # PyInstaller links duplicate libraries on Linux
    ]
    total = sum(size for size, _ in files)
    groups: dict[str, int] = defaultdict(int)
    for size, rel in files:
        groups[classify(rel)] += size
    mb = 1024 * 1024
    print(f"\nBundle: {bundle}  {total / mb:.1f} MB in {len(files)} files (target <= {SIZE_TARGET_MB} MB on Linux)")
    print("By part:")
    for label, size in sorted(groups.items(), key=lambda kv: -kv[1]):
        print(f"  {size / mb:7.1f} MB  {label}")
    print("Largest files:")
    for size, rel in sorted(files, reverse=True)[:top]:
        print(f"  {size / mb:7.1f} MB  {rel}")
    return total


def make_zip(bundle: Path, zip_path: Path) -> None:
    zip_path.unlink(missing_ok=True)
    with zipfile.ZipFile(zip_path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        for path in sorted(bundle.rglob("*")):
            arcname = Path(bundle.name) / path.relative_to(bundle)
            if path.is_symlink() or path.is_file():
                zf.write(path, arcname)


def build(*, zip_it: bool = True, clean: bool = True) -> Path:
    info = project()
    dist = ROOT / "dist"
    work = ROOT / "build" / "pyinstaller"
    bundle = dist / APP
    cmd = [
        sys.executable,
        "-m",
        "PyInstaller",
        "--noconfirm",
        "--log-level=WARN",
        "--distpath",
        str(dist),
        "--workpath",
        str(work),
        str(SPEC),
    ]
    if clean:
        cmd.insert(3, "--clean")
    print(f"Building {APP} {info['version']} ({platform_tag()}): {' '.join(cmd[2:])}", flush=True)
    started = time.perf_counter()
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    subprocess.run(cmd, cwd=ROOT, check=True, env=env)
    print(f"PyInstaller finished in {time.perf_counter() - started:.0f} s", flush=True)
    exe = bundle / (APP + (".exe" if sys.platform == "win32" else ""))
    if not exe.is_file():
        raise SystemExit(f"build failed: {exe} was not produced")
    report_size(bundle)
    if zip_it:
        zip_path = dist / f"{APP}-{info['version']}-{platform_tag()}.zip"
        started = time.perf_counter()
        make_zip(bundle, zip_path)
        print(
            f"Zip: {zip_path}  {zip_path.stat().st_size / 1024 / 1024:.1f} MB ({time.perf_counter() - started:.0f} s)"
        )
    print(f"\nRun it: {exe}   (self-test: {exe} selftest OUTDIR)")
    return bundle


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-zip", action="store_true", help="skip the zip (faster local builds)")
    parser.add_argument("--no-clean", action="store_true", help="reuse PyInstaller's cache from the last build")
    parser.add_argument("--size-only", action="store_true", help="only report the size of an existing dist/ bundle")
    args = parser.parse_args(argv)
    if args.size_only:
        report_size(ROOT / "dist" / APP)
        return 0
    if shutil.which("objdump") is None and sys.platform.startswith("linux"):
        print("note: binutils (objdump) is not installed; PyInstaller needs it on Linux", file=sys.stderr)
    build(zip_it=not args.no_zip, clean=not args.no_clean)
    return 0


if __name__ == "__main__":
    sys.exit(main())
