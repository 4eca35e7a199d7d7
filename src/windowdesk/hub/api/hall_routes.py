"""What a center's hall service reads from the hub (services/hall_link.py): its center's
bookings of a day, with its hall token."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.security import HTTPAuthorizationCredentials

from windowdesk.hub.api.checks import bearer, hub_database
from windowdesk.hub.api.errors import ErrorReportingRoute
from windowdesk.hub.api.limits import token_attempt
from windowdesk.hub.api.sync_routes import ERRORS
from windowdesk.hub.services import hall_link
from windowdesk.hub.storage.database import HubDatabase

router = APIRouter(route_class=ErrorReportingRoute, responses=ERRORS, tags=["hall"])


@router.get("/hall/bookings", summary="The bookings of a day at the hall's center")
def bookings_of_day(
    request: Request,
    db: Annotated[HubDatabase, Depends(hub_database)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    day: Annotated[dt.date, Query(description="The center's local day, e.g. 2026-12-07")],
) -> dict[str, Any]:
    with token_attempt(request), db.read() as session:
        center = hall_link.hall_center(session, credentials.credentials if credentials else None)
        return {
            "center": center,
            "day": day.isoformat(),
            "bookings": hall_link.day_bookings(session, center_code=center, day=day),
        }
