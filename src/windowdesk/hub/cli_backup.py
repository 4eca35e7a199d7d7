"""``windowdesk-hub backup``, ``check-backup`` and ``restore``: the hub's database copied
while it serves, checked, and put back after a loss (storage/backup.py says how).

Encrypted backups: ``--key-file F`` (a key ``backup-key F`` made) or ``--passphrase-file
F`` (its first line), else the file named by WINDOWDESK_HUB_BACKUP_KEY_FILE or
WINDOWDESK_HUB_BACKUP_PASSPHRASE_FILE (the systemd unit passes one as a credential). The
secret itself is never an argument or a variable, which other programs of the machine
could read. ``backup`` encrypts with it; ``check-backup`` and ``restore`` need it to open
an encrypted copy. A copy made without a key is as before.

All of them handle the database themselves: they do not migrate it first (a damaged database is
exactly what a restore replaces, and a backup copies what is there). A restored database
is migrated once it is in place.
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Callable, Mapping
from pathlib import Path

from sqlalchemy.exc import DBAPIError

from windowdesk.hub.cli_common import at_least_one, clock_text, utc_now
from windowdesk.hub.errors import Conflict, InvalidInput
from windowdesk.hub.language import Text
from windowdesk.hub.services.backup_status import key_from_environment
from windowdesk.hub.services.clocks import city_time
from windowdesk.hub.settings import HubSettings
from windowdesk.hub.storage import (
    application_backup,
    backup,
    backup_check,
    backup_crypt,
    page_backup,
    serving_lock,
)
from windowdesk.hub.storage.backup_crypt import BackupKey, write_new_key_file
from windowdesk.hub.storage.database import HubDatabase
from windowdesk.hub.storage.migrate import migrate_to_head, shown_url
from windowdesk.hub.storage.page_store import PageStore
from windowdesk.i18n import N_, _, ngettext
from windowdesk.sync.protocol import KEEP_SENT_DAYS


def backup_key(args: argparse.Namespace, environ: Mapping[str, str] | None = None) -> BackupKey | None:
    """The key given on the command line, else in the environment; None: no encryption."""
    if args.key_file:
        return BackupKey.from_key_file(Path(args.key_file).expanduser())
    if args.passphrase_file:
        return BackupKey.from_passphrase_file(Path(args.passphrase_file).expanduser())
    return key_from_environment(environ)


def cmd_backup_key(args: argparse.Namespace, settings: HubSettings) -> None:
    path = Path(args.file).expanduser()
    try:
        write_new_key_file(path)
    except OSError as error:
        raise InvalidInput(
            Text(
                N_("The key file {path} cannot be written ({reason})."), path=path, reason=error.strerror or str(error)
            )
        ) from None
    print(
        _(
            "Wrote a new backup key to {path}, readable by you only. Keep a copy of it away from the hub and its "
            "backups: without it, no backup encrypted with it can be restored."
        ).format(path=path)
    )


def cmd_backup(args: argparse.Namespace, settings: HubSettings) -> None:
    folder = Path(args.to) if args.to else settings.data_dir / "backups"
    key = backup_key(args)
    made = backup.make_backup(settings.database_url, folder, utc_now(), key=key)
    try:
        copied = page_backup.copy_pages(PageStore(settings.data_dir), made.path, key=key)
        application_files = application_backup.copy_files(settings.data_dir, made.path, key=key)
        carries_key = application_backup.copy_key(settings.data_dir, made.path, key=key)
    except BaseException:
        application_backup.remove_beside(made.path)
        made.path.unlink(missing_ok=True)  # without its pages it is no whole backup
        raise
    print(_("Backed up the hub to {path} ({size}).").format(path=made.path, size=_size(made.size)))
    print(
        _("Its scanned pages are in {folder}: {count} copied now, the others were there already.").format(
            folder=folder / page_backup.PAGES_FOLDER, count=copied
        )
    )
    if application_backup.manifest_path(made.path).exists():
        print(
            _(
                "The page files of its online applications are in {folder}: {count} copied now, the others were "
                "there already."
            ).format(folder=folder / application_backup.FILES_FOLDER, count=application_files)
        )
    if key is not None:
        print(
            _("It is encrypted with the key in {key}: check-backup and restore need that key.").format(key=key.source)
        )
    if carries_key:
        print(
            _(
                "It carries the key that opens its online applications ({file}), encrypted with the backup's key: "
                "restore puts it back."
            ).format(file=application_backup.key_path(made.path).name)
        )
    elif key is None and application_backup.has_personal_key(settings.data_dir):
        print(
            _(
                "It is not encrypted, so the key that opens its online applications is not in it: keep a copy of "
                "{path} apart from the backups (never beside them in clear), or back up with --key-file, which "
                "carries it."
            ).format(path=application_backup.personal_key_file(settings.data_dir))
        )
    if made.contents is not None:
        print(_contents_line(settings, made.contents))
    if args.keep is not None:
        deleted = backup.keep_newest(folder, args.keep)
        page_backup.drop_unlisted_pages(folder)
        application_backup.drop_unlisted(folder)
        if deleted:
            print(
                ngettext(
                    "Deleted {count} older backup; the newest {keep} are kept.",
                    "Deleted {count} older backups; the newest {keep} are kept.",
                    len(deleted),
                ).format(count=len(deleted), keep=args.keep)
            )


def cmd_check_backup(args: argparse.Namespace, settings: HubSettings) -> None:
    checked = backup_check.check_whole(settings.database_url, Path(args.file), key=backup_key(args))
    print(_("{file} is a whole backup of a hub; restore can use it.").format(file=args.file))
    print(_("Its {count} scanned pages are there and match their hashes.").format(count=checked.pages))
    if checked.applications or checked.application_files:
        print(
            _("Its {count} page files of online applications are there and match their hashes.").format(
                count=checked.application_files
            )
        )
        if checked.carries_key:
            print(
                _("The key it carries opens its {count} online applications and their pages.").format(
                    count=checked.applications
                )
            )
        else:
            print(
                _(
                    "It does not carry the key that opens its {count} online applications (it is not encrypted): a "
                    "restore needs your own copy of personal.key."
                ).format(count=checked.applications)
            )
    if checked.contents is not None:
        print(_contents_line(settings, checked.contents))


def cmd_restore(args: argparse.Namespace, settings: HubSettings) -> None:
    key = backup_key(args)
    lock = serving_lock.lock_file(settings.data_dir, settings.database_url)
    with serving_lock.stopped(lock, settings.database_url) as hub_stopped:
        if not hub_stopped:
            raise Conflict(
                Text(
                    N_(
                        "The hub is serving this database ({database}). Stop it before restoring a backup; nothing "
                        "was changed."
                    ),
                    database=shown_url(settings.database_url),
                )
            )
        now = utc_now()
        file = Path(args.file).expanduser()
        pages_key = _pages_key(args.file, key)
        personal = application_backup.carried_key(file, pages_key)
        application_backup.refuse_another_key(settings.data_dir, personal)  # before anything changes
        # The pages, the applications' files and their key first: each is checked, and
        # what is added changes nothing if the database's restore is then refused.
        pages = page_backup.restore_pages(file, PageStore(settings.data_dir), key=pages_key)
        application_files = application_backup.restore_files(file, settings.data_dir, key=pages_key)
        key_put_back = application_backup.restore_key(settings.data_dir, personal)
        restored = backup.restore_backup(
            settings.database_url, file, now, aside_folder=settings.data_dir / "backups", key=key
        )
        migrate_to_head(settings.database_url)
        feed_floor = backup.begin_after_restore(settings.database_url, now)
    print(_("Restored the hub from {file}.").format(file=args.file))
    print(_("{count} scanned pages were put back into the hub's page store.").format(count=pages))
    if application_backup.manifest_path(file).exists():
        print(
            _("{count} page files of online applications were put back into {folder}.").format(
                count=application_files, folder=settings.data_dir / application_backup.FILES_FOLDER
            )
        )
    if key_put_back:
        print(
            _("The key that opens the online applications was put back as {path}.").format(
                path=application_backup.personal_key_file(settings.data_dir)
            )
        )
    _say_applications_readable(settings)
    if restored.contents is not None:
        print(_contents_line(settings, restored.contents))
    if restored.replaced is not None:
        print(_("The database it replaced is kept as {path}.").format(path=restored.replaced))
    print(
        _(
            "New changes are numbered after {seq}, so every window receives them, whatever it had received before."
        ).format(seq=feed_floor)
    )
    print(
        _(
            "At their next sync the windows send again what they sent in the last {days} days; what the hub "
            "still has is answered as a duplicate. What the hub itself recorded after the backup was taken is "
            "not on it: make those back-office decisions and notes again, and enroll again the workstations "
            "enrolled since then."
        ).format(days=KEEP_SENT_DAYS)
    )


def _say_applications_readable(settings: HubSettings) -> None:
    """Whether the data folder's personal key opens the restored applications, and what to
    do when it does not (an unencrypted backup carries no key)."""
    total, opened = application_backup.readable(settings.database_url, settings.data_dir)
    path = application_backup.personal_key_file(settings.data_dir)
    if not total:
        return
    if opened == total:
        print(_("Its {count} online applications open with {path}.").format(count=total, path=path))
    elif not path.exists():
        print(
            _(
                "Its {count} online applications are sealed under a key this backup does not carry: put your copy "
                "of personal.key at {path} before the hub starts (a hub started without it makes a new key, and "
                "they stay unreadable)."
            ).format(count=total, path=path)
        )
    else:
        print(
            _(
                "{unread} of its {count} online applications do not open with {path}: put the copy of the key they "
                "were sealed under in its place (move that one aside first)."
            ).format(unread=total - opened, count=total, path=path)
        )


def _pages_key(file: str, key: BackupKey | None) -> BackupKey | None:
    """The pages beside a backup are encrypted as the backup is."""
    return key if key is not None and backup_crypt.is_encrypted(Path(file).expanduser()) else None


def _contents_line(settings: HubSettings, contents: backup.Contents) -> str:
    if contents.newest_push is None:
        return _("It holds no pushed event yet, and changes up to {seq}.").format(seq=contents.last_change)
    return _("It holds {events} pushed events (the newest received {newest}) and changes up to {seq}.").format(
        events=contents.pushed_events, newest=_hub_clock(settings, contents.newest_push), seq=contents.last_change
    )


def _hub_clock(settings: HubSettings, at: dt.datetime) -> str:
    """On the centers' clock (services/clocks.city_time), else in UTC, said so."""
    db = HubDatabase(settings.database_url)
    try:
        with db.read() as session:
            local = city_time(session, at)
    except DBAPIError:  # a time for a message: UTC will do
        local = None
    finally:
        db.dispose()
    return clock_text(local) if local is not None else _("{time} UTC").format(time=clock_text(at))


def _size(size: int) -> str:
    if size >= 1024 * 1024:
        return _("{size:.1f} MB").format(size=size / (1024 * 1024))
    return _("{size} KB").format(size=max(1, round(size / 1024)))


def _key_options(sub: argparse.ArgumentParser) -> None:
    given = sub.add_mutually_exclusive_group()
    given.add_argument(
        "--key-file",
        default=None,
        metavar="FILE",
        help=_(
            "the backup key, as backup-key wrote it: backup encrypts with it, check-backup and "
            "restore open the copy with it (default: the file WINDOWDESK_HUB_BACKUP_KEY_FILE "
            "names)"
        ),
    )
    given.add_argument(
        "--passphrase-file",
        default=None,
        metavar="FILE",
        help=_(
            "instead of a key, a passphrase: the first line of FILE, at least 12 characters "
            "(default: the file WINDOWDESK_HUB_BACKUP_PASSPHRASE_FILE names)"
        ),
    )


def add_commands(command: Callable[[str, Callable, str], argparse.ArgumentParser]) -> None:
    sub = command(
        "backup",
        cmd_backup,
        _("copy the hub's database while it serves (SQLite; pg_dump for PostgreSQL), checked before it counts"),
    )
    sub.add_argument("--to", default=None, help=_("the folder to write it in (default: backups in the data folder)"))
    sub.add_argument(
        "--keep",
        type=at_least_one,
        default=None,
        metavar="N",
        help=_("then delete all but the N newest backups in that folder (default: delete none)"),
    )
    _key_options(sub)
    sub.set_defaults(handles_database=True)
    sub = command(
        "check-backup", cmd_check_backup, _("check that a backup is whole and can be restored, without restoring it")
    )
    sub.add_argument("file", help=_("a file that backup wrote"))
    _key_options(sub)
    sub.set_defaults(handles_database=True)
    sub = command(
        "restore",
        cmd_restore,
        _("put a backup in place of the hub's database (stop the hub first); the database it replaces is kept"),
    )
    sub.add_argument("file", help=_("a file that backup wrote"))
    _key_options(sub)
    sub.set_defaults(handles_database=True)
    sub = command(
        "backup-key",
        cmd_backup_key,
        _("write a new random key for encrypted backups to a new file, readable by you only"),
    )
    sub.add_argument("file", help=_("the file to write (never one that exists); keep a copy away from the hub"))
    sub.set_defaults(handles_database=True)
