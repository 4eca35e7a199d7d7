"""绩效考核 over HTTP: the performance report of a department's items, for its staff tokens
(the whole city's is the administrator's, `windowdesk-hub report`)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query

from windowdesk.hub.api.checks import check_versions, current_staff, hub_database
from windowdesk.hub.api.errors import ErrorReportingRoute
from windowdesk.hub.api.sync_routes import ERRORS
from windowdesk.hub.services.enrollment import StaffIdentity
from windowdesk.hub.services.figure_catchup import current_figures
from windowdesk.hub.services.reports import city_report, report_json
from windowdesk.hub.storage.database import HubDatabase

router = APIRouter(
    route_class=ErrorReportingRoute,
    dependencies=[Depends(check_versions)],
    responses=ERRORS,
    tags=["reports"],
)


@router.get("/reports/performance", summary="Cases, time limits, ratings and complaints for a period")
def performance(
    staff: Annotated[StaffIdentity, Depends(current_staff)],
    db: Annotated[HubDatabase, Depends(hub_database)],
    start: Annotated[dt.date, Query(alias="from", description="First local day, e.g. 2026-11-01")],
    end: Annotated[dt.date, Query(alias="to", description="Last local day (included)")],
    by: Annotated[Literal["window", "operator", "department", "center"], Query()] = "center",
    center: Annotated[str | None, Query(max_length=8, description="One center only")] = None,
) -> dict[str, Any]:
    # A department's token reads its department's rows only: the cases, decisions,
    # ratings and complaints of its items, whoever handled them.
    with current_figures(db) as session:  # the figures of every case pushed before
        return report_json(
            city_report(session, start=start, end=end, by=by, center=center, department=staff.department_code)
        )
