"""Stop and search records into wards by point-in-polygon (police.uk publishes no LSOA for them).

Run at the end of a stop and search import (its own rows) and of a ward boundary import (every record not yet in a
ward). Records outside every ward in the store (another force's area, or no boundaries yet) keep no ward.
"""

from __future__ import annotations

from sqlite_utils import Database

from desktop import geo
from desktop.store import places


def place_stop_searches(db: Database, source_id: int | None = None) -> int:
    """Put unplaced stop and search records in the ward holding their coordinates; returns how many were placed."""
    todo = places.unplaced_searches(db, source_id)
    if not todo or not places.has_boundaries(db, "ward"):
        return 0
    lon = [t[1] for t in todo]
    lat = [t[2] for t in todo]
    near = (min(lon), min(lat), max(lon), max(lat))
    wards = places.shapes(db, "ward", near=near)
    codes = geo.place(wards, lon, lat)
    rows = [(code, t[0]) for t, code in zip(todo, codes, strict=True) if code is not None]
    db.conn.executemany("UPDATE stop_search SET ward_code = ? WHERE id = ?", rows)
    return len(rows)
