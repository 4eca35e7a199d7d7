"""The supervision office's pages (电子监察): the city's red and yellow cards with their
cases; complaints, bad ratings' follow-ups and rectification tasks, replies and outcomes;
the changes the hub refused, and an administrator's answer to one.

The services (time_cards, supervision) check every right; a refused form is shown again
with its message, nothing typed lost.
"""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from windowdesk.hub.errors import Conflict, InvalidInput, NotFound
from windowdesk.hub.services import supervision, time_cards
from windowdesk.hub.services.console_rights import ADMINISTRATOR, SUPERVISOR, ConsoleActor
from windowdesk.hub.services.figure_catchup import current_figures
from windowdesk.hub.web.console import navigation
from windowdesk.hub.web.console.session import client_address, current_actor, hub_db, utc_now
from windowdesk.hub.web.console.sign_in import console_context
from windowdesk.hub.web.console.words import case_words
from windowdesk.hub.web.csrf import require_csrf
from windowdesk.hub.web.templating import page_language, render
from windowdesk.i18n import N_

router = APIRouter()
navigation.add_section("/console/supervision", N_("Time-limit supervision"), SUPERVISOR, ADMINISTRATOR)
navigation.add_section("/console/voice", N_("Complaints and ratings"), SUPERVISOR, ADMINISTRATOR)
navigation.add_section("/console/refused", N_("Refused changes"), SUPERVISOR, ADMINISTRATOR)

GROUPING_WORDS = {"center": N_("by center"), "department": N_("by department"), "item": N_("by item")}
QUALITY_LISTS = {
    "complaints": N_("Complaints"),
    "follow_ups": N_("Follow-ups of bad ratings"),
    "rectifications": N_("Rectification tasks"),
}
FLASHES = {
    "replied": N_("The reply is published; the window learns it at its next sync."),
    "outcome": N_("The follow-up's outcome is published to its center."),
    "answered": N_("Your answer is kept with the refused change."),
}


def _flash(request: Request) -> str | None:
    return FLASHES.get(request.query_params.get("done", ""))


@router.get("/supervision")
def cards_page(request: Request, by: str = "center", actor: ConsoleActor = Depends(current_actor)) -> Response:
    now = utc_now()
    with current_figures(hub_db(request)) as session:  # the due days of every pushed case
        table = time_cards.card_table(session, actor=actor, now=now, by=by)
        quality = supervision.quality_summary(session, actor=actor, now=now)
    return render(
        request,
        "console/supervision.html",
        console_context(actor, table=table, quality=quality, groupings=GROUPING_WORDS, **case_words()),
    )


@router.get("/supervision/cases")
def card_cases_page(
    request: Request,
    light: str = "",
    center: str = "",
    department: str = "",
    item: str = "",
    page: int = 1,
    actor: ConsoleActor = Depends(current_actor),
) -> Response:
    with current_figures(hub_db(request)) as session:
        found = time_cards.card_cases(
            session,
            actor=actor,
            now=utc_now(),
            light=light or None,
            center=center or None,
            department=department or None,
            item=item or None,
            page=page,
        )
    filters = {
        name: value
        for name, value in (("light", light), ("center", center), ("department", department), ("item", item))
        if value
    }
    return render(
        request,
        "console/card_cases.html",
        console_context(
            actor, found=found, filters=filters, base_query=urlencode(filters) + "&" if filters else "", **case_words()
        ),
    )


@router.get("/voice")
def quality_page(
    request: Request,
    show: str = "complaints",
    all: bool = False,
    page: int = 1,
    actor: ConsoleActor = Depends(current_actor),
) -> Response:
    return _quality_page(request, actor, show=show, all=all, page=page)


def _quality_page(
    request: Request,
    actor: ConsoleActor,
    *,
    show: str,
    all: bool = False,
    page: int = 1,
    error: str | None = None,
    form: dict | None = None,
    status_code: int = 200,
) -> Response:
    show = show if show in QUALITY_LISTS else "complaints"
    now = utc_now()
    with hub_db(request).read() as session:
        summary = supervision.quality_summary(session, actor=actor, now=now)
        if show == "complaints":
            listing = supervision.complaints(session, actor=actor, now=now, open_only=not all, page=page)
        elif show == "follow_ups":
            listing = supervision.follow_ups(session, actor=actor, now=now, open_only=not all, page=page)
        else:
            listing = supervision.rectifications(session, actor=actor, now=now, page=page)
    base = {"show": show, **({"all": "1"} if all else {})}
    return render(
        request,
        "console/service_quality.html",
        console_context(
            actor,
            show=show,
            lists=QUALITY_LISTS,
            all=all,
            summary=summary,
            listing=listing,
            flash=_flash(request),
            error=error,
            form=form or {},
            base_query=urlencode(base) + "&",
            **case_words(),
        ),
        status_code=status_code,
    )


def _refused_form(
    request: Request, actor: ConsoleActor, refused: InvalidInput | Conflict | NotFound, show: str, form: dict
) -> Response:
    return _quality_page(
        request,
        actor,
        show=show,
        error=refused.worded(page_language(request))[1],
        form=form,
        status_code=refused.status,
    )


@router.post("/voice/complaints/{complaint_id}/reply", dependencies=[Depends(require_csrf)])
def reply(
    request: Request, complaint_id: str, text: str = Form(""), actor: ConsoleActor = Depends(current_actor)
) -> Response:
    try:
        hub_db(request).run_write(
            lambda session: supervision.reply_to_complaint(
                session,
                actor=actor,
                complaint_id=complaint_id,
                reply=text,
                now=utc_now(),
                address=client_address(request),
            ),
            feed=True,
        )
    except (InvalidInput, Conflict, NotFound) as refused:
        return _refused_form(request, actor, refused, "complaints", {"id": complaint_id, "text": text})
    return RedirectResponse("/console/voice?show=complaints&done=replied", status_code=303)


@router.post("/voice/follow-ups/{follow_up_id}/outcome", dependencies=[Depends(require_csrf)])
def outcome(
    request: Request, follow_up_id: str, text: str = Form(""), actor: ConsoleActor = Depends(current_actor)
) -> Response:
    try:
        hub_db(request).run_write(
            lambda session: supervision.record_follow_up_outcome(
                session,
                actor=actor,
                follow_up_id=follow_up_id,
                outcome=text,
                now=utc_now(),
                address=client_address(request),
            ),
            feed=True,
        )
    except (InvalidInput, Conflict, NotFound) as refused:
        return _refused_form(request, actor, refused, "follow_ups", {"id": follow_up_id, "text": text})
    return RedirectResponse("/console/voice?show=follow_ups&done=outcome", status_code=303)


def _refused_page(
    request: Request,
    actor: ConsoleActor,
    *,
    unresolved: bool,
    error: str | None = None,
    form: dict | None = None,
    status_code: int = 200,
) -> Response:
    with hub_db(request).read() as session:
        found, answers = supervision.refused(session, actor=actor, unresolved_only=unresolved)
    return render(
        request,
        "console/refused.html",
        console_context(
            actor,
            found=found,
            answers=answers,
            unresolved=unresolved,
            flash=_flash(request),
            error=error,
            form=form or {},
            may_answer=actor.role == ADMINISTRATOR,
            **case_words(),
        ),
        status_code=status_code,
    )


@router.get("/refused")
def refused_page(request: Request, unresolved: bool = False, actor: ConsoleActor = Depends(current_actor)) -> Response:
    return _refused_page(request, actor, unresolved=unresolved)


@router.post("/refused/{event_id}/answer", dependencies=[Depends(require_csrf)])
def answer(
    request: Request, event_id: str, text: str = Form(""), actor: ConsoleActor = Depends(current_actor)
) -> Response:
    try:
        with hub_db(request).write() as session:
            supervision.answer_refused_change(
                session, actor=actor, event_id=event_id, answer=text, now=utc_now(), address=client_address(request)
            )
    except (InvalidInput, Conflict, NotFound) as refused:
        return _refused_page(
            request,
            actor,
            unresolved=False,
            error=refused.worded(page_language(request))[1],
            form={"id": event_id, "text": text},
            status_code=refused.status,
        )
    return RedirectResponse("/console/refused?done=answered", status_code=303)
