"""Seeded mutators for the fuzzing harness (fuzz.py): CSV byte/cell/line/header/encoding/dialect damage, XLSX zip and
member damage, and zip bombs. Each mutator takes a random.Random and the seed bytes and returns new bytes."""

from __future__ import annotations

import csv
import io
import random
import zipfile
from collections.abc import Callable
from pathlib import Path


def csv_rows(data: bytes) -> list[list[str]]:
    # The csv module's field limit is process-wide and the importers read with it too: raise it only while we read.
    old = csv.field_size_limit(1 << 30)
    try:
        return list(csv.reader(io.StringIO(data.decode("utf-8-sig", errors="replace"))))
    finally:
        csv.field_size_limit(old)


def rows_to_csv(rows: list[list[str]], *, delimiter: str = ",", quoting: int = csv.QUOTE_MINIMAL) -> str:
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, quoting=quoting, lineterminator="\r\n").writerows(rows)
    return buf.getvalue()


# --- mutators (seeded) -------------------------------------------------------------------------------------

SPECIAL_CELLS = [
    "",
    " ",
    "NA",
    "NaN",
    "null",
    "-",
    "1,234",
    "0,56",
    "58%",
    "12.5",
    "-3",
    "1e309",
    "99999999999999999999999",
    "٣",
    "１２",
    "2024-13",
    "202413",
    "31/02/2024",
    "0000-00",
    "E05013806",
    "E0501380",
    '=HYPERLINK("http://x")',
    "+cmd|' /C calc'!A0",
    "@SUM(1)",
    "-2+3",
    "\x00",
    '"',
    "\n",
    "\r",
    "\t",
    "\ufeff",
    "<script>x</script>",
    "'; DROP TABLE source; --",
    "caf\u00e9",
    "\u202eevil",
    "💥",
]


def m_flip(rng: random.Random, data: bytes) -> bytes:
    buf = bytearray(data)
    for _ in range(rng.randint(1, 20)):
        i = rng.randrange(len(buf))
        buf[i] ^= 1 << rng.randrange(8)
    return bytes(buf)


def m_truncate(rng: random.Random, data: bytes) -> bytes:
    return data[: rng.randrange(1, len(data))]


def m_nul(rng: random.Random, data: bytes) -> bytes:
    buf = bytearray(data)
    for _ in range(rng.randint(1, 5)):
        buf.insert(rng.randrange(len(buf)), 0)
    return bytes(buf)


def _cells(rng: random.Random, data: bytes, make: Callable[[random.Random], str], n: int) -> bytes:
    rows = csv_rows(data)
    if len(rows) < 2:
        return data
    for _ in range(n):
        r = rng.randrange(1 if rng.random() < 0.8 else 0, len(rows))
        if rows[r]:
            rows[r][rng.randrange(len(rows[r]))] = make(rng)
    return rows_to_csv(rows).encode("utf-8")


def m_special(rng: random.Random, data: bytes) -> bytes:
    return _cells(rng, data, lambda r: r.choice(SPECIAL_CELLS), rng.randint(1, 8))


def m_big_cell(rng: random.Random, data: bytes) -> bytes:
    return _cells(rng, data, lambda r: r.choice('A9,"') * 1_000_000, 1)


def m_lines(rng: random.Random, data: bytes) -> bytes:
    lines = data.splitlines(keepends=True)
    op = rng.choice(["delete", "duplicate", "shuffle", "blank", "header-last", "only-header"])
    if op == "delete" and len(lines) > 1:
        del lines[rng.randrange(len(lines))]
    elif op == "duplicate":
        i = rng.randrange(len(lines))
        lines.insert(i, lines[i])
    elif op == "shuffle":
        body = lines[1:]
        rng.shuffle(body)
        lines = lines[:1] + body
    elif op == "blank":
        for _ in range(rng.randint(1, 10)):
            lines.insert(rng.randrange(len(lines) + 1), b"\r\n" if rng.random() < 0.5 else b",,,,\n")
    elif op == "header-last":
        lines = lines[1:] + lines[:1]
    else:
        lines = lines[:1]
    return b"".join(lines)


def m_header(rng: random.Random, data: bytes) -> bytes:
    rows = csv_rows(data)
    if not rows or not rows[0]:
        return data
    head = rows[0]
    op = rng.choice(["drop", "duplicate", "case", "space", "rename", "swap", "empty"])
    i = rng.randrange(len(head))
    if op == "drop":
        for row in rows:
            if i < len(row):
                del row[i]
    elif op == "duplicate":
        head.append(head[i])
    elif op == "case":
        head[i] = head[i].swapcase()
    elif op == "space":
        head[i] = f"  {head[i]} "
    elif op == "rename":
        head[i] = rng.choice(SPECIAL_CELLS[:20]) + "x"
    elif op == "swap":
        j = rng.randrange(len(head))
        head[i], head[j] = head[j], head[i]
    else:
        head[i] = ""
    return rows_to_csv(rows).encode("utf-8")


def m_encoding(rng: random.Random, data: bytes) -> bytes:
    text = data.decode("utf-8-sig", errors="replace")
    if rng.random() < 0.5:
        text = text.replace("e", "\u00e9", 3).replace("a", "\u2019", 2)
    enc = rng.choice(["utf-16", "utf-16-le", "utf-8-sig", "cp1252", "latin-1", "utf-32", "mac-roman"])
    return text.encode(enc, errors="replace")


def m_dialect(rng: random.Random, data: bytes) -> bytes:
    rows = csv_rows(data)
    delimiter = rng.choice([";", "\t", "|", ","])
    quoting = rng.choice([csv.QUOTE_ALL, csv.QUOTE_MINIMAL, csv.QUOTE_NONNUMERIC])
    try:
        text = rows_to_csv(rows, delimiter=delimiter, quoting=quoting)
    except (ValueError, csv.Error):
        text = rows_to_csv(rows, delimiter=delimiter)
    if rng.random() < 0.3:
        text = text.replace("\r\n", rng.choice(["\n", "\r"]))
    return text.encode("utf-8")


def m_quote(rng: random.Random, data: bytes) -> bytes:
    buf = bytearray(data)
    for _ in range(rng.randint(1, 3)):
        buf.insert(rng.randrange(len(buf)), ord('"'))
    return bytes(buf)


CSV_MUTATORS: dict[str, Callable[[random.Random, bytes], bytes]] = {
    "flip": m_flip,
    "truncate": m_truncate,
    "nul": m_nul,
    "special-cells": m_special,
    "1MB-cell": m_big_cell,
    "lines": m_lines,
    "header": m_header,
    "encoding": m_encoding,
    "dialect": m_dialect,
    "quote": m_quote,
}


def x_rewrite(data: bytes, change: Callable[[str, bytes], bytes | None]) -> bytes:
    """Rewrite an XLSX's zip, passing each member through `change` (None drops it)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dest:
        for info in src.infolist():
            new = change(info.filename, src.read(info.filename))
            if new is not None:
                dest.writestr(info.filename, new)
    return out.getvalue()


def xm_member(rng: random.Random, data: bytes) -> bytes:
    op = rng.choice(["garbage", "empty", "drop", "flip-xml", "truncate-xml", "shared-strings"])

    def change(name: str, body: bytes) -> bytes | None:
        if op == "shared-strings" and name.endswith("sharedStrings.xml"):
            return body.replace(b"<t>", b"<t>" + b"W" * 1_000_000, 1)
        if not name.startswith("xl/worksheets/") and not (op == "drop" and name == "xl/workbook.xml"):
            return body
        if op == "garbage":
            return bytes(rng.randrange(256) for _ in range(500))
        if op == "empty":
            return b""
        if op == "drop":
            return None
        if op == "flip-xml":
            return m_flip(rng, body)
        return body[: rng.randrange(1, max(2, len(body)))]

    return x_rewrite(data, change)


XLSX_MUTATORS: dict[str, Callable[[random.Random, bytes], bytes]] = {
    "zip-flip": m_flip,
    "zip-truncate": m_truncate,
    "member": xm_member,
}


# --- zip bombs ---------------------------------------------------------------------------------------------


def zip_bomb_xlsx(seed_xlsx: bytes, target: Path, inflated_mb: int, *, lie: bool = False) -> Path:
    """A real workbook whose first sheet's XML inflates to `inflated_mb` MB (valid XML: the real header and rows,
    then the same row repeated) while the file stays around 1/1000 of that. With `lie`, the zip's local and central
    headers claim the sheet is only 100 kB (a checker trusting the directory is fooled; the inflater is not bounded
    by it)."""
    import struct

    sheet_name = "xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(io.BytesIO(seed_xlsx)) as src:
        members = {info.filename: src.read(info.filename) for info in src.infolist()}
    sheet = members[sheet_name]
    head, _, tail = sheet.partition(b"</sheetData>")
    last_row = head[head.rindex(b"<row") :]
    last_row = last_row.split(b'r="')[0] + last_row.split(b'r="', 1)[1].split(b'"', 1)[1]  # drop the row number
    last_row = last_row.replace(b' r="', b' x="')
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as dest:
        for name, body in members.items():
            if name != sheet_name:
                dest.writestr(name, body)
        with dest.open(sheet_name, "w", force_zip64=True) as fh:
            fh.write(head)
            block = last_row * max(1, (1 << 20) // len(last_row))
            for _ in range(inflated_mb):
                fh.write(block)
            fh.write(b"</sheetData>" + tail)
    if lie:
        data = bytearray(target.read_bytes())
        with zipfile.ZipFile(target) as zf:
            info = zf.getinfo(sheet_name)
        real = info.file_size
        # zip64 extra fields hold the real sizes: overwrite every 8-byte little-endian copy of the real size
        needle = struct.pack("<Q", real)
        data = bytearray(bytes(data).replace(needle, struct.pack("<Q", 100_000)))
        needle32 = struct.pack("<I", real & 0xFFFFFFFF)
        if real < 0xFFFFFFFF:
            data = bytearray(bytes(data).replace(needle32, struct.pack("<I", 100_000)))
        target.write_bytes(bytes(data))
    return target
