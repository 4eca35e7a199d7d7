"""The hub's backups, as the console shows them: the newest one, and the result of checking it.

The backups are the files ``windowdesk-hub backup`` writes in the data folder's ``backups``
(its default; a backup written elsewhere with ``--to`` is not seen here). Checking one is
``check-backup``'s own check (storage/backup_check.check_whole: the database copy read back,
its scanned pages and its online applications' files by their hashes, the key it carries), with the key the hub was started with
(WINDOWDESK_HUB_BACKUP_KEY_FILE / ..._PASSPHRASE_FILE) for an encrypted copy.

A check reads the whole copy, so it can take minutes on a year of a city; the console runs
it off the request. Its start and its result are entries of the hub's audit log, which
every serving process reads: the page shows the last result whichever process ran it.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from windowdesk.hub.errors import HubError, InvalidInput
from windowdesk.hub.language import Text
from windowdesk.hub.services import hub_audit
from windowdesk.hub.services.console_rights import ConsoleActor, require_administrator
from windowdesk.hub.storage import backup, backup_check
from windowdesk.hub.storage.backup_crypt import BackupKey
from windowdesk.hub.storage.database import HubDatabase
from windowdesk.hub.storage.models_console import HubAuditEntry
from windowdesk.i18n import N_

ENV_BACKUP_KEY_FILE = "WINDOWDESK_HUB_BACKUP_KEY_FILE"
ENV_BACKUP_PASSPHRASE_FILE = "WINDOWDESK_HUB_BACKUP_PASSPHRASE_FILE"
CHECK_STARTED = "backup.check_started"
CHECKED = "backup.checked"
# A check not answered by then is taken as lost (its process stopped): another may start.
CHECK_GIVEN_UP_AFTER = dt.timedelta(hours=2)
PAGE_LANGUAGES = ("zh_CN", "en")
logger = logging.getLogger(__name__)


def key_from_environment(environ: Mapping[str, str] | None = None) -> BackupKey | None:
    """The backup key the hub's environment names (the systemd unit's credential); None: none."""
    environ = os.environ if environ is None else environ
    key_file, passphrase_file = environ.get(ENV_BACKUP_KEY_FILE), environ.get(ENV_BACKUP_PASSPHRASE_FILE)
    if key_file and passphrase_file:
        raise InvalidInput(
            Text(
                N_(
                    "Both {key} and {passphrase} are set: say which, with one of them or with "
                    "--key-file or --passphrase-file."
                ),
                key=ENV_BACKUP_KEY_FILE,
                passphrase=ENV_BACKUP_PASSPHRASE_FILE,
            )
        )
    if key_file:
        return BackupKey.from_key_file(Path(key_file).expanduser())
    if passphrase_file:
        return BackupKey.from_passphrase_file(Path(passphrase_file).expanduser())
    return None


@dataclass(frozen=True)
class BackupFile:
    path: Path
    made_at: dt.datetime  # UTC, from its name
    size: int
    encrypted: bool


@dataclass(frozen=True)
class CheckResult:
    at: dt.datetime
    file: str
    whole: bool
    seconds: float
    message: dict[str, str]  # language -> words (a refusal's), empty when whole
    pushed_events: int | None
    last_change: int | None
    by: str


@dataclass(frozen=True)
class BackupState:
    folder: Path
    newest: BackupFile | None
    count: int
    last_check: CheckResult | None
    checking_since: dt.datetime | None


def _made_at(name: str) -> dt.datetime:
    stamp = name.split(".", 1)[0].removeprefix("hub-")
    return dt.datetime.strptime(stamp, "%Y%m%dT%H%M%S%fZ").replace(tzinfo=dt.UTC)


def backups_in(folder: Path) -> list[BackupFile]:
    """The backups ``backup`` wrote in ``folder``, oldest first (its names sort so)."""
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.iterdir()):
        if path.is_file() and backup.BACKUP_NAME.match(path.name):
            found.append(
                BackupFile(path, _made_at(path.name), path.stat().st_size, path.name.endswith(backup.ENCRYPTED_SUFFIX))
            )
    return found


def _latest_entry(session: Session, action: str) -> HubAuditEntry | None:
    return session.scalars(
        select(HubAuditEntry)
        .where(HubAuditEntry.entity == "backup", HubAuditEntry.action == action)
        .order_by(HubAuditEntry.seq.desc())
        .limit(1)
    ).first()


def backup_state(db: HubDatabase, *, by: ConsoleActor, folder: Path, now: dt.datetime) -> BackupState:
    require_administrator(by)
    copies = backups_in(folder)
    last_check, checking_since = None, None
    with db.read() as session:
        started = _latest_entry(session, CHECK_STARTED)
        checked = _latest_entry(session, CHECKED)
        if checked is not None:
            d = checked.detail
            last_check = CheckResult(
                checked.at,
                d.get("file", ""),
                bool(d.get("whole")),
                float(d.get("seconds", 0)),
                dict(d.get("message") or {}),
                d.get("pushed_events"),
                d.get("last_change"),
                checked.actor,
            )
        if (
            started is not None
            and (checked is None or checked.seq < started.seq)
            and now - started.at < CHECK_GIVEN_UP_AFTER
        ):
            checking_since = started.at
    return BackupState(folder, copies[-1] if copies else None, len(copies), last_check, checking_since)


def begin_check(db: HubDatabase, *, by: ConsoleActor, folder: Path, now: dt.datetime, address: str = "") -> BackupFile:
    """Records that ``by`` starts checking the newest backup (refused while a check runs);
    the caller then runs :func:`check_backup` (off the request)."""
    require_administrator(by)
    state = backup_state(db, by=by, folder=folder, now=now)
    if state.newest is None:
        raise InvalidInput(
            Text(N_("There is no backup in {folder} yet: make one with windowdesk-hub backup."), folder=folder)
        )
    if state.checking_since is not None:
        raise InvalidInput(
            N_("A check of the backup is running already; its result shows on this page when it is done.")
        )
    with db.write() as session:
        hub_audit.record(
            session,
            actor=by.audit_name,
            action=CHECK_STARTED,
            entity="backup",
            entity_id=state.newest.path.name,
            now=now,
            address=address,
        )
    return state.newest


def check_backup(
    db: HubDatabase,
    *,
    by: ConsoleActor,
    database_url: str,
    copy: BackupFile,
    key: BackupKey | None,
    clock: Callable[[], dt.datetime],
    address: str = "",
) -> CheckResult:
    """``check-backup``'s check of ``copy``; the result (whole or the reason not) is recorded."""
    require_administrator(by)
    began = time.monotonic()
    contents, message = None, {}
    try:
        contents = backup_check.check_whole(database_url, copy.path, key=key).contents
    except HubError as refused:
        message = {language: refused.worded(language)[1] for language in PAGE_LANGUAGES}
    except Exception as failure:  # the page must learn that the check ended, whatever stopped it
        logger.exception("checking the backup %s failed", copy.path.name)
        text = Text(
            N_("The check stopped on an unexpected error ({kind}); the hub's log says more."),
            kind=type(failure).__name__,
        )
        message = {language: text.render(language) for language in PAGE_LANGUAGES}
    seconds = round(time.monotonic() - began, 2)
    result = CheckResult(
        clock(),
        copy.path.name,
        not message,
        seconds,
        message,
        contents.pushed_events if contents else None,
        contents.last_change if contents else None,
        by.audit_name,
    )
    with db.write() as session:
        hub_audit.record(
            session,
            actor=by.audit_name,
            action=CHECKED,
            entity="backup",
            entity_id=copy.path.name,
            now=result.at,
            address=address,
            detail={
                "file": result.file,
                "whole": result.whole,
                "seconds": seconds,
                "message": message,
                "pushed_events": result.pushed_events,
                "last_change": result.last_change,
            },
        )
    return result
