"""Disclosure control for public packs: small counts in sensitive themes are hidden ("<5"), and further cells are
hidden ("[c]") so that no hidden count can be worked out from a total or from the other cells it adds up with.

A table is a grid of counts plus its additive constraints: each says "these cells add up to that total cell"
(a column of categories and its total row, a row of wards and the borough total...). Primary suppression hides
sensitive counts from 1 to threshold-1 (zero is safe to show). Secondary suppression then repeats until
  - no constraint has exactly one hidden cell (else subtraction reveals it), and
  - no primary cell is determined by the constraints taken together (exact linear algebra over the rationals).
The secondary cell is the smallest visible non-zero part of the constraint (zero parts pin a hidden count down once
the attacker knows counts are not negative), preferring cells not shown elsewhere in the pack (`avoid`); when
no part will do, the total is hidden.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction

Cell = tuple[int, int]
SECONDARY = "[c]"


def primary_text(threshold: int) -> str:
    return f"<{threshold}"


@dataclass(frozen=True)
class Constraint:
    parts: tuple[Cell, ...]
    total: Cell

    def cells(self) -> tuple[Cell, ...]:
        return (*self.parts, self.total)


@dataclass
class Suppression:
    primary: set[Cell] = field(default_factory=set)
    secondary: set[Cell] = field(default_factory=set)

    @property
    def hidden(self) -> set[Cell]:
        return self.primary | self.secondary

    def text(self, cell: Cell, threshold: int) -> str | None:
        if cell in self.primary:
            return primary_text(threshold)
        if cell in self.secondary:
            return SECONDARY
        return None


def column_constraints(n_parts: int, columns: Sequence[int], total_row: int | None = None) -> list[Constraint]:
    """Rows 0..n_parts-1 of each column add up to the total row (default: the row after them)."""
    total = n_parts if total_row is None else total_row
    return [Constraint(tuple((r, c) for r in range(n_parts)), (total, c)) for c in columns]


def determined(values: Sequence[Sequence[int]], hidden: set[Cell], constraints: Sequence[Constraint]) -> set[Cell]:
    """Hidden cells whose value the visible cells and the constraints fix exactly (linear algebra, no bounds)."""
    unknowns = sorted(hidden)
    index = {cell: i for i, cell in enumerate(unknowns)}
    rows: list[list[Fraction]] = []
    for con in constraints:
        coeffs = [Fraction(0)] * len(unknowns)
        touched = False
        for cell in con.parts:
            if cell in index:
                coeffs[index[cell]] += 1
                touched = True
        if con.total in index:
            coeffs[index[con.total]] -= 1
            touched = True
        if touched:
            rows.append(coeffs)
    basis: list[tuple[int, list[Fraction]]] = []  # (pivot column, row) in reduced row echelon form
    for row in rows:
        row = row[:]
        for pivot, brow in basis:
            if row[pivot]:
                factor = row[pivot]
                row = [a - factor * b for a, b in zip(row, brow, strict=True)]
        lead_at = next((i for i, a in enumerate(row) if a), None)
        if lead_at is None:
            continue
        lead = row[lead_at]
        row = [a / lead for a in row]
        new_basis: list[tuple[int, list[Fraction]]] = []
        for bp, brow in basis:
            if brow[lead_at]:
                factor = brow[lead_at]
                brow = [a - factor * b for a, b in zip(brow, row, strict=True)]
            new_basis.append((bp, brow))
        basis = [*new_basis, (lead_at, row)]
    fixed: set[Cell] = set()
    for cell, i in index.items():
        vec = [Fraction(0)] * len(unknowns)
        vec[i] = Fraction(1)
        for pivot, brow in basis:
            if vec[pivot]:
                factor = vec[pivot]
                vec = [a - factor * b for a, b in zip(vec, brow, strict=True)]
        if not any(vec):
            fixed.add(cell)
    return fixed


def _value(values: Sequence[Sequence[int]], cell: Cell) -> int:
    return int(values[cell[0]][cell[1]])


def _secondary_for(
    values: Sequence[Sequence[int]], con: Constraint, hidden: set[Cell], avoid: set[Cell], prefer_total: bool = False
) -> Cell | None:
    """The cell to hide next in a constraint: the smallest visible non-zero part not shown elsewhere, then the total
    if it is not shown elsewhere, then the smallest part shown elsewhere, then the total."""
    total_free = con.total not in hidden and con.total not in avoid and _value(values, con.total) > 0
    if prefer_total and con.total not in hidden and _value(values, con.total) > 0:
        return con.total
    visible_parts = [c for c in con.parts if c not in hidden and _value(values, c) > 0]
    free = [c for c in visible_parts if c not in avoid]
    if free:
        return min(free, key=lambda c: (_value(values, c), c))
    if total_free:
        return con.total
    if visible_parts:
        return min(visible_parts, key=lambda c: (_value(values, c), c))
    if con.total not in hidden:
        return con.total
    zeros = [c for c in con.parts if c not in hidden]
    return min(zeros) if zeros else None


def pinned(values: Sequence[Sequence[int]], suppression: Suppression, con: Constraint, threshold: int) -> set[Cell]:
    """Primary cells of one constraint whose value its bounds fix: an attacker knows a "<5" cell is 1..4 and any
    other hidden cell is at least 0, so e.g. two "<5" cells adding up to a shown 2 must both be 1."""
    hidden = suppression.hidden
    if con.total in hidden:
        return set()
    parts = [c for c in con.parts if c in hidden]
    rest = _value(values, con.total) - sum(_value(values, c) for c in con.parts if c not in hidden)
    out: set[Cell] = set()
    for cell in parts:
        if cell not in suppression.primary:
            continue
        others = [c for c in parts if c != cell]
        low_others = sum(1 for c in others if c in suppression.primary)
        unbounded = any(c not in suppression.primary for c in others)
        high_others = sum(threshold - 1 for c in others)
        low = 1 if unbounded else max(1, rest - high_others)
        high = min(threshold - 1, rest - low_others)
        if low >= high:
            out.add(cell)
    return out


def suppress(
    values: Sequence[Sequence[int]],
    sensitive: Sequence[Sequence[bool]],
    threshold: int,
    constraints: Sequence[Constraint],
    avoid: set[Cell] | None = None,
    forced: set[Cell] | None = None,
    prefer_total: bool = False,
) -> Suppression:
    """Which cells to hide. `values[r][c]` are counts; `sensitive[r][c]` marks cells subject to primary suppression;
    `avoid` lists cells shown elsewhere in the pack (hidden here only if nothing else will do); `forced` lists
    cells that must be hidden because another table hides the same count (they are protected like primary ones);
    `prefer_total` hides a total before another part (e.g. the borough total rather than another ward's count,
    which that ward's own pack would then have to hide too)."""
    avoid = avoid or set()
    result = Suppression()
    for r, row in enumerate(values):
        for c, v in enumerate(row):
            if sensitive[r][c] and 0 < v < threshold:
                result.primary.add((r, c))
    result.secondary |= (forced or set()) - result.primary
    protect = result.primary | result.secondary
    if not protect:
        return result
    for _ in range(10_000):
        hidden = result.hidden
        pick: Cell | None = None
        for con in constraints:
            if sum(1 for cell in con.cells() if cell in hidden) == 1:
                pick = _secondary_for(values, con, hidden, avoid, prefer_total)
                if pick is not None:
                    break
        if pick is None:
            for con in constraints:
                if pinned(values, result, con, threshold):
                    pick = _secondary_for(values, con, hidden, avoid, prefer_total)
                    if pick is not None:
                        break
        if pick is None:
            fixed = determined(values, hidden, constraints) & protect
            for cell in sorted(fixed):
                for con in constraints:
                    if cell in con.cells():
                        pick = _secondary_for(values, con, hidden, avoid, prefer_total)
                        if pick is not None:
                            break
                if pick is not None:
                    break
        if pick is None:
            return result
        result.secondary.add(pick)
    raise RuntimeError("disclosure control did not settle")  # pragma: no cover - each pass hides one more cell
