"""Encryption at rest: the local database is a SQLCipher file (AES-256) whose key is
kept in the operating system's keyring (storage.keys). Without the key the file reads
as noise; backups are made through keyed connections, so they are encrypted the same way.

``key=None`` opens a plain SQLite file: used by tools that measure what encryption
costs, never by the application.
"""

from __future__ import annotations

import secrets
import sqlite3
from pathlib import Path
from typing import Any

KEY_BYTES = 32


def new_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


def dbapi_module(key: bytes | None) -> Any:
    if key is None:
        return sqlite3
    import sqlcipher3.dbapi2

    return sqlcipher3.dbapi2


def apply_key(dbapi_connection: Any, key: bytes | None) -> None:
    """Must be the first statement on a new connection."""
    if key is None:
        return
    cursor = dbapi_connection.cursor()
    # A raw key (x'..'): no passphrase derivation, so opening stays fast.
    cursor.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    cursor.close()


def connect_raw(path: Path, key: bytes | None, *, read_only: bool = False) -> Any:
    """A DB-API connection with the key applied; ``DatabaseError`` if the key is wrong."""
    module = dbapi_module(key)
    target = f"{Path(path).resolve().as_uri()}?mode=ro" if read_only else f"{Path(path).resolve().as_uri()}"
    connection = module.connect(target, uri=True)
    try:
        apply_key(connection, key)
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except Exception:
        connection.close()
        raise
    return connection


def is_database_error(exc: BaseException) -> bool:
    """A wrong key or a damaged file, from either driver."""
    if isinstance(exc, sqlite3.DatabaseError):
        return True
    try:
        import sqlcipher3.dbapi2
    except ImportError:  # pragma: no cover - the dependency is always installed
        return False
    return isinstance(exc, sqlcipher3.dbapi2.DatabaseError)
