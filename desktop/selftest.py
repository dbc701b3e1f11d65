"""`wardbrief selftest OUTDIR`: prove an installed (or frozen) WardBrief works on this machine.

With a fresh temporary data folder (never the user's), it opens a store read-write, imports the bundled demo
extracts, builds and renders one ward's pack (PDF and XLSX) and the borough overview into OUTDIR, checks each file,
opens the main window (offscreen when there is no display) and checks that nothing was written inside the program
folder. It prints one line per step and writes the same report to OUTDIR/selftest-report.txt (a Windows GUI
executable has no console). Exit status 0 when every step passed, 1 otherwise.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import tempfile
import time
import traceback
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from desktop import APP_NAME, __version__, paths
from desktop.errors import WardBriefError

REPORT_NAME = "selftest-report.txt"
PREFERRED_WARD = "West End"  # the demo's busiest ward; any ward with data will do
WINDOW_TIMEOUT_S = 30.0


class CheckFailed(Exception):
    """A self-test check did not hold; the message says what was wrong."""


# --- file checks (pure Python, no Qt, no pypdf: they run inside the frozen bundle) -----------------------------


def pdf_page_count(data: bytes) -> int:
    """Pages in a PDF written by Qt (uncompressed object dictionaries): the page tree's largest /Count, cross-checked
    against the number of /Type /Page objects."""
    objects = len(re.findall(rb"/Type\s*/Page(?![A-Za-z])", data))
    counts = [int(c) for c in re.findall(rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)", data, flags=re.S)]
    counts += [int(c) for c in re.findall(rb"/Count\s+(\d+)[^>]*?/Type\s*/Pages\b", data, flags=re.S)]
    return max(counts) if counts and max(counts) == objects else objects


def pdf_fonts(data: bytes) -> set[str]:
    """Embedded font names, without the six-letter subset prefix."""
    return {name.decode("latin-1").split("+")[-1] for name in re.findall(rb"/BaseFont\s*/([\w+.-]+)", data)}


def check_pdf(path: Path, *, min_pages: int = 2) -> str:
    if not path.is_file():
        raise CheckFailed(f"{path.name} was not written")
    data = path.read_bytes()
    if not data:
        raise CheckFailed(f"{path.name} is empty")
    if not data.startswith(b"%PDF-"):
        raise CheckFailed(f"{path.name} is not a PDF (it starts {data[:8]!r})")
    if b"%%EOF" not in data[-1024:]:
        raise CheckFailed(f"{path.name} is cut short (no end-of-file marker)")
    pages = pdf_page_count(data)
    if pages < min_pages:
        raise CheckFailed(f"{path.name} has {pages} page(s); a pack has at least {min_pages}")
    fonts = pdf_fonts(data)
    if not any(f.startswith("DejaVuSans") for f in fonts):
        raise CheckFailed(f"{path.name} does not embed the bundled DejaVu Sans font (fonts: {sorted(fonts) or 'none'})")
    return f"{path.name}: {pages} pages, {len(data) / 1024:.0f} KB, fonts {', '.join(sorted(fonts))}"


def check_xlsx(path: Path) -> str:
    if not path.is_file() or path.stat().st_size == 0:
        raise CheckFailed(f"{path.name} was not written or is empty")
    if not zipfile.is_zipfile(path):
        raise CheckFailed(f"{path.name} is not an XLSX workbook (not a zip file)")
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True)
    try:
        sheets = list(workbook.sheetnames)
        rows = sum(1 for _ in workbook[sheets[0]].iter_rows()) if sheets else 0
    finally:
        workbook.close()
    if not sheets:
        raise CheckFailed(f"{path.name} has no sheets")
    if rows < 2:
        raise CheckFailed(f"{path.name}: the first sheet ({sheets[0]}) has no data rows")
    return f"{path.name}: {len(sheets)} sheets ({', '.join(sheets[:6])}{', ...' if len(sheets) > 6 else ''})"


# --- "nothing written inside the program folder" -------------------------------------------------------------


def program_folder() -> Path:
    """The folder the program runs from: the bundle folder when frozen, else the source checkout."""
    if getattr(sys, "frozen", False):
        return Path(sys.executable).resolve().parent
    return Path(__file__).resolve().parent.parent


def snapshot(root: Path, *, skip: Path | None = None) -> dict[str, tuple[int, int]]:
    """Every file under the program folder (frozen) or its `desktop/` and `resources/` (source; bytecode caches
    that Python itself writes beside the sources are ignored): relative path -> (size, mtime)."""
    frozen = getattr(sys, "frozen", False)
    tops = [root] if frozen else [root / "desktop", root / "resources"]
    files: dict[str, tuple[int, int]] = {}
    for top in tops:
        for dirpath, dirnames, filenames in os.walk(top):
            here = Path(dirpath)
            if skip is not None and (here == skip or skip in here.parents):
                dirnames[:] = []
                continue
            if not frozen:
                dirnames[:] = [d for d in dirnames if d != "__pycache__"]
            for name in filenames:
                path = here / name
                try:
                    st = path.lstat()
                except OSError:
                    continue
                files[path.relative_to(root).as_posix()] = (st.st_size, st.st_mtime_ns)
    return files


def compare_snapshots(before: dict[str, tuple[int, int]], after: dict[str, tuple[int, int]], *, strict: bool) -> str:
    """Problems found, or "" when the folder is unchanged. Source checkouts are shared with editors, so there only
    new files count; a frozen bundle must not change at all."""
    added = sorted(set(after) - set(before))
    problems = [f"new file {name}" for name in added]
    if strict:
        problems += [f"removed {name}" for name in sorted(set(before) - set(after))]
        problems += [f"changed {name}" for name in sorted(set(before) & set(after)) if before[name] != after[name]]
    return "; ".join(problems[:10]) + (f" (and {len(problems) - 10} more)" if len(problems) > 10 else "")


# --- the run --------------------------------------------------------------------------------------------------


class Run:
    """Runs steps, printing and recording one line each; a failed step is recorded and later steps still run
    when they do not depend on it."""

    def __init__(self, outdir: Path) -> None:
        self.outdir = outdir
        self.lines: list[str] = []
        self.failures: list[str] = []
        self.started = time.perf_counter()

    def say(self, line: str) -> None:
        self.lines.append(line)
        print(line, flush=True)

    def step(self, name: str, func: Callable[[], tuple[Any, str]]) -> Any:
        """Run `func`, which returns (value, detail); print the outcome; return the value (None if it failed)."""
        started = time.perf_counter()
        try:
            value, detail = func()
        except (CheckFailed, WardBriefError) as exc:
            self.fail(name, str(exc), started)
            return None
        except Exception as exc:  # an unexpected error is a failed step, with its details
            self.fail(name, f"{type(exc).__name__}: {exc}", started)
            self.say(traceback.format_exc().rstrip())
            return None
        self.say(f"[ok]     {time.perf_counter() - started:5.1f} s  {name}{': ' + detail if detail else ''}")
        return value

    def fail(self, name: str, message: str, started: float) -> None:
        self.failures.append(f"{name}: {message}")
        self.say(f"[FAILED] {time.perf_counter() - started:5.1f} s  {name}: {message}")

    def finish(self) -> int:
        total = time.perf_counter() - self.started
        if self.failures:
            self.say(f"SELF-TEST FAILED ({len(self.failures)} problem(s), {total:.1f} s):")
            for failure in self.failures:
                self.say(f"  - {failure}")
        else:
            self.say(f"SELF-TEST PASSED in {total:.1f} s. Output: {self.outdir}")
        try:
            (self.outdir / REPORT_NAME).write_text("\n".join(self.lines) + "\n", encoding="utf-8")
        except OSError as exc:
            print(f"(could not write {REPORT_NAME}: {exc})", flush=True)
        return 1 if self.failures else 0


def _prepare_environment(data: Path) -> None:
    """Point everything the app may write at the temporary folder, before matplotlib or Qt load."""
    paths.set_data_dir(data)
    if "matplotlib" not in sys.modules:
        os.environ["MPLCONFIGDIR"] = str(data / "matplotlib")
    no_display = not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    if sys.platform.startswith("linux") and no_display and not os.environ.get("QT_QPA_PLATFORM"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from desktop.app import setup_logging

    setup_logging()


def _choose_ward(db: Any) -> tuple[dict[str, Any], str]:
    from desktop.store.queries import wards_with_data

    rows = wards_with_data(db)
    if not rows:
        raise CheckFailed("the demo data gave no ward with crime figures")
    ward = next((r for r in rows if r["name"] == PREFERRED_WARD), rows[0])
    return ward, f"{ward['name']} ({ward['code']}), {ward['borough_name']}; {len(rows)} wards have data"


def _show_window() -> tuple[None, str]:
    from desktop.app import create_app

    app = create_app()
    if not app.inherits("QApplication"):
        raise CheckFailed("a window-less Qt application is already running in this process; run the self-test alone")
    from desktop.views.main_window import MainWindow

    started = time.perf_counter()
    window = MainWindow()
    window.show()
    app.processEvents()
    shown = time.perf_counter() - started
    deadline = time.perf_counter() + WINDOW_TIMEOUT_S
    while getattr(window, "summary", True) is None and time.perf_counter() < deadline:
        app.processEvents()
        time.sleep(0.01)
    if not window.isVisible():
        raise CheckFailed("the main window did not appear")
    if getattr(window, "summary", True) is None:
        raise CheckFailed(f"the main window did not load the store summary within {WINDOW_TIMEOUT_S:.0f} s")
    status = window.status.text() if hasattr(window, "status") else ""
    window.close()
    window.deleteLater()
    app.processEvents()
    platform = app.platformName()
    return None, f"shown in {shown:.2f} s on the '{platform}' platform; {status}"


def run_selftest(outdir: Path) -> int:
    """Run every check; return 0 if all passed, 1 otherwise (see the module docstring)."""
    outdir = Path(outdir).expanduser().resolve()
    run = Run(outdir)
    try:
        outdir.mkdir(parents=True, exist_ok=True)
        probe = outdir / ".write-test"
        probe.write_text("ok", encoding="utf-8")
        probe.unlink()
    except OSError as exc:
        print(f"SELF-TEST FAILED: cannot write to {outdir} ({exc}). Choose a folder you can write to.", flush=True)
        return 1
    data = Path(tempfile.mkdtemp(prefix="wardbrief-selftest-"))
    _prepare_environment(data)
    frozen = bool(getattr(sys, "frozen", False))
    root = program_folder()
    before = snapshot(root, skip=outdir)
    run.say(f"{APP_NAME} {__version__} self-test ({'frozen bundle' if frozen else 'from source'}, {sys.platform})")
    run.say(f"Program folder: {root}")
    run.say(f"Temporary data folder: {data}")
    try:
        from desktop.app import create_app

        create_app()  # the same QApplication the GUI uses, before the PDF renderer would make a window-less one
        _run_steps(run, data)
    finally:
        after = snapshot(root, skip=outdir)
        run.step(
            "Nothing written inside the program folder",
            lambda: _unchanged(before, after, root, strict=frozen),
        )
        _cleanup(run, data)
    return run.finish()


def _unchanged(
    before: dict[str, tuple[int, int]], after: dict[str, tuple[int, int]], root: Path, *, strict: bool
) -> tuple[None, str]:
    problems = compare_snapshots(before, after, strict=strict)
    if problems:
        raise CheckFailed(f"the program folder {root} changed: {problems}")
    return None, f"{len(after)} files unchanged"


def _run_steps(run: Run, data: Path) -> None:
    from desktop.store import open_store

    db = run.step("Open a store read-write in the temporary folder", lambda: _open_store(open_store, data))
    if db is None:
        return
    try:
        if run.step("Import the demo extracts", lambda: _import_demo(db)) is None:
            return
        ward = run.step("Choose a ward", lambda: _choose_ward(db))
        if ward is None:
            return
        from desktop.reports.options import PackOptions
        from desktop.settings import load_settings

        options = PackOptions()
        settings = load_settings(paths.settings_path())
        stem = re.sub(r"[^A-Za-z0-9]+", "_", ward["name"]).strip("_") or ward["code"]
        pack = run.step("Build the ward pack", lambda: _build(db, ward["code"], options, settings))
        if pack is not None:
            run.step("Render the ward pack PDF", lambda: _pdf(pack, run.outdir / f"{stem}.pdf"))
            run.step("Write the ward XLSX appendix", lambda: _xlsx(pack, run.outdir / f"{stem}.xlsx"))
            run.step("Write the ward HTML twin", lambda: _html(pack, run.outdir / f"{stem}.html"))
            run.step("Render the two-page summary", lambda: _summary(pack, run.outdir / f"{stem}_summary.pdf"))
        borough = ward["borough_name"] or ""
        overview = run.step("Build the borough overview", lambda: _overview(db, borough, options, settings))
        if overview is not None:
            run.step("Render the overview PDF", lambda: _pdf(overview, run.outdir / "Borough_overview.pdf"))
    finally:
        db.close()
    run.step("Open the main window", _show_window)


def _open_store(open_store: Callable[[Path], Any], data: Path) -> tuple[Any, str]:
    db = open_store(paths.store_path())
    with db.conn:
        db.execute("CREATE TABLE selftest_probe (x INTEGER)")
        db.execute("INSERT INTO selftest_probe VALUES (1)")
        db.execute("DROP TABLE selftest_probe")
    if not paths.store_path().is_file() or data.resolve() not in paths.store_path().parents:
        raise CheckFailed(f"the store was not created in the temporary folder ({paths.store_path()})")
    return db, str(paths.store_path())


def _import_demo(db: Any) -> tuple[list[Any], str]:
    from desktop.importers.demo import load_demo

    results = load_demo(db)
    failed = [r for r in results if not r.ok]
    if failed:
        raise CheckFailed("; ".join(f"{r.file_name}: {r.message}" for r in failed))
    rows = sum(r.rows_stored for r in results)
    return results, f"{len(results)} files, {rows:,} rows stored"


def _build(db: Any, code: str, options: Any, settings: Any) -> tuple[Any, str]:
    from desktop.reports.build import build_pack

    pack = build_pack(db, code, options, settings)
    return pack, f"{pack.title}, {pack.period_label}, {len(pack.sections)} sections"


def _overview(db: Any, borough: str, options: Any, settings: Any) -> tuple[Any, str]:
    from desktop.reports.build import build_overview

    pack = build_overview(db, borough, options, settings)
    return pack, f"{pack.title}, {len(pack.sections)} sections"


def _pdf(pack: Any, path: Path) -> tuple[Path, str]:
    from desktop.reports.pdf import render_pdf

    render_pdf(pack, path)
    return path, check_pdf(path)


def _xlsx(pack: Any, path: Path) -> tuple[Path, str]:
    from desktop.reports.xlsx import write_xlsx

    write_xlsx(pack, path)
    return path, check_xlsx(path)


def _html(pack: Any, path: Path) -> tuple[Path, str]:
    from desktop.reports.html import write_html

    text = write_html(pack, path).read_text(encoding="utf-8")
    charts = text.count('role="img"')
    if '<html lang="en-GB">' not in text or not charts or "<script" in text:
        raise CheckFailed(f"{path.name} is not the accessible HTML pack")
    return path, f"{len(text):,} characters, {charts} charts described"


def _summary(pack: Any, path: Path) -> tuple[Path, str]:
    from desktop.reports.editions import apply_edition

    _pdf(apply_edition(pack, summary=True), path)
    pages = pdf_page_count(path.read_bytes())
    if pages != 2:
        raise CheckFailed(f"{path.name} has {pages} pages, not 2")
    return path, "2 pages"


def _cleanup(run: Run, data: Path) -> None:
    """Close the log file and remove the temporary data folder (kept, and named, if a step failed)."""
    import logging

    for handler in list(logging.getLogger().handlers):
        if getattr(handler, "_wardbrief", False):
            handler.close()
            logging.getLogger().removeHandler(handler)
    paths.set_data_dir(None)
    if run.failures:
        run.say(f"The temporary data folder is kept for inspection: {data}")
    else:
        shutil.rmtree(data, ignore_errors=True)
