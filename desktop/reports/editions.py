"""The pack's editions (Qt-free): the full pack, the two-page summary, and large print of either.

`summary_pack` makes the summary from a full pack's model, so it says nothing the full pack does not (and a
public summary keeps the full pack's disclosure plan): at a glance (tiles and key findings), the panel's
priorities and actions, and how to get help, on two A4 sides (the PDF renderer fits it: see pdf_summary.py).
Large print is a way of drawing any edition: no text under 16 pt (RNIB clear print guidance). In the PDF, charts
are laid out on a narrower canvas and scaled up, so their text grows with the body, and wide tables are split into
column groups; in the HTML the stylesheet does the same work (a 16 pt root, charts shown wider).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from desktop.reports.model import (
    Block,
    Bullets,
    ContactList,
    Pack,
    Paragraph,
    PriorityBlock,
    Section,
    Tiles,
    TrendChart,
)

LARGE_PRINT_PT = 16.0  # the smallest text a large-print edition may have
# Charts are laid out at 1/LARGE_CHART_SCALE of the width, then scaled up. Their text is 8.5 pt (charts.FONT_SIZE),
# but QtSvg draws it at a whole number of units (8), so 2.05 is what makes it 16.4 pt in the PDF.
LARGE_CHART_SCALE = 2.05
# Maps print their smallest text (names and markers, maps.FONT_SIZE - 1 = 6.5 pt, drawn at 6) the same way.
LARGE_MAP_SCALE = 2.75


def apply_edition(pack: Pack, summary: bool = False, large_print: bool = False) -> Pack:
    """The pack as the reader asked for it: the full pack or its summary, in ordinary or large print. Every
    renderer (PDF, print, HTML) reads the edition and `large_print` from the pack itself. A borough overview
    has no summary edition (it is one or two pages already), so it stays whole."""
    if summary and pack.kind == "ward":
        pack = summary_pack(pack)
    return replace(pack, large_print=large_print) if large_print != pack.large_print else pack


def summary_pack(pack: Pack) -> Pack:
    """The two-page summary of a full pack: its headline tiles and key findings, the monthly trend, the panel's
    priorities (title, status, measure, actions) and the contacts; then one line on where the full figures are."""
    glance = next((s for s in pack.sections if s.key in ("glance", "overview")), None)
    blocks: list[Block] = []
    if glance is not None:
        for block in glance.blocks:
            if isinstance(block, Tiles | Bullets | TrendChart) or (
                isinstance(block, Paragraph) and block.style == "lead"
            ):
                blocks.append(block)
    sections = [Section("glance", "At a glance", blocks, new_page=False)] if blocks else []
    priorities = next((s for s in pack.sections if s.key == "priorities"), None)
    if priorities is not None:
        sections.append(Section("priorities", "Priorities and actions", _priorities(priorities), new_page=False))
    contacts = next((s for s in pack.sections if s.key == "contacts"), None)
    if contacts is not None:
        sections.append(Section("contacts", "How to get help", list(contacts.blocks), new_page=False))
    sections.append(
        Section(
            "about",
            "About this summary",
            [
                Paragraph(
                    "This is the two-page summary of the ward's briefing pack. The full pack has every theme's "
                    "figures, tables and charts, victims' experience, trust and confidence, and the sources and "
                    "definitions behind each number.",
                    "small",
                )
            ],
            new_page=False,
        )
    )
    return replace(pack, sections=sections, edition="summary")


MAX_ACTIONS = 2  # per priority, once the summary must be shortened
MAX_CONTACTS = 5
MAX_FINDINGS = 3
MAX_PRIORITIES = 2


def shorten(pack: Pack) -> Pack | None:
    """The summary one step shorter, for when it runs over two pages (the PDF renderer asks until it fits), or
    None when there is nothing left to shorten. Each step drops the least needed detail and says where it is:
    the trend chart; actions beyond the first two of each priority; findings beyond the first three; priorities
    beyond the first two; and only then contacts beyond the first five (how to get help matters most)."""
    for step in (_no_chart, _fewer_actions, _fewer_findings, _fewer_priorities, _fewer_contacts):
        shorter = step(pack)
        if shorter is not None:
            return shorter
    return None


def _with_blocks(pack: Pack, key: str, blocks: list[Block]) -> Pack:
    sections = [replace(s, blocks=blocks) if s.key == key else s for s in pack.sections]
    return replace(pack, sections=sections)


def _blocks(pack: Pack, key: str) -> list[Block]:
    return next((list(s.blocks) for s in pack.sections if s.key == key), [])


def _no_chart(pack: Pack) -> Pack | None:
    blocks = _blocks(pack, "glance")
    kept: list[Block] = [b for b in blocks if not isinstance(b, TrendChart)]
    return None if len(kept) == len(blocks) else _with_blocks(pack, "glance", kept)


def _trim_each(pack: Pack, key: str, trim: Callable[[Block], Block | None], note: str = "") -> Pack | None:
    """Section `key` with each block `trim` shortens replaced (and `note` added after), or None if none was."""
    out: list[Block] = []
    changed = False
    for block in _blocks(pack, key):
        shorter = trim(block)
        changed = changed or shorter is not None
        out.append(block if shorter is None else shorter)
    if not changed:
        return None
    if note:
        out.append(Paragraph(note, "small"))
    return _with_blocks(pack, key, out)


def _fewer_actions(pack: Pack) -> Pack | None:
    def trim(b: Block) -> Block | None:
        if not isinstance(b, PriorityBlock) or len(b.actions) <= MAX_ACTIONS:
            return None
        more = len(b.actions) - MAX_ACTIONS
        note = f"{more} more open action{'s' if more != 1 else ''} in the full pack."
        return replace(b, actions=b.actions[:MAX_ACTIONS], notes=" ".join(x for x in (b.notes, note) if x))

    return _trim_each(pack, "priorities", trim)


def _fewer_contacts(pack: Pack) -> Pack | None:
    def trim(b: Block) -> Block | None:
        if isinstance(b, ContactList) and len(b.contacts) > MAX_CONTACTS:
            return ContactList(b.contacts[:MAX_CONTACTS])
        return None

    return _trim_each(pack, "contacts", trim, "More places to get help are listed in the full pack.")


def _fewer_findings(pack: Pack) -> Pack | None:
    def trim(b: Block) -> Block | None:
        return Bullets(b.items[:MAX_FINDINGS]) if isinstance(b, Bullets) and len(b.items) > MAX_FINDINGS else None

    return _trim_each(pack, "glance", trim)


def _fewer_priorities(pack: Pack) -> Pack | None:
    blocks = _blocks(pack, "priorities")
    prios = [b for b in blocks if isinstance(b, PriorityBlock)]
    if len(prios) <= MAX_PRIORITIES:
        return None
    more = len(prios) - MAX_PRIORITIES
    kept = [b for b in blocks if not isinstance(b, PriorityBlock)] + prios[:MAX_PRIORITIES]
    kept.append(Paragraph(f"{more} more priorit{'ies' if more != 1 else 'y'} in the full pack.", "small"))
    return _with_blocks(pack, "priorities", kept)


def _priorities(section: Section) -> list[Block]:
    """Each priority with its status, measure and open actions (done actions are counted, not listed)."""
    out: list[Block] = []
    for block in section.blocks:
        if not isinstance(block, PriorityBlock):
            out.append(block)
            continue
        open_actions = [a for a in block.actions if not a[3]]
        done = len(block.actions) - len(open_actions)
        notes = f"{done} action{'s' if done != 1 else ''} done." if done else ""
        out.append(replace(block, actions=open_actions, notes=notes))
    return out


__all__ = ["apply_edition", "summary_pack", "shorten", "LARGE_PRINT_PT", "LARGE_CHART_SCALE"]
