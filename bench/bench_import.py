"""Import benchmarks (issue 3): each case against a floor measured in the same run, on data generated here.

- 500k-row long crime CSV: `import_file` vs the floor `pd.read_csv` + one-transaction `executemany` of the same
  rows into `crime_count` (fresh store each time; goal <= 1.5x).
- Peak memory of that import (high-water RSS above the process's RSS just before it) vs the file size (goal <= 3x).
- 500k-row XLSX (a title row above the header): `import_file` vs a bare python-calamine read (goal <= 1.3x); vs
  that read plus the same one-transaction `executemany` (what storing the rows costs at the least); and the ratio
  to `pd.read_excel(engine="openpyxl")` (on the full file with --full, else on a 50k-row cut).
- London scale: monthly police.uk street files at full Met size (~90k rows): all imported into one store, vs the
  floor `pd.read_csv` + `executemany` of the same rows into `street_crime`; total time and peak memory. 36 files
  with --full, else 6.
Times are the best of `REPEATS` runs (the machine is shared, so the minimum is the fairest estimate).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench._data import (
    LONG_HEADER,
    london_lookup,
    long_crime_rows,
    write_long_crime_csv,
    write_policeuk_month,
    write_xlsx,
)

ROOT = Path(__file__).resolve().parent.parent
REPEATS = 2
N_ROWS = 500_000
POLICEUK_ROWS = 90_000

CHILD = r"""
import gc, json, sys, time
sys.path.insert(0, {root!r})
import pandas, numpy
from desktop.store import open_store
from desktop.importers import import_file
import desktop.importers.mps_crime, desktop.importers.policeuk, desktop.importers.detect
def status(key):
    for line in open('/proc/self/status'):
        if line.startswith(key):
            return int(line.split()[1]) * 1024
db = open_store({store!r})
gc.collect()
base = status('VmRSS')
t = time.perf_counter()
results = [import_file(db, p) for p in {paths!r}]
seconds = time.perf_counter() - t
print(json.dumps({{"seconds": seconds, "peak": status('VmHWM') - base, "ok": all(r.ok for r in results),
                  "rows": sum(r.rows_stored for r in results)}}))
"""


def best_of(n: int, func: Callable[[], float]) -> float:
    return min(func() for _ in range(n))


def fresh_store(tmp: Path) -> Any:
    from desktop.store import open_store

    path = tmp / f"store-{time.perf_counter_ns()}.db"
    return open_store(path)


def child_import(paths: list[Path], tmp: Path) -> dict[str, Any]:
    """Import in a fresh process: time, peak memory above the baseline, ok."""
    code = CHILD.format(
        root=str(ROOT), store=str(tmp / f"child-{time.perf_counter_ns()}.db"), paths=[str(p) for p in paths]
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def floor_crime_csv(path: Path, tmp: Path) -> float:
    import pandas as pd

    db = fresh_store(tmp)
    start = time.perf_counter()
    frame = pd.read_csv(path)
    with db.atomic():
        db.conn.execute("INSERT INTO source (id, kind, file_name, sha256, imported_at) VALUES (1, 'x', 'x', 'x', 'x')")
        db.conn.executemany(
            "INSERT INTO crime_count (source_id, ward_code, month, taxonomy, category, subcategory, count) "
            "VALUES (1, ?, ?, 'mps', ?, ?, ?)",
            zip(frame.ward_code, frame.month, frame.category, frame.subcategory, frame["count"].tolist(), strict=True),
        )
    seconds = time.perf_counter() - start
    db.close()
    return seconds


def floor_policeuk(paths: list[Path], tmp: Path) -> float:
    import pandas as pd

    db = fresh_store(tmp)
    start = time.perf_counter()
    for i, path in enumerate(paths, start=1):
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        with db.atomic():
            db.conn.execute(
                "INSERT INTO source (id, kind, file_name, sha256, imported_at) VALUES (?, 'x', 'x', ?, 'x')",
                [i, str(i)],
            )
            db.conn.executemany(
                "INSERT INTO street_crime (source_id, crime_id, month, force, lsoa_code, crime_type, last_outcome, "
                "location, longitude, latitude) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                zip(
                    [i] * len(frame),
                    frame["Crime ID"],
                    frame["Month"],
                    frame["Falls within"],
                    frame["LSOA code"],
                    frame["Crime type"],
                    frame["Last outcome category"],
                    frame["Location"],
                    frame["Longitude"],
                    frame["Latitude"],
                    strict=True,
                ),
            )
    seconds = time.perf_counter() - start
    db.close()
    return seconds


def import_once(paths: list[Path], tmp: Path) -> float:
    from desktop.importers import import_file

    db = fresh_store(tmp)
    start = time.perf_counter()
    for path in paths:
        result = import_file(db, path)
        if not result.ok:
            raise RuntimeError(result.summary())
    seconds = time.perf_counter() - start
    db.close()
    return seconds


def calamine_read(path: Path) -> float:
    from python_calamine import CalamineWorkbook

    start = time.perf_counter()
    CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    return time.perf_counter() - start


def calamine_read_and_write(path: Path, tmp: Path) -> float:
    """The XLSX floor with storing: a bare calamine read + one-transaction executemany of its rows."""
    from python_calamine import CalamineWorkbook

    db = fresh_store(tmp)
    start = time.perf_counter()
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    with db.atomic():
        db.conn.execute("INSERT INTO source (id, kind, file_name, sha256, imported_at) VALUES (1, 'x', 'x', 'x', 'x')")
        db.conn.executemany(
            "INSERT INTO crime_count (source_id, ward_code, month, taxonomy, category, subcategory, count) "
            "VALUES (1, ?, ?, 'mps', ?, ?, ?)",
            ((r[0], r[3], r[4], r[5], int(r[6])) for r in rows[3:]),
        )
    seconds = time.perf_counter() - start
    db.close()
    return seconds


def openpyxl_read(path: Path) -> float:
    import pandas as pd

    start = time.perf_counter()
    pd.read_excel(path, engine="openpyxl", header=2)
    return time.perf_counter() - start


def case(name: str, seconds: float, floor: float, goal: float | None, note: str = "") -> dict[str, Any]:
    return {
        "case": name,
        "seconds": seconds,
        "floor": floor,
        "ratio": seconds / floor if floor else float("nan"),
        "goal": goal,
        "note": note,
    }


def run(full: bool = False) -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="wardbrief-bench-") as name:
        tmp = Path(name)
        csv_path = write_long_crime_csv(tmp / "long-crime-500k.csv", N_ROWS)
        size = csv_path.stat().st_size
        floor = best_of(REPEATS, lambda: floor_crime_csv(csv_path, tmp))
        seconds = best_of(REPEATS, lambda: import_once([csv_path], tmp))
        cases.append(case("csv 500k rows: import vs read_csv+executemany", seconds, floor, 1.5))
        mem = child_import([csv_path], tmp)
        cases.append(
            case("csv 500k rows: peak memory MB vs file MB", mem["peak"] / 1e6, size / 1e6, 3.0, "MB, not seconds")
        )

        rows = long_crime_rows(N_ROWS)
        xlsx_path = write_xlsx(tmp / "long-crime-500k.xlsx", LONG_HEADER, rows, title="Ward crime counts")
        small = write_xlsx(tmp / "long-crime-50k.xlsx", LONG_HEADER, rows[:50_000], title="Ward crime counts")
        del rows
        floor = best_of(REPEATS, lambda: calamine_read(xlsx_path))
        seconds = best_of(REPEATS, lambda: import_once([xlsx_path], tmp))
        cases.append(case("xlsx 500k rows: import vs bare calamine read", seconds, floor, 1.3))
        floor = best_of(REPEATS, lambda: calamine_read_and_write(xlsx_path, tmp))
        cases.append(case("xlsx 500k rows: import vs calamine read+executemany", seconds, floor, None))
        target = xlsx_path if full else small
        label = "500k" if full else "50k"
        slow = openpyxl_read(target)
        mine = import_once([target], tmp)
        cases.append(case(f"xlsx {label} rows: import vs pd.read_excel(openpyxl)", mine, slow, None))

        n_files = 36 if full else 6
        lookup = london_lookup()
        files = [
            write_policeuk_month(tmp / f"2022-{i:02d}-metropolitan-street.csv", _month(i), POLICEUK_ROWS, lookup, i)
            for i in range(n_files)
        ]
        floor = floor_policeuk(files, tmp)
        london = child_import(files, tmp)
        total_mb = sum(f.stat().st_size for f in files) / 1e6
        cases.append(
            case(
                f"police.uk {n_files} x 90k rows: import vs read_csv+executemany",
                london["seconds"],
                floor,
                None,
                f"{london['rows']:,} rows",
            )
        )
        cases.append(
            case(
                f"police.uk {n_files} x 90k rows: peak memory MB vs one file MB",
                london["peak"] / 1e6,
                total_mb / n_files,
                None,
                "MB, not seconds",
            )
        )
    return cases


def _month(i: int) -> str:
    year, month = 2022 + i // 12, i % 12 + 1
    return f"{year}-{month:02d}"
