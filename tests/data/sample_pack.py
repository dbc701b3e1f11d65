"""A hand-built, realistic briefing pack for renderer tests (West End ward, Westminster).

Figures are invented in the shape of the real Met ward-level extract (they are not results): the renderers are
tested against this so they do not depend on the builder. `KNOWN` holds values the tests look for in the output.
"""

from __future__ import annotations

import math

from desktop.reports.model import (
    BarChart,
    Bullets,
    Column,
    ContactList,
    Pack,
    Paragraph,
    PriorityBlock,
    Section,
    Table,
    Tile,
    Tiles,
    TrendChart,
)

KNOWN = {"r12_total": "21,457", "theft_r12": "11,932", "ward": "West End", "code": "E05013806"}

WESTMINSTER_WARDS = [
    ("Abbey Road", "E05013792"),
    ("Bayswater", "E05013793"),
    ("Church Street", "E05013794"),
    ("Harrow Road", "E05013795"),
    ("Hyde Park", "E05013796"),
    ("Knightsbridge & Belgravia", "E05013797"),
    ("Lancaster Gate", "E05013798"),
    ("Little Venice", "E05013799"),
    ("Maida Vale", "E05013800"),
    ("Marylebone", "E05013801"),
    ("Pimlico North", "E05013802"),
    ("Pimlico South", "E05013803"),
    ("Queen's Park", "E05013804"),
    ("Regent's Park", "E05013805"),
    ("West End", "E05013806"),
    ("Vincent Square", "E05013807"),
    ("St James's", "E05013808"),
    ("Westbourne", "E05013809"),
]

VCOP_RIGHTS = [
    "Understand and be understood",
    "Crime recorded without unjustified delay",
    "Information when reporting",
    "Referral to support services",
    "Information about compensation",
    "Information about the investigation and prosecution",
    "Make a Victim Personal Statement",
    "Information about the trial",
    "Information about the outcome and any appeal",
    "Expenses and property returned",
    "Information about the offender after conviction",
    "Make a complaint",
]


def _months(end: str, n: int) -> list[str]:
    year, mon = (int(p) for p in end.split("-"))
    out = []
    for _ in range(n):
        out.append(f"{year:04d}-{mon:02d}")
        mon -= 1
        if mon == 0:
            year, mon = year - 1, 12
    return out[::-1]


def _series(base: float, n: int, trend: float, phase: float = 0.0) -> list[float]:
    return [round(base * (1 + trend * i / n) * (1 + 0.12 * math.sin(i / 1.9 + phase))) for i in range(n)]


def _rolling(values: list[float | None], window: int = 12) -> list[float | None]:
    out: list[float | None] = []
    for i in range(len(values)):
        chunk = values[max(0, i - window + 1) : i + 1]
        if i + 1 < window or any(v is None for v in chunk):
            out.append(None)
        else:
            out.append(sum(v for v in chunk if v is not None) / window)
    return out


def _trend(title: str, base: float, trend: float, phase: float = 0.0, partial: bool = True) -> TrendChart:
    months = _months("2025-07", 25)
    vals: list[float | None] = [float(v) for v in _series(base, 25, trend, phase)]
    if partial:
        vals[-1] = round((vals[-2] or 0) * 0.41)
    prov = [False] * 24 + [partial]
    return TrendChart(
        title=title,
        months=months,
        values=vals,
        rolling=_rolling(vals[:-1]) + [None],
        provisional=prov,
        y_label="crimes a month",
        alt_text=f"{title}: monthly counts for 25 months with the 12-month average.",
    )


def _ward_table() -> Table:
    rows: list[list[str | int | float | None]] = []
    for i, (name, code) in enumerate(WESTMINSTER_WARDS):
        r12 = 21457 if name == "West End" else 900 + (i * 377) % 2600
        prev = round(r12 * (1.18 if name == "West End" else 0.95 + (i % 5) * 0.03))
        rows.append([name, code, r12, prev, (r12 - prev) / prev, 0.001 if name == "West End" else 0.2 + i / 100, 0])
    rows.sort(key=lambda r: -int(r[2] or 0))
    for rank, row in enumerate(rows, 1):
        row[6] = rank
    return Table(
        key="ward_comparison",
        title="All crime by ward, 12 months to June 2025",
        columns=[
            Column("Ward", "text", 2.2),
            Column("Code", "text", 1.3),
            Column("Last 12 months", "int"),
            Column("Previous 12 months", "int"),
            Column("Change", "signed_pct"),
            Column("p-value", "p"),
            Column("Rank", "int", 0.7),
        ],
        rows=rows,
        units="recorded crimes, count",
        source="MPS Ward Level Crime, edition to July 2025",
        notes=["Rank 1 = most crime. West End's resident rate is misleading: millions visit the ward each year."],
        highlight_rows=[i for i, r in enumerate(rows) if r[0] == "West End"],
    )


def _category_table(n: int = 46) -> Table:
    """A long table that must span pages (the header repeats on each)."""
    majors = ["THEFT", "VIOLENCE AGAINST THE PERSON", "PUBLIC ORDER OFFENCES", "DRUG OFFENCES", "ROBBERY"]
    rows: list[list[str | int | float | None]] = []
    for i in range(n):
        cur = 40 + (i * 97) % 900
        prev = 40 + (i * 89) % 950
        rows.append([majors[i % 5], f"Sub-category number {i + 1} with a longish name", cur, prev, (cur - prev) / prev])
    rows.append(["All crime", "", 21457, 25320, (21457 - 25320) / 25320])
    rows.insert(3, ["SEXUAL OFFENCES", "Other sexual offences", "<5", "<5", None])
    return Table(
        key="categories",
        title="Crime by category, last 12 months against the 12 months before",
        columns=[
            Column("Major category", "text", 1.8),
            Column("Category", "text", 2.6),
            Column("Last 12 months", "int"),
            Column("Previous 12 months", "int"),
            Column("Change", "signed_pct"),
        ],
        rows=rows,
        units="recorded crimes, count",
        source="MPS Ward Level Crime, edition to July 2025",
        notes=["Counts of 1 to 4 in sensitive categories are shown as <5 in public packs."],
        total_row=True,
    )


def sample_pack() -> Pack:
    glance = Section(
        "glance",
        "At a glance",
        [
            Tiles(
                [
                    Tile(
                        "Recorded crime",
                        "21,457",
                        "▼ 15% vs 25,320",
                        "significant fall",
                        "38% of borough",
                        "down",
                        True,
                    ),
                    Tile("Theft", "11,932", "▼ 22% vs 15,301", "significant fall", "rank 1 of 18", "down", True),
                    Tile("Violence", "3,184", "▲ 3% vs 3,092", "no significant change", "rank 1 of 18", "up", False),
                    Tile("ASB incidents", "2,067", "▲ 8% vs 1,914", "significant rise", "rank 2 of 18", "up", True),
                    Tile("Robbery", "1,045", "▼ 9% vs 1,148", "significant fall", "rank 1 of 18", "down", True),
                    Tile("Sexual offences", "<5", "", "too few to tell", "", "none", False),
                ]
            ),
            Paragraph("Key findings", "lead"),
            Bullets(
                [
                    "Recorded crime fell significantly: 21,457 in the last 12 months against 25,320 the year before "
                    "(-15%).",
                    "Theft from the person fell by a fifth, a significant fall; shoplifting did not change "
                    "significantly.",
                    "Anti-social behaviour rose from 1,914 to 2,067 (+8%), a significant rise.",
                    "58% of victims were offered a Victim Personal Statement; only 13% were told about compensation.",
                    'Text from data is plain: <b>not bold</b> & <img src="http://example.invalid/x.png"> stays text.',
                ]
            ),
            _trend("All recorded crime, by month", 1780, -0.15),
            Paragraph(
                "July 2025 is provisional: the extract was published before the month closed, so its count is "
                "incomplete and is not used as the reference month.",
                "caveat",
            ),
        ],
    )
    theft = Section(
        "theme:theft",
        "Theft",
        [
            Paragraph(
                "Theft is the largest share of crime in West End: 11,932 offences in the 12 months to June 2025, "
                "down from 15,301. The fall is statistically significant (p < 0.001).",
            ),
            _trend("Theft, by month", 990, -0.22, 0.7),
            BarChart(
                "Theft in the last 12 months: West End and the five next highest wards",
                ["West End", "St James's", "Marylebone", "Knightsbridge & Belgravia", "Hyde Park", "Bayswater"],
                [11932, 5320, 2440, 2011, 1780, 1104],
                highlight=[0],
                reference=1560,
                reference_label="Ward average",
            ),
            _category_table(),
        ],
    )
    violence = Section(
        "theme:violence",
        "Violence against the person",
        [
            Paragraph("Violence did not change significantly: 3,184 offences against 3,092 (+3%, p = 0.24)."),
            _trend("Violence against the person, by month", 260, 0.03, 1.4),
            _ward_table(),
        ],
    )
    vcop_vals = [0.91, 0.84, 0.72, 0.61, 0.13, 0.55, 0.58, 0.66, 0.49, 0.41, 0.37, 0.52]
    bases = [212, 212, 209, 205, 198, 190, 204, 61, 88, 74, 45, 201]
    lows: list[float | None] = []
    highs: list[float | None] = []
    for p, n in zip(vcop_vals, bases, strict=True):
        z = 1.96
        centre = (p + z * z / (2 * n)) / (1 + z * z / n)
        half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
        lows.append(centre - half)
        highs.append(centre + half)
    victims = Section(
        "victims",
        "Victim experience",
        [
            Paragraph(
                "How victims in Westminster rate the service (User Satisfaction Survey) and whether they received "
                "each of their 12 rights under the Victims' Code. Survey bases below 50 are not shown for the ward; "
                "the borough figure is used instead and says so.",
            ),
            BarChart(
                "Victims' Code compliance: share of victims who received each right (Westminster, year to June 2025)",
                VCOP_RIGHTS,
                vcop_vals,
                lower=lows,
                upper=highs,
                highlight=[4],
                value_format="pct",
                reference=0.62,
                reference_label="London",
            ),
            Table(
                "vcop_rights",
                "Victims' Code rights: compliance with 95% intervals",
                [
                    Column("Right", "text", 3.2),
                    Column("Received", "pct"),
                    Column("95% interval low", "pct"),
                    Column("95% interval high", "pct"),
                    Column("Base (victims)", "int"),
                ],
                [[r, v, lo, hi, n] for r, v, lo, hi, n in zip(VCOP_RIGHTS, vcop_vals, lows, highs, bases, strict=True)],
                units="share of victims asked, 0-100%",
                source="Victims' Code compliance returns (template), Westminster, year to June 2025",
                notes=["Weakest right highlighted: information about compensation (13%)."],
                highlight_rows=[4],
            ),
            BarChart(
                "Victim satisfaction (USS): share satisfied",
                ["Ease of contact", "Police actions", "Follow-up", "Treatment", "Overall satisfaction"],
                [0.79, 0.61, 0.52, 0.83, 0.66],
                lower=[0.73, 0.54, 0.45, 0.78, 0.6],
                upper=[0.84, 0.67, 0.59, 0.87, 0.72],
                highlight=[2],
                value_format="pct",
            ),
        ],
    )
    trust = Section(
        "trust",
        "Trust and confidence",
        [
            Paragraph(
                "Public Attitude Survey, Westminster borough (no ward figures are published). Bases are not "
                "published with the dashboard data, so intervals cannot be shown.",
                "caveat",
            ),
            Table(
                "pas",
                "Public Attitude Survey: Westminster and London, year to December 2023",
                [Column("Measure", "text", 3.0), Column("Westminster", "pct"), Column("London", "pct")],
                [
                    ["Police do a good job in the local area", 0.52, 0.49],
                    ["Police can be relied on to be there when needed", 0.58, 0.55],
                    ["Police treat everyone fairly", 0.69, 0.64],
                    ["Police deal with what matters to the community", 0.55, 0.53],
                    ["Police listen to the concerns of local people", 0.62, 0.59],
                    ["Well informed about local policing", 0.18, 0.2],
                    ["Trust the MPS", 0.73, 0.72],
                    ["Know how to contact the ward officer", 0.14, 0.13],
                ],
                units="share agreeing",
                source="MOPAC Public Attitude Survey dashboard, borough data to Q3 2023-24",
            ),
        ],
    )
    fire = Section(
        "fire",
        "Fire incidents and false alarms",
        [
            Table(
                "fire",
                "Fire brigade incidents in West End, last 12 months",
                [Column("Incident group", "text", 2.5), Column("Last 12 months", "int"), Column("Previous", "int")],
                [["Fire", 142, 151], ["Special service", 388, 402], ["False alarm", 1911, 2004], ["All", 2441, 2557]],
                units="incidents attended, count",
                source="London Fire Brigade incident records",
                total_row=True,
            ),
            Paragraph("Most false alarms come from automatic fire alarms in offices and hotels (non-residential)."),
        ],
    )
    priorities = Section(
        "priorities",
        "Panel priorities and actions",
        [
            PriorityBlock(
                "Phone snatches on Oxford Street and Soho",
                "Theft",
                "Open",
                "2025-01-14",
                "2025-07-15",
                "Theft from the person, 3 months to Dec 2024: 1,402",
                "Theft from the person, 3 months to Jun 2025: 1,077",
                [
                    (
                        "High-visibility patrols at peak hours (Fri-Sat 18:00-02:00)",
                        "West End SNT",
                        "2025-03-31",
                        "2025-03-28",
                    ),
                    ("Shop-watch radio link with 40 retailers", "BID + SNT", "2025-05-31", ""),
                    ('=HYPERLINK("http://evil.invalid") must show as text', "Analyst", "2025-06-30", ""),
                ],
                notes="Keep under review: seasonal rise expected in December.",
            ),
            PriorityBlock(
                "Street drinking and begging around Leicester Square",
                "Anti-social behaviour",
                "Closed - achieved",
                "2024-10-08",
                "2025-04-08",
                "ASB calls, 3 months to Sep 2024: 611",
                "ASB calls, 3 months to Mar 2025: 498",
                [("Joint outreach with St Mungo's", "Council + SNT", "2025-01-31", "2025-01-20")],
            ),
        ],
    )
    from desktop.settings import default_contacts

    contacts = Section(
        "contacts",
        "What can I do?",
        [ContactList([(c.heading, c.text) for c in default_contacts()])],
    )
    about = Section(
        "about",
        "About these figures",
        [
            Paragraph("Definitions", "lead"),
            Bullets(
                [
                    "Last 12 months: July 2024 to June 2025. Previous 12 months: July 2023 to June 2024.",
                    "Significant: an exact test on the two counts gives p < 0.05; changes in small counts are rarely "
                    "significant and are not called trends.",
                    "Rates per 1,000 residents use Census 2021 usual residents; West End and St James's have many "
                    "visitors, so their resident rates overstate the risk to any one person.",
                    "Survey figures carry 95% Wilson intervals where a base is known.",
                ]
            ),
            Paragraph("Sources", "lead"),
            Bullets(
                [
                    "MPS Ward Level Crime (most recent 24 months), London Datastore, edition to July 2025, imported "
                    "2025-08-04.",
                    "MOPAC Public Attitude Survey dashboard data to Q3 2023-24, imported 2025-08-04.",
                    "London Fire Brigade incident records, imported 2025-08-04.",
                ]
            ),
            Paragraph("Contains public sector information licensed under the Open Government Licence v3.0.", "small"),
        ],
    )
    return Pack(
        kind="ward",
        title="West End ward",
        area_code="E05013806",
        area_name="West End",
        borough_name="Westminster",
        period_label="12 months to June 2025",
        reference_month="2025-06",
        marking="OFFICIAL",
        organisation="Safer Westminster Partnership",
        prepared_by="Community Safety Analyst, Westminster City Council",
        data_as_at="2025-08-04",
        meeting_date="2025-07-15",
        mode="public",
        sections=[glance, theft, violence, victims, trust, fire, priorities, contacts, about],
        sources=[
            "MPS Ward Level Crime (most recent 24 months), edition to July 2025",
            "MOPAC Public Attitude Survey dashboard, to Q3 2023-24",
            "London Fire Brigade incident records",
        ],
    )


def sample_overview() -> Pack:
    return Pack(
        kind="overview",
        title="Westminster: all wards",
        area_code="E09000033",
        area_name="Westminster",
        borough_name="Westminster",
        period_label="12 months to June 2025",
        reference_month="2025-06",
        marking="OFFICIAL",
        organisation="Safer Westminster Partnership",
        prepared_by="Community Safety Analyst",
        data_as_at="2025-08-04",
        sections=[Section("overview", "All wards side by side", [_ward_table()])],
        sources=["MPS Ward Level Crime (most recent 24 months), edition to July 2025"],
    )
