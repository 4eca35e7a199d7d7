"""Booking a visit (预约): ``/book`` chooses the center, then the business, then a half-day
with room left, and takes the resident's name and phone (ID number optional) behind the
human check; ``/booking/<code>`` shows the booking, its code and the code's QR (what the
center's queue kiosk scans), and cancels it. ``/booking`` finds a booking by its code.

Choosing is done with plain GET forms (no script): each step reloads the page with the
choices so far in the address; only the booking and the cancelling are POSTs (CSRF)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from windowdesk.hub.errors import Conflict, NotFound
from windowdesk.hub.services import public_bookings
from windowdesk.hub.services.public_guides import current_catalog
from windowdesk.hub.web import human_check
from windowdesk.hub.web.csrf import require_csrf
from windowdesk.hub.web.public import router
from windowdesk.hub.web.public.common import database, page, utc_now
from windowdesk.hub.web.qr_svg import qr_data_uri
from windowdesk.hub.web.templating import page_language, translator

HALF_DAY_WORDS = public_bookings.HALF_DAY_LABELS  # msgids


def _names(request: Request) -> tuple[dict[str, str], dict[str, str]]:
    """Center names and item names by code, from the published catalog."""
    with database(request).read() as session:
        published = current_catalog(session)
    if published is None:
        return {}, {}
    return ({c.code: c.name for c in published.catalog.centers}, {i.code: i.name for i in published.catalog.items})


def _slot_value(slot: public_bookings.Slot) -> str:
    return f"{slot.day.isoformat()}.{slot.half_day}"


def _book_page(
    request: Request,
    *,
    center: str = "",
    item: str = "",
    chosen: str = "",
    name: str = "",
    phone: str = "",
    error: str = "",
    status_code: int = 200,
) -> HTMLResponse:
    db = database(request)
    centers, items = _names(request)
    offered = public_bookings.bookable_businesses(db, now=utc_now())
    center = center if center in offered else ""
    item = item if center and item in offered[center] else ""
    slots = public_bookings.open_slots(db, center_code=center, item_code=item, now=utc_now()) if item else []
    return page(
        request,
        "public/book.html",
        {
            "centers": sorted(((code, centers.get(code, code)) for code in offered), key=lambda pair: pair[0]),
            "businesses": sorted(
                ((code, items.get(code, code)) for code in offered.get(center, ())), key=lambda p: p[0]
            ),
            "center": center,
            "item": item,
            "slots": [(_slot_value(s), s) for s in slots],
            "chosen": chosen,
            "half_day_words": HALF_DAY_WORDS,
            "name": name,
            "phone": phone,
            "error": error,
            "human_check": human_check.new_challenge(request.app.state.settings),
        },
        status_code=status_code,
    )


@router.get("/book", response_class=HTMLResponse)
def book_form(request: Request, center: str = "", item: str = "") -> HTMLResponse:
    return _book_page(request, center=center[:8], item=item[:40])


@router.post("/book", response_class=HTMLResponse, dependencies=[Depends(require_csrf)])
def book(
    request: Request,
    center: Annotated[str, Form()] = "",
    item: Annotated[str, Form()] = "",
    slot: Annotated[str, Form()] = "",
    name: Annotated[str, Form()] = "",
    phone: Annotated[str, Form()] = "",
    id_number: Annotated[str, Form()] = "",
    human_token: Annotated[str, Form()] = "",
    human_answer: Annotated[str, Form()] = "",
) -> Response:
    _ = translator(request)
    again = {"center": center[:8], "item": item[:40], "chosen": slot[:20], "name": name[:30], "phone": phone[:20]}
    if not human_check.passes(request.app.state.settings, human_token, human_answer):
        return _book_page(
            request, **again, error=_("The sum under the form was not right; work out the new one."), status_code=422
        )
    day_text, _dot, half_day = slot.partition(".")
    try:
        day = dt.date.fromisoformat(day_text)
    except ValueError:
        return _book_page(request, **again, error=_("Please choose a half-day."), status_code=422)
    try:
        code = public_bookings.book(
            database(request),
            center_code=center,
            item_code=item,
            day=day,
            half_day=half_day,
            name=name,
            phone=phone,
            id_number=id_number,
            address=request.client.host if request.client else "",
            now=utc_now(),
        )
    except public_bookings.BookingRefused as refused:
        return _book_page(request, **again, error=_(refused.message), status_code=422)
    return RedirectResponse(f"/booking/{code}?booked=1", status_code=303)


@router.get("/booking", response_class=HTMLResponse)
def find_form(request: Request, code: str = "") -> Response:
    if code:
        return RedirectResponse(f"/booking/{public_bookings.normalize_code(code)}", status_code=303)
    return page(request, "public/booking_find.html", {"error": ""})


def _booking_page(
    request: Request, code: str, *, flash: str = "", error: str = "", status_code: int = 200
) -> HTMLResponse:
    booking = public_bookings.find_booking(database(request), code)
    if booking is None:
        _ = translator(request)
        return page(
            request, "public/booking_find.html", {"error": _("There is no booking with this code.")}, status_code=404
        )
    centers, items = _names(request)
    return page(
        request,
        "public/booking.html",
        {
            "booking": booking,
            "center_name": centers.get(booking.center_code, booking.center_code),
            "item_name": items.get(booking.item_code, booking.item_code),
            "half_day_words": HALF_DAY_WORDS,
            "qr": qr_data_uri(booking.code),
            "flash": flash,
            "error": error,
        },
        status_code=status_code,
    )


@router.get("/booking/{code}", response_class=HTMLResponse)
def booking_page(request: Request, code: str, booked: int = 0, cancelled: int = 0) -> HTMLResponse:
    _ = translator(request)
    flash = (
        _("Your visit is booked. Keep the booking code: the kiosk at the center takes it for your number.")
        if booked
        else _("The booking is cancelled.")
        if cancelled
        else ""
    )
    return _booking_page(request, code[:20], flash=flash)


@router.post("/booking/{code}/cancel", response_class=HTMLResponse, dependencies=[Depends(require_csrf)])
def cancel(request: Request, code: str) -> Response:
    try:
        booking = public_bookings.cancel(database(request), code=code[:20], now=utc_now())
    except (NotFound, Conflict) as refused:
        return _booking_page(request, code[:20], error=refused.worded(page_language(request))[1], status_code=409)
    return RedirectResponse(f"/booking/{booking.code}?cancelled=1", status_code=303)
