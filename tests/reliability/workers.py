"""Child-process workers for the crash and two-process tests: `python -m tests.reliability.workers COMMAND ...`.

Every worker prints `ready` once the store is open, then one line per committed unit of work (flushed), so the
parent knows exactly what was acknowledged before it killed the process.
"""

from __future__ import annotations

import os
import random
import sys
import time
from pathlib import Path

PRIORITY_WARD = "E05013806"


def n_actions(key: int, ver: int) -> int:
    return (key * 7 + ver) % 6 + 1


def make_priority(tag: str, key: int, ver: int, pid: int | None = None):  # type: ignore[no-untyped-def]
    """Priority `key` at version `ver`: title, notes and every action carry the same (key, ver) label."""
    from desktop.store.priorities import Action, Priority

    label = f"{tag}|{key}|{ver}"
    prio = Priority(pid, PRIORITY_WARD, label, theme="theft", notes=label + " " + "n" * 20000)
    prio.actions = [Action(None, f"{label}|{j}", owner="SNT " + "o" * 2000) for j in range(n_actions(key, ver))]
    return prio


def parse_label(text: str) -> tuple[str, int, int]:
    tag, key, ver = text.split("|")[:3]
    return tag, int(key), int(ver)


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def priorities(db_path: str, tag: str, count: str, seed: str) -> None:
    """Insert, update and delete priorities in a loop (count 0 = until killed)."""
    from desktop.store import StoreBusy, open_store
    from desktop.store.priorities import delete_priority, save_priority

    rng = random.Random(int(seed))
    db = open_store(db_path)
    if os.environ.get("WARDBRIEF_TEST_SABOTAGE") == "no-transaction":  # proves the kill test can fail
        import contextlib

        import desktop.store.priorities as module

        db.conn.isolation_level = None
        module.write_transaction = lambda db: contextlib.nullcontext(db)  # type: ignore[assignment]
    ids: dict[int, int] = {}
    vers: dict[int, int] = {}
    say("ready")
    i = 0
    limit = int(count)
    while limit == 0 or i < limit:
        try:
            if i % 10 == 9 and ids:
                key = rng.choice(sorted(ids))
                say(f"begin del {key}")
                delete_priority(db, ids.pop(key))
                vers.pop(key)
                say(f"ok del {key}")
            elif i % 2 == 0 or not ids:
                key = i
                say(f"begin put {key} 0")
                ids[key] = save_priority(db, make_priority(tag, key, 0))
                vers[key] = 0
                say(f"ok put {key} 0")
            else:
                key = rng.choice(sorted(ids))
                ver = vers[key] + 1
                say(f"begin put {key} {ver}")
                save_priority(db, make_priority(tag, key, ver, ids[key]))
                vers[key] = ver
                say(f"ok put {key} {ver}")
        except StoreBusy as exc:
            say(f"busy {exc}")
        i += 1
    db.close()
    say("done")


def reader(db_path: str, seconds: str) -> None:
    """Read every priority again and again; report reads that saw a half-written priority."""
    from desktop.store import open_store
    from desktop.store.priorities import list_priorities

    db = open_store(db_path)
    say("ready")
    reads = bad = 0
    end = time.monotonic() + float(seconds)
    while time.monotonic() < end:
        for prio in list_priorities(db, PRIORITY_WARD):
            _tag, key, ver = parse_label(prio.title)
            texts = [a.text for a in prio.actions]
            if sorted(texts) != sorted(f"{prio.title}|{j}" for j in range(n_actions(key, ver))):
                bad += 1
        reads += 1
    say(f"reads {reads} bad {bad}")


def hold_lock(db_path: str, seconds: str) -> None:
    """Take the store's write lock and keep it (as a long import in another window would)."""
    from desktop.store import open_store

    db = open_store(db_path)
    db.execute("BEGIN IMMEDIATE")
    db.execute("INSERT INTO priority (ward_code, title) VALUES ('E05013806', 'held')")
    say("locked")
    time.sleep(float(seconds))
    db.conn.rollback()
    say("released")


def import_files(db_path: str, *files: str) -> None:
    from desktop.importers import import_file
    from desktop.store import open_store

    db = open_store(db_path)
    say("ready")
    for name in files:
        result = import_file(db, Path(name))
        say(f"result {result.status} {result.message!r}")


def remove(db_path: str, source_id: str) -> None:
    from desktop.importers.sources import remove_source
    from desktop.store import open_store

    db = open_store(db_path)
    say("ready")
    say("result " + remove_source(db, int(source_id)).replace("\n", " "))


COMMANDS = {
    "priorities": priorities,
    "reader": reader,
    "hold-lock": hold_lock,
    "import": import_files,
    "remove": remove,
}

if __name__ == "__main__":
    COMMANDS[sys.argv[1]](*sys.argv[2:])
