"""Disclosure control: small sensitive counts hidden, and no hidden count can be worked out from what is shown."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.analysis.disclosure import Cell, Constraint, column_constraints, determined, suppress

T = 5


def _with_totals(parts: list[list[int]]) -> list[list[int]]:
    return [*parts, [sum(col) for col in zip(*parts, strict=True)]]


def _all_sensitive(values: list[list[int]], total_row: bool = True) -> list[list[bool]]:
    n = len(values)
    return [[not (total_row and r == n - 1) for _ in row] for r, row in enumerate(values)]


def test_primary_and_secondary_in_a_column() -> None:
    # Rape 3, other sexual offences 12, total 15: hiding only the 3 would leave 15 - 12 = 3 in plain sight.
    values = _with_totals([[3], [12]])
    cons = column_constraints(2, [0])
    sup = suppress(values, _all_sensitive(values), T, cons)
    assert sup.primary == {(0, 0)}
    assert sup.secondary == {(1, 0)}
    assert sup.text((0, 0), T) == "<5" and sup.text((1, 0), T) == "[c]" and sup.text((2, 0), T) is None


def test_nothing_hidden_when_nothing_is_small_or_zero() -> None:
    values = _with_totals([[0], [12], [7]])
    sup = suppress(values, _all_sensitive(values), T, column_constraints(3, [0]))
    assert sup.hidden == set()


def test_total_hidden_when_the_other_parts_are_zero() -> None:
    # 2 and 0 with a total of 2: hiding the zero would not help (counts are never negative), so the total goes.
    values = _with_totals([[2], [0]])
    sup = suppress(values, _all_sensitive(values), T, column_constraints(2, [0]))
    assert sup.primary == {(0, 0)} and sup.secondary == {(2, 0)}


def test_avoid_prefers_cells_not_shown_elsewhere() -> None:
    values = _with_totals([[3], [6], [40]])
    cons = column_constraints(3, [0])
    sup = suppress(values, [[True], [False], [False], [False]], T, cons, avoid={(1, 0)})
    assert sup.secondary == {(2, 0)}


def test_prefer_total_hides_the_total_not_another_ward() -> None:
    # a ward comparison: hiding the borough total keeps every other ward's own count visible
    values = _with_totals([[3], [12], [40]])
    sup = suppress(values, _all_sensitive(values), T, column_constraints(3, [0]), prefer_total=True)
    assert sup.primary == {(0, 0)} and sup.secondary == {(3, 0)}


def test_threshold_is_configurable() -> None:
    values = _with_totals([[7], [20]])
    sup = suppress(values, _all_sensitive(values), 10, column_constraints(2, [0]))
    assert sup.text((0, 0), 10) == "<10"


# --- the property: for random tables no primary-suppressed value can be derived -----------------------------------


def _feasible_alternatives(
    values: list[list[int]], hidden: set[Cell], primary: set[Cell], cons: list[Constraint], limit: int
) -> dict[Cell, set[int]]:
    """Every value each primary cell can take in some assignment of the hidden cells that agrees with everything
    shown: primary cells are 1..T-1, other hidden cells 0..limit, every constraint holds (brute force)."""
    cells = sorted(hidden)
    ranges = [range(1, T) if c in primary else range(0, limit + 1) for c in cells]
    seen: dict[Cell, set[int]] = {c: set() for c in primary}
    for combo in itertools.product(*ranges):
        grid = [row[:] for row in values]
        for cell, v in zip(cells, combo, strict=True):
            grid[cell[0]][cell[1]] = v
        if all(sum(grid[r][c] for r, c in con.parts) == grid[con.total[0]][con.total[1]] for con in cons):
            for cell in primary:
                seen[cell].add(grid[cell[0]][cell[1]])
    return seen


one_column = st.lists(st.integers(0, 9), min_size=2, max_size=5)


@settings(max_examples=200, deadline=None)
@given(one_column, st.data())
def test_property_one_column_never_reveals_a_hidden_count(parts: list[int], data: st.DataObject) -> None:
    sensitive_rows = data.draw(st.lists(st.booleans(), min_size=len(parts), max_size=len(parts)))
    values = _with_totals([[v] for v in parts])
    sensitive = [[s] for s in sensitive_rows] + [[False]]
    cons = column_constraints(len(parts), [0])
    sup = suppress(values, sensitive, T, cons, prefer_total=data.draw(st.booleans()))
    for r, v in enumerate(parts):
        if sensitive_rows[r] and 0 < v < T:
            assert (r, 0) in sup.primary
    for con in cons:
        assert sum(1 for c in con.cells() if c in sup.hidden) != 1
    if sup.primary and len(sup.hidden) <= 4:
        limit = values[-1][0] + T  # hidden cells can be anything an attacker cannot rule out
        alternatives = _feasible_alternatives(values, sup.hidden, sup.primary, cons, limit)
        for cell, possible in alternatives.items():
            assert values[cell[0]][cell[1]] in possible
            assert len(possible) > 1, f"{cell} can be worked out: {values}, hidden {sorted(sup.hidden)}"


grids = st.integers(2, 4).flatmap(
    lambda rows: st.integers(2, 4).flatmap(
        lambda cols: st.lists(st.lists(st.integers(0, 30), min_size=cols, max_size=cols), min_size=rows, max_size=rows)
    )
)


@settings(max_examples=200, deadline=None)
@given(grids, st.data())
def test_property_two_way_table_with_row_and_column_totals(parts: list[list[int]], data: st.DataObject) -> None:
    rows, cols = len(parts), len(parts[0])
    small = data.draw(st.lists(st.tuples(st.integers(0, rows - 1), st.integers(0, cols - 1)), max_size=3))
    for r, c in small:
        parts[r][c] = data.draw(st.integers(1, T - 1))
    # the table with a total column and a total row (and the grand total)
    values = [[*row, sum(row)] for row in parts]
    values.append([sum(values[r][c] for r in range(rows)) for c in range(cols + 1)])
    cons = [Constraint(tuple((r, c) for c in range(cols)), (r, cols)) for r in range(rows + 1)]
    cons += [Constraint(tuple((r, c) for r in range(rows)), (rows, c)) for c in range(cols + 1)]
    sensitive = [[r < rows and c < cols for c in range(cols + 1)] for r in range(rows + 1)]
    sup = suppress(values, sensitive, T, cons)
    for con in cons:
        assert sum(1 for c in con.cells() if c in sup.hidden) != 1
    assert not determined(values, sup.hidden, cons) & sup.primary


def test_determined_finds_a_cell_fixed_by_two_constraints_together() -> None:
    # a 2x2 table with row and column totals: hiding one whole row's cells leaves each fixed by its column total
    values = [[3, 4, 7], [10, 20, 30], [13, 24, 37]]
    cons = [
        Constraint(((0, 0), (0, 1)), (0, 2)),
        Constraint(((1, 0), (1, 1)), (1, 2)),
        Constraint(((0, 0), (1, 0)), (2, 0)),
        Constraint(((0, 1), (1, 1)), (2, 1)),
        Constraint(((0, 2), (1, 2)), (2, 2)),
    ]
    assert determined(values, {(0, 0), (0, 1)}, cons) == {(0, 0), (0, 1)}
    assert determined(values, {(0, 0), (0, 1), (1, 0), (1, 1)}, cons) == set()
