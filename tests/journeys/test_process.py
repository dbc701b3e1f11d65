"""Journeys through the real app process (`python -m desktop`) on Xvfb, driven by keyboard shortcuts: the ones a
crash or an exit code decides (issue 11, items 1 and 2)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.journeys._app import App
from tests.journeys._x import Display, find_windows

Launch = Callable[[Path], App]


@pytest.fixture
def launch(xdisplay: Display, tmp_path: Path) -> Iterator[Launch]:
    """Start the app on the journey display with a data folder; any app still running at the end is killed."""
    apps: list[App] = []

    def start(data: Path) -> App:
        app = App(xdisplay.name, data, tmp_path)
        apps.append(app)
        return app

    yield start
    for app in apps:
        app.kill()


def assert_clean_exit(app: App, code: int) -> None:
    assert code == 0, f"exit code {code}; stderr:\n{app.errors()}"
    assert not app.bad_stderr(), "\n".join(app.bad_stderr())


def generate_first_ward(app: App, out: Path) -> Path:
    """Briefing page (Alt+B), choose Abbey Road (search, Enter on the single match), Generate (Ctrl+G), then Save
    PDF once it is made."""
    app.key("alt+b", pause=1.0)
    app.key("alt+w")
    app.type("Abbey Road")
    app.key("Return")
    app.generate()
    target = out / "first.pdf"
    app.save_pdf_when_ready(target)
    return target


def test_print_preview_opens_and_closes_without_killing_the_app(launch: Launch, seeded: Path, tmp_path: Path) -> None:
    """Item 1: Briefing → Print preview… then Escape; the app is still alive and quits with 0."""
    app = launch(seeded)
    generate_first_ward(app, tmp_path)
    app.menu("i", "v")  # Br&iefing → Print pre&view…
    preview = app.dialog("^Print preview", timeout=30)
    assert preview
    app.key("Escape", pause=1.0)
    app.closed("^Print preview")
    app.alive()
    app.menu("i", "v")  # twice: the crash came from a printer freed while the dialog used it
    app.dialog("^Print preview", timeout=30)
    app.key("Escape", pause=1.0)
    app.closed("^Print preview")
    assert_clean_exit(app, app.quit())


def test_quit_after_saving_a_priority_with_an_action_exits_0(launch: Launch, seeded: Path) -> None:
    """Item 2: Priorities → Add priority… with one action → Save, then Ctrl+Q exits 0 with a clean stderr."""
    app = launch(seeded)
    before = len(app.query("SELECT id FROM priority"))
    app.key("alt+p", pause=1.5)  # the Priorities page
    app.key("alt+a", pause=0.2)  # &Add priority…
    app.dialog("^Add a priority")
    app.type("Phone snatches near the station")
    app.key("alt+d", pause=0.4)  # A&dd action: edits the new row's first cell
    app.type("Weekly patrols at the station exits")
    app.key("Tab")
    app.type("PC Smith")
    app.key("Return", pause=0.4)  # commit the cell
    app.key("alt+t", pause=0.2)  # back to the Title box
    app.key("Return", pause=0.5)  # Save (the dialog's default button)
    app.closed("^Add a priority")
    rows = app.wait_for(
        "the priority and its action in the store",
        lambda: app.query(
            "SELECT p.title, a.text FROM priority p JOIN priority_action a ON a.priority_id = p.id WHERE p.title = ?",
            "Phone snatches near the station",
        ),
        timeout=30,
    )
    assert rows[0][1] == "Weekly patrols at the station exits"
    assert len(app.query("SELECT id FROM priority")) == before + 1
    assert not find_windows(app.display, "^WardBrief - crash|^WardBrief crash")
    assert_clean_exit(app, app.quit())


def test_the_officers_month_end_to_end(launch: Launch, data_dir: Path, tmp_path: Path) -> None:
    """The whole journey by keyboard in the real app: import → choose ward → preview → print preview → save PDF
    and XLSX → batch + Cancel → priority → regenerate → quit; the files are checked and the exit code is 0."""
    from tests.journeys._x import pdf_text
    from tests.journeys.conftest import DEMO, SEED_FILES

    out = tmp_path / "out"
    batch = out / "batch"
    batch.mkdir(parents=True)
    data_dir.mkdir(parents=True, exist_ok=True)
    app = launch(data_dir)

    # import three real extracts through File → Import files… (Ctrl+I)
    app.key("ctrl+i")
    app.dialog("^Import extract files")
    app.key("ctrl+a")
    app.type(" ".join(f'"{DEMO / name}"' for name in SEED_FILES[:3]))
    app.key("Return", pause=1.0)
    app.closed("^Import extract files")
    app.wait_for("three sources in the store", lambda: len(app.query("SELECT id FROM source")) == 3, timeout=120)

    # choose West End by keyboard: search, Down into the list, Enter; then Generate (Ctrl+G) and Save PDF (Ctrl+S)
    app.key("alt+b", pause=1.5)
    app.key("alt+w")
    app.type("West End")
    app.key("Down", "Return")
    app.generate()
    first = out / "west end.pdf"
    app.save_pdf_when_ready(first)
    assert "West End ward" in pdf_text(first)

    # Briefing → Print preview…, look, Escape
    app.menu("i", "v")
    app.dialog("^Print preview")
    app.key("Escape", pause=1.0)
    app.closed("^Print preview")

    # Briefing → Save XLSX…
    appendix = out / "west end.xlsx"
    app.menu("i", "x")
    app.file_dialog("^Save the data appendix", appendix)
    app.wait_for("the XLSX appendix", appendix.exists, timeout=60)

    # tick every ward (All), Briefing → Save packs for ticked wards…, Cancel after the first pack
    app.focus()
    app.key("alt+a")
    app.menu("i", "t")
    app.file_dialog("^Save the packs into this folder", batch)
    app.wait_for("the first batch pack", lambda: list(batch.glob("*.pdf")), timeout=120, every=0.1)
    app.key("alt+c", pause=2.0)
    kept = list(batch.glob("*.pdf"))
    assert kept, "Cancel removed the packs already finished"

    # Priorities: add one for the current ward, then regenerate and save: the new pack lists it
    app.key("alt+p", pause=1.5)
    app.key("alt+a")
    app.dialog("^Add a priority")
    app.type("Bike thefts at the theatres")
    app.key("Return", pause=0.5)
    app.closed("^Add a priority")
    rows = app.wait_for(
        "the priority in the store",
        lambda: app.query(
            "SELECT w.name FROM priority p JOIN ward w ON w.code = p.ward_code WHERE p.title LIKE 'Bike%'"
        ),
    )
    assert rows[0][0] == "West End", f"the priority went to {rows[0][0]}, not the Briefing ward West End"
    app.key("alt+b", pause=1.0)
    app.generate()
    second = out / "west end again.pdf"
    app.save_pdf_when_ready(second)
    text = pdf_text(second)
    assert "West End ward" in text and "Bike thefts at the theatres" in text, "the regenerated pack lacks the priority"

    assert_clean_exit(app, app.quit())
