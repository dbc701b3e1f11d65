"""Ward and LSOA boundaries (GeoJSON from the ONS Open Geography Portal, or any file with the same properties).

The level comes from the properties: an LSOA code (LSOA21CD...) makes it an LSOA file, else a ward code (WD22CD...)
a ward file; the name is the matching ...NM, the borough the LADyyCD/LADyyNM pair when present. Coordinates in
British National Grid (metres) are turned into WGS84 lon/lat (desktop/geo.py); lon/lat are kept as they are. A
feature with no code or no polygon is a rejected row. After the file is stored, stop and search records not yet in
a ward are placed by point-in-polygon (importers/placement.py).
"""

from __future__ import annotations

import json
import re
from typing import Any

from desktop import geo
from desktop.importers.errors import ImportFailed
from desktop.importers.job import ImportJob
from desktop.importers.placement import place_stop_searches

INSERT = (
    "INSERT INTO boundary (source_id, level, code, name, parent_code, parent_name, min_lon, min_lat, max_lon, "
    "max_lat, geometry) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
CODE = re.compile(r"^[EWSN]\d{8}$")


def _key(props: dict[str, Any], pattern: str) -> str | None:
    rx = re.compile(pattern, re.IGNORECASE)
    return next((k for k in props if rx.match(k.strip())), None)


def _columns(props: dict[str, Any]) -> tuple[str, str, str | None, str | None, str | None]:
    lsoa = _key(props, r"^lsoa\d\dcd$")
    code = lsoa or _key(props, r"^wd\d\dcd$")
    if code is None:
        raise ImportFailed(
            "The boundary file's features carry no ward or LSOA code (WD22CD, LSOA21CD...).",
            "Export the boundaries with their code property, then import the file again.",
        )
    name = _key(props, "^" + code[:-2] + "nm$")
    return ("lsoa" if lsoa else "ward"), code, name, _key(props, r"^lad\d\dcd$"), _key(props, r"^lad\d\dnm$")


def import_boundaries(job: ImportJob) -> None:
    features = job.table.features or []
    first = features[0].get("properties") or {}
    level, code_key, name_key, lad_key, lad_name_key = _columns(first)
    rows: list[tuple[Any, ...]] = []
    grid = None
    for index, feature in enumerate(features, start=1):
        job.rows_read += 1
        props = feature.get("properties") or {}
        code = str(props.get(code_key) or "").strip().upper()
        if not CODE.match(code):
            job.reject(index, code_key, code, "not a valid ONS code")
            continue
        polygons = geo.polygons_of(feature.get("geometry") or {})
        if not polygons:
            job.reject(index, "geometry", code, "no polygon (a Polygon or MultiPolygon is needed)")
            continue
        if grid is None:
            grid = geo.is_grid(polygons)
        if grid:
            polygons = geo.to_wgs84(polygons)
        shape = geo.Shape(code, "", polygons)
        x0, y0, x1, y1 = shape.bbox
        if not (-180 <= x0 <= x1 <= 180 and -90 <= y0 <= y1 <= 90):
            job.reject(index, "geometry", code, "coordinates are neither lon/lat nor British National Grid")
            continue

        def text(key: str | None, props: dict[str, Any] = props) -> str | None:
            return str(props.get(key) or "").strip() or None if key else None

        geometry = json.dumps([[[[round(x, 6), round(y, 6)] for x, y in ring] for ring in p] for p in polygons])
        rows.append((level, code, text(name_key), text(lad_key), text(lad_name_key), x0, y0, x1, y1, geometry))
        if index % 200 == 0:
            job.step(f"reading boundaries ({index:,} of {len(features):,})")
    job.check_policy()
    job.step("storing boundaries")
    job.write(INSERT, [(job.source_id, *r) for r in rows])
    job.rows_stored += len(rows)
    if grid:
        job.warnings.append("Coordinates were in British National Grid and have been converted to lon/lat.")
    if level == "ward":
        placed = place_stop_searches(job.db)
        if placed:
            job.warnings.append(f"{placed:,} stop and search records were placed in wards by their coordinates.")
