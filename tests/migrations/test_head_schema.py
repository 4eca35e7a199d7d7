"""A new database is made at the head in one step (storage/head_schema.py): the same file
the migrations make from an empty one, schema, triggers and rows, without Alembic.

"The same" up to one thing the migrations themselves do not hold fixed: Alembic's table
rebuilds (batch mode) write a table's constraints in the order of a Python set, so two
files migrated from empty list the FOREIGN KEY constraints of a rebuilt table in different
orders from one run to the next. Columns keep their order; constraints are compared as a
set, and `PRAGMA foreign_key_list` by content."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from pathlib import Path

from windowdesk.storage.crypto import connect_raw, new_key
from windowdesk.storage.head_schema import create_at_head, migrated_schema, read_schema
from windowdesk.storage.migrate import MIGRATIONS_DIR, _run_upgrade, current_revision, migrate_to_head
from windowdesk.storage.migrations import HEAD_REVISION, head_schema

SRC_DIR = Path(__file__).resolve().parents[2] / "src"
REWRITE = "the migrations changed: write the snapshot again with `python -m windowdesk.storage.head_schema`"


def _constraints_as_a_set(sql: str | None) -> object:
    """A CREATE TABLE's columns in their order, its constraint lines in any order."""
    if sql is None or not sql.startswith("CREATE TABLE"):
        return sql
    lines = [line.strip().rstrip(",").strip() for line in sql.split("\n")]
    return (
        [line for line in lines if not line.startswith("CONSTRAINT")],
        sorted(line for line in lines if line.startswith("CONSTRAINT")),
    )


def _everything(path: Path, key: bytes | None) -> dict:
    """All a file holds that a migration can make: every object of sqlite_master with its
    SQL (tables, indexes, views, triggers, SQLite's own), each table's columns and foreign
    keys, every row, the file's pragmas."""
    with contextlib.closing(connect_raw(path, key)) as connection:
        found = connection.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall()
        objects = sorted((kind, name, table, repr(_constraints_as_a_set(sql))) for kind, name, table, sql in found)
        tables = [name for kind, name, _table, _sql in objects if kind == "table"]
        rows = {table: sorted(connection.execute(f'SELECT * FROM "{table}"').fetchall()) for table in tables}
        columns = {table: connection.execute(f'PRAGMA table_xinfo("{table}")').fetchall() for table in tables}
        foreign_keys = {
            table: sorted(row[2:] for row in connection.execute(f'PRAGMA foreign_key_list("{table}")').fetchall())
            for table in tables
        }
        pragmas = {
            name: connection.execute(f"PRAGMA {name}").fetchone()[0]
            for name in ("user_version", "application_id", "journal_mode", "auto_vacuum", "page_size", "encoding")
        }
    return {"objects": objects, "rows": rows, "columns": columns, "foreign_keys": foreign_keys, "pragmas": pragmas}


def test_a_new_file_made_at_the_head_holds_what_migrating_an_empty_file_gives(tmp_path):
    key = new_key()
    made, migrated = tmp_path / "made.sqlite3", tmp_path / "migrated.sqlite3"

    assert migrate_to_head(made, tmp_path / "backups", key=key) is None
    _run_upgrade(migrated, MIGRATIONS_DIR, key=key)

    assert current_revision(made, key) == current_revision(migrated, key) == HEAD_REVISION
    expected = _everything(migrated, key)
    kinds = [kind for kind, _name, _table, _sql in expected["objects"]]
    assert kinds.count("trigger") >= 10 and kinds.count("index") >= 90  # the comparison is not empty
    assert expected["rows"]["sqlite_sequence"] == [("outbox", 0)]
    assert _everything(made, key) == expected


def test_the_snapshot_is_what_the_migrations_of_the_head_make_today():
    assert head_schema.REVISION == HEAD_REVISION, REWRITE
    statements, rows = migrated_schema()
    assert [_constraints_as_a_set(sql) for sql in head_schema.STATEMENTS] == [
        _constraints_as_a_set(sql) for sql in statements
    ], REWRITE
    assert rows == head_schema.ROWS, REWRITE


def test_a_snapshot_of_another_revision_makes_nothing_and_the_migrations_run(tmp_path):
    path = tmp_path / "new.sqlite3"
    assert create_at_head(path, None, "0021_a_later_step") is False
    assert not path.exists()


def test_a_new_database_is_made_without_importing_alembic(tmp_path):
    """A window's first start: Alembic (and its 25 steps) load only to update a file."""
    script = f"""
import sys
from pathlib import Path
from windowdesk.storage.migrate import current_revision, migrate_to_head
from windowdesk.storage.migrations import HEAD_REVISION

path = Path({str(tmp_path / "new.sqlite3")!r})
migrate_to_head(path, path.parent / "backups", key=b"k" * 32)
assert current_revision(path, b"k" * 32) == HEAD_REVISION
print(sorted(name for name in sys.modules if name.split(".")[0] == "alembic"))
"""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(SRC_DIR), os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip() == "[]"


def test_the_schema_reads_back_in_an_order_that_replays(tmp_path):
    """Tables first (whatever they point at), then indexes, views and triggers."""
    statements, _rows = migrated_schema()
    kinds = [statement.split()[1] if statement.split()[1] != "UNIQUE" else "INDEX" for statement in statements]
    assert kinds == sorted(kinds, key=["TABLE", "INDEX", "VIEW", "TRIGGER"].index)
    path = tmp_path / "plain.sqlite3"
    assert create_at_head(path, None, HEAD_REVISION) is True
    with contextlib.closing(connect_raw(path, None)) as connection:
        assert read_schema(connection) == (list(head_schema.STATEMENTS), head_schema.ROWS)
