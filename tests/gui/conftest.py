"""Fixtures the GUI-side tests share."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A store holding the bundled demo data, made once per test module."""
    from desktop.importers.demo import load_demo
    from desktop.store import open_store

    db = open_store(tmp_path_factory.mktemp("demo") / "wardbrief.db")
    load_demo(db)
    yield db
    db.close()
