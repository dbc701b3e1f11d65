"""Plane geometry for ward and LSOA boundaries (a leaf: NumPy and matplotlib.path only, no GDAL or shapely).

- `bng_to_wgs84`: British National Grid (EPSG:27700) eastings/northings to WGS84 longitude/latitude: the Ordnance
  Survey's inverse transverse Mercator on the Airy 1830 ellipsoid, then the OS 7-parameter Helmert shift (OSGB36 to
  WGS84, good to about 3-5 m, far finer than a 20 m generalised boundary).
- `Shape`: a ward's or LSOA's polygons (outer rings and holes) in lon/lat; point-in-polygon by `matplotlib.path`
  (holes subtracted ring by ring, so ring orientation does not matter), areas in square metres on a local plane.
- `place`: which shape holds each point (bounding boxes first, so a London-wide file costs little).
- `majority`: which of several shapes holds most of another's area, by a grid of points over it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

Ring = list[tuple[float, float]]
Polygon = list[Ring]  # outer ring first, then holes

# Airy 1830 and the National Grid's projection
_AIRY_A, _AIRY_B = 6377563.396, 6356256.909
_F0, _LAT0, _LON0 = 0.9996012717, math.radians(49.0), math.radians(-2.0)
_N0, _E0 = -100000.0, 400000.0
# OSGB36 -> WGS84 (Ordnance Survey, "A guide to coordinate systems in Great Britain", table 4 reversed)
_TX, _TY, _TZ, _S = 446.448, -125.157, 542.060, -20.4894e-6
_RX, _RY, _RZ = (math.radians(s / 3600) for s in (0.1502, 0.2470, 0.8421))
_WGS_A, _WGS_B = 6378137.0, 6356752.3142
M_PER_DEG_LAT = 111_250.0  # near 51.5 N


def bng_to_osgb36(easting: Any, northing: Any) -> tuple[np.ndarray, np.ndarray]:
    """Eastings/northings (m) to OSGB36 latitude/longitude in radians (OS inverse transverse Mercator)."""
    e_, n_ = np.asarray(easting, dtype=float), np.asarray(northing, dtype=float)
    a, b = _AIRY_A, _AIRY_B
    e2 = 1 - b * b / (a * a)
    n = (a - b) / (a + b)
    lat = (n_ - _N0) / (a * _F0) + _LAT0
    for _ in range(12):
        d, s = lat - _LAT0, lat + _LAT0
        m = (
            b
            * _F0
            * (
                (1 + n + 1.25 * n**2 + 1.25 * n**3) * d
                - (3 * n + 3 * n**2 + 21 / 8 * n**3) * np.sin(d) * np.cos(s)
                + (15 / 8 * n**2 + 15 / 8 * n**3) * np.sin(2 * d) * np.cos(2 * s)
                - 35 / 24 * n**3 * np.sin(3 * d) * np.cos(3 * s)
            )
        )
        step = (n_ - _N0 - m) / (a * _F0)
        lat = lat + step
        if np.all(np.abs(n_ - _N0 - m) < 1e-5):
            break
    sin, tan, sec = np.sin(lat), np.tan(lat), 1 / np.cos(lat)
    nu = a * _F0 / np.sqrt(1 - e2 * sin**2)
    rho = a * _F0 * (1 - e2) / (1 - e2 * sin**2) ** 1.5
    eta2 = nu / rho - 1
    t2 = tan**2
    vii = tan / (2 * rho * nu)
    viii = tan / (24 * rho * nu**3) * (5 + 3 * t2 + eta2 - 9 * t2 * eta2)
    ix = tan / (720 * rho * nu**5) * (61 + 90 * t2 + 45 * t2**2)
    x = sec / nu
    xi = sec / (6 * nu**3) * (nu / rho + 2 * t2)
    xii = sec / (120 * nu**5) * (5 + 28 * t2 + 24 * t2**2)
    xiia = sec / (5040 * nu**7) * (61 + 662 * t2 + 1320 * t2**2 + 720 * t2**3)
    de = e_ - _E0
    phi = lat - vii * de**2 + viii * de**4 - ix * de**6
    lam = _LON0 + x * de - xi * de**3 + xii * de**5 - xiia * de**7
    return phi, lam


def bng_to_wgs84(easting: Any, northing: Any) -> tuple[np.ndarray, np.ndarray]:
    """Eastings/northings (m) to WGS84 (longitude, latitude) in degrees."""
    phi, lam = bng_to_osgb36(easting, northing)
    e2 = 1 - _AIRY_B**2 / _AIRY_A**2
    nu = _AIRY_A / np.sqrt(1 - e2 * np.sin(phi) ** 2)
    x = nu * np.cos(phi) * np.cos(lam)
    y = nu * np.cos(phi) * np.sin(lam)
    z = (1 - e2) * nu * np.sin(phi)
    k = 1 + _S
    x2 = _TX + k * (x - _RZ * y + _RY * z)
    y2 = _TY + k * (_RZ * x + y - _RX * z)
    z2 = _TZ + k * (-_RY * x + _RX * y + z)
    w2 = 1 - _WGS_B**2 / _WGS_A**2
    p = np.hypot(x2, y2)
    lat = np.arctan2(z2, p * (1 - w2))
    for _ in range(6):
        nu2 = _WGS_A / np.sqrt(1 - w2 * np.sin(lat) ** 2)
        lat = np.arctan2(z2 + w2 * nu2 * np.sin(lat), p)
    return np.degrees(np.arctan2(y2, x2)), np.degrees(lat)


def polygons_of(geometry: dict[str, Any]) -> list[Polygon]:
    """A GeoJSON Polygon or MultiPolygon as a list of polygons (rings of (x, y)); other types give []."""
    kind = geometry.get("type") if isinstance(geometry, dict) else None
    coords = geometry.get("coordinates") if isinstance(geometry, dict) else None
    if kind == "Polygon" and coords:
        parts = [coords]
    elif kind == "MultiPolygon" and coords:
        parts = list(coords)
    else:
        return []
    return [[[(float(p[0]), float(p[1])) for p in ring] for ring in poly if len(ring) >= 3] for poly in parts]


def is_grid(polygons: Sequence[Polygon]) -> bool:
    """True when the coordinates are metres on a grid (British National Grid), not degrees."""
    for poly in polygons:
        for ring in poly:
            x, y = ring[0]
            return abs(x) > 360 or abs(y) > 90
    return False


def to_wgs84(polygons: Sequence[Polygon]) -> list[Polygon]:
    """British National Grid polygons to lon/lat, rounded to 6 dp (about 0.1 m)."""
    out: list[Polygon] = []
    for poly in polygons:
        rings: Polygon = []
        for ring in poly:
            arr = np.asarray(ring, dtype=float)
            lon, lat = bng_to_wgs84(arr[:, 0], arr[:, 1])
            rings.append([(round(float(a), 6), round(float(b), 6)) for a, b in zip(lon, lat, strict=True)])
        out.append(rings)
    return out


def local_xy(lon: Any, lat: Any, lat0: float) -> tuple[np.ndarray, np.ndarray]:
    """Lon/lat to metres on a plane tangent near `lat0` (good to well under 1% across a London borough)."""
    k = math.cos(math.radians(lat0))
    return np.asarray(lon, dtype=float) * M_PER_DEG_LAT * k, np.asarray(lat, dtype=float) * M_PER_DEG_LAT


@dataclass
class Shape:
    """One area's polygons in lon/lat, with its code and name."""

    code: str
    name: str
    polygons: list[Polygon]
    parent: str = ""  # the borough (local authority) code, when the file gives it
    _paths: list[tuple[Any, list[Any]]] = field(default_factory=list, repr=False)

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        xs = [p[0] for poly in self.polygons for p in poly[0]]
        ys = [p[1] for poly in self.polygons for p in poly[0]]
        return min(xs), min(ys), max(xs), max(ys)

    def paths(self) -> list[tuple[Any, list[Any]]]:
        if not self._paths:
            from matplotlib.path import Path

            self._paths = [(Path(np.asarray(p[0])), [Path(np.asarray(h)) for h in p[1:]]) for p in self.polygons]
        return self._paths

    def contains(self, lon: Any, lat: Any) -> np.ndarray:
        """Which of the points lie inside (in an outer ring and in none of its holes)."""
        pts = np.column_stack([np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)])
        inside = np.zeros(len(pts), dtype=bool)
        if not len(pts):
            return inside
        for outer, holes in self.paths():
            hit = outer.contains_points(pts)
            for hole in holes:
                hit &= ~hole.contains_points(pts)
            inside |= hit
        return inside

    def area_m2(self) -> float:
        """Area in square metres (shoelace on a local plane; holes subtracted)."""
        total = 0.0
        lat0 = self.bbox[1]
        for poly in self.polygons:
            for i, ring in enumerate(poly):
                arr = np.asarray(ring, dtype=float)
                x, y = local_xy(arr[:, 0], arr[:, 1], lat0)
                a = abs(float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))) / 2
                total += a if i == 0 else -a
        return total


def place(shapes: Iterable[Shape], lon: Any, lat: Any) -> list[str | None]:
    """The code of the shape holding each point (None: in none, or no coordinates). Where two generalised shapes
    overlap, the first in `shapes` wins."""
    x = np.asarray(lon, dtype=float)
    y = np.asarray(lat, dtype=float)
    out: list[str | None] = [None] * len(x)
    todo = ~(np.isnan(x) | np.isnan(y))
    for shape in shapes:
        if not todo.any():
            break
        x0, y0, x1, y1 = shape.bbox
        near = todo & (x >= x0) & (x <= x1) & (y >= y0) & (y <= y1)
        if not near.any():
            continue
        idx = np.flatnonzero(near)
        hit = idx[shape.contains(x[idx], y[idx])]
        for i in hit:
            out[int(i)] = shape.code
        todo[hit] = False
    return out


def grid_points(shape: Shape, target: int = 400) -> tuple[np.ndarray, np.ndarray]:
    """About `target` evenly spaced points inside a shape (its area sampled on a square grid)."""
    x0, y0, x1, y1 = shape.bbox
    k = math.cos(math.radians((y0 + y1) / 2))
    width, height = (x1 - x0) * k, y1 - y0
    step = math.sqrt(max(width * height, 1e-12) / target)
    xs = np.arange(x0 + step / k / 2, x1, step / k)
    ys = np.arange(y0 + step / 2, y1, step)
    gx, gy = np.meshgrid(xs, ys)
    gx, gy = gx.ravel(), gy.ravel()
    inside = shape.contains(gx, gy)
    return gx[inside], gy[inside]


def majority(shape: Shape, candidates: Sequence[Shape], target: int = 400) -> str | None:
    """The candidate holding most of `shape`'s area (by a grid of points over it); None when none holds any."""
    x, y = grid_points(shape, target)
    if not len(x):
        return None
    found = [c for c in place(candidates, x, y) if c is not None]
    if not found:
        return None
    codes, counts = np.unique(np.asarray(found), return_counts=True)
    return str(codes[int(np.argmax(counts))])
