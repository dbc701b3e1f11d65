"""The briefing pack for one ward (DESIGN.md §6): at a glance, a section per chosen theme (the theme's kind picks
its builder from SECTION_BUILDERS), what can I do, and about these figures."""

from __future__ import annotations

from collections.abc import Callable

from sqlite_utils import Database

from desktop.errors import WardBriefError
from desktop.reports.about import about_section
from desktop.reports.build_context import Context, make_context
from desktop.reports.model import Pack, Section
from desktop.reports.options import PackOptions
from desktop.reports.outcomes import outcomes_section
from desktop.reports.pack_shell import finish, new_pack
from desktop.reports.sections_crime import asb_section, glance_section, theme_section
from desktop.reports.sections_other import (
    contacts_section,
    fire_section,
    survey_findings,
    trust_section,
    victims_section,
)
from desktop.reports.sections_priorities import priorities_section
from desktop.reports.stop_search import stop_search_section
from desktop.reports.where import where_section
from desktop.settings import Settings
from desktop.store import figures

# A theme's kind (resources/themes.toml) -> the section that shows it, in the order sections appear after the crime
# themes (each crime theme has a section of its own: theme_section). A new kind of theme is one entry here.
SECTION_BUILDERS: dict[str, Callable[[Context], Section]] = {
    "asb": asb_section,
    "where": where_section,
    "outcomes": outcomes_section,
    "stop_search": stop_search_section,
    "victims": victims_section,
    "trust": trust_section,
    "fire": fire_section,
    "priorities": priorities_section,
}


def theme_sections(ctx: Context) -> list[Section]:
    """The sections of the chosen themes: one per crime theme, then one per other kind chosen."""
    wanted = {t.kind for t in ctx.themes}
    sections = [theme_section(ctx, theme) for theme in ctx.chosen("crime")]
    return sections + [build(ctx) for kind, build in SECTION_BUILDERS.items() if kind in wanted]


def build_pack(db: Database, ward_code: str, options: PackOptions, settings: Settings) -> Pack:
    """The briefing pack for one ward."""
    ward = figures.ward_row(db, ward_code)
    if ward is None:
        raise WardBriefError(
            f"Ward {ward_code} is not in the store.",
            "Run `wardbrief wards` to list the wards, or import a crime extract or ward lookup that includes it.",
        )
    ctx = make_context(db, ward.get("borough_name"), options, settings, ward)
    name = str(ward["name"])
    pack = new_pack(ctx, "ward", f"{name} ward", ward_code, name)
    extra = survey_findings(ctx) if ctx.wants("victims") else []
    pack.sections.append(glance_section(ctx, extra))
    pack.sections.extend(theme_sections(ctx))
    pack.sections.append(contacts_section(ctx))
    pack.sections.append(about_section(ctx))
    finish(pack, ctx)
    return pack
