"""GeoJSON files (boundaries): read whole, found by the property names of their features like any other kind.

A GeoJSON file is detected by its first non-blank character, `{`; its "column headings" are the property names of
its first feature plus "geometry", so a boundary kind's signature (WD22CD, LSOA21CD... and a geometry) finds it and
an unrelated JSON file gets the usual list of what WardBrief reads.
"""

from __future__ import annotations

import json
from typing import Any

from desktop.importers.errors import ImportFailed
from desktop.importers.facts import FileFacts

MAX_GEOJSON_BYTES = 200 * 1024 * 1024  # England's LSOAs at 20 m are ~100 MB


def read_features(facts: FileFacts) -> tuple[list[str], list[Any]]:
    """A GeoJSON file's features and the names that identify its kind: the first feature's property names and
    "geometry" (detect.py matches them against the kinds like any file's column headings)."""
    if facts.size > MAX_GEOJSON_BYTES:
        raise ImportFailed(
            f"This JSON file is {facts.size / 1e6:,.0f} MB; WardBrief reads boundary files up to "
            f"{MAX_GEOJSON_BYTES / 1e6:,.0f} MB.",
            "Download the boundaries for your area only (or a generalised version, e.g. BGC 20 m), then import that.",
        )
    try:
        data = json.loads(facts.path.read_bytes().decode(facts.encoding, errors="strict"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise ImportFailed(
            f"This file starts like JSON but cannot be read as JSON ({exc}).",
            "Download the GeoJSON file again; if you edited it, check it still opens in a GeoJSON viewer.",
        ) from exc
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list) or not features:
        raise ImportFailed(
            "This JSON file is not a GeoJSON FeatureCollection with features, so it holds no boundaries.",
            "Export the boundaries as GeoJSON (a FeatureCollection), e.g. from the ONS Open Geography Portal.",
        )
    first = features[0] if isinstance(features[0], dict) else {}
    props = first.get("properties") or {}
    names = [*(str(k) for k in props), "geometry"] if isinstance(props, dict) else ["geometry"]
    return names, features
