"""Shapefiles (boundaries): the .shp with its .dbf beside it, or all the parts in one .zip as the ONS Open
Geography Portal and council GIS teams hand them out. Read with pyshp into the same features a GeoJSON file gives
(geojson.py), so the boundaries kind finds and reads either by its properties (WD22CD, LSOA21CD...).

A shapefile is several files: the .shp (shapes), .dbf (properties), .shx (index), .prj (projection) and .cpg (text
encoding). The .shp stands for them all; choosing one of the other parts gets a calm "not needed" note naming the
.shp, so selecting every part in the Import dialog imports the boundaries once. The source's fingerprint covers the
.shp and the .dbf, so a file with the same shapes and new names is a new file.
"""

from __future__ import annotations

import hashlib
import io
import warnings
import zipfile
from pathlib import Path
from typing import Any

from desktop.importers.errors import ImportFailed, NotNeeded
from desktop.importers.geojson import MAX_GEOJSON_BYTES

SHP_MAGIC = b"\x00\x00\x27\x0a"  # the file code 9994, big-endian, that opens every .shp
SIDE_PARTS = (".dbf", ".shx", ".prj", ".cpg", ".sbn", ".sbx", ".qix", ".qmd")
POLYGON_TYPES = (5, 15, 25)  # Polygon, PolygonZ, PolygonM
UNZIP_STEP = "Unzip it and import the .shp file of the boundaries you want (with its .dbf, .shx and .prj beside it)."


def _beside(path: Path, suffix: str) -> Path | None:
    """The part of the same shapefile with this suffix, in any letter case (Windows exports .SHP and .dbf alike)."""
    for candidate in path.parent.glob(f"{path.stem}.*"):
        if candidate.stem == path.stem and candidate.suffix.lower() == suffix and candidate.is_file():
            return candidate
    return None


def side_part(path: Path) -> NotNeeded | None:
    """A note for a shapefile's .dbf, .prj... chosen beside its .shp (the .shp is imported with them); else None."""
    if path.suffix.lower() not in SIDE_PARTS or (shp := _beside(path, ".shp")) is None:
        return None
    error = NotNeeded(
        f"This is the {path.suffix.lower()} part of the shapefile {shp.name}; it is read with that file.",
        f"Import {shp.name} (if you chose it too, that is done).",
    )
    error.kind = "boundaries"
    return error


def zip_shapefiles(names: list[str]) -> list[str]:
    """The .shp files in a zip's list of names (macOS resource forks left out)."""
    return [n for n in names if n.lower().endswith(".shp") and not n.startswith("__MACOSX/")]


def fingerprint(path: Path) -> str | None:
    """sha256 of the .shp and its .dbf together (for a .shp; None for anything else)."""
    if path.suffix.lower() != ".shp" or (dbf := _beside(path, ".dbf")) is None:
        return None
    digest = hashlib.sha256()
    for part in (path, dbf):
        with part.open("rb") as fh:
            while block := fh.read(4 * 1024 * 1024):
                digest.update(block)
    return digest.hexdigest()


def read_shapefile(path: Path) -> tuple[list[str], list[dict[str, Any]]]:
    """A shapefile's features (GeoJSON-like dicts) and the names that identify its kind: its property names and
    "geometry", as geojson.read_features gives them."""
    parts = _zip_parts(path) if zipfile.is_zipfile(path) else _folder_parts(path)
    _check_projection(parts.get(".prj"))
    encoding = _encoding(parts.get(".cpg"))
    try:
        names, features = _read(parts, encoding)
    except ImportFailed:
        raise
    except Exception as exc:  # pyshp reports damage as ShapefileException, struct.error, IndexError...
        raise ImportFailed(
            f"This shapefile cannot be read; it looks damaged or incomplete ({type(exc).__name__}: {exc}).",
            "Copy or download all of its parts (.shp, .dbf, .shx, .prj) again, then import the .shp.",
        ) from exc
    if not features:
        raise ImportFailed("This shapefile holds no shapes.", "Export the boundaries again, then import the .shp.")
    return names, features


def _read(parts: dict[str, bytes], encoding: str) -> tuple[list[str], list[dict[str, Any]]]:
    import shapefile  # pyshp

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pyshp warns of header sizes it then reads past; the rows are checked after
        reader = shapefile.Reader(
            shp=io.BytesIO(parts[".shp"]),
            dbf=io.BytesIO(parts[".dbf"]),
            shx=io.BytesIO(parts[".shx"]) if ".shx" in parts else None,
            encoding=encoding,
            encodingErrors="replace",
        )
        if reader.shapeType not in POLYGON_TYPES:
            raise ImportFailed(
                f"This shapefile holds {reader.shapeTypeName.lower()} shapes, not areas, so it holds no boundaries.",
                "Import the ward or LSOA boundary (polygon) shapefile.",
            )
        names = [str(f.name) for f in reader.fields[1:]] + ["geometry"]
        return names, [record.__geo_interface__ for record in reader.iterShapeRecords()]


def _folder_parts(path: Path) -> dict[str, bytes]:
    dbf = _beside(path, ".dbf")
    if dbf is None:
        raise ImportFailed(
            f"The .dbf file that goes with {path.name} is not beside it, and it holds the ward or LSOA codes.",
            f"Put all the shapefile's parts ({path.stem}.shp, .dbf, .shx and .prj) in one folder, then import it.",
        )
    found = {s: p for s in (".shp", ".dbf", ".shx", ".prj", ".cpg") if (p := path if s == ".shp" else _beside(path, s))}
    _check_size(sum(p.stat().st_size for p in found.values()))
    return {s: p.read_bytes() for s, p in found.items()}


def _zip_parts(path: Path) -> dict[str, bytes]:
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            shps = zip_shapefiles([i.filename for i in infos])
            if len(shps) != 1:
                raise ImportFailed(
                    f"This zip holds {len(shps)} shapefiles; WardBrief imports one at a time.", UNZIP_STEP
                )
            stem = shps[0][:-4]
            chosen = {i.filename[len(stem) :].lower(): i for i in infos if i.filename[:-4] == stem}
            if ".dbf" not in chosen:
                raise ImportFailed(f"The zip holds {shps[0]} without its .dbf part (the codes and names).", UNZIP_STEP)
            _check_size(sum(i.file_size for i in chosen.values()))
            return {s: archive.read(i) for s, i in chosen.items() if s in (".shp", ".dbf", ".shx", ".prj", ".cpg")}
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError) as exc:
        raise ImportFailed(f"This zip cannot be opened; it looks damaged ({exc}).", UNZIP_STEP) from exc


def _check_size(total: int) -> None:
    if total > MAX_GEOJSON_BYTES:
        raise ImportFailed(
            f"This shapefile is {total / 1e6:,.0f} MB; WardBrief reads boundary files up to "
            f"{MAX_GEOJSON_BYTES / 1e6:,.0f} MB.",
            "Download the boundaries for your area only (or a generalised version, e.g. BGC 20 m), then import that.",
        )


def _check_projection(prj: bytes | None) -> None:
    """Coordinates must be lon/lat or British National Grid (geo.py converts that); say so for any other grid."""
    if prj is None:
        return  # no .prj: the coordinates' size tells lon/lat from grid metres (geo.is_grid)
    text = prj.decode("latin-1").upper()
    if not text.lstrip().startswith("PROJCS") or "BRITISH_NATIONAL_GRID" in text or "27700" in text:
        return
    name = text.split('"')[1] if '"' in text else "another grid"
    raise ImportFailed(
        f"This shapefile's coordinates are in {name}; WardBrief reads lon/lat (WGS84) or British National Grid.",
        "Export the boundaries again in British National Grid (EPSG:27700) or WGS84 (EPSG:4326), then import them.",
    )


def _encoding(cpg: bytes | None) -> str:
    """The .dbf's text encoding from the .cpg part (UTF-8 when there is none, as ONS files are)."""
    import codecs

    name = (cpg or b"").decode("latin-1").strip()
    name = {"ANSI 1252": "cp1252", "1252": "cp1252"}.get(name.upper(), name) or "utf-8"
    try:
        return codecs.lookup(name).name
    except LookupError:
        return "utf-8"
