"""The hub's files are its user's alone.

The hub's database and its backups hold every resident's full ID number. So everything
the hub writes (the SQLite file and its journals, the lock files, backups, the copy a
restore replaces, any log it is given to write) is made readable by its own user only:
files 0600, folders 0700, whatever umask the administrator's shell or the service
manager set. Two layers:

- ``windowdesk-hub`` runs every command under :func:`private_umask` (0077), so a file
  made by anything it runs (SQLite, ``pg_dump``, a log handler) starts private;
- the places that make the hub's own files and folders give them their modes explicitly
  (:func:`private_folder`, :func:`private_new_file`), so that code reaching the storage
  without the command line (the API in a test, an embedding) writes them private too;
  and the files of a hub installed before this release lose the rights of the group and
  of others when the hub next opens them (:func:`make_private`).

On Windows (no POSIX modes) all of this does nothing; a folder's access list there is
the administrator's to set.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from collections.abc import Iterator
from pathlib import Path

FILE_MODE = 0o600
FOLDER_MODE = 0o700
PRIVATE_UMASK = 0o077
# The SQLite database's companions, which SQLite or the hub make beside it.
SQLITE_COMPANIONS = ("-wal", "-shm", "-journal", "-serving.lock", "-writer.lock")

_POSIX = hasattr(os, "getuid")


@contextlib.contextmanager
def private_umask() -> Iterator[None]:
    """Files and folders made until the block ends (in this process, and in the programs
    it starts) have no rights for the group or for others."""
    previous = os.umask(PRIVATE_UMASK)
    try:
        yield
    finally:
        os.umask(previous)


def private_folder(folder: Path) -> Path:
    """``folder``, made with its missing parents at 0700. A folder that already exists is
    left as it is: it may be shared (a mounted backup disk), and what the hub writes
    in it is private by itself."""
    missing = []
    probe = folder
    while not probe.exists() and probe.parent != probe:
        missing.append(probe)
        probe = probe.parent
    for made in reversed(missing):
        try:
            made.mkdir(mode=FOLDER_MODE)
        except FileExistsError:  # made meanwhile by another process
            continue
        if _POSIX:
            os.chmod(made, FOLDER_MODE)  # mkdir's mode is cut by the umask, never raised
    return folder


def private_new_file(path: Path) -> None:
    """Makes ``path`` an empty 0600 file (emptied if it was there), for a program that
    then writes it by name (SQLite, ``pg_dump``) and keeps the mode of what it finds."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    try:
        if _POSIX:
            os.fchmod(fd, FILE_MODE)
    finally:
        os.close(fd)


def write_private_file(path: Path, data: bytes, *, replace: bool) -> None:
    """``data`` written whole and synced into ``path`` (0600 when made); ``replace``
    empties a file already there, otherwise one there is an error (FileExistsError)."""
    flags = os.O_WRONLY | os.O_CREAT | (os.O_TRUNC if replace else os.O_EXCL)
    fd = os.open(path, flags, FILE_MODE)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)


def make_private(path: Path) -> None:
    """Takes the group's and others' rights away from ``path`` if it is this user's
    (the owner's are kept). Nothing there, or someone else's: left alone."""
    if not _POSIX:
        return
    try:
        found = path.lstat()
    except FileNotFoundError:
        return
    if stat.S_ISLNK(found.st_mode) or found.st_uid != os.getuid() or not found.st_mode & 0o077:
        return
    os.chmod(path, stat.S_IMODE(found.st_mode) & 0o700)


def private_database_file(database: Path) -> None:
    """The SQLite database at ``database``, before SQLite opens it: its folder made 0700
    if missing, the file made 0600 if missing (SQLite gives its journals the mode of the
    database file), and an older hub's files made private."""
    if str(database) == ":memory:":
        return
    private_folder(database.parent)
    if not database.exists():
        with contextlib.suppress(FileExistsError):
            os.close(os.open(database, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
    for suffix in ("", *SQLITE_COMPANIONS):
        make_private(Path(f"{database}{suffix}"))


def private_data_dir(data_dir: Path) -> None:
    """The hub's data folder and what it made there (its backups folder, the files in
    both) lose the group's and others' rights; nothing is made that is not there."""
    for folder in (data_dir, data_dir / "backups"):
        if not folder.is_dir():
            continue
        make_private(folder)
        for entry in folder.iterdir():
            if entry.is_file():
                make_private(entry)


def put_key_file(path: Path, key: bytes) -> bool:
    """``key`` into ``path`` (private to the hub's user) unless a file is there; whether it
    was put. Written whole under a temporary name, then linked in place: of two writers one
    wins, nothing is ever written over, and no reader sees half a key."""
    if path.exists():
        return False
    private_folder(path.parent)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    write_private_file(temporary, key, replace=False)
    try:
        os.link(temporary, path)
    except FileExistsError:
        return False
    finally:
        os.unlink(temporary)
    return True


def random_key_file(path: Path, size: int) -> bytes:
    """The random key kept in ``path`` (private to the hub's user), made at the first use
    (:func:`put_key_file`: of two workers starting together one wins). The caller checks
    the length it reads back (a damaged file is the administrator's to put back)."""
    if not path.exists():
        put_key_file(path, secrets.token_bytes(size))
    return path.read_bytes()
