"""desktop/qt_refs.py: the PySide6 reference-count defect it works around is real here, the work-around stops it,
and processes that do not use Qt (the CLI's imports) never apply it."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

LOOP = """
import sys
{patch}
from PySide6.QtCore import QObject
obj = QObject()
for _ in range(200_000):
    obj.setObjectName("x")  # a method that returns void: each call drops a reference to None on the defect
print("survived")
"""
PATCH = "from desktop.qt_refs import keep_singletons_alive; keep_singletons_alive()"


def _run(patch: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [sys.executable, "-c", LOOP.format(patch=patch)], capture_output=True, text=True, timeout=120, env=env
    )


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None is immortal on Python 3.12+: there is no defect")
def test_the_work_around_prevents_the_crash() -> None:
    bare = _run("")
    if bare.returncode == 0:
        pytest.skip("this PySide6 does not drop references to None (the defect is fixed here)")
    assert "deallocating None" in bare.stderr  # the crash it prevents
    patched = _run(PATCH)
    assert patched.returncode == 0 and "survived" in patched.stdout, patched.stderr


def test_the_cli_and_the_core_never_apply_it() -> None:
    code = (
        "import sys; import desktop, desktop.cli, desktop.importers, desktop.analysis.frames, desktop.reports.build;"
        "print(sys.getrefcount(None) < (1 << 40))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "True", done.stderr
