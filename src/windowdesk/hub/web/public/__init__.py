"""The public pages for residents (the online service hall, 网上服务大厅), made first for a
phone's screen: service guides, following a case, rating it, booking a visit, complaining.

They read the database through the hub's public services only (services/public_*.py)
and never reach the sync or console APIs; ``serve --public-only`` serves them alone
(hub/app.py ``create_public_app``), for a separate process behind the city's proxy.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import RedirectResponse

router = APIRouter(include_in_schema=False)


@router.get("/")
def home() -> RedirectResponse:
    return RedirectResponse("/guides", status_code=303)


from windowdesk.hub.web.public import (  # noqa: E402,F401 - their routes join the router
    applications,
    bookings,
    cases,
    complaints,
    forms,
    guides,
    questions,
    text_size,
)
