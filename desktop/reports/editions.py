"""The pack's editions (Qt-free): the full pack, the two-page summary, and large print of either.

`summary_pack` makes the summary from a full pack's model, so it says nothing the full pack does not (and a
public summary keeps the full pack's disclosure plan): at a glance (tiles and key findings), the panel's
priorities and actions, and how to get help, on two A4 sides (the PDF renderer fits it: see pdf_summary.py).
Large print is a way of drawing any edition: body text of at least 16 pt (RNIB clear print guidance), charts
laid out on a narrower canvas and scaled up, so their text grows with the body.
"""

from __future__ import annotations

from dataclasses import replace

from desktop.reports.model import Block, Bullets, Pack, Paragraph, PriorityBlock, Section, Tiles, TrendChart

LARGE_PRINT_PT = 16.0  # the smallest text a large-print edition may have
CHART_TEXT_PT = 8.5  # charts.FONT_SIZE: charts are drawn at this size, then scaled
LARGE_CHART_SCALE = 1.9  # charts are laid out at 1/1.9 of the width and scaled up: 8.5 pt text reads 16.15 pt

EDITIONS = ("full", "summary")


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


__all__ = ["summary_pack", "LARGE_PRINT_PT", "LARGE_CHART_SCALE", "EDITIONS"]
