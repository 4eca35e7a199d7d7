"""The window's store of scanned pages: their bytes, content-addressed by SHA-256.

The bytes live in their own SQLCipher file, ``materials.db`` beside the main database,
opened with the main database's key: encrypted at rest like everything else, never in the
clear on disk, while the main file stays small so its backups and migrations stay fast.
Which case and material a page belongs to is kept in the main database
(``case_material_pages``); this store only knows hashes and bytes.

A page waits here "unconfirmed" until the hub confirms it has the whole file by its hash
(``mark_confirmed``). Nothing is deleted before that. The bytes of a confirmed page are
kept: the window still shows its cases' pages, and a hub restored from an older backup can
be sent them again. Removing confirmed bytes to save room is left to a later pruning step.

The store's schema is made here, on open (``user_version`` 1): the file holds two
tables and never shares the main database's Alembic history.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import threading
import weakref
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

from windowdesk.errors import NotFoundError, StorageError
from windowdesk.storage.db import Database, make_engine, storage_error_from

MATERIALS_FILE = "materials.db"
SCHEMA_VERSION = 1

_SCHEMA = (
    # seq: the order pages were stored in, so the oldest is sent first.
    "CREATE TABLE IF NOT EXISTS pages ("
    " seq INTEGER PRIMARY KEY AUTOINCREMENT,"
    " sha256 TEXT NOT NULL UNIQUE,"
    " size INTEGER NOT NULL,"
    " stored_at TEXT NOT NULL,"
    " confirmed_at TEXT)",
    # Only the waiting pages are indexed: after a few months nearly all are confirmed.
    "CREATE INDEX IF NOT EXISTS ix_pages_unconfirmed ON pages (seq) WHERE confirmed_at IS NULL",
    "CREATE TABLE IF NOT EXISTS page_bytes ( sha256 TEXT PRIMARY KEY, content BLOB NOT NULL) WITHOUT ROWID",
)


def materials_path(database: Path) -> Path:
    """Where the page store of the main database ``database`` lives."""
    return Path(database).parent / MATERIALS_FILE


def content_hash(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _iso(moment: dt.datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("naive datetime given where UTC is required")
    return moment.astimezone(dt.UTC).isoformat()


class PageStore:
    """Page bytes by their SHA-256. Thread-safe: each call is its own transaction."""

    def __init__(self, path: Path, *, key: bytes | None) -> None:
        self.path = Path(path)
        # BEGIN IMMEDIATE: two windows' threads storing pages queue instead of failing.
        self.engine = make_engine(self.path, "BEGIN IMMEDIATE", key)
        # Reads (a chunk to send, a page to show) never wait for a writer (WAL).
        self.read_engine = make_engine(self.path, "BEGIN", key)
        # The file is opened (and made) at the first use, not here: the main window builds its
        # store at start-up, and a counter that never scans a page never pays for it.
        self._ready = False
        self._ready_lock = threading.Lock()

    def _ensure_schema(self) -> None:
        if self._ready:
            return
        with self._ready_lock:
            if self._ready:
                return
            try:
                with self.engine.begin() as connection:
                    version = connection.exec_driver_sql("PRAGMA user_version").scalar_one()
                    if version > SCHEMA_VERSION:
                        from windowdesk.i18n import _

                        raise StorageError(
                            _("The page store is newer than this program"),
                            _(
                                "{path} was written by a newer windowdesk. Install that version again; "
                                "nothing has been changed."
                            ).format(path=self.path),
                        )
                    for statement in _SCHEMA:
                        connection.exec_driver_sql(statement)
                    connection.exec_driver_sql(f"PRAGMA user_version = {SCHEMA_VERSION}")
            except DBAPIError as exc:
                raise storage_error_from(exc) from exc
            self._ready = True

    @classmethod
    def beside(cls, database: Path, *, key: bytes | None) -> PageStore:
        """The store of the main database file ``database``, with its key."""
        return cls(materials_path(database), key=key)

    @contextlib.contextmanager
    def _writing(self) -> Iterator[Connection]:
        """One write transaction; database failures become words for the counter."""
        self._ensure_schema()
        try:
            with self.engine.begin() as connection:
                yield connection
        except DBAPIError as exc:
            raise storage_error_from(exc) from exc

    @contextlib.contextmanager
    def _reading(self) -> Iterator[Connection]:
        self._ensure_schema()
        try:
            with self.read_engine.begin() as connection:
                yield connection
        except DBAPIError as exc:
            raise storage_error_from(exc) from exc

    # --- the interface the upload (services/sync) and the window's pages use ---------

    def put(self, content: bytes) -> str:
        """Store ``content`` unless already here; its SHA-256 (hex) either way."""
        sha256 = content_hash(content)
        with self._writing() as connection:
            known = connection.execute(text("SELECT 1 FROM pages WHERE sha256 = :h"), {"h": sha256}).first()
            if known is None:
                connection.execute(
                    text("INSERT INTO page_bytes (sha256, content) VALUES (:h, :c)"), {"h": sha256, "c": content}
                )
                connection.execute(
                    text("INSERT INTO pages (sha256, size, stored_at) VALUES (:h, :s, :t)"),
                    {"h": sha256, "s": len(content), "t": _iso(dt.datetime.now(dt.UTC))},
                )
        return sha256

    def read(self, sha256: str, offset: int = 0, length: int | None = None) -> bytes:
        """The bytes of a page, or ``length`` of them from ``offset`` (a chunk to send)."""
        if offset < 0 or (length is not None and length < 0):
            raise ValueError("offset and length must not be negative")
        with self._reading() as connection:
            # substr() on a BLOB counts bytes from 1: only the chunk leaves the file.
            if length is None:
                row = connection.execute(
                    text("SELECT substr(content, :start) FROM page_bytes WHERE sha256 = :h"),
                    {"h": sha256, "start": offset + 1},
                ).first()
            else:
                row = connection.execute(
                    text("SELECT substr(content, :start, :n) FROM page_bytes WHERE sha256 = :h"),
                    {"h": sha256, "start": offset + 1, "n": length},
                ).first()
        if row is None:
            raise _not_stored(sha256)
        return bytes(row[0] or b"")

    def size(self, sha256: str) -> int:
        with self._reading() as connection:
            row = connection.execute(text("SELECT size FROM pages WHERE sha256 = :h"), {"h": sha256}).first()
        if row is None:
            raise _not_stored(sha256)
        return int(row[0])

    def unconfirmed(self, limit: int) -> list[tuple[str, int]]:
        """(sha256, size) of pages the hub has not confirmed, oldest first."""
        with self._reading() as connection:
            rows = connection.execute(
                text("SELECT sha256, size FROM pages WHERE confirmed_at IS NULL ORDER BY seq LIMIT :n"),
                {"n": int(limit)},
            ).all()
        return [(sha256, int(size)) for sha256, size in rows]

    def mark_confirmed(self, sha256: str, at: dt.datetime) -> None:
        """The hub holds the whole page by this hash. The first confirmation's time is kept."""
        with self._writing() as connection:
            updated = connection.execute(
                text("UPDATE pages SET confirmed_at = coalesce(confirmed_at, :t) WHERE sha256 = :h"),
                {"h": sha256, "t": _iso(at)},
            ).rowcount
        if not updated:
            raise _not_stored(sha256)

    def pending(self) -> tuple[int, int]:
        """(count, bytes) of the pages waiting for the hub."""
        with self._reading() as connection:
            count, size = connection.execute(
                text("SELECT count(*), coalesce(sum(size), 0) FROM pages WHERE confirmed_at IS NULL")
            ).one()
        return int(count), int(size)

    # --- for the window's own page records (services/material_pages.py) -----------------

    def withdraw_unconfirmed(self, sha256: str) -> None:
        """Take back a page that was stored by ``put`` but whose page record could not be
        saved (the main database refused it), so that nothing is left half-stored. The
        caller has made sure no page record names this hash; a page the hub has confirmed
        is never withdrawn."""
        with self._writing() as connection:
            removed = connection.execute(
                text("DELETE FROM pages WHERE sha256 = :h AND confirmed_at IS NULL"), {"h": sha256}
            ).rowcount
            if removed:
                connection.execute(text("DELETE FROM page_bytes WHERE sha256 = :h"), {"h": sha256})

    def dispose(self) -> None:
        self.engine.dispose()
        self.read_engine.dispose()


def _not_stored(sha256: str) -> NotFoundError:
    from windowdesk.i18n import _

    return NotFoundError(
        _("Page not found"),
        _("The page {sha} is not in this window's page store.").format(sha=sha256[:12]),
    )


_STORES: weakref.WeakKeyDictionary[Database, PageStore] = weakref.WeakKeyDictionary()
_STORES_LOCK = threading.Lock()


def page_store_for(db: Database) -> PageStore:
    """The page store beside ``db``'s file, opened once per database handle with its key."""
    with _STORES_LOCK:
        store = _STORES.get(db)
        if store is None:
            store = _STORES[db] = PageStore.beside(db.path, key=db.key)
        return store
