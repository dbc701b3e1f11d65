"""Guarantee 6, disclosure, end to end over the Pack model: for random stores, no public pack (any ward's, or the
borough overview) shows a count from 1 to threshold-1 in a sensitive theme, and no such count can be worked out from
what the packs show beside it. The attacker reads every public pack of the borough together: every table line with
a total (categories and their total, wards and the borough total) is an equation, values shown anywhere for the same
area, measure and period are known, and equations with one unknown are solved again and again until nothing new
follows. A hidden small count that can be solved this way is a disclosure."""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from desktop.analysis.periods import add_months
from desktop.reports.build import available_themes, build_overview, build_pack
from desktop.reports.model import BarChart, Pack, Table, Tiles, TrendChart
from desktop.reports.options import PackOptions
from desktop.settings import Settings
from desktop.store import open_store
from desktop.store.schema import derive_source_months

BOROUGH = "Westminster"
MONTHS = [add_months("2022-07", i) for i in range(36)]  # 36 complete months to 2025-06
SENSITIVE = [("SEXUAL OFFENCES", "RAPE"), ("SEXUAL OFFENCES", "OTHER SEXUAL OFFENCES")]
OTHER = [
    ("VIOLENCE AGAINST THE PERSON", "VIOLENCE WITH INJURY"),
    ("VIOLENCE AGAINST THE PERSON", "VIOLENCE WITHOUT INJURY"),
    ("THEFT", "THEFT FROM THE PERSON"),
    ("ROBBERY", "ROBBERY OF PERSONAL PROPERTY"),
    ("BURGLARY", "BURGLARY - RESIDENTIAL"),
]
THEMES = ["all_crime", "sexual_offences", "violence", "theft", "theft_person", "robbery", "burglary"]
COUNT_COLUMNS = {"Last 12 months", "Previous 12 months"}


def _norm(text: str) -> str:
    return re.sub(r"^total:\s*", "", str(text).strip().lower())


def _fill(db: Any, wards: list[tuple[str, str]], levels: list[list[int]], seed: int) -> dict[tuple[str, str], int]:
    """A store with `wards`; levels[w][c] is the yearly level of category c in ward w (sensitive ones small)."""
    rng = random.Random(seed)
    db.execute(
        "INSERT INTO source (id, kind, file_name, sha256, imported_at, first_month, last_month) "
        "VALUES (1, 'mps_crime', 'mps.csv', 'x', '2025-08-01T10:00:00', ?, ?)",
        [MONTHS[0], MONTHS[-1]],
    )
    for code, name in wards:
        db.execute(
            "INSERT INTO ward (code, name, borough_name, population) VALUES (?, ?, ?, 10000)", [code, name, BOROUGH]
        )
    rows = []
    for w, (code, _) in enumerate(wards):
        for c, (major, minor) in enumerate(SENSITIVE + OTHER):
            level = levels[w][c]
            for month in MONTHS:
                if c < len(SENSITIVE):  # a few events a year, scattered over the months
                    count = sum(1 for _ in range(level) if rng.random() < 1 / 12)
                else:
                    count = max(0, int(rng.gauss(level / 12, 1 + level / 60)))
                rows.append((1, code, month, "mps", major, minor, count))
    db.conn.executemany(
        "INSERT INTO crime_count (source_id, ward_code, month, taxonomy, category, subcategory, count) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    derive_source_months(db)  # what the importers record about each file's months
    db.conn.commit()
    return {}


def _theme_labels() -> dict[str, str]:
    return {t.key: t.label for t in available_themes()}


def _measure(short: str, labels: dict[str, str]) -> str:
    """A theme's label from the short name the overview uses ('Violence' -> 'violence against the person')."""
    name = _norm(short)
    full = sorted((_norm(label) for label in labels.values()), key=len)
    if name in full:
        return name
    words = set(name.split()) - {"the"}
    return next((label for label in full if words <= set(label.split())), name)


SENSITIVE_MEASURES = {"sexual offences", "rape", "other sexual offences"}


class Attacker:
    """What all the public packs show, as known cells and equations between cells."""

    def __init__(self, threshold: int) -> None:
        self.threshold = threshold
        self.primary = f"<{threshold}"
        self.known: dict[tuple[str, str, str], float] = {}
        self.hidden: dict[tuple[str, str, str], str] = {}
        self.lines: list[tuple[list[tuple[str, str, str]], tuple[str, str, str]]] = []
        # (last, previous, change): last = previous * (1 + change), from a "Change" or "+/-" column
        self.ratios: list[tuple[tuple[str, str, str], tuple[str, str, str], float]] = []
        self.shown_small: list[str] = []
        self.borough_small: list[str] = []  # a whole borough's small count: checked with borough_totals=True

    def _cell(self, key: tuple[str, str, str], value: Any, where: str) -> None:
        if isinstance(value, int | float) and not isinstance(value, bool):
            if key in self.known and self.known[key] != value:
                self.shown_small.append(f"{where}: {key} shown as {self.known[key]} and {value}")
            self.known[key] = float(value)
            if key[1] in SENSITIVE_MEASURES and 0 < value < self.threshold:
                small = self.borough_small if key[0] == BOROUGH else self.shown_small
                small.append(f"{where}: {key} = {value}")
        elif isinstance(value, str) and value:
            self.hidden[key] = value

    def read(self, pack: Pack, labels: dict[str, str]) -> None:
        area = pack.area_name
        for section in pack.sections:
            theme_key = section.key.split(":", 1)[1] if section.key.startswith("theme:") else ""
            sensitive_section = _norm(labels.get(theme_key, "")) in SENSITIVE_MEASURES
            for block in section.blocks:
                where = f"{pack.title} / {section.key}"
                if isinstance(block, Table):
                    self._table(block, area, labels, where)
                elif isinstance(block, TrendChart | BarChart) and sensitive_section:
                    small = [v for v in block.values if v is not None and 0 < v < self.threshold]
                    if small:
                        self.shown_small.append(f"{where}: chart '{block.title}' shows {small}")
                elif isinstance(block, Tiles):
                    for tile in block.tiles:
                        value = tile.value.replace(",", "")
                        if (
                            _norm(tile.label) in SENSITIVE_MEASURES
                            and value.isdigit()
                            and 0 < int(value) < self.threshold
                        ):
                            self.shown_small.append(f"{where}: tile {tile.label} = {tile.value}")

    def _table(self, table: Table, area: str, labels: dict[str, str], where: str) -> None:
        names = [c.name for c in table.columns]
        cols = [i for i, c in enumerate(table.columns) if c.name in COUNT_COLUMNS]
        keys: list[list[tuple[str, str, str] | None]] = []
        if table.key.startswith(("cat_", "glance")):
            for row in table.rows:
                keys.append([(area, _norm(row[0]), names[i]) if i in cols else None for i in range(len(names))])
        elif table.key.startswith("wards_"):
            measure = _norm(labels.get(table.key[len("wards_") :], table.key))
            for row in table.rows:
                row_area = BOROUGH if str(row[0]).startswith(BOROUGH) else str(row[0])
                keys.append([(row_area, measure, names[i]) if i in cols else None for i in range(len(names))])
        elif table.key == "themes_by_ward":
            for row in table.rows:
                row_area = BOROUGH if str(row[0]).startswith(BOROUGH) else str(row[0])
                keys.append(
                    [
                        (row_area, _measure(n, labels), "Last 12 months") if i and n != "+/-" else None
                        for i, n in enumerate(names)
                    ]
                )
                for i, n in enumerate(names):
                    change = row[i]
                    if n == "+/-" and isinstance(change, float | int) and change != -1:
                        measure = _measure(names[i - 1], labels)
                        last, prev = (row_area, measure, "Last 12 months"), (row_area, measure, "Previous 12 months")
                        self.ratios.append((last, prev, float(change)))
        else:
            return
        if "Change" in names and len(cols) == 2:
            ci = names.index("Change")
            for row, row_keys in zip(table.rows, keys, strict=True):
                change = row[ci]
                last, prev = row_keys[cols[0]], row_keys[cols[1]]
                if isinstance(change, float | int) and change != -1 and last and prev:
                    self.ratios.append((last, prev, float(change)))
        for row, row_keys in zip(table.rows, keys, strict=True):
            for value, key in zip(row, row_keys, strict=False):
                if key is not None:
                    self._cell(key, value, f"{where} / {table.key}")
        if table.total_row and len(keys) > 1:
            for i in range(len(names)):
                column = [k[i] for k in keys]
                if all(k is not None for k in column):
                    self.lines.append((column[:-1], column[-1]))  # type: ignore[arg-type]

    def solve(self) -> list[str]:
        """Solve one-unknown equations to a fixed point; return the small hidden counts that became known."""
        known = dict(self.known)
        changed = True
        while changed:
            changed = False
            for parts, total in self.lines:
                cells = [*parts, total]
                unknown = [k for k in cells if k not in known]
                if len(unknown) != 1:
                    continue
                (u,) = unknown
                parts_sum = sum(known[k] for k in parts if k in known)
                known[u] = known[total] - parts_sum if u != total else parts_sum
                changed = True
            for last, prev, change in self.ratios:
                if last in known and prev not in known:
                    known[prev] = round(known[last] / (1 + change), 6)
                    changed = True
                elif prev in known and last not in known:
                    known[last] = round(known[prev] * (1 + change), 6)
                    changed = True
        return [
            f"{key} hidden as '{self.hidden[key]}' is worked out as {known[key]:g}"
            for key in self.hidden
            if key in known and key not in self.known and 0 < known[key] < self.threshold
        ]


def _check_borough(
    wards: int, levels: list[list[int]], seed: int, threshold: int, *, borough_totals: bool = True
) -> dict[str, int]:
    db = open_store(":memory:")
    codes = [(f"E0500{9000 + i}", f"Ward {chr(65 + i)}") for i in range(wards)]
    _fill(db, codes, levels, seed)
    cfg = Settings(borough=BOROUGH, small_number_threshold=threshold, high_footfall_wards=[])
    options = PackOptions(themes=THEMES, public=True)
    labels = _theme_labels()
    attacker = Attacker(threshold)
    packs = [build_pack(db, code, options, cfg) for code, _ in codes]
    packs.append(build_overview(db, BOROUGH, options, cfg))
    for pack in packs:
        assert pack.mode == "public"
        attacker.read(pack, labels)
    db.close()
    problems = attacker.shown_small + attacker.solve() + (attacker.borough_small if borough_totals else [])
    assert not problems, "\n".join(problems[:10])
    return {"packs": len(packs), "hidden": len(attacker.hidden), "equations": len(attacker.lines)}


LEVELS = st.integers(2, 6).flatmap(
    lambda n: st.tuples(
        st.just(n),
        st.lists(
            st.tuples(
                *[st.integers(0, 8)] * len(SENSITIVE), *[st.sampled_from([0, 3, 40, 400, 2000])] * len(OTHER)
            ).map(list),
            min_size=n,
            max_size=n,
        ),
    )
)
# No shrinking: a failing example is printed as drawn (shrinking rebuilds packs hundreds of times).
COMMON = dict(
    derandomize=True,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
    phases=[Phase.explicit, Phase.generate],
)
# Found here and fixed by the builder (a7ac95a, one disclosure plan over every pack of the borough): an all-crime
# complement hidden as '[c]' was shown in the At a glance table, so total - the rest revealed sexual offences.
STATS = {"boroughs": 0, "packs": 0, "hidden": 0, "equations": 0}


def _run(case: tuple[int, list[list[int]]], seed: int, threshold: int) -> None:
    wards, levels = case
    got = _check_borough(wards, levels, seed, threshold)
    STATS["boroughs"] += 1
    for key in ("packs", "hidden", "equations"):
        STATS[key] += got[key]


@settings(max_examples=8, **COMMON)  # type: ignore[arg-type]
@given(case=LEVELS, seed=st.integers(0, 2**31), threshold=st.sampled_from([5, 10]))
def test_public_packs_never_disclose_small_counts_quick(
    case: tuple[int, list[list[int]]], seed: int, threshold: int
) -> None:
    _run(case, seed, threshold)


@pytest.mark.slow
@settings(max_examples=120, **COMMON)  # type: ignore[arg-type]
@given(case=LEVELS, seed=st.integers(0, 2**31), threshold=st.sampled_from([3, 5, 10]))
def test_public_packs_never_disclose_small_counts_long(
    case: tuple[int, list[list[int]]], seed: int, threshold: int
) -> None:
    _run(case, seed, threshold)


def test_finding_complement_shown_in_the_glance_table() -> None:
    """Regression (fixed in a7ac95a). The smallest store the property test found: two wards, Ward B has one 'other sexual offence' in the previous
    12 months. Ward B's all-crime table hides Theft (previous) as the complement, but its At a glance table shows
    Theft (previous) = 2, so sexual offences = total - the rest = 1."""
    _check_borough(2, [[0, 0, 0, 0, 0, 0, 0], [0, 1, 0, 0, 0, 0, 0]], seed=0, threshold=5)


@pytest.mark.slow
def test_disclosure_rate_over_realistic_boroughs_long() -> None:
    """60 seeded boroughs with realistic counts (other categories 40-2,000 a year): how many disclose (the figure in
    docs/reliability.md); every one must be clean."""
    rng = random.Random(1)
    failures, examples = 0, []
    for _ in range(60):
        wards = rng.randint(3, 6)
        levels = [
            [rng.randint(0, 8) for _ in SENSITIVE] + [rng.choice([40, 400, 2000]) for _ in OTHER] for _ in range(wards)
        ]
        try:
            _check_borough(wards, levels, rng.randint(0, 10**6), 5)
        except AssertionError as exc:
            failures += 1
            examples.append(str(exc).splitlines()[0])
    print(f"\ndisclosure over 60 realistic boroughs: {failures} disclose; e.g. {examples[:1]}")
    assert failures == 0


def test_finding_small_borough_total_is_shown() -> None:
    """Regression (found by the long profile): two wards whose sexual offences add up to 5 in the last 12 months;
    with threshold 10 each ward's count is hidden ('<10') and the borough total must be hidden too (it was shown)."""
    _check_borough(
        2, [[3, 2, 3, 40, 2000, 2000, 2000], [0, 4, 3, 0, 0, 2000, 400]], seed=1531, threshold=10, borough_totals=True
    )


def test_the_attacker_finds_a_disclosure_when_there_is_one() -> None:
    """The checker itself: a table with one small count hidden beside a shown total is caught."""
    from desktop.reports.model import Column, Section

    table = Table(
        "wards_sexual_offences",
        "t",
        [Column("Ward"), Column("Last 12 months", "int")],
        [["Ward A", "<5"], ["Ward B", 12], [f"{BOROUGH} (all wards)", 15]],
        total_row=True,
    )
    pack = Pack(
        "overview", "t", "x", BOROUGH, BOROUGH, "", "2025-06", "", "", "", "", sections=[Section("s", "s", [table])]
    )
    attacker = Attacker(5)
    attacker.read(pack, _theme_labels())
    assert attacker.solve() == ["('Ward A', 'sexual offences', 'Last 12 months') hidden as '<5' is worked out as 3"]


@pytest.fixture(scope="module", autouse=True)
def _stats() -> Iterator[None]:
    """Prints what the property test covered, once the module's tests are done (run with -s to see it)."""
    yield
    print(f"\ndisclosure property test: {STATS}")
