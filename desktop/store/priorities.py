"""Panel priorities and their actions: read and edit (Qt-free; the Priorities page and the pack call these)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

from desktop.store import read_snapshot, write_transaction

PRIORITY_FIELDS = (
    "title",
    "theme",
    "set_on",
    "status",
    "review_date",
    "measure_before",
    "measure_after",
    "notes",
)
ACTION_FIELDS = ("text", "owner", "due", "done_on")


@dataclass
class Action:
    id: int | None
    text: str
    owner: str = ""
    due: str | None = None
    done_on: str | None = None


@dataclass
class Priority:
    id: int | None
    ward_code: str
    title: str
    theme: str = ""
    set_on: str | None = None
    status: str = "open"
    review_date: str | None = None
    measure_before: str = ""
    measure_after: str = ""
    notes: str = ""
    actions: list[Action] = field(default_factory=list)


def _now_sql() -> str:
    return "strftime('%Y-%m-%dT%H:%M:%S', 'now')"


def list_priorities(db: Database, ward_code: str, include_closed: bool = True) -> list[Priority]:
    sql = "SELECT * FROM priority WHERE ward_code = ?"
    if not include_closed:
        sql += " AND status = 'open'"
    sql += " ORDER BY status = 'closed', COALESCE(set_on, ''), id"
    out: list[Priority] = []
    with read_snapshot(db):  # a priority and its actions as one edit left them, even while another window saves
        for row in list(db.query(sql, [ward_code])):
            prio = Priority(id=row["id"], ward_code=row["ward_code"], **{k: row[k] for k in PRIORITY_FIELDS})
            prio.actions = [
                Action(id=a["id"], **{k: a[k] for k in ACTION_FIELDS})
                for a in db.query(
                    "SELECT * FROM priority_action WHERE priority_id = ? ORDER BY COALESCE(due, ''), id",
                    [row["id"]],
                )
            ]
            out.append(prio)
    return out


def save_priority(db: Database, prio: Priority) -> int:
    """Insert or update a priority and replace its actions, in one transaction. Returns its id.

    Raises StoreBusy (a WardBriefError) when another process holds the store's write lock for too long."""
    if not prio.title.strip():
        raise ValueError("A priority needs a title.")
    if prio.status not in ("open", "closed"):
        raise ValueError("Status must be 'open' or 'closed'.")
    values: dict[str, Any] = {k: getattr(prio, k) for k in PRIORITY_FIELDS}
    with write_transaction(db):
        if prio.id is None:
            cols = ", ".join(["ward_code", *values])
            marks = ", ".join("?" for _ in range(len(values) + 1))
            cur = db.execute(f"INSERT INTO priority ({cols}) VALUES ({marks})", [prio.ward_code, *values.values()])
            prio.id = int(cur.lastrowid or 0)
        else:
            sets = ", ".join(f"{k} = ?" for k in values)
            db.execute(
                f"UPDATE priority SET {sets}, updated_at = {_now_sql()} WHERE id = ?",
                [*values.values(), prio.id],
            )
        db.execute("DELETE FROM priority_action WHERE priority_id = ?", [prio.id])
        for action in prio.actions:
            if not action.text.strip():
                continue
            cur = db.execute(
                "INSERT INTO priority_action (priority_id, text, owner, due, done_on) VALUES (?, ?, ?, ?, ?)",
                [prio.id, action.text, action.owner, action.due, action.done_on],
            )
            action.id = int(cur.lastrowid or 0)
    return prio.id


def delete_priority(db: Database, priority_id: int) -> None:
    with write_transaction(db):
        db.execute("DELETE FROM priority WHERE id = ?", [priority_id])
