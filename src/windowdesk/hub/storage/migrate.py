"""Bring the hub's database to the current schema, before any command runs.

All steps run in one transaction (PostgreSQL and SQLite both have transactional DDL):
a failure leaves the old schema whole. On PostgreSQL an advisory lock makes a second
hub process starting at the same moment wait instead of migrating twice.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, MetaData, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from windowdesk.hub.errors import StartupFailed
from windowdesk.hub.language import Text
from windowdesk.hub.migrations import HEAD_REVISION
from windowdesk.hub.storage.database import MIGRATION_LOCK_KEY, is_sqlite_url, sqlite_path
from windowdesk.hub.storage.private_files import private_database_file
from windowdesk.i18n import N_

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parents[1] / "migrations"


def shown_url(url: str) -> str:
    """The URL for a message or a log line: never the password."""
    return make_url(url).render_as_string(hide_password=True)


def current_revision(connection: Connection) -> str | None:
    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def alembic_config(connection: Connection, target_metadata: MetaData | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    config.attributes["target_metadata"] = target_metadata
    return config


def _engine(url: str) -> Engine:
    if not is_sqlite_url(url):
        return create_engine(url, poolclass=NullPool, connect_args={"connect_timeout": 10})
    path = sqlite_path(url)
    if path is not None:
        private_database_file(path)
    # timeout: wait (in seconds) for a running hub's write to finish instead of failing.
    engine = create_engine(url, poolclass=NullPool, connect_args={"isolation_level": None, "timeout": 30})

    @event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def migrate_to_head(url: str) -> str | None:
    """Upgrade if needed. Returns the revision the database had before ('' for a new
    database) when migrations ran, None when it was already current."""
    engine = _engine(url)
    try:
        with engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
            before = current_revision(connection)
            if before == HEAD_REVISION:
                return None
            from alembic import command

            command.upgrade(alembic_config(connection), "head")
            return before or ""
    except DBAPIError as exc:
        cause = getattr(exc, "orig", exc)
        raise StartupFailed(
            Text(
                N_(
                    "The database at {url} could not be opened or updated ({kind}: {detail}). Nothing was changed. "
                    "Check that the database server is running and the URL is right."
                ),
                url=shown_url(url),
                kind=type(cause).__name__,
                detail=str(cause).strip(),
            )
        ) from exc
    finally:
        engine.dispose()
