"""Themes from resources/themes.toml and how stored crime categories map to them (both taxonomies)."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.analysis.themes import bundled_themes, load_themes, resolve_keys, theme_map
from desktop.errors import WardBriefError


def test_bundled_themes_cover_the_brief() -> None:
    keys = {t.key for t in bundled_themes()}
    for key in (
        "all_crime",
        "theft",
        "theft_person",
        "violence",
        "robbery",
        "burglary",
        "drugs",
        "sexual_offences",
        "vehicle",
        "criminal_damage",
        "public_order",
        "weapons",
        "domestic_abuse",
        "hate_crime",
        "asb",
        "fire",
        "victims",
        "trust",
        "priorities",
    ):
        assert key in keys
    themes = theme_map()
    assert themes["sexual_offences"].sensitive and themes["domestic_abuse"].sensitive
    assert not themes["domestic_abuse"].has_categories and themes["domestic_abuse"].note


def test_matching_is_case_insensitive_in_both_taxonomies() -> None:
    t = theme_map()
    assert t["theft"].matches("mps", "Theft", "Shoplifting")
    assert t["theft_person"].matches("mps", "THEFT", "THEFT FROM THE PERSON")
    assert not t["theft_person"].matches("mps", "THEFT", "SHOPLIFTING")
    assert t["theft_person"].matches("policeuk", "Theft from the person")
    assert t["burglary"].matches("mps", "BURGLARY", "BURGLARY - RESIDENTIAL")
    assert t["all_crime"].matches("mps", "ROBBERY", "ROBBERY OF PERSONAL PROPERTY")
    assert not t["all_crime"].matches("mps", "NFIB FRAUD", "NFIB")
    assert t["all_crime"].matches("policeuk", "Shoplifting")
    assert not t["all_crime"].matches("policeuk", "Anti-social behaviour")
    assert t["violence"].matches("policeuk", "Violence and sexual offences")
    assert not t["sexual_offences"].matches("policeuk", "Violence and sexual offences")


def test_every_met_category_of_the_2023_edition_belongs_to_all_crime_or_is_fraud() -> None:
    majors = [
        "ARSON AND CRIMINAL DAMAGE",
        "BURGLARY",
        "DRUG OFFENCES",
        "FRAUD AND FORGERY",
        "MISCELLANEOUS CRIMES AGAINST SOCIETY",
        "POSSESSION OF WEAPONS",
        "PUBLIC ORDER OFFENCES",
        "ROBBERY",
        "SEXUAL OFFENCES",
        "THEFT",
        "VEHICLE OFFENCES",
        "VIOLENCE AGAINST THE PERSON",
    ]
    t = theme_map()
    assert all(t["all_crime"].matches("mps", m, "") for m in majors)
    # each major except fraud and misc is in exactly one narrower theme
    narrow = [x for x in bundled_themes() if x.is_crime and x.key not in ("all_crime", "theft_person")]
    for m in majors[:1] + majors[2:3] + majors[5:]:
        assert sum(x.matches("mps", m, "") for x in narrow) == 1, m


def test_defaults_unknown_keys_and_custom_file(tmp_path: Path) -> None:
    defaults = resolve_keys([])
    assert all(t.default for t in defaults) and "all_crime" in [t.key for t in defaults]
    with pytest.raises(WardBriefError) as err:
        resolve_keys(["theft", "nonsense"])
    assert "nonsense" in str(err.value) and "theft" in err.value.next_step
    path = tmp_path / "themes.toml"
    path.write_text('[[theme]]\nkey = "shop"\nlabel = "Shoplifting"\nmps_minor = ["shoplifting"]\n', encoding="utf-8")
    (shop,) = load_themes(path)
    assert shop.matches("mps", "THEFT", "SHOPLIFTING") and shop.kind == "crime" and not shop.default
    path.write_text('[[theme]]\nkey = "x"\nlabel = "X"\nkind = "weather"\n', encoding="utf-8")
    with pytest.raises(WardBriefError):
        load_themes(path)
