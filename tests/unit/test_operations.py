"""The operations layer the window and the CLI share (desktop/operations.py), without Qt: the store summary
(home area, months with crime figures, generation), the preview's staleness, and pack generation."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from desktop import operations, paths
from desktop.reports.options import PackOptions
from desktop.settings import Settings, save_settings

DATA = Path(__file__).resolve().parents[1] / "data"
CRIME = DATA / "mps_ward_crime_202307-202506_westminster_excerpt.csv"
LFB = DATA / "lfb_incident_records_first20.csv"


def test_summary_months_are_months_with_crime_figures(data_dir) -> None:  # type: ignore[no-untyped-def]
    results: list = []
    operations.import_files([CRIME, LFB], results)
    assert all(r.ok for r in results), [r.summary() for r in results]
    summary = operations.store_summary()
    assert summary.home_boroughs == ["Westminster"]
    assert {w["borough_name"] for w in summary.wards} == {"Westminster"}
    assert summary.months[0] == summary.reference_month == "2025-06"
    assert min(summary.months) >= "2023-07"  # never the LFB file's older months, which hold no crime figures
    assert summary.generation > 0


def test_a_pack_is_stale_once_anything_it_was_made_from_changes(data_dir) -> None:  # type: ignore[no-untyped-def]
    results: list = []
    operations.import_files([CRIME], results)
    summary = operations.store_summary()
    code, other = (w["code"] for w in summary.wards[:2])
    options = PackOptions(themes=["all_crime"])
    made = operations.generate_pack(code, options)
    assert made.pdf.is_file() and made.ward_code == code
    settings = operations.current_settings()
    now = operations.store_summary().generation
    assert operations.stale_reasons(made, code, options, settings, now) == []
    assert "ward" in operations.stale_reasons(made, other, options, settings, now)[0]
    assert "options" in operations.stale_reasons(made, code, replace(options, public=False), settings, now)[0]
    assert "settings" in operations.stale_reasons(made, code, options, replace(settings, marking="x"), now)[0]

    from desktop.store.priorities import Priority

    operations.save_priority(Priority(id=None, ward_code=code, title="Phone snatches at the station"))
    later = operations.store_summary().generation
    assert later > now
    assert "store" in operations.stale_reasons(made, code, options, settings, later)[0]


def test_settings_borough_scopes_the_summary(data_dir) -> None:  # type: ignore[no-untyped-def]
    results: list = []
    operations.import_files([CRIME], results)
    save_settings(Settings(borough="Camden"), paths.settings_path())  # not in the store: the extract's borough
    assert operations.store_summary().home_boroughs == ["Westminster"]


def test_save_copy_is_whole_or_nothing(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import shutil

    import pytest

    from desktop.errors import WardBriefError

    source = tmp_path / "preview.pdf"
    source.write_bytes(b"%PDF-1.4 new")
    target = tmp_path / "pack.pdf"
    target.write_bytes(b"%PDF-1.4 old")

    def full_disk(src, dst, *a, **k):  # type: ignore[no-untyped-def]
        Path(dst).write_bytes(b"%PDF")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(shutil, "copyfile", full_disk)
    with pytest.raises(WardBriefError):
        operations.save_copy(source, target)
    assert target.read_bytes() == b"%PDF-1.4 old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pack.pdf", "preview.pdf"]
