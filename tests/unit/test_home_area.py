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
