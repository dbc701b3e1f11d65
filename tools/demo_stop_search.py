"""Make the ILLUSTRATIVE demo stop and search file (police.uk's monthly layout), seeded so it reproduces exactly.

    .venv/bin/python tools/demo_stop_search.py

Writes resources/demo/14_stop_and_search_Westminster_202407-202506_ILLUSTRATIVE.csv: about 200 searches a month for
the twelve months to June 2025, in police.uk's 15 columns. Searches fall in Westminster's wards in proportion to
their recorded crime (the real Met file 03) and at random points inside the bundled ward boundaries (file 10); the
mix of objects, outcomes and self-defined ethnicity is plausible, not real. Do not quote it as fact.
"""

from __future__ import annotations

import csv
import io
import json
import random
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from desktop import geo  # noqa: E402

SEED = 14
DEMO = ROOT / "resources" / "demo"
OUT = DEMO / "14_stop_and_search_Westminster_202407-202506_ILLUSTRATIVE.csv"
HEADER = [
    "Type", "Date", "Part of a policing operation", "Policing operation", "Latitude", "Longitude", "Gender",
    "Age range", "Self-defined ethnicity", "Officer-defined ethnicity", "Legislation", "Object of search", "Outcome",
    "Outcome linked to object of search", "Removal of more than just outer clothing",
]  # fmt: skip
OBJECTS = [  # (object, legislation, weight)
    ("Controlled drugs", "Misuse of Drugs Act 1971 (section 23)", 58),
    ("Offensive weapons", "Police and Criminal Evidence Act 1984 (section 1)", 14),
    ("Stolen goods", "Police and Criminal Evidence Act 1984 (section 1)", 13),
    ("Articles for use in criminal damage", "Police and Criminal Evidence Act 1984 (section 1)", 3),
    ("Evidence of offences under the Act", "Police and Criminal Evidence Act 1984 (section 1)", 4),
    ("Anything to threaten or harm anyone", "Criminal Justice and Public Order Act 1994 (section 60)", 3),
    ("Firearms", "Firearms Act 1968 (section 47)", 1),
    ("Article for use in theft", "Police and Criminal Evidence Act 1984 (section 1)", 4),
]
OUTCOMES = [("A no further action disposal", 68), ("Arrest", 16), ("Community resolution", 8),
            ("Summons / charged by post", 3), ("Penalty Notice for Disorder", 2), ("Khat or Cannabis warning", 3)]  # fmt: skip
ETHNICITY = [  # (self-defined, officer-defined, weight)
    ("White - English/Welsh/Scottish/Northern Irish/British", "White", 20),
    ("White - Any other White background", "White", 12),
    ("Black/African/Caribbean/Black British - African", "Black", 10),
    ("Black/African/Caribbean/Black British - Caribbean", "Black", 8),
    ("Black/African/Caribbean/Black British - Any other Black/African/Caribbean background", "Black", 7),
    ("Asian/Asian British - Bangladeshi", "Asian", 4),
    ("Asian/Asian British - Any other Asian background", "Asian", 6),
    ("Asian/Asian British - Pakistani", "Asian", 2),
    ("Mixed/Multiple ethnic groups - White and Black Caribbean", "Black", 4),
    ("Mixed/Multiple ethnic groups - Any other Mixed/Multiple ethnic background", "Other", 2),
    ("Other ethnic group - Arab", "Other", 3),
    ("Other ethnic group - Any other ethnic group", "Other", 3),
    ("Other ethnic group - Not stated", "", 19),
]
AGES = [("18-24", 38), ("25-34", 27), ("10-17", 15), ("over 34", 20)]
MONTHS = [f"2024-{m:02d}" for m in range(7, 13)] + [f"2025-{m:02d}" for m in range(1, 7)]


def pick(rng: random.Random, options: list[tuple]) -> tuple:  # type: ignore[type-arg]
    total = sum(o[-1] for o in options)
    x = rng.random() * total
    for option in options:
        x -= option[-1]
        if x < 0:
            return option
    return options[-1]


def ward_weights() -> dict[str, float]:
    rows = list(
        csv.DictReader((DEMO / "03_MPS_Ward_Level_Crime_Westminster_202307-202506.csv").open(encoding="utf-8-sig"))
    )
    months = [c for c in rows[0] if c.isdigit() and c >= "202407"]
    totals: Counter[str] = Counter()
    for row in rows:
        totals[row["WardCode"]] += sum(int(float(row[m] or 0)) for m in months)
    whole = sum(totals.values())
    return {k: v / whole for k, v in totals.items()}


def point_in(rng: random.Random, shape: geo.Shape) -> tuple[float, float]:
    x0, y0, x1, y1 = shape.bbox
    while True:
        x, y = x0 + (x1 - x0) * rng.random(), y0 + (y1 - y0) * rng.random()
        if shape.contains([x], [y])[0]:
            return round(x, 6), round(y, 6)


def main() -> int:
    rng = random.Random(SEED)
    data = json.loads((DEMO / "10_Westminster_wards_2022_ONS.geojson").read_text(encoding="utf-8"))
    shapes = {f["properties"]["WD22CD"]: geo.Shape(f["properties"]["WD22CD"], "", geo.polygons_of(f["geometry"]))
              for f in data["features"]}  # fmt: skip
    weights = [(code, w) for code, w in sorted(ward_weights().items()) if code in shapes]
    buf = io.StringIO()
    out = csv.writer(buf, lineterminator="\n")
    out.writerow(HEADER)
    for month in MONTHS:
        for _ in range(170 + int(rng.random() * 60)):
            code = pick(rng, weights)[0]
            lon, lat = point_in(rng, shapes[code])
            obj, law, _ = pick(rng, OBJECTS)
            outcome = pick(rng, OUTCOMES)[0]
            linked = "" if outcome.startswith("A no further") else ("True" if rng.random() < 0.62 else "False")
            self_eth, officer_eth, _ = pick(rng, ETHNICITY)
            day, hour, minute = 1 + int(rng.random() * 28), int(rng.random() * 24), int(rng.random() * 60)
            located = rng.random() > 0.03
            out.writerow([
                "Person search" if rng.random() < 0.93 else "Person and Vehicle search",
                f"{month}-{day:02d}T{hour:02d}:{minute:02d}:00+00:00", "False", "",
                f"{lat:.6f}" if located else "", f"{lon:.6f}" if located else "",
                "Male" if rng.random() < 0.88 else "Female", pick(rng, AGES)[0], self_eth, officer_eth, law, obj,
                outcome, linked, "False",
            ])  # fmt: skip
    OUT.write_text(buf.getvalue(), encoding="utf-8", newline="")
    print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
