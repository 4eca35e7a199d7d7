"""A new database made in one step: the schema the migrations leave on an empty file.

Migrating an empty file ran every Alembic step (importing Alembic, 25 steps, their table
rebuilds): the largest part of a window's first start (issue 29, aim 6). The result is
always the same, so it is kept, as SQLite wrote it, in
``storage/migrations/head_schema.py`` (the statements of ``sqlite_master`` and the rows the
steps leave) with the revision it stands for; a new file gets them in one transaction and
that revision's stamp. Only while that revision is the head: otherwise the migrations
run as before. ``tests/migrations/test_head_schema.py`` compares the two files (schema,
triggers and rows) and fails on a new migration until the snapshot is written again:

    python -m windowdesk.storage.head_schema
"""

from __future__ import annotations

import json
import sqlite3
import tempfile
from pathlib import Path
from typing import Any

SNAPSHOT_MODULE = Path(__file__).resolve().parent / "migrations" / "head_schema.py"
# Replayed in this order: a table may name one made after it (SQLite checks foreign keys
# when rows are written), an index, view or trigger needs its tables.
_TYPE_ORDER = ("table", "index", "view", "trigger")
_NOT_COPIED = ("alembic_version",)  # stamped with the snapshot's revision


def read_schema(connection: Any) -> tuple[list[str], dict[str, list[tuple[Any, ...]]]]:
    """(the CREATE statements, in an order that can be replayed; the rows of every
    non-empty table, SQLite's own sqlite_sequence included) of a DB-API connection."""
    objects = connection.execute(
        "SELECT type, sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
        "ORDER BY rowid"
    ).fetchall()
    statements = [sql for kind in _TYPE_ORDER for found, sql in objects if found == kind]
    rows: dict[str, list[tuple[Any, ...]]] = {}
    tables = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").fetchall()
    for (table,) in tables:
        if table in _NOT_COPIED:
            continue
        found = [tuple(row) for row in connection.execute(f'SELECT * FROM "{table}" ORDER BY rowid').fetchall()]
        if found:
            rows[table] = found
    return statements, rows


def create_at_head(database: Path, key: bytes | None, head_revision: str) -> bool:
    """Make the new file ``database`` at ``head_revision`` in one transaction; False
    (nothing done) when the snapshot is of another revision."""
    from windowdesk.storage.db import make_engine
    from windowdesk.storage.migrations import head_schema

    if head_revision != head_schema.REVISION:
        return False
    engine = make_engine(database, "BEGIN IMMEDIATE", key, foreign_keys=False)
    try:
        with engine.begin() as connection:
            for statement in head_schema.STATEMENTS:
                connection.exec_driver_sql(statement)
            for table, rows in head_schema.ROWS.items():
                marks = ", ".join("?" * len(rows[0]))
                connection.exec_driver_sql(f'INSERT INTO "{table}" VALUES ({marks})', list(rows))
            connection.exec_driver_sql("INSERT INTO alembic_version (version_num) VALUES (?)", (head_revision,))
    finally:
        engine.dispose()
    return True


def migrated_schema() -> tuple[list[str], dict[str, list[tuple[Any, ...]]]]:
    """What the migrations leave on an empty file (a plain SQLite one: the schema does not
    depend on the key)."""
    from windowdesk.storage.migrate import MIGRATIONS_DIR, _run_upgrade

    with tempfile.TemporaryDirectory(prefix="windowdesk-head-schema-") as folder:
        database = Path(folder) / "migrated.sqlite3"
        _run_upgrade(database, MIGRATIONS_DIR, key=None)
        connection = sqlite3.connect(database)
        try:
            return read_schema(connection)
        finally:
            connection.close()


def _literal(value: object) -> str:
    """Python source of a stored value, in the project's format (double quotes)."""
    if isinstance(value, str):  # single quotes around double ones, as `ruff format` writes it
        return repr(value) if '"' in value and "'" not in value else json.dumps(value, ensure_ascii=False)
    if isinstance(value, tuple):
        return "(" + ", ".join(_literal(part) for part in value) + ("," if len(value) == 1 else "") + ")"
    return repr(value)  # int, float, None, bytes


def write_snapshot(target: Path = SNAPSHOT_MODULE) -> None:
    from windowdesk.storage.migrations import HEAD_REVISION

    statements, rows = migrated_schema()
    lines = [
        '"""Written by `python -m windowdesk.storage.head_schema` (see storage/head_schema.py):',
        'what the migrations leave on an empty file. Do not edit; write it again."""',
        "",
        f"REVISION = {_literal(HEAD_REVISION)}",
        "",
        "STATEMENTS = (",
        *(f"    {_literal(statement)}," for statement in statements),
        ")",
        "",
        "ROWS = {",
        *(f"    {_literal(table)}: [{', '.join(_literal(row) for row in rows[table])}]," for table in rows),
        "}",
        "",
    ]
    target.write_text("\n".join(lines), encoding="utf-8")


if __name__ == "__main__":
    write_snapshot()
    print(f"written: {SNAPSHOT_MODULE}")
