"""Make WardBrief's bundled demo data and blank templates (deterministic: re-running reproduces every file byte for byte).

    .venv/bin/python tools/make_demo_data.py [--shared ../shared/data] [--check]

Writes `resources/demo/` and `resources/templates/`:
- REAL cuts, byte for byte, from the public extracts in ../shared/data (skipped, with a message, when that folder is
  absent: the committed copies stay as they are): the Westminster rows of the Met ward-level crime edition
  202307-202506, the "City of Westminster" rows of the MOPAC PAS borough dashboard data, Westminster's rows of the
  ONS ward-to-LAD lookup (December 2023) and the DERIVED 2022-ward Census 2021 populations.
- ILLUSTRATIVE files (made up here from a fixed seed, shaped to the Safer Westminster Partnership Strategy 2024-27's
  headline figures): ASB counts, LFB incidents in the real LFB column layout, USS/VCOP survey results in our
  template layout, and a few panel priorities.
- The blank templates (CSV and XLSX) for survey results, ASB counts and panel priorities.

Randomness comes only from `random.Random(SEED).random()` (its sequence is fixed across Python versions); every
draw below is built on it, so the files never change unless this script does. `--check` regenerates into a
temporary folder and fails if any file differs from the committed one.
"""

from __future__ import annotations

import argparse
import csv
import filecmp
import io
import math
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from demo_lfb import make_lfb  # noqa: E402
from demo_priorities import Measures, make_priorities  # noqa: E402
from demo_templates import write_templates  # noqa: E402

SEED = 20250630
# of the first 60 candidate survey seeds, the one whose Central West figures (pooled over the two years and over the
# last four quarters) come closest to the strategy's headline figures: sampling noise stays, the level is right
SURVEY_SEED = SEED + 103
BOROUGH = "Westminster"
BOROUGH_CODE = "E09000033"

# Output names. The numeric prefix is the import order (lookups first, then counts, then surveys and priorities).
WARD_LOOKUP = "01_Ward_to_LAD_Dec2023_ONS_Westminster.csv"
POPULATIONS = "02_westminster_2022wards_census2021_pop_DERIVED_bestfit.csv"
CRIME = "03_MPS_Ward_Level_Crime_Westminster_202307-202506.csv"
ASB = "04_ward_asb_counts_Westminster_202307-202506_ILLUSTRATIVE.csv"
LFB = "05_LFB_incidents_Westminster_202307-202506_ILLUSTRATIVE.csv"
PAS = "06_PAS_Dashboard_Borough_City_of_Westminster.csv"
SURVEYS = "07_survey_results_USS_VCOP_ILLUSTRATIVE.csv"
PRIORITIES = "08_panel_priorities_ILLUSTRATIVE.csv"

SRC_CRIME = "mps-ward-crime/MPS_Ward_Level_Crime_most_recent_24_months_202307-202506.csv"
SRC_PAS = "pas/PAS_Dashboard_Borough.csv"
SRC_LOOKUP = "ons/Ward_to_Local_Authority_District_(December_2023)_Lookup_in_the_United_Kingdom.csv"
SRC_POPULATIONS = "populations/westminster_2022wards_census2021_pop_DERIVED_bestfit.csv"

MONTHS = [f"{2023 + (6 + i) // 12}-{(6 + i) % 12 + 1:02d}" for i in range(24)]  # 2023-07 .. 2025-06
QUARTER_ENDS = ["2023-09-30", "2023-12-31", "2024-03-31", "2024-06-30", "2024-09-30", "2024-12-31", "2025-03-31"]
QUARTER_ENDS.append("2025-06-30")


# --- deterministic draws, all from Random.random() ---------------------------------------------------------


class Draw:
    def __init__(self, seed: int) -> None:
        import random

        self._rng = random.Random(seed)

    def u(self) -> float:
        return self._rng.random()

    def normal(self) -> float:
        u1 = max(self.u(), 1e-12)
        return math.sqrt(-2.0 * math.log(u1)) * math.cos(2.0 * math.pi * self.u())

    def poisson(self, lam: float) -> int:
        if lam < 40:
            limit, k, p = math.exp(-lam), 0, 1.0
            while True:
                p *= self.u()
                if p <= limit:
                    return k
                k += 1
        return max(0, round(lam + math.sqrt(lam) * self.normal()))

    def binomial(self, n: int, p: float) -> int:
        if n * p * (1 - p) > 30:
            return min(n, max(0, round(n * p + math.sqrt(n * p * (1 - p)) * self.normal())))
        return sum(1 for _ in range(n) if self.u() < p)

    def pick(self, options: Sequence[tuple[str, float]]) -> str:
        total = sum(w for _, w in options)
        x = self.u() * total
        for value, weight in options:
            x -= weight
            if x < 0:
                return value
        return options[-1][0]

    def between(self, low: int, high: int) -> int:
        return low + int(self.u() * (high - low + 1))


# --- REAL cuts, byte for byte -------------------------------------------------------------------------------


def _cut_lines(src: Path, keep: int, test: str | tuple[str, ...], column: int) -> bytes:
    """The header line and every line whose `column` (0-based, parsed as CSV) is `test`, bytes as published."""
    wanted = (test,) if isinstance(test, str) else test
    data = src.read_bytes()
    lines = data.splitlines(keepends=True)
    out = lines[:keep]
    encoding = "utf-8-sig"
    for line in lines[keep:]:
        cells = next(csv.reader([line.decode(encoding)]), [])
        if len(cells) > column and cells[column] in wanted:
            out.append(line)
    # every line but the last keeps its own ending; a kept last line without one stays so (as published)
    return b"".join(out)


def write_real(shared: Path, demo: Path) -> list[str]:
    made = []
    jobs = [
        (SRC_CRIME, CRIME, BOROUGH, 4),
        (SRC_PAS, PAS, "City of Westminster", 2),
        (SRC_LOOKUP, WARD_LOOKUP, BOROUGH_CODE, 3),
    ]
    for src, name, test, column in jobs:
        (demo / name).write_bytes(_cut_lines(shared / src, 1, test, column))
        made.append(name)
    (demo / POPULATIONS).write_bytes((shared / SRC_POPULATIONS).read_bytes())
    made.append(POPULATIONS)
    return made


def wards(shared: Path | None, demo: Path) -> list[tuple[str, str, int]]:
    """(code, name, residents) of Westminster's 18 wards, from the real populations file (or its demo copy)."""
    path = shared / SRC_POPULATIONS if shared and (shared / SRC_POPULATIONS).exists() else demo / POPULATIONS
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    out = [(r["ward_code"], r["ward_name"], int(r["usual_residents_2021_census_bestfit_lsoa_sum"])) for r in rows]
    with (demo / CRIME).open(encoding="utf-8", newline="") as handle:
        met = {(r["WardCode"], r["WardName"]) for r in csv.DictReader(handle)}
    if len(out) != 18 or {(c, n) for c, n, _ in out} != met:
        raise SystemExit("The populations file and the Met crime cut do not list the same 18 wards.")
    return out


def crime_totals(demo: Path) -> dict[str, int]:
    """24-month recorded crime per ward, from the real Met cut: used to weight the illustrative ASB counts."""
    totals: dict[str, int] = {}
    with (demo / CRIME).open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        for row in reader:
            totals[row[3]] = totals.get(row[3], 0) + sum(int(x) for x in row[5:])
    return totals


def _csv_text(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue()


# --- ILLUSTRATIVE: ASB counts -------------------------------------------------------------------------------

ASB_PER_YEAR = 12_242  # ASB incidents reported to police in Westminster (strategy's figure)
# residential wards where ASB (drugs, street population, youth nuisance) runs above their crime share
ASB_HOTSPOTS = {"Church Street": 1.35, "Queen's Park": 1.3, "Harrow Road": 1.3, "Westbourne": 1.25, "Hyde Park": 1.1}
SEASON = [0.87, 0.85, 0.95, 0.99, 1.05, 1.1, 1.16, 1.13, 1.02, 0.97, 0.93, 0.98]  # Jan..Dec


def make_asb(draw: Draw, ward_list: list[tuple[str, str, int]], crime: dict[str, int]) -> str:
    pop_total = sum(p for _, _, p in ward_list)
    crime_total = sum(crime.values())
    weights = {
        code: (0.5 * pop / pop_total + 0.5 * crime[code] / crime_total) * ASB_HOTSPOTS.get(name, 1.0)
        for code, name, pop in ward_list
    }
    scale = ASB_PER_YEAR / sum(weights.values())
    season_mean = sum(SEASON) / 12
    rows = []
    for index, month in enumerate(MONTHS):
        mon = int(month[5:])
        trend = 1.012 - 0.024 * index / 23  # a gentle fall over the two years
        for code, name, _ in ward_list:
            lam = weights[code] * scale / 12 * SEASON[mon - 1] / season_mean * trend
            if name == "West End" and mon == 12:
                lam *= 1.12  # the Christmas crowds
            rows.append([code, name, month, draw.poisson(lam)])
    return _csv_text(["ward_code", "ward_name", "month", "asb_incidents"], rows)


# --- ILLUSTRATIVE: survey results (USS, VCOP) ---------------------------------------------------------------

USS_LEVELS = {  # Central West BCU, underlying proportion
    "ease of contact": 0.86,
    "police actions": 0.62,
    "follow-up": 0.55,
    "treatment": 0.82,
    "overall satisfaction": 0.65,  # 65% of victims in Central West BCU satisfied (strategy)
}
VCOP_LEVELS = {  # right -> (Central West proportion, share of victims the question applies to)
    "understand and be understood": (0.91, 1.0),
    "crime recorded without unjustified delay": (0.86, 1.0),
    "information when reporting": (0.71, 1.0),
    "referral to support services": (0.47, 1.0),  # 47% offered support (strategy)
    "information about compensation": (0.13, 0.9),  # 13% told about the compensation scheme (strategy)
    "information about the investigation and prosecution": (0.56, 0.9),
    "make a Victim Personal Statement": (0.58, 0.8),  # 58% offered a VPS (strategy)
    "information about the trial": (0.44, 0.22),
    "information about the outcome and any appeal": (0.41, 0.45),
    "expenses and property returned": (0.36, 0.3),
    "information about the offender after conviction": (0.27, 0.18),
    "make a complaint": (0.21, 1.0),
}
# offsets from the BCU level: Westminster, the two other boroughs of the BCU, the rest of London
AREA_OFFSETS = {"Westminster": -0.012, "Kensington and Chelsea": 0.01, "Hammersmith and Fulham": -0.002, "rest": 0.01}
# the slow drift over the eight quarters averages to zero, so the BCU's two-year level is the strategy's figure
DRIFT_MEAN = {s: sum(math.sin(q * 1.3 + len(s)) for q in range(8)) / 8 for s in ("USS", "VCOP")}


def _survey_rows(
    draw: Draw, survey: str, levels: dict[str, tuple[float, float]], sizes: dict[str, tuple[int, int]]
) -> list[list[object]]:
    rows: list[list[object]] = []
    for q, period in enumerate(QUARTER_ENDS):
        drift = 0.012 * (math.sin(q * 1.3 + len(survey)) - DRIFT_MEAN[survey])
        n_area = {area: draw.between(*sizes[area]) for area in AREA_OFFSETS}
        for measure, (level, share) in levels.items():
            pos: dict[str, int] = {}
            base: dict[str, int] = {}
            for area, offset in AREA_OFFSETS.items():
                p = min(0.99, max(0.01, level + offset + drift + 0.01 * draw.normal()))
                base[area] = max(3, round(n_area[area] * share * (0.9 + 0.2 * draw.u())))
                pos[area] = draw.binomial(base[area], p)
            bcu_n = base["Westminster"] + base["Kensington and Chelsea"] + base["Hammersmith and Fulham"]
            bcu_pos = pos["Westminster"] + pos["Kensington and Chelsea"] + pos["Hammersmith and Fulham"]
            london_n, london_pos = bcu_n + base["rest"], bcu_pos + pos["rest"]
            rows.append(
                _survey_row(survey, "borough", "Westminster", period, measure, base["Westminster"], pos["Westminster"])
            )
            rows.append(_survey_row(survey, "BCU", "Central West", period, measure, bcu_n, bcu_pos))
            if survey == "VCOP":  # London-wide Victims' Code figures come without bases
                rows.append([survey, "London", "London", period, measure, "", f"{london_pos / london_n:.3f}", ""])
            else:
                rows.append(_survey_row(survey, "London", "London", period, measure, london_n, london_pos))
    return rows


def _survey_row(survey: str, area_type: str, area: str, period: str, measure: str, n: int, pos: int) -> list[object]:
    return [survey, area_type, area, period, measure, n, f"{pos / n:.3f}", pos]


def make_surveys(draw: Draw) -> str:
    uss_sizes = {"Westminster": (36, 74), "Kensington and Chelsea": (70, 110), "Hammersmith and Fulham": (80, 120)}
    uss_sizes["rest"] = (2100, 2500)
    vcop_sizes = {"Westminster": (30, 62), "Kensington and Chelsea": (55, 90), "Hammersmith and Fulham": (60, 95)}
    vcop_sizes["rest"] = (1500, 1800)
    rows = _survey_rows(draw, "USS", {m: (v, 1.0) for m, v in USS_LEVELS.items()}, uss_sizes)
    rows += _survey_rows(draw, "VCOP", VCOP_LEVELS, vcop_sizes)
    header = ["survey", "area_type", "area", "period_end", "measure", "base_n", "value", "positives"]
    return _csv_text(header, rows)


# --- main ---------------------------------------------------------------------------------------------------


def generate(out_root: Path, shared: Path | None) -> list[Path]:
    demo = out_root / "resources" / "demo"
    demo.mkdir(parents=True, exist_ok=True)
    committed = ROOT / "resources" / "demo"
    if shared is not None and (shared / SRC_CRIME).exists():
        write_real(shared, demo)
    elif demo != committed:  # --check without the real data: compare the illustrative files only
        for name in (WARD_LOOKUP, POPULATIONS, CRIME, PAS):
            (demo / name).write_bytes((committed / name).read_bytes())
    else:
        print("../shared/data is absent: the REAL cuts are left as committed.", file=sys.stderr)
    ward_list = wards(shared, demo)
    crime = crime_totals(demo)
    asb = make_asb(Draw(SEED + 1), ward_list, crime)
    lfb = make_lfb(Draw(SEED + 2), ward_list)
    measures = Measures((demo / CRIME).read_text(encoding="utf-8"), asb, lfb)
    outputs = {
        ASB: asb,
        LFB: lfb,
        SURVEYS: make_surveys(Draw(SURVEY_SEED)),
        PRIORITIES: make_priorities(ward_list, measures),
    }
    for name, text in outputs.items():
        (demo / name).write_text(text, encoding="utf-8", newline="")
    templates = out_root / "resources" / "templates"
    templates.mkdir(parents=True, exist_ok=True)
    write_templates(templates)
    return sorted(demo.iterdir()) + sorted(templates.iterdir())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", default=str(ROOT.parent / "shared" / "data"), help="the real extracts folder")
    parser.add_argument("--check", action="store_true", help="regenerate in a temp folder and compare")
    args = parser.parse_args(argv)
    shared = Path(args.shared)
    shared_or_none = shared if shared.is_dir() else None
    if not args.check:
        for path in generate(ROOT, shared_or_none):
            print(f"{path.relative_to(ROOT)}  {path.stat().st_size:,} bytes")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        made = generate(Path(tmp), shared_or_none)
        differ = []
        for path in made:
            rel = path.relative_to(tmp)
            if path.name == "README.md":
                continue
            if not (ROOT / rel).exists() or not filecmp.cmp(path, ROOT / rel, shallow=False):
                differ.append(str(rel))
    if differ:
        print("These files differ from a fresh run:\n  " + "\n  ".join(differ), file=sys.stderr)
        return 1
    print(f"All {len(made)} generated files are identical to the committed ones.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
