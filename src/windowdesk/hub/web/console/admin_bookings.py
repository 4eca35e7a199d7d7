"""The administrators' bookings page: how many visits a center takes for a business on a
half-day (the places residents book on the public ``/book`` page), and how many are booked."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from windowdesk.hub.errors import InvalidInput
from windowdesk.hub.services import public_bookings
from windowdesk.hub.services.console_rights import ADMINISTRATOR, ConsoleActor, require_administrator
from windowdesk.hub.services.public_guides import current_catalog
from windowdesk.hub.web.console.admin_common import FLASHES, FORM_REFUSALS, flash, form_int, refusal
from windowdesk.hub.web.console.navigation import add_section
from windowdesk.hub.web.console.session import client_address, current_actor, hub_db, utc_now
from windowdesk.hub.web.console.sign_in import console_context
from windowdesk.hub.web.csrf import require_csrf
from windowdesk.hub.web.templating import render
from windowdesk.i18n import N_

router = APIRouter(prefix="/admin")
BOOKINGS = "/console/admin/bookings"
add_section(BOOKINGS, N_("Bookings"), ADMINISTRATOR)
FLASHES["capacity"] = N_("The number of places is saved; residents can book them now.")


def _page(
    request: Request, actor: ConsoleActor, center: str, *, error: str | None = None, status_code: int = 200
) -> Response:
    require_administrator(actor)
    now = utc_now()
    with hub_db(request).read() as session:
        published = current_catalog(session)
        centers = [(c.code, c.name) for c in published.catalog.centers] if published else []
        items = [(i.code, i.name) for i in published.catalog.items] if published else []
        center = center if any(code == center for code, _name in centers) else (centers[0][0] if centers else "")
        today = public_bookings.center_today(session, center, now) if center else now.date()
        slots = public_bookings.slots_of_center(session, by=actor, center_code=center, since=today) if center else []
    names = dict(items)
    return render(
        request,
        "console/admin/bookings.html",
        console_context(
            actor,
            centers=centers,
            items=items,
            center=center,
            today=today.isoformat(),
            slots=[
                {
                    "day": s.day.isoformat(),
                    "half_day": public_bookings.HALF_DAY_LABELS[s.half_day],
                    "item": f"{s.item_code} {names.get(s.item_code, '')}",
                    "capacity": s.capacity,
                    "booked": s.booked,
                }
                for s in slots
            ],
            flash=flash(request),
            error=error,
        ),
        status_code=status_code,
    )


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(N_("Choose the day (YYYY-MM-DD).")) from None


@router.get("/bookings")
def bookings_page(request: Request, center: str = "", actor: ConsoleActor = Depends(current_actor)) -> Response:
    return _page(request, actor, center[:8])


@router.post("/bookings", dependencies=[Depends(require_csrf)])
def set_capacity(
    request: Request,
    center: str = Form(""),
    item: str = Form(""),
    day: str = Form(""),
    last_day: str = Form(""),
    half_day: str = Form(""),
    capacity: str = Form(""),
    actor: ConsoleActor = Depends(current_actor),
) -> Response:
    try:
        first = _day(day)
        last = _day(last_day) if last_day.strip() else first
        places = form_int(capacity, -1, N_("number of places"))
        half_days = public_bookings.HALF_DAYS if half_day == "both" else (half_day,)
        with hub_db(request).write() as session:
            public_bookings.set_capacity_for_days(
                session,
                by=actor,
                center_code=center,
                item_code=item,
                first=first,
                last=last,
                half_days=half_days,
                capacity=places,
                now=utc_now(),
                address=client_address(request),
            )
    except FORM_REFUSALS as refused:
        return _page(request, actor, center[:8], error=refusal(request, refused), status_code=400)
    return RedirectResponse(f"{BOOKINGS}?center={center}&done=capacity", status_code=303)
