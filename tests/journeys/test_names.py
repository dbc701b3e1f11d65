"""Ward names as people type them (issue 11, item 14): with the UK-wide ONS ward lookup in the store (every
"West End" and "St James's" in the country), the README's own `wardbrief pack --ward "West End"` and a curly
apostrophe ("St James’s") still find the partnership's ward. No display needed: the real command in a process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
UK_LOOKUP = "ons/Ward_to_Local_Authority_District_(December_2023)_Lookup_in_the_United_Kingdom.csv"


@pytest.fixture
def uk_store(seeded: Path, shared_data: Path) -> Path:
    from tests.gui._pages import seed_store

    seed_store(shared_data / UK_LOOKUP)
    return seeded


@pytest.mark.parametrize(
    ("name", "code"), [("West End", "E05013808"), ("st james's", "E05013806"), ("St James’s", "E05013806")]
)
def test_pack_by_ward_name_finds_the_home_boroughs_ward(uk_store: Path, tmp_path: Path, name: str, code: str) -> None:
    out = tmp_path / "packs"
    env = {**os.environ, "WARDBRIEF_DATA_DIR": str(uk_store), "QT_QPA_PLATFORM": "offscreen"}
    run = subprocess.run(
        [sys.executable, "-m", "desktop", "pack", "--ward", name, "--out", str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert run.returncode == 0, f"wardbrief pack --ward {name!r} failed:\n{run.stdout[-1500:]}\n{run.stderr[-1500:]}"
    packs = sorted(p.name for p in out.glob("*.pdf"))
    wards = [p for p in packs if "overview" not in p.lower()]
    assert len(wards) == 1 and code in wards[0], f"--ward {name!r} wrote {packs}, wanted Westminster's {code}"
