"""全程网办 in the console: a department's online applications for its fully-online items,
pre-reviewed here as a window does (accept; return with the one-time list; refuse with the
reason). Accepting makes the case at the hub, which then waits in the department's queue.

The service (department_online) checks every right; a refused form comes back with its
message and what was typed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from windowdesk.domain.online_application_status import HubApplicationStatus
from windowdesk.hub.errors import Conflict, InvalidInput
from windowdesk.hub.services import department_online
from windowdesk.hub.services.console_rights import DEPARTMENT, ConsoleActor
from windowdesk.hub.web.console import navigation
from windowdesk.hub.web.console.session import client_address, current_actor, hub_db, utc_now
from windowdesk.hub.web.console.sign_in import console_context
from windowdesk.hub.web.console.words import clock, day
from windowdesk.hub.web.csrf import require_csrf
from windowdesk.hub.web.public.applications import files_of
from windowdesk.hub.web.templating import page_language, render
from windowdesk.i18n import N_

router = APIRouter()
navigation.add_section("/console/online", N_("Online applications to accept"), DEPARTMENT)

FLASHES = {
    "returned": N_("The application is returned with your list; the resident reads it and sends it again."),
    "refused": N_("The application is refused; the resident reads your reason on its page."),
}
MATERIAL_FIELD, KIND_FIELD, TEXT_FIELD = "m_", "kind_", "text_"
FORM_NOTE = ""  # the material code of a note on the form itself


@router.get("/online")
def online_list(request: Request, actor: ConsoleActor = Depends(current_actor)) -> Response:
    with hub_db(request).read() as session:
        waiting = department_online.waiting(session, actor=actor)
    return render(request, "console/online_applications.html", console_context(actor, waiting=waiting, clock=clock))


def _page(
    request: Request,
    actor: ConsoleActor,
    application_id: str,
    *,
    error: str | None = None,
    form: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    opened = hub_db(request).run_write(
        lambda session: department_online.open_application(
            session,
            files_of(request),
            actor=actor,
            application_id=application_id[:36],
            now=utc_now(),
            address=client_address(request),
        )
    )
    done = request.query_params.get("done", "")
    return render(
        request,
        "console/online_application.html",
        console_context(
            actor,
            opened=opened,
            view=opened.view,
            statuses=HubApplicationStatus,
            item=opened.item,
            error=error,
            form=form or {},
            flash=FLASHES.get(done),
            accepted=done == "accepted",
            clock=clock,
            day=day,
            return_rows=[(FORM_NOTE, ""), *((m.code, m.name) for m in opened.item.materials)],
        ),
        status_code=status_code,
    )


@router.get("/online/{application_id}")
def application_page(request: Request, application_id: str, actor: ConsoleActor = Depends(current_actor)) -> Response:
    return _page(request, actor, application_id)


@router.get("/online/{application_id}/pages/{page_id}")
def application_page_image(
    request: Request, application_id: str, page_id: str, actor: ConsoleActor = Depends(current_actor)
) -> Response:
    """One uploaded page (a grey JPEG, as the window stores pages), its reading recorded."""
    data = hub_db(request).run_write(
        lambda session: department_online.read_page(
            session,
            files_of(request),
            actor=actor,
            application_id=application_id[:36],
            page_id=page_id[:36],
            now=utc_now(),
        )
    )
    return Response(
        data,
        media_type="image/jpeg",
        headers={"Cache-Control": "no-store", "Content-Disposition": "inline", "X-Content-Type-Options": "nosniff"},
    )


def _act(
    request: Request,
    actor: ConsoleActor,
    application_id: str,
    work: Callable[[Session], Any],
    done: str,
    form: dict[str, str],
) -> Response:
    try:
        hub_db(request).run_write(work, feed=True)
    except (InvalidInput, Conflict) as refused:
        return _page(
            request,
            actor,
            application_id,
            error=refused.worded(page_language(request))[1],
            form=form,
            status_code=refused.status,
        )
    return RedirectResponse(f"/console/online/{application_id[:36]}?done={done}", status_code=303)


def _round(value: str) -> int:
    return int(value) if value.isdigit() else 0


@router.post("/online/{application_id}/accept", dependencies=[Depends(require_csrf)])
def accept(
    request: Request,
    application_id: str,
    round_: str = Form("", alias="round"),
    actor: ConsoleActor = Depends(current_actor),
) -> Response:
    files = files_of(request)
    return _act(
        request,
        actor,
        application_id,
        lambda session: department_online.accept(
            session,
            files,
            actor=actor,
            application_id=application_id[:36],
            round_=_round(round_),
            now=utc_now(),
            address=client_address(request),
        ),
        "accepted",
        {},
    )


@router.post("/online/{application_id}/return", dependencies=[Depends(require_csrf)])
async def return_for_more(
    request: Request, application_id: str, actor: ConsoleActor = Depends(current_actor)
) -> Response:
    form = await request.form()
    typed = {key: str(value)[:400] for key, value in form.items() if isinstance(value, str)}
    entries = [
        {
            "material": typed[key][:16],
            "kind": typed.get(KIND_FIELD + key[len(MATERIAL_FIELD) :], ""),
            "text": typed.get(TEXT_FIELD + key[len(MATERIAL_FIELD) :], ""),
        }
        for key in typed
        if key.startswith(MATERIAL_FIELD)
    ]
    return await run_in_threadpool(
        _act,
        request,
        actor,
        application_id,
        lambda session: department_online.return_for_more(
            session,
            actor=actor,
            application_id=application_id[:36],
            round_=_round(typed.get("round", "")),
            entries=entries,
            now=utc_now(),
            address=client_address(request),
        ),
        "returned",
        typed,
    )


@router.post("/online/{application_id}/refuse", dependencies=[Depends(require_csrf)])
def refuse(
    request: Request,
    application_id: str,
    round_: str = Form("", alias="round"),
    reason: str = Form(""),
    actor: ConsoleActor = Depends(current_actor),
) -> Response:
    return _act(
        request,
        actor,
        application_id,
        lambda session: department_online.refuse(
            session,
            actor=actor,
            application_id=application_id[:36],
            round_=_round(round_),
            reason=reason,
            now=utc_now(),
            address=client_address(request),
        ),
        "refused",
        {"reason": reason},
    )
