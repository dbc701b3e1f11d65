"""Guarantee 3, oversized XLSX: a zip bomb (a small file whose sheet inflates to gigabytes) must be refused before
it is inflated: quickly, in little memory, with a message, and with the store unchanged. Each import runs in a
child process with an address-space limit and a timeout, so a failure cannot take the test machine down."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from desktop.store import open_store
from tests.reliability import fuzz
from tests.reliability.helpers import PYTHON, ROOT, child_env, signature

MEMORY_LIMIT = 3 << 30
MAX_SECONDS = 20  # a refusal is immediate; reading the real 500k-row XLSX takes ~5 s
MAX_RSS_MB = 800

CHILD = """
import json, resource, sys, time
resource.setrlimit(resource.RLIMIT_AS, ({limit}, {limit}))
from desktop.store import open_store
from desktop.importers import import_file
db = open_store(sys.argv[2])
start = time.monotonic()
result = import_file(db, sys.argv[1])
print(json.dumps({{"status": result.status, "message": result.message, "seconds": time.monotonic() - start,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""


def _import_in_child(path: Path, store: Path) -> dict[str, object]:
    code = CHILD.format(limit=MEMORY_LIMIT)
    try:
        done = subprocess.run(
            [PYTHON, "-c", code, str(path), str(store)],
            capture_output=True,
            text=True,
            timeout=MAX_SECONDS + 15,
            env=child_env(),
            cwd=str(ROOT),
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"importing the zip bomb did not finish within {MAX_SECONDS + 15} s (it is being inflated)")
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def _check_refused(tmp_path: Path, inflated_mb: int, lie: bool = False) -> dict[str, object]:
    seed = fuzz.xlsx_seeds()["demo/03_MPS_Ward_Level_Crime_Westminster_202307-202506.xlsx"]
    bomb = fuzz.zip_bomb_xlsx(seed, tmp_path / "bomb.xlsx", inflated_mb, lie=lie)
    store = tmp_path / "wardbrief.db"
    open_store(store).close()
    before = signature(store)
    got = _import_in_child(bomb, store)
    print(f"\nzip bomb {inflated_mb} MB (file {bomb.stat().st_size / 1e6:.1f} MB, lie={lie}): {got}")
    assert got["status"] == "failed"
    assert fuzz.UNFORESEEN not in str(got["message"]) and got["message"]
    assert float(got["seconds"]) < MAX_SECONDS, "the bomb was inflated instead of refused"  # type: ignore[arg-type]
    assert float(got["rss_mb"]) < MAX_RSS_MB, "the bomb was inflated in memory"  # type: ignore[arg-type]
    assert signature(store) == before
    return got


def test_zip_bomb_is_refused_before_inflating(tmp_path: Path) -> None:
    _check_refused(tmp_path, 1024)


def test_zip_bomb_with_a_lying_directory_fails_cleanly(tmp_path: Path) -> None:
    """Headers that understate the size: the inflater must stop at the declared size (calamine's zip reader does)."""
    _check_refused(tmp_path, 300, lie=True)


@pytest.mark.slow
def test_big_zip_bomb_is_refused_before_inflating(tmp_path: Path) -> None:
    _check_refused(tmp_path, 4096)
