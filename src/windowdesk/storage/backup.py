"""Copies of the database file, taken before anything risky (migrations)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from windowdesk.storage.crypto import apply_key, connect_raw, dbapi_module

KEEP_BACKUPS = 10


def backup_database(database: Path, backups: Path, label: str, *, key: bytes | None = None) -> Path:
    """A consistent copy through SQLite's backup API (safe with WAL and open readers).

    Both ends are keyed alike, so the copy of an encrypted database is encrypted too.
    """
    backups.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = backups / f"{database.stem}-{stamp}-{label}.sqlite3"
    source = connect_raw(database, key)
    try:
        copy = dbapi_module(key).connect(str(target))
        try:
            apply_key(copy, key)
            source.backup(copy)
        finally:
            copy.close()
    finally:
        source.close()
    _prune(backups, database.stem)
    return target


def _prune(backups: Path, stem: str) -> None:
    copies = sorted(backups.glob(f"{stem}-*.sqlite3"))
    for old in copies[:-KEEP_BACKUPS]:
        old.unlink(missing_ok=True)
