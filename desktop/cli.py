"""The `wardbrief` command. With no subcommand it opens the window; subcommands serve batches and scripts.

Expected problems print one plain message with what to do next and exit 1; usage mistakes exit 2.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from desktop import APP_NAME, __version__, paths
from desktop.errors import Cancelled, WardBriefError


def _err(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _stderr_progress(label: str) -> Callable[[int, int, str], None]:
    def progress(done: int, total: int, message: str = "") -> None:
        pct = f"{100 * done // total:3d}%" if total else "   "
        _err(f"  [{label}] {pct} {message}")

    return progress


def has_display() -> bool:
    """Whether a person can see a window: always on Windows/macOS; on Linux only with X11 or Wayland.

    Qt's offscreen and minimal platforms draw nowhere a person can see, so they count as no display.
    """
    if os.environ.get("QT_QPA_PLATFORM", "").startswith(("offscreen", "minimal")):
        return False
    if sys.platform in ("win32", "darwin"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def can_open_window() -> bool:
    """Whether `wardbrief gui` can run: a display, or a Qt platform the caller chose on purpose (tests, benchmarks)."""
    return has_display() or bool(os.environ.get("QT_QPA_PLATFORM"))


def _open_db() -> Any:
    from desktop.store import open_store

    return open_store(paths.store_path())


# --- subcommands -------------------------------------------------------------------------------------------


def cmd_gui(args: argparse.Namespace) -> int:
    if not can_open_window():
        _err("No display is available, so the window cannot open. Use the subcommands instead (wardbrief --help).")
        return 1
    from desktop.app import run_gui

    return run_gui()


def cmd_import(args: argparse.Namespace) -> int:
    from desktop.importers import import_file

    db = _open_db()
    failed = 0
    for name in args.files:
        path = Path(name)
        result = import_file(db, path, progress=_stderr_progress(path.name), skip_bad_rows=args.skip_bad_rows)
        print(result.summary())
        if args.verbose and result.rejections:
            for rej in result.rejections[:200]:
                print(f"    {rej}")
        if not result.ok:
            failed += 1
    if failed:
        _err(f"{failed} of {len(args.files)} file(s) could not be imported; nothing from those files was stored.")
    return 1 if failed else 0


def cmd_sources(args: argparse.Namespace) -> int:
    from desktop.importers.sources import format_sources, list_sources, remove_source

    db = _open_db()
    if args.remove is not None:
        print(remove_source(db, args.remove))
        return 0
    print(format_sources(list_sources(db)))
    return 0


def _home(db: Any) -> list[str]:
    from desktop.settings import Settings, load_settings
    from desktop.store.home_area import home_boroughs

    try:
        settings = load_settings(paths.settings_path())
    except WardBriefError:
        settings = Settings()
    return home_boroughs(db, settings.borough)


def cmd_wards(args: argparse.Namespace) -> int:
    from desktop.store.home_area import name_key
    from desktop.store.queries import wards

    db = _open_db()
    rows = wards(db, args.borough)
    if not args.borough and not args.all_boroughs:
        home = {name_key(b) for b in _home(db)}
        local = [r for r in rows if name_key(str(r["borough_name"] or "")) in home]
        if local and len(local) < len(rows):
            print(f"# wards of your home area ({', '.join(_home(db))}); --all-boroughs lists all {len(rows)}")
            rows = local
    if not rows:
        print("No wards in the store yet. Import a ward lookup or a crime extract (wardbrief import FILE).")
        return 0
    for row in rows:
        pop = f"{row['population']:,}" if row["population"] else "-"
        print(f"{row['code']}  {row['name']:<32} {row['borough_name'] or '':<24} population {pop}")
    return 0


def _pack_options(args: argparse.Namespace) -> Any:
    from desktop.reports.options import PackOptions

    themes = [t.strip() for t in (args.themes or "").split(",") if t.strip()]
    return PackOptions(
        month=args.month,
        themes=themes,
        public=not args.internal,
        meeting_date=args.meeting,
        summary=args.summary,
        large_print=args.large_print,
        html=args.html,
    )


def cmd_pack(args: argparse.Namespace) -> int:
    from desktop.months import month_label
    from desktop.reports.batch import write_packs
    from desktop.reports.build import reference_month
    from desktop.store.home_area import home_wards_to_pack, resolve_wards

    db = _open_db()
    home = _home(db)
    if args.all:
        reference = args.month or reference_month(db)
        local, stale = home_wards_to_pack(db, home, reference)
        if stale and reference:
            _err(
                f"{len(stale)} ward(s) of {', '.join(home)} with no recorded crime in the 12 months to "
                f"{month_label(reference)} left out (wards on boundaries in force before, e.g. May 2022)."
            )
        codes = [str(w["code"]) for w in local] or None  # no home area yet: every ward with figures
    else:
        codes = resolve_wards(db, args.ward, home)
    db.close()
    written = write_packs(
        paths.store_path(),
        codes,
        _pack_options(args),
        Path(args.out),
        xlsx=args.xlsx,
        overview=not args.no_overview,
        workers=args.workers,
        progress=_stderr_progress("pack"),
    )
    for path in written:
        print(path)
    return _report_failures(written)


def _report_failures(written: Any) -> int:
    """Wards skipped for want of figures are listed on stderr; packs that could not be made too, and make the
    command exit 1."""
    skipped = getattr(written, "skipped", [])
    if skipped:
        _err(f"{len(skipped)} ward(s) skipped (no pack made):")
        for name, reason in skipped:
            _err(f"  skipped: {name}: {reason}")
    failures = getattr(written, "failures", [])
    for name, reason in failures:
        _err(f"not made: {name}: {reason}")
    return 1 if failures else 0


def cmd_demo(args: argparse.Namespace) -> int:
    """Build the demo store, then open the window; with no display, write every ward's pack and print the paths."""
    from desktop.importers.demo import load_demo

    db = _open_db()
    for result in load_demo(db, progress=_stderr_progress("demo")):
        print(result.summary())
    db.close()
    if not args.packs and has_display():
        print(f"Demo data is in {paths.data_dir()}. Opening the window...")
        from desktop.app import run_gui

        return run_gui()
    if not args.packs:
        print("No display is available, so the window cannot open; writing the demo briefing packs instead.")
    from desktop.reports.batch import write_packs
    from desktop.reports.options import PackOptions

    out = Path(args.out).resolve() if args.out else paths.data_dir() / "demo-packs"
    written = write_packs(
        paths.store_path(), None, PackOptions(), out, xlsx=True, overview=True, progress=_stderr_progress("pack")
    )
    for path in written:
        print(path)
    print(f"The demo briefing packs are in {out}")
    return _report_failures(written)


def cmd_backup(args: argparse.Namespace) -> int:
    from desktop.store.backup import backup_store

    print(backup_store(paths.store_path(), Path(args.file)))
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from desktop.store.backup import restore_store

    print(restore_store(Path(args.file), paths.store_path()))
    return 0


def cmd_settings(args: argparse.Namespace) -> int:
    from desktop.settings import load_settings, save_settings

    if args.action == "export":
        save_settings(load_settings(paths.settings_path()), Path(args.file))
        print(f"Settings written to {args.file}")
    else:
        settings = load_settings(Path(args.file))
        save_settings(settings, paths.settings_path())
        print(f"Settings imported from {args.file}")
    return 0


def cmd_selftest(args: argparse.Namespace) -> int:
    from desktop.selftest import run_selftest

    return int(run_selftest(Path(args.outdir)))


# --- parser ------------------------------------------------------------------------------------------------


def meeting_date(text: str) -> str:
    """A real calendar date as YYYY-MM-DD, from YYYY-MM-DD or the UK's DD/MM/YYYY (30/06/2025; never US order).
    Anything else ("tomorrow", 2025-02-30, 06/30/2025) is refused with the forms that work."""
    import datetime as dt
    import re

    raw = text.strip()
    found = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", raw)
    parts = (found.group(1), found.group(2), found.group(3)) if found else None
    if found is None and (uk := re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", raw)):
        parts = (uk.group(3), uk.group(2), uk.group(1))
    try:
        if parts is None:
            raise ValueError(text)
        day = dt.date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a date. Give the panel meeting date as YYYY-MM-DD or DD/MM/YYYY, "
            "e.g. 2025-06-30 or 30/06/2025."
        ) from None
    return day.isoformat()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="wardbrief",
        description=f"{APP_NAME}: ward-level community safety briefing packs, made offline from your extracts.",
    )
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    parser.add_argument(
        "--data-dir",
        help=f"where the store, settings and logs live (default: ${paths.ENV_VAR} or your user data folder)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    sub.add_parser("gui", help="open the window (the default)").set_defaults(func=cmd_gui)

    p = sub.add_parser("import", help="import extract files (CSV or XLSX) into the store")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("-v", "--verbose", action="store_true", help="list every rejected row")
    p.add_argument(
        "--skip-bad-rows",
        action="store_true",
        help="store the good rows of a file with some bad ones (the bad ones are listed and kept in the store)",
    )
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("sources", help="list the imported files, or remove one")
    p.add_argument("--remove", type=int, metavar="ID", help="remove a source and restore what it superseded")
    p.set_defaults(func=cmd_sources)

    p = sub.add_parser("wards", help="list the wards in the store")
    p.add_argument("--borough", help="only this borough (name or code)")
    p.add_argument("--all-boroughs", action="store_true", help="every ward in the store, not only your home area")
    p.set_defaults(func=cmd_wards)

    p = sub.add_parser("pack", help="write briefing packs (PDF; HTML with --html, XLSX with --xlsx)")
    who = p.add_mutually_exclusive_group(required=True)
    who.add_argument("--ward", action="append", metavar="CODE|NAME", help="a ward (repeat for more)")
    who.add_argument("--all", action="store_true", help="every ward of your home area (Settings: borough) with figures")
    p.add_argument("--month", metavar="YYYY-MM", help="reference month (default: latest complete month)")
    p.add_argument("--themes", metavar="a,b,c", help="theme keys (default: the standard set)")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--public", action="store_true", help="public pack with small numbers suppressed (default)")
    mode.add_argument("--internal", action="store_true", help="internal pack: every count shown")
    p.add_argument(
        "--meeting",
        type=meeting_date,
        metavar="DATE",
        help="panel meeting date for the cover: YYYY-MM-DD or DD/MM/YYYY (e.g. 2025-06-30 or 30/06/2025)",
    )
    p.add_argument("--out", default="packs", metavar="DIR", help="output folder (default: ./packs)")
    p.add_argument("--xlsx", action="store_true", help="also write the XLSX data appendix")
    p.add_argument(
        "--html",
        action="store_true",
        help="also write the accessible HTML twin of each pack (one file, WCAG 2.2 AA; publish this one online)",
    )
    p.add_argument(
        "--summary",
        action="store_true",
        help="the two-page summary of each ward's pack instead of the full pack (the borough overview stays whole)",
    )
    p.add_argument("--large-print", action="store_true", help="large print: no text under 16 pt, in PDF and HTML")
    p.add_argument("--no-overview", action="store_true", help="skip the borough overview pack")
    p.add_argument("--workers", type=int, default=0, help="processes to use (default: one per core)")
    p.set_defaults(func=cmd_pack)

    p = sub.add_parser("demo", help="load the bundled demo data, then open the window (or write packs)")
    p.add_argument("--packs", action="store_true", help="write every ward's pack instead of opening the window")
    p.add_argument("--out", metavar="DIR", help="where packs go (default: demo-packs in the data folder)")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("backup", help="write a copy of the whole store (priorities included) to FILE")
    p.add_argument("file")
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("restore", help="replace the store with a backup FILE (the current store is kept aside)")
    p.add_argument("file")
    p.set_defaults(func=cmd_restore)

    p = sub.add_parser("settings", help="export or import the settings file an analyst shares")
    p.add_argument("action", choices=["export", "import"])
    p.add_argument("file")
    p.set_defaults(func=cmd_settings)

    p = sub.add_parser("selftest", help="import the demo data and render packs into OUTDIR, checking each step")
    p.add_argument("outdir")
    p.set_defaults(func=cmd_selftest)
    return parser


class Terminated(KeyboardInterrupt):
    """SIGTERM: the command stops as on Ctrl-C (transactions rolled back, batch workers stopped)."""


def _on_sigterm(signum: int, frame: Any) -> None:
    raise Terminated()


def _data_dir_problem(func: Callable[..., int]) -> str | None:
    """A plain sentence when the data folder cannot be created (checked before anything else runs)."""
    if func in (cmd_selftest, cmd_gui):
        return None
    try:
        paths.data_dir()
    except OSError as exc:
        from desktop.faults import os_cause

        where = exc.filename or "for WardBrief"
        return (
            f"The data folder {where} cannot be created: {os_cause(exc)}. "
            f"Choose a folder you can write to with --data-dir (or set {paths.ENV_VAR})."
        )
    return None


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    paths.set_data_dir(args.data_dir)
    func = getattr(args, "func", cmd_gui)
    if problem := _data_dir_problem(func):
        _err(problem)
        return 1
    if func is not cmd_selftest:  # the self-test logs into its own temporary data folder, never the user's
        import logging

        from desktop.app import setup_logging

        setup_logging()
        logging.raiseExceptions = False  # a log line that cannot be written (full disk) must not print a traceback
    import signal
    import threading

    on_main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _on_sigterm) if on_main and func is not cmd_gui else None
    try:
        return int(func(args) or 0)
    except WardBriefError as exc:
        _err(str(exc))
        return 1
    except Cancelled as exc:
        _err(str(exc) or "Cancelled.")
        return 1
    except Terminated:
        _err("Stopped: WardBrief was asked to end (SIGTERM). Nothing was half-written; finished packs are kept.")
        return 143
    except KeyboardInterrupt:
        _err("Interrupted.")
        return 130
    except BrokenPipeError:  # `wardbrief sources | head`: the reader has what it wanted; not a disk fault
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error as Python exits
        return 0
    except (OSError, sqlite3.Error) as exc:  # the machine's faults the commands did not put in words themselves
        from desktop.faults import fault_cause, next_step_for

        cause = fault_cause(exc)
        if cause is None:
            raise
        import logging

        logging.getLogger(__name__).error("%s failed", args.command, exc_info=exc)  # the details go to the log
        where = f" ({exc.filename})" if isinstance(exc, OSError) and exc.filename else ""
        _err(f"WardBrief could not finish: {cause}{where}. {next_step_for(cause)}")
        return 1
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
