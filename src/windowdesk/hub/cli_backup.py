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
from windowdesk.hub.storage import backup, serving_lock
from windowdesk.hub.storage.backup_crypt import BackupKey, write_new_key_file
from windowdesk.hub.storage.database import HubDatabase
from windowdesk.hub.storage.migrate import migrate_to_head, shown_url
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
        raise InvalidInput(Text(N_("The key file {path} cannot be written ({reason})."), path=path,
                                reason=error.strerror or str(error))) from None
    print(_("Wrote a new backup key to {path}, readable by you only. Keep a copy of it away from the hub and its "
            "backups: without it, no backup encrypted with it can be restored.").format(path=path))


def cmd_backup(args: argparse.Namespace, settings: HubSettings) -> None:
    folder = Path(args.to) if args.to else settings.data_dir / "backups"
    key = backup_key(args)
    made = backup.make_backup(settings.database_url, folder, utc_now(), key=key)
    print(_("Backed up the hub to {path} ({size}).").format(path=made.path, size=_size(made.size)))
    if key is not None:
        print(_("It is encrypted with the key in {key}: check-backup and restore need that key.").format(
            key=key.source))
    if made.contents is not None:
        print(_contents_line(settings, made.contents))
    if args.keep is not None:
        deleted = backup.keep_newest(folder, args.keep)
        if deleted:
            print(ngettext("Deleted {count} older backup; the newest {keep} are kept.",
                           "Deleted {count} older backups; the newest {keep} are kept.",
                           len(deleted)).format(count=len(deleted), keep=args.keep))


def cmd_check_backup(args: argparse.Namespace, settings: HubSettings) -> None:
    contents = backup.check_backup(settings.database_url, Path(args.file), key=backup_key(args))
    print(_("{file} is a whole backup of a hub; restore can use it.").format(file=args.file))
    if contents is not None:
        print(_contents_line(settings, contents))


def cmd_restore(args: argparse.Namespace, settings: HubSettings) -> None:
    key = backup_key(args)
    lock = serving_lock.lock_file(settings.data_dir, settings.database_url)
    with serving_lock.stopped(lock, settings.database_url) as hub_stopped:
        if not hub_stopped:
            raise Conflict(Text(
                N_("The hub is serving this database ({database}). Stop it before restoring a backup; nothing "
                   "was changed."),
                database=shown_url(settings.database_url),
            ))
        now = utc_now()
        restored = backup.restore_backup(settings.database_url, Path(args.file), now,
                                         aside_folder=settings.data_dir / "backups", key=key)
        migrate_to_head(settings.database_url)
        feed_floor = backup.begin_after_restore(settings.database_url, now)
    print(_("Restored the hub from {file}.").format(file=args.file))
    if restored.contents is not None:
        print(_contents_line(settings, restored.contents))
    if restored.replaced is not None:
        print(_("The database it replaced is kept as {path}.").format(path=restored.replaced))
    print(_("New changes are numbered after {seq}, so every window receives them, whatever it had received "
            "before.").format(seq=feed_floor))
    print(_("At their next sync the windows send again what they sent in the last {days} days; what the hub "
            "still has is answered as a duplicate. What the hub itself recorded after the backup was taken is "
            "not on it: make those back-office decisions and notes again, and enroll again the workstations "
            "enrolled since then.").format(days=KEEP_SENT_DAYS))


def _contents_line(settings: HubSettings, contents: backup.Contents) -> str:
    if contents.newest_push is None:
        return _("It holds no pushed event yet, and changes up to {seq}.").format(seq=contents.last_change)
    return _("It holds {events} pushed events (the newest received {newest}) and changes up to {seq}.").format(
        events=contents.pushed_events, newest=_hub_clock(settings, contents.newest_push), seq=contents.last_change)


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
    given.add_argument("--key-file", default=None, metavar="FILE",
                       help=_("the backup key, as backup-key wrote it: backup encrypts with it, check-backup and "
                              "restore open the copy with it (default: the file WINDOWDESK_HUB_BACKUP_KEY_FILE "
                              "names)"))
    given.add_argument("--passphrase-file", default=None, metavar="FILE",
                       help=_("instead of a key, a passphrase: the first line of FILE, at least 12 characters "
                              "(default: the file WINDOWDESK_HUB_BACKUP_PASSPHRASE_FILE names)"))


def add_commands(command: Callable[[str, Callable, str], argparse.ArgumentParser]) -> None:
    sub = command("backup", cmd_backup,
                  _("copy the hub's database while it serves (SQLite; pg_dump for PostgreSQL), checked before it "
                    "counts"))
    sub.add_argument("--to", default=None, help=_("the folder to write it in (default: backups in the data folder)"))
    sub.add_argument("--keep", type=at_least_one, default=None, metavar="N",
                     help=_("then delete all but the N newest backups in that folder (default: delete none)"))
    _key_options(sub)
    sub.set_defaults(handles_database=True)
    sub = command("check-backup", cmd_check_backup,
                  _("check that a backup is whole and can be restored, without restoring it"))
    sub.add_argument("file", help=_("a file that backup wrote"))
    _key_options(sub)
    sub.set_defaults(handles_database=True)
    sub = command("restore", cmd_restore,
                  _("put a backup in place of the hub's database (stop the hub first); the database it replaces "
                    "is kept"))
    sub.add_argument("file", help=_("a file that backup wrote"))
    _key_options(sub)
    sub.set_defaults(handles_database=True)
    sub = command("backup-key", cmd_backup_key,
                  _("write a new random key for encrypted backups to a new file, readable by you only"))
    sub.add_argument("file", help=_("the file to write (never one that exists); keep a copy away from the hub"))
    sub.set_defaults(handles_database=True)
