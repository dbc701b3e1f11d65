"""Shared helpers for the reliability tests: store dumps, integrity checks, a seeded store, child processes."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.reliability.workers import n_actions, parse_label

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
CORE_TABLES = ("source", "crime_count", "ward", "priority", "priority_action")


def dump(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (in rowid order), read through a fresh connection: the store's whole content."""
    conn = sqlite3.connect(str(path))
    try:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        return {t: conn.execute(f'SELECT * FROM "{t}" ORDER BY rowid').fetchall() for t in tables}
    finally:
        conn.close()


def integrity(path: Path) -> list[str]:
    conn = sqlite3.connect(str(path))
    try:
        return [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall()]
    finally:
        conn.close()


def seed_store(path: Path, *, tag: str = "a", n_priorities: int = 3) -> None:
    """A small but complete store: a source with its figures, wards, priorities with actions (written as the app does)."""
    from desktop.store import open_store
    from desktop.store.priorities import Action, Priority, save_priority
    from desktop.store.schema import derive_source_months

    db = open_store(path)
    try:
        with db.atomic():
            cur = db.execute(
                "INSERT INTO source (kind, file_name, sha256, imported_at, rows_read, rows_stored, first_month, last_month)"
                " VALUES ('mps_crime', ?, ?, '2025-07-01T10:00:00', 2, 2, '2025-05', '2025-06')",
                [f"crime-{tag}.csv", f"sha-{tag}"],
            )
            sid = cur.lastrowid
            db.execute(
                "INSERT OR IGNORE INTO ward (code, name, borough_code, borough_name, population, source_id)"
                " VALUES ('E05013806', 'West End', 'E09000033', 'Westminster', 13000, ?)",
                [sid],
            )
            for month, count in (("2025-05", 120), ("2025-06", 97)):
                db.execute(
                    "INSERT INTO crime_count (source_id, ward_code, month, taxonomy, category, subcategory, count)"
                    " VALUES (?, 'E05013806', ?, 'mps', 'THEFT', 'THEFT FROM THE PERSON', ?)",
                    [sid, month, count],
                )
            derive_source_months(db)
        for i in range(n_priorities):
            prio = Priority(
                None,
                "E05013806",
                f"Priority {tag}{i}: phone snatching <b>&</b> 'quotes'",
                theme="theft",
                set_on="2025-04-01",
                status="closed" if i == 0 else "open",
                review_date="2025-10-01",
                measure_before="1,204",
                measure_after="1,560",
                notes=f"Notes {tag}{i}\nsecond line, unicode: caf\u00e9 \u2013 \u00a3",
            )
            prio.actions = [Action(None, f"Action {tag}{i}.{j}", owner="SNT", due="2025-06-30") for j in range(i + 1)]
            save_priority(db, prio)
    finally:
        db.close()


def child_env(data_dir: Path | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env["QT_QPA_PLATFORM"] = "offscreen"
    if data_dir is not None:
        env["WARDBRIEF_DATA_DIR"] = str(data_dir)
    return env


def run_cli(args: list[str], data_dir: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """`wardbrief ARGS` in a child process against `data_dir`."""
    return subprocess.run(
        [
            PYTHON,
            "-c",
            "import sys; from desktop.cli import main; sys.exit(main())",
            "--data-dir",
            str(data_dir),
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=child_env(),
        cwd=str(ROOT),
    )


def spawn(command: str, *args: str) -> subprocess.Popen[str]:
    """Start `python -m tests.reliability.workers COMMAND ARGS` with its stdout piped."""
    return subprocess.Popen(
        [PYTHON, "-m", "tests.reliability.workers", command, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=child_env(),
        cwd=str(ROOT),
    )


def wait_for_line(proc: subprocess.Popen[str], expected: str, timeout: float = 60) -> str:
    """Block until the child prints a line starting with `expected` (fail on exit or timeout)."""
    import time

    assert proc.stdout is not None
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        line = proc.stdout.readline()
        if not line:
            stderr = proc.stderr.read() if proc.stderr else ""
            raise AssertionError(f"child exited before printing {expected!r}: {stderr[-2000:]}")
        if line.startswith(expected):
            return line.strip()
    raise AssertionError(f"child did not print {expected!r} within {timeout} s")


def kill_and_collect(proc: subprocess.Popen[str]) -> list[str]:
    """SIGKILL the child (if still running) and return the rest of what it printed."""
    import signal

    if proc.poll() is None:
        proc.send_signal(signal.SIGKILL)
    # read through the text streams, not communicate(): communicate reads the pipes' file descriptors and so loses
    # what wait_for_line's readline already pulled into the stream's buffer (the child's first lines after
    # "ready", when it wrote them quickly: seen as an acknowledged delete of a priority never acknowledged put)
    out = proc.stdout.read() if proc.stdout else ""
    if proc.stderr:
        proc.stderr.read()
    proc.wait(30)
    return [line for line in out.splitlines() if line]


def stored_priorities(path: Path, tag: str) -> dict[int, int]:
    """key -> version of this trial's priorities, checking each one is whole."""
    conn = sqlite3.connect(str(path))
    try:
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == [], "orphan actions"
        out: dict[int, int] = {}
        for pid, title, notes in conn.execute("SELECT id, title, notes FROM priority WHERE title LIKE ?", [tag + "|%"]):
            _t, key, ver = parse_label(title)
            assert notes.startswith(title + " "), "title and notes from different versions"
            texts = sorted(r[0] for r in conn.execute("SELECT text FROM priority_action WHERE priority_id = ?", [pid]))
            assert texts == sorted(f"{title}|{j}" for j in range(n_actions(key, ver))), (
                f"priority {key} is half-written"
            )
            assert key not in out, f"priority {key} stored twice"
            out[key] = ver
        return out
    finally:
        conn.close()


def check_priorities_against_log(path: Path, tag: str, lines: list[str]) -> bool:
    """Check the store after a kill against what the child acknowledged. Returns whether the kill landed inside a
    write (the child's last line was `begin ...`)."""
    acked: dict[int, int] = {}
    for line in lines:
        parts = line.split()
        if parts[:2] == ["ok", "put"]:
            acked[int(parts[2])] = int(parts[3])
        elif parts[:2] == ["ok", "del"]:
            acked.pop(int(parts[2]))
    last = lines[-1].split() if lines else []
    in_flight = last[:1] == ["begin"]
    stored = stored_priorities(path, tag)
    for key, ver in acked.items():
        if in_flight and last[1] == "del" and int(last[2]) == key:
            assert stored.get(key) in (None, ver)
            continue
        assert key in stored, f"acknowledged priority {key} was lost"
        allowed = {ver}
        if in_flight and last[1] == "put" and int(last[2]) == key:
            allowed.add(int(last[3]))
        assert stored[key] in allowed, f"acknowledged edit of priority {key} was lost"
    for key in set(stored) - set(acked):
        assert in_flight and last[1:3] == ["put", str(key)] and last[3] == "0", f"priority {key} came from nowhere"
    return in_flight


MET_NEW = "mps-ward-crime/MPS_Ward_Level_Crime_most_recent_24_months_202307-202506.csv"
MET_OLD = "mps-ward-crime/MPS_Ward_Level_Crime_most_recent_24_months_202009-202208.csv"


def signature(path: Path) -> dict[str, Any]:
    """What an import or a removal changes, in a form two stores can be compared by (ids and times left out)."""
    conn = sqlite3.connect(str(path))
    try:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                "AND name != '_sqlite_migrations' ORDER BY name"
            )
        ]
        sig: dict[str, Any] = {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
        sig["crime_count:sums"] = conn.execute(
            "SELECT total(count), total(current), count(superseded_by), total(partial) FROM crime_count"
        ).fetchone()
        sig["source:rows"] = sorted(
            conn.execute("SELECT sha256, kind, status, rows_read, rows_stored, first_month, last_month FROM source")
        )
        sig["ward:populated"] = conn.execute("SELECT count(population) FROM ward").fetchone()[0]
        return sig
    finally:
        conn.close()


def copy_store(src: Path, dest: Path) -> Path:
    """A consistent copy of a store file (SQLite's online backup)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    a, b = sqlite3.connect(str(src)), sqlite3.connect(str(dest))
    try:
        a.backup(b)
    finally:
        a.close()
        b.close()
    return dest


def revised_edition(original: Path, target: Path, months: int = 6) -> Path:
    """A made-up later revision of a Met wide extract: the same months, the last `months` columns' counts + 1.

    Imported after the original it supersedes those figures; removing it must bring the original's back."""
    import csv

    with original.open(newline="", encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh))
    head = rows[0]
    cols = [i for i, name in enumerate(head) if name.isdigit()][-months:]
    for row in rows[1:]:
        for i in cols:
            if i < len(row) and row[i].strip().isdigit():
                row[i] = str(int(row[i]) + 1)
    with target.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    return target


def head_rows(original: Path, target: Path, rows: int) -> Path:
    """The header and about the first `rows` data rows of a CSV extract (a smaller real file for quick profiles),
    ending with a whole ward: a Met file cut part-way through a ward's rows is refused as cut off."""
    import csv

    with original.open(newline="", encoding="utf-8-sig") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        kept = [row for _, row in zip(range(rows + 60), reader, strict=False)]
    code = header.index("WardCode") if "WardCode" in header else None
    if code is not None and len(kept) > rows:
        end = rows
        while end < len(kept) and kept[end][code] == kept[end - 1][code]:
            end += 1  # finish the ward the cut fell in
        kept = kept[:end]
    else:
        kept = kept[:rows]
    with target.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([header, *kept])
    return target
