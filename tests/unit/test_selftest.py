"""The self-test the frozen app runs (`wardbrief selftest OUTDIR`), exercised from source: the same code.

The full run goes through a subprocess, exactly as the smoke test runs the frozen executable (fresh home folder,
no display), so it does not depend on which Qt application earlier tests created in this process.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from desktop import selftest
from desktop.selftest import CheckFailed, check_pdf, check_xlsx, compare_snapshots, pdf_page_count, snapshot

ROOT = Path(__file__).resolve().parents[2]


def _fake_pdf(pages: int, *, font: bytes = b"ABCDEF+DejaVuSans", end: bool = True) -> bytes:
    objs = [b"1 0 obj\n<<\n/Type /Catalog\n/Pages 2 0 R\n>>\nendobj\n"]
    kids = b" ".join(b"%d 0 R" % (3 + i) for i in range(pages))
    objs.append(b"2 0 obj\n<<\n/Type /Pages\n/Kids [" + kids + b"]\n/Count %d\n>>\nendobj\n" % pages)
    for i in range(pages):
        objs.append(b"%d 0 obj\n<<\n/Type /Page\n/Parent 2 0 R\n>>\nendobj\n" % (3 + i))
    objs.append(b"99 0 obj\n<<\n/Type /Font\n/BaseFont /" + font + b"\n>>\nendobj\n")
    return b"%PDF-1.4\n" + b"".join(objs) + (b"trailer\n%%EOF\n" if end else b"")


def isolated_env(tmp_path: Path) -> dict[str, str]:
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "WARDBRIEF", "MPLCONFIGDIR"))}
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    env.update(
        HOME=str(home),
        APPDATA=str(home / "AppData" / "Roaming"),
        LOCALAPPDATA=str(home / "AppData" / "Local"),
        XDG_DATA_HOME=str(home / "data"),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_CACHE_HOME=str(home / "cache"),
        XDG_STATE_HOME=str(home / "state"),
        QT_QPA_PLATFORM="offscreen",
        WARDBRIEF_DATA_DIR=str(tmp_path / "users-real-data"),  # the self-test must ignore it
        PYTHONPATH=str(ROOT),
    )
    return env


# --- the whole self-test, from source ------------------------------------------------------------------------


def test_selftest_from_source_passes_and_touches_nothing_of_the_user(tmp_path: Path) -> None:
    pytest.importorskip("desktop.reports.build")
    pytest.importorskip("desktop.reports.xlsx")
    out = tmp_path / "out"
    env = isolated_env(tmp_path)
    proc = subprocess.run(
        [sys.executable, "-m", "desktop", "selftest", str(out)],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, output
    assert "SELF-TEST PASSED" in output
    for word in ("Traceback", "ModuleNotFoundError", "FAILED"):
        assert word not in output
    pdfs = sorted(out.glob("*.pdf"))
    assert len(pdfs) == 3 and len(list(out.glob("*.xlsx"))) == 1  # the pack, its two-page summary, the overview
    assert len(list(out.glob("*.html"))) == 1
    assert (out / selftest.REPORT_NAME).read_text(encoding="utf-8").strip().endswith(f"Output: {out}")

    pypdf = pytest.importorskip("pypdf")
    for pdf in pdfs:  # our pure-Python page count agrees with a real PDF reader
        assert pdf_page_count(pdf.read_bytes()) == len(pypdf.PdfReader(pdf).pages) > 1

    # Nothing of WardBrief's in the user's folders or the data dir from the environment; temp data removed.
    assert not (tmp_path / "users-real-data").exists()
    assert not [p for p in (tmp_path / "home").rglob("*") if "wardbrief" in p.name.lower()]
    line = next(ln for ln in output.splitlines() if ln.startswith("Temporary data folder: "))
    assert not Path(line.split(": ", 1)[1]).exists()


def test_selftest_fails_with_a_clear_message_when_demo_data_is_missing(
    tmp_path: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], qapp: object
) -> None:
    from desktop.importers import demo

    empty = tmp_path / "no-demo"
    empty.mkdir()
    monkeypatch.setattr(demo, "demo_dir", lambda: empty)
    for key in ("MPLCONFIGDIR", "QT_QPA_PLATFORM"):  # the self-test may set these: restore them afterwards
        if key in os.environ:
            monkeypatch.setenv(key, os.environ[key])
        else:
            monkeypatch.delenv(key, raising=False)
    out = tmp_path / "out"
    assert selftest.run_selftest(out) == 1
    printed = capsys.readouterr().out
    kept = Path(next(ln for ln in printed.splitlines() if ln.startswith("Temporary data folder: ")).split(": ", 1)[1])
    assert kept.is_dir()
    shutil.rmtree(kept)
    assert "[FAILED]" in printed and "Import the demo extracts: The demo data is missing" in printed
    assert "SELF-TEST FAILED" in printed and "kept for inspection" in printed
    assert "SELF-TEST FAILED" in (out / selftest.REPORT_NAME).read_text(encoding="utf-8")
    assert not data_dir.exists()  # the user's data folder (here: the fixture's) was never created


def test_selftest_refuses_an_output_folder_it_cannot_write(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    assert selftest.run_selftest(blocker / "out") == 1
    assert "cannot write to" in capsys.readouterr().out


# --- the checks --------------------------------------------------------------------------------------------


def test_check_pdf_accepts_a_real_looking_pack(tmp_path: Path) -> None:
    path = tmp_path / "pack.pdf"
    path.write_bytes(_fake_pdf(5))
    assert pdf_page_count(path.read_bytes()) == 5
    assert "5 pages" in check_pdf(path) and "DejaVuSans" in check_pdf(path)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        (b"<html>not a pdf</html>", "is not a PDF"),
        (_fake_pdf(4, end=False), "cut short"),
        (_fake_pdf(1), "1 page(s)"),
        (_fake_pdf(3, font=b"Helvetica"), "DejaVu Sans"),
    ],
)
def test_check_pdf_rejects_bad_output(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "pack.pdf"
    path.write_bytes(content)
    with pytest.raises(CheckFailed, match=message.replace("(", r"\(").replace(")", r"\)")):
        check_pdf(path)


def test_check_pdf_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CheckFailed, match="was not written"):
        check_pdf(tmp_path / "nope.pdf")


def test_check_xlsx(tmp_path: Path) -> None:
    from openpyxl import Workbook

    good, empty, text = tmp_path / "good.xlsx", tmp_path / "empty.xlsx", tmp_path / "text.xlsx"
    wb = Workbook()
    wb.active.title = "Contents"
    wb.active.append(["Sheet", "What it holds"])
    wb.active.append(["cat_all_crime", "All crime by month"])
    wb.save(good)
    Workbook().save(empty)
    text.write_text("month,count\n", encoding="utf-8")
    assert "1 sheets (Contents)" in check_xlsx(good)
    with pytest.raises(CheckFailed, match="no data rows"):
        check_xlsx(empty)
    with pytest.raises(CheckFailed, match="not an XLSX"):
        check_xlsx(text)


def test_program_folder_checks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = {"a.py": (1, 1), "b.txt": (2, 2)}
    assert compare_snapshots(before, dict(before), strict=True) == ""
    changed = {"a.py": (1, 5), "c.db": (9, 9)}
    assert compare_snapshots(before, changed, strict=False) == "new file c.db"
    strict = compare_snapshots(before, changed, strict=True)
    assert "new file c.db" in strict and "removed b.txt" in strict and "changed a.py" in strict

    # Frozen: the whole bundle folder counts, except an output folder the user put inside it.
    bundle = tmp_path / "WardBrief"
    (bundle / "_internal").mkdir(parents=True)
    (bundle / "_internal" / "lib.so").write_bytes(b"x")
    (bundle / "out").mkdir()
    (bundle / "out" / "pack.pdf").write_bytes(b"%PDF")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(bundle / "WardBrief"))
    assert selftest.program_folder() == bundle.resolve()
    assert set(snapshot(bundle, skip=bundle / "out")) == {"_internal/lib.so"}
