"""告知承诺制 in the console: a department's verifications due (and recording one), the
supervision office's credit flags (and lifting one with a reason).

The services (hub/services/commitments.py) check every right; a refused form is shown
again with its message, nothing typed lost.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from windowdesk.hub.errors import Conflict, InvalidInput, NotFound
from windowdesk.hub.services import commitments
from windowdesk.hub.services.console_rights import ADMINISTRATOR, DEPARTMENT, SUPERVISOR, ConsoleActor
from windowdesk.hub.web.console import navigation
from windowdesk.hub.web.console.session import client_address, current_actor, hub_db, utc_now
from windowdesk.hub.web.console.sign_in import console_context
from windowdesk.hub.web.console.words import clock, day
from windowdesk.hub.web.csrf import require_csrf
from windowdesk.hub.web.templating import page_language, render
from windowdesk.i18n import N_

router = APIRouter()
# After the queue of cases to decide and the supervision office's own pages.
navigation.add_section("/console/verifications", N_("Commitments to verify"), DEPARTMENT, order=navigation.WORK + 5)
navigation.add_section(
    "/console/credit-flags", N_("Credit flags"), SUPERVISOR, ADMINISTRATOR, order=navigation.WORK + 5
)

FLASHES = {
    "verified": N_("The verification is recorded; the case's window learns it at its next sync."),
    "flagged": N_(
        "The verification is recorded: the case is marked for revocation and the applicant has a "
        "credit flag, which every window learns at its next sync."
    ),
    "lifted": N_("The flag is lifted; every window learns it at its next sync."),
}


def _verifications_page(
    request: Request,
    actor: ConsoleActor,
    *,
    error: str | None = None,
    form: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    with hub_db(request).read() as session:
        rows = commitments.department_verifications(session, actor=actor, now=utc_now())
    return render(
        request,
        "console/verifications.html",
        console_context(
            actor,
            rows=rows,
            error=error,
            form=form or {},
            clock=clock,
            day=day,
            flash=FLASHES.get(request.query_params.get("done", "")),
        ),
        status_code=status_code,
    )


@router.get("/verifications")
def verifications_page(request: Request, actor: ConsoleActor = Depends(current_actor)) -> Response:
    return _verifications_page(request, actor)


@router.post("/verifications/{case_number}", dependencies=[Depends(require_csrf)])
def verify(
    request: Request,
    case_number: str,
    result: str = Form(""),
    note: str = Form(""),
    actor: ConsoleActor = Depends(current_actor),
) -> Response:
    try:
        recorded = hub_db(request).run_write(
            lambda session: commitments.verify_in_console(
                session,
                actor=actor,
                case_number=case_number,
                result=result,
                note=note,
                now=utc_now(),
                address=client_address(request),
            ),
            feed=True,
        )
    except (InvalidInput, Conflict, NotFound) as refused:
        return _verifications_page(
            request,
            actor,
            error=refused.worded(page_language(request))[1],
            form={"case": case_number, "result": result, "note": note},
            status_code=refused.status,
        )
    return RedirectResponse(
        f"/console/verifications?done={'flagged' if recorded.flag_id else 'verified'}", status_code=303
    )


def _flags_page(
    request: Request,
    actor: ConsoleActor,
    *,
    error: str | None = None,
    form: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    lifted = request.query_params.get("all") == "1"
    with hub_db(request).read() as session:
        flags = commitments.flags_in_console(session, actor=actor, include_lifted=lifted)
    return render(
        request,
        "console/credit_flags.html",
        console_context(
            actor,
            flags=flags,
            show_lifted=lifted,
            error=error,
            form=form or {},
            clock=clock,
            flash=FLASHES.get(request.query_params.get("done", "")),
        ),
        status_code=status_code,
    )


@router.get("/credit-flags")
def flags_page(request: Request, actor: ConsoleActor = Depends(current_actor)) -> Response:
    return _flags_page(request, actor)


@router.post("/credit-flags/{flag_id}/lift", dependencies=[Depends(require_csrf)])
def lift(
    request: Request, flag_id: str, reason: str = Form(""), actor: ConsoleActor = Depends(current_actor)
) -> Response:
    try:
        hub_db(request).run_write(
            lambda session: commitments.lift_in_console(
                session, actor=actor, flag_id=flag_id, reason=reason, now=utc_now(), address=client_address(request)
            ),
            feed=True,
        )
    except (InvalidInput, Conflict, NotFound) as refused:
        return _flags_page(
            request,
            actor,
            error=refused.worded(page_language(request))[1],
            form={"flag": flag_id, "reason": reason},
            status_code=refused.status,
        )
    return RedirectResponse("/console/credit-flags?done=lifted", status_code=303)
