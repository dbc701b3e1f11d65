"""Issue 10, bullet by bullet: packs from realistic store states never claim a change the data cannot support.
Each store is built from the published extracts in ../shared/data by cutting, relabelling and re-assigning them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from desktop.importers import import_file
from desktop.reports.build import build_pack, reference_month
from desktop.reports.model import Paragraph, Tiles
from desktop.reports.options import PackOptions
from desktop.settings import Settings
from tests.real import editions as ed

WEST_END = "E05013808"
ALL = ["all_crime", "theft", "violence", "burglary", "asb"]


def _import(db: Any, path: Path) -> Any:
    result = import_file(db, path)
    assert result.ok, result.message
    return result


def _pack(db: Any, month: str | None = None, ward: str = WEST_END, themes: list[str] | None = None) -> Any:
    return build_pack(db, ward, PackOptions(month=month, themes=themes or ALL, public=False), Settings())


def test_partial_first_month_of_an_edition_is_never_a_baseline(db: Any, shared_data: Path, tmp_path: Path) -> None:
    """'Theft rose from 3 to 29,041 in the last 12 months, a significant rise (+967933%)': the 3 was a partial
    first month and the rest of the year before was absent."""
    frame = ed.scale(ed.westminster(shared_data), "202307", 0.001)
    result = _import(db, ed.write_edition(frame, tmp_path / "edition.csv"))
    assert result.partial_months == ["2023-07"]
    pack = _pack(db, month="2024-07")
    assert ed.claims(pack) == []
    theft = ed.row(ed.table(pack, "cat_all_crime"), "Theft")
    assert theft[2] is None and theft[5] == "no earlier year in the store"
    tile = next(b for b in pack.sections[0].blocks if isinstance(b, Tiles)).tiles[0]
    assert tile.significance == "no change given" and "%" not in tile.change


def test_partly_covered_earlier_year_gives_no_change(db: Any, shared_data: Path, tmp_path: Path) -> None:
    """'Theft rose from 20,413 to 29,484 ... (+44%)' where 20,413 covered 8 months, on the page that said no change
    could be given; and 'Stalking and harassment rose from 0 to 249 ... (new)'."""
    frame = ed.westminster(shared_data)
    months = ed.month_columns(frame)[4:]  # Nov 2023 to Jun 2025: the year before Jun 2025 has 8 months
    _import(db, ed.write_edition(frame, tmp_path / "edition.csv", months))
    pack = _pack(db)
    # only the quarter since the last panel compares (both quarters are in the store); no 12-month claim
    assert [c for c in ed.claims(pack) if not c.startswith("Since the last panel")] == []
    text = " ".join(ed.texts(pack))
    assert "year before: 8 of 12 months" in text
    assert "complete figures for only 8 of the 12 months before" in text
    assert "rose from 0" not in text and "(new)" not in text


def test_relabelled_sub_categories_compare_through_the_concordance(db: Any, shared_data: Path, tmp_path: Path) -> None:
    """'Burglary - residential fell from 75 to 0 ... (-100%)' and 'Violence without injury fell from 123 to 78
    ... (-37%)': the older edition supplies the year before, the newer one (on the revised list) the last year."""
    frame = ed.westminster(shared_data)
    months = ed.month_columns(frame)
    _import(db, ed.write_edition(frame, tmp_path / "older.csv", months[:12]))
    _import(db, ed.write_edition(frame, tmp_path / "newer.csv", months[12:], ed.newer_list))
    pack = _pack(db)
    text = " ".join(ed.texts(pack))
    for relabelled in ("Burglary - residential", "Res burglary of a home", "Stalking and harassment"):
        assert not any(relabelled in c for c in ed.claims(pack)), relabelled
    burglary = ed.table(pack, "cat_burglary")
    home = ed.row(burglary, "Residential burglary")  # one row for the same crimes under both lists
    assert home[2] is not None and (
        home[5] in ("clear rise", "clear fall", "within normal variation")
        or str(home[5]).startswith(("some evidence", "small but clear"))
    )
    assert not any(r[0] == "Res burglary of a home" for r in burglary.rows)
    violence = ed.table(pack, "cat_violence")
    assert ed.row(violence, "Violence without injury, with stalking and harassment")[2] is not None
    assert "shown together as 'Residential burglary'" in text
    # the theme totals compare as before: relabelling moves crimes between sub-categories, not out of the theme
    assert burglary.rows[-1][5] in ("clear rise", "clear fall", "within normal variation") or str(
        burglary.rows[-1][5]
    ).startswith(("some evidence", "small but clear"))


def test_a_break_the_concordance_cannot_bridge_stops_the_comparison(db: Any, shared_data: Path, tmp_path: Path) -> None:
    frame = ed.westminster(shared_data)
    months = ed.month_columns(frame)
    _import(db, ed.write_edition(frame, tmp_path / "older.csv", months[:12]))
    newer = ed.write_edition(
        frame, tmp_path / "newer.csv", months[12:], lambda f: ed.newer_list(f, death_by_driving=True)
    )
    _import(db, newer)
    pack = _pack(db)
    violence = ed.table(pack, "cat_violence")
    for r in violence.rows[:-1]:
        assert r[2] is None and r[5].startswith("categories relabelled"), r
    assert violence.rows[-1][5] in ("clear rise", "clear fall", "within normal variation") or str(
        violence.rows[-1][5]
    ).startswith(("some evidence", "small but clear"))
    notes = [b.text for s in pack.sections for b in s.blocks if isinstance(b, Paragraph)]
    assert any(
        "'Death serious injury illegal driving' and 'Stalking and harassment' first published" in n
        and "No change is given for its sub-categories" in n
        for n in notes
    )
    assert not any("Violence with" in c or "Death" in c for c in ed.claims(pack))


def test_provisional_months_named_are_partial_months_of_the_series_used(
    db: Any, shared_data: Path, tmp_path: Path
) -> None:
    """The provisional note named March 2023 (a complete City of London police.uk month compared with burglary-only
    Met police.uk files) in every pack, while the real partial Met month went unmentioned on the cover."""
    frame = ed.scale(ed.westminster(shared_data), "202506", 0.2)  # the edition's last month published part-counted
    _import(db, ed.write_edition(frame, tmp_path / "edition.csv"))
    _import(db, shared_data / ed.CITY_STREET)
    _import(db, shared_data / ed.MET_BURGLARY)
    assert reference_month(db) == "2025-05"
    pack = _pack(db)
    assert pack.provisional == ["2025-06"]  # named on the cover
    named = [t for t in ed.texts(pack) if "rovisional" in t and "Reference month" not in t]
    assert named and all("June 2025" in t or "Jun 2025" in t for t in named), named
    for other in ("March 2023", "Mar 2023", "January 2024", "Jan 2024"):
        assert not any(other in t for t in named), (other, named)


def test_a_newest_month_counted_at_60_percent_is_not_the_reference(db: Any, shared_data: Path, tmp_path: Path) -> None:
    """A reviewer's store with June 2025 counted at 60%: West End's violence read 'a clear fall' (p 0.0018; 0.04,
    'some evidence', with the real June) while the same pack called June 'unusually low: below the lower limit'."""
    frame = ed.scale(ed.westminster(shared_data), "202506", 0.6)
    result = _import(db, ed.write_edition(frame, tmp_path / "edition.csv"))
    assert result.partial_months == ["2025-06"]
    assert reference_month(db) == "2025-05"
    pack = _pack(db, themes=["all_crime", "violence"])
    assert pack.provisional == ["2025-06"]
    assert not any("June 2025" in c for c in ed.claims(pack))


def test_a_later_partial_file_is_never_told_as_a_revision(db: Any, shared_data: Path, tmp_path: Path) -> None:
    """The complete edition imported first, then a copy with June halved: Data health said the complete file
    'revised ... June 2025: 483 to 967', history told backwards (the 967 was in the store first)."""
    frame = ed.westminster(shared_data)
    _import(db, ed.write_edition(frame, tmp_path / "complete.csv"))
    _import(db, ed.write_edition(ed.scale(frame, "202506", 0.5), tmp_path / "half_june.csv"))
    text = " ".join(ed.texts(_pack(db, themes=["all_crime"])))
    assert "revised" not in text
    assert "(complete.csv) stays in force for" in text and "a file imported later also gave" in text
    assert "kept" in text and "Westminster's wards" in text


def test_a_later_complete_file_is_told_as_a_revision(db: Any, shared_data: Path, tmp_path: Path) -> None:
    frame = ed.westminster(shared_data)
    _import(db, ed.write_edition(ed.scale(frame, "202506", 0.5), tmp_path / "half_june.csv"))
    _import(db, ed.write_edition(frame, tmp_path / "complete.csv"))
    text = " ".join(ed.texts(_pack(db, themes=["all_crime"])))
    assert "(complete.csv) revised" in text and "stays in force" not in text


def test_the_chart_sentence_is_about_the_packs_month_even_after_a_gap(
    db: Any, shared_data: Path, tmp_path: Path
) -> None:
    """With a month missing, the chart's sentence described an older month (April in a June pack): the month after
    the gap starts a stretch too short for limits, and the sentence fell back to the last month that had some."""
    frame = ed.westminster(shared_data)
    months = [m for m in ed.month_columns(frame) if m != "202504"]
    _import(db, ed.write_edition(frame, tmp_path / "gap.csv", months))
    from desktop.reports.model import TrendChart

    pack = _pack(db, themes=["all_crime"])
    about = [b.summary for sec in pack.sections for b in sec.blocks if isinstance(b, TrendChart) and b.summary]
    assert about and all(t.startswith("June 2025's") for t in about), about
    assert any("has no usual range to compare with" in t for t in about)


def test_a_tile_over_a_part_year_says_how_many_months(db: Any, shared_data: Path, tmp_path: Path) -> None:
    """A '12 months to June 2024' tile showed a total of about 3 months with no warning."""
    frame = ed.westminster(shared_data)
    _import(db, ed.write_edition(frame, tmp_path / "edition.csv", ed.month_columns(frame)[9:]))  # Apr 2024 on
    pack = _pack(db, month="2024-06")
    tiles = next(b for b in pack.sections[0].blocks if isinstance(b, Tiles)).tiles
    crime = tiles[0]
    assert crime.change == "covers 3 of 12 months" and crime.significance == "no change given"
    assert crime.context == ""  # no rank or share of a part-year
    assert ed.claims(pack) == []


def _as_met(frame: Any) -> Any:
    """The City file re-assigned to the Met (a stand-in for the Met's own complete month of the same area)."""
    out = frame.copy()
    out["Falls within"] = "Metropolitan Police Service"
    out["Reported by"] = "Metropolitan Police Service"
    out["Crime ID"] = "met-" + out.index.astype(str)
    return out


def test_two_forces_files_for_one_month_add_up(db: Any, shared_data: Path, tmp_path: Path) -> None:
    """Two police.uk street files for the same month from the Met and the City of London superseded each other:
    a border ward's month fell from 416 crimes to 2."""
    met = ed.police_file(shared_data, ed.CITY_STREET, tmp_path / "met.csv", _as_met)
    _import(db, met)
    before = dict(db.execute("SELECT ward_code, sum(count) FROM crime_count WHERE current = 1 GROUP BY 1").fetchall())
    _import(db, shared_data / ed.CITY_STREET)
    after = dict(db.execute("SELECT ward_code, sum(count) FROM crime_count WHERE current = 1 GROUP BY 1").fetchall())
    assert after == {w: 2 * n for w, n in before.items()}  # each force's crimes count once, side by side


def test_a_file_filtered_to_one_crime_type_replaces_only_that_type(db: Any, shared_data: Path, tmp_path: Path) -> None:
    met = ed.police_file(shared_data, ed.CITY_STREET, tmp_path / "met.csv", _as_met)
    _import(db, met)

    def burglary_only(frame: Any) -> Any:
        out = _as_met(frame)
        out = out[out["Crime type"] == "Burglary"].copy()
        out["Crime ID"] = "again-" + out.index.astype(str)
        return out.iloc[: len(out) // 2]  # a re-download with half the burglaries

    _import(db, ed.police_file(shared_data, ed.CITY_STREET, tmp_path / "burglary.csv", burglary_only))
    totals = dict(db.execute("SELECT category, sum(count) FROM crime_count WHERE current = 1 GROUP BY 1").fetchall())
    assert totals["BURGLARY"] < 25 and totals["OTHER THEFT"] > 100  # other types kept from the complete month
    types = db.execute("SELECT types FROM source_month WHERE source_id = 2").fetchone()[0]
    assert types == '["BURGLARY"]'


def test_pack_all_skips_wards_with_no_figures_in_the_period(shared_data: Path, tmp_path: Path, data_dir: Path) -> None:
    """`pack --all` wrote packs for 8 wards that appear only through stray police.uk rows: 'Recorded crime 0 ...
    rank 1 of 1'."""
    from desktop import paths
    from desktop.reports.batch import write_packs
    from desktop.store import open_store

    db = open_store(paths.store_path())
    _import(db, ed.write_edition(ed.westminster(shared_data), tmp_path / "edition.csv"))
    _import(db, shared_data / ed.CITY_STREET)  # March 2023: rows in City, Camden, Hackney ... wards
    db.close()
    written = write_packs(paths.store_path(), None, PackOptions(), tmp_path / "out", overview=False, workers=1)
    made = {p.name.split("_E0")[0] for p in written}
    assert len(made) == 18  # Westminster's wards only
    assert len(written.skipped) >= 8 and all("no recorded crime" in reason for _, reason in written.skipped)


def test_figures_that_were_right_stay_right(db: Any, shared_data: Path, tmp_path: Path) -> None:
    """Two overlapping editions on the same list: every 12-month comparison is made, as before."""
    frame = ed.westminster(shared_data)
    months = ed.month_columns(frame)
    _import(db, ed.write_edition(frame, tmp_path / "a.csv", months[:18]))
    _import(db, ed.write_edition(frame, tmp_path / "b.csv", months[6:]))
    pack = _pack(db, themes=["all_crime", "theft", "violence", "burglary"])
    glance = ed.table(pack, "glance")
    verdicts = ("clear rise", "clear fall", "within normal variation", "too few to tell")
    assert all(r[4] in verdicts or str(r[4]).startswith(("some evidence", "small but clear")) for r in glance.rows)
    assert all(r[2] is not None for r in glance.rows)


def test_a_file_cut_at_a_row_boundary_is_refused(db: Any, shared_data: Path, tmp_path: Path) -> None:
    """A download cut off (here at the end of a line, so every row parses) would replace the last ward's figures
    with a few categories and leave the rest out: refused whole, nothing stored."""
    lines = (shared_data / ed.NEW_EDITION).read_text(encoding="utf-8").splitlines(keepends=True)
    cut = tmp_path / "cut.csv"
    cut.write_text("".join(lines[: len(lines) // 2 + 5]), encoding="utf-8")
    result = import_file(db, cut)
    assert not result.ok and "looks cut off" in result.message
    assert db.execute("SELECT count(*) FROM crime_count").fetchone()[0] == 0
