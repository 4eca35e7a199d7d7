"""投诉 / 办不成事反映 on the public pages: ``/complain`` takes a complaint (or a report of
something the resident could not get done) behind the human check and answers its number
and short code; ``/complaint`` reads it back with both: its state and, once given, the
answer (services/public_complaints.py)."""

from __future__ import annotations

from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import Depends, Form, Request
from fastapi.responses import HTMLResponse

from windowdesk.hub.services import public_complaints
from windowdesk.hub.services.public_cases import LOOKUP_WINDOW
from windowdesk.hub.services.public_complaints import FOUND, LOCKED
from windowdesk.hub.services.public_guides import current_catalog
from windowdesk.hub.web import human_check
from windowdesk.hub.web.csrf import require_csrf
from windowdesk.hub.web.public import router
from windowdesk.hub.web.public.common import database, page, utc_now
from windowdesk.hub.web.templating import translator


def _catalog_names(request: Request) -> tuple[list[tuple[str, str, str]], list[tuple[str, str]]]:
    """(code, name, timezone) of the centers and (code, name) of the items, as published."""
    with database(request).read() as session:
        published = current_catalog(session)
    if published is None:
        return [], []
    return (
        [(c.code, c.name, c.timezone) for c in published.catalog.centers],
        sorted(((i.code, i.name) for i in published.catalog.items), key=lambda pair: pair[0]),
    )


def _windows(request: Request) -> list[tuple[str, list[tuple[str, str]]]]:
    """Each center's name with its windows (id, words), as published."""
    with database(request).read() as session:
        published = current_catalog(session)
    if published is None:
        return []
    return [
        (c.name, [(f"{c.code}-{w.code}", f"{w.code} {w.name}") for w in c.windows]) for c in published.catalog.centers
    ]


def _form(
    request: Request, *, values: dict[str, str] | None = None, error: str = "", status_code: int = 200
) -> HTMLResponse:
    centers, items = _catalog_names(request)
    return page(
        request,
        "public/complain.html",
        {
            "centers": [(code, name) for code, name, _zone in centers],
            "items": items,
            "windows": _windows(request),
            "kinds": public_complaints.KIND_LABELS,
            "values": values or {},
            "error": error,
            "human_check": human_check.new_challenge(request.app.state.settings),
        },
        status_code=status_code,
    )


@router.get("/complain", response_class=HTMLResponse)
def complain_form(request: Request, center: str = "", item: str = "", case: str = "") -> HTMLResponse:
    """``center``, ``item`` and ``case`` fill the form (from a guide or a case page)."""
    return _form(
        request,
        values={"kind": public_complaints.COMPLAINT, "center": center[:8], "item": item[:16], "case_number": case[:40]},
    )


@router.post("/complain", response_class=HTMLResponse, dependencies=[Depends(require_csrf)])
def complain(
    request: Request,
    kind: Annotated[str, Form()] = "",
    center: Annotated[str, Form()] = "",
    window: Annotated[str, Form()] = "",
    item: Annotated[str, Form()] = "",
    case_number: Annotated[str, Form()] = "",
    facts: Annotated[str, Form()] = "",
    phone: Annotated[str, Form()] = "",
    human_token: Annotated[str, Form()] = "",
    human_answer: Annotated[str, Form()] = "",
) -> HTMLResponse:
    _ = translator(request)
    # What was typed comes back into the form when it is refused: nothing is lost.
    values = {
        "kind": kind[:20],
        "center": center[:8],
        "window": window[:12],
        "item": item[:16],
        "case_number": case_number[:40],
        "facts": facts[: public_complaints.MAX_FACTS + 100],
        "phone": phone[:20],
    }
    if not human_check.passes(request.app.state.settings, human_token, human_answer):
        return _form(
            request,
            values=values,
            error=_("The sum under the form was not right; work out the new one."),
            status_code=422,
        )
    try:
        filed = public_complaints.file_complaint(
            database(request),
            kind=kind,
            center_code=center[:8],
            window_id=window,
            item_code=item,
            case_number=case_number,
            facts=facts,
            phone=phone,
            address=request.client.host if request.client else "",
            now=utc_now(),
        )
    except public_complaints.ComplaintRefused as refused:
        return _form(request, values=values, error=_(refused.message), status_code=422)
    return page(request, "public/complaint_filed.html", {"filed": filed})


def _lookup_form(request: Request, *, number: str = "", message: str = "", status_code: int = 200) -> HTMLResponse:
    return page(request, "public/complaint_find.html", {"number": number, "message": message}, status_code=status_code)


@router.get("/complaint", response_class=HTMLResponse)
def complaint_form(request: Request, number: str = "") -> HTMLResponse:
    return _lookup_form(request, number=number[:40])


@router.post("/complaint", response_class=HTMLResponse, dependencies=[Depends(require_csrf)])
def complaint_page(
    request: Request, number: Annotated[str, Form()] = "", code: Annotated[str, Form()] = ""
) -> HTMLResponse:
    _ = translator(request)
    found = public_complaints.look_up_complaint(
        database(request),
        number=number,
        code=code[:20],
        address=request.client.host if request.client else "",
        now=utc_now(),
    )
    if found.outcome == LOCKED:
        message = _(
            "Too many wrong codes. For your safety, try again in {minutes} minutes, or call the center."
        ).format(minutes=int(LOOKUP_WINDOW.total_seconds() // 60))
        return _lookup_form(request, number=number.strip()[:40], message=message, status_code=429)
    if found.outcome != FOUND or found.complaint is None:
        message = _("The number and the code do not match. {count} tries left.").format(count=found.tries_left)
        return _lookup_form(request, number=number.strip()[:40], message=message, status_code=403)
    complaint = found.complaint
    centers, items = _catalog_names(request)
    center = next(
        ((name, zone) for code, name, zone in centers if code == complaint.center_code),
        (complaint.center_code, "Asia/Shanghai"),
    )
    zone = ZoneInfo(center[1])
    return page(
        request,
        "public/complaint.html",
        {
            "complaint": complaint,
            "center_name": center[0],
            "kinds": public_complaints.KIND_LABELS,
            "item_name": dict(items).get(complaint.item_code or "", complaint.item_code or ""),
            "received": complaint.received_at.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
            "replied": complaint.replied_at.astimezone(zone).strftime("%Y-%m-%d %H:%M") if complaint.replied_at else "",
        },
    )
