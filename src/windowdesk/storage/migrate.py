"""Bring the database file to the current schema at start-up, after a backup.

A failure stops start-up with a clear message; the backup stays and the database is
left exactly as it was (all steps run in one transaction).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from alembic.config import Config

from windowdesk.errors import StartupError
from windowdesk.storage.backup import backup_database
from windowdesk.storage.crypto import connect_raw, is_database_error
from windowdesk.storage.head_schema import create_at_head
from windowdesk.storage.migrations import HEAD_REVISION

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def _unreadable(database: Path, exc: BaseException) -> StartupError:
    from windowdesk.i18n import _

    return StartupError(
        _("The database file cannot be read"),
        _(
            "{path} is damaged, is not a windowdesk database, or its key does not fit ({detail}). "
            "Restore the latest copy from the backups folder or call your administrator."
        ).format(path=database, detail=type(exc).__name__),
    )


def current_revision(database: Path, key: bytes | None = None) -> str | None:
    """The revision stamped in the file, or None for a new or empty file."""
    if not database.exists():
        return None
    try:
        connection = connect_raw(database, key, read_only=True)
    except Exception as exc:
        if not is_database_error(exc):
            raise
        raise _unreadable(database, exc) from exc
    try:
        row = connection.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name='alembic_version'"
        ).fetchone()
        if row is None:
            return None
        found = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        return found[0] if found else None
    except Exception as exc:
        if not is_database_error(exc):
            raise
        raise _unreadable(database, exc) from exc
    finally:
        connection.close()


def _alembic_config(connection: Any, script_location: Path) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(script_location))
    config.attributes["connection"] = connection
    return config


def migrate_to_head(
    database: Path,
    backups: Path,
    *,
    key: bytes | None = None,
    script_location: Path = MIGRATIONS_DIR,
    head_revision: str = HEAD_REVISION,
    on_update: Callable[[], None] | None = None,
) -> Path | None:
    """Upgrade the file if needed. Returns the backup taken, or None when nothing ran.
    ``on_update`` is called first when an existing database is about to be updated (a
    backup and the update of a big file take a while: the counter should know why)."""
    revision = current_revision(database, key)
    if revision == head_revision:
        return None
    backup = None
    if database.exists() and revision is not None:
        if on_update is not None:
            on_update()
        backup = backup_database(database, backups, f"before-{head_revision}", key=key)
    try:
        # A new file is made at the head in one step when the schema the migrations leave
        # on an empty file is kept for this head (storage/head_schema.py), else migrated.
        new_at_head = not database.exists() and script_location == MIGRATIONS_DIR
        if not (new_at_head and create_at_head(database, key, head_revision)):
            _run_upgrade(database, script_location, key=key)
    except Exception as exc:  # any failure: refuse to start, keep the backup
        from windowdesk.i18n import _

        where = (
            _("A copy of the database taken before the update is in {path}.").format(path=backup)
            if backup
            else _("The database was not changed.")
        )
        raise StartupError(
            _("The database could not be updated"),
            _(
                "windowdesk cannot start because updating the database failed: {detail}. "
                "Nothing was lost. {where} Call your administrator."
            ).format(detail=exc, where=where),
        ) from exc
    return backup


def _run_upgrade(database: Path, script_location: Path, target: str = "head", *, key: bytes | None = None) -> None:
    from alembic import command

    from windowdesk.storage.db import make_engine

    # Foreign keys off for the whole upgrade (SQLite ignores the pragma inside a
    # transaction): rebuilding a table that others point at must not delete their rows.
    # Integrity is checked before the commit instead.
    engine = make_engine(database, "BEGIN IMMEDIATE", key, foreign_keys=False)
    try:
        with engine.begin() as connection:
            command.upgrade(_alembic_config(connection, script_location), target)
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise RuntimeError(f"{len(broken)} rows lost their references")
    finally:
        engine.dispose()
