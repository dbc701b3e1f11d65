"""Guarantee 3, hostile and broken files: property-based (hypothesis) and seeded mutation fuzzing of every importer
kind. Every outcome must be a clean import or a failed ImportResult with a message a user can act on - never
another exception, never a hang, never a change to the store when it failed. See fuzz.py for the checks."""

from __future__ import annotations

import csv
import random
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.store import open_store
from tests.reliability import fuzz

QUICK_VARIANTS = 1  # per seed file and mutator
LONG_VARIANTS = 12
QUICK_EXAMPLES = 40
LONG_EXAMPLES = 600

SEEDS = fuzz.seed_files()
XLSX = fuzz.xlsx_seeds()
HEADERS = sorted({name for data in SEEDS.values() for name in (fuzz.csv_rows(data) or [[]])[0] if name})


TOTAL = fuzz.Tally()


@pytest.fixture
def harness(module_harness: fuzz.Harness) -> Iterator[fuzz.Harness]:
    """The module's harness with a fresh tally for this test (so one test's finding fails only that test)."""
    module_harness.tally = fuzz.Tally()
    yield module_harness
    TOTAL.merge(module_harness.tally)


@pytest.fixture(scope="module")
def module_harness(tmp_path_factory: pytest.TempPathFactory) -> fuzz.Harness:
    from desktop.importers import import_file

    folder = tmp_path_factory.mktemp("fuzz")
    base = folder / "base.db"
    db = open_store(base)
    for name in (
        "01_Ward_to_LAD_Dec2023_ONS_Westminster.csv",
        "02_westminster_2022wards_census2021_pop_DERIVED_bestfit.csv",
    ):
        assert import_file(db, fuzz.ROOT / "resources" / "demo" / name).ok
    db.close()
    return fuzz.Harness(base, folder)


def _check(harness: fuzz.Harness, what: str) -> None:
    print(f"\n{what}: {harness.tally.report()}")
    assert not harness.tally.problems, harness.tally.report()


def test_every_seed_file_imports_cleanly_unmutated(harness: fuzz.Harness) -> None:
    """The seeds are good files, so the fuzzing starts from real imports (one seed per kind at least)."""
    kinds = set()
    for name, data in {**SEEDS, **XLSX}.items():
        result = harness.run(name, data, ".xlsx" if name.endswith(".xlsx") else ".csv")
        if result is not None and result.ok:
            kinds.add(result.kind)
    assert {"mps_crime", "asb", "surveys", "priorities", "pas", "lfb_incidents", "ward_lookup"} <= kinds, kinds
    _check(harness, "seeds")


def _mutation_run(harness: fuzz.Harness, variants: int, seed: int) -> None:
    rng = random.Random(seed)
    for name, data in SEEDS.items():
        for mutator_name, mutate in fuzz.CSV_MUTATORS.items():
            for v in range(variants):
                harness.run(f"{name} + {mutator_name} #{v}", mutate(rng, data))
    for name, data in XLSX.items():
        for mutator_name, mutate in fuzz.XLSX_MUTATORS.items():
            for v in range(variants * 3):
                harness.run(f"{name} + {mutator_name} #{v}", mutate(rng, data), ".xlsx")
        for mutator_name in ("special-cells", "1MB-cell", "header", "lines"):
            if name.startswith("demo/"):
                csv_data = SEEDS[name.replace(".xlsx", ".csv")]
                for v in range(variants):
                    mutated = fuzz.CSV_MUTATORS[mutator_name](rng, csv_data)
                    harness.run(
                        f"{name} + xlsx-{mutator_name} #{v}", fuzz.csv_to_xlsx(mutated, sheet_first=True), ".xlsx"
                    )


def test_mutation_fuzzing_quick(harness: fuzz.Harness) -> None:
    _mutation_run(harness, QUICK_VARIANTS, seed=3)
    _check(harness, "mutation fuzzing (quick)")


@pytest.mark.slow
def test_mutation_fuzzing_long(harness: fuzz.Harness) -> None:
    _mutation_run(harness, LONG_VARIANTS, seed=303)
    _check(harness, "mutation fuzzing (long)")


def test_truncations_of_the_real_files(harness: fuzz.Harness, shared_data: Path) -> None:
    """Whole real files cut short at seeded points (a download cut short in transfer)."""
    rng = random.Random(5)
    for path in sorted(shared_data.glob("*/*.csv")):
        data = path.read_bytes()
        if len(data) > 3_000_000:
            continue  # the big editions are cut in the long profile
        for _ in range(2):
            harness.run(f"{path.name} cut", data[: rng.randrange(1, len(data))])
    _check(harness, "truncations")


# --- hypothesis ----------------------------------------------------------------------------------------------

CELL = st.one_of(
    st.sampled_from(fuzz.SPECIAL_CELLS),
    st.integers(-(10**15), 10**15).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.text(st.characters(exclude_categories=("Cs",)), max_size=40),
    st.tuples(st.dates(), st.sampled_from(["%Y-%m", "%Y%m", "%d/%m/%Y", "%Y-%m-%d", "%d %b %Y"])).map(
        lambda t: t[0].strftime(t[1])
    ),
)
HEADER = st.one_of(st.sampled_from(HEADERS), st.text(max_size=20))
ENCODING = st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16"])
QUOTING = st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONNUMERIC])


def _encode(rows: list[list[str]], encoding: str, quoting: int, delimiter: str) -> bytes:
    try:
        text = fuzz.rows_to_csv(rows, delimiter=delimiter, quoting=quoting)
    except (csv.Error, ValueError):
        text = fuzz.rows_to_csv(rows, delimiter=delimiter)
    return text.encode(encoding, errors="replace")


def _random_tables(harness: fuzz.Harness, headers, rows, encoding, quoting, delimiter) -> None:  # type: ignore[no-untyped-def]
    table = [headers] + [[row[i % len(row)] if row else "" for i in range(len(headers))] for row in rows]
    harness.run("hypothesis random table", _encode(table, encoding, quoting, delimiter))


def _real_header_random_cells(harness: fuzz.Harness, seed_name, edits, encoding, quoting) -> None:  # type: ignore[no-untyped-def]
    rows = fuzz.csv_rows(SEEDS[seed_name])[:12]
    for r, c, value in edits:
        row = rows[r % len(rows)]
        if row:
            row[c % len(row)] = value
    harness.run(f"hypothesis {seed_name}", _encode(rows, encoding, quoting, ","))


TABLES = dict(
    headers=st.lists(HEADER, min_size=1, max_size=12),
    rows=st.lists(st.lists(CELL, max_size=12), max_size=15),
    encoding=ENCODING,
    quoting=QUOTING,
    delimiter=st.sampled_from([",", ";", "\t"]),
)
EDITS = dict(
    seed_name=st.sampled_from(sorted(SEEDS)),
    edits=st.lists(st.tuples(st.integers(0, 11), st.integers(0, 40), CELL), min_size=1, max_size=10),
    encoding=ENCODING,
    quoting=QUOTING,
)
QUICK = settings(
    max_examples=QUICK_EXAMPLES, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck), database=None
)
LONG = settings(max_examples=LONG_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)


@QUICK
@given(**TABLES)
def test_random_tables_quick(harness: fuzz.Harness, **kw) -> None:  # type: ignore[no-untyped-def]
    _random_tables(harness, **kw)
    assert not harness.tally.problems, harness.tally.report()


@QUICK
@given(**EDITS)
def test_real_headers_random_cells_quick(harness: fuzz.Harness, **kw) -> None:  # type: ignore[no-untyped-def]
    _real_header_random_cells(harness, **kw)
    assert not harness.tally.problems, harness.tally.report()


@pytest.mark.slow
@LONG
@given(**TABLES)
def test_random_tables_long(harness: fuzz.Harness, **kw) -> None:  # type: ignore[no-untyped-def]
    _random_tables(harness, **kw)
    assert not harness.tally.problems, harness.tally.report()


@pytest.mark.slow
@LONG
@given(**EDITS)
def test_real_headers_random_cells_long(harness: fuzz.Harness, **kw) -> None:  # type: ignore[no-untyped-def]
    _real_header_random_cells(harness, **kw)
    assert not harness.tally.problems, harness.tally.report()


@pytest.fixture(scope="module", autouse=True)
def _tally() -> Iterator[None]:
    """Prints how many cases this module ran, once its tests are done (run with -s to see it)."""
    yield
    print(f"\nfuzzing total: {TOTAL.report()}")
