"""One registry per concept (docs/architecture.md): every entry has every part, so a new kind, table or section
cannot be half-added."""

from __future__ import annotations

from desktop.analysis import themes
from desktop.kinds import KINDS, resolve
from desktop.store import open_store
from desktop.store.schema import FIGURE_TABLES, LOOKUP_TABLES


def test_every_kind_has_every_part() -> None:
    names = [spec.kind for spec in KINDS]
    assert len(names) == len(set(names))
    figure_tables = {t.name for t in FIGURE_TABLES}
    for spec in KINDS:
        assert spec.label and spec.source_label and spec.layout and spec.expects, spec.kind
        assert spec.requires, spec.kind
        assert callable(spec.handler_function()), spec.kind
        if spec.extra:
            assert callable(resolve(spec.extra)), spec.kind
        unknown = set(spec.tables) - figure_tables - set(LOOKUP_TABLES)
        assert not unknown, (spec.kind, unknown)


def test_every_figure_table_is_in_the_schema() -> None:
    db = open_store(":memory:")
    try:
        for table in FIGURE_TABLES:
            columns = {c.name for c in db[table.name].columns}
            assert {"source_id", table.period} <= columns, table.name
            if table.group:
                assert table.group in columns, table.name
            for keys in [table.keys, *table.keys_by_group.values()]:
                assert set(keys) <= columns, table.name
            if table.supersedes:
                assert {"current", "superseded_by"} <= columns, table.name
            if table.partial:
                assert "partial" in columns, table.name
    finally:
        db.close()


def test_every_kind_of_theme_has_a_section() -> None:
    from desktop.reports.ward_pack import SECTION_BUILDERS

    assert set(themes.KINDS) == {"crime", *SECTION_BUILDERS}
    for theme in themes.bundled_themes():
        assert theme.kind in themes.KINDS
