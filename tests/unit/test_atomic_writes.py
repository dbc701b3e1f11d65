"""Issue 12: every output is written whole or not at all. The OS error is injected at the write itself (os.write
for our own writes), so these run anywhere; the tests in tests/reliability use a real full disk where they can."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from desktop.atomic import write_bytes
from desktop.faults import MachineFault


@pytest.fixture
def full_disk(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Writes into `tmp_path/out` fail part-way with ENOSPC, as on a full disk (other files are untouched)."""
    out = tmp_path / "out"
    out.mkdir()
    real = os.write

    def write(fd: int, data: bytes) -> int:
        if os.readlink(f"/proc/self/fd/{fd}").startswith(str(out)):
            if len(data) > 100:
                return real(fd, bytes(data)[:100])  # a short write first, then the disk is full
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(fd, data)

    monkeypatch.setattr(os, "write", write)
    return out


pytestmark = pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc to aim the injected error")


def test_a_full_disk_leaves_the_old_file_and_says_so(full_disk: Path) -> None:
    target = full_disk / "pack.pdf"
    target.write_bytes(b"the good copy")
    with pytest.raises(MachineFault) as failed:
        write_bytes(target, b"%PDF-" + b"x" * 10_000, "The PDF")
    assert target.read_bytes() == b"the good copy"
    assert "the disk is full" in str(failed.value) and "unchanged" in str(failed.value)
    assert "Free some space" in failed.value.next_step
    assert [p.name for p in full_disk.iterdir()] == ["pack.pdf"]  # no temporary file left


def test_settings_on_a_full_disk_keep_the_old_file(full_disk: Path) -> None:
    from desktop.settings import Settings, save_settings

    path = full_disk / "settings.json"
    path.write_text('{"old": true}')
    with pytest.raises(MachineFault, match="the disk is full"):
        save_settings(Settings(), path)
    assert path.read_text() == '{"old": true}' and len(list(full_disk.iterdir())) == 1


def test_xlsx_on_a_full_disk_keeps_the_old_file(full_disk: Path) -> None:
    from desktop.reports.xlsx import write_xlsx
    from tests.data.sample_pack import sample_pack

    path = full_disk / "appendix.xlsx"
    path.write_bytes(b"old workbook")
    with pytest.raises(MachineFault, match="the disk is full"):
        write_xlsx(sample_pack(), path)
    assert path.read_bytes() == b"old workbook" and len(list(full_disk.iterdir())) == 1


def test_pdf_on_a_full_disk_keeps_the_old_file(full_disk: Path, qapp) -> None:  # type: ignore[no-untyped-def]
    """Today the truncated PDF replaced the good one, and the message blamed the printer."""
    from desktop.reports.pdf import render_pdf
    from tests.data.sample_pack import sample_pack

    path = full_disk / "West_End.pdf"
    path.write_bytes(b"%PDF-1.4 the good pack %%EOF")
    with pytest.raises(MachineFault) as failed:
        render_pdf(sample_pack(), path)
    assert "the disk is full" in str(failed.value) and "printer" not in str(failed.value)
    assert path.read_bytes() == b"%PDF-1.4 the good pack %%EOF" and len(list(full_disk.iterdir())) == 1


def test_a_whole_write_replaces_the_file(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b.bin"
    assert write_bytes(target, b"new", "The file") == target and target.read_bytes() == b"new"
    write_bytes(target, b"newer", "The file")
    assert target.read_bytes() == b"newer" and [p.name for p in target.parent.iterdir()] == ["b.bin"]


def test_a_folder_that_cannot_be_made_is_said_plainly(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(MachineFault, match="part of the path is a file, not a folder"):
        write_bytes(blocker / "sub" / "out.pdf", b"x", "The PDF")


def test_html_on_a_full_disk_keeps_the_old_file(full_disk: Path) -> None:
    from desktop.reports.html import write_html
    from tests.data.sample_pack import sample_pack

    path = full_disk / "West_End.html"
    path.write_bytes(b"<!DOCTYPE html><html>the good pack</html>")
    with pytest.raises(MachineFault, match="the disk is full"):
        write_html(sample_pack(), path)
    assert path.read_bytes() == b"<!DOCTYPE html><html>the good pack</html>" and len(list(full_disk.iterdir())) == 1
