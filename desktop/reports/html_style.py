"""The HTML pack's one stylesheet (Qt-free): screen, narrow screens, large print and print.

Contrast: text is #0b0c0c or #383838 on white (>= 11:1), table headers black on #dedede (>= 14:1), links #1d4e89
(8:1); the focus ring is black on yellow, as GOV.UK's. Nothing relies on colour: arrows and words carry direction,
bold and a marker carry highlighting, heavy borders plus the word "significant" carry significance.
Large print sets every piece of text to at least 16 pt (RNIB clear print); the layout is one column that re-flows.
"""

from __future__ import annotations

# (body, small, table, h3, h2, h1, tile value) in CSS units
NORMAL = ("1.0625rem", "0.9375rem", "0.9375rem", "1.25rem", "1.625rem", "2.25rem", "2rem")
LARGE = ("1rem", "1rem", "1rem", "1.2rem", "1.45rem", "1.9rem", "1.9rem")  # of a 16 pt root

_CSS = """
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: #fff; color: #0b0c0c; font-family: "DejaVu Sans", Verdana, Arial, sans-serif;
  font-size: var(--body); line-height: 1.5; }
.skip-link { position: absolute; left: 0.5rem; top: -10rem; padding: 0.5rem 1rem; background: #ffdd00; color: #0b0c0c;
  font-weight: 700; z-index: 10; }
.skip-link:focus { top: 0.5rem; }
a { color: #1d4e89; text-decoration: underline; text-underline-offset: 0.15em; }
a:focus, [tabindex]:focus, summary:focus { outline: 3px solid #0b0c0c; outline-offset: 0; background: #ffdd00;
  color: #0b0c0c; box-shadow: 0 -2px #ffdd00, 0 4px #0b0c0c; }
main:focus { outline: none; background: none; box-shadow: none; }  /* the skip link's target, not a control */
.page { max-width: var(--measure); margin: 0 auto; padding: 0 1.25rem 2rem; }
.marking { max-width: none; margin: 0; padding: 0.4rem 0; text-align: center; font-weight: 700; letter-spacing: 0.08em;
  border-bottom: 2px solid #0b0c0c; }
.masthead { padding: 1.5rem 0 1rem; border-bottom: 4px solid #0b0c0c; }
.kicker { margin: 0; font-weight: 700; text-transform: uppercase; letter-spacing: 0.06em; color: #383838; }
h1 { font-size: var(--h1); line-height: 1.15; margin: 0.25rem 0 0.5rem; }
h2 { font-size: var(--h2); line-height: 1.2; margin: 2.5rem 0 1rem; padding-top: 0.75rem;
  border-top: 2px solid #0b0c0c; }
h3 { font-size: var(--h3); line-height: 1.3; margin: 1.75rem 0 0.5rem; }
.period { font-size: var(--h3); font-weight: 700; margin: 0.25rem 0; }
dl.details { display: grid; grid-template-columns: minmax(8rem, max-content) 1fr; gap: 0.25rem 1rem; margin: 1rem 0; }
dl.details dt { font-weight: 700; color: #383838; }
dl.details dd { margin: 0; }
nav.contents h2 { border-top: 0; margin-top: 1.5rem; }
nav.contents ol { padding-left: 1.75rem; }
nav.contents li { margin: 0.2rem 0; }
p, ul, ol { max-width: 42em; }
p, li, dd, dt, figcaption, h1, h2, h3 { overflow-wrap: anywhere; }  /* file names and web addresses re-flow too */
li { margin: 0.3rem 0; }
.caveat { font-style: italic; color: #383838; }
.small, .notes { font-size: var(--small); color: #383838; }
ul.tiles { list-style: none; padding: 0; margin: 1rem 0; display: grid; gap: 0.75rem;
  grid-template-columns: repeat(auto-fit, minmax(var(--tile), 1fr)); max-width: none; }
ul.tiles li { margin: 0; padding: 0.75rem 0.9rem; border: 1px solid #595959; }
ul.tiles li.significant { border: 4px solid #0b0c0c; background: #f3f3f3; }
.tile-label { margin: 0; font-size: var(--body); font-weight: 700; line-height: 1.4; }
.tile-value { margin: 0.1rem 0; font-size: var(--tile-value); font-weight: 700;
  line-height: 1.1; }
.tile-change, .tile-sig, .tile-context { margin: 0.1rem 0; }
.tile-sig.strong { font-weight: 700; }
.table-wrap, .chart-wrap { overflow-x: auto; margin: 0 0 0.25rem; }
table { border-collapse: collapse; width: 100%; font-size: var(--table); font-variant-numeric: tabular-nums; }
.table-title { font-weight: 700; margin: 1.25rem 0 0.4rem; }
th, td { padding: 0.35rem 0.5rem; text-align: left; vertical-align: top; border-bottom: 1px solid #b1b4b6; }
thead th { background: #dedede; border-bottom: 2px solid #0b0c0c; vertical-align: bottom; }
tbody th { font-weight: 400; }
tbody tr:nth-child(even) { background: #f6f6f6; }
td.num, th.num { text-align: right; }
td.num { white-space: nowrap; }
tr.hl, tr.hl th { background: #e8e8e8; font-weight: 700; }
tr.total, tr.total th { font-weight: 700; border-top: 2px solid #0b0c0c; }
.table-notes { margin: 0.25rem 0 1.25rem; }
.table-notes p { margin: 0.15rem 0; }
figure { margin: 1.5rem 0; }
figcaption { font-weight: 700; margin-bottom: 0.5rem; }
svg.chart { display: block; width: 100%; height: auto; max-width: var(--chart); overflow: visible; }
svg.chart * { stroke-linejoin: round; stroke-linecap: butt; }
.chart-desc { margin: 0.5rem 0; }
details { margin: 0.5rem 0 1rem; }
summary { cursor: pointer; color: #1d4e89; text-decoration: underline; font-weight: 700; }
.priority { border-left: 5px solid #0b0c0c; padding: 0.1rem 0 0.1rem 1rem; margin: 1.5rem 0; }
.priority h3 { margin-top: 0.25rem; }
.vh { position: absolute !important; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
footer.colophon { margin-top: 3rem; padding-top: 0.75rem; border-top: 2px solid #0b0c0c; font-size: var(--small); }
footer.colophon p { margin: 0.2rem 0; }
@media (max-width: 40em) {
  .page { padding: 0 0.75rem 1.5rem; }
  dl.details { grid-template-columns: 1fr; }
  dl.details dd { margin-bottom: 0.5rem; }
  th, td { padding: 0.3rem 0.35rem; }
  svg.chart { min-width: var(--chart-min); }  /* chart text stays legible: the chart scrolls sideways instead */
}
@media print {
  @page { size: A4; margin: 15mm 15mm 14mm; }
  body { font-size: var(--print-body); }
  .skip-link, nav.contents, details { display: none; }
  .page { max-width: none; padding: 0; }
  a { color: #0b0c0c; text-decoration: none; }
  h2 { break-after: avoid; }
  section.new-page > h2 { break-before: page; }
  h3, caption, figcaption { break-after: avoid; }
  figure, tr, .priority, ul.tiles li { break-inside: avoid; }
  .table-wrap, .chart-wrap { overflow: visible; }
  svg.chart { min-width: 0; }
  thead { display: table-header-group; }
  tbody tr:nth-child(even), thead th, tr.hl, ul.tiles li.significant { print-color-adjust: exact;
    -webkit-print-color-adjust: exact; }
}
"""


def stylesheet(large_print: bool = False) -> str:
    body, small, table, h3, h2, h1, tile = LARGE if large_print else NORMAL
    variables = (
        f"html {{ font-size: {'16pt' if large_print else '100%'}; }} "
        f":root {{ --body: {body}; --small: {small}; --table: {table}; --h3: {h3}; --h2: {h2}; --h1: {h1}; "
        f"--tile-value: {tile}; --tile: 12rem; --measure: 56rem; "
        # charts: wide enough that their 8.5 pt text shows at about the body size (large print: ~16 pt)
        f"--chart: {'44rem' if large_print else '48rem'}; --chart-min: 30rem; "
        f"--print-body: {'16pt' if large_print else '11pt'}; }}"
    )
    return variables + _CSS
