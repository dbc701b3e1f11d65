"""ILLUSTRATIVE LFB incident records for Westminster's 18 wards, 1 Jul 2023 - 30 Jun 2025, in the real published
"LFB Incident Records" column layout (39 columns). Made up, shaped to the strategy's figures: the LFB attended
8,863 incidents in Westminster in 2022, 5,697 of them false alarms, mostly at business premises; West End and
St James's busiest. Used by tools/make_demo_data.py; `draw` is its deterministic Draw.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
from typing import Any

INCIDENTS_PER_YEAR = 8_863
FALSE_ALARMS_PER_YEAR = 5_697

HEADER = [
    "IncidentNumber", "DateOfCall", "CalYear", "TimeOfCall", "HourOfCall", "IncidentGroup", "StopCodeDescription",
    "SpecialServiceType", "PropertyCategory", "PropertyType", "AddressQualifier", "Postcode_full",
    "Postcode_district", "UPRN", "USRN", "IncGeo_BoroughCode", "IncGeo_BoroughName", "ProperCase",
    "IncGeo_WardCode", "IncGeo_WardName", "IncGeo_WardNameNew", "Easting_m", "Northing_m", "Easting_rounded",
    "Northing_rounded", "Latitude", "Longitude", "FRS", "IncidentStationGround", "FirstPumpArriving_AttendanceTime",
    "FirstPumpArriving_DeployedFromStation", "SecondPumpArriving_AttendanceTime",
    "SecondPumpArriving_DeployedFromStation", "NumStationsWithPumpsAttending", "NumPumpsAttending", "PumpCount",
    "PumpMinutesRounded", "Notional Cost (£)", "NumCalls",
]  # fmt: skip

# ward name -> (relative workload, share of business premises 0-1, station ground, postcode districts)
WARDS: dict[str, tuple[float, float, str, tuple[str, ...]]] = {
    "West End": (1700, 1.0, "Soho", ("W1D", "W1F", "W1B", "W1S", "W1T", "WC2H")),
    "St James's": (1300, 1.0, "Soho", ("SW1Y", "SW1A", "WC2N", "W1J", "SW1E")),
    "Marylebone": (740, 0.7, "Euston", ("W1U", "W1G", "W1H", "NW1")),
    "Knightsbridge & Belgravia": (610, 0.6, "Knightsbridge", ("SW1X", "SW1W", "SW3")),
    "Hyde Park": (560, 0.55, "Paddington", ("W2", "W1H")),
    "Regent's Park": (430, 0.35, "Euston", ("NW8", "NW1")),
    "Lancaster Gate": (400, 0.4, "Paddington", ("W2",)),
    "Church Street": (390, 0.2, "Paddington", ("NW8", "W2")),
    "Vincent Square": (340, 0.45, "Lambeth", ("SW1P", "SW1V")),
    "Pimlico North": (340, 0.3, "Lambeth", ("SW1V", "SW1W")),
    "Bayswater": (330, 0.3, "Paddington", ("W2",)),
    "Harrow Road": (300, 0.1, "North Kensington", ("W9", "W10")),
    "Westbourne": (290, 0.15, "Paddington", ("W2", "W9")),
    "Queen's Park": (260, 0.1, "North Kensington", ("W10", "W9")),
    "Maida Vale": (230, 0.1, "Paddington", ("W9",)),
    "Little Venice": (220, 0.15, "Paddington", ("W9", "W2")),
    "Abbey Road": (220, 0.1, "West Hampstead", ("NW8",)),
    "Pimlico South": (200, 0.15, "Chelsea", ("SW1V",)),
}
SECOND_STATION = {
    "Soho": "Euston",
    "Euston": "Soho",
    "Paddington": "North Kensington",
    "North Kensington": "Paddington",
    "Knightsbridge": "Chelsea",
    "Chelsea": "Knightsbridge",
    "Lambeth": "Soho",
    "West Hampstead": "Paddington",
}
PROPERTY_TYPES = {  # the published values carry a trailing space
    "Dwelling": (
        ("Purpose Built Flats/Maisonettes - 4 to 9 storeys ", 4),
        ("Purpose Built Flats/Maisonettes - 10 or more storeys ", 1.5),
        ("Purpose Built Flats/Maisonettes - Up to 3 storeys ", 2),
        ("Converted Flat/Maisonettes - 3 or more storeys", 2.5),
        ("Converted Flat/Maisonette - Up to 2 storeys ", 1),
        ("House - single occupancy ", 1),
        ("Self contained Sheltered Housing ", 0.5),
    ),
    "Non Residential": (
        ("Purpose built office ", 4),
        ("Hotel/motel ", 3),
        ("Restaurant/cafe ", 2),
        ("Pub/wine bar/bar ", 1.5),
        ("Single shop ", 1.5),
        ("Shopping Centre ", 0.6),
        ("Theatre ", 0.6),
        ("Nightclub ", 0.4),
        ("Museum ", 0.3),
        ("Hospital ", 0.5),
        ("Underground station ", 0.5),
        ("Other public building ", 0.6),
    ),
    "Other Residential": (
        ("Hostel (e.g. for homeless people) ", 2),
        ("Student Hall of Residence ", 1),
        ("Nurses'/Doctors' accommodation ", 0.4),
    ),
    "Outdoor": (
        ("Loose refuse (incl in garden) ", 3),
        ("Small refuse/rubbish container ", 3),
        ("Road surface/pavement ", 1.5),
        ("Park ", 1),
        ("Tree scrub ", 0.5),
        ("Canal/riverbank vegetation ", 0.3),
    ),
    "Outdoor Structure": (
        ("Common external bin storage area ", 2),
        ("Recycling collection point/bottle bank ", 1),
        ("Other outdoor structures ", 1),
    ),
    "Road Vehicle": (
        ("Car ", 4),
        ("Taxi/private hire car ", 1.5),
        ("Bus/coach ", 1),
        ("Motorcycle ", 1),
        ("Van ", 1),
        ("Bicycle ", 0.5),
    ),
}
SPECIAL_SERVICES = (
    ("Lift Release", 5),
    ("Effecting entry/exit", 4),
    ("Flooding", 4),
    ("Assist other agencies", 2.5),
    ("RTC", 2),
    ("Medical Incident", 1.5),
    ("Spills and Leaks (not RTC)", 1.2),
    ("Making Safe (not RTC)", 1.2),
    ("Removal of objects from people", 0.8),
    ("Other rescue/release of persons", 0.8),
    ("No action (not false alarm)", 1),
    ("Hazardous Materials incident", 0.4),
    ("Animal assistance incidents", 0.6),
    ("Advice Only", 0.4),
    ("Suicide/attempts", 0.3),
)
BUILDING_QUALIFIERS = (
    ("Correct incident location", 7),
    ("Within same building", 2.5),
    ("On land associated with building", 0.5),
)
STREET_QUALIFIERS = (
    ("In street outside gazetteer location", 4),
    ("In street close to gazetteer location", 3),
    ("Open land/water - nearest gazetteer location", 1),
    ("Nearby address - street not listed in gazetteer", 1),
)
HOURS = [4, 3, 2.5, 2, 1.8, 1.8, 2.5, 4, 6, 7, 7.5, 7.5, 7.5, 7.5, 7.5, 7.5, 7.5, 7.5, 7, 6.5, 6, 5.5, 5, 4.5]
COST_PER_PUMP_HOUR = {2023: 352.0, 2024: 364.0, 2025: 388.0}  # illustrative charge rates
MON = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]  # not %b: locale-free
MONTH_SEASON = [0.96, 0.93, 0.97, 0.98, 1.02, 1.05, 1.07, 1.05, 1.0, 0.99, 0.98, 1.0]  # Jan..Dec


SEASON_MEAN = sum(MONTH_SEASON) / 12


def _kind(draw: Any, business: float, false_alarm_share: float) -> tuple[str, str]:
    """(IncidentGroup, StopCodeDescription) for one incident in a ward with this share of business premises."""
    if draw.u() < false_alarm_share:
        afa = 0.80 + 0.12 * business
        malicious = 0.025
        x = draw.u()
        if x < afa:
            return "False Alarm", "AFA"
        if x < afa + malicious:
            return "False Alarm", "False alarm - Malicious"
        return "False Alarm", "False alarm - Good intent"
    if draw.u() < 0.27:
        return "Fire", draw.pick((("Primary Fire", 0.55), ("Secondary Fire", 0.43), ("Chimney Fire", 0.02)))
    return "Special Service", "Special Service"


def _property(draw: Any, stop: str, business: float) -> str:
    nonres = 0.25 + 0.5 * business
    if stop == "AFA":
        options = (("Non Residential", nonres + 0.1), ("Dwelling", 0.85 - nonres), ("Other Residential", 0.05))
    elif stop == "Secondary Fire":
        options = (("Outdoor", 0.82), ("Outdoor Structure", 0.18))
    elif stop == "Chimney Fire":
        options = (("Dwelling", 1.0),)
    elif stop == "Primary Fire":
        options = (("Dwelling", 0.55 - 0.2 * business), ("Non Residential", 0.2 + 0.25 * business))
        options += (("Road Vehicle", 0.15), ("Other Residential", 0.05), ("Outdoor Structure", 0.05))
    elif stop == "Special Service":
        options = (("Dwelling", 0.5 - 0.15 * business), ("Non Residential", 0.15 + 0.2 * business))
        options += (("Road Vehicle", 0.12), ("Outdoor", 0.13), ("Other Residential", 0.05))
    else:  # good intent or malicious
        options = (("Dwelling", 0.35), ("Non Residential", 0.25 + 0.1 * business), ("Outdoor", 0.25))
        options += (("Road Vehicle", 0.05), ("Other Residential", 0.05))
    return draw.pick(options)


def _seconds(draw: Any, median: float, sigma: float = 0.33) -> int:
    return max(60, round(median * math.exp(sigma * draw.normal())))


def _incidents(draw: Any, ward_list: list[tuple[str, str, int]]) -> list[tuple[Any, ...]]:
    """Each incident as (datetime, ward code, ward name) in call order."""
    total_weight = sum(WARDS[name][0] for _, name, _ in ward_list)
    out = []
    day = dt.date(2023, 7, 1)
    end = dt.date(2025, 6, 30)
    while day <= end:
        year_factor = 0.995 if day < dt.date(2024, 7, 1) else 1.005
        per_day = INCIDENTS_PER_YEAR / 365.25 * MONTH_SEASON[day.month - 1] / SEASON_MEAN * year_factor
        per_day *= 1.06 if day.weekday() >= 4 else 0.955  # busier Friday to Sunday
        for code, name, _ in ward_list:
            for _ in range(draw.poisson(per_day * WARDS[name][0] / total_weight)):
                hour = int(draw.pick([(str(h), w) for h, w in enumerate(HOURS)]))
                when = dt.datetime(day.year, day.month, day.day, hour, draw.between(0, 59), draw.between(0, 59))
                out.append((when, code, name))
        day += dt.timedelta(days=1)
    out.sort(key=lambda item: item[0])
    return out


def make_lfb(draw: Any, ward_list: list[tuple[str, str, int]]) -> str:
    """The CSV text (UTF-8, as the published file)."""
    # false alarm share by ward: higher where business premises are, averaging the strategy's 5,697 / 8,863
    total = sum(WARDS[n][0] for _, n, _ in ward_list)
    mean_business = sum(WARDS[n][0] * WARDS[n][1] for _, n, _ in ward_list) / total
    target = FALSE_ALARMS_PER_YEAR / INCIDENTS_PER_YEAR
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(HEADER)
    sequence: dict[dt.date, int] = {}
    for when, code, name in _incidents(draw, ward_list):
        _, business, station, districts = WARDS[name]
        group, stop = _kind(draw, business, target + 0.16 * (business - mean_business))
        category = _property(draw, stop, business)
        prop_type = draw.pick(PROPERTY_TYPES[category])
        special = draw.pick(SPECIAL_SERVICES) if group == "Special Service" else ""
        if special == "RTC":
            category, prop_type = "Road Vehicle", draw.pick(PROPERTY_TYPES["Road Vehicle"])
        street = category in ("Outdoor", "Road Vehicle", "Outdoor Structure")
        qualifier = draw.pick(STREET_QUALIFIERS if street else BUILDING_QUALIFIERS)
        sequence[when.date()] = sequence.get(when.date(), 0) + draw.between(3, 40)  # London-wide call numbers
        number = f"{sequence[when.date()]:06d}-{when:%d%m%Y}"
        median = 330 if station == "Soho" else 300
        first = "" if draw.u() < 0.025 else _seconds(draw, median)
        pumps = 1
        if stop == "Primary Fire":
            pumps = draw.pick((("2", 4), ("3", 1.5), ("4", 1), ("6", 0.3), ("8", 0.1)))
        elif stop == "AFA" and category != "Dwelling" or stop == "False alarm - Good intent":
            pumps = draw.pick((("1", 3), ("2", 2)))
        elif group == "Special Service":
            pumps = draw.pick((("1", 4), ("2", 1)))
        pumps = int(pumps) if first != "" else 0
        second_time, second_station = "", ""
        if pumps >= 2:
            second_time = float(int(first) + _seconds(draw, 80, 0.6))
            second_station = station if draw.u() < 0.55 else SECOND_STATION[station]
        first_station = station if draw.u() < 0.88 else SECOND_STATION[station]
        stations = len({s for s in (first_station, second_station) if s}) if pumps else ""
        hours = 1 if stop != "Primary Fire" else draw.pick((("1", 6), ("2", 2), ("3", 1)))
        pump_minutes = float(60 * int(hours) * max(1, pumps // 2)) if pumps else ""
        cost = COST_PER_PUMP_HOUR[when.year] * float(pump_minutes) / 60 if pumps else ""
        calls = 1 + (draw.poisson(0.8) if group == "Fire" or street else draw.poisson(0.1))
        writer.writerow(
            [
                number, f"{when.day:02d} {MON[when.month - 1]} {when.year}", when.year, f"{when:%H:%M:%S}", when.hour, group, stop, special,
                category, prop_type, qualifier, "", draw.pick([(d, 1) for d in districts]), "", "",
                "E09000033", "WESTMINSTER", "Westminster", code, name, name, "", "", "", "", "", "",
                "London", station, float(first) if first != "" else "", first_station if first != "" else "",
                second_time, second_station, float(stations) if stations != "" else "",
                float(pumps) if pumps else "", pumps if pumps else "", pump_minutes, cost, float(calls),
            ]
        )  # fmt: skip
    return buf.getvalue()
