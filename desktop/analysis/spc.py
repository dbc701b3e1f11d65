"""Statistical process control for a monthly series: XmR limits and special-cause rules, after NHS England's
"Making Data Count" (docs/methods.md).

Centre line = mean of the complete months; process limits = mean +/- 2.66 x mean moving range (the mean of the
absolute differences between neighbouring complete months). Special causes:
  - "outside": a month above the upper or below the lower limit;
  - "run": 7 or more months in a row on one side of the centre line;
  - "trend": 6 or more months in a row each higher (or each lower) than the one before;
  - "near": 2 of 3 months in a row beyond two-thirds of the way to the same limit (the outer third).
Provisional (partially counted) months are never used for the limits and never a special cause; a series break
(a month the categories changed) or a gap restarts the limits, so each stretch of comparable months has its own.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Literal

SIGMA = 2.66  # 3 / d2 with d2 = 1.128 for moving ranges of two points
MIN_POINTS = 12  # fewer comparable months than this: no limits (too few to tell what is usual)
RUN = 7
TREND = 6
NEAR = 2 / 3

Rule = Literal["outside", "run", "trend", "near"]
Side = Literal["high", "low"]
RULE_ORDER: tuple[Rule, ...] = ("outside", "run", "trend", "near")


@dataclass(frozen=True)
class Limits:
    centre: float
    lower: float  # may be below zero: the chart shows it floored at zero
    upper: float
    mr_bar: float

    def near(self, value: float) -> Side | None:
        """'high'/'low' when the value lies in the outer third toward a limit (or beyond it)."""
        if value > self.centre + NEAR * (self.upper - self.centre):
            return "high"
        if value < self.centre - NEAR * (self.centre - self.lower):
            return "low"
        return None


def xmr_limits(values: Sequence[float]) -> Limits | None:
    """XmR limits of consecutive values; None for fewer than two."""
    if len(values) < 2:
        return None
    mean = sum(values) / len(values)
    ranges = [abs(b - a) for a, b in zip(values, values[1:], strict=False)]
    mr_bar = sum(ranges) / len(ranges)
    return Limits(mean, mean - SIGMA * mr_bar, mean + SIGMA * mr_bar, mr_bar)


@dataclass(frozen=True)
class Signal:
    rule: Rule
    side: Side


@dataclass
class SpcResult:
    months: list[str]
    values: list[float | None]
    limits: list[Limits | None]  # per month: the limits of the stretch it belongs to (None: none computed)
    signals: dict[int, list[Signal]] = field(default_factory=dict)  # index -> special causes at that month
    restarts: list[int] = field(default_factory=list)  # indexes where a new stretch of limits begins

    def signal(self, i: int) -> Signal | None:
        """The strongest special cause at month i (rule order: outside, run, trend, near)."""
        found = self.signals.get(i, [])
        for rule in RULE_ORDER:
            for s in found:
                if s.rule == rule:
                    return s
        return None

    def has_limits(self) -> bool:
        return any(lim is not None for lim in self.limits)


def _segments(
    months: Sequence[str], values: Sequence[float | None], provisional: Sequence[bool], breaks: Collection[str]
) -> list[list[int]]:
    """Stretches of indexes that share limits: a new one starts at a break month and after a gap (no figures).
    Provisional months belong to no stretch."""
    out: list[list[int]] = []
    current: list[int] = []
    for i, month in enumerate(months):
        if (month in breaks or values[i] is None) and current:
            out.append(current)
            current = []
        if values[i] is None or provisional[i]:
            continue
        current.append(i)
    if current:
        out.append(current)
    return out


def _flag(signals: dict[int, list[Signal]], indexes: Sequence[int], rule: Rule, side: Side) -> None:
    for i in indexes:
        if Signal(rule, side) not in signals.setdefault(i, []):
            signals[i].append(Signal(rule, side))


def _rules(idx: list[int], vals: list[float], lim: Limits, signals: dict[int, list[Signal]]) -> None:
    for i, v in zip(idx, vals, strict=True):
        if v > lim.upper:
            _flag(signals, [i], "outside", "high")
        elif v < lim.lower:
            _flag(signals, [i], "outside", "low")
    # runs on one side of the centre line (a point on the line ends a run)
    start = 0
    for k in range(1, len(vals) + 1):
        side = _side(vals[k - 1], lim.centre)
        if k == len(vals) or _side(vals[k], lim.centre) != side or side is None:
            if side is not None and k - start >= RUN:
                _flag(signals, idx[start:k], "run", side)
            start = k
    # trends: each month higher (or lower) than the one before; an equal neighbour ends a trend
    steps = [(vals[k] > vals[k - 1]) - (vals[k] < vals[k - 1]) for k in range(1, len(vals))]
    first = 0
    for k in range(1, len(steps) + 1):
        if k == len(steps) or steps[k] != steps[first]:
            if steps[first] != 0 and k - first + 1 >= TREND:  # steps first..k-1 join points first..k
                _flag(signals, idx[first : k + 1], "trend", "high" if steps[first] > 0 else "low")
            first = k
    # two of three in the outer third toward the same limit
    near = [lim.near(v) for v in vals]
    for k in range(len(vals) - 2):
        for side in ("high", "low"):
            hits = [j for j in range(k, k + 3) if near[j] == side]
            if len(hits) >= 2:
                _flag(signals, [idx[j] for j in hits], "near", side)  # type: ignore[arg-type]


def _side(value: float, centre: float) -> Side | None:
    return "high" if value > centre else "low" if value < centre else None


def spc(
    months: Sequence[str],
    values: Sequence[float | None],
    provisional: Sequence[bool] | None = None,
    breaks: Collection[str] = (),
) -> SpcResult:
    """XmR limits and special causes of a monthly series (None: no figures for that month)."""
    prov = list(provisional) if provisional is not None else [False] * len(months)
    result = SpcResult(list(months), list(values), [None] * len(months))
    for seg in _segments(months, values, prov, breaks):
        vals = [float(values[i]) for i in seg]  # type: ignore[arg-type]
        if len(vals) < MIN_POINTS:
            continue
        lim = xmr_limits(vals)
        assert lim is not None
        result.restarts.append(seg[0])
        for i in range(seg[0], seg[-1] + 1):
            result.limits[i] = lim
        for run in _consecutive(seg):  # a run or trend never reaches over a provisional month left out
            _rules(run, [float(values[i]) for i in run], lim, result.signals)  # type: ignore[arg-type]
    return result


def _consecutive(indexes: list[int]) -> list[list[int]]:
    """`indexes` cut where one is skipped (a provisional month inside a stretch shares its limits, but the
    sequence rules count months in a row: a reviewer's 'falling in a row' ran across a half-counted May)."""
    out: list[list[int]] = []
    for i in indexes:
        if out and i == out[-1][-1] + 1:
            out[-1].append(i)
        else:
            out.append([i])
    return out


RULE_WORDS: dict[Rule, dict[Side, str]] = {
    "outside": {"high": "unusually high: above the upper limit", "low": "unusually low: below the lower limit"},
    "run": {
        "high": "part of a run of {n} months above the average, a shift up",
        "low": "part of a run of {n} months below the average, a shift down",
    },
    "trend": {"high": "part of {n} months rising in a row", "low": "part of {n} months falling in a row"},
    "near": {
        "high": "close to the upper limit, as another of the last three months was",
        "low": "close to the lower limit, as another of the last three months was",
    },
}


def _streak(result: SpcResult, i: int, signal: Signal) -> int:
    """How many months in a row up to month i share this special cause."""
    n = 0
    j = i
    while j >= 0 and signal in result.signals.get(j, []):
        n += 1
        j -= 1
    return n


def latest_index(result: SpcResult, provisional: Sequence[bool]) -> int | None:
    """The latest complete month that has limits."""
    for i in range(len(result.months) - 1, -1, -1):
        if result.values[i] is not None and not provisional[i] and result.limits[i] is not None:
            return i
    return None


def sentence(result: SpcResult, i: int, area: str, month: str, unit: str = "") -> str:
    """'June 2025's 1,882 is within the usual range for West End (1,500 to 2,100).' / '... is unusually high:
    above the upper limit (2,100).'"""
    lim = result.limits[i]
    value = result.values[i]
    assert lim is not None and value is not None
    lo, hi = max(0.0, lim.lower), lim.upper
    head = f"{month}'s {value:,.0f}{(' ' + unit) if unit else ''}"
    signal = result.signal(i)
    if signal is None:
        return f"{head} is within the usual range for {area} ({lo:,.0f} to {hi:,.0f} a month)."
    words = RULE_WORDS[signal.rule][signal.side].format(n=_streak(result, i, signal))
    return f"{head} is {words} (usual range for {area}: {lo:,.0f} to {hi:,.0f} a month)."
