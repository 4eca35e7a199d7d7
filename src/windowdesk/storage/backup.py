"""Copies of the database file, taken before anything risky (migrations)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

KEEP_BACKUPS = 10


def backup_database(database: Path, backups: Path, label: str) -> Path:
    """A consistent copy through SQLite's backup API (safe with WAL and open readers)."""
    backups.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    target = backups / f"{database.stem}-{stamp}-{label}.sqlite3"
    source = sqlite3.connect(database)
    try:
        copy = sqlite3.connect(target)
        try:
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
