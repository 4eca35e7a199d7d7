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

Restore (the hub stopped). SQLite: the copy is checked, then moved into place in one
rename. PostgreSQL: ``pg_restore --clean --single-transaction``. Then the change feed is
moved on by :data:`FEED_GAP_AFTER_RESTORE` (the windows hold cursors up to the last
change the lost database had given out, and a change numbered at or below a window's
cursor would never reach it), and a new generation begins: the windows see it and send
again the events the hub had confirmed to them lately, which the copy may lack.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import signal
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, create_engine, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from windowdesk.hub.errors import CopyFailed, InvalidInput
from windowdesk.hub.language import Text
from windowdesk.hub.storage.database import is_sqlite_url, sqlite_path
from windowdesk.hub.storage.generation import renew_generation
from windowdesk.i18n import N_

# Far more changes than a hub gives out between a backup and its restore (a busy day is
# tens of thousands); BIGINT on PostgreSQL, 64-bit on SQLite.
FEED_GAP_AFTER_RESTORE = 1_000_000_000
PARTIAL_SUFFIX = ".partial"
PG_TIMEOUT_S = 6 * 3600


@dataclass(frozen=True)
class Contents:
    """What a backup holds, read back from it."""

    pushed_events: int
    last_change: int
    newest_push: dt.datetime | None  # UTC


@dataclass(frozen=True)
class BackupMade:
    path: Path
    size: int
    contents: Contents | None  # None for PostgreSQL (pg_dump says nothing of what it wrote)


BACKUP_NAME = re.compile(r"^hub-\d{8}T\d{12}Z\.(sqlite3|pgdump)$")


def backup_file_name(url: str, now: dt.datetime) -> str:
    """``hub-<UTC time to the microsecond>``: the names sort as the copies were made."""
    stamp = now.astimezone(dt.timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    return f"hub-{stamp}.sqlite3" if is_sqlite_url(url) else f"hub-{stamp}.pgdump"


def keep_newest(folder: Path, count: int) -> list[Path]:
    """Deletes all but the ``count`` newest backups in ``folder`` (only files this module
    named: nothing else there is touched). Returns the deleted ones."""
    copies = sorted(path for path in folder.iterdir() if path.is_file() and BACKUP_NAME.match(path.name))
    old = copies[:-count] if count > 0 else []
    for path in old:
        path.unlink(missing_ok=True)
    return old


def make_backup(url: str, folder: Path, now: dt.datetime) -> BackupMade:
    folder = folder.expanduser()
    if folder.exists() and not folder.is_dir():
        raise InvalidInput(Text(N_("{path} is a file, not a folder. Name a folder for the backup."), path=folder))
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise _not_written(folder, error) from None
    final = folder / backup_file_name(url, now)
    partial = final.with_name(final.name + PARTIAL_SUFFIX)
    try:
        contents = _copy_sqlite(url, partial) if is_sqlite_url(url) else _dump_postgres(url, partial)
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


def check_backup(url: str, backup: Path) -> Contents | None:
    """Whether ``backup`` is a whole backup this hub can restore, without restoring it;
    what it holds (SQLite). Refused in words otherwise."""
    backup = backup.expanduser()
    if not backup.is_file():
        raise InvalidInput(Text(N_("There is no file {path}."), path=backup))
    if is_sqlite_url(url):
        return read_contents(backup)
    _check_dump(url, backup)
    return None


@dataclass(frozen=True)
class Restored:
    contents: Contents | None  # None for PostgreSQL
    replaced: Path | None  # where the database it replaced is kept


def restore_backup(url: str, backup: Path, now: dt.datetime, *, aside_folder: Path) -> Restored:
    """Puts ``backup`` in place of the hub's database (the hub must be stopped) and keeps
    the database it replaces. Then migrate it, and call :func:`begin_after_restore`."""
    contents = check_backup(url, backup)  # before anything changes
    backup = backup.expanduser()
    if is_sqlite_url(url):
        replaced = _restore_sqlite(url, backup, now)
    else:
        replaced = make_backup(url, aside_folder, now).path
        _restore_postgres(url, backup)
    return Restored(contents, replaced)


def begin_after_restore(url: str, now: dt.datetime) -> int:
    """A restored database's new life, in one transaction: the next change is numbered
    :data:`FEED_GAP_AFTER_RESTORE` after the highest one stored, and a new generation
    tells the windows to send again what this database may have lost. Returns the seq
    the new changes come after."""
    engine = _engine(url)
    try:
        with Session(engine) as session, session.begin():
            highest = session.scalar(text("SELECT coalesce(max(seq), 0) FROM changes"))
            floor = highest + FEED_GAP_AFTER_RESTORE
            _set_next_change_after(session.connection(), floor)
            renew_generation(session, now)
            return floor
    finally:
        engine.dispose()


def _set_next_change_after(connection: Connection, floor: int) -> None:
    if connection.dialect.name == "sqlite":
        # AUTOINCREMENT: the next rowid is one more than the larger of sqlite_sequence's
        # entry and the highest rowid.
        updated = connection.execute(text("UPDATE sqlite_sequence SET seq = :floor WHERE name = 'changes'"),
                                     {"floor": floor}).rowcount
        if not updated:
            connection.execute(text("INSERT INTO sqlite_sequence (name, seq) VALUES ('changes', :floor)"),
                               {"floor": floor})
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


def read_contents(database: Path) -> Contents:
    """Checks a hub database file and says what it holds; refuses anything else."""
    try:
        connection = sqlite3.connect(f"{database.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        raise _not_a_hub_backup(database) from None
    try:
        if connection.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise _not_a_hub_backup(database)
        pushed = connection.execute("SELECT count(*) FROM pushed_events").fetchone()[0]
        last_change = connection.execute("SELECT coalesce(max(seq), 0) FROM changes").fetchone()[0]
        newest = connection.execute("SELECT max(received_at) FROM pushed_events").fetchone()[0]
        connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error:
        raise _not_a_hub_backup(database) from None
    finally:
        connection.close()
    newest_push = dt.datetime.fromisoformat(newest).replace(tzinfo=dt.timezone.utc) if newest else None
    return Contents(pushed, last_change, newest_push)


def _restore_sqlite(url: str, backup: Path, now: dt.datetime) -> Path | None:
    """Returns where the replaced database is kept (None: there was none)."""
    database = sqlite_path(url)
    if database is None:
        raise InvalidInput(Text(N_("There is no hub database at {path}."), path=url))
    database.parent.mkdir(parents=True, exist_ok=True)
    incoming = database.with_name(database.name + PARTIAL_SUFFIX)
    stamp = now.astimezone(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    aside = database.with_name(f"{database.stem}-replaced-{stamp}{database.suffix}")
    replaced = aside if database.exists() else None
    try:
        shutil.copyfile(backup, incoming)
        _flush(incoming)
        # The replaced database keeps its journal beside it, under the names SQLite
        # looks for, so it can still be opened whole (and is not applied to the new one).
        for suffix in ("", "-wal", "-shm", "-journal"):
            if Path(f"{database}{suffix}").exists():
                os.replace(f"{database}{suffix}", f"{aside}{suffix}")
        os.replace(incoming, database)
        _flush_folder(database.parent)
    except OSError as error:
        incoming.unlink(missing_ok=True)
        raise CopyFailed(Text(
            N_("The hub's database could not be replaced in {folder} ({reason}). Free some space, then try "
               "again."),
            folder=database.parent, reason=_reason(error),
        )) from None
    return replaced


# --- PostgreSQL -------------------------------------------------------------------------


def _libpq_environment(url: str) -> dict[str, str]:
    """The connection for pg_dump and pg_restore, the password kept out of their command
    line (which every user of the machine can read)."""
    parsed: URL = make_url(url)
    environment = dict(os.environ)
    for name, value in (("PGHOST", parsed.host), ("PGPORT", parsed.port), ("PGUSER", parsed.username),
                        ("PGPASSWORD", parsed.password), ("PGDATABASE", parsed.database)):
        if value is not None:
            environment[name] = str(value)
    if "sslmode" in parsed.query:
        environment["PGSSLMODE"] = str(parsed.query["sslmode"])
    return environment


def _run_postgres_tool(tool: str, *args: str, url: str) -> str:
    """The tool's standard output; its last error line in the message when it fails."""
    executable = shutil.which(tool)
    if executable is None:
        raise CopyFailed(Text(
            N_("{tool} is not installed on this computer. Install PostgreSQL's client programs (on Debian: apt "
               "install postgresql-client, of the server's version or newer), then try again."),
            tool=tool,
        ))
    try:
        finished = subprocess.run([executable, *args], env=_libpq_environment(url), capture_output=True, text=True,
                                  timeout=PG_TIMEOUT_S, check=False)
    except subprocess.TimeoutExpired:
        finished = None
    if finished is None or finished.returncode != 0:
        raise CopyFailed(Text(N_("{tool} did not succeed: {detail}"), tool=tool, detail=_tool_failure(finished)))
    return finished.stdout


def _tool_failure(finished: subprocess.CompletedProcess | None) -> str:
    """The tool's last error line; else how it ended."""
    if finished is None:
        return f"no end after {PG_TIMEOUT_S} s"
    lines = finished.stderr.strip().splitlines()
    if lines:
        return lines[-1][:300]
    if finished.returncode < 0:
        return f"stopped by {signal.Signals(-finished.returncode).name}"
    return f"exit code {finished.returncode}"


def _check_dump(url: str, dump: Path) -> None:
    """A whole custom-format dump of a hub, or refused."""
    try:
        listing = _run_postgres_tool("pg_restore", "--list", str(dump), url=url)
    except CopyFailed:
        if shutil.which("pg_restore") is None:
            raise  # not installed: said as such
        raise _not_a_hub_backup(dump) from None
    # A table's line: "214; 1259 41488 TABLE public alembic_version postgres".
    tables = {line.split(" TABLE public ", 1)[1].split()[0] for line in listing.splitlines()
              if " TABLE public " in line and not line.lstrip().startswith(";")}
    if not {"pushed_events", "changes", "alembic_version"} <= tables:
        raise _not_a_hub_backup(dump)


def _dump_postgres(url: str, target: Path) -> None:
    _run_postgres_tool("pg_dump", "--format=custom", "--no-owner", f"--file={target}", url=url)
    _check_dump(url, target)


def _restore_postgres(url: str, backup: Path) -> None:
    database = make_url(url).database or ""
    _run_postgres_tool("pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
                       f"--dbname={database}", str(backup), url=url)


# --- both -------------------------------------------------------------------------------


def _engine(url: str):  # noqa: ANN202 - an Engine
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
    return CopyFailed(Text(
        N_("The backup could not be written in {folder} ({reason}). Nothing was changed; no partial copy was "
           "left behind. Free some space or choose another folder, then try again."),
        folder=folder, reason=_reason(error),
    ))


def _not_a_hub_backup(path: Path) -> InvalidInput:
    return InvalidInput(Text(
        N_("{path} is not a readable backup of a hub (it is damaged, incomplete or another kind of file). "
           "Nothing was changed."),
        path=path,
    ))
