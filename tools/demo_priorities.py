"""ILLUSTRATIVE Neighbourhood Ward Panel priorities for a few Westminster wards (our own wording, themes from the
Safer Westminster Partnership Strategy 2024-27). The before/after measures are computed from the demo data itself
(the real Met crime cut, the illustrative ASB and LFB files), so the pack's figures and the priorities agree.
Used by tools/make_demo_data.py.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

HEADER = [
    "ward_code", "ward_name", "priority", "theme", "set_on", "status", "review_date", "measure_before",
    "measure_after", "action", "action_owner", "action_due", "action_done",
]  # fmt: skip
QUARTERS = {
    "Jan-Mar": ("01", "02", "03"),
    "Apr-Jun": ("04", "05", "06"),
    "Jul-Sep": ("07", "08", "09"),
    "Oct-Dec": ("10", "11", "12"),
    "Jan-Dec": tuple(f"{m:02d}" for m in range(1, 13)),
}


class Measures:
    """Quarterly sums from the demo files, as the short measure text a panel writes down."""

    def __init__(self, crime_csv: str, asb_csv: str, lfb_csv: str) -> None:
        self.crime: dict[tuple[str, str, str], int] = {}
        rows = list(csv.reader(io.StringIO(crime_csv)))
        months = [f"{m[:4]}-{m[4:]}" for m in rows[0][5:]]
        for row in rows[1:]:
            for month, value in zip(months, row[5:], strict=True):
                key = (row[3], row[1], month)
                self.crime[key] = self.crime.get(key, 0) + int(value)
        self.asb = {(r["ward_code"], r["month"]): int(r["asb_incidents"]) for r in csv.DictReader(io.StringIO(asb_csv))}
        self.fire: dict[tuple[str, str, str, str], int] = {}
        for r in csv.DictReader(io.StringIO(lfb_csv)):
            day, mon, year = r["DateOfCall"].split()
            month = f"{year}-{'JanFebMarAprMayJunJulAugSepOctNovDec'.index(mon) // 3 + 1:02d}"
            key = (r["IncGeo_WardCode"], r["StopCodeDescription"], r["PropertyCategory"], month)
            self.fire[key] = self.fire.get(key, 0) + 1
        self.categories = sorted({c for _, _, c, _ in self.fire})

    @staticmethod
    def _months(quarter: str) -> list[str]:
        name, year = quarter.rsplit(" ", 1)
        return [f"{year}-{m}" for m in QUARTERS[name]]

    def _text(self, label: str, quarter: str, count: Callable[[str], int], note: str) -> str:
        total = sum(count(m) for m in self._months(quarter))
        return f"{label}, {quarter}: {total:,}{note}"

    def crime_q(self, ward: str, minors: tuple[str, ...], label: str, quarter: str) -> str:
        return self._text(label, quarter, lambda m: sum(self.crime.get((ward, x, m), 0) for x in minors), "")

    def asb_q(self, ward: str, quarter: str) -> str:
        return self._text("ASB calls to police", quarter, lambda m: self.asb.get((ward, m), 0), " (illustrative)")

    def fire_q(self, ward: str, stop: str, category: str | None, label: str, quarter: str) -> str:
        def count(month: str) -> int:
            keys = ((ward, stop, c, month) for c in ([category] if category else self.categories))
            return sum(self.fire.get(key, 0) for key in keys)

        return self._text(label, quarter, count, " (LFB, illustrative)")


THEFT_PERSON = ("THEFT FROM THE PERSON",)
SHOPLIFTING = ("SHOPLIFTING",)
SEXUAL = ("RAPE", "OTHER SEXUAL OFFENCES")
DRUGS = ("TRAFFICKING OF DRUGS", "POSSESSION OF DRUGS")
WEAPONS = ("POSSESSION OF WEAPONS",)
BURGLARY_HOME = ("BURGLARY - RESIDENTIAL", "BURGLARY IN A DWELLING")


def make_priorities(ward_list: list[tuple[str, str, int]], measures: Measures) -> str:
    code = {name: c for c, name, _ in ward_list}
    m = measures
    rows: list[list[str]] = []

    def add(ward: str, priority: tuple[str, ...], actions: list[tuple[str, str, str, str]]) -> None:
        for action in actions:
            rows.append([code[ward], ward, *priority, *action])

    we, sj, cs, qp, pn = (code[n] for n in ("West End", "St James's", "Church Street", "Queen's Park", "Pimlico North"))
    add(
        "West End",
        ("Cut phone snatching and pickpocketing around Oxford Circus, Soho and Leicester Square",
         "Theft and phone snatching", "2024-10-08", "open", "2025-07-08",
         m.crime_q(we, THEFT_PERSON, "Theft from the person", "Jul-Sep 2024"),
         m.crime_q(we, THEFT_PERSON, "Theft from the person", "Apr-Jun 2025")),
        [("Plain-clothes and uniformed patrols at the five worst hotspots on Friday and Saturday evenings",
          "West End neighbourhood policing team", "2024-12-31", "2024-12-20"),
         ("Brief shop, bar and restaurant staff on spotting snatch thieves and reporting them quickly",
          "Westminster City Council business engagement team", "2025-03-31", ""),
         ("Put 'keep your phone close' signs and pavement stencils at the busiest crossings",
          "Westminster City Council", "2025-02-28", "2025-03-05")],
    )  # fmt: skip
    add(
        "West End",
        ("Make nights out safer for women and girls", "Violence against women and girls", "2025-01-14", "open",
         "2025-07-15", m.crime_q(we, SEXUAL, "Sexual offences", "Oct-Dec 2024"), ""),
        [("Sign up twenty more late-night venues as safe havens", "Night-time economy team (council)",
          "2025-06-30", ""),
         ("Train door staff to recognise predatory behaviour and call it in", "Venue operators with licensing police",
          "2025-05-31", "2025-05-22")],
    )  # fmt: skip
    add(
        "West End",
        ("Reduce false fire alarm call-outs from offices, hotels and shops", "Fire safety and false alarms",
         "2024-10-08", "open", "2025-07-08",
         m.fire_q(we, "AFA", None, "Automatic fire alarm call-outs", "Jul-Sep 2024"),
         m.fire_q(we, "AFA", None, "Automatic fire alarm call-outs", "Apr-Jun 2025")),
        [("Write to the 25 premises with the most repeat false alarms and offer a visit", "LFB Soho station",
          "2025-01-31", "2025-01-28"),
         ("Advise hotel managers on alarm maintenance and staff checks before calling 999", "LFB fire safety team",
          "2025-04-30", "")],
    )  # fmt: skip
    add(
        "St James's",
        ("Bring down shoplifting on Piccadilly and Regent Street", "Theft and phone snatching", "2024-10-09",
         "open", "2025-07-09", m.crime_q(sj, SHOPLIFTING, "Shoplifting", "Jul-Sep 2024"), ""),
        [("Joint days of action with store security against repeat offenders",
          "St James's neighbourhood policing team", "2025-03-31", "2025-03-28"),
         ("Share images of prolific offenders through the business crime reduction partnership",
          "Business crime reduction partnership", "2025-02-28", "2025-02-14")],
    )  # fmt: skip
    add(
        "St James's",
        ("Tackle aggressive begging and street ASB around Leicester Square and Haymarket", "Anti-social behaviour",
         "2024-07-09", "closed", "2025-01-14", m.asb_q(sj, "Apr-Jun 2024"), m.asb_q(sj, "Oct-Dec 2024")),
        [("Outreach workers to offer help and a route off the street to everyone sleeping rough there",
          "Westminster City Council rough sleeping team", "2024-09-30", "2024-09-27"),
         ("Use community protection warnings where help is refused and the behaviour carries on",
          "Council ASB team with the police", "2024-12-31", "2024-12-16")],
    )  # fmt: skip
    add(
        "Church Street",
        ("Disrupt street drug dealing around the market and the estates", "Drug dealing", "2024-10-15", "open",
         "2025-07-15", m.crime_q(cs, DRUGS, "Drug offences", "Jul-Sep 2024"),
         m.crime_q(cs, DRUGS, "Drug offences", "Apr-Jun 2025")),
        [("Warrants and stop checks led by what residents report", "Church Street neighbourhood policing team",
          "2025-03-31", "2025-02-26"),
         ("Better lighting and cut-back planting along the estate walkways", "Westminster City Council housing",
          "2025-05-31", ""),
         ("Drop-in session on reporting anonymously through Crimestoppers", "Ward panel chair",
          "2025-01-31", "2025-01-30")],
    )  # fmt: skip
    add(
        "Church Street",
        ("Keep young people safe from exploitation and knife crime", "Serious youth violence", "2025-01-21",
         "open", "2025-07-22", m.crime_q(cs, WEAPONS, "Possession of weapons offences", "Jan-Dec 2024"), ""),
        [("Weapon sweeps of parks, bin stores and stairwells with the estate officers",
          "Church Street neighbourhood policing team", "2025-03-31", "2025-03-20"),
         ("Refer young people at risk to the youth outreach programme", "Westminster youth services",
          "2025-06-30", "")],
    )  # fmt: skip
    add(
        "Queen's Park",
        ("Reduce ASB and youth nuisance around the Harrow Road shops", "Anti-social behaviour", "2024-10-10",
         "open", "2025-07-10", m.asb_q(qp, "Jul-Sep 2024"), m.asb_q(qp, "Apr-Jun 2025")),
        [("Evening patrols with the council's city inspectors on Thursdays to Saturdays",
          "Queen's Park neighbourhood policing team", "2025-01-31", "2025-01-31"),
         ("Extra Friday evening sessions at the local youth club", "Westminster youth services", "2025-03-31",
          "2025-04-04")],
    )  # fmt: skip
    add(
        "Queen's Park",
        ("Stop drug dealing in the stairwells of the estate blocks", "Drug dealing", "2024-04-11", "closed",
         "2024-10-10", m.crime_q(qp, DRUGS, "Drug offences", "Jan-Mar 2024"),
         m.crime_q(qp, DRUGS, "Drug offences", "Jul-Sep 2024")),
        [("Repair the door entry systems so only residents can get in", "Westminster City Council housing",
          "2024-07-31", "2024-08-09"),
         ("Closure order on the flat used for dealing", "Queen's Park neighbourhood policing team", "2024-09-30",
          "2024-09-12")],
    )  # fmt: skip
    add(
        "Pimlico North",
        ("Prevent burglary of homes", "Burglary", "2024-10-17", "open", "2025-07-17",
         m.crime_q(pn, BURGLARY_HOME, "Residential burglary", "Jul-Sep 2024"),
         m.crime_q(pn, BURGLARY_HOME, "Residential burglary", "Apr-Jun 2025")),
        [("Crime prevention visits to the neighbours of every burgled home",
          "Pimlico North neighbourhood policing team", "2025-01-31", "2025-01-29"),
         ("Hand out window alarms and door chains at the panel's market stall", "Ward panel members", "2025-03-31",
          "2025-03-15"),
         ("Press for repairs to broken communal doors on the estates", "Westminster City Council housing",
          "2025-06-30", "")],
    )  # fmt: skip
    add(
        "Pimlico North",
        ("Home fire safety for older and vulnerable residents", "Fire safety and false alarms", "2025-01-16", "open",
         "2025-07-17", m.fire_q(pn, "Primary Fire", "Dwelling", "Fires in homes", "Oct-Dec 2024"), ""),
        [("Refer residents who live alone or have care needs for a free home fire safety visit",
          "LFB Lambeth station with adult social care", "2025-06-30", "")],
    )  # fmt: skip
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    return buf.getvalue()
