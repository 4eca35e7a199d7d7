"""The back office's access to a case's scanned pages (staff token: its department)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import Response

from windowdesk.hub.api.blob_routes import page_store
from windowdesk.hub.api.checks import check_versions, current_staff, hub_database
from windowdesk.hub.api.errors import ErrorReportingRoute
from windowdesk.hub.api.sync_routes import ERRORS, utc_now
from windowdesk.hub.schemas import CasePageItem, CasePagesReply
from windowdesk.hub.services.case_pages import DEPARTMENT, PageActor, list_case_pages, read_case_page
from windowdesk.hub.services.enrollment import StaffIdentity
from windowdesk.hub.storage.database import HubDatabase
from windowdesk.hub.storage.page_store import PageStore

router = APIRouter(
    route_class=ErrorReportingRoute,
    dependencies=[Depends(check_versions)],
    responses={**ERRORS, 404: ERRORS[400]},
    tags=["back office"],
)

Staff = Annotated[StaffIdentity, Depends(current_staff)]
Database = Annotated[HubDatabase, Depends(hub_database)]
CaseId = Annotated[str, Path(min_length=1, max_length=36)]


def _actor(staff: StaffIdentity) -> PageActor:
    return PageActor(DEPARTMENT, staff.department_code)


@router.get(
    "/cases/{case_id}/pages",
    response_model=CasePagesReply,
    summary="The case's scanned pages, by material (for a department taking part in the case)",
)
def case_pages(case_id: CaseId, staff: Staff, db: Database) -> CasePagesReply:
    with db.read() as session:
        pages = list_case_pages(session, case_id=case_id, actor=_actor(staff))
    return CasePagesReply(case_id=case_id, pages=[CasePageItem(**page.__dict__) for page in pages])


@router.get(
    "/cases/{case_id}/pages/{page_id}", summary="One page's bytes; every reading is recorded", response_class=Response
)
def case_page(
    case_id: CaseId,
    page_id: Annotated[str, Path(min_length=1, max_length=36)],
    staff: Staff,
    db: Database,
    request: Request,
) -> Response:
    store: PageStore = page_store(request)
    page, data = db.run_write(
        lambda session: read_case_page(
            session, store, case_id=case_id, page_id=page_id, actor=_actor(staff), now=utc_now()
        )
    )
    return Response(data, media_type=page.mime, headers={"Cache-Control": "no-store"})
