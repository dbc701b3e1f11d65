"""The briefing pack as one accessible HTML file (Qt-free): the twin of the PDF, from the same pack model.

One self-contained file: no scripts, no network, no external fonts or images; `lang="en-GB"`; a skip link;
landmarks (header, contents nav, main, footer); headings in order (h1 the pack, h2 its sections, h3 within them);
tables with a caption and header cells (`scope="col"`, `scope="row"`); charts as inline SVG with `role="img"`, a
`<title>` and a `<desc>` written from the chart's own numbers (reports/chart_text.py), and the figures themselves
in a table under a disclosure triangle. A public pack shows exactly what its model holds: the disclosure plan was
applied when the model was built, and the descriptions and chart tables are made from what the chart draws.
All text from the model is escaped; nothing from data is ever read as markup.
"""

from __future__ import annotations

import html
import itertools
import os
import re
from pathlib import Path

from desktop.atomic import write_bytes
from desktop.reports import charts, charts_funnel, maps
from desktop.reports.chart_text import data_table, describe
from desktop.reports.html_style import stylesheet
from desktop.reports.model import (
    BarChart,
    Block,
    Bullets,
    Column,
    ContactList,
    FunnelChart,
    MapChart,
    Pack,
    Paragraph,
    PriorityBlock,
    Section,
    Table,
    Tile,
    Tiles,
    TrendChart,
)
from desktop.reports.pdf_text import (
    NUMERIC_FORMATS,
    clean,
    cover_details,
    data_status,
    format_cell,
    long_date,
)

# charts are drawn at these widths and scaled to the column: a trend narrow enough for half-year labels (so it also
# reads on a phone); bars wider, so their value axis has room for its numbers
CHART_WIDTH_MM = 115.0
BAR_WIDTH_MM = 150.0
ARROW_WORDS = {"▲": "up", "▼": "down", "►": "no change"}
HIGHLIGHT_MARK = "▶"


def esc(text: object) -> str:
    return html.escape(clean(text), quote=True)


class _Ids:
    """Unique ids within one document: 'sec-3', 'tbl-12', 'chart-2'."""

    def __init__(self) -> None:
        self._count = itertools.count(1)

    def new(self, prefix: str) -> str:
        return f"{prefix}-{next(self._count)}"


def render_html(pack: Pack) -> str:
    """The whole pack as one HTML document (a str); large print when `pack.large_print`."""
    large_print = pack.large_print
    ids = _Ids()
    section_ids = [
        f"sec-{i}-{re.sub(r'[^a-z0-9]+', '-', s.key.lower()).strip('-')}" for i, s in enumerate(pack.sections)
    ]
    title = f"{clean(pack.title)}: {clean(pack.period_label)}"
    if pack.edition == "summary":
        title += " (summary)"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en-GB">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="WardBrief">',
        f"<title>{html.escape(title)}</title>",
        f"<style>{stylesheet(large_print)}</style>",
        "</head>",
        "<body>",
        '<a class="skip-link" href="#main">Skip to the briefing</a>',
        '<div class="page">',
        _masthead(pack),
        _contents(pack, section_ids),
        '<main id="main" tabindex="-1">',
    ]
    for section, sid in zip(pack.sections, section_ids, strict=True):
        parts.append(_section(section, sid, ids))
    parts += ["</main>", _colophon(pack), "</div>", "</body>", "</html>", ""]
    return "\n".join(parts)


def write_html(pack: Pack, path: str | os.PathLike[str]) -> Path:
    """Write the pack as HTML at `path`, whole or not at all (desktop.atomic). The window's "Save HTML…" and
    `wardbrief pack --html` both call this."""
    data = render_html(pack).encode("utf-8")
    return write_bytes(Path(path), data, "The HTML pack", _html_problem)


def _html_problem(data: bytes) -> str | None:
    if not data.startswith(b"<!DOCTYPE html>") or not data.rstrip().endswith(b"</html>"):
        return "the HTML was not produced whole"
    return None


# --- the frame ----------------------------------------------------------------------------------------------


def _masthead(pack: Pack) -> str:
    kicker = "Borough overview" if pack.kind == "overview" else "Neighbourhood ward panel briefing"
    if pack.edition == "summary":
        kicker += ": two-page summary"
    marking = f'<p class="marking">{esc(pack.marking)}</p>' if pack.marking else ""
    details = cover_details(pack)
    rows = "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in details)
    borough = f'<p class="period">{esc(pack.borough_name)}</p>' if pack.kind == "ward" and pack.borough_name else ""
    return (
        f'<header class="masthead">{marking}<p class="kicker">{esc(kicker)}</p><h1>{esc(pack.title)}</h1>'
        f'{borough}<p class="period">{esc(pack.period_label)}</p><dl class="details">{rows}</dl></header>'
    )


def _contents(pack: Pack, section_ids: list[str]) -> str:
    if not pack.sections:
        return ""
    items = "".join(
        f'<li><a href="#{sid}">{esc(s.title)}</a></li>' for s, sid in zip(pack.sections, section_ids, strict=True)
    )
    return f'<nav class="contents" aria-labelledby="contents-h"><h2 id="contents-h">In this pack</h2><ol>{items}</ol></nav>'


def _colophon(pack: Pack) -> str:
    lines = [clean(pack.organisation), data_status(pack.reference_month, pack.data_as_at)]
    if pack.marking:
        lines.append(f"Marking: {clean(pack.marking)}")
    lines.append(
        "Figures are recorded crime and survey results as published; changes are called significant only when an "
        "exact statistical test says so."
    )
    body = "".join(f"<p>{esc(line)}</p>" for line in lines if line)
    return f'<footer class="colophon">{body}</footer>'


# --- sections and blocks ------------------------------------------------------------------------------------


def _section(section: Section, sid: str, ids: _Ids) -> str:
    cls = ' class="new-page"' if section.new_page else ""
    out = [f'<section{cls} aria-labelledby="{sid}"><h2 id="{sid}">{esc(section.title)}</h2>']
    out += [_block(block, ids) for block in section.blocks]
    out.append("</section>")
    return "\n".join(out)


def _block(block: Block, ids: _Ids) -> str:
    if isinstance(block, Paragraph):
        if block.style == "lead":
            return f"<h3>{esc(block.text)}</h3>"
        cls = {"small": ' class="small"', "caveat": ' class="caveat"'}.get(block.style, "")
        return f"<p{cls}>{_lines(block.text)}</p>"
    if isinstance(block, Bullets):
        return "<ul>" + "".join(f"<li>{_arrows(item)}</li>" for item in block.items) + "</ul>"
    if isinstance(block, Tiles):
        return '<ul class="tiles">' + "".join(_tile(t) for t in block.tiles) + "</ul>"
    if isinstance(block, TrendChart | BarChart | FunnelChart | MapChart):
        return _chart(block, ids)
    if isinstance(block, Table):
        return _table(block, ids)
    if isinstance(block, ContactList):
        return "".join(f"<h3>{esc(h)}</h3><p>{_linkify(text)}</p>" for h, text in block.contacts)
    if isinstance(block, PriorityBlock):
        return _priority(block, ids)
    return f"<p>{esc(block)}</p>"  # an unknown block still shows, as text


def _lines(text: str) -> str:
    return "<br>".join(esc(line) for line in clean(text).split("\n"))


def _arrows(text: str) -> str:
    """Escaped text whose ▲ ▼ ► arrows are read out as words (the glyph is hidden from screen readers)."""
    out = esc(text)
    for arrow, word in ARROW_WORDS.items():
        out = out.replace(arrow, f'<span aria-hidden="true">{arrow}</span><span class="vh">{word}</span>')
    return out


_URL = re.compile(r"\b((?:https?://|www\.)[^\s<>\"]+[^\s<>\".,;:)])")


def _linkify(text: str) -> str:
    """Escaped text with web addresses as links (they are printed in full, so paper readers see them too)."""
    out = []
    pos = 0
    raw = clean(text)
    for m in _URL.finditer(raw):
        out.append(esc(raw[pos : m.start()]))
        url = m.group(1)
        href = url if url.startswith("http") else f"https://{url}"
        out.append(f'<a href="{html.escape(href, quote=True)}">{esc(url)}</a>')
        pos = m.end()
    out.append(esc(raw[pos:]))
    return "".join(out)


def _tile(tile: Tile) -> str:
    cls = ' class="significant"' if tile.significant else ""
    change = clean(tile.change)
    arrow = {"up": "▲", "down": "▼"}.get(tile.direction, "")
    if arrow and change and not change.startswith(("▲", "▼")):
        change = f"{arrow} {change}"
    # the label heads the tile; the lines under it are divs (a big bold <p> would read as a fake heading)
    parts = [f'<h3 class="tile-label">{esc(tile.label)}</h3>', f'<div class="tile-value">{esc(tile.value)}</div>']
    if change:
        parts.append(f'<div class="tile-change">{_arrows(change)}</div>')
    if tile.significance:
        strong = " strong" if tile.significant else ""
        parts.append(f'<div class="tile-sig{strong}">{esc(tile.significance)}</div>')
    if tile.context:
        parts.append(f'<div class="tile-context">{esc(tile.context)}</div>')
    return f"<li{cls}>{''.join(parts)}</li>"


def _cell(value: object, col: Column) -> str:
    return esc(format_cell(value, col.fmt))  # type: ignore[arg-type]


def _table(table: Table, ids: _Ids, caption_note: bool = True) -> str:
    tid = ids.new("tbl")
    head = "".join(
        f'<th scope="col"{_num(c)}>{esc(c.name) or "<span class=vh>Item</span>"}</th>' for c in table.columns
    )
    rows = []
    last = len(table.rows) - 1
    for r, row in enumerate(table.rows):
        classes = []
        if r in table.highlight_rows:
            classes.append("hl")
        if table.total_row and r == last:
            classes.append("total")
        cls = f' class="{" ".join(classes)}"' if classes else ""
        cells = []
        for c, col in enumerate(table.columns):
            text = _cell(row[c] if c < len(row) else None, col)
            if c == 0:
                if r in table.highlight_rows:
                    text = (
                        f'<span aria-hidden="true">{HIGHLIGHT_MARK} </span><span class="vh">Highlighted: </span>{text}'
                    )
                cells.append(f'<th scope="row">{text}</th>')
            else:
                cells.append(f"<td{_num(col)}>{text}</td>")
        rows.append(f"<tr{cls}>{''.join(cells)}</tr>")
    notes = []
    if caption_note:
        if table.units:
            notes.append(f"Units: {table.units}.")
        if table.source:
            notes.append(f"Source: {table.source}.")
        if table.highlight_rows:
            notes.append(f"{HIGHLIGHT_MARK} and bold: highlighted row.")
        notes += table.notes
    note_html = "".join(f"<p>{esc(n)}</p>" for n in notes)
    return (
        # the title shows above the scrolling box (a caption would scroll out of sight on a narrow screen); the
        # caption says it to screen readers, so the visible copy is hidden from them
        f'<p class="table-title" id="{tid}-t" aria-hidden="true">{esc(table.title)}</p>'
        f'<div class="table-wrap" role="region" aria-labelledby="{tid}" tabindex="0">'
        f'<table><caption id="{tid}" class="vh">{esc(table.title)}</caption><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
        + (f'<div class="table-notes notes">{note_html}</div>' if note_html else "")
    )


def _num(col: Column) -> str:
    return ' class="num"' if col.fmt in NUMERIC_FORMATS else ""


def _priority(block: PriorityBlock, ids: _Ids) -> str:
    meta = f"Theme: {block.theme} · Status: {block.status} · Set: {long_date(block.set_on)}"
    if block.review_date:
        meta += f" · Review: {long_date(block.review_date)}"
    out = [f'<div class="priority"><h3>{esc(block.title)}</h3><p>{esc(meta)}</p>']
    if block.measure_before:
        out.append(f"<p><strong>Before:</strong> {esc(block.measure_before)}</p>")
    if block.measure_after:
        out.append(f"<p><strong>Now:</strong> {esc(block.measure_after)}</p>")
    if block.actions:
        table = Table(
            key="actions",
            title=f"Actions for: {block.title}",
            columns=[Column("Action"), Column("Owner"), Column("Due"), Column("Done")],
            rows=[
                [text, owner, long_date(due) if due else "", long_date(done) if done else "not yet"]
                for text, owner, due, done in block.actions
            ],
        )
        out.append(_table(table, ids, caption_note=False))
    if block.notes:
        out.append(f'<p class="caveat">{esc(block.notes)}</p>')
    out.append("</div>")
    return "".join(out)


# --- charts -------------------------------------------------------------------------------------------------

_XML_HEAD = re.compile(r"^.*?(?=<svg\b)", re.S)
_METADATA = re.compile(r"<metadata>.*?</metadata>\s*", re.S)
_STYLE = re.compile(r"<style[^>]*>.*?</style>\s*", re.S)
_SIZE = re.compile(r'\s(?:width|height)="[^"]*pt"')
_ID_REF = re.compile(r'(\bid="|url\(#|xlink:href="#|href="#)([^")]+)')


def inline_svg(svg: bytes, prefix: str, title: str, desc: str) -> str:
    """matplotlib's SVG made fit to sit inside HTML: no XML prolog, metadata or global style; ids made unique with
    `prefix`; scalable (viewBox only); announced as one image with `title` and `desc`."""
    text = svg.decode("utf-8")
    text = _XML_HEAD.sub("", text, count=1)
    text = _METADATA.sub("", text)
    text = _STYLE.sub("", text)
    text = _ID_REF.sub(lambda m: f"{m.group(1)}{prefix}-{m.group(2)}", text)
    head_end = text.index(">") + 1
    opening = _SIZE.sub("", text[:head_end])
    opening = opening.replace(
        "<svg ",
        f'<svg class="chart" role="img" aria-labelledby="{prefix}-title" aria-describedby="{prefix}-desc" '
        'focusable="false" ',
        1,
    )
    inner = f'<title id="{prefix}-title">{esc(title)}</title><desc id="{prefix}-desc">{esc(desc)}</desc>'
    return opening + inner + text[head_end:]


def _chart(chart: TrendChart | BarChart | FunnelChart | MapChart, ids: _Ids) -> str:
    cid = ids.new("chart")
    # the same drawing in large print: the stylesheet shows it wider, so its text grows with the body
    if isinstance(chart, MapChart):
        svg, _height = maps.map_svg(chart, BAR_WIDTH_MM)
        note = maps.legend_note(chart)
    elif isinstance(chart, FunnelChart):
        svg = charts_funnel.funnel_svg(chart, BAR_WIDTH_MM)
        note = charts_funnel.funnel_note(chart)
    else:
        svg, _height = charts.chart_svg(chart, CHART_WIDTH_MM if isinstance(chart, TrendChart) else BAR_WIDTH_MM)
        note = charts.legend_note(chart)
    desc = describe(chart)
    columns, rows = data_table(chart)
    table = Table(key=cid, title=f"Figures in the chart: {chart.title}", columns=columns, rows=rows)
    return (
        f'<figure aria-labelledby="{cid}-cap"><figcaption id="{cid}-cap">{esc(chart.title)}</figcaption>'
        f'<div class="chart-wrap" role="region" aria-labelledby="{cid}-cap" tabindex="0">'
        f"{inline_svg(svg, cid, chart.title, desc)}</div>"
        + (f'<p class="notes">{esc(note)}</p>' if note else "")
        + f"<details><summary>The figures in this chart</summary>{_table(table, ids, caption_note=False)}</details>"
        "</figure>"
    )


__all__ = ["render_html", "write_html", "inline_svg", "esc"]
