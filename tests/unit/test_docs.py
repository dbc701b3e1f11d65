"""The docs stay true (as sqlite-utils keeps its docs and code together): every registry entry is named in
docs/architecture.md, and every file or folder the docs name exists."""

from __future__ import annotations

import re
from pathlib import Path

from desktop.kinds import KINDS
from desktop.reports.ward_pack import SECTION_BUILDERS
from desktop.store.schema import FIGURE_TABLES

ROOT = Path(__file__).resolve().parents[2]
DOCS = [ROOT / "docs" / "architecture.md", ROOT / "docs" / "extending.md", ROOT / "docs" / "methods.md"]
PATH = re.compile(r"`((?:desktop|resources|tests|docs|packaging|bench)/[^`<>*]+?)`")


def test_every_kind_is_in_the_architecture_page_in_registry_order() -> None:
    text = DOCS[0].read_text(encoding="utf-8")
    rows = re.findall(r"^\| `(\w+)` \|", text, re.MULTILINE)
    assert rows == [spec.kind for spec in KINDS]
    for spec in KINDS:
        assert f"`{spec.handler}`" in text, spec.kind


def test_every_registry_is_named() -> None:
    text = " ".join(d.read_text(encoding="utf-8") for d in DOCS)
    for name in ("KINDS", "FIGURE_TABLES", "SECTION_BUILDERS", "themes.toml", "concordance.toml"):
        assert name in text, name
    assert FIGURE_TABLES and SECTION_BUILDERS


def test_about_these_figures_points_at_the_methods_page() -> None:
    from desktop.reports.about import METHODS_DOC

    assert (ROOT / METHODS_DOC.split(" ")[0]).is_file()
    assert METHODS_DOC.split("'")[1] in (ROOT / "docs" / "methods.md").read_text(encoding="utf-8")


def test_every_file_the_docs_name_exists() -> None:
    missing = []
    for doc in DOCS:
        for found in PATH.findall(doc.read_text(encoding="utf-8")):
            path = found.split(" ")[0].rstrip(".,:")
            if not (ROOT / path).exists():
                missing.append(f"{doc.name}: {path}")
    assert missing == []
