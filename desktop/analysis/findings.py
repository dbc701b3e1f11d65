"""Key findings: a few plain-English sentences, the clear changes first (largest first), then those with some
evidence, then the largest changes within normal variation, and a survey finding when there is one. Small counts are never called a trend,
and a count hidden by disclosure control is never put into words."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from desktop.analysis.change import Change
from desktop.analysis.surveys import SurveyFigure

PERIOD = "in the last 12 months"


def n(value: float) -> str:
    """1234 -> '1,234'."""
    return f"{value:,.0f}"


def change_sentence(label: str, change: Change, period: str = PERIOD, against: str = "the year before") -> str:
    """One sentence on one change, e.g. 'Theft from the person rose from 1,204 to 1,560 in the last 12 months, a
    clear rise: more than its usual ups and downs.'"""
    cur, prev = n(change.current), n(change.previous)
    if change.significant:
        verb = "rose" if change.verdict == "rise" else "fell"
        head = f"{label} {verb} from {prev} to {cur} {period} ({change.pct_text()})"
        if change.strength == "clear":
            size = "a small but clear" if change.small else "a clear"
            return f"{head}, {size} {change.verdict}: more than its usual ups and downs."
        return f"{head}: some evidence of a real {change.verdict}, though normal ups and downs could still explain it."
    if change.verdict == "no change":
        if change.current == change.previous:
            return f"{label} did not change: {cur} {period}, the same as {against}."
        return (
            f"{label}: {cur} {period} against {prev} {against} ({change.pct_text()}), within its normal ups and downs."
        )
    if change.verdict == "unavailable":
        if change.reason:
            return f"{label}: {cur} {period}; no change is given ({change.reason})."
        if not change.complete:
            return (
                f"{label}: {cur} {period}, but only {change.current_months} of those {change.span} months are "
                "complete in the store, so no change is given."
            )
        if change.previous_months:
            return (
                f"{label}: {cur} {period}. The store holds complete figures for only {change.previous_months} of "
                f"the {change.span} months before, so no change is given."
            )
        return f"{label}: {cur} {period}; the store does not cover the year before, so no change can be given."
    return f"{label}: {cur} {period} against {prev} {against}, too few to tell whether anything really changed."


@dataclass(frozen=True)
class Item:
    label: str
    change: Change
    hidden: bool = False  # a count suppressed in a public pack: never put into words
    headline: bool = False  # e.g. all recorded crime: always mentioned first when it can be


def _rank_key(item: Item) -> tuple[int, int, float]:
    """Clear changes of some size first, then those with some evidence, then small ones, then the rest; larger
    first."""
    ch = item.change
    tier = 3
    if ch.significant:
        tier = 2 if ch.small else 0 if ch.strength == "clear" else 1
    return (tier, -abs(ch.difference), ch.p_value if ch.p_value is not None else 1.0)


def rank(items: Iterable[Item]) -> list[Item]:
    """Items worth a sentence, best first: clear changes by size, then those with some evidence and small
    (|change| < 5%) ones, then the rest by size; 'too few' and hidden items are left out."""
    items = list(items)
    usable = [i for i in items if not i.hidden and i.change.verdict not in ("too few", "unavailable")]
    # the headline is always said first, even when it cannot be compared: its sentence then says why
    head = [i for i in items if i.headline and not i.hidden and i.change.verdict != "too few"]
    rest = sorted((i for i in usable if not i.headline), key=_rank_key)
    return head + rest


def vcop_sentence(figure: SurveyFigure, present: int = 12, rights: int = 12) -> str:
    """The weakest right, said of the rights the return holds (`present` of the Code's `rights`)."""
    where = _where(figure)
    of = (
        f"The weakest of the {rights} Victims' Code rights"
        if present >= rights
        else f"Of the {present} Victims' Code rights in the return (the Code has {rights}), the weakest"
    )
    return f"{of} was \u2018{_right_phrase(figure.measure)}\u2019: met for only {figure.value:.0%} of victims{where}."


def satisfaction_sentence(figure: SurveyFigure) -> str:
    return f"{figure.value:.0%} of victims were satisfied overall with the police{_where(figure)}."


def trust_sentence(figure: SurveyFigure, label: str) -> str:
    return f"{figure.value:.0%} of residents {label}{_where(figure)}."


def _where(figure: SurveyFigure) -> str:
    base = f", base {figure.base:,}" if figure.base else ""
    return f" ({figure.area_text}{base})"


def _right_phrase(measure: str) -> str:
    text = measure.strip()
    return text[:1].upper() + text[1:]


def key_findings(items: Iterable[Item], extra: Iterable[str] = (), limit: int = 5) -> list[str]:
    """Up to `limit` sentences: the ranked changes, then the extra (survey) sentences, keeping room for one of
    those when there are any."""
    extras = [e for e in extra if e]
    room = max(limit - min(len(extras), 1), 1)
    sentences = [change_sentence(i.label, i.change) for i in rank(items)[:room]]
    sentences.extend(extras[: max(limit - len(sentences), 0)])
    return sentences
