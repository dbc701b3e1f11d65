"""Maps as vector SVG (Qt-free; the PDF renderer draws them with QSvgRenderer, like charts).

Greyscale first (DESIGN.md §6): shaded areas use sequential greys that keep their order on any printer, and each
area's value is printed on it, so the shade is never the only signal. The area in focus has a heavy outline, its
neighbours a thin one with their names; markers are numbered circles keyed to a table. Coordinates are lon/lat,
drawn on a local plane (desktop/geo.py) so shapes keep their true proportions. Text stays text in the pack's font.
"""

from __future__ import annotations

import io
import math
from typing import Any

import numpy as np

from desktop import geo
from desktop.reports.model import MapArea, MapChart

FONT_FAMILY = "DejaVu Sans"
FONT_SIZE = 7.5
MM = 1 / 25.4
# sequential greys, lightest first: distinct in greyscale print and on screen; text turns white from DARK_FROM
SHADES = ("#FFFFFF", "#E0E0E0", "#B3B3B3", "#7A7A7A", "#404040")
DARK_FROM = 3
LEGEND_MM = 9.0
LEGEND_ROW_MM = 7.5  # a row of the key when its title and its boxes do not share one
_RC: Any = {
    "svg.fonttype": "none",
    "svg.hashsalt": "wardbrief-maps",
    "font.family": "sans-serif",
    "font.sans-serif": [FONT_FAMILY],
    "font.size": FONT_SIZE,
    "path.simplify": True,
}


def shade_of(index: int, classes: int) -> str:
    """The grey of class `index` of `classes` (spread over the ramp so 3 classes still span light to dark)."""
    if index < 0:
        return "none"
    if classes <= 1:
        return SHADES[2]
    step = (len(SHADES) - 1) / (classes - 1)
    return SHADES[round(index * step)]


def class_breaks(values: list[int], classes: int = 4) -> list[int]:
    """Upper bounds of up to `classes` classes of counts (quantiles, rounded, strictly rising); [] for no values."""
    if not values:
        return []
    qs = np.quantile(np.asarray(values, dtype=float), [(i + 1) / classes for i in range(classes)])
    out: list[int] = []
    for q in qs:
        bound = int(math.ceil(q))
        if not out or bound > out[-1]:
            out.append(bound)
    return out


def class_labels(breaks: list[int], lowest: int = 0) -> list[str]:
    labels, low = [], lowest
    for bound in breaks:
        labels.append(f"{low:,}" if bound == low else f"{low:,}–{bound:,}")
        low = bound + 1
    return labels


def class_of(value: int, breaks: list[int]) -> int:
    return next((i for i, b in enumerate(breaks) if value <= b), len(breaks) - 1)


def _xy(rings: list[list[tuple[float, float]]], lat0: float) -> list[np.ndarray]:
    out = []
    for ring in rings:
        arr = np.asarray(ring, dtype=float)
        x, y = geo.local_xy(arr[:, 0], arr[:, 1], lat0)
        out.append(np.column_stack([x, y]))
    return out


def clip_ring(ring: np.ndarray, box: tuple[float, float, float, float]) -> np.ndarray:
    """A polygon ring cut to a rectangle (Sutherland-Hodgman). The SVG must carry no clip paths: QtSvg ignores
    them, so a neighbour's outline would spill over the page."""
    x0, y0, x1, y1 = box
    pts: list[tuple[float, float]] = [(float(p[0]), float(p[1])) for p in ring]
    # each edge of the frame: (axis, bound, keep the side above the bound)
    for axis, bound, above in ((0, x0, True), (0, x1, False), (1, y0, True), (1, y1, False)):
        if not pts:
            break

        def inside(p: tuple[float, float], axis: int = axis, bound: float = bound, above: bool = above) -> bool:
            return p[axis] >= bound if above else p[axis] <= bound

        def cut(
            a: tuple[float, float], b: tuple[float, float], axis: int = axis, bound: float = bound
        ) -> tuple[float, float]:
            t = (bound - a[axis]) / (b[axis] - a[axis])
            x, y = a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t
            return (bound, y) if axis == 0 else (x, bound)

        out: list[tuple[float, float]] = []
        prev = pts[-1]
        for cur in pts:
            if inside(cur):
                if not inside(prev):
                    out.append(cut(prev, cur))
                out.append(cur)
            elif inside(prev):
                out.append(cut(prev, cur))
            prev = cur
        pts = out
    return np.asarray(pts, dtype=float).reshape(-1, 2)


def _rings(areas: list[MapArea], lat0: float, box: tuple[float, float, float, float]) -> list[np.ndarray]:
    """The outer rings of areas on the plane, cut to the map's frame (empty pieces dropped)."""
    out = []
    for area in areas:
        for poly in area.polygons:
            ring = clip_ring(_xy(poly[:1], lat0)[0], box)
            if len(ring) >= 3:
                out.append(ring)
    return out


def label_point(area: MapArea) -> tuple[float, float]:
    """A point well inside the area for its printed label: of a grid of points inside it, the one farthest from its
    edge (nudged towards the centre), so an L-shaped ward's label sits in its broadest part, not across an edge."""
    shape = geo.Shape(area.code, area.name, area.polygons)
    x, y = geo.grid_points(shape, 150)
    if not len(x):
        x0, y0, x1, y1 = shape.bbox
        return (x0 + x1) / 2, (y0 + y1) / 2
    k = math.cos(math.radians(float(np.mean(y))))
    edge = []
    for poly in area.polygons:
        ring = np.asarray(poly[0], dtype=float)
        for a, b in zip(ring[:-1], ring[1:], strict=True):
            t = np.linspace(0.0, 1.0, 8, endpoint=False)[:, None]
            edge.append(a + (b - a) * t)
    pts = np.vstack(edge)
    dx = (x[:, None] - pts[None, :, 0]) * k
    dy = y[:, None] - pts[None, :, 1]
    clearance = np.sqrt(dx**2 + dy**2).min(axis=1)
    cx, cy = float(np.mean(x)), float(np.mean(y))
    central = np.sqrt(((x - cx) * k) ** 2 + (y - cy) ** 2)
    i = int(np.argmax(clearance - 0.25 * central))
    return float(x[i]), float(y[i])


MARKER_MM = 3.6  # a marker's diameter on paper (9 pt) plus a hair


def spread(points: list[tuple[float, float]], gap: float) -> list[tuple[float, float]]:
    """Marker positions that do not overlap: each marker that would sit within `gap` of one already placed is moved
    out along the first free direction (of 12, at growing distances), so every number stays readable."""
    placed: list[tuple[float, float]] = []
    for x, y in points:
        spot = (x, y)
        for ring in range(1, 6):
            if all(math.hypot(spot[0] - px, spot[1] - py) >= gap for px, py in placed):
                break
            for k in range(12):
                angle = math.pi / 2 + k * math.pi / 6
                spot = (x + ring * gap * math.cos(angle), y + ring * gap * math.sin(angle))
                if all(math.hypot(spot[0] - px, spot[1] - py) >= gap for px, py in placed):
                    break
        placed.append(spot)
    return placed


def _extent(chart: MapChart) -> tuple[float, float, float, float]:
    main = chart.focus or chart.areas
    pts = np.asarray([p for a in main for poly in a.polygons for p in poly[0]], dtype=float)
    x0, y0 = pts.min(axis=0)
    x1, y1 = pts.max(axis=0)
    pad_x, pad_y = (x1 - x0) * 0.06, (y1 - y0) * 0.06
    return float(x0 - pad_x), float(y0 - pad_y), float(x1 + pad_x), float(y1 + pad_y)


def _text_mm(text: str, size: float, bold: bool = False, italic: bool = False) -> float:
    from desktop.reports.charts_style import text_width_pt

    return text_width_pt(text, bold, size, italic) / 72 * 25.4


def _legend_layout(chart: MapChart, width_mm: float) -> tuple[float, float, float, int]:
    """The key under the map, measured from its text: (its height, where the first box starts, the step between
    boxes, boxes to a row). The title and the boxes share one row when they fit; on a narrow canvas (large print
    draws the map at about a third of the page's width, then scales it up) the boxes go in rows under the title."""
    if not chart.classes:
        return 0.0, 0.0, 0.0, 0
    n = len(chart.classes)
    step = max(_text_mm(text, FONT_SIZE) for text in chart.classes) + 6.5 + 3.0  # box, gap, text, gap
    start = max(_text_mm(chart.legend_title, FONT_SIZE) + 4.0, min(width_mm * 0.45, 4 + len(chart.legend_title) * 1.45))
    if start + step * n <= width_mm:
        return LEGEND_MM, start, (width_mm - start) / n, n
    per_row = max(1, min(n, int((width_mm + 3.0) // step)))
    rows = math.ceil(n / per_row)
    return LEGEND_ROW_MM * (1 + rows), 0.0, (width_mm + 3.0) / per_row, per_row


def map_height_mm(chart: MapChart, width_mm: float, max_height_mm: float | None = None) -> float:
    """The map's height at this width: the shape's own proportions, capped at the chart's height (and at
    `max_height_mm`, what the page has room for), plus the key."""
    x0, y0, x1, y1 = _extent(chart)
    k = math.cos(math.radians((y0 + y1) / 2))
    ratio = (y1 - y0) / max((x1 - x0) * k, 1e-9)
    legend = _legend_layout(chart, width_mm)[0]
    cap = chart.height_mm if max_height_mm is None else min(chart.height_mm, max_height_mm - legend)
    return max(min(cap, max(50.0, width_mm * ratio)), 20.0) + legend


def map_svg(chart: MapChart, width_mm: float, max_height_mm: float | None = None) -> tuple[bytes, float]:
    """The SVG of a map block and its height in mm (no more than `max_height_mm`, when given)."""
    import matplotlib
    from matplotlib.collections import PolyCollection
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle

    height = map_height_mm(chart, width_mm, max_height_mm)
    legend, start, step, per_row = _legend_layout(chart, width_mm)
    with matplotlib.rc_context(_RC):
        fig = Figure(figsize=(width_mm * MM, height * MM))
        ax = fig.add_axes((0.0, legend / height, 1.0, 1 - legend / height))
        ax.set_axis_off()
        x0, y0, x1, y1 = _extent(chart)
        lat0 = (y0 + y1) / 2
        (ex0, ey0), (ex1, ey1) = (tuple(a) for a in _xy([[(x0, y0), (x1, y1)]], lat0)[0])
        # the frame is the axes' box widened to the figure's proportions, so nothing is drawn outside it
        map_h = height - legend
        cx, cy, half_w, half_h = (ex0 + ex1) / 2, (ey0 + ey1) / 2, (ex1 - ex0) / 2, (ey1 - ey0) / 2
        if half_w / half_h > width_mm / map_h:
            half_h = half_w * map_h / width_mm
        else:
            half_w = half_h * width_mm / map_h
        ex0, ex1, ey0, ey1 = cx - half_w, cx + half_w, cy - half_h, cy + half_h
        ax.set_xlim(ex0, ex1)
        ax.set_ylim(ey0, ey1)
        box = (ex0, ey0, ex1, ey1)
        ax.add_patch(Rectangle((ex0, ey0), ex1 - ex0, ey1 - ey0, facecolor="none", edgecolor="#8C8C8C", linewidth=0.6))
        n = len(chart.classes)
        # context first (thin outlines), then shaded areas, then the focus outline on top
        ctx_polys = _rings(chart.context, lat0, box)
        if ctx_polys:
            ax.add_collection(
                PolyCollection(ctx_polys, facecolors="#F5F5F5", edgecolors="#8C8C8C", linewidths=0.5, zorder=1)
            )
        for area in chart.areas:
            polys = _rings([area], lat0, box)
            unshaded = area.shade < 0 and bool(chart.classes)  # dashed, so it never reads as the lightest class
            ax.add_collection(
                PolyCollection(
                    polys, facecolors=shade_of(area.shade, n), edgecolors="#595959", linewidths=0.6 if unshaded else 0.4,
                    linestyles="--" if unshaded else "-", zorder=2,
                )
            )  # fmt: skip
        focus = _rings(chart.focus, lat0, box)
        if focus:
            ax.add_collection(PolyCollection(focus, facecolors="none", edgecolors="#000000", linewidths=1.8, zorder=4))
        for area in chart.areas:
            if not area.label:
                continue
            lx, ly = _xy([[label_point(area)]], lat0)[0][0]
            if not (ex0 <= lx <= ex1 and ey0 <= ly <= ey1):
                continue
            dark = area.shade >= 0 and n > 1 and round(area.shade * (len(SHADES) - 1) / (n - 1)) >= DARK_FROM
            bold = area.code in chart.flagged
            size = FONT_SIZE - 1 if "\n" in area.label else FONT_SIZE
            ax.text(lx, ly, area.label, ha="center", va="center", fontsize=size, zorder=5,
                    color="#FFFFFF" if dark else "#000000", fontweight="bold" if bold else "normal")  # fmt: skip
        k = math.cos(math.radians(lat0)) * geo.M_PER_DEG_LAT
        inset = ((ex1 - ex0) * 0.06, (ey1 - ey0) * 0.06)
        box_ll = ((ex0 + inset[0]) / k, (ey0 + inset[1]) / geo.M_PER_DEG_LAT, (ex1 - inset[0]) / k,
                  (ey1 - inset[1]) / geo.M_PER_DEG_LAT)  # fmt: skip
        for area in chart.context:
            # the label goes inside the part of the neighbour that is on the map
            pieces = [clip_ring(np.asarray(p[0], dtype=float), box_ll) for p in area.polygons]
            pieces = [p for p in pieces if len(p) >= 3]
            if not pieces:
                continue
            biggest = max(pieces, key=lambda r: geo.Shape("", "", [[[tuple(p) for p in r]]]).area_m2())
            shown = MapArea(area.code, area.name, [[[(float(a), float(b)) for a, b in biggest]]])
            lx, ly = _xy([[label_point(shown)]], lat0)[0][0]
            if ex0 <= lx <= ex1 and ey0 <= ly <= ey1:
                name, lx, ly = _inside(area.name, lx, ly, box, width_mm, map_h)
                ax.text(lx, ly, name, ha="center", va="center", fontsize=FONT_SIZE - 1, style="italic",
                        color="#404040", zorder=3)  # fmt: skip
        true = [tuple(_xy([[(lon, lat)]], lat0)[0][0]) for _, lon, lat in chart.markers]
        placed = spread(true, MARKER_MM * (ex1 - ex0) / width_mm)
        for (number, _, _), (tx, ty), (mx, my) in zip(chart.markers, true, placed, strict=True):
            if (mx, my) != (tx, ty):  # moved off a neighbour: a leader line back to the place
                ax.plot([tx, mx], [ty, my], color="#000000", linewidth=0.5, zorder=6)
                ax.plot([tx], [ty], marker="o", markersize=1.8, color="#000000", zorder=6)
            ax.plot([mx], [my], marker="o", markersize=9, markerfacecolor="#FFFFFF", markeredgecolor="#000000",
                    markeredgewidth=0.9, zorder=6)  # fmt: skip
            ax.text(mx, my, str(number), ha="center", va="center", fontsize=FONT_SIZE - 1, fontweight="bold",
                    zorder=7)  # fmt: skip
        if chart.classes:
            lax = fig.add_axes((0.0, 0.0, 1.0, legend / height))
            lax.set_axis_off()
            lax.set_xlim(0, width_mm)
            lax.set_ylim(0, legend)
            one_row = legend == LEGEND_MM
            title_y = legend * 0.5 if one_row else legend - LEGEND_ROW_MM * 0.5
            lax.text(0, title_y, chart.legend_title, va="center", ha="left", fontsize=FONT_SIZE)
            box_h = LEGEND_MM * 0.5
            for i, text in enumerate(chart.classes):
                x = start + (i % per_row) * step
                y = title_y if one_row else legend - LEGEND_ROW_MM * (i // per_row + 1.5)
                lax.add_patch(Rectangle((x, y - box_h / 2), 5, box_h, facecolor=shade_of(i, n),
                                        edgecolor="#595959", linewidth=0.5))  # fmt: skip
                lax.text(x + 6.5, y, text, va="center", ha="left", fontsize=FONT_SIZE)
        buf = io.BytesIO()
        fig.savefig(buf, format="svg", metadata={"Date": None})
    return buf.getvalue(), height


def _inside(
    name: str, x: float, y: float, box: tuple[float, float, float, float], width_mm: float, height_mm: float
) -> tuple[str, float, float]:
    """A neighbour's name placed so all of it is on the map: wrapped onto two lines when it is wider than half the
    frame, then moved in from the frame's edges (the frame is the edge of the drawing: text beyond it is cut off)."""
    x0, y0, x1, y1 = box
    size = FONT_SIZE - 1
    per_mm = (x1 - x0) / width_mm  # map units per mm on paper
    lines = [name]
    if _text_mm(name, size, italic=True) > width_mm / 2 and " " in name:
        words = name.split(" ")
        cut = min(range(1, len(words)), key=lambda k: abs(len(" ".join(words[:k])) - len(" ".join(words[k:]))))
        lines = [" ".join(words[:cut]), " ".join(words[cut:])]
    half_w = (max(_text_mm(line, size, italic=True) for line in lines) / 2 + 1.0) * per_mm
    half_h = (len(lines) * size * 1.2 / 72 * 25.4 / 2 + 0.5) * (y1 - y0) / height_mm
    x = min(max(x, x0 + half_w), x1 - half_w) if 2 * half_w < x1 - x0 else (x0 + x1) / 2
    y = min(max(y, y0 + half_h), y1 - half_h) if 2 * half_h < y1 - y0 else (y0 + y1) / 2
    return "\n".join(lines), x, y


def legend_note(chart: MapChart) -> str:
    """The sentence under a map: what its marks mean, and whose boundaries they are."""
    parts = []
    if chart.focus:
        parts.append("heavy outline: the ward")
    if chart.shading:
        parts.append(chart.shading)
    elif chart.classes:
        what = (chart.legend_title[:1].lower() + chart.legend_title[1:]) or "its value"
        parts.append(f"darker grey: more (the number printed on each area: {what})")
    if chart.unshaded and any(a.shade < 0 for a in chart.areas):
        parts.append(f"dashed outline: {chart.unshaded}")
    if chart.context:
        parts.append("names in italics: neighbouring wards")
    if chart.markers:
        parts.append("numbered circles: the places in the table below")
    if chart.flagged:
        parts.append(f"bold numbers: {chart.flag_label}")
    text = "; ".join(parts)
    text = (text[0].upper() + text[1:] + ".") if text else ""
    return f"{text} {chart.attribution}".strip()
