"""Bring the database file to the current schema at start-up, after a backup.

A failure stops start-up with a clear message; the backup stays and the database is
left exactly as it was (all steps run in one transaction).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from windowdesk.errors import StartupError
from windowdesk.storage.backup import backup_database
from windowdesk.storage.migrations import HEAD_REVISION

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def current_revision(database: Path) -> str | None:
    """The revision stamped in the file, or None for a new or empty file."""
    if not database.exists():
        return None
    # as_uri() escapes '#' and '?' that a folder name may hold.
    connection = sqlite3.connect(f"{database.resolve().as_uri()}?mode=ro", uri=True)
    try:
        row = connection.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name='alembic_version'"
        ).fetchone()
        if row is None:
            return None
        found = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        return found[0] if found else None
    except sqlite3.DatabaseError as exc:
        from windowdesk.i18n import _

        raise StartupError(
            _("The database file cannot be read"),
            _("{path} is damaged or is not a windowdesk database ({detail}). "
              "Restore the latest copy from the backups folder or call your administrator.").format(
                path=database, detail=exc
            ),
        ) from exc
    finally:
        connection.close()


def _alembic_config(connection, script_location: Path):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(script_location))
    config.attributes["connection"] = connection
    return config


def migrate_to_head(
    database: Path,
    backups: Path,
    *,
    script_location: Path = MIGRATIONS_DIR,
    head_revision: str = HEAD_REVISION,
) -> Path | None:
    """Upgrade the file if needed. Returns the backup taken, or None when nothing ran."""
    revision = current_revision(database)
    if revision == head_revision:
        return None
    backup = None
    if database.exists() and revision is not None:
        backup = backup_database(database, backups, f"before-{head_revision}")
    try:
        _run_upgrade(database, script_location)
    except Exception as exc:  # any failure: refuse to start, keep the backup
        from windowdesk.i18n import _

        where = _("A copy of the database taken before the update is in {path}.").format(
            path=backup
        ) if backup else _("The database was not changed.")
        raise StartupError(
            _("The database could not be updated"),
            _("windowdesk cannot start because updating the database failed: {detail}. "
              "Nothing was lost. {where} Call your administrator.").format(
                detail=exc, where=where
            ),
        ) from exc
    return backup


def _run_upgrade(database: Path, script_location: Path, target: str = "head") -> None:
    from alembic import command
    from sqlalchemy import create_engine, event

    from sqlalchemy.engine import URL

    engine = create_engine(URL.create("sqlite", database=str(database)), connect_args={"isolation_level": None})

    @event.listens_for(engine, "begin")
    def _begin(connection):  # noqa: ANN001 - SQLAlchemy hook
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    try:
        with engine.begin() as connection:
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            command.upgrade(_alembic_config(connection, script_location), target)
    finally:
        engine.dispose()
