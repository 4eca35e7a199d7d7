"""The administrators' calendar page: the published years and the days set one by one; a
year published from a calendar file (``calendar-year``), a day set (``calendar-override``)."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import Response

from windowdesk.hub.errors import InvalidInput
from windowdesk.hub.services import city_publishing
from windowdesk.hub.services.console_rights import ConsoleActor
from windowdesk.hub.web.console.admin_common import CALENDAR, FORM_REFUSALS, city_clock, done, flash, form_int, refusal
from windowdesk.hub.web.console.session import client_address, current_actor, hub_db, utc_now
from windowdesk.hub.web.console.sign_in import console_context
from windowdesk.hub.web.csrf import require_csrf
from windowdesk.hub.web.templating import render
from windowdesk.i18n import N_

router = APIRouter(prefix="/admin")
OVERRIDES_SHOWN_SINCE = dt.timedelta(days=60)
CALENDAR_FILE = File(...)  # the uploaded calendar file (a required multipart field)


def _calendar_page(
    request: Request, actor: ConsoleActor, *, error: str | None = None, status_code: int = 200
) -> Response:
    now = utc_now()
    with hub_db(request).read() as session:
        state = city_publishing.calendar_state(session, by=actor, since=(now - OVERRIDES_SHOWN_SINCE).date())
        years = [
            {
                "year": y.year,
                "holidays": len(y.holidays),
                "makeup": len(y.makeup_workdays),
                "source": y.source,
                "published": city_clock(session, y.published_at),
            }
            for y in state.years
        ]
        days = [
            {
                "day": o.day.isoformat(),
                "working": o.is_working_day,
                "note": o.note,
                "published": city_clock(session, o.updated_at),
            }
            for o in state.overrides
        ]
        return render(
            request,
            "console/admin/calendar.html",
            console_context(actor, years=years, days=days, flash=flash(request), error=error),
            status_code=status_code,
        )


@router.get("/calendar")
def calendar_page(request: Request, actor: ConsoleActor = Depends(current_actor)) -> Response:
    return _calendar_page(request, actor)


@router.post("/calendar/year", dependencies=[Depends(require_csrf)])
def publish_year(
    request: Request,
    file: UploadFile = CALENDAR_FILE,
    year: str = Form(""),
    actor: ConsoleActor = Depends(current_actor),
) -> Response:
    try:
        chosen = form_int(year, 0, N_("year")) or None
        content = file.file.read(city_publishing.MAX_CALENDAR_FILE + 1)
        with hub_db(request).write(feed=True) as session:
            city_publishing.publish_calendar_year(
                session,
                by=actor,
                file_name=file.filename or "calendar.json",
                content=content,
                year=chosen,
                now=utc_now(),
                address=client_address(request),
            )
    except FORM_REFUSALS as refused:
        return _calendar_page(request, actor, error=refusal(request, refused), status_code=400)
    return done(CALENDAR, "year")


@router.post("/calendar/day", dependencies=[Depends(require_csrf)])
def publish_day(
    request: Request,
    day: str = Form(""),
    kind: str = Form(""),
    note: str = Form(""),
    actor: ConsoleActor = Depends(current_actor),
) -> Response:
    try:
        try:
            chosen = dt.date.fromisoformat(day.strip())
        except ValueError:
            raise InvalidInput(N_("Choose the day (YYYY-MM-DD).")) from None
        if kind not in ("working", "holiday"):
            raise InvalidInput(N_("Say whether the day is a working day or a holiday."))
        with hub_db(request).write(feed=True) as session:
            city_publishing.publish_calendar_day(
                session,
                by=actor,
                day=chosen,
                is_working_day=kind == "working",
                note=note,
                now=utc_now(),
                address=client_address(request),
            )
    except FORM_REFUSALS as refused:
        return _calendar_page(request, actor, error=refusal(request, refused), status_code=400)
    return done(CALENDAR, "day")
