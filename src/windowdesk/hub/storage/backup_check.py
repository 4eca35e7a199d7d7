"""``check-backup``'s whole check, one for the command and the console's backups page: the
database copy (backup.py), its scanned pages (page_backup.py), and its online
applications' page files and the key it carries (application_backup.py). Refused in words
at the first thing that would make a restore fail or leave something unreadable."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from windowdesk.hub.storage import application_backup, backup, backup_crypt, backup_postgres, page_backup
from windowdesk.hub.storage.backup import Contents
from windowdesk.hub.storage.backup_crypt import BackupKey


@dataclass(frozen=True)
class WholeBackup:
    contents: Contents | None  # None for PostgreSQL
    pages: int  # scanned pages checked
    application_files: int  # page files of online applications checked
    applications: int  # online applications the copy holds
    carries_key: bool  # the key that opens them travels with it (encrypted backups only)


def check_whole(url: str, file: Path, *, key: BackupKey | None = None) -> WholeBackup:
    file = file.expanduser()
    # The key the backup carries first: every sealed row is opened with it as it is read.
    found = application_backup.DatabaseApplications(application_backup.carried_key(file, key), file)
    contents = backup.check_backup(url, file, key=key, examine=found.from_sqlite)
    # Beside an encrypted copy everything is encrypted with its key (check_backup has refused a
    # key given for a clear copy, and a clear copy checked without one).
    encrypted_with = key if key is not None and backup_crypt.is_encrypted(file) else None
    counted = contents.pages if contents is not None else _dump_rows(url, file, encrypted_with, found)
    application_backup.require_key(file, found, encrypted=encrypted_with is not None)
    pages = page_backup.check_pages(file, key=encrypted_with, counted=counted)
    application_files = application_backup.check_files(file, found, key=encrypted_with)
    return WholeBackup(contents, pages, application_files, found.applications, found.personal is not None)


def _dump_rows(
    url: str, dump: Path, key: BackupKey | None, found: application_backup.DatabaseApplications
) -> frozenset[str]:
    """PostgreSQL, in one pass over the dump: the scanned pages it counts (returned) and its
    online applications (handed to ``found``)."""
    scanned: set[str] = set()
    for table, row in backup_postgres.table_rows(url, dump, ("page_blobs", *application_backup.TABLES), key):
        if table == "page_blobs":
            scanned.add(row["sha256"])
        else:
            found.take(table, row)
    return frozenset(scanned)
