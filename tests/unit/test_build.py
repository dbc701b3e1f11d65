"""The pack builder on a small synthetic store filled directly (no importers): every section, the figures against
hand-computed values, public vs internal disclosure control, and plain messages where data is missing."""

from __future__ import annotations

from typing import Any

import pytest

from desktop.analysis.periods import add_months
from desktop.errors import WardBriefError
from desktop.reports.build import available_themes, build_overview, build_pack, reference_month
from desktop.reports.model import BarChart, Bullets, Pack, Paragraph, PriorityBlock, Table, Tiles
from desktop.reports.options import PackOptions
from desktop.settings import Settings
from desktop.store.priorities import Action, Priority, save_priority
from desktop.store.schema import derive_source_months

BOROUGH = "Westminster"
WARDS = [("E05000001", "West End", 10_000), ("E05000002", "Abbey Road", 12_000), ("E05000003", "Bayswater", 15_000)]
START = "2022-07"  # 36 complete months to 2025-06, then 2025-07 published part-counted
MONTHS = [add_months(START, i) for i in range(37)]
PARTIAL = "2025-07"
CATEGORIES = [
    ("THEFT", "THEFT FROM THE PERSON"),
    ("THEFT", "SHOPLIFTING"),
    ("VIOLENCE AGAINST THE PERSON", "VIOLENCE WITH INJURY"),
    ("ROBBERY", "ROBBERY OF PERSONAL PROPERTY"),
    ("SEXUAL OFFENCES", "RAPE"),
    ("SEXUAL OFFENCES", "OTHER SEXUAL OFFENCES"),
    ("MISCELLANEOUS CRIMES AGAINST SOCIETY", "MISC CRIMES AGAINST SOCIETY"),
    ("NFIB FRAUD", "NFIB"),
]


def crime_count(w: int, cat: int, m: int) -> int:
    """A deterministic count for ward index w, category index cat, month index m."""
    major, minor = CATEGORIES[cat]
    if major == "SEXUAL OFFENCES":
        # West End: one rape in three months of the last year (R12 = 3, previous = 2): a small count
        if w == 0:
            return 1 if (minor == "RAPE" and m in (26, 30, 34, 14, 18)) else 0
        return 1 if m % 2 == 0 else 0  # 6 a year in the other wards
    base = [60, 20, 10][w] * (cat + 1)
    trend = 1.0 + (0.25 if (cat == 0 and w == 0 and m >= 24) else 0.0)  # theft from the person up in West End
    return int(base * trend) + (m % 3)


def fill(db: Any, *, fire: bool = True, surveys: bool = True) -> None:
    src = "INSERT INTO source (id, kind, file_name, sha256, imported_at, first_month, last_month, partial_months) "
    db.execute(
        src + f"VALUES (1, 'mps_crime', 'mps.csv', 'a', '2025-08-01T10:00:00', ?, ?, '[\"{PARTIAL}\"]')",
        [START, PARTIAL],
    )
    db.execute(src + "VALUES (2, 'asb', 'asb.csv', 'b', '2025-08-01T10:00:00', ?, ?, '[]')", [START, "2025-06"])
    db.execute(src + "VALUES (3, 'surveys', 'vcop.xlsx', 'c', '2025-08-01T10:00:00', NULL, NULL, '[]')")
    db.execute(
        src + "VALUES (4, 'lfb_incidents', 'lfb.csv', 'd', '2025-08-01T10:00:00', ?, ?, '[]')", ["2023-07", "2025-06"]
    )
    for code, name, pop in WARDS:
        db.execute(
            "INSERT INTO ward (code, name, borough_name, population, population_source) VALUES (?, ?, ?, ?, ?)",
            [code, name, BOROUGH, pop, "Census 2021 (derived best-fit)"],
        )
    rows = []
    for w, (code, _, _) in enumerate(WARDS):
        for c, (major, minor) in enumerate(CATEGORIES):
            for m, month in enumerate(MONTHS):
                count = crime_count(w, c, m)
                partial = month == PARTIAL
                if partial:
                    count = count // 10
                rows.append((1, code, month, "mps", major, minor, count, int(partial)))
    db.conn.executemany(
        "INSERT INTO crime_count (source_id, ward_code, month, taxonomy, category, subcategory, count, partial) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    asb = [
        (2, code, month, 30 + w * 5 + (m % 4))
        for w, (code, _, _) in enumerate(WARDS)
        for m, month in enumerate(MONTHS[:-1])
    ]
    db.conn.executemany("INSERT INTO asb_count (source_id, ward_code, month, count) VALUES (?, ?, ?, ?)", asb)
    if surveys:
        from desktop.store.measures import VCOP_RIGHTS

        srows = []
        for i, right in enumerate(VCOP_RIGHTS):
            srows.append((3, "VCOP", "ward", "E05000001", "2025-03-31", right, 20, 0.5))  # base below 50
            srows.append((3, "VCOP", "borough", BOROUGH, "2025-03-31", right, 120, 0.9 - i * 0.05))
        srows.append((3, "USS", "borough", BOROUGH, "2025-03-31", "overall satisfaction", 300, 0.65))
        for period, value in (("2023-12-31", 0.74), ("2024-12-31", 0.78)):
            srows.append((3, "PAS", "borough", BOROUGH, period, "trust the MPS", None, value))
            srows.append((3, "PAS", "London", "London", period, "trust the MPS", None, value - 0.08))
        db.conn.executemany(
            "INSERT INTO survey_result (source_id, survey, area_type, area, period_end, measure, base_n, value) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            srows,
        )
    if fire:
        frows = []
        for i in range(60):
            month = add_months("2023-07", i % 24)
            group = ["Fire", "False Alarm", "Special Service"][i % 3]
            frows.append(
                (
                    4,
                    f"INC{i}",
                    f"{month}-10",
                    month,
                    "E05000001",
                    group,
                    ["Dwelling", "Non Residential"][i % 2],
                    240 + i,
                )
            )
        db.conn.executemany(
            "INSERT INTO fire_incident (source_id, incident_number, date, month, ward_code, incident_group, "
            "property_category, attendance_seconds) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            frows,
        )
    derive_source_months(db)  # what the importers record about each file's months
    db.conn.commit()
    save_priority(
        db,
        Priority(
            None,
            "E05000001",
            "Phone snatching on the main streets",
            theme="theft_person",
            set_on="2025-01-15",
            measure_before="1,204 thefts from the person",
            measure_after="1,560",
            actions=[Action(None, "Extra patrols at evening peak", "SNT sergeant", "2025-03-31", "2025-03-20")],
        ),
    )


@pytest.fixture
def store(db: Any) -> Any:
    fill(db)
    return db


ALL = ["all_crime", "theft", "theft_person", "sexual_offences", "asb", "fire", "victims", "trust", "priorities"]


def _r12(w: int, cats: list[int], start: int) -> int:
    return sum(crime_count(w, c, m) for c in cats for m in range(start, start + 12))


def _section(pack: Pack, key: str) -> Any:
    return next(s for s in pack.sections if s.key == key)


def _table(pack: Pack, key: str) -> Table:
    return next(t for t in pack.tables() if t.key == key)


def test_reference_month_skips_the_partial_month(store: Any) -> None:
    assert reference_month(store) == "2025-06"
    with pytest.raises(WardBriefError) as err:
        build_pack(store, "E05000001", PackOptions(month=PARTIAL), Settings())
    assert "partly counted" in str(err.value)
    with pytest.raises(WardBriefError) as err:
        build_pack(store, "E05000001", PackOptions(month="2019-01"), Settings())
    assert "no recorded crime figures for January 2019" in str(err.value) and "July 2022" in err.value.next_step
    with pytest.raises(WardBriefError):
        build_pack(store, "E05000001", PackOptions(month="2025-13"), Settings())
    earlier = build_pack(store, "E05000001", PackOptions(month="2025-03"), Settings())
    assert earlier.period_label == "12 months to March 2025"


def test_every_section_heading_present(store: Any) -> None:
    pack = build_pack(store, "E05000001", PackOptions(themes=ALL), Settings())
    assert pack.headings() == [
        "At a glance",
        "All recorded crime",
        "Theft",
        "Theft from the person",
        "Sexual offences",
        "Anti-social behaviour",
        "Victim experience",
        "Trust and confidence",
        "Fire incidents and false alarms",
        "Panel priorities and actions",
        "What can I do?",
        "About these figures",
    ]
    assert pack.reference_month == "2025-06" and pack.period_label == "12 months to June 2025"
    for table in pack.tables():
        assert table.units and table.source, table.key


def test_r12_figures_match_hand_sums(store: Any) -> None:
    pack = build_pack(store, "E05000001", PackOptions(themes=ALL, public=False), Settings())
    crime_cats = [i for i, (major, _) in enumerate(CATEGORIES) if major != "NFIB FRAUD"]
    r12, prev = _r12(0, crime_cats, 24), _r12(0, crime_cats, 12)
    tiles = next(b for b in _section(pack, "glance").blocks if isinstance(b, Tiles)).tiles
    assert tiles[0].label == "Recorded crime" and tiles[0].value == f"{r12:,}"
    assert f"vs {prev:,}" in tiles[0].change
    borough = sum(_r12(w, crime_cats, 24) for w in range(3))
    assert tiles[0].context.startswith(f"{r12 / borough:.0%} of borough") and "rank 1 of 3" in tiles[0].context
    # theft from the person: a row of the theft category table
    table = _table(pack, "cat_theft")
    row = next(r for r in table.rows if r[0] == "Theft from the person")
    assert row[1] == _r12(0, [0], 24) and row[2] == _r12(0, [0], 12)
    assert row[5] in ("clear rise", "some evidence of a rise")
    assert row[6] == pytest.approx(_r12(0, [0], 24) / 10_000 * 1000)
    assert table.rows[-1][1] == _r12(0, [0, 1], 24)  # total: theft from the person + shoplifting
    # a one-category theme has no category table (it would repeat its total)
    assert not any(t.key == "cat_theft_person" for t in pack.tables())
    # the key findings name the significant rise with its numbers
    findings = next(b for b in _section(pack, "glance").blocks if isinstance(b, Bullets)).items
    assert any(f"Theft from the person rose from {_r12(0, [0], 12):,} to {_r12(0, [0], 24):,}" in f for f in findings)
    # the trend runs 36 months to June 2025 plus the provisional July
    trend = next(b for b in _section(pack, "glance").blocks if type(b).__name__ == "TrendChart")
    assert trend.months[0] == START and trend.months[-1] == PARTIAL and trend.provisional[-1]
    assert sum(trend.provisional) == 1


def test_public_pack_hides_small_sensitive_counts_internal_shows_them(store: Any) -> None:
    public = build_pack(store, "E05000001", PackOptions(themes=ALL, public=True), Settings())
    internal = build_pack(store, "E05000001", PackOptions(themes=ALL, public=False), Settings())
    sexual_r12 = _r12(0, [4, 5], 24)
    assert 0 < sexual_r12 < 5
    cat = _table(public, "cat_sexual_offences")
    assert cat.rows[-1][1] == "<5" and all(row[1] in ("<5", "[c]", 0) for row in cat.rows)
    assert any("<5" in note for note in cat.notes)
    assert _table(internal, "cat_sexual_offences").rows[-1][1] == sexual_r12
    # the all-crime table hides the same count (and one more, so it cannot be got by subtraction)
    all_rows = _table(public, "cat_all_crime").rows
    sexual_row = next(r for r in all_rows if r[0] == "Sexual offences")
    assert sexual_row[1] in ("<5", "[c]")
    assert sum(1 for r in all_rows[:-1] if r[1] in ("<5", "[c]")) >= 2
    # the borough comparison is a table in public packs (every ward's count), with the borough total row
    wards = _table(public, "wards_sexual_offences")
    west_end = next(r for r in wards.rows if r[0] == "West End")
    assert west_end[1] == "<5" and west_end[3] is None and west_end[4] == ""
    hidden = [r for r in wards.rows if r[1] in ("<5", "[c]")]
    assert len(hidden) >= 2
    # no sentence in the public pack states the hidden count
    section = _section(public, "theme:sexual_offences")
    text = " ".join(i for b in section.blocks if isinstance(b, Bullets) for i in b.items)
    assert "small enough" in text and str(sexual_r12) not in text.replace("12 months", "")
    assert not any(isinstance(b, BarChart) for b in section.blocks)


def test_survey_sections_use_the_smallest_area_meeting_the_base(store: Any) -> None:
    pack = build_pack(store, "E05000001", PackOptions(themes=ALL), Settings())
    vcop = _table(pack, "vcop")
    assert len(vcop.rows) == 12
    assert all(row[4] == f"{BOROUGH} (borough)" for row in vcop.rows)
    assert all("Ward base 20 is below 50" in str(row[6]) for row in vcop.rows)
    weakest = vcop.highlight_rows
    assert weakest == [11] and vcop.rows[11][1] == pytest.approx(0.35)
    assert vcop.rows[0][2] == "83%\u201394%"  # Wilson 95% for 0.9 of 120: 0.833 to 0.942
    pas = _table(pack, "pas")
    assert pas.rows[0][1] == pytest.approx(0.78) and pas.rows[0][2] == pytest.approx(0.74)
    assert pas.rows[0][4] == pytest.approx(0.70)
    findings = next(b for b in _section(pack, "glance").blocks if isinstance(b, Bullets)).items
    assert any("Victims' Code" in f for f in findings)


def test_fire_priorities_contacts_and_about(store: Any) -> None:
    pack = build_pack(store, "E05000001", PackOptions(themes=ALL), Settings())
    groups = _table(pack, "fire_groups")
    # incident i falls in month i % 24 from July 2023: months 0-11 (previous year) hold 3 each, 12-23 hold 2
    assert groups.rows[-1][0] == "All incidents" and groups.rows[-1][1] == 24 and groups.rows[-1][2] == 36
    assert _table(pack, "fire_false_alarms").rows
    prio = next(b for b in _section(pack, "priorities").blocks if isinstance(b, PriorityBlock))
    assert prio.measure_before.startswith("1,204") and prio.actions[0][3] == "2025-03-20"
    # theme "theft_person", set 15 Jan 2025: the store's figure for the 12 months to Dec 2024 against the latest
    before = sum(crime_count(0, 0, m) for m in range(18, 30))
    assert f"12 months to December 2024 (before the priority was set): {before:,}" in prio.notes
    assert f"12 months to June 2025: {_r12(0, [0], 24):,}" in prio.notes
    assert _section(pack, "contacts").blocks[0].contacts[0][0] == "Emergency"
    about = _section(pack, "about")
    text = " ".join(i for b in about.blocks if isinstance(b, Bullets) for i in b.items)
    assert "Recorded crime is not all crime" in text and "West End" in text and "July 2025" in text
    mps = next(r for r in _table(pack, "sources").rows if r[1] == "mps.csv")
    assert mps[0].startswith("MPS Ward Level Crime") and mps[2] == "July 2022" and mps[4] == "July 2025"


def test_missing_data_says_what_to_import(db: Any) -> None:
    """The pack says what is missing; what to import is advice for the person making it (shown in the window),
    never printed in a panel's papers (issue 10)."""
    fill(db, fire=False, surveys=False)
    pack = build_pack(db, "E05000002", PackOptions(themes=ALL), Settings())
    advice = " ".join(pack.advice)
    for key, words in (("fire", "LFB Incident Records"), ("victims", "template"), ("trust", "PAS")):
        text = " ".join(b.text for b in _section(pack, key).blocks if isinstance(b, Paragraph))
        assert "No " in text and "in the store" in text, key
        assert words in advice, key
        assert "import" not in text.lower(), key
        assert not any(isinstance(b, Table) for b in _section(pack, key).blocks)


def test_overview_has_every_ward_and_the_borough_total(store: Any) -> None:
    pack = build_overview(store, BOROUGH, PackOptions(themes=["all_crime", "theft"]), Settings())
    table = pack.tables()[0]
    assert [r[0] for r in table.rows[:-1]] == ["West End", "Abbey Road", "Bayswater"]  # by R12, highest first
    crime_cats = [i for i, (major, _) in enumerate(CATEGORIES) if major != "NFIB FRAUD"]
    assert table.rows[-1][1] == sum(_r12(w, crime_cats, 24) for w in range(3))
    assert [r[6] for r in table.rows[:-1]] == [1, 2, 3]
    assert pack.kind == "overview" and "About these figures" in pack.headings()
    matrix = next(t for t in pack.tables() if t.key == "themes_by_ward")
    assert matrix.rows[0][0] == "West End" and matrix.rows[0][1] == _r12(0, [0, 1], 24)
    assert matrix.rows[-1][1] == sum(_r12(w, [0, 1], 24) for w in range(3))


def test_empty_store_and_unknown_ward(db: Any) -> None:
    with pytest.raises(WardBriefError) as err:
        build_pack(db, "E05000001", PackOptions(), Settings())
    assert "Import" in err.value.next_step or "not in the store" in str(err.value)
    assert reference_month(db) is None
    assert {"all_crime", "asb"} <= {t.key for t in available_themes() if t.default}


def test_public_pack_hides_small_monthly_and_quarterly_sensitive_counts(store: Any) -> None:
    # Abbey Road: 12 sexual offences a year (shown), but 0 or 2 a month and 2 in the last quarter (hidden)
    public = build_pack(store, "E05000002", PackOptions(themes=["sexual_offences"], public=True), Settings())
    internal = build_pack(store, "E05000002", PackOptions(themes=["sexual_offences"], public=False), Settings())
    pub = _section(public, "theme:sexual_offences")
    text = " ".join(i for b in pub.blocks if isinstance(b, Bullets) for i in b.items)
    assert "rose" in text or "did not change" in text  # the 12-month totals are large enough to give
    assert "small enough to identify victims" in text
    assert not any(type(b).__name__ == "TrendChart" for b in pub.blocks)
    assert any(isinstance(b, Paragraph) and "Monthly figures are not shown" in b.text for b in pub.blocks)
    assert any(type(b).__name__ == "TrendChart" for b in _section(internal, "theme:sexual_offences").blocks)


def test_partial_month_detected_even_when_not_flagged(store: Any) -> None:
    store.execute("UPDATE crime_count SET partial = 0")
    store.conn.commit()
    assert reference_month(store) == "2025-06"  # July 2025 is a tenth of its neighbours: partial by the §5 rule


def test_ward_with_only_policeuk_data_uses_crime_types(store: Any) -> None:
    store.execute(
        "INSERT INTO ward (code, name, borough_name, population) VALUES ('E05000004', 'Riverside', ?, 8000)", [BOROUGH]
    )
    rows = []
    for m, month in enumerate(MONTHS[:-1]):
        for crime_type, count in (
            ("Theft from the person", 9),
            ("Shoplifting", 4),
            ("Violence and sexual offences", 7),
            ("Other crime", 1),
        ):
            rows.append((1, "E05000004", month, "policeuk", crime_type, "", count + m % 2))
    store.conn.executemany(
        "INSERT INTO crime_count (source_id, ward_code, month, taxonomy, category, subcategory, count) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    store.conn.commit()
    pack = build_pack(
        store,
        "E05000004",
        PackOptions(themes=["all_crime", "theft", "violence", "sexual_offences"], public=False),
        Settings(),
    )
    theft = _table(pack, "cat_theft")
    assert [r[0] for r in theft.rows[:-1]] == ["Theft from the person", "Shoplifting"]
    assert theft.rows[-1][1] == 12 * 9 + 12 * 4 + 2 * 6  # months 24..35: six odd months add one to each type
    assert _table(pack, "cat_all_crime").rows[-1][1] == 12 * (9 + 4 + 7 + 1) + 4 * 6
    sexual = _section(pack, "theme:sexual_offences")
    assert any(isinstance(b, Paragraph) and "only data.police.uk figures" in b.text for b in sexual.blocks)
    chart = next(b for b in _section(pack, "theme:all_crime").blocks if isinstance(b, BarChart))
    assert "Riverside" in chart.labels and len(chart.labels) == 4


def test_no_change_is_claimed_when_the_earlier_year_is_not_in_the_store(db: Any) -> None:
    fill(db)
    db.execute("DELETE FROM crime_count WHERE month < '2024-01'")  # the previous 12 months are only half there
    db.execute("DELETE FROM fire_incident WHERE month < '2024-01'")
    db.conn.commit()
    pack = build_pack(db, "E05000001", PackOptions(themes=["all_crime", "theft", "fire"], public=False), Settings())
    table = _table(pack, "cat_theft")
    # the figure is shown with how many months of the year before the store holds; no previous total, no verdict
    assert table.rows[-1][2] is None and table.rows[-1][5] == "year before: 6 of 12 months"
    tile = next(b for b in _section(pack, "glance").blocks if isinstance(b, Tiles)).tiles[0]
    assert tile.change == "year before: 6 of 12 months" and tile.direction == "none"
    findings = next(b for b in _section(pack, "glance").blocks if isinstance(b, Bullets)).items
    assert not any("rose" in f or "fell" in f for f in findings)
    assert _table(pack, "fire_groups").rows[-1][2] is None


def test_priority_theme_matching() -> None:
    from desktop.reports.sections_priorities import _theme_for

    assert _theme_for("Theft and phone snatching").key == "theft"  # type: ignore[union-attr]
    assert _theme_for("theft_person").key == "theft_person"  # type: ignore[union-attr]
    assert _theme_for("ASB").key == "asb"  # type: ignore[union-attr]
    assert _theme_for("Violence against women and girls") is None
    assert _theme_for("Fire safety and false alarms") is None


def test_overview_hides_exactly_what_the_ward_packs_hide(store: Any) -> None:
    overview = build_overview(store, BOROUGH, PackOptions(themes=["all_crime", "sexual_offences"]), Settings())
    matrix = next(t for t in overview.tables() if t.key == "themes_by_ward")
    west_end = next(r for r in matrix.rows if r[0] == "West End")
    assert west_end[1] == "<5" and west_end[2] is None
    assert matrix.rows[-1][1] == "[c]"  # the borough total, so West End's count cannot be got by subtraction
    ward = build_pack(store, "E05000002", PackOptions(themes=["sexual_offences"]), Settings())
    wards = _table(ward, "wards_sexual_offences")
    shown = {r[0]: r[1] for r in wards.rows}
    assert shown["West End"] == "<5" and shown["Abbey Road"] == _r12(1, [4, 5], 24)
    assert wards.rows[-1][1] == "[c]"


def test_a_count_hidden_in_one_table_is_hidden_in_every_table(store: Any) -> None:
    themes = ["all_crime", "theft", "theft_person", "violence", "robbery", "sexual_offences"]
    for code, _, _ in WARDS:
        pack = build_pack(store, code, PackOptions(themes=themes, public=True), Settings())
        shown: dict[tuple[str, int], object] = {}
        hidden: set[tuple[str, int]] = set()
        for table in pack.tables():
            if not (table.key.startswith("cat_") or table.key == "glance"):
                continue
            for row in table.rows:
                name = str(row[0]).removeprefix("Total: ").lower()
                for col in (1, 2):
                    if isinstance(row[col], str):
                        hidden.add((name, col))
                    else:
                        shown[(name, col)] = row[col]
            for col in (1, 2) if table.total_row else ():  # no column with a total has exactly one hidden cell
                assert sum(1 for row in table.rows if isinstance(row[col], str)) != 1, (code, table.key)
        assert not hidden & set(shown), (code, hidden & set(shown))
