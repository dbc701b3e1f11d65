"""User and partnership settings (Qt-free): one JSON file in the data dir, exportable to give every officer the
same thresholds, contacts and marking."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from desktop.errors import WardBriefError


@dataclass
class Contact:
    heading: str
    text: str


def default_contacts() -> list[Contact]:
    """Signposting defaults: the routes the Safer Westminster Partnership Strategy 2024-27 publishes."""
    return [
        Contact("Emergency", "In an emergency, or if a crime is happening now, call 999."),
        Contact(
            "Report a crime",
            "Call 101 or report online: www.met.police.uk/ro/report/ocr/af/how-to-report-a-crime/",
        ),
        Contact(
            "Anti-social behaviour and noise",
            "Westminster City Council noise line 020 7641 2000; Westminster Housing tenants can report ASB at "
            "www.westminster.gov.uk/form/report-anti-social-behaviour. Housing association tenants: tell your "
            "housing provider first.",
        ),
        Contact(
            "Community Trigger",
            "Reported ASB three times in six months and feel nothing was done? Ask for a case review: "
            "www.westminster.gov.uk/leisure-libraries-and-community/crime-and-community-safety/community-trigger",
        ),
        Contact(
            "Children and adults at risk",
            "Child safety concerns: 020 7641 4000 (9am-5pm weekdays), 020 7641 2388 (other times). "
            "Adults at risk: 020 7641 2176 or adultsocialcare@westminster.gov.uk",
        ),
        Contact(
            "Domestic abuse support",
            "www.westminster.gov.uk/domestic-violence-against-women-and-girls/get-help",
        ),
        Contact("Modern slavery", "Modern Slavery and Exploitation Helpline 0800 0121 700"),
        Contact("Terrorism", "Something doesn't feel right? Report it in confidence: act.campaign.gov.uk"),
        Contact(
            "Fire safety at home",
            "London Fire Brigade Home Fire Safety Checker: "
            "www.london-fire.gov.uk/safety/the-home/home-fire-safety/home-fire-safety-checker-hfsc/",
        ),
        Contact(
            "Get involved",
            "Join your Neighbourhood Ward Panel (www.met.police.uk/area/your-area/) or a Neighbourhood Watch "
            "(www.ourwatch.org.uk).",
        ),
    ]


@dataclass
class Settings:
    organisation: str = "Safer Westminster Partnership"
    borough: str = ""  # the home area; empty: the borough(s) of the first crime extract (store/home_area.py)
    marking: str = "OFFICIAL"
    prepared_by: str = ""
    small_number_threshold: int = 5
    min_survey_base: int = 50
    high_footfall_wards: list[str] = field(default_factory=lambda: ["West End", "St James's"])
    sensitive_themes: list[str] = field(default_factory=lambda: ["sexual_offences", "domestic_abuse", "hate_crime"])
    default_themes: list[str] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=default_contacts)

    def validate(self) -> None:
        if not 1 <= self.small_number_threshold <= 100:
            raise WardBriefError("The small-number threshold must be between 1 and 100.", "Correct it in Settings.")
        if not 1 <= self.min_survey_base <= 100000:
            raise WardBriefError("The minimum survey base must be a positive number.", "Correct it in Settings.")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Settings:
        known = {f.name for f in fields(cls)}
        kwargs = {k: v for k, v in data.items() if k in known}
        if "contacts" in kwargs:
            kwargs["contacts"] = [Contact(str(c["heading"]), str(c["text"])) for c in kwargs["contacts"]]
        settings = cls(**kwargs)
        settings.validate()
        return settings


def load_settings(path: Path) -> Settings:
    """Settings from `path`; defaults when the file does not exist yet."""
    if not path.exists():
        return Settings()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
        return Settings.from_dict(data)
    except (ValueError, KeyError, TypeError) as exc:
        raise WardBriefError(
            f"The settings file {path} cannot be read ({exc}).",
            "Import a settings file from your analyst, or delete this file to go back to the defaults.",
        ) from exc


def save_settings(settings: Settings, path: Path) -> None:
    """Write whole or not at all (desktop.atomic), so a crash or a full disk never leaves half a settings file."""
    from desktop.atomic import write_bytes

    settings.validate()
    data = json.dumps(settings.to_dict(), indent=2, ensure_ascii=False).encode("utf-8")
    write_bytes(path, data, "The settings file")
