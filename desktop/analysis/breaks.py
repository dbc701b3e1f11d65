"""Series breaks: categories an edition relabelled, split or merged, found from the data and bridged by the
concordance in resources/concordance.toml, so a relabelling is never read as a rise or a fall (Qt-free, pure).

A category "starts" inside a window when the series holds earlier months of the window without it, and "stops"
when the series holds later months without it. At the sub-category level (the Met's MinorText) a break involves
the whole major: the crimes of a new sub-category came out of some sibling, so no sibling compares across it,
unless one concordance group holds every sub-category that started or stopped (then its members compare as one
row). At the major level (all crime by major category) only the majors that started or stopped are withheld.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from desktop.errors import WardBriefError
from desktop.resources import resource


def fold(text: str) -> str:
    return " ".join(str(text).split()).upper()


@dataclass(frozen=True)
class Group:
    """Sub-categories of one major that compare together across editions."""

    major: str
    label: str
    members: frozenset[str]
    source: str = ""


def load_concordance(path: Path | None = None) -> tuple[Group, ...]:
    path = path or resource("concordance.toml")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise WardBriefError(
            f"The concordance file {path} cannot be read ({exc}).", "Correct the file, or reinstall WardBrief."
        ) from exc
    groups = []
    for entry in data.get("group", []):
        try:
            groups.append(
                Group(
                    fold(entry["major"]),
                    str(entry["label"]),
                    frozenset(fold(m) for m in entry["members"]),
                    str(entry.get("source", "")),
                )
            )
        except (KeyError, TypeError) as exc:
            raise WardBriefError(
                f"A group in {path.name} lacks {exc}.", "Give every [[group]] a major, a label and members."
            ) from exc
    return tuple(groups)


@lru_cache(maxsize=1)
def concordance() -> tuple[Group, ...]:
    return load_concordance()


@dataclass(frozen=True)
class Break:
    """Categories of one parent (a major; '' for the majors themselves) that start or stop inside a window."""

    parent: str
    started: tuple[str, ...]
    stopped: tuple[str, ...]
    month: str  # the first month on the new list
    group: Group | None = None  # the concordance group that bridges it, if one does

    @property
    def changed(self) -> tuple[str, ...]:
        return self.started + self.stopped

    @property
    def bridged(self) -> bool:
        return self.group is not None


def find_breaks(
    spans: Mapping[tuple[str, str], tuple[str, str]],
    held: Iterable[str],
    level: str = "minor",
    groups: Iterable[Group] | None = None,
) -> list[Break]:
    """Breaks among categories, from when each is present.

    `spans`: (major, minor) -> (first, last) month the category has figures (rows, zero counts included) inside the
    window; for level 'major' the minor is ''. `held`: the months of the window the series holds. A category
    starts if the series holds a month of the window before its first; stops if it holds one after its last.
    """
    months = sorted(set(held))
    if not months:
        return []
    first, last = months[0], months[-1]
    by_parent: dict[str, tuple[list[str], list[str], list[str]]] = {}
    for (major, minor), (start, end) in spans.items():
        parent, name = (fold(major), fold(minor)) if level == "minor" else ("", fold(major))
        started, stopped, moments = by_parent.setdefault(parent, ([], [], []))
        if start > first:
            started.append(name)
            moments.append(start)
        if end < last:
            stopped.append(name)
            moments.append(next((m for m in months if m > end), end))
    found = []
    for parent, (started, stopped, moments) in sorted(by_parent.items()):
        if not started and not stopped:
            continue
        changed = set(started) | set(stopped)
        bridge = next(
            (
                g
                for g in (groups if groups is not None else concordance())
                if g.major == parent and changed <= g.members
            ),
            None,
        )
        found.append(Break(parent, tuple(sorted(started)), tuple(sorted(stopped)), min(moments), bridge))
    return found


def describe(brk: Break, label_of: Mapping[str, str] | None = None) -> str:
    """One plain sentence saying what changed and what the pack does about it."""
    from desktop.months import month_label

    names = label_of or {}

    def quoted(items: Iterable[str]) -> str:
        shown = [f"'{names.get(i, i.capitalize())}'" for i in items]
        return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]

    where = f"{names.get(brk.parent, brk.parent.capitalize())}: " if brk.parent else ""
    what = []
    if brk.started:
        what.append(f"{quoted(brk.started)} first published")
    if brk.stopped:
        what.append(f"{quoted(brk.stopped)} no longer published")
    lead = f"{where}the Met changed its categories in {month_label(brk.month)} ({'; '.join(what)})."
    if brk.group is not None:
        return f"{lead} They are shown together as '{brk.group.label}' so the two years compare like with like."
    if brk.parent:
        return f"{lead} No change is given for its sub-categories across the change; its total still compares."
    return f"{lead} No change is given for {'them' if len(brk.changed) > 1 else 'it'} across the change."
