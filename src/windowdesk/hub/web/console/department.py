"""A department's pages: its queue of cases, a case's page, deciding its part, notes.

The services (department_work) check every right; a page only shows what they return,
and a refused form is shown again with its message, nothing typed lost.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from windowdesk.hub.errors import Conflict, InvalidInput
from windowdesk.hub.services import department_work
from windowdesk.hub.services.console_rights import DEPARTMENT, ConsoleActor
from windowdesk.hub.services.figure_catchup import current_figures
from windowdesk.hub.web.console import navigation
from windowdesk.hub.web.console.session import client_address, current_actor, hub_db, utc_now
from windowdesk.hub.web.console.sign_in import console_context
from windowdesk.hub.web.console.words import case_words
from windowdesk.hub.web.csrf import require_csrf
from windowdesk.hub.web.templating import page_language, render
from windowdesk.i18n import N_

router = APIRouter()
# The kinds of suspension the back office sets (clock_stops.BACK_OFFICE_KINDS), as the window words them.
CLOCK_KIND_WORDS = {
    "hearing": N_("Suspended for a hearing"),
    "inspection": N_("Suspended for inspection, testing or appraisal"),
    "expert_review": N_("Suspended for expert review"),
}
navigation.add_section("/console/queue", N_("Cases to decide"), DEPARTMENT)

FLASHES = {
    "decided": N_("Your decision is recorded; the window learns it at its next sync."),
    "suspended": N_(
        "The case's clock stands still; the window learns it at its next sync and prints the notice for the applicant."
    ),
    "resumed": N_("The case's clock runs again; the window learns it at its next sync."),
    "noted": N_("Your note is published to the case's center."),
}


@router.get("/queue")
def queue_page(request: Request, page: int = 1, actor: ConsoleActor = Depends(current_actor)) -> Response:
    with current_figures(hub_db(request)) as session:  # the due days of every pushed case
        queue = department_work.department_queue(session, actor=actor, now=utc_now(), page=page)
    return render(request, "console/queue.html", console_context(actor, queue=queue, **case_words()))


def _case_page(
    request: Request,
    actor: ConsoleActor,
    case_ref: str,
    *,
    error: str | None = None,
    form: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    with current_figures(hub_db(request)) as session:
        record = department_work.case_record(session, actor=actor, case_ref=case_ref, now=utc_now())
    flash = FLASHES.get(request.query_params.get("done", ""))
    return render(
        request,
        "console/case.html",
        console_context(
            actor,
            record=record,
            error=error,
            form=form or {},
            flash=flash,
            clock_kinds=CLOCK_KIND_WORDS,
            **case_words(),
        ),
        status_code=status_code,
    )


@router.get("/cases/{case_ref}")
def case_page(request: Request, case_ref: str, actor: ConsoleActor = Depends(current_actor)) -> Response:
    return _case_page(request, actor, case_ref)


@router.post("/cases/{case_id}/decision", dependencies=[Depends(require_csrf)])
def decide(
    request: Request,
    case_id: str,
    decision: str = Form(""),
    reason: str = Form(""),
    legal_basis: str = Form(""),
    missing: str = Form(""),
    note: str = Form(""),
    actor: ConsoleActor = Depends(current_actor),
) -> Response:
    form = {"decision": decision, "reason": reason, "legal_basis": legal_basis, "missing": missing, "note": note}
    try:
        hub_db(request).run_write(
            lambda session: department_work.decide(
                session,
                actor=actor,
                case_id=case_id,
                decision=decision,
                reason=reason,
                legal_basis=legal_basis,
                missing=missing,
                note=note,
                now=utc_now(),
                address=client_address(request),
            ),
            feed=True,
        )
    except (InvalidInput, Conflict) as refused:
        return _case_page(
            request,
            actor,
            case_id,
            error=refused.worded(page_language(request))[1],
            form=form,
            status_code=refused.status,
        )
    return RedirectResponse(f"/console/cases/{case_id}?done=decided", status_code=303)


@router.post("/cases/{case_id}/suspend", dependencies=[Depends(require_csrf)])
def suspend(
    request: Request,
    case_id: str,
    kind: str = Form(""),
    reason: str = Form(""),
    actor: ConsoleActor = Depends(current_actor),
) -> Response:
    try:
        hub_db(request).run_write(
            lambda session: department_work.stop_clock(
                session,
                actor=actor,
                case_id=case_id,
                kind=kind,
                reason=reason,
                now=utc_now(),
                address=client_address(request),
            ),
            feed=True,
        )
    except (InvalidInput, Conflict) as refused:
        return _case_page(
            request,
            actor,
            case_id,
            error=refused.worded(page_language(request))[1],
            form={"kind": kind, "suspend_reason": reason},
            status_code=refused.status,
        )
    return RedirectResponse(f"/console/cases/{case_id}?done=suspended", status_code=303)


@router.post("/cases/{case_id}/resume", dependencies=[Depends(require_csrf)])
def resume(
    request: Request, case_id: str, outcome: str = Form(""), actor: ConsoleActor = Depends(current_actor)
) -> Response:
    try:
        hub_db(request).run_write(
            lambda session: department_work.restart_clock(
                session, actor=actor, case_id=case_id, outcome=outcome, now=utc_now(), address=client_address(request)
            ),
            feed=True,
        )
    except (InvalidInput, Conflict) as refused:
        return _case_page(
            request,
            actor,
            case_id,
            error=refused.worded(page_language(request))[1],
            form={"outcome": outcome},
            status_code=refused.status,
        )
    return RedirectResponse(f"/console/cases/{case_id}?done=resumed", status_code=303)


@router.post("/cases/{case_id}/note", dependencies=[Depends(require_csrf)])
def add_note(
    request: Request, case_id: str, note: str = Form(""), actor: ConsoleActor = Depends(current_actor)
) -> Response:
    try:
        hub_db(request).run_write(
            lambda session: department_work.add_note(
                session, actor=actor, case_id=case_id, note=note, now=utc_now(), address=client_address(request)
            ),
            feed=True,
        )
    except InvalidInput as refused:
        return _case_page(
            request,
            actor,
            case_id,
            error=refused.worded(page_language(request))[1],
            form={"note_text": note},
            status_code=refused.status,
        )
    return RedirectResponse(f"/console/cases/{case_id}?done=noted", status_code=303)


@router.get("/cases/{case_ref}/pages/{page_id}")
def scanned_page(
    request: Request, case_ref: str, page_id: str, actor: ConsoleActor = Depends(current_actor)
) -> Response:
    """One scanned page as the window stored it (its bytes handed out only with the reading recorded)."""
    store = request.app.state.page_store
    page, data = hub_db(request).run_write(
        lambda session: department_work.read_scanned_page(
            session, store, actor=actor, case_ref=case_ref, page_id=page_id[:36], now=utc_now()
        )
    )
    return Response(
        data,
        media_type=page.mime,
        headers={"Cache-Control": "no-store", "Content-Disposition": "inline", "X-Content-Type-Options": "nosniff"},
    )
