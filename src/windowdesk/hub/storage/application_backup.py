"""The online applications in the hub's backups: their page files and the key that opens them.

An online application's values are a sealed row of the database (which the backup holds);
its pages are sealed files in ``<data_dir>/applications/`` and the key that opens both is
``<data_dir>/personal.key`` (hub/storage/sealing.py, application_files.py). Without them a
restored hub holds applications nobody can read. So, beside each backup::

    <folder>/hub-<time>.<db>[.enc].applications   its list of page files: "<application> <page> <sha256> <size>"
                                                  a line (the hash and size of the sealed file; none while the
                                                  hub has no application pages)
    <folder>/hub-<time>.<db>.enc.personal-key     the personal key, encrypted with the backup's key
    <folder>/applications/<aa>/<sha256>[.enc]     the sealed page files (encrypted again with the backup's key
                                                  when given), once for all the backups of the folder

The personal key travels only inside an encrypted backup: beside the sealed data in clear
it would open them for whoever holds the copy. An unencrypted backup holds the sealed rows
and files without their key, and says so; the administrator keeps a copy of the key apart.

A page file is never rewritten once its row is committed, so each backup copies only the
files its folder lacks (named by the hash of the sealed bytes), checked on the way. The
list is written after the database copy and lists every file on the disk then: every
page the copy counts (a page's file is written before its row), and perhaps a few of
applications made just after (harmless). ``check-backup`` reads every listed file back
and checks its hash, that every page the database copy counts is listed, and (in an
encrypted backup) that the carried key opens every sealed row and every page, each page
giving the bytes its row's hash names. ``restore`` refuses a key that differs from one
the data folder already holds (before anything changes), then puts back the files and
the key, each checked, before the database. ``--keep`` drops what no kept backup lists.
"""

from __future__ import annotations

import hashlib
import io
import os
import secrets
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from windowdesk.hub.errors import Conflict, InvalidInput
from windowdesk.hub.language import Text
from windowdesk.hub.storage import backup_crypt, backup_postgres
from windowdesk.hub.storage.application_files import FOLDER as DATA_FOLDER
from windowdesk.hub.storage.backup_crypt import BackupKey
from windowdesk.hub.storage.database import HubDatabase
from windowdesk.hub.storage.models_applications import OnlineApplication
from windowdesk.hub.storage.page_backup import drop_unlisted_copies
from windowdesk.hub.storage.private_files import private_folder, private_new_file, put_key_file
from windowdesk.hub.storage.sealing import KEY_BYTES, KEY_FILE, SealBroken, Sealer
from windowdesk.i18n import N_

MANIFEST_SUFFIX = ".applications"
TABLES = ("online_applications", "online_application_pages")  # what DatabaseApplications reads
KEY_SUFFIX = ".personal-key"
FILES_FOLDER = "applications"


@dataclass(frozen=True)
class Listed:
    """One sealed page file a backup needs."""

    application_id: str
    page_id: str
    sha256: str  # of the sealed file's bytes
    size: int


def manifest_path(backup: Path) -> Path:
    return backup.with_name(backup.name + MANIFEST_SUFFIX)


def key_path(backup: Path) -> Path:
    return backup.with_name(backup.name + KEY_SUFFIX)


def personal_key_file(data_dir: Path) -> Path:
    return Path(data_dir) / KEY_FILE


def _file_copy(folder: Path, sha256: str, encrypted: bool) -> Path:
    return folder / FILES_FOLDER / sha256[:2] / (sha256 + (".enc" if encrypted else ""))


def _is_id(text: str) -> bool:
    return 0 < len(text) <= 64 and all(c.isalnum() or c == "-" for c in text)


def _hub_files(data_dir: Path) -> Iterator[tuple[str, str, Path]]:
    """(application id, page id, path) of every page file in the data folder."""
    root = Path(data_dir) / DATA_FOLDER
    if not root.is_dir():
        return
    for folder in sorted(root.iterdir()):
        if folder.is_dir() and _is_id(folder.name):
            for page in sorted(folder.iterdir()):
                if page.is_file() and _is_id(page.name):
                    yield folder.name, page.name, page


def _read_whole(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:  # deleted meanwhile (a purge, a refused submission): not the copy's
        return None


def _write_new(path: Path, data: bytes) -> None:
    """``path`` written whole under a temporary name, flushed, then renamed into place."""
    private_folder(path.parent)
    partial = path.with_name(f".{path.name}.{secrets.token_hex(4)}.partial")
    private_new_file(partial)
    try:
        with partial.open("r+b") as target:
            target.write(data)
            target.flush()
            os.fsync(target.fileno())
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def _encrypted(data: bytes, key: BackupKey) -> bytes:
    sealed = io.BytesIO()
    backup_crypt.encrypt_stream(io.BytesIO(data), sealed, key)
    return sealed.getvalue()


# --- backup -----------------------------------------------------------------------------


def copy_files(data_dir: Path, backup: Path, *, key: BackupKey | None = None) -> int:
    """Copies the hub's application page files beside ``backup`` (those the folder lacks)
    and writes its list; returns how many were copied."""
    folder = backup.parent
    listed: list[Listed] = []
    copied = 0
    for application_id, page_id, path in _hub_files(data_dir):
        sealed = _read_whole(path)
        if sealed is None:
            continue
        sha256 = hashlib.sha256(sealed).hexdigest()
        listed.append(Listed(application_id, page_id, sha256, len(sealed)))
        target = _file_copy(folder, sha256, key is not None)
        if target.exists():
            continue
        _write_new(target, sealed if key is None else _encrypted(sealed, key))
        _listed_bytes(folder, listed[-1], key)  # read back: the copy gives the bytes it was made of
        copied += 1
    if listed:
        text = "".join(f"{e.application_id} {e.page_id} {e.sha256} {e.size}\n" for e in listed)
        _write_new(manifest_path(backup), text.encode("ascii"))
    return copied


def copy_key(data_dir: Path, backup: Path, *, key: BackupKey | None) -> bool:
    """The hub's personal key, encrypted with the backup's key, beside an encrypted backup;
    never beside a clear one. Whether it was written (there is none before the hub's first
    online application)."""
    source = personal_key_file(data_dir)
    if key is None or not source.is_file():
        return False
    _write_new(key_path(backup), _encrypted(source.read_bytes(), key))
    return True


def has_personal_key(data_dir: Path) -> bool:
    return personal_key_file(data_dir).is_file()


def remove_beside(backup: Path) -> None:
    """What this module wrote beside a backup that is not finished after all."""
    for path in (manifest_path(backup), key_path(backup)):
        path.unlink(missing_ok=True)


# --- what a backup holds ----------------------------------------------------------------


def read_manifest(backup: Path) -> list[Listed]:
    """The page files ``backup`` needs; none for a backup of a hub without application pages
    (or made before backups held them)."""
    manifest = manifest_path(backup)
    if not manifest.exists():
        return []
    listed = []
    for line in manifest.read_text(encoding="ascii", errors="replace").splitlines():
        parts = line.split(" ")
        if len(parts) != 4 or not (
            _is_id(parts[0])
            and _is_id(parts[1])
            and len(parts[2]) == 64
            and all(c in "0123456789abcdef" for c in parts[2])
            and parts[3].isdigit()
        ):
            raise InvalidInput(
                Text(N_("The list of online applications' page files beside {path} is damaged."), path=backup)
            )
        listed.append(Listed(parts[0], parts[1], parts[2], int(parts[3])))
    return listed


def carried_key(backup: Path, key: BackupKey | None) -> bytes | None:
    """The personal key an encrypted backup carries (verified: a changed file is refused in
    words); None when it carries none."""
    path = key_path(backup)
    if key is None or not path.is_file():
        return None
    parts: list[bytes] = []
    backup_crypt.decrypt_file(path, key, parts.append)
    personal = b"".join(parts)
    if len(personal) != KEY_BYTES:
        raise InvalidInput(Text(N_("{path} does not hold a personal-data key. Nothing was changed."), path=path))
    return personal


@dataclass
class DatabaseApplications:
    """The online applications a backup's database holds, read from the copy (the rows go
    by, none is kept): every sealed row opened with ``personal`` when it is known."""

    personal: bytes | None
    shown_as: Path
    applications: int = 0
    pages: dict[tuple[str, str], str] = field(default_factory=dict)  # (application, page) -> sha256 of the page

    def _row(self, application_id: str, sealed: bytes) -> None:
        self.applications += 1
        if self.personal is None:
            return
        try:
            Sealer(self.personal).open(sealed, context=f"application:{application_id}")
        except SealBroken:
            raise InvalidInput(
                Text(
                    N_(
                        "The personal-data key carried by {path} does not open its online application {application}: "
                        "the applications were sealed under another key, or the backup was changed. Restored, they "
                        "could not be read."
                    ),
                    path=self.shown_as,
                    application=application_id,
                )
            ) from None

    def from_sqlite(self, database: Path) -> None:
        """Read from a SQLite copy (check_backup hands it over while it exists)."""
        connection = sqlite3.connect(f"{database.resolve().as_uri()}?mode=ro", uri=True)
        try:
            try:
                rows = connection.execute("SELECT id, sealed FROM online_applications")
                for application_id, sealed in rows:
                    self._row(str(application_id), bytes(sealed))
                for application_id, page_id, sha256 in connection.execute(
                    "SELECT application_id, id, sha256 FROM online_application_pages"
                ):
                    self.pages[(str(application_id), str(page_id))] = str(sha256)
            except sqlite3.OperationalError:  # a backup made before the hub kept applications
                return
        finally:
            connection.close()

    def take(self, table: str, row: dict[str, str]) -> None:
        """A row of :data:`TABLES` as a PostgreSQL dump gives it (backup_postgres.table_rows)."""
        if table == "online_applications":
            self._row(row["id"], backup_postgres.bytea(row["sealed"]))
        elif table == "online_application_pages":
            self.pages[(row["application_id"], row["id"])] = row["sha256"]


def require_key(backup: Path, found: DatabaseApplications, *, encrypted: bool) -> None:
    """An encrypted backup holding applications carries the key that opens them."""
    if encrypted and found.applications and found.personal is None:
        raise InvalidInput(
            Text(
                N_(
                    "{path} holds {count} online applications but not the key that opens them ({file} is missing): "
                    "restored, they could not be read."
                ),
                path=backup,
                count=found.applications,
                file=key_path(backup).name,
            )
        )


# --- check-backup -------------------------------------------------------------------------


def _listed_bytes(folder: Path, listed: Listed, key: BackupKey | None) -> bytes:
    copy = _file_copy(folder, listed.sha256, key is not None)
    if not copy.is_file():
        raise InvalidInput(
            Text(
                N_(
                    "Page {page} of online application {application}, which the backup needs, is missing from {folder}."
                ),
                page=listed.page_id,
                application=listed.application_id,
                folder=folder / FILES_FOLDER,
            )
        )
    if key is None:
        data = copy.read_bytes()
    else:
        parts: list[bytes] = []
        backup_crypt.decrypt_file(copy, key, parts.append)
        data = b"".join(parts)
    if hashlib.sha256(data).hexdigest() != listed.sha256 or len(data) != listed.size:
        raise InvalidInput(
            Text(
                N_(
                    "Page {page} of online application {application} in {folder} does not match its hash: it was "
                    "changed or damaged after the backup was made."
                ),
                page=listed.page_id,
                application=listed.application_id,
                folder=folder / FILES_FOLDER,
            )
        )
    return data


def check_files(backup: Path, found: DatabaseApplications, *, key: BackupKey | None = None) -> int:
    """Every listed file is there and matches its hash; every page the database copy counts
    is listed; with the carried key, every page opens and gives the bytes its row names.
    Returns how many files were checked."""
    listed = read_manifest(backup)
    names = {(e.application_id, e.page_id) for e in listed}
    missing = sorted(set(found.pages) - names)
    if missing:
        raise InvalidInput(
            Text(
                N_(
                    "{path} holds {count} pages of online applications that its list of page files lacks (the first: "
                    "page {page} of application {application})."
                ),
                path=backup,
                count=len(missing),
                page=missing[0][1],
                application=missing[0][0],
            )
        )
    for entry in listed:
        sealed = _listed_bytes(backup.parent, entry, key)
        expected = found.pages.get((entry.application_id, entry.page_id))
        if found.personal is None or expected is None:  # a file without its row: a submission refused meanwhile
            continue
        try:
            page = Sealer(found.personal).open(
                sealed, context=f"application-page:{entry.application_id}:{entry.page_id}"
            )
        except SealBroken:
            page = b""
        if hashlib.sha256(page).hexdigest() != expected:
            raise InvalidInput(
                Text(
                    N_(
                        "Page {page} of online application {application} does not open with the personal-data key "
                        "{path} carries: restored, it could not be read."
                    ),
                    page=entry.page_id,
                    application=entry.application_id,
                    path=backup,
                )
            )
    return len(listed)


# --- restore ------------------------------------------------------------------------------


def refuse_another_key(data_dir: Path, personal: bytes | None) -> None:
    """Before anything changes: a data folder that holds a personal key other than the
    backup's keeps it, and the restore is refused."""
    existing = personal_key_file(data_dir)
    if personal is None or not existing.exists():
        return
    if existing.read_bytes() != personal:
        raise Conflict(
            Text(
                N_(
                    "{path} holds another personal-data key than the backup's, and is never overwritten: nothing was "
                    "changed. If that key opens nothing you need (a hub started on this folder before the restore "
                    "makes a new one), move it out of the data folder and run restore again; else restore into "
                    "another data folder."
                ),
                path=existing,
            )
        )


def restore_key(data_dir: Path, personal: bytes | None) -> bool:
    """The backup's personal key into the data folder, if it is not there; whether it was
    put back. (refuse_another_key has refused a different one.)"""
    return personal is not None and put_key_file(personal_key_file(data_dir), personal)  # never over another


def restore_files(backup: Path, data_dir: Path, *, key: BackupKey | None = None) -> int:
    """Puts the backup's page files into the data folder (those it lacks or holds otherwise),
    each checked by its hash; returns how many were put back."""
    restored = 0
    root = Path(data_dir) / DATA_FOLDER
    for entry in read_manifest(backup):
        final = root / entry.application_id / entry.page_id
        present = _read_whole(final) if final.is_file() else None
        if present is not None and hashlib.sha256(present).hexdigest() == entry.sha256:
            continue
        sealed = _listed_bytes(backup.parent, entry, key)
        _write_new(final, sealed)
        restored += 1
    return restored


def readable(url: str, data_dir: Path) -> tuple[int, int]:
    """(how many online applications the hub holds, how many of them the data folder's
    personal key opens); the key is not made when it is missing."""
    path = personal_key_file(data_dir)
    personal = path.read_bytes() if path.is_file() else None
    sealer = Sealer(personal) if personal is not None and len(personal) == KEY_BYTES else None
    db = HubDatabase(url)
    total = opened = 0
    try:
        with db.read() as session:
            for application_id, sealed in session.execute(select(OnlineApplication.id, OnlineApplication.sealed)):
                total += 1
                if sealer is None:
                    continue
                try:
                    sealer.open(sealed, context=f"application:{application_id}")
                except SealBroken:
                    continue
                opened += 1
    finally:
        db.dispose()
    return total, opened


# --- --keep ---------------------------------------------------------------------------------


def drop_unlisted(folder: Path) -> int:
    """After old backups were deleted: their lists and keys, and the page files no remaining
    list names. Returns how many page files were dropped."""
    for carried in folder.glob("*" + KEY_SUFFIX):
        if not carried.with_name(carried.name[: -len(KEY_SUFFIX)]).exists():
            carried.unlink()
    return drop_unlisted_copies(
        folder, MANIFEST_SUFFIX, FILES_FOLDER, lambda backup: (entry.sha256 for entry in read_manifest(backup))
    )
