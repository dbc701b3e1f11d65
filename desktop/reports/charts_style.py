"""What every pack chart shares (Qt-free): the Okabe-Ito palette, the matplotlib settings, margins measured from
text, SVG output and hatching drawn as plain segments (see charts.py for the rules)."""

from __future__ import annotations

import io
import re
from typing import Any

from desktop.reports.chart_labels import fit_margins

# Okabe & Ito (2008) colour-blind-safe palette
BLACK = "#000000"
ORANGE = "#E69F00"
SKY_BLUE = "#56B4E9"
GREEN = "#009E73"
YELLOW = "#F0E442"
BLUE = "#0072B2"
VERMILION = "#D55E00"
PURPLE = "#CC79A7"
GREY = "#595959"
LIGHT_GREY = "#D9D9D9"

FONT_FAMILY = "DejaVu Sans"
TREND_HEIGHT_MM = 60.0  # a monthly trend in the pack: tall enough to read, short enough to share a page
FONT_SIZE = 8.5  # points; the chart is drawn at 1:1 so this is the printed size
MM = 1 / 25.4  # inches per millimetre

_RC: Any = {
    "svg.fonttype": "none",
    "svg.hashsalt": "wardbrief",  # stable ids: the same pack gives the same bytes
    "font.family": "sans-serif",
    "font.sans-serif": [FONT_FAMILY],
    "font.size": FONT_SIZE,
    "axes.edgecolor": GREY,
    "axes.labelcolor": BLACK,
    "axes.linewidth": 0.6,
    "xtick.color": BLACK,
    "ytick.color": BLACK,
    "xtick.labelsize": FONT_SIZE,
    "ytick.labelsize": FONT_SIZE,
    "legend.fontsize": FONT_SIZE,
    "legend.frameon": False,
    "path.simplify": True,
}

_NO_WEIGHT = re.compile(r'(<text style=")(?![^"]*font-weight)')
_LABEL_BOX = {"facecolor": "white", "edgecolor": "none", "pad": 0.5}


def format_number(value: float, fmt: str) -> str:
    if fmt == "pct":
        return f"{value * 100:.0f}%"
    if fmt == "rate":
        return f"{value:,.1f}"
    return f"{value:,.0f}"


def _figure(width_mm: float, height_mm: float, constrained: bool = False) -> Any:
    """A figure; margins are set by `_margins` from measured text (constrained layout costs ~30% of a chart)."""
    from matplotlib.figure import Figure

    return Figure(figsize=(width_mm * MM, height_mm * MM), layout="constrained" if constrained else None)


def text_width_pt(text: str, bold: bool = False, size: float = FONT_SIZE, italic: bool = False) -> float:
    """Width of one line of chart text in points (FreeType metrics of the chart font)."""
    from matplotlib.font_manager import FontProperties, findfont, get_font

    props = FontProperties(
        family=FONT_FAMILY, weight="bold" if bold else "normal", style="italic" if italic else "normal"
    )
    font = get_font(findfont(props))
    font.set_size(size, 72)
    font.set_text(text, 0.0)
    return float(font.get_width_height()[0]) / 64.0


def _margins(fig: Any, left: float, bottom: float, right: float, top: float) -> None:
    """Set the axes' margins in points; the plot always keeps at least a third of the width and height (labels
    that would need more are clipped, never a ValueError that stops the pack)."""
    w_pt, h_pt = fig.get_size_inches() * 72
    left, right = fit_margins(left, right, w_pt)
    bottom, top = fit_margins(bottom, top, h_pt)
    fig.subplots_adjust(left=left / w_pt, bottom=bottom / h_pt, right=1 - right / w_pt, top=1 - top / h_pt)


def _to_svg(fig: Any) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": "WardBrief"})
    # Say "regular" explicitly: an SVG renderer may otherwise inherit the weight of the text drawn before it
    return _NO_WEIGHT.sub(r"\1font-weight: 400; ", buf.getvalue().decode("utf-8")).encode("utf-8")


def _style_axes(ax: Any) -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.tick_params(length=3, width=0.6)


def _hatch(ax: Any, rects: list[tuple[float, float, float, float]], spacing_mm: float = 1.5) -> None:
    """Diagonal hatching over data-space rectangles (x, y, width, height), drawn as line segments clipped by hand:
    QtSvg ignores SVG clip paths and rasterises pattern fills, so plain segments are the only vector way.
    Call after the axis limits are final."""
    from matplotlib.collections import LineCollection

    if not rects:
        return
    fig_w, fig_h = ax.figure.get_size_inches()
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    # mm per data unit, approximately (constrained layout gives the axes ~80% of the figure)
    sx = fig_w / MM * 0.78 / ((x1 - x0) or 1.0)
    sy = fig_h / MM * 0.8 / ((y1 - y0) or 1.0)
    segments = []
    for rx, ry, rw, rh in rects:
        ax0, ax1 = sorted((rx * sx, (rx + rw) * sx))
        ay0, ay1 = sorted((ry * sy, (ry + rh) * sy))
        c = ay0 - ax1  # lines y = x + c, from the bottom-right corner to the top-left one
        while c < ay1 - ax0:
            lo, hi = max(ax0, ay0 - c), min(ax1, ay1 - c)
            if lo < hi:
                segments.append([(lo / sx, (lo + c) / sy), (hi / sx, (hi + c) / sy)])
            c += spacing_mm * 1.414
    ax.add_collection(LineCollection(segments, colors=BLACK, linewidths=0.55, zorder=3), autolim=False)


# matplotlib's legend geometry, in font sizes (its rcParams defaults): the handle, the gap to its text, the gap
# between columns, and the border padding
_HANDLE_EM, _TEXT_PAD_EM, _COLUMN_EM, _BORDER_EM = 2.0, 0.8, 2.0, 0.4


def legend_columns(labels: list[str], width_pt: float, most: int) -> int:
    """How many columns (at most `most`) a legend of these labels may have and still fit in `width_pt`, measured
    from its text (matplotlib fills a legend column by column). A narrow canvas (large print, where a chart is laid
    out at half the page's width and scaled up) gets fewer columns and more rows, so no entry runs off the chart."""
    widths = [text_width_pt(label) + (_HANDLE_EM + _TEXT_PAD_EM) * FONT_SIZE for label in labels]
    for ncol in range(min(most, len(widths)), 1, -1):
        # matplotlib deals the entries out as np.array_split does: the first len % ncol columns one longer
        sizes = [len(widths) // ncol + (1 if c < len(widths) % ncol else 0) for c in range(ncol)]
        starts = [sum(sizes[:c]) for c in range(ncol)]
        columns = [widths[a : a + n] for a, n in zip(starts, sizes, strict=True)]
        need = sum(max(col) for col in columns if col) + _COLUMN_EM * FONT_SIZE * (ncol - 1)
        if need + 2 * _BORDER_EM * FONT_SIZE <= width_pt:
            return ncol
    return 1


def legend_height_pt(rows: int) -> float:
    """The top margin a legend of `rows` rows above the plot needs (its text, the spacing between its rows, its
    padding), never less than the room one or two rows have always had."""
    line_h = FONT_SIZE * 1.25
    return max(rows * line_h + 9, FONT_SIZE * (1.2 * rows + 0.5 * (rows - 1) + 1.0) + 3)


def _line_handle(**kwargs: Any) -> Any:
    from matplotlib.lines import Line2D

    label = kwargs.pop("label")
    return Line2D([], [], label=label, **kwargs)


def _thousands() -> Any:
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda v, _pos: f"{v:,.0f}")
