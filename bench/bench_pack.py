"""Pack rendering benchmarks (issue 4). Prints `name: value` lines; ratios are against floors measured in this run.

1. One ward (West End, demo store): build + PDF vs rendering the same charts alone (the floor). Goal <= 1.5x.
2. All wards + the overview from the demo store: total seconds (process pool) and per-ward median (serial run).
3. The 10+ page pack PDF's size. Goal < 1 MB.
4. London scale: `--all` over a store holding the real Met edition (~680 wards): total seconds with a process pool
   and the per-ward median of a serial sample. Skipped when ../shared/data is absent; `--london-wards N` limits it.

Run: `python -m bench --only pack [--full]` (the table) or `python -m bench.bench_pack [--skip-london]
[--london-wards N]` (these lines). Without --full the London case covers 60 wards; with it, every ward.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("MPLBACKEND", "Agg")

ROOT = Path(__file__).resolve().parent.parent
MET_EDITION = ROOT.parent / "shared" / "data" / "mps-ward-crime"


CASES: list[dict[str, Any]] = []


def line(name: str, value: object) -> None:
    print(f"{name}: {value}", flush=True)


def case(name: str, seconds: float, floor: float, goal: float | None, note: str = "") -> None:
    ratio = seconds / floor if floor else float("nan")
    CASES.append({"case": name, "seconds": seconds, "floor": floor, "ratio": ratio, "goal": goal, "note": note})


def _fresh_data_dir(tmp: Path, name: str) -> Path:
    from desktop import paths

    folder = tmp / name
    folder.mkdir(parents=True, exist_ok=True)
    os.environ[paths.ENV_VAR] = str(folder)
    paths.set_data_dir(None)
    return folder


def _timed_serial(db_path: Path, codes: list[str] | None, out: Path, overview: bool) -> tuple[float, list[float]]:
    """Total seconds and per-pack durations (from the progress callback) of a serial batch."""
    from desktop.reports.batch import write_packs
    from desktop.reports.options import PackOptions

    stamps: list[float] = []
    start = time.perf_counter()
    write_packs(db_path, codes, PackOptions(), out, overview=overview, workers=1,
                progress=lambda d, t, m: stamps.append(time.perf_counter()))  # fmt: skip
    total = time.perf_counter() - start
    per = [b - a for a, b in zip(stamps, stamps[1:], strict=False)]
    return total, per


def bench_one_ward(db_path: Path, tmp: Path) -> None:
    from desktop import paths
    from desktop.reports import charts
    from desktop.reports.batch import open_readonly
    from desktop.reports.build import build_pack
    from desktop.reports.model import BarChart, TrendChart
    from desktop.reports.options import PackOptions
    from desktop.reports.pdf import ensure_gui_app, render_pdf
    from desktop.settings import load_settings
    from desktop.store.queries import resolve_wards

    ensure_gui_app()
    db = open_readonly(db_path)
    settings = load_settings(paths.settings_path())
    code = resolve_wards(db, ["West End"])[0]
    build_pack(db, code, PackOptions(), settings)  # warm caches and imports once
    floors, packs, builds = [], [], []
    pdf = tmp / "west_end.pdf"
    for _ in range(3):
        t0 = time.perf_counter()
        pack = build_pack(db, code, PackOptions(), settings)
        t1 = time.perf_counter()
        render_pdf(pack, pdf)
        t2 = time.perf_counter()
        builds.append(t1 - t0)
        packs.append(t2 - t0)
        blocks = [b for s in pack.sections for b in s.blocks if isinstance(b, TrendChart | BarChart)]
        t3 = time.perf_counter()
        for block in blocks:
            charts.chart_svg(block, 180.0)
        floors.append(time.perf_counter() - t3)
    from pypdf import PdfReader

    pages = len(PdfReader(str(pdf)).pages)
    floor, total = min(floors), min(packs)  # best of 3: the machine may be shared
    line("one_ward.charts", len(blocks))
    line("one_ward.floor_charts_alone_s", f"{floor:.3f}")
    line("one_ward.build_s", f"{statistics.median(builds):.3f}")
    line("one_ward.pack_total_s", f"{total:.3f}")
    line("one_ward.ratio_vs_floor", f"{total / floor:.2f} (goal <= 1.5)")
    line("pack_pdf.pages", pages)
    line("pack_pdf.bytes", f"{pdf.stat().st_size} (goal < 1,000,000 for 10 pages)")
    case("one ward (West End): build+PDF vs its charts alone", total, floor, 1.5,
         f"{len(blocks)} charts, {pages} pages, build {statistics.median(builds):.2f} s")  # fmt: skip
    size_mb = pdf.stat().st_size / 1e6
    case(f"pack PDF size MB ({pages} pages) vs 1 MB", size_mb, 1.0, 1.0, "MB, not seconds")
    db.close()


def bench_demo_all(db_path: Path, tmp: Path) -> None:
    from desktop.reports.batch import write_packs
    from desktop.reports.options import PackOptions

    total_serial, per = _timed_serial(db_path, None, tmp / "serial", overview=True)
    start = time.perf_counter()
    written = write_packs(db_path, None, PackOptions(), tmp / "pool", overview=True, workers=0)
    total_pool = time.perf_counter() - start
    line("demo_all.packs", len(written))
    line("demo_all.serial_total_s", f"{total_serial:.2f}")
    line("demo_all.per_ward_median_s", f"{statistics.median(per):.3f}")
    line("demo_all.pool_total_s", f"{total_pool:.2f} ({os.cpu_count()} cores)")
    line("demo_all.pool_vs_serial", f"{total_pool / total_serial:.2f}")
    case("demo: all wards + overview, pool vs serial", total_pool, total_serial, None,
         f"{len(written)} packs; per-ward median {statistics.median(per):.2f} s (serial)")  # fmt: skip


def bench_london(tmp: Path, limit: int | None) -> None:
    editions = sorted(MET_EDITION.glob("*202307-202506*.csv")) if MET_EDITION.is_dir() else []
    if not editions:
        line("london", "skipped (../shared/data/mps-ward-crime absent)")
        return
    from desktop.importers import import_file
    from desktop.reports.batch import write_packs
    from desktop.reports.options import PackOptions
    from desktop.store import open_store
    from desktop.store.queries import wards_with_data

    folder = _fresh_data_dir(tmp, "london")
    db_path = folder / "wardbrief.db"
    db = open_store(db_path)
    t0 = time.perf_counter()
    result = import_file(db, editions[0])
    line("london.import_s", f"{time.perf_counter() - t0:.2f} ({result.status}, {result.rows_stored} rows)")
    codes = [w["code"] for w in wards_with_data(db)]
    db.close()
    line("london.wards_with_data", len(codes))
    if limit:
        codes = codes[:limit]
    sample = codes[:: max(1, len(codes) // 10)][:10]
    _total, per = _timed_serial(db_path, sample, tmp / "london_serial", overview=False)
    line("london.per_ward_median_s", f"{statistics.median(per):.3f} (serial sample of {len(sample)})")
    start = time.perf_counter()
    written = write_packs(db_path, None if not limit else codes, PackOptions(), tmp / "london_pool", workers=0)
    total = time.perf_counter() - start
    pdfs = [p for p in written if p.suffix == ".pdf"]
    line("london.packs", f"{len(pdfs)} PDFs ({len(codes)} wards + overviews)")
    line("london.pool_total_s", f"{total:.1f} ({os.cpu_count()} cores)")
    line("london.per_pack_throughput_s", f"{total / max(1, len(pdfs)):.3f}")
    case(f"London: {len(codes)} wards + overviews, pool", total, statistics.median(per) * len(pdfs), None,
         f"floor = serial per-ward median {statistics.median(per):.2f} s x {len(pdfs)} packs")  # fmt: skip


def run(full: bool = False) -> list[dict[str, Any]]:
    """The `python -m bench` entry: the cases above; London at full size only with --full (else 60 wards)."""
    CASES.clear()
    _run_all(london=True, london_limit=None if full else 60)
    return list(CASES)


def _run_all(london: bool, london_limit: int | None) -> None:
    with tempfile.TemporaryDirectory(prefix="wardbrief-bench-pack-") as name:
        tmp = Path(name)
        folder = _fresh_data_dir(tmp, "demo")
        from desktop.importers.demo import load_demo
        from desktop.store import open_store

        db = open_store(folder / "wardbrief.db")
        load_demo(db)
        db.close()
        bench_one_ward(folder / "wardbrief.db", tmp)
        bench_demo_all(folder / "wardbrief.db", tmp)
        if london:
            bench_london(tmp, london_limit)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--skip-london", action="store_true")
    parser.add_argument("--london-wards", type=int, default=0, help="limit the London run to N wards (0 = all)")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    _run_all(london=not args.skip_london, london_limit=args.london_wards or None)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
