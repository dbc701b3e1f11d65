"""What a file is, before it is read (Qt-free): the facts reader.file_facts gathers (size, sha256, format, text
encoding), the one pass over the bytes that hashes them and checks the text (NUL bytes refused, textfile.py), and
the checks that refuse a zip that is no workbook or would inflate too far (a zip bomb) before anything inflates.
"""

from __future__ import annotations

import codecs
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from desktop.errors import check_cancelled
from desktop.importers.errors import ImportFailed
from desktop.importers.textfile import Encoding, nul_padding

OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # old .xls
SNIFF_BYTES = 256 * 1024
# What an XLSX may expand to when unzipped: a 500k-row sheet is ~200 MB; a "zip bomb" is refused before inflating.
MAX_XLSX_INFLATED = 600 * 1024 * 1024
# ...and no part may expand more than this many times over once it is big: real sheets' XML compresses 5-20x,
# a bomb just under the total limit compresses hundreds or thousands of times.
MAX_PART_RATIO = 100
RATIO_CHECKED_FROM = 50 * 1024 * 1024


@dataclass
class FileFacts:
    path: Path
    size: int
    sha256: str
    fmt: str  # "csv" | "xlsx" | "shapefile" (a .shp, or a .zip holding one); "geojson" once detected
    encoding: str  # for CSV, a codec: "utf-8-sig", "cp1252", "utf-16", "utf-16-le", "utf-16-be" or "utf-32"
    skip: int = 0  # CSV: bytes to skip before decoding (a UTF-8 BOM in front of cp1252 text)
    delimiter: str = ","  # CSV: the column separator (set by detect.open_table)

    @property
    def text_encoding(self) -> Encoding:
        return Encoding(self.encoding, self.skip)


def read_through(
    path: Path, size: int, fmt: str, encoding: Encoding, cancelled: Callable[[], bool] | None
) -> tuple[str, bool]:
    """One pass over the bytes: their sha256 and whether text is valid in `encoding` (NUL bytes refused)."""
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder(encoding.codec)()
    valid = True
    offset = 0
    with path.open("rb") as fh:
        while block := fh.read(4 * 1024 * 1024):
            check_cancelled(cancelled)
            digest.update(block)
            if fmt == "csv":
                if not encoding.wide and (at := block.find(b"\x00")) >= 0:
                    raise nul_padding(offset + at, size)
                if valid:
                    try:
                        text = decoder.decode(block)
                    except UnicodeDecodeError:
                        if encoding.wide:
                            raise ImportFailed(
                                "The file's text is not readable as the Unicode (UTF-16) text its first bytes say "
                                "it is; it may be damaged or cut off.",
                                "Export the extract again (in Excel: File > Save As > CSV UTF-8), then import it.",
                            ) from None
                        valid = False
                    else:
                        if encoding.wide and (at := text.find("\x00")) >= 0:
                            raise nul_padding(offset, size)
            offset += len(block)
    return digest.hexdigest(), valid


def _check_inflated_size(path: Path) -> None:
    """Refuse a workbook whose parts would unzip to more than MAX_XLSX_INFLATED, or a big part that expands more
    than MAX_PART_RATIO times over, before anything is inflated."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError) as exc:  # e.g. "zip file version 14.8"
        raise damaged(exc) from exc
    if (other := _zip_not_a_workbook([info.filename for info in parts])) is not None:
        raise other
    inflated = sum(info.file_size for info in parts)
    if inflated > MAX_XLSX_INFLATED:
        raise ImportFailed(
            f"This spreadsheet expands to {inflated / 1e6:,.0f} MB when opened, more than WardBrief reads from an "
            f"XLSX file ({MAX_XLSX_INFLATED / 1e6:,.0f} MB); it has not been opened.",
            "If it is a real extract, save it as CSV (in Excel: File > Save As > CSV UTF-8) and import the CSV, "
            "which is read in parts; otherwise check where the file came from.",
        )
    for info in parts:
        if info.file_size > RATIO_CHECKED_FROM and info.file_size > MAX_PART_RATIO * max(info.compress_size, 1):
            ratio = info.file_size / max(info.compress_size, 1)
            raise ImportFailed(
                f"This spreadsheet's part {info.filename} would expand {ratio:,.0f} times over "
                f"({info.compress_size / 1e6:,.1f} MB to {info.file_size / 1e6:,.0f} MB) when opened; real "
                "workbooks expand at most about 20 times, so it has not been opened (it may be a 'zip bomb').",
                "If it is a real extract, open it in Excel and save it as CSV (File > Save As > CSV UTF-8), then "
                "import the CSV; otherwise check where the file came from.",
            )


def _zip_not_a_workbook(names: list[str]) -> ImportFailed | None:
    """A zip that is no workbook (a Word file, a zip of extracts...) named plainly; None for XLSX or ODS."""
    if any(n.startswith("xl/") for n in names) or "mimetype" in names or "content.xml" in names:
        return None
    if any(n.startswith("word/") for n in names):
        what, step = "a Word document", "Copy its table into Excel and save it as XLSX or CSV, then import that."
    elif any(n.startswith("ppt/") for n in names):
        what, step = "a PowerPoint file", "Find the spreadsheet its figures came from, and import that."
    else:
        what, step = "a zip archive", "If the extract is inside it, unzip it first, then import the CSV or XLSX file."
    return ImportFailed(f"This is {what}, not a spreadsheet, whatever its name says.", step)


def damaged(exc: Exception) -> ImportFailed:
    return ImportFailed(
        f"The spreadsheet cannot be opened; it looks damaged or incomplete ({exc}).",
        "Download or save the file again (a copy cut short in transfer is the usual cause), then import it.",
    )
