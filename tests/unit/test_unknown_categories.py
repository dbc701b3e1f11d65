"""A Met category WardBrief does not know (a relabelling, or a new category): the import says so, and a theme
section left with no figures names it instead of only saying the store holds none (a first user's finding: the
all-crime table showed 'Robbery offences 1,531' while the Robbery section said there were no robbery figures)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from desktop.importers import import_file
from desktop.importers.categories import MET_CATEGORIES, unknown_categories
from tests.conftest import TEST_DATA

EXCERPTS = (
    "mps_ward_crime_202307-202506_westminster_excerpt.csv",
    "mps_ward_crime_202009-202208_westminster_excerpt.csv",
)
ABBEY_ROAD = "E05013792"


def _relabelled(tmp_path: Path, old: str, new: str) -> Path:
    text = (TEST_DATA / EXCERPTS[0]).read_text(encoding="utf-8")
    assert old in text
    out = tmp_path / "relabelled.csv"
    out.write_text(text.replace(old, new), encoding="utf-8")
    return out


@pytest.mark.parametrize("name", EXCERPTS)
def test_every_category_of_both_real_editions_is_known(db: Any, name: str) -> None:
    result = import_file(db, TEST_DATA / name)
    assert result.ok and not any("does not know" in w for w in result.warnings), result.summary()
    pairs = db.execute("SELECT DISTINCT category, subcategory FROM crime_count").fetchall()
    assert unknown_categories(pairs) == []


def test_every_category_of_the_real_files_is_known(shared_data: Path) -> None:
    import pandas as pd

    from desktop.importers.categories import canonical

    for path in sorted((shared_data / "mps-ward-crime").glob("*.csv")):
        frame = pd.read_csv(path, usecols=[0, 1]).drop_duplicates()
        assert unknown_categories({canonical(a, b) for a, b in frame.itertuples(index=False)}) == [], path.name


@pytest.mark.parametrize(
    ("old", "new", "theme", "named"),
    [
        ("\nROBBERY,", "\nROBBERY OFFENCES,", "robbery", "Robbery offences"),
        (",THEFT FROM THE PERSON,", ",PICKPOCKETING AND SNATCH,", "theft_person", "Pickpocketing and snatch (a sub-category of Theft)"),
    ],
)  # fmt: skip
def test_a_relabelled_category_is_named_at_import_and_in_the_empty_section(
    db: Any, tmp_path: Path, old: str, new: str, theme: str, named: str
) -> None:
    from desktop.reports.build import build_pack
    from desktop.reports.model import Paragraph
    from desktop.reports.options import PackOptions
    from desktop.settings import Settings

    result = import_file(db, _relabelled(tmp_path, old, new))
    assert result.ok, result.summary()
    (warning,) = [w for w in result.warnings if "does not know" in w]
    assert named in warning and "resources/themes.toml" in warning
    pack = build_pack(db, ABBEY_ROAD, PackOptions(themes=["all_crime", theme], public=False), Settings())
    section = next(s for s in pack.sections if s.key == f"theme:{theme}")
    text = " ".join(b.text for b in section.blocks if isinstance(b, Paragraph))
    assert "does not know" in text and named in text and "counted in All crime" in text
    assert any(named.split(" (")[0] in a for a in pack.advice)


def test_a_section_with_no_figures_and_nothing_unknown_says_only_that(db: Any, tmp_path: Path) -> None:
    from desktop.reports.build import build_pack
    from desktop.reports.model import Paragraph
    from desktop.reports.options import PackOptions
    from desktop.settings import Settings

    text = (TEST_DATA / EXCERPTS[0]).read_text(encoding="utf-8")
    kept = [line for line in text.splitlines(keepends=True) if not line.startswith("ROBBERY,")]
    path = tmp_path / "no_robbery.csv"
    path.write_text("".join(kept), encoding="utf-8")
    assert import_file(db, path).ok
    pack = build_pack(db, ABBEY_ROAD, PackOptions(themes=["all_crime", "robbery"], public=False), Settings())
    section = next(s for s in pack.sections if s.key == "theme:robbery")
    texts = [b.text for b in section.blocks if isinstance(b, Paragraph)]
    assert "The store holds no robbery figures for these wards." in texts


def test_the_list_names_each_published_category_once() -> None:
    minors = [m for group in MET_CATEGORIES.values() for m in group]
    assert len(minors) == len(set(minors))
