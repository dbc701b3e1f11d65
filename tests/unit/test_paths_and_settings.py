from __future__ import annotations

from pathlib import Path

import pytest

from desktop import paths
from desktop.errors import WardBriefError
from desktop.settings import Settings, load_settings, save_settings


def test_data_dir_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "home" / "xdg"))
    monkeypatch.delenv(paths.ENV_VAR, raising=False)
    paths.set_data_dir(None)
    assert paths.data_dir() == tmp_path / "home" / "xdg" / "WardBrief"

    monkeypatch.setenv(paths.ENV_VAR, str(tmp_path / "env"))
    assert paths.data_dir() == tmp_path / "env"
    assert paths.log_dir() == tmp_path / "env" / "logs"

    paths.set_data_dir(tmp_path / "cli")
    try:
        assert paths.data_dir() == tmp_path / "cli"
        assert paths.store_path() == tmp_path / "cli" / "wardbrief.db"
    finally:
        paths.set_data_dir(None)


def test_cli_data_dir_option(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:  # type: ignore[no-untyped-def]
    from desktop.cli import main

    monkeypatch.setenv(paths.ENV_VAR, str(tmp_path / "env"))
    try:
        assert main(["--data-dir", str(tmp_path / "cli"), "wards"]) == 0
    finally:
        paths.set_data_dir(None)
    assert (tmp_path / "cli" / "wardbrief.db").exists()
    assert not (tmp_path / "env" / "wardbrief.db").exists()
    assert "No wards" in capsys.readouterr().out


def test_settings_round_trip_and_defaults(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    assert load_settings(path) == Settings()
    settings = Settings(marking="OFFICIAL-SENSITIVE", small_number_threshold=10)
    save_settings(settings, path)
    assert load_settings(path) == settings
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(WardBriefError) as info:
        load_settings(path)
    assert "cannot be read" in info.value.message


def test_settings_validation(tmp_path: Path) -> None:
    with pytest.raises(WardBriefError):
        save_settings(Settings(small_number_threshold=0), tmp_path / "s.json")
