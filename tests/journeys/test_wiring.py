"""The journeys are part of `make test` and CI, and CI installs what they need (no X display needed here)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_make_test_runs_the_journeys_after_the_offscreen_suite() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    test = makefile.split("\ntest:", 1)[1].split("\n\n", 1)[0]
    assert test.index("QT_QPA_PLATFORM=offscreen") < test.index("journeys")
    journeys = makefile.split("\njourneys:", 1)[1].split("\n\n", 1)[0]
    assert "QT_QPA_PLATFORM=xcb" in journeys and "tests/journeys" in journeys


def test_ci_installs_the_x_packages_and_fails_rather_than_skips() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    deps = (ROOT / ".ci" / "test-deps").read_text(encoding="utf-8")
    make = (ROOT / "Makefile").read_text(encoding="utf-8")
    for deb in ("xvfb", "xdotool", "libxcb-cursor0", "libxkbcommon-x11-0", "poppler-utils", "chromium"):
        assert deb in deps
    assert "apt-get install" in deps and "npm ci" in deps
    assert 'CI="${CI:-true}"' in ci and "make test" in ci
    test_recipe = make[make.index("\ntest:") :]
    assert test_recipe.index("bash .ci/test-deps") < test_recipe.index("pytest")  # installed before any test runs
