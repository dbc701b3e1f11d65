"""Issue 12: the CLI's plain messages for what users type (`--meeting`) and for faults that escape a command."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

from desktop import cli


@pytest.mark.parametrize("typed", ["2025-02-30", "tomorrow", "06/30/2025", "2025-13-01", "31/04/2025", ""])
def test_meeting_dates_that_are_not_dates_are_refused(typed: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        cli.main(["pack", "--all", "--meeting", typed])
    assert stopped.value.code == 2  # a usage mistake: nothing ran, the store was not even opened
    err = capsys.readouterr().err
    assert "is not a date" in err and "YYYY-MM-DD or DD/MM/YYYY" in err and "Traceback" not in err


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("2025-06-30", "2025-06-30"),
        ("30/06/2025", "2025-06-30"),
        ("1/7/2025", "2025-07-01"),
        ("2024-02-29", "2024-02-29"),
    ],
)
def test_meeting_dates_as_uk_users_type_them(typed: str, stored: str) -> None:
    args = cli.build_parser().parse_args(["pack", "--all", "--meeting", typed])
    assert args.meeting == stored
    assert cli._pack_options(args).meeting_date == stored


def test_a_machine_fault_that_escapes_a_command_is_one_sentence(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    def full(args: object) -> int:
        raise OSError(errno.ENOSPC, "No space left on device", "/somewhere/file")

    monkeypatch.setattr(cli, "cmd_wards", full)
    assert cli.main(["wards"]) == 1
    err = capsys.readouterr().err
    assert "the disk is full" in err and "/somewhere/file" in err and "Free some space" in err


def test_a_reader_that_stops_early_is_not_a_disk_fault(tmp_path: Path) -> None:
    """`wardbrief sources | head` said 'WardBrief could not finish: broken pipe. Check the disk...' (a first user)."""
    import subprocess
    import sys

    data = tmp_path / "data"
    crime = Path(__file__).resolve().parents[1] / "data" / "mps_ward_crime_202307-202506_westminster_excerpt.csv"
    run = [sys.executable, "-m", "desktop", "--data-dir", str(data)]
    subprocess.run([*run, "import", str(crime)], check=True, capture_output=True, timeout=120)
    lister = subprocess.Popen([*run, "wards", "--all-boroughs"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert lister.stdout is not None and lister.stderr is not None
    lister.stdout.close()  # the reader has gone before anything was written
    err = lister.stderr.read().decode()
    assert lister.wait(120) == 0 and "could not finish" not in err, err
