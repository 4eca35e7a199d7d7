"""The back office's endpoint: a department records its decision on a case."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path

from windowdesk.hub.api.checks import check_versions, current_staff, hub_database
from windowdesk.hub.api.errors import ErrorReportingRoute
from windowdesk.hub.api.sync_routes import ERRORS, utc_now
from windowdesk.hub.errors import Forbidden
from windowdesk.hub.language import Text
from windowdesk.hub.schemas import DecisionReply, DecisionRequest
from windowdesk.hub.services.backoffice import find_case, record_decision
from windowdesk.hub.services.enrollment import StaffIdentity
from windowdesk.hub.storage.database import HubDatabase
from windowdesk.i18n import N_

router = APIRouter(
    route_class=ErrorReportingRoute,
    dependencies=[Depends(check_versions)],
    responses={**ERRORS, 404: ERRORS[400]},
    tags=["back office"],
)


@router.post(
    "/cases/{case_id}/decisions",
    response_model=DecisionReply,
    summary="Approve, reject or ask for more materials; the window learns it at its next sync",
)
def decide(
    case_id: Annotated[str, Path(min_length=1, max_length=36)],
    body: DecisionRequest,
    staff: Annotated[StaffIdentity, Depends(current_staff)],
    db: Annotated[HubDatabase, Depends(hub_database)],
) -> DecisionReply:
    if body.department != staff.department_code:
        raise Forbidden(
            Text(
                N_("This staff token belongs to department {own}; it cannot decide for department {other}."),
                own=staff.department_code,
                other=body.department,
            )
        )
    now = utc_now()

    def work(session):  # noqa: ANN001, ANN202 - a Session, the recorded decision
        case = find_case(session, case_id=case_id)
        return record_decision(
            session, case=case, decision=body.decision, department=body.department, note=body.note, now=now
        )

    recorded = db.run_write(work, feed=True)
    return DecisionReply(
        case_id=recorded.case_id,
        case_number=recorded.case_number,
        decision=recorded.decision,
        department=recorded.department,
        status=recorded.status,
        seq=recorded.seq,
        at=recorded.at,
    )
