"""The HTML twin (desktop/reports/html.py), read back with Python's own HTML parser: one h1 and headings that never
skip a level, every table with a caption and header cells, every chart an SVG image with a title and a description
made from its numbers, nothing external or scripted, text escaped, large print at 16 pt; and a public pack's HTML
shows exactly the cells its model shows, so a count the disclosure plan hides stays hidden."""

from __future__ import annotations

import re
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from desktop.reports.chart_text import describe
from desktop.reports.editions import apply_edition
from desktop.reports.html import render_html, write_html
from desktop.reports.model import Pack, Paragraph, Section, Table, TrendChart
from desktop.reports.pdf_text import format_cell
from tests.data.sample_pack import KNOWN, sample_overview, sample_pack


class Page(HTMLParser):
    """The parts of a page the tests look at."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.headings: list[tuple[int, str]] = []
        self.tables: list[dict[str, Any]] = []
        self.svgs: list[dict[str, Any]] = []
        self.ids: set[str] = set()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self._stack: list[str] = []
        self._text: list[str] | None = None
        self._table: dict[str, Any] | None = None
        self._row: list[tuple[str, dict[str, str], str]] | None = None
        self._cell: tuple[str, dict[str, str], list[str]] | None = None
        self._svg: dict[str, Any] | None = None
        self._svg_part: str | None = None
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        self.tags.append((tag, a))
        if "id" in a:
            assert a["id"] not in self.ids, f"duplicate id {a['id']}"
            self.ids.add(a["id"])
        if re.fullmatch(r"h[1-6]", tag):
            self._text = []
            self._stack.append(tag)
        elif tag == "table":
            self._table = {"caption": "", "head": [], "rows": []}
        elif tag == "caption":
            self._text = []
        elif tag == "tr":
            self._row = []
        elif tag in ("th", "td") and self._row is not None:
            self._cell = (tag, a, [])
        elif tag == "svg":
            self._svg = {"attrs": a, "title": "", "desc": "", "title_id": "", "desc_id": ""}
        elif tag in ("title", "desc") and self._svg is not None:
            self._svg_part = tag
            self._svg[f"{tag}_id"] = a.get("id", "")

    def handle_endtag(self, tag: str) -> None:
        if re.fullmatch(r"h[1-6]", tag) and self._text is not None:
            self.headings.append((int(tag[1]), " ".join("".join(self._text).split())))
            self._text = None
        elif tag == "caption" and self._table is not None and self._text is not None:
            self._table["caption"] = " ".join("".join(self._text).split())
            self._text = None
        elif tag in ("th", "td") and self._cell is not None and self._row is not None:
            kind, attrs, text = self._cell
            self._row.append((kind, attrs, " ".join("".join(text).split())))
            self._cell = None
        elif tag == "tr" and self._table is not None and self._row is not None:
            target = self._table["head"] if not self._table["head"] else self._table["rows"]
            target.append(self._row)
            self._row = None
        elif tag == "table" and self._table is not None:
            self.tables.append(self._table)
            self._table = None
        elif tag in ("title", "desc") and self._svg is not None:
            self._svg_part = None
        elif tag == "svg" and self._svg is not None:
            self.svgs.append(self._svg)
            self._svg = None

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text.append(data)
        if self._cell is not None:
            self._cell[2].append(data)
        if self._svg is not None and self._svg_part is not None:
            self._svg[self._svg_part] += data


@pytest.fixture(scope="module")
def page() -> Page:
    return Page(render_html(sample_pack()))


def test_document_frame(page: Page) -> None:
    html_tag = next(a for t, a in page.tags if t == "html")
    assert html_tag["lang"] == "en-GB"
    first_link = next(a for t, a in page.tags if t == "a")
    assert first_link["href"] == "#main" and "main" in page.ids  # the skip link comes first
    tags = {t for t, _ in page.tags}
    assert {"header", "nav", "main", "footer"} <= tags
    assert not tags & {"script", "link", "img", "iframe", "object", "embed"}  # nothing external, nothing scripted
    assert not any("src" in a for _, a in page.tags)


def test_headings_start_at_one_h1_and_never_skip_a_level(page: Page) -> None:
    levels = [level for level, _ in page.headings]
    assert levels[0] == 1 and levels.count(1) == 1
    for before, after in zip(levels, levels[1:], strict=False):
        assert after <= before + 1, page.headings
    texts = [t for _, t in page.headings]
    for title in sample_pack().headings():
        assert title in texts


def test_every_table_has_a_caption_and_header_cells(page: Page) -> None:
    assert len(page.tables) >= len(sample_pack().tables())
    for table in page.tables:
        assert table["caption"], table
        head = table["head"][0]
        assert all(kind == "th" and attrs.get("scope") == "col" for kind, attrs, _ in head), head
        for row in table["rows"]:
            assert row[0][0] == "th" and row[0][1].get("scope") == "row", row
            assert len(row) == len(head)


def test_model_tables_read_the_same_in_html(page: Page) -> None:
    captions = {t["caption"]: t for t in page.tables}
    for table in sample_pack().tables():
        shown = captions[table.title]
        for r, row in enumerate(table.rows):
            want = [format_cell(row[c] if c < len(row) else None, col.fmt) for c, col in enumerate(table.columns)]
            got = [text for _, _, text in shown["rows"][r]]
            got[0] = got[0].removeprefix("▶ ").removeprefix("Highlighted: ")
            assert got == want


def test_every_chart_is_an_svg_image_with_title_and_a_description_from_its_numbers(page: Page) -> None:
    charts = [b for s in sample_pack().sections for b in s.blocks if isinstance(b, TrendChart) or hasattr(b, "labels")]
    assert len(page.svgs) == len(charts) > 0
    for svg, chart in zip(page.svgs, charts, strict=True):
        attrs = svg["attrs"]
        assert attrs["role"] == "img"
        assert attrs["aria-labelledby"] == svg["title_id"] and attrs["aria-describedby"] == svg["desc_id"]
        assert svg["title"] == chart.title
        assert svg["desc"] == describe(chart)
        assert "width" not in attrs and "viewbox" in attrs  # scales with the page
    trend = next(c for c in charts if isinstance(c, TrendChart))
    last = max(i for i, v in enumerate(trend.values) if v is not None and not trend.provisional[i])
    assert f"{trend.values[last]:,.0f}" in describe(trend)  # the latest value is said


def test_text_from_data_is_escaped_never_markup() -> None:
    pack = sample_pack()
    pack.title = '<script>alert("x")</script> & ward'
    pack.sections.append(Section("x", "Notes <b>", [Paragraph("<img src=x onerror=alert(1)>")]))
    out = render_html(pack)
    assert "<script>" not in out and "<img" not in out
    assert "&lt;script&gt;" in out and "&lt;img src=x" in out


def test_large_print_sets_16pt_text_and_the_summary_says_what_it_is() -> None:
    large = render_html(apply_edition(sample_pack(), large_print=True))
    assert "html { font-size: 16pt; }" in large
    sizes = re.search(r":root \{([^}]*)\}", large)
    assert sizes is not None
    for name in ("--body", "--small", "--table"):
        assert f"{name}: 1rem" in sizes.group(1)  # nothing under the 16 pt root
    summary = Page(render_html(apply_edition(sample_pack(), summary=True)))
    assert [t for _, t in summary.headings][:2] == ["West End ward", "In this pack"]
    assert "At a glance" in [t for _, t in summary.headings]


def test_overview_renders_and_write_is_atomic(tmp_path: Path) -> None:
    out = write_html(sample_overview(), tmp_path / "overview.html")
    text = out.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and text.rstrip().endswith("</html>")
    assert not list(tmp_path.glob(".*.part"))
    assert KNOWN["ward"] in render_html(sample_pack())


# --- disclosure: a public pack's HTML shows what its model shows, and no more -----------------------------------


def _store_with_small_sensitive_counts(db: Any) -> list[tuple[str, str]]:
    from tests.reliability.test_disclosure import _fill

    wards = [("E05000001", "Alpha"), ("E05000002", "Beta"), ("E05000003", "Gamma")]
    # per ward: yearly levels of rape, other sexual offences, then five ordinary categories
    levels = [[3, 2, 400, 300, 200, 60, 40], [6, 30, 380, 260, 150, 50, 35], [2, 3, 900, 700, 500, 90, 70]]
    _fill(db, wards, levels, seed=7)
    return wards


def test_public_html_hides_what_the_plan_hides(db: Any) -> None:
    from desktop.reports.build import build_pack
    from desktop.reports.options import PackOptions
    from desktop.settings import Settings
    from tests.reliability.test_disclosure import THEMES

    wards = _store_with_small_sensitive_counts(db)
    hidden_seen = 0
    for code, _name in wards:
        public = build_pack(db, code, PackOptions(public=True, themes=THEMES), Settings())
        internal = build_pack(db, code, PackOptions(public=False, themes=THEMES), Settings())
        page = Page(render_html(public))
        by_caption = {t["caption"]: t for t in page.tables}
        inside = {t.key: t for t in internal.tables()}
        for table in public.tables():
            shown = by_caption[table.title]
            for r, row in enumerate(table.rows):
                cells = [text for _, _, text in shown["rows"][r]]
                cells[0] = cells[0].removeprefix("▶ ").removeprefix("Highlighted: ")
                for c, value in enumerate(row):
                    assert cells[c] == format_cell(value, table.columns[c].fmt)
                    if isinstance(value, str) and (value.startswith("<") or value == "[c]"):
                        hidden_seen += 1
                        twin = inside.get(table.key)
                        if twin is not None and r < len(twin.rows):
                            secret = format_cell(twin.rows[r][c], table.columns[c].fmt)
                            assert cells[c] != secret
        sensitive_charts = [s for s in page.svgs if "sexual" in s["title"].lower()]
        for svg in sensitive_charts:  # a chart of a sensitive theme in a public pack never says a small count
            numbers = {int(n.replace(",", "")) for n in re.findall(r"\b\d[\d,]*\b", svg["desc"])}
            assert not numbers & {1, 2, 3, 4}, svg["desc"]
    assert hidden_seen > 0  # the store really has counts the plan hides


def test_chart_description_handles_gaps_and_provisional_months() -> None:
    chart = TrendChart(
        "Theft in X, by month",
        ["2025-01", "2025-02", "2025-03", "2025-04"],
        [10.0, None, 12.0, 3.0],
        [None, None, None, None],
        [False, False, False, True],
        verdict="Theft did not change significantly.",
    )
    text = describe(chart)
    assert "Latest complete month, March 2025: 12" in text
    assert "Provisional, not yet complete: April 2025" in text
    assert "No figures for 1 month" in text and text.endswith("Theft did not change significantly.")
    empty = replace(chart, months=[], values=[], rolling=[], provisional=[])
    assert "no months" in describe(empty)
    assert isinstance(render_html(Pack("ward", "T", "", "X", "", "p", "2025-03", "", "", "", "")), str)


def test_tables_without_rows_still_have_headers() -> None:
    pack = sample_pack()
    pack.sections.append(Section("e", "Empty", [Table("empty", "Nothing here", sample_pack().tables()[0].columns, [])]))
    page = Page(render_html(pack))
    empty = next(t for t in page.tables if t["caption"] == "Nothing here")
    assert empty["head"] and not empty["rows"]


def test_the_windows_save_html_writes_the_generated_pack(tmp_path: Path) -> None:
    from desktop import operations

    out = operations.save_html(apply_edition(sample_pack(), summary=True), tmp_path / "summary.html")
    assert "two-page summary" in out.read_text(encoding="utf-8")


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str = "#FFFFFF") -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_chart_marks_contrast_at_least_3_to_1_with_the_page() -> None:
    """Lines and markers are drawn in colours of >= 3:1 against white; bar fills that are lighter (sky blue) have a
    black outline, so every bar's edge is black on white."""
    from desktop.reports import charts

    for name in ("BLACK", "BLUE", "VERMILION", "GREEN", "GREY"):
        assert contrast(getattr(charts, name)) >= 3.0, name
    assert contrast(charts.SKY_BLUE) < 3.0  # hence the outline:
    bars = next(b for s in sample_pack().sections for b in s.blocks if hasattr(b, "labels"))
    svg = charts.bar_svg(bars, 115.0).decode("utf-8")
    filled = re.findall(r'<path d="[^"]*"[^>]*style="fill: #56b4e9[^"]*"', svg)
    assert filled and all("stroke: #000000" in p for p in filled)


def test_text_colours_contrast_at_least_4_5_to_1() -> None:
    from desktop.reports.html_style import stylesheet

    css = stylesheet()
    for colour in set(re.findall(r"(?<![-\w])color: (#[0-9a-fA-F]{6})", css)):
        backgrounds = ["#FFFFFF", "#F6F6F6", "#DEDEDE", "#F3F3F3", "#E8E8E8"]
        if colour.lower() == "#0b0c0c":
            backgrounds.append("#FFDD00")
        for background in backgrounds:
            assert contrast(colour, background) >= 4.5, (colour, background)
