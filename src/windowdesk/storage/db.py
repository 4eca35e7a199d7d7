"""Opening the local SQLite file with the durability rules of architecture.md.

Two engines on one file: writes begin with ``BEGIN IMMEDIATE`` so two writers queue
instead of failing half-way, reads begin a deferred transaction and never block a
writer (WAL). pysqlite's own implicit transactions are switched off so that DDL in
migrations is transactional too.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import URL, Connection, Engine
from sqlalchemy.exc import DBAPIError

# Session re-exported: the layers above name the unit of work's type without importing SQLAlchemy.
from sqlalchemy.orm import Session as Session
from sqlalchemy.orm import sessionmaker

from windowdesk.errors import StorageError
from windowdesk.storage.crypto import apply_key, dbapi_module
from windowdesk.text import is_unicode_text

BUSY_TIMEOUT_MS = 10_000
# Pages kept decrypted in memory by the reading connection (KiB, SQLite's negative
# form). The supervisor's watch and the reports probe thousands of scattered index
# pages of an encrypted file; with SQLite's default 2 MB each refresh decrypts them
# all again, with 64 MB the second look is served from memory. Grows only as used.
READ_CACHE_KIB = 65_536
# Pages kept by the passing reader (KiB): rows sought once each among millions and shown
# once, such as the case watch's applicants, would otherwise fill the cache above with
# pages nobody reads again (44 MB for a large center's late cases).
PASSING_CACHE_KIB = 2_048


_compact_json = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
_ascii_json = json.JSONEncoder(separators=(",", ":")).encode


def compact_json(value: object) -> str:
    """JSON columns' text: compact, Chinese kept as it is. So an outbox payload's text is
    what the hub stores (protocol 2 sends it as it is, sync/protocol.py), and about 30%
    smaller than the spaced, escaped form of json.dumps' defaults. A lone surrogate,
    which UTF-8 cannot hold, is written escaped instead (the hub refuses such an event
    with a reason)."""
    text = _compact_json(value)
    return text if is_unicode_text(text) else _ascii_json(value)


def make_engine(
    path: Path, begin_statement: str, key: bytes | None, *, foreign_keys: bool = True, cache_kib: int | None = None
) -> Engine:
    engine = create_engine(
        # URL.create: a '?' or '#' in a folder name must not be read as URL syntax.
        URL.create("sqlite", database=str(path)),
        module=dbapi_module(key),
        connect_args={"isolation_level": None, "check_same_thread": False},
        json_serializer=compact_json,
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: object) -> None:
        apply_key(dbapi_connection, key)
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA foreign_keys={'ON' if foreign_keys else 'OFF'}")
        # FULL: the money and the case numbers must survive a power cut.
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        if cache_kib is not None:
            cursor.execute(f"PRAGMA cache_size=-{int(cache_kib)}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        connection.exec_driver_sql(begin_statement)

    return engine


def storage_error_from(exc: BaseException) -> StorageError:
    """Turn a database failure into words for the counter."""
    from windowdesk.i18n import _

    original = getattr(exc, "orig", exc)
    text = str(original).lower()
    if "full" in text and type(original).__name__ == "OperationalError":
        return StorageError(
            _("The disk is full"),
            _(
                "Nothing was saved. Free some space on this computer's disk, then try again; "
                "everything saved before is safe."
            ),
        )
    if "locked" in text or "busy" in text:
        return StorageError(
            _("The database is busy"),
            _("Another task is still writing. Nothing was saved; please try again in a moment."),
        )
    if type(original).__name__ == "IntegrityError":
        return StorageError(
            _("Could not save"),
            _("This record conflicts with one already saved. Nothing was changed."),
        )
    return StorageError(
        _("Could not use the local database"),
        _("Nothing was saved. If this happens again, call your administrator. Details: {detail}").format(
            detail=type(original).__name__
        ),
    )


class Database:
    """The local store of one workstation."""

    def __init__(self, path: Path, *, key: bytes | None = None) -> None:
        self.path = Path(path)
        self.key = key
        self.write_engine = make_engine(self.path, "BEGIN IMMEDIATE", key)
        self.read_engine = make_engine(self.path, "BEGIN", key, cache_kib=READ_CACHE_KIB)
        self.passing_engine = make_engine(self.path, "BEGIN", key, cache_kib=PASSING_CACHE_KIB)
        self._write_sessions = sessionmaker(self.write_engine, expire_on_commit=False)
        self._read_sessions = sessionmaker(self.read_engine, expire_on_commit=False)
        self._passing_sessions = sessionmaker(self.passing_engine, expire_on_commit=False)

    @contextlib.contextmanager
    def write(self) -> Iterator[Session]:
        """One user action: everything inside commits together or not at all."""
        session = self._write_sessions()
        try:
            yield session
            session.commit()
        except DBAPIError as exc:
            session.rollback()
            raise storage_error_from(exc) from exc
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def read(self) -> contextlib.AbstractContextManager[Session]:
        return self._reading(self._read_sessions)

    def read_passing(self) -> contextlib.AbstractContextManager[Session]:
        """A read whose pages are not kept for the next one (``PASSING_CACHE_KIB``): for
        scattered rows read once, so that they do not push out, or pile up beside, the
        pages the watch and the reports read again at every look."""
        return self._reading(self._passing_sessions)

    @staticmethod
    @contextlib.contextmanager
    def _reading(sessions: sessionmaker[Session]) -> Iterator[Session]:
        session = sessions()
        try:
            yield session
        except DBAPIError as exc:
            raise storage_error_from(exc) from exc
        finally:
            session.rollback()
            session.close()

    def dispose(self) -> None:
        self.write_engine.dispose()
        self.read_engine.dispose()
        self.passing_engine.dispose()
