"""Batch packs: the expected files, progress per pack, clean cancel, clear errors, one bad ward not sinking all."""

from __future__ import annotations

import sys
import types
from pathlib import Path

import pytest

from desktop.errors import Cancelled, WardBriefError
from desktop.reports.batch import PackJob, pack_stem, safe_name, write_packs
from desktop.reports.model import Column, Pack, Section, Table
from desktop.reports.options import PackOptions

WARDS = [
    ("E05013806", "West End", "Westminster"),
    ("E05013808", "St James's", "Westminster"),
    ("E05013797", "Knightsbridge & Belgravia", "Westminster"),
    ("E05013653", "Camden Square", "Camden"),
]


def _store(path: Path, with_data: bool = True) -> Path:
    from desktop.store import open_store
    from desktop.store.schema import derive_source_months

    db = open_store(path)
    db.execute(
        "INSERT INTO source (id, kind, file_name, sha256, imported_at) VALUES (1, 'mps_crime', 'x.csv', 'abc', "
        "'2025-08-04T10:00:00')"
    )
    for code, name, borough in WARDS:
        db.execute("INSERT INTO ward (code, name, borough_name) VALUES (?, ?, ?)", [code, name, borough])
        if with_data:
            db.execute(
                "INSERT INTO crime_count (source_id, ward_code, month, taxonomy, category, count) "
                "VALUES (1, ?, '2025-06', 'mps', 'THEFT', 10)",
                [code],
            )
    derive_source_months(db)  # what the importers record about each file's months
    db.conn.commit()
    db.close()
    return path


def _tiny_pack(name: str, code: str, kind: str = "ward") -> Pack:
    table = Table("t", f"{name} table", [Column("A"), Column("N", "int")], [["x", 1], ["=bad", 2]])
    pack = Pack(
        kind,
        f"{name} ward" if kind == "ward" else f"{name}: all wards",
        code,
        name,
        "Westminster",  # type: ignore[arg-type]
        "12 months to June 2025",
        "2025-06",
        "OFFICIAL",
        "Org",
        "",
        "2025-08-04",
    )
    pack.sections = [Section("s", "Section", [table])]
    return pack


@pytest.fixture
def fake_build(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    calls: dict[str, list[str]] = {"ward": [], "overview": [], "fail": []}

    def build_pack(db, code, options, settings):  # type: ignore[no-untyped-def]
        calls["ward"].append(code)
        if code in calls["fail"]:
            raise WardBriefError(f"No figures for {code} in June 2025.", "Choose another month.")
        name = db.execute("SELECT name FROM ward WHERE code = ?", [code]).fetchone()[0]
        return _tiny_pack(name, code)

    def build_overview(db, borough, options, settings):  # type: ignore[no-untyped-def]
        calls["overview"].append(borough)
        return _tiny_pack(borough, "", "overview")

    module = types.ModuleType("desktop.reports.build")
    module.build_pack = build_pack  # type: ignore[attr-defined]
    module.build_overview = build_overview  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "desktop.reports.build", module)
    return calls


def test_safe_names() -> None:
    assert safe_name("St James's") == "St_Jamess"
    assert safe_name("Knightsbridge & Belgravia") == "Knightsbridge_Belgravia"
    assert safe_name("../../etc/passwd") == "etc_passwd"
    assert safe_name("Ŵéšt Ënd") == "West_End"
    assert pack_stem(PackJob("ward", "E05013806", "West End"), "2025-06", True) == "West_End_E05013806_2025-06_public"
    assert pack_stem(PackJob("overview", "Westminster", "Westminster"), "2025-06", False).endswith("_internal")


def test_serial_batch_writes_every_ward_and_an_overview_per_borough(
    data_dir: Path,
    tmp_path: Path,
    fake_build: dict[str, list[str]],
    qapp,  # type: ignore[no-untyped-def]
) -> None:
    db_path = _store(tmp_path / "store.db")
    seen: list[tuple[int, int, str]] = []
    out = tmp_path / "out"
    paths = write_packs(
        db_path, None, PackOptions(), out, xlsx=True, workers=1, progress=lambda d, t, m: seen.append((d, t, m))
    )
    names = sorted(p.name for p in paths)
    assert names == sorted(
        [
            "West_End_E05013806_2025-06_public.pdf", "West_End_E05013806_2025-06_public.xlsx",
            "St_Jamess_E05013808_2025-06_public.pdf", "St_Jamess_E05013808_2025-06_public.xlsx",
            "Knightsbridge_Belgravia_E05013797_2025-06_public.pdf", "Knightsbridge_Belgravia_E05013797_2025-06_public.xlsx",
            "Camden_Square_E05013653_2025-06_public.pdf", "Camden_Square_E05013653_2025-06_public.xlsx",
            "Westminster_overview_2025-06_public.pdf", "Westminster_overview_2025-06_public.xlsx",
            "Camden_overview_2025-06_public.pdf", "Camden_overview_2025-06_public.xlsx",
        ]
    )  # fmt: skip
    assert all(p.exists() and p.stat().st_size > 0 for p in paths)
    assert sorted(fake_build["overview"]) == ["Camden", "Westminster"]
    assert [d for d, t, _m in seen] == list(range(0, 7)) and {t for _d, t, _m in seen} == {6}
    assert not list(out.glob(".*"))  # no temporary files left


def test_chosen_wards_only_and_no_overview(
    data_dir: Path,
    tmp_path: Path,
    fake_build: dict[str, list[str]],
    qapp,  # type: ignore[no-untyped-def]
) -> None:
    db_path = _store(tmp_path / "store.db")
    paths = write_packs(db_path, ["E05013806"], PackOptions(public=False), tmp_path / "o", overview=False)
    assert [p.name for p in paths] == ["West_End_E05013806_2025-06_internal.pdf"]
    assert fake_build["overview"] == []


def test_cancel_between_wards_keeps_the_finished_packs(
    data_dir: Path,
    tmp_path: Path,
    fake_build: dict[str, list[str]],
    qapp,  # type: ignore[no-untyped-def]
) -> None:
    db_path = _store(tmp_path / "store.db")
    out = tmp_path / "out"
    state = {"n": 0}

    def progress(done: int, total: int, message: str) -> None:
        state["n"] = done

    with pytest.raises(Cancelled) as stopped:
        write_packs(db_path, None, PackOptions(), out, workers=1, progress=progress, cancelled=lambda: state["n"] >= 2)
    assert len(fake_build["ward"]) == 2  # stopped between packs
    kept = stopped.value.kept  # type: ignore[attr-defined]
    assert sorted(out.iterdir()) == sorted(kept) and len(kept) == 2  # the two finished packs stay, nothing else
    assert all(p.stat().st_size > 0 for p in kept)
    assert "2 files finished before that are kept in" in str(stopped.value)


def test_one_bad_ward_does_not_sink_the_batch(
    data_dir: Path,
    tmp_path: Path,
    fake_build: dict[str, list[str]],
    qapp,  # type: ignore[no-untyped-def]
) -> None:
    db_path = _store(tmp_path / "store.db")
    fake_build["fail"].append("E05013808")
    result = write_packs(db_path, None, PackOptions(), tmp_path / "out", workers=1, overview=False)
    assert len(result) == 3
    assert result.failures[0][0] == "St James's" and "Choose another month" in result.failures[0][1]  # type: ignore[attr-defined]


def test_clear_errors(data_dir: Path, tmp_path: Path, fake_build: dict[str, list[str]]) -> None:
    with pytest.raises(WardBriefError, match="no store"):
        write_packs(tmp_path / "missing.db", None, PackOptions(), tmp_path / "out")
    empty = _store(tmp_path / "empty.db", with_data=False)
    with pytest.raises(WardBriefError, match="nothing to make a pack from"):
        write_packs(empty, None, PackOptions(), tmp_path / "out")
    full = _store(tmp_path / "full.db")
    with pytest.raises(WardBriefError, match="E09999999"):
        write_packs(full, ["E09999999"], PackOptions(), tmp_path / "out")


def test_process_pool_from_the_demo_store(data_dir: Path, tmp_path: Path) -> None:
    from desktop.importers.demo import load_demo
    from desktop.store import open_store
    from desktop.store.queries import wards_with_data

    db = open_store(data_dir / "wardbrief.db")
    load_demo(db)
    codes = [w["code"] for w in wards_with_data(db)][:4]
    db.close()
    done: list[int] = []
    with pytest.raises(Cancelled) as stopped:  # Cancel after the first pack: the pool stops, finished packs stay
        write_packs(
            data_dir / "wardbrief.db",
            codes,
            PackOptions(),
            tmp_path / "cancelled",
            workers=2,
            progress=lambda d, t, m: done.append(d),
            cancelled=lambda: bool(done) and done[-1] >= 1,
        )
    kept = stopped.value.kept  # type: ignore[attr-defined]
    assert len(kept) >= 1 and sorted((tmp_path / "cancelled").iterdir()) == sorted(kept)  # no temporary file left
    seen: list[int] = []
    paths = write_packs(
        data_dir / "wardbrief.db",
        codes,
        PackOptions(),
        tmp_path / "out",
        workers=2,
        progress=lambda d, t, m: seen.append(d),
    )
    assert len([p for p in paths if p.suffix == ".pdf"]) == 5  # four wards and Westminster's overview
    assert all(p.exists() for p in paths)
    assert seen[-1] == 5
