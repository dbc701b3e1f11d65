"""The summary and large-print editions on paper, checked from the PDFs themselves with pypdf (pure Python): the
summary is two A4 pages for every Westminster ward of the demo, and a large-print pack has no text under 16 pt
(each piece of text's size is its font size times the text and page matrices' vertical scale)."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from pypdf import PdfReader

from desktop.reports.editions import LARGE_PRINT_PT, apply_edition, shorten, summary_pack
from desktop.reports.model import Bullets, ContactList, Paragraph, PriorityBlock, TrendChart


def _mul(a: list[float], b: list[float]) -> list[float]:
    return [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]


def text_sizes(path: Path) -> dict[float, str]:
    """Every printed text size in the PDF (points, 0.1 pt) with an example of the text drawn at it."""
    sizes: dict[float, str] = {}
    for page in PdfReader(path).pages:

        def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
            if text.strip():
                m = _mul(tm, cm)
                sizes.setdefault(round(size * math.hypot(m[2], m[3]), 1), text.strip()[:40])

        page.extract_text(visitor_text=visit)
    return sizes


def test_summary_is_two_a4_pages_for_every_westminster_ward(demo_db: Any, tmp_path: Path, qapp: Any) -> None:
    from desktop.reports.build import build_pack
    from desktop.reports.options import PackOptions
    from desktop.reports.pdf import render_pdf
    from desktop.settings import Settings
    from desktop.store.queries import wards

    rows = [w for w in wards(demo_db, None) if w["borough_name"] == "Westminster"]
    assert len(rows) == 18
    for ward in rows:
        pack = build_pack(demo_db, ward["code"], PackOptions(), Settings())
        path = render_pdf(apply_edition(pack, summary=True), tmp_path / f"{ward['code']}.pdf")
        reader = PdfReader(path)
        assert len(reader.pages) == 2, ward["name"]
        box = reader.pages[0].mediabox
        assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == (210, 297)
        text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
        for heading in ("At a glance", "Priorities and actions", "How to get help"):
            assert heading in text, (ward["name"], heading)


def test_large_print_pdf_has_no_text_under_16pt(demo_db: Any, tmp_path: Path, qapp: Any) -> None:
    from desktop.reports.build import build_pack
    from desktop.reports.options import PackOptions
    from desktop.reports.pdf import render_pdf
    from desktop.settings import Settings

    pack = build_pack(demo_db, "E05013808", PackOptions(), Settings())
    ordinary = text_sizes(render_pdf(pack, tmp_path / "ordinary.pdf"))
    assert min(ordinary) < LARGE_PRINT_PT  # the check can see small text when there is some
    for edition in (apply_edition(pack, large_print=True), apply_edition(pack, summary=True, large_print=True)):
        sizes = text_sizes(render_pdf(edition, tmp_path / f"large-{edition.edition}.pdf"))
        small = {s: t for s, t in sizes.items() if s < LARGE_PRINT_PT}
        assert not small, f"{edition.edition}: text under 16 pt: {small}"


def test_shorten_drops_detail_in_order_and_stops() -> None:
    from tests.data.sample_pack import sample_pack

    pack = summary_pack(sample_pack())
    assert pack.edition == "summary" and not any(s.key.startswith("theme:") for s in pack.sections)
    steps = []
    while (shorter := shorten(pack)) is not None:
        steps.append(shorter)
        pack = shorter
    assert steps, "the sample summary has detail to drop"
    assert not any(isinstance(b, TrendChart) for s in steps[0].sections for b in s.blocks)
    prios = [b for s in pack.sections for b in s.blocks if isinstance(b, PriorityBlock)]
    assert all(len(p.actions) <= 2 for p in prios)
    blocks = {s.key: s.blocks for s in pack.sections}
    assert [len(b.items) for b in blocks["glance"] if isinstance(b, Bullets)] == [3]
    assert [len(b.contacts) for b in blocks["contacts"] if isinstance(b, ContactList)] == [5]
    assert isinstance(blocks["contacts"][-1], Paragraph) and "full pack" in blocks["contacts"][-1].text


def test_shorten_trims_the_actions_of_each_priority_and_says_how_many_more() -> None:
    from dataclasses import replace

    from tests.data.sample_pack import sample_pack

    pack = summary_pack(sample_pack())
    prios = next(s for s in pack.sections if s.key == "priorities")
    first = next(b for b in prios.blocks if isinstance(b, PriorityBlock))
    action = ("Leaflet drop", "Council", "Jun 2025", "")
    busy = replace(first, actions=[action] * 5, notes="")
    pack = replace(pack, sections=[replace(s, blocks=[busy]) if s is prios else s for s in pack.sections])
    while (shorter := shorten(pack)) is not None:
        pack = shorter
    (trimmed,) = [b for s in pack.sections for b in s.blocks if isinstance(b, PriorityBlock)]
    assert len(trimmed.actions) == 2 and trimmed.notes == "3 more open actions in the full pack."


def test_the_window_previews_the_edition_its_options_ask_for(data_dir: Path, qapp: Any) -> None:
    """operations.generate_pack (the Briefing page's Generate) applies PackOptions.summary / large_print, so the preview,
    Print and Save PDF show that edition, and operations.save_html writes its HTML twin."""
    from desktop import operations, paths
    from desktop.importers.demo import load_demo
    from desktop.reports.options import PackOptions
    from desktop.store import open_store

    db = open_store(paths.store_path())
    load_demo(db)
    db.close()
    made = operations.generate_pack("E05013808", PackOptions(summary=True, large_print=True))
    assert made.pack.edition == "summary" and made.pack.large_print
    assert min(text_sizes(made.pdf)) >= LARGE_PRINT_PT
    html = operations.save_html(made.pack, data_dir / "summary.html").read_text(encoding="utf-8")
    assert "html { font-size: 16pt; }" in html and "two-page summary" in html
