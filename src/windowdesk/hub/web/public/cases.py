"""Following a case: ``/status`` (and ``/status/<case number>``, where the receipt's QR
code lands with the number filled) asks for the query code; ``/case`` shows the case
and its rating form; ``/case/rating`` takes a rating (好差评)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from windowdesk.domain.case_state import STATUS_LABELS, CaseStatus
from windowdesk.domain.service_quality import ASPECT_LABELS, ASPECTS, LEVELS_BEST_FIRST, level_msgid
from windowdesk.hub.services import public_cases, public_guides, public_ratings
from windowdesk.hub.services.public_cases import FOUND, LOCKED
from windowdesk.hub.web import human_check
from windowdesk.hub.web.csrf import require_csrf
from windowdesk.hub.web.public import case_access, router
from windowdesk.hub.web.public.common import database, page, utc_now
from windowdesk.hub.web.templating import translator

STATUS_WORDS = {status.value: label for status, label in STATUS_LABELS.items()}  # msgids


def _status_form(request: Request, case_number: str = "", message: str = "", status_code: int = 200) -> HTMLResponse:
    return page(
        request, "public/status.html", {"case_number": case_number, "message": message}, status_code=status_code
    )


@router.get("/status", response_class=HTMLResponse)
def status_form(request: Request) -> HTMLResponse:
    return _status_form(request)


@router.get("/status/{case_number}", response_class=HTMLResponse)
def status_form_for(request: Request, case_number: str) -> HTMLResponse:
    """Where the QR code of an acceptance receipt leads (domain.status_page)."""
    return _status_form(request, case_number[: public_cases.MAX_CASE_NUMBER])


@router.post("/status", response_class=HTMLResponse, dependencies=[Depends(require_csrf)])
def check_code(
    request: Request, case_number: Annotated[str, Form()] = "", query_code: Annotated[str, Form()] = ""
) -> Response:
    _ = translator(request)
    address = request.client.host if request.client else ""
    found = public_cases.look_up_case(
        database(request), case_number=case_number, code=query_code[:40], address=address, now=utc_now()
    )
    if found.outcome == FOUND and found.case is not None:
        response = RedirectResponse("/case", status_code=303)
        case_access.grant(request, response, found.case.id)
        return response
    if found.outcome == LOCKED:
        message = _(
            "Too many wrong query codes. For your safety, try again in {minutes} minutes, or ask at the "
            "window or by phone."
        ).format(minutes=int(public_cases.LOOKUP_WINDOW.total_seconds() // 60))
        return _status_form(request, case_number.strip(), message, status_code=429)
    message = _("The case number and the query code do not match. {count} tries left.").format(count=found.tries_left)
    return _status_form(request, case_number.strip(), message, status_code=403)


def _case_page(request: Request, case_id: str, *, flash: str = "", error: str = "", status_code: int = 200) -> Response:
    """The case's page, read in one snapshot (the case, its timeline, what may be rated)."""
    with database(request).read() as session:
        case = public_cases.read_public_case(session, case_id)
        if case is None:
            return RedirectResponse("/status", status_code=303)
        published = public_guides.current_catalog(session)
        rating = public_ratings.rating_state(session, case_id=case.id, status=case.status, now=utc_now())
    item = public_guides.guide(published, case.item_code) if published else None
    center = published.center(case.center_code) if published else None
    zone = ZoneInfo(center.timezone if center else "Asia/Shanghai")

    def local(at: dt.datetime) -> str:
        """On the center's clock, as the receipt printed it."""
        return at.astimezone(zone).strftime("%Y-%m-%d %H:%M")

    return page(
        request,
        "public/case.html",
        {
            "case": case,
            "item": item,
            "center": center,
            "status_words": STATUS_WORDS,
            "local": local,
            "finished": case.finished,
            "suspended": case.status == CaseStatus.SUSPENDED,
            "rating": rating,
            "levels": [(int(level), level_msgid(level)) for level in LEVELS_BEST_FIRST],
            "aspects": [(name, ASPECT_LABELS[name]) for name in ASPECTS],
            "flash": flash,
            "error": error,
            "human_check": human_check.new_challenge(request.app.state.settings) if rating.next_round else None,
        },
        status_code=status_code,
    )


@router.get("/case", response_class=HTMLResponse)
def case_page(request: Request, rated: int = 0) -> Response:
    case_id = case_access.granted_case(request)
    if case_id is None:
        return RedirectResponse("/status", status_code=303)
    _ = translator(request)
    return _case_page(request, case_id, flash=_("Thank you: your rating was recorded.") if rated else "")


@router.post("/case/rating", response_class=HTMLResponse, dependencies=[Depends(require_csrf)])
def rate(
    request: Request,
    level: Annotated[str, Form()] = "",
    efficiency: Annotated[str, Form()] = "",
    quality: Annotated[str, Form()] = "",
    attitude: Annotated[str, Form()] = "",
    comment: Annotated[str, Form()] = "",
    human_token: Annotated[str, Form()] = "",
    human_answer: Annotated[str, Form()] = "",
) -> Response:
    case_id = case_access.granted_case(request)
    if case_id is None:
        return RedirectResponse("/status", status_code=303)
    _ = translator(request)
    db = database(request)
    if public_ratings.current_rating_state(db, case_id=case_id, now=utc_now()).next_round is None:
        return _case_page(request, case_id, error=_(public_ratings.ALREADY_RATED), status_code=422)
    if not human_check.passes(request.app.state.settings, human_token, human_answer):
        return _case_page(
            request, case_id, error=_("The sum under the form was not right; work out the new one."), status_code=422
        )
    grades = {"efficiency": efficiency, "quality": quality, "attitude": attitude}
    try:
        public_ratings.rate_case(
            db,
            case_id=case_id,
            level=level,
            aspects={name: grades[name] for name in ASPECTS},
            comment=comment,
            now=utc_now(),
        )
    except public_ratings.RatingRefused as refused:
        return _case_page(request, case_id, error=_(refused.message), status_code=422)
    return RedirectResponse("/case?rated=1", status_code=303)
