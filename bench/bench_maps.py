"""What maps cost a pack (issue 14). Prints `name: value` lines; the floor is the same pack without maps, in this run.

1. West End (demo store): build + PDF with the "Where" section (its maps and places) against the same pack without
   it (runs alternate, best of 5), and one map's SVG drawn alone. Goal: a map adds at most 0.3 s. On a shared
   machine a 3 s pack varies by more than a map costs, so the map drawn alone is the steadier figure.
2. The overview with its borough map against the overview alone (map section left out).
3. The West End PDF's size and whether its pages hold only vectors (no images). Goal < 1 MB.

Run: `python -m bench --only maps` or `python -m bench.bench_maps`.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("MPLBACKEND", "Agg")

CASES: list[dict[str, Any]] = []
WEST_END = "E05013808"


def line(name: str, value: object) -> None:
    print(f"{name}: {value}", flush=True)


def _pair(floor_fn: Any, case_fn: Any, n: int = 5) -> tuple[float, float]:
    """Best of n for each, run alternately so a busy moment on the shared machine hits both alike."""
    floors, cases = [], []
    for _ in range(n):
        for fn, out in ((floor_fn, floors), (case_fn, cases)):
            t0 = time.perf_counter()
            fn()
            out.append(time.perf_counter() - t0)
    return min(floors), min(cases)


def run(full: bool = False) -> list[dict[str, Any]]:
    from pypdf import PdfReader

    from desktop.analysis.themes import bundled_themes
    from desktop.importers.demo import load_demo
    from desktop.reports import overview as overview_module
    from desktop.reports.build import build_overview, build_pack
    from desktop.reports.model import MapChart
    from desktop.reports.options import PackOptions
    from desktop.reports.pdf import ensure_gui_app, render_pdf
    from desktop.settings import Settings
    from desktop.store import open_store

    CASES.clear()
    ensure_gui_app()
    settings = Settings()
    defaults = [t.key for t in bundled_themes() if t.default]
    without = [k for k in defaults if k != "where"]
    with tempfile.TemporaryDirectory(prefix="wardbrief-bench-maps-") as name:
        tmp = Path(name)
        db = open_store(tmp / "wardbrief.db")
        load_demo(db)
        pdf = tmp / "west_end.pdf"

        def ward(themes: list[str]) -> None:
            render_pdf(build_pack(db, WEST_END, PackOptions(themes=themes), settings), pdf)

        ward(defaults)  # warm imports and caches
        floor, mapped = _pair(lambda: ward(without), lambda: ward(defaults))
        pack = build_pack(db, WEST_END, PackOptions(themes=defaults), settings)
        n_maps = sum(1 for s in pack.sections for b in s.blocks if isinstance(b, MapChart))
        render_pdf(pack, pdf)
        reader = PdfReader(str(pdf))
        images = sum(len(p.images) for p in reader.pages)
        from desktop.reports.maps import map_svg

        chart = next(b for sec in pack.sections for b in sec.blocks if isinstance(b, MapChart))
        svg_s = min(_pair(lambda: None, lambda: map_svg(chart, 170.0))[1] for _ in range(1))
        line("ward.maps", n_maps)
        line("ward.one_map_svg_s", f"{svg_s:.3f} (the map drawn alone, best of 5)")
        line("ward.without_maps_s", f"{floor:.3f}")
        line("ward.with_maps_s", f"{mapped:.3f}")
        line("ward.added_per_map_s", f"{(mapped - floor) / max(n_maps, 1):.3f} (goal <= 0.3)")
        line("ward.pdf_bytes", f"{pdf.stat().st_size} ({len(reader.pages)} pages; goal < 1,000,000)")
        line("ward.pdf_images", f"{images} (0 = every map and chart is vector)")
        CASES.append({"case": "West End pack with maps vs without", "seconds": mapped, "floor": floor,
                      "ratio": mapped / floor, "goal": None,
                      "note": f"{n_maps} maps; +{(mapped - floor) / max(n_maps, 1):.2f} s a map (goal <= 0.3)"})  # fmt: skip

        def overview(with_map: bool) -> None:
            real = overview_module.overview_map_section
            if not with_map:
                overview_module.overview_map_section = lambda ctx, wc: None  # type: ignore[assignment]
            try:
                render_pdf(build_overview(db, "Westminster", PackOptions(), settings), tmp / "overview.pdf")
            finally:
                overview_module.overview_map_section = real

        floor, mapped = _pair(lambda: overview(False), lambda: overview(True))
        line("overview.without_map_s", f"{floor:.3f}")
        line("overview.with_map_s", f"{mapped:.3f}")
        line("overview.added_s", f"{mapped - floor:.3f} (goal <= 0.3)")
        CASES.append({"case": "overview with borough map vs without", "seconds": mapped, "floor": floor,
                      "ratio": mapped / floor, "goal": None, "note": f"+{mapped - floor:.2f} s (goal <= 0.3)"})  # fmt: skip
        db.close()
    return list(CASES)


if __name__ == "__main__":
    run()
