"""The home area: ward names are looked up in the partnership's borough first, ignoring case and apostrophe style,
so a UK-wide lookup's other "West End" wards do not make the README's own example ambiguous (issue 11, item 14)."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.errors import WardBriefError
from desktop.importers import import_file
from desktop.store.home_area import configured_boroughs, home_boroughs, name_key, resolve_wards

DATA = Path(__file__).resolve().parents[1] / "data"
LOOKUP = DATA / "ons_ward_to_lad_dec2023_excerpt.csv"
CRIME = DATA / "mps_ward_crime_202307-202506_westminster_excerpt.csv"


def lookup_with_namesakes(tmp_path: Path) -> Path:
    """The real ONS excerpt plus two of its rows relabelled as the other boroughs' West End and St James's
    (as in the UK-wide lookup, where Dundee, Lancaster and Dudley have them)."""
    text = LOOKUP.read_text(encoding="utf-8-sig")
    lines = text.splitlines()
    extra = [
        "S13002575,West End,,S12000042,Dundee City,,90001",
        "E05012345,St James,,E07000121,Lancaster,,90002",
        "E05099999,St James's,,E08000027,Dudley,,90003",
    ]
    out = tmp_path / "ward_lookup_uk.csv"
    out.write_text("\n".join([*lines, *extra]) + "\n", encoding="utf-8")
    return out


def test_name_key_ignores_case_spacing_and_apostrophe_style() -> None:
    assert name_key("St James’s") == name_key("st  james's") == name_key("ST JAMES`S")
    assert name_key("West End") != name_key("Westend")
    assert configured_boroughs("Camden; Islington,\nHackney ") == ["Camden", "Islington", "Hackney"]


def test_names_resolve_in_the_home_area_first(db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    assert import_file(db, CRIME).ok
    assert import_file(db, lookup_with_namesakes(tmp_path)).ok
    home = home_boroughs(db, "")  # nothing in Settings: the first crime extract's borough
    assert home == ["Westminster"]
    west_end, st_james = resolve_wards(db, ["West End", "st james’s"], home)
    assert (west_end, st_james) == ("E05013808", "E05013806")
    assert resolve_wards(db, ["e05013808"], home) == ["E05013808"]  # codes in any case
    # outside the home area the same names are ambiguous, and the message names every candidate
    with pytest.raises(WardBriefError) as caught:
        resolve_wards(db, ["St James's"], ["Dundee City"])
    assert "Dudley" in caught.value.message and "Westminster" in caught.value.message
    assert "Settings" in caught.value.next_step
    # a name that is in one borough only resolves wherever home is
    assert resolve_wards(db, ["Lancaster Gate"], []) == ["E05013798"]


def test_settings_name_the_home_area(db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    assert home_boroughs(db, "Westminster") == []  # an empty store has no boroughs to name
    assert import_file(db, CRIME).ok
    assert import_file(db, lookup_with_namesakes(tmp_path)).ok
    assert home_boroughs(db, "dudley; WESTMINSTER") == ["Dudley", "Westminster"]
    assert home_boroughs(db, "E09000033") == ["Westminster"]  # a borough code works too
    assert home_boroughs(db, "Atlantis") == ["Westminster"]  # unknown names fall back to the first extract's


OLD_CRIME = DATA / "mps_ward_crime_202009-202208_westminster_excerpt.csv"


def test_a_name_shared_with_a_ward_on_old_boundaries_finds_the_current_ward(db) -> None:  # type: ignore[no-untyped-def]
    """A first user imported both Met editions: `pack --ward "West End"` then said the name matched two Westminster
    wards (E05013808 and the pre-2022 E05000649), and the advice to set the borough (already set) did not help."""
    assert import_file(db, OLD_CRIME).ok and import_file(db, CRIME).ok
    both = [r[0] for r in db.execute("SELECT code FROM ward WHERE name = 'Abbey Road' ORDER BY code")]
    assert both == ["E05000630", "E05013792"]
    assert resolve_wards(db, ["Abbey Road"], ["Westminster"]) == ["E05013792"]
    assert resolve_wards(db, ["E05000630"], ["Westminster"]) == ["E05000630"]  # a code still names the old ward


def test_wards_on_old_boundaries_are_split_off_by_their_last_month(db) -> None:  # type: ignore[no-untyped-def]
    from desktop.store.home_area import split_recent
    from desktop.store.queries import wards_with_data

    assert import_file(db, OLD_CRIME).ok and import_file(db, CRIME).ok
    recent, stale = split_recent(db, wards_with_data(db), "2025-06")
    assert {w["code"] for w in recent} == {"E05013792", "E05013793", "E05013794"}
    assert "E05000630" in {w["code"] for w in stale} and not {w["code"] for w in recent} & {w["code"] for w in stale}


def test_pack_all_leaves_out_wards_on_old_boundaries_and_says_so(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    from desktop.cli import main

    data = str(tmp_path / "data")
    assert main(["--data-dir", data, "import", str(OLD_CRIME), str(CRIME)]) == 0
    capsys.readouterr()
    out = tmp_path / "packs"
    args = ["--data-dir", data, "pack", "--all", "--out", str(out), "--no-overview", "--workers", "1"]
    assert main(args) == 0
    printed = capsys.readouterr()
    made = sorted(p.name.split("_E0")[1][:7] for p in out.glob("*.pdf"))
    assert made == ["5013792", "5013793", "5013794"], made
    assert "with no recorded crime in the 12 months to June 2025 left out" in printed.err
    assert "skipped" not in printed.err
