"""Chart labels that always fit (Qt-free): any ward name, however long and with or without spaces, is wrapped or
shortened, and the plot keeps its room, so one odd name can never stop a pack (issue 12)."""

from __future__ import annotations

MAX_LABEL_LINES = 3  # a label longer than this many lines is shortened with "…" (the table beside it has it whole)


def wrap_label(text: str, width: int) -> list[str]:
    """Lines of at most `width` characters: words wrapped; a word longer than a line (a name with no spaces) broken
    with a hyphen; more than MAX_LABEL_LINES shortened with "…". Never wider than `width`, whatever the text."""
    words: list[str] = []
    for word in text.split():
        while len(word) > width:
            words.append(word[: width - 1] + "-")
            word = word[width - 1 :]
        words.append(word)
    lines: list[str] = []
    line = ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    if line:
        lines.append(line)
    if len(lines) > MAX_LABEL_LINES:
        lines = lines[:MAX_LABEL_LINES]
        lines[-1] = lines[-1][: width - 1].rstrip("- ") + "…"
    return lines or [""]


def fit_margins(low: float, high: float, size: float) -> tuple[float, float]:
    """Two opposite margins (points) scaled down together so the plot keeps at least a third of `size`."""
    room = size * 2 / 3
    if low + high <= room:
        return low, high
    scale = room / (low + high)
    return low * scale, high * scale
