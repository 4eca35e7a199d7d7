"""The hub's page store: scanned pages as files beside the database.

Layout, under the hub's data folder::

    pages/<aa>/<sha256>        a whole page file, named by its SHA-256 (aa: its first two digits)
    pages/partial/<sha256>     an upload under way: the bytes received so far, in order
    pages/partial/<aa>.lock    held while a chunk of a blob named aa… is written (one writer per blob)

Why files, not the database: pages are immutable and large next to everything else the
hub keeps (a case's events are a few KB, its pages a few MB); as files they cost the
database nothing (no bloat of its WAL, its backups stay quick to take and to check), they
are written and read in chunks, and two windows sending the same page make one file.
Its limits: the files are not inside the database's transactions, so a file counts as
stored only once its row in ``page_blobs`` is committed (a crash between the two leaves a
whole, hash-checked file that the next look at that blob adopts); the folder must sit on
a disk the hub's user alone reads (files 0600, folders 0700, private_files.py) and be
backed up with the database (hub/storage/page_backup.py does it); a hub served by several
machines would need this folder shared between them (not supported: one machine).

Room: a chunk is refused (``StoreFull``, answered 503 hub_disk_full) when writing it would
leave the disk with less than ``min_free`` bytes, so pages never take the room the
database needs to grow; a real ENOSPC while writing is answered the same way. Either way
the partial file is cut back to what it held before: nothing of the chunk counts.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

from windowdesk.hub.storage.private_files import FILE_MODE, private_folder

try:  # POSIX: a lock per blob across the hub's processes
    import fcntl
except ImportError:  # pragma: no cover - Windows: one process, the thread lock alone
    fcntl = None  # type: ignore[assignment]

SHA256_HEX = re.compile(r"[0-9a-f]{64}")
HASH_BLOCK = 1 << 20
DEFAULT_MIN_FREE = 256 * 1024 * 1024
_FULL_ERRNOS = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}


class StoreFull(Exception):
    """The page store's disk has no room for this chunk; nothing of it was kept."""


class OffsetMismatch(Exception):
    def __init__(self, received: int) -> None:
        super().__init__(f"the hub holds {received} bytes")
        self.received = received


def is_sha256(value: str) -> bool:
    return SHA256_HEX.fullmatch(value) is not None


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as source:
        while block := source.read(HASH_BLOCK):
            digest.update(block)
    return digest.hexdigest()


class PageStore:
    def __init__(self, data_dir: Path, *, min_free: int = DEFAULT_MIN_FREE) -> None:
        self.root = Path(data_dir) / "pages"
        self.partial_dir = self.root / "partial"
        self.min_free = min_free
        self._thread_locks = [threading.Lock() for _ in range(256)]

    def path(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    def partial_path(self, sha256: str) -> Path:
        return self.partial_dir / sha256

    def has(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def received(self, sha256: str) -> int:
        try:
            return self.partial_path(sha256).stat().st_size
        except FileNotFoundError:
            return 0

    @contextlib.contextmanager
    def writing(self, sha256: str) -> Iterator[None]:
        """One writer per blob: two windows sending the same page take turns, chunk by chunk.
        The locks are striped by the name's first two digits (256 of them, a lock file
        each), so they stay few however many pages pass; two pages sharing a stripe only
        wait for each other's chunk."""
        stripe = sha256[:2]
        with self._thread_locks[int(stripe, 16)]:
            private_folder(self.partial_dir)
            if fcntl is None:
                yield
                return
            fd = os.open(self.partial_dir / f"{stripe}.lock", os.O_RDWR | os.O_CREAT, FILE_MODE)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)
                yield
            finally:
                os.close(fd)

    def append(self, sha256: str, offset: int, chunk: bytes) -> int:
        """Writes ``chunk`` at ``offset``, which must be what the partial file holds;
        returns the bytes held now. Call inside :meth:`writing`."""
        path = self.partial_path(sha256)
        held = self.received(sha256)
        if offset != held:
            raise OffsetMismatch(held)
        if shutil.disk_usage(self.partial_dir).free - len(chunk) < self.min_free:
            raise StoreFull()
        fd = os.open(path, os.O_WRONLY | os.O_CREAT, FILE_MODE)
        try:
            try:
                os.lseek(fd, offset, os.SEEK_SET)
                view = memoryview(chunk)
                while view:
                    view = view[os.write(fd, view) :]
                os.fsync(fd)
            except OSError as error:
                os.ftruncate(fd, offset)  # nothing of the chunk counts
                if error.errno in _FULL_ERRNOS:
                    raise StoreFull() from None
                raise
        finally:
            os.close(fd)
        return offset + len(chunk)

    def keep_if_whole(self, sha256: str) -> bool:
        """The partial file becomes the page if its hash is its name (True); else it is
        dropped (False) and the upload starts again from 0. Call inside :meth:`writing`."""
        partial = self.partial_path(sha256)
        if file_sha256(partial) != sha256:
            partial.unlink(missing_ok=True)
            return False
        final = self.path(sha256)
        private_folder(final.parent)
        os.replace(partial, final)
        _flush_folder(final.parent)
        return True

    def drop_partial(self, sha256: str) -> None:
        self.partial_path(sha256).unlink(missing_ok=True)

    def read(self, sha256: str) -> bytes:
        return self.path(sha256).read_bytes()

    def stored(self) -> Iterator[str]:
        """Every whole page file's name (its SHA-256)."""
        if not self.root.is_dir():
            return
        for folder in sorted(self.root.iterdir()):
            if folder.is_dir() and len(folder.name) == 2:
                for path in sorted(folder.iterdir()):
                    if is_sha256(path.name):
                        yield path.name


def _flush_folder(folder: Path) -> None:
    """The rename is on the disk before the blob is counted (POSIX; Windows has no such call)."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
