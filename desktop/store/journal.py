"""A rollback journal beside the store that is not the store's own is set aside, never played back (Qt-free).

SQLite replays a "hot" `<store>-journal` into the database it finds it beside, whatever database wrote it: a journal
copied in with another `wardbrief.db`, or left by another program, overwrites our pages with its own and leaves the
store malformed. The store runs in WAL mode, so it never has a rollback journal of its own once it has been opened;
for a store still in rollback mode (a file just restored from a backup), a journal whose page size or first page
does not match the store cannot be its own either. Such a journal is moved into `backups/` with a note beside it,
before SQLite can see it.
"""

from __future__ import annotations

import logging
import os
import struct
from datetime import datetime
from pathlib import Path

log = logging.getLogger(__name__)

JOURNAL_MAGIC = bytes.fromhex("d9d505f920a163d7")
SQLITE_MAGIC = b"SQLite format 3\x00"


def _page_size(raw: int) -> int:
    return 65536 if raw == 1 else raw


def foreign_reason(db_path: Path, journal: Path) -> str | None:
    """Why `journal` cannot belong to the store at `db_path` (None when it may be its own, or is not hot)."""
    try:
        with journal.open("rb") as fh:
            head = fh.read(28)
            if not head.startswith(JOURNAL_MAGIC):
                return None  # not hot: SQLite ignores it
            sector = struct.unpack(">I", head[20:24])[0] or 512
            journal_page = struct.unpack(">I", head[24:28])[0]
            fh.seek(sector)
            first_record = fh.read(4 + 100)
        with db_path.open("rb") as fh:
            header = fh.read(100)
    except OSError:
        return None
    if len(header) < 100 or not header.startswith(SQLITE_MAGIC):
        return "the store has no database header for it to belong to"
    if header[18] == 2:  # file format write version 2 = WAL
        return "the store is in WAL mode and never writes a rollback journal"
    store_page = _page_size(struct.unpack(">H", header[16:18])[0])
    if journal_page and journal_page != store_page:
        return f"its page size ({journal_page:,} bytes) is not the store's ({store_page:,} bytes)"
    if len(first_record) == 104 and struct.unpack(">I", first_record[:4])[0] == 1:
        page_one = first_record[4:]
        if not page_one.startswith(SQLITE_MAGIC):
            return "its copy of the first page is not an SQLite header"
        counter = struct.unpack(">I", header[24:28])[0]
        journal_counter = struct.unpack(">I", page_one[24:28])[0]
        if journal_counter not in (counter, counter - 1):
            return "its copy of the first page is from another database (or a much older state of this one)"
    return None


def set_aside_foreign_journal(db_path: Path, folder: Path) -> Path | None:
    """Move a `-journal` that is not the store's own into `folder`, with a note; return where it went (or None)."""
    journal = db_path.with_name(db_path.name + "-journal")
    if not journal.is_file() or not db_path.exists():
        return None
    reason = foreign_reason(db_path, journal)
    if reason is None:
        return None
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    aside = folder / f"{db_path.name}-journal-set-aside-{stamp}-{os.getpid()}"
    os.replace(journal, aside)
    note = aside.with_name(aside.name + ".txt")
    note.write_text(
        f"WardBrief found this file beside the store as {journal.name} on {datetime.now():%d %B %Y at %H:%M}.\n"
        f"It is a rollback journal that did not belong to the store ({reason}),\n"
        "so it was moved here instead of letting SQLite play it back into the store, which would damage it.\n"
        "The store was not changed. You can delete this file and this note.\n",
        encoding="utf-8",
    )
    log.warning("set aside a rollback journal that is not the store's own (%s): %s -> %s", reason, journal, aside)
    return aside


__all__ = ["set_aside_foreign_journal", "foreign_reason"]
