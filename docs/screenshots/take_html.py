"""Take the user guide's screenshots of the HTML pack: `python docs/screenshots/take_html.py OUTDIR`.

Loads the demo data into a temporary store, writes West End's public pack as HTML (ordinary and large print) and
the two-page summary as PDF, then has headless Chromium (Debian's `chromium`) photograph the HTML at 1366 and
375 CSS pixels wide, and at 200% zoom (683 CSS pixels at device scale 2); poppler's `pdftoppm` renders the summary
in greyscale, as a black-and-white printer would."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

SHOTS = [  # (file, page, width, height, extra chromium arguments)
    ("html-1366.png", "pack.html", 1366, 2600, []),
    ("html-375.png", "pack.html", 375, 2600, []),
    ("html-200pc-zoom.png", "pack.html", 683, 1300, ["--force-device-scale-factor=2"]),
    ("html-large-print-1366.png", "pack-large-print.html", 1366, 2600, []),
]


def main() -> int:
    out = Path(sys.argv[1]).resolve()
    out.mkdir(parents=True, exist_ok=True)
    from desktop.importers.demo import load_demo
    from desktop.reports.build import build_pack
    from desktop.reports.editions import apply_edition
    from desktop.reports.html import write_html
    from desktop.reports.options import PackOptions
    from desktop.reports.pdf import render_pdf
    from desktop.settings import Settings
    from desktop.store import open_store

    work = Path(tempfile.mkdtemp(prefix="wardbrief-html-shots-"))
    db = open_store(work / "wardbrief.db")
    load_demo(db)
    pack = build_pack(db, "E05013808", PackOptions(meeting_date="2025-07-15"), Settings())
    db.close()
    write_html(pack, work / "pack.html")
    write_html(apply_edition(pack, large_print=True), work / "pack-large-print.html")
    render_pdf(apply_edition(pack, summary=True), work / "summary.pdf")
    browser = shutil.which("chromium") or shutil.which("chromium-browser") or "chromium"
    for name, page, width, height, extra in SHOTS:
        subprocess.run(
            [browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", *extra]
            + [f"--window-size={width},{height}", f"--screenshot={out / name}", (work / page).as_uri()],
            check=True,
            capture_output=True,
        )
    subprocess.run(
        ["pdftoppm", "-r", "60", "-gray", "-png", str(work / "summary.pdf"), str(out / "summary-grey")], check=True
    )
    print(f"Screenshots in {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
