"""Themes (resources/themes.toml): what a pack can report on, and which crime categories of each taxonomy (the
Met's Major/MinorText and data.police.uk crime types) make up each crime theme. Matching ignores case."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from desktop.errors import WardBriefError
from desktop.resources import resource

KINDS = ("crime", "asb", "fire", "victims", "trust", "priorities", "where", "outcomes", "stop_search")


def _fold(text: str) -> str:
    return " ".join(str(text).split()).casefold()


@dataclass(frozen=True)
class Theme:
    key: str
    label: str
    kind: str = "crime"
    default: bool = False
    sensitive: bool = False
    description: str = ""
    mps_major: tuple[str, ...] = ()
    mps_minor: tuple[str, ...] = ()
    mps_exclude: tuple[str, ...] = ()
    policeuk: tuple[str, ...] = ()
    policeuk_exclude: tuple[str, ...] = ()
    breakdown: str = "minor"
    note: str = ""
    short: str = ""

    @property
    def short_label(self) -> str:
        return self.short or self.label

    @property
    def is_crime(self) -> bool:
        return self.kind == "crime"

    @property
    def has_categories(self) -> bool:
        return bool(self.mps_major or self.mps_minor or self.policeuk)

    def matches(self, taxonomy: str, category: str, subcategory: str = "") -> bool:
        """Whether a stored crime_count row (taxonomy, category, subcategory) belongs to this theme."""
        cat, sub = _fold(category), _fold(subcategory)
        if taxonomy == "mps":
            if cat in {_fold(x) for x in self.mps_exclude}:
                return False
            majors = {_fold(x) for x in self.mps_major}
            return "*" in majors or cat in majors or (bool(sub) and sub in {_fold(x) for x in self.mps_minor})
        if taxonomy == "policeuk":
            if cat in {_fold(x) for x in self.policeuk_exclude}:
                return False
            types = {_fold(x) for x in self.policeuk}
            return "*" in types or cat in types
        return False


def _theme(entry: dict[str, Any], where: str) -> Theme:
    try:
        key = str(entry["key"]).strip()
        label = str(entry["label"]).strip()
    except KeyError as exc:
        raise WardBriefError(
            f"A theme in {where} has no {exc.args[0]}.", "Give every [[theme]] a key and a label."
        ) from exc
    kind = str(entry.get("kind", "crime"))
    if kind not in KINDS:
        raise WardBriefError(f"Theme '{key}' in {where} has kind '{kind}'.", f"Use one of: {', '.join(KINDS)}.")
    if not key.replace("_", "").isalnum():
        raise WardBriefError(f"Theme key '{key}' in {where} is not valid.", "Use letters, digits and underscores.")

    def strings(name: str) -> tuple[str, ...]:
        value = entry.get(name, [])
        if isinstance(value, str):
            value = [value]
        return tuple(str(v) for v in value)

    return Theme(
        key=key,
        label=label,
        kind=kind,
        default=bool(entry.get("default", False)),
        sensitive=bool(entry.get("sensitive", False)),
        description=str(entry.get("description", "")),
        mps_major=strings("mps_major"),
        mps_minor=strings("mps_minor"),
        mps_exclude=strings("mps_exclude"),
        policeuk=strings("policeuk"),
        policeuk_exclude=strings("policeuk_exclude"),
        breakdown=str(entry.get("breakdown", "minor")),
        note=str(entry.get("note", "")),
        short=str(entry.get("short", "")),
    )


def load_themes(path: Path | None = None) -> list[Theme]:
    """The themes in `path` (default: the bundled resources/themes.toml), in file order."""
    path = path or resource("themes.toml")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise WardBriefError(
            f"The themes file {path} cannot be read ({exc}).", "Correct the file, or reinstall WardBrief."
        ) from exc
    themes = [_theme(entry, path.name) for entry in data.get("theme", [])]
    keys = [t.key for t in themes]
    dupes = sorted({k for k in keys if keys.count(k) > 1})
    if dupes:
        raise WardBriefError(f"Theme keys repeat in {path.name}: {', '.join(dupes)}.", "Give each theme its own key.")
    return themes


@lru_cache(maxsize=1)
def bundled_themes() -> tuple[Theme, ...]:
    return tuple(load_themes())


def theme_map() -> dict[str, Theme]:
    return {t.key: t for t in bundled_themes()}


def resolve_keys(keys: list[str], themes: list[Theme] | tuple[Theme, ...] | None = None) -> list[Theme]:
    """Themes for the given keys (file order kept); the defaults when `keys` is empty. Unknown keys are an error
    that lists the valid ones."""
    themes = list(themes if themes is not None else bundled_themes())
    if not keys:
        return [t for t in themes if t.default]
    by_key = {t.key: t for t in themes}
    unknown = [k for k in keys if k not in by_key]
    if unknown:
        raise WardBriefError(
            f"Unknown theme{'s' if len(unknown) > 1 else ''}: {', '.join(unknown)}.",
            f"Choose from: {', '.join(by_key)}.",
        )
    wanted = set(keys)
    return [t for t in themes if t.key in wanted]
