"""What a file's bytes are, before anything parses them (Qt-free): a spreadsheet, text in which encoding, or
something else named plainly ("an image, not a spreadsheet"); and whether the text is whole.

Excel on Windows writes CSV as UTF-8 with a BOM ("CSV UTF-8"), in the Windows code page (cp1252, "CSV"), or as
UTF-16 with a BOM ("Unicode Text", tab-separated); other tools leave out the BOM, put a BOM before cp1252 text, or
end lines with CR alone. All of these are read. Text never holds NUL bytes: a file that does was cut short and padded
(a download that stopped, a disk that filled up, a sparse file) and is refused before it is read, in time and memory
bounded by its real content (a 2 GB sparse file is refused from its last 64 kB).
"""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass
from pathlib import Path

from desktop.importers.errors import ImportFailed

TAIL_BYTES = 64 * 1024
ZIP_MAGIC = b"PK\x03\x04"

# Formats people drop by mistake, by their first bytes: (magic, what it is, is it a picture: then its format)
NOT_SPREADSHEETS: tuple[tuple[bytes, str, bool], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG", True),
    (b"\xff\xd8\xff", "JPEG, a photo", True),
    (b"GIF87a", "GIF", True),
    (b"GIF89a", "GIF", True),
    (b"II*\x00", "TIFF", True),
    (b"MM\x00*", "TIFF", True),
    (b"BM", "BMP", True),
    (b"%PDF-", "a PDF document", False),
    (b"{\\rtf", "a Rich Text (RTF) document", False),
    (b"\x1f\x8b", "a compressed (.gz) file", False),
    (b"Rar!\x1a\x07", "a RAR archive", False),
    (b"7z\xbc\xaf'\x1c", "a 7-Zip archive", False),
    (b"SQLite format 3\x00", "an SQLite database (perhaps a WardBrief store or backup)", False),
)

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
WIDE = ("utf-16", "utf-16-le", "utf-16-be", "utf-32")  # encodings whose text has NUL bytes of its own


@dataclass(frozen=True)
class Encoding:
    codec: str  # a Python codec name
    skip: int = 0  # bytes to skip first (a UTF-8 BOM in front of cp1252 text)

    @property
    def wide(self) -> bool:
        return self.codec in WIDE


def not_a_spreadsheet(head: bytes) -> ImportFailed | None:
    """The plain refusal for a picture, a PDF, an archive... (by its first bytes), else None."""
    for magic, what, picture in NOT_SPREADSHEETS:
        if head.startswith(magic) and (magic != b"BM" or b"\x00" in head[:64]):
            if picture:
                return ImportFailed(
                    f"This is an image ({what}), not a spreadsheet, whatever its name says.",
                    "Choose the extract itself: a CSV or XLSX file from the London Datastore or data.police.uk.",
                )
            return ImportFailed(
                f"This is {what}, not a spreadsheet, whatever its name says.",
                "Choose the extract itself: a CSV or XLSX file (open the file you have to find where its data came "
                "from, or save the data as CSV or XLSX).",
            )
    return None


def sniff_encoding(head: bytes) -> Encoding:
    """The encoding from a BOM, or from the pattern of NUL bytes of UTF-16 without one; else UTF-8 to be confirmed
    by reading the whole file (see `confirm`)."""
    for bom, codec in _BOMS:
        if head.startswith(bom):
            return Encoding(codec)
    sample = head[:4096]
    if len(sample) >= 16:
        even, odd = sample[0::2], sample[1::2]
        if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
            return Encoding("utf-16-le")
        if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
            return Encoding("utf-16-be")
    return Encoding("utf-8")


def nul_padding(where: int, size: int) -> ImportFailed:
    tail = size - where
    amount = f"{tail / 1e6:,.0f} MB" if tail >= 1e6 else f"{tail:,} bytes"
    return ImportFailed(
        f"This file holds empty (NUL) bytes from byte {where:,} ({amount} of them), which a CSV export never has: "
        "it looks cut off or padded (a download that stopped, or a disk that filled up while it was saved). "
        "Nothing was imported.",
        "Download or export the extract again, then import the new copy.",
    )


def check_tail(path: Path, size: int, encoding: Encoding) -> None:
    """Refuse at once a text file that ends in NUL bytes (padding; a sparse file), from its last TAIL_BYTES only."""
    if encoding.wide:
        return  # checked as text while reading
    with path.open("rb") as fh:
        fh.seek(max(0, size - TAIL_BYTES))
        tail = fh.read(TAIL_BYTES)
    if tail and tail[-1] == 0:
        stripped = tail.rstrip(b"\x00")
        where = size - (len(tail) - len(stripped)) if stripped else _first_nul(path)
        raise nul_padding(where, size)


def _first_nul(path: Path) -> int:
    """Where the NUL bytes begin (read block by block: stops at the first block that has one)."""
    offset = 0
    with path.open("rb") as fh:
        while block := fh.read(1024 * 1024):
            if (at := block.find(b"\x00")) >= 0:
                return offset + at
            offset += len(block)
    return offset


def decode_head(raw: bytes, encoding: Encoding) -> str:
    """Text of the first bytes of a file (a character cut at the end is dropped)."""
    decoder = codecs.getincrementaldecoder(encoding.codec)(errors="replace")
    return decoder.decode(raw[encoding.skip :], final=False)


def delimiters_by_likelihood(text: str) -> list[str]:
    """The separators worth trying, most likely first (comma wins a tie): counted outside quotes on the first
    lines that have any."""
    candidates = [",", ";", "\t", "|"]
    lines = [line for line in text.splitlines()[:20] if line.strip()][:10]
    counts = {d: 0 for d in candidates}
    for delimiter in candidates:
        try:
            rows = list(csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter))
        except csv.Error:
            continue
        counts[delimiter] = sum(len(row) - 1 for row in rows)
    return sorted(candidates, key=lambda d: (-counts[d], candidates.index(d)))


DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "bar ('|')"}


def last_line_cut(path: Path, size: int, encoding: Encoding, delimiter: str, width: int) -> str | None:
    """The last line, when the file stops part-way through a row: no line end after it and fewer cells than the
    headings, or a quoted cell left open (a download cut off mid-row). None when the file ends whole."""
    unit = 4 if encoding.codec == "utf-32" else 2 if encoding.wide else 1
    if size % unit:
        return "(the file ends half-way through a character)"
    with path.open("rb") as fh:
        bom = fh.read(4)
        fh.seek(max(encoding.skip, size - TAIL_BYTES) // unit * unit)
        raw = fh.read()
    text = codecs.getincrementaldecoder(_tail_codec(encoding.codec, bom))(errors="replace").decode(raw, final=True)
    if not text or text.endswith(("\n", "\r")):
        return None
    last = text.splitlines()[-1] if text.splitlines() else text
    try:
        cells = next(csv.reader(io.StringIO(last), delimiter=delimiter, strict=True), [])
    except csv.Error:
        return last
    if last.count('"') % 2 or len(cells) < width:
        return last
    return None


def _tail_codec(codec: str, bom: bytes) -> str:
    """A codec that can start reading in the middle of the file (the BOM-reading ones cannot)."""
    if codec == "utf-16":
        return "utf-16-be" if bom.startswith(codecs.BOM_UTF16_BE) else "utf-16-le"
    if codec == "utf-32":
        return "utf-32-be" if bom.startswith(codecs.BOM_UTF32_BE) else "utf-32-le"
    return "utf-8" if codec == "utf-8-sig" else codec


def cut_off(line: str) -> ImportFailed:
    shown = line if len(line) <= 80 else line[:77] + "..."
    return ImportFailed(
        f"This file looks cut off: its last line stops part-way through a row ('{shown}'), as a download that did "
        "not finish does. Nothing was imported.",
        "Download or export the extract again (let it finish), then import the new copy. If you typed that last "
        "line yourself, end it with Enter or remove it.",
    )


__all__ = [
    "Encoding",
    "not_a_spreadsheet",
    "sniff_encoding",
    "check_tail",
    "nul_padding",
    "decode_head",
    "delimiters_by_likelihood",
    "last_line_cut",
    "cut_off",
    "DELIMITER_NAMES",
    "ZIP_MAGIC",
]
