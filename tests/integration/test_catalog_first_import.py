"""A catalog's new items go in with one statement per table (issue 29, aim 6): a first
start imports the shipped catalog's 53 items, 209 materials and 47 fee rules, which the
unit of work sent as one INSERT per material and per fee rule. The rows, their ids
included, are those the unit of work wrote (compared on real SQLite files)."""

from __future__ import annotations

import dataclasses
import threading
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import event, text
from sqlalchemy.engine import Engine

from windowdesk.domain.catalog import load_catalog
from windowdesk.domain.shipped_search_keys import load_table, with_table_keys
from windowdesk.paths import resources_dir
from windowdesk.services import bootstrap, catalog
from windowdesk.storage import models as m
from windowdesk.storage.db import Database
from windowdesk.storage.migrate import migrate_to_head

WRITTEN_TOGETHER = ("catalog_items", "item_materials", "fee_rules")


@pytest.fixture
def inserts() -> Iterator[Counter[str]]:
    """How many times each table was inserted into (an executemany counts once)."""
    counted: Counter[str] = Counter()
    here = threading.get_ident()

    def record(_conn, _cursor, statement, _parameters, _context, _executemany):
        words = statement.split()
        if threading.get_ident() == here and words[:2] == ["INSERT", "INTO"]:
            counted[words[2]] += 1

    event.listen(Engine, "before_cursor_execute", record)
    yield counted
    event.remove(Engine, "before_cursor_execute", record)


def _shipped() -> catalog.cat.Catalog:
    folder = resources_dir() / "catalog"
    return with_table_keys(load_catalog(folder), load_table(folder))


def _dump(db: Database) -> dict[str, list[tuple]]:
    with db.read() as session:
        return {
            table: [tuple(row) for row in session.execute(text(f"SELECT * FROM {table} ORDER BY rowid"))]
            for table in WRITTEN_TOGETHER
        }


def _written_by_the_unit_of_work(tmp_path: Path) -> Database:
    """The shipped catalog as the import wrote it before: centers, windows, departments and
    forms by the service, each item added with its materials and fee rules as objects."""
    migrate_to_head(tmp_path / "before.sqlite3", tmp_path / "backups", key=None)
    db = Database(tmp_path / "before.sqlite3")
    shipped = _shipped()
    catalog.import_catalog(db, dataclasses.replace(shipped, items=()))
    with db.write() as session:
        for item in shipped.items:
            session.add(
                m.CatalogItem(
                    **catalog._item_columns(item, shipped.version),
                    materials=catalog._material_rows(item),
                    fee_rules=catalog._fee_rows(item),
                )
            )
    return db


def test_a_first_start_imports_the_catalogs_items_materials_and_fee_rules_in_one_statement_each(migrated_db, inserts):
    assert bootstrap.ensure_catalog(migrated_db, resources_dir())

    shipped = _shipped()
    assert sum(len(item.materials) for item in shipped.items) > 100  # one statement for many rows
    assert {table: inserts[table] for table in WRITTEN_TOGETHER} == dict.fromkeys(WRITTEN_TOGETHER, 1)


def test_the_rows_and_their_ids_are_those_the_unit_of_work_wrote(migrated_db, tmp_path):
    bootstrap.ensure_catalog(migrated_db, resources_dir())
    before = _written_by_the_unit_of_work(tmp_path)
    try:
        expected = _dump(before)
    finally:
        before.dispose()

    written = _dump(migrated_db)

    assert [len(written[table]) for table in WRITTEN_TOGETHER] == [53, 209, 47]
    assert written == expected


def test_an_import_over_the_stored_catalog_adds_only_the_new_items_and_updates_the_others(migrated_db):
    """A hub's next version: one item new, the others updated in place (the path kept)."""
    shipped = _shipped()
    first, newcomer = shipped.items[1:], shipped.items[0]
    catalog.import_catalog(migrated_db, dataclasses.replace(shipped, items=first))
    catalog.import_catalog(migrated_db, shipped)

    with migrated_db.read() as session:
        stored = {item.code: item for item in session.query(m.CatalogItem)}
        assert set(stored) == {item.code for item in shipped.items}
        assert [mat.code for mat in stored[newcomer.code].materials] == [mat.code for mat in newcomer.materials]
        assert [rule.position for rule in stored[newcomer.code].fee_rules] == list(range(len(newcomer.fee.rules)))
        assert all(item.active for item in stored.values())
