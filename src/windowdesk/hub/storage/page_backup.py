"""The scanned pages in the hub's backups: copied beside each backup, checked by hash.

A backup folder keeps the pages once for all its backups, named by their SHA-256::

    <folder>/hub-<time>.sqlite3[.enc]          the database (backup.py)
    <folder>/hub-<time>.sqlite3[.enc].pages    its manifest: every page it needs, "sha256 size" a line
                                               (none while the hub has no pages)
    <folder>/pages/<aa>/<sha256>[.enc]         the pages (encrypted with the backup's key when given)

Pages never change, so each backup copies only the pages the folder lacks. The manifest
is written after the database copy, listing every page the store holds whole then: all
those the copy counts, and perhaps a few counted just after it (harmless). A page is
copied under a ``.partial`` name, its hash checked on the way, then renamed; the
manifest is written last, so an interrupted backup never looks whole. ``check-backup``
reads every page of the manifest back and checks its hash, and that every page the
database copy counts is in the manifest; ``restore`` puts the pages back into the hub's
page store, checked the same way. ``--keep`` drops the pages no kept manifest names.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import BinaryIO

from windowdesk.hub.errors import InvalidInput
from windowdesk.hub.language import Text
from windowdesk.hub.storage import backup_crypt
from windowdesk.hub.storage.backup_crypt import BackupKey
from windowdesk.hub.storage.page_store import PageStore, file_sha256, is_sha256
from windowdesk.hub.storage.private_files import private_folder, private_new_file
from windowdesk.i18n import N_

MANIFEST_SUFFIX = ".pages"
PAGES_FOLDER = "pages"


def manifest_path(backup: Path) -> Path:
    return backup.with_name(backup.name + MANIFEST_SUFFIX)


def _page_copy(folder: Path, sha256: str, encrypted: bool) -> Path:
    return folder / PAGES_FOLDER / sha256[:2] / (sha256 + (".enc" if encrypted else ""))


class _Hashing:
    def __init__(self, source: BinaryIO) -> None:
        self.source, self.digest = source, hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data: bytes = self.source.read(size)
        self.digest.update(data)
        return data


class _Fixity:
    """The hash and size of the bytes handed to :meth:`take` (and handed on to ``also``)."""

    def __init__(self) -> None:
        self.digest, self.size = hashlib.sha256(), 0
        self.also: Callable[[bytes], object] | None = None

    def take(self, block: bytes) -> None:
        self.digest.update(block)
        self.size += len(block)
        if self.also is not None:
            self.also(block)


def _damaged_in_store(sha256: str) -> InvalidInput:
    return InvalidInput(
        Text(
            N_(
                "The hub's page {page} does not match its hash: its file was damaged on the hub's "
                "disk. The backup was not finished."
            ),
            page=sha256,
        )
    )


def copy_pages(store: PageStore, backup: Path, *, key: BackupKey | None = None) -> int:
    """Copies the store's pages beside ``backup`` (those the folder lacks) and writes its
    manifest; returns how many were copied."""
    folder = backup.parent
    listed: list[tuple[str, int]] = []
    copied = 0
    for sha256 in store.stored():
        source = store.path(sha256)
        listed.append((sha256, source.stat().st_size))
        target = _page_copy(folder, sha256, key is not None)
        if target.exists():
            continue
        private_folder(target.parent)
        partial = target.with_name(target.name + ".partial")
        private_new_file(partial)
        try:
            with source.open("rb") as reading, partial.open("r+b") as writing:
                hashing = _Hashing(reading)
                if key is None:
                    while block := hashing.read(1 << 20):
                        writing.write(block)
                else:
                    backup_crypt.encrypt_stream(hashing, writing, key)
                writing.flush()
                os.fsync(writing.fileno())
            if hashing.digest.hexdigest() != sha256:
                raise _damaged_in_store(sha256)
            os.replace(partial, target)
        finally:
            partial.unlink(missing_ok=True)
        copied += 1
    if not listed:  # a hub without pages: its backups look as before it kept any
        return 0
    manifest = manifest_path(backup)
    partial = manifest.with_name(manifest.name + ".partial")
    private_new_file(partial)
    partial.write_text("".join(f"{sha256} {size}\n" for sha256, size in listed), encoding="ascii")
    os.replace(partial, manifest)
    return copied


def read_manifest(backup: Path) -> list[tuple[str, int]]:
    """The pages ``backup`` needs; none for a backup made before the hub kept pages."""
    manifest = manifest_path(backup)
    if not manifest.exists():
        return []
    pages = []
    for line in manifest.read_text(encoding="ascii").splitlines():
        sha256, _space, size = line.partition(" ")
        if not is_sha256(sha256) or not size.isdigit():
            raise InvalidInput(Text(N_("The list of pages beside {path} is damaged."), path=backup))
        pages.append((sha256, int(size)))
    return pages


def _page_bytes(folder: Path, sha256: str, key: BackupKey | None, write: Callable[[bytes], object]) -> None:
    copy = _page_copy(folder, sha256, key is not None)
    if not copy.is_file():
        raise InvalidInput(
            Text(
                N_("Page {page}, which the backup needs, is missing from {folder}."),
                page=sha256,
                folder=folder / PAGES_FOLDER,
            )
        )
    if key is None:
        with copy.open("rb") as source:
            while block := source.read(1 << 20):
                write(block)
    else:
        backup_crypt.decrypt_file(copy, key, write)


def check_pages(backup: Path, *, key: BackupKey | None = None, counted: Iterable[str] = ()) -> int:
    """Every page of the manifest is there and matches its hash; every page in ``counted``
    (what the database copy counts) is in the manifest. Returns how many were checked."""
    pages = read_manifest(backup)
    listed = {sha256 for sha256, _size in pages}
    missing = sorted(set(counted) - listed)
    if missing:
        raise InvalidInput(
            Text(
                N_("{path} counts {count} pages that its list of pages lacks (the first: {page})."),
                path=backup,
                count=len(missing),
                page=missing[0],
            )
        )
    for sha256, size in pages:
        fixity = _Fixity()
        _page_bytes(backup.parent, sha256, key, fixity.take)
        if fixity.digest.hexdigest() != sha256 or fixity.size != size:
            raise InvalidInput(
                Text(
                    N_(
                        "Page {page} in {folder} does not match its hash: it was changed or damaged "
                        "after the backup was made."
                    ),
                    page=sha256,
                    folder=backup.parent / PAGES_FOLDER,
                )
            )
    return len(pages)


def restore_pages(backup: Path, store: PageStore, *, key: BackupKey | None = None) -> int:
    """Puts the backup's pages into the hub's page store (those it lacks or holds damaged),
    each checked by its hash; returns how many were put back."""
    restored = 0
    for sha256, _size in read_manifest(backup):
        final = store.path(sha256)
        if final.is_file() and file_sha256(final) == sha256:
            continue
        private_folder(final.parent)
        partial = final.with_name(final.name + ".restoring")
        private_new_file(partial)
        fixity = _Fixity()
        try:
            with partial.open("r+b") as target:
                fixity.also = target.write
                _page_bytes(backup.parent, sha256, key, fixity.take)
                target.flush()
                os.fsync(target.fileno())
            if fixity.digest.hexdigest() != sha256:
                raise InvalidInput(
                    Text(N_("Page {page} in the backup does not match its hash; it was not restored."), page=sha256)
                )
            os.replace(partial, final)
        finally:
            partial.unlink(missing_ok=True)
        restored += 1
    return restored


def drop_unlisted_pages(folder: Path) -> int:
    """After old backups were deleted: the pages no remaining manifest names."""
    return drop_unlisted_copies(
        folder, MANIFEST_SUFFIX, PAGES_FOLDER, lambda backup: (sha256 for sha256, _size in read_manifest(backup))
    )


def drop_unlisted_copies(
    folder: Path, manifest_suffix: str, copies_folder: str, listed: Callable[[Path], Iterable[str]]
) -> int:
    """After old backups were deleted from ``folder``: their lists (``manifest_suffix``
    beside each backup), and the copies under ``copies_folder`` (``aa/<sha256>[.enc]``)
    that no remaining backup lists (``listed``: the hashes a backup's list names).
    Returns how many copies were dropped."""
    kept: set[str] = set()
    for manifest in folder.glob("*" + manifest_suffix):
        backup = manifest.with_name(manifest.name[: -len(manifest_suffix)])
        if backup.exists():
            kept.update(listed(backup))
        else:
            manifest.unlink()
    dropped = 0
    for copy in (folder / copies_folder).glob("??/*"):
        if copy.name.split(".")[0] not in kept:
            copy.unlink()
            dropped += 1
    return dropped
