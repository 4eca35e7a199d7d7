"""Copies of the hub's database, and putting one back.

The hub holds the lasting copy of what the windows pushed (a window keeps an event only
30 days after the hub confirmed it). So its administrator takes backups while it serves,
and can restore one after losing the disk.

Backup. SQLite: SQLite's backup API, in one step (a consistent snapshot, safe with WAL
and with pushes being written; a WAL reader blocks no writer). PostgreSQL: ``pg_dump``
in its custom format. Either way the copy is written under a ``.partial`` name, checked
(SQLite: ``quick_check`` and the hub's own tables read back; PostgreSQL: ``pg_restore
--list``), flushed to the disk and only then given its final name, so a backup that was
interrupted (a full disk, a killed process) never looks like a good one.

Encrypted (given a key: backup_crypt.py says how). SQLite: the snapshot is made and
checked in a private temporary folder beside the database (where the same data already
lies in clear), encrypted into the backup's ``.partial`` file, read back and compared, and
the temporary folder deleted. PostgreSQL: ``pg_dump``'s output is encrypted as it comes
(``pg_restore`` reads it back the same way), so no clear copy is ever written. Checking
or restoring an encrypted copy verifies every chunk; a SQLite copy is decrypted into a
private file that is either the restored database or deleted at once.

Every file and folder made here is private to the hub's user (private_files.py).

Restore (the hub stopped). SQLite: the copy is written beside the database, checked,
then moved into place in one rename. PostgreSQL (backup_postgres.py): ``pg_restore
--clean --single-transaction``. Then the change feed is moved on by
:data:`FEED_GAP_AFTER_RESTORE` (the windows hold cursors up to the last change the lost
database had given out, and a change numbered at or below a window's cursor would never
reach it), and a new generation begins: the windows see it and send again the events the
hub had confirmed to them lately, which the copy may lack.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import re
import shutil
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from windowdesk.hub.errors import CopyFailed, InvalidInput
from windowdesk.hub.language import Text
from windowdesk.hub.storage import backup_crypt, backup_postgres
from windowdesk.hub.storage.backup_crypt import BackupKey
from windowdesk.hub.storage.backup_postgres import not_a_hub_backup
from windowdesk.hub.storage.database import is_sqlite_url, sqlite_path
from windowdesk.hub.storage.generation import renew_generation
from windowdesk.hub.storage.private_files import make_private, private_folder, private_new_file
from windowdesk.i18n import N_

# Far more changes than a hub gives out between a backup and its restore (a busy day is
# tens of thousands); BIGINT on PostgreSQL, 64-bit on SQLite.
FEED_GAP_AFTER_RESTORE = 1_000_000_000
PARTIAL_SUFFIX = ".partial"
ENCRYPTED_SUFFIX = ".enc"


@dataclass(frozen=True)
class Contents:
    """What a backup holds, read back from it."""

    pushed_events: int
    last_change: int
    newest_push: dt.datetime | None  # UTC
    pages: frozenset[str] = frozenset()  # SHA-256 of every scanned page the copy counts as stored


@dataclass(frozen=True)
class BackupMade:
    path: Path
    size: int
    contents: Contents | None  # None for PostgreSQL (pg_dump says nothing of what it wrote)


BACKUP_NAME = re.compile(r"^hub-\d{8}T\d{12}Z\.(sqlite3|pgdump)(\.enc)?$")


def backup_file_name(url: str, now: dt.datetime, *, encrypted: bool = False) -> str:
    """``hub-<UTC time to the microsecond>``: the names sort as the copies were made;
    ``.enc`` after an encrypted one's."""
    stamp = now.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    name = f"hub-{stamp}.sqlite3" if is_sqlite_url(url) else f"hub-{stamp}.pgdump"
    return name + ENCRYPTED_SUFFIX if encrypted else name


def keep_newest(folder: Path, count: int) -> list[Path]:
    """Deletes all but the ``count`` newest backups in ``folder`` (only files this module
    named: nothing else there is touched). Returns the deleted ones."""
    copies = sorted(path for path in folder.iterdir() if path.is_file() and BACKUP_NAME.match(path.name))
    old = copies[:-count] if count > 0 else []
    for path in old:
        path.unlink(missing_ok=True)
    return old


def make_backup(url: str, folder: Path, now: dt.datetime, *, key: BackupKey | None = None) -> BackupMade:
    """A checked copy in ``folder``; encrypted with ``key`` when one is given."""
    folder = folder.expanduser()
    if folder.exists() and not folder.is_dir():
        raise InvalidInput(Text(N_("{path} is a file, not a folder. Name a folder for the backup."), path=folder))
    try:
        private_folder(folder)
    except OSError as error:
        raise _not_written(folder, error) from None
    final = folder / backup_file_name(url, now, encrypted=key is not None)
    partial = final.with_name(final.name + PARTIAL_SUFFIX)
    try:
        private_new_file(partial)
        contents: Contents | None
        if is_sqlite_url(url):
            contents = _copy_sqlite(url, partial) if key is None else _encrypted_sqlite_copy(url, partial, key)
        elif key is None:
            backup_postgres.dump_postgres(url, partial)
            contents = None  # pg_dump says not what it wrote
        else:
            backup_postgres.encrypted_dump(url, partial, key)
            contents = None
        _flush(partial)
        os.replace(partial, final)
        _flush_folder(folder)
    except (OSError, sqlite3.Error) as error:  # a full disk, in SQLite's words or the system's
        partial.unlink(missing_ok=True)
        raise _not_written(folder, error) from None
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return BackupMade(final, final.stat().st_size, contents)


def check_backup(
    url: str, backup: Path, *, key: BackupKey | None = None, examine: Callable[[Path], None] | None = None
) -> Contents | None:
    """Whether ``backup`` is a whole backup this hub can restore (with ``key``, if it
    is encrypted), without restoring it; what it holds (SQLite). Refused in words
    otherwise. SQLite: ``examine`` is given the database copy (decrypted, while it
    exists) once it is found whole, to read more of it."""
    backup = backup.expanduser()
    encrypted = backup_crypt.key_needed(backup, key)
    if not is_sqlite_url(url):
        backup_postgres.check_dump(url, backup, key if encrypted else None)
        return None
    if not encrypted or key is None:  # key_needed: a key is given exactly for an encrypted copy
        contents = read_contents(backup)
        if examine is not None:
            examine(backup)
        return contents
    with _clear_workspace(sqlite_path(url)) as work:
        clear = work / "check.sqlite3"
        private_new_file(clear)
        with clear.open("r+b") as target:
            backup_crypt.decrypt_file(backup, key, target.write)
        contents = read_contents(clear, shown_as=backup)
        if examine is not None:
            examine(clear)
        return contents


@dataclass(frozen=True)
class Restored:
    contents: Contents | None  # None for PostgreSQL
    replaced: Path | None  # where the database it replaced is kept


def restore_backup(
    url: str, backup: Path, now: dt.datetime, *, aside_folder: Path, key: BackupKey | None = None
) -> Restored:
    """Puts ``backup`` in place of the hub's database (the hub must be stopped) and keeps
    the database it replaces (on PostgreSQL a backup, encrypted with ``key`` when given).
    Then migrate it, and call :func:`begin_after_restore`."""
    backup = backup.expanduser()
    encrypted = backup_crypt.key_needed(backup, key)
    if is_sqlite_url(url):
        contents, replaced = _restore_sqlite(url, backup, now, key if encrypted else None)
        return Restored(contents, replaced)
    backup_postgres.check_dump(url, backup, key if encrypted else None)  # before anything changes
    replaced = make_backup(url, aside_folder, now, key=key).path
    backup_postgres.restore_postgres(url, backup, key if encrypted else None)
    return Restored(None, replaced)


def begin_after_restore(url: str, now: dt.datetime) -> int:
    """A restored database's new life, in one transaction: the next change is numbered
    :data:`FEED_GAP_AFTER_RESTORE` after the highest one stored, and a new generation
    tells the windows to send again what this database may have lost. Returns the seq
    the new changes come after."""
    engine = _engine(url)
    try:
        with Session(engine) as session, session.begin():
            highest = session.scalar(text("SELECT coalesce(max(seq), 0) FROM changes"))
            floor: int = highest + FEED_GAP_AFTER_RESTORE
            _set_next_change_after(session.connection(), floor)
            renew_generation(session, now)
            return floor
    finally:
        engine.dispose()


def _set_next_change_after(connection: Connection, floor: int) -> None:
    if connection.dialect.name == "sqlite":
        # AUTOINCREMENT: the next rowid is one more than the larger of sqlite_sequence's
        # entry and the highest rowid.
        updated = connection.execute(
            text("UPDATE sqlite_sequence SET seq = :floor WHERE name = 'changes'"), {"floor": floor}
        ).rowcount
        if not updated:
            connection.execute(
                text("INSERT INTO sqlite_sequence (name, seq) VALUES ('changes', :floor)"), {"floor": floor}
            )
    else:
        connection.execute(text("SELECT setval(pg_get_serial_sequence('changes', 'seq'), :floor)"), {"floor": floor})


# --- SQLite ---------------------------------------------------------------------------


def _database_file(url: str) -> Path:
    path = sqlite_path(url)
    if path is None or not path.is_file():
        raise InvalidInput(Text(N_("There is no hub database at {path}."), path=path or url))
    return path


def _copy_sqlite(url: str, target: Path) -> Contents:
    source = sqlite3.connect(f"{_database_file(url).resolve().as_uri()}?mode=ro", uri=True, timeout=30)
    try:
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)  # all pages in one step: one consistent snapshot
            copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no WAL beside it
        finally:
            copy.close()
    finally:
        source.close()
    return read_contents(target)


def _encrypted_sqlite_copy(url: str, target: Path, key: BackupKey) -> Contents:
    """The snapshot made and checked in clear beside the database, then encrypted into
    ``target`` and read back; the clear one deleted whatever happens."""
    with _clear_workspace(_database_file(url)) as work:
        clear = work / "snapshot.sqlite3"
        private_new_file(clear)
        contents = _copy_sqlite(url, clear)
        with clear.open("rb") as source, target.open("r+b") as sealed:
            written = _Hashing(source)
            backup_crypt.encrypt_stream(written, sealed, key)
    read_back = hashlib.sha256()
    backup_crypt.decrypt_file(target, key, read_back.update)
    if read_back.digest() != written.digest():  # pragma: no cover - a disk that gives back other bytes
        raise not_a_hub_backup(target)
    return contents


def read_contents(database: Path, *, shown_as: Path | None = None) -> Contents:
    """Checks a hub database file and says what it holds; refuses anything else (in
    words naming ``shown_as``, the file the administrator gave, if the one read is a
    decrypted copy of it)."""
    named = shown_as or database
    try:
        connection = sqlite3.connect(f"{database.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        raise not_a_hub_backup(named) from None
    try:
        if connection.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise not_a_hub_backup(named)
        pushed = connection.execute("SELECT count(*) FROM pushed_events").fetchone()[0]
        last_change = connection.execute("SELECT coalesce(max(seq), 0) FROM changes").fetchone()[0]
        newest = connection.execute("SELECT max(received_at) FROM pushed_events").fetchone()[0]
        connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error:
        raise not_a_hub_backup(named) from None
    try:
        pages = frozenset(row[0] for row in connection.execute("SELECT sha256 FROM page_blobs"))
    except sqlite3.Error:  # a backup made before the hub kept pages
        pages = frozenset()
    finally:
        connection.close()
    newest_push = dt.datetime.fromisoformat(newest).replace(tzinfo=dt.UTC) if newest else None
    return Contents(pushed, last_change, newest_push, pages)


def _restore_sqlite(url: str, backup: Path, now: dt.datetime, key: BackupKey | None) -> tuple[Contents, Path | None]:
    """What the copy holds, and where the replaced database is kept (None: there was
    none). The copy is written beside the database (decrypted, if ``key``), checked
    there, and only then renamed into place."""
    database = sqlite_path(url)
    if database is None:
        raise InvalidInput(Text(N_("There is no hub database at {path}."), path=url))
    private_folder(database.parent)
    incoming = database.with_name(database.name + PARTIAL_SUFFIX)
    stamp = now.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    aside = database.with_name(f"{database.stem}-replaced-{stamp}{database.suffix}")
    replaced = aside if database.exists() else None
    try:
        private_new_file(incoming)
        with incoming.open("r+b") as target:
            if key is None:
                with backup.open("rb") as source:
                    shutil.copyfileobj(source, target)
            else:
                backup_crypt.decrypt_file(backup, key, target.write)
        contents = read_contents(incoming, shown_as=backup)
        _flush(incoming)
        # The replaced database keeps its journal beside it, under the names SQLite
        # looks for, so it can still be opened whole (and is not applied to the new one).
        for suffix in ("", "-wal", "-shm", "-journal"):
            if Path(f"{database}{suffix}").exists():
                os.replace(f"{database}{suffix}", f"{aside}{suffix}")
                make_private(Path(f"{aside}{suffix}"))
        os.replace(incoming, database)
        _flush_folder(database.parent)
    except OSError as error:
        incoming.unlink(missing_ok=True)
        raise CopyFailed(
            Text(
                N_("The hub's database could not be replaced in {folder} ({reason}). Free some space, then try again."),
                folder=database.parent,
                reason=_reason(error),
            )
        ) from None
    except BaseException:
        incoming.unlink(missing_ok=True)
        raise
    return contents, replaced


# --- encrypted copies -------------------------------------------------------------------


@contextlib.contextmanager
def _clear_workspace(database: Path | None) -> Iterator[Path]:
    """A private (0700) temporary folder for a clear copy, deleted with what it holds when
    the block ends: beside the SQLite database, which holds the same data in clear (and
    whose disk has room for a copy), else in the system's temporary folder."""
    near = database.parent if database is not None and database.parent.is_dir() else None
    try:
        folder = Path(tempfile.mkdtemp(prefix=".hub-clear-", dir=near))
    except PermissionError:  # check-backup run by someone who may not write there
        folder = Path(tempfile.mkdtemp(prefix=".hub-clear-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


class _Hashing:
    """A file read through, its SHA-256 taken on the way."""

    def __init__(self, source: BinaryIO) -> None:
        self._source = source
        self._hash = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self._source.read(size)
        self._hash.update(data)
        return data

    def digest(self) -> bytes:
        return self._hash.digest()


# --- both -------------------------------------------------------------------------------


def _engine(url: str) -> Engine:
    return create_engine(url, poolclass=NullPool)


def _flush(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _flush_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - Windows cannot open a folder
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _reason(error: Exception) -> str:
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return str(error) or type(error).__name__


def _not_written(folder: Path, error: Exception) -> CopyFailed:
    return CopyFailed(
        Text(
            N_(
                "The backup could not be written in {folder} ({reason}). Nothing was changed; no partial copy was "
                "left behind. Free some space or choose another folder, then try again."
            ),
            folder=folder,
            reason=_reason(error),
        )
    )
