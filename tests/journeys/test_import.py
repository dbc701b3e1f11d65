"""Importing through File → Import files… (Ctrl+I) on a real display (issue 11, item 10): a file that is not a
spreadsheet gets an error in plain words; a file WardBrief knowingly does not need gets a calm note."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QFileDialog

from tests.journeys._drive import key
from tests.journeys._window import close_window, wait_idle, window_on_screen

ROOT = Path(__file__).resolve().parents[2]
PNG = ROOT / "docs" / "screenshots" / "data-100.png"
JARGON = ("universal-newline", "unquoted field", "new-line character", "codec", "Traceback", "Errno")
LFB_MOBILISATION_HEADER = (
    "IncidentNumber,CalYear,HourOfCall,ResourceMobilisationId,Resource_Code,PerformanceReporting,"
    "DateAndTimeMobilised,DateAndTimeMobile,DateAndTimeArrived,TurnoutTimeSeconds,TravelTimeSeconds,"
    "AttendanceTimeSeconds,DateAndTimeLeft,DateAndTimeReturned,DeployedFromStation_Code,"
    "DeployedFromStation_Name,DeployedFromLocation,PumpOrder,PlusCode_Code,PlusCode_Description,"
    "DelayCodeId,DelayCode_Description"
)


def import_by_keyboard(qtbot: Any, window: Any, monkeypatch: Any, *files: Path) -> str:
    """Ctrl+I with the file chooser answered; everything the Data page then says, as one text."""
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(f) for f in files], ""))
    key(qtbot, "ctrl+i")
    qtbot.waitUntil(lambda: bool(window.data_page.results), timeout=60000)
    wait_idle(qtbot, window)
    data = window.data_page
    rows = [
        str(data.results_model.index(r, c).data())
        for r in range(data.results_model.rowCount())
        for c in range(data.results_model.columnCount())
    ]
    said = "\n".join([data.banner.message(), data.details.toPlainText(), *rows])
    for name in sorted({str(f.parent) for f in files} | {f.name for f in files} | {f.stem for f in files}, key=len)[
        ::-1
    ]:
        said = said.replace(name, "<file>")  # judge the words, not the file's own name or folder
    return said


def test_a_png_renamed_xlsx_gets_a_plain_words_error(
    qtbot: Any, data_dir: Path, tmp_path: Path, monkeypatch: Any
) -> None:
    picture = tmp_path / "ward crime June.xlsx"
    shutil.copy(PNG, picture)
    plain = tmp_path / "ward map.png"
    shutil.copy(PNG, plain)
    window = window_on_screen(qtbot)
    said = import_by_keyboard(qtbot, window, monkeypatch, picture, plain)
    assert not window.data_page.results[0].ok
    jargon = [word for word in JARGON if word.lower() in said.lower()]
    assert not jargon, f"the error is not in plain words ({jargon}):\n{said}"
    assert any(word in said.lower() for word in ("picture", "image", "png", "not a spreadsheet")), (
        f"the error does not say the file is a picture, not a spreadsheet:\n{said}"
    )
    close_window(qtbot, window)


def test_an_unneeded_lfb_mobilisation_file_gets_a_calm_note(
    qtbot: Any, data_dir: Path, tmp_path: Path, monkeypatch: Any
) -> None:
    mobilisation = tmp_path / "LFB Mobilisation data.csv"
    mobilisation.write_text(
        LFB_MOBILISATION_HEADER
        + "\n235138081,2009,0,38426,H271,1,01/01/2009 00:02:27,,01/01/2009 00:07:46,,,319,01/01/2009 00:16:46,"
        "01/01/2009 00:23:55,H27,Battersea,Home Station,1,Initial,Initial Mobilisation,,\n",
        encoding="utf-8",
    )
    window = window_on_screen(qtbot)
    said = import_by_keyboard(qtbot, window, monkeypatch, mobilisation)
    banner = window.data_page.banner
    assert banner.level != "error", f"a file WardBrief knowingly does not need got a red error:\n{said}"
    assert "not" in said.lower() and "need" in said.lower(), f"no note that the file is not needed:\n{said}"
    close_window(qtbot, window)
