from __future__ import annotations

import sys

import pytest

from desktop.cli import has_display


def test_offscreen_qt_is_not_a_display(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    monkeypatch.setenv("DISPLAY", ":0")
    assert not has_display()


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="Linux display rules")
def test_linux_needs_x11_or_wayland(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    assert not has_display()
    monkeypatch.setenv("DISPLAY", ":99")
    assert has_display()


def test_gui_without_display_says_so(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], data_dir
) -> None:  # type: ignore[no-untyped-def]
    from desktop.cli import main

    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setattr(sys, "platform", "linux")
    assert main(["gui"]) == 1
    assert "No display" in capsys.readouterr().err


def test_version_matches_pyproject() -> None:
    import tomllib
    from pathlib import Path

    from desktop import __version__

    pyproject = Path(__file__).resolve().parents[2] / "pyproject.toml"
    assert tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["version"] == __version__
