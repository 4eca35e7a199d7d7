"""The administrators' backups page: the newest backup in the data folder's ``backups``, when
it was made, its size, and the result of checking it with ``check-backup``'s check.

A check reads the whole copy (about a second for a small hub, minutes for a year of a
city): the form starts it on a thread of its own and answers at once; the page shows that
it runs, then its result (kept in the hub's audit log, see services/backup_status.py)."""

from __future__ import annotations

import threading

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from windowdesk.hub.services import backup_status
from windowdesk.hub.services.console_rights import ConsoleActor
from windowdesk.hub.web.console.admin_common import BACKUPS, FORM_REFUSALS, city_clock, done, flash, refusal
from windowdesk.hub.web.console.session import client_address, current_actor, hub_db, utc_now
from windowdesk.hub.web.console.sign_in import console_context
from windowdesk.hub.web.csrf import require_csrf
from windowdesk.hub.web.templating import page_language, render

router = APIRouter(prefix="/admin")


def _folder(request: Request):  # noqa: ANN202 - a Path
    return request.app.state.settings.data_dir / "backups"


def _size(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB" if size >= 1024 * 1024 else f"{max(1, round(size / 1024))} KB"


def _backups_page(
    request: Request, actor: ConsoleActor, *, error: str | None = None, status_code: int = 200
) -> Response:
    db = hub_db(request)
    state = backup_status.backup_state(db, by=actor, folder=_folder(request), now=utc_now())
    with db.read() as session:
        newest = (
            None
            if state.newest is None
            else {
                "name": state.newest.path.name,
                "made": city_clock(session, state.newest.made_at),
                "size": _size(state.newest.size),
                "encrypted": state.newest.encrypted,
            }
        )
        check = (
            None
            if state.last_check is None
            else {
                "file": state.last_check.file,
                "at": city_clock(session, state.last_check.at),
                "whole": state.last_check.whole,
                "seconds": state.last_check.seconds,
                "message": state.last_check.message.get(page_language(request), ""),
                "events": state.last_check.pushed_events,
                "last_change": state.last_check.last_change,
            }
        )
        checking = city_clock(session, state.checking_since) if state.checking_since else ""
        return render(
            request,
            "console/admin/backups.html",
            console_context(
                actor,
                folder=str(state.folder),
                count=state.count,
                newest=newest,
                check=check,
                checking=checking,
                flash=flash(request),
                error=error,
            ),
            status_code=status_code,
        )


@router.get("/backups")
def backups_page(request: Request, actor: ConsoleActor = Depends(current_actor)) -> Response:
    return _backups_page(request, actor)


@router.post("/backups/check", dependencies=[Depends(require_csrf)])
def check_newest(request: Request, actor: ConsoleActor = Depends(current_actor)) -> Response:
    db, settings, address = hub_db(request), request.app.state.settings, client_address(request)
    try:
        key = backup_status.key_from_environment()
        copy = backup_status.begin_check(db, by=actor, folder=_folder(request), now=utc_now(), address=address)
    except FORM_REFUSALS as refused:
        return _backups_page(request, actor, error=refusal(request, refused), status_code=400)
    threading.Thread(
        target=backup_status.check_backup,
        name="backup-check",
        daemon=True,
        kwargs={
            "db": db,
            "by": actor,
            "database_url": settings.database_url,
            "copy": copy,
            "key": key,
            "clock": utc_now,
            "address": address,
        },
    ).start()
    return done(BACKUPS, "check")
