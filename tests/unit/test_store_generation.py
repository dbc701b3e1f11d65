"""The store's generation rises with every committed change a pack shows, and caches keyed on it never serve a
figure from before a change made through another connection (issue 10: the reference month stayed old in a
long-running window after a newer extract was imported)."""

from __future__ import annotations

from pathlib import Path

from desktop.importers import import_file
from desktop.reports.build_context import reference_month
from desktop.store import open_store
from desktop.store.priorities import Priority, save_priority
from desktop.store.queries import generation
from tests.unit.test_import_editions import edition, months


def test_generation_rises_with_imports_removals_and_priorities(db, tmp_path: Path) -> None:
    start = generation(db)
    result = import_file(db, edition(tmp_path, "a.csv", months(2023, 1, 12), lambda i, m: 10))
    after_import = generation(db)
    assert after_import > start
    save_priority(db, Priority(id=None, ward_code="E05013808", title="Bikes on pavements"))
    assert generation(db) > after_import
    from desktop.importers.sources import remove_source

    before_remove = generation(db)
    remove_source(db, result.source_id)
    assert generation(db) > before_remove


def test_reference_month_follows_an_import_made_through_another_connection(tmp_path: Path) -> None:
    path = tmp_path / "wardbrief.db"
    window = open_store(path)
    import_file(window, edition(tmp_path, "old.csv", months(2023, 1, 12), lambda i, m: 10))
    assert reference_month(window) == "2023-12"
    other = open_store(path)
    import_file(other, edition(tmp_path, "new.csv", months(2023, 7, 12), lambda i, m: 10))
    other.close()
    assert reference_month(window) == "2024-06"  # the same connection sees the other's commit
    window.close()
    for _ in range(3):  # new connections (which may reuse a closed one's id) see it too
        again = open_store(path)
        assert reference_month(again) == "2024-06"
        again.close()
