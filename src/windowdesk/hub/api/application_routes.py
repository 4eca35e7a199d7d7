"""The back office's access to online applications (网上申报) of its items (staff token:
its department). Lists carry no personal data; opening one and reading a page are
recorded (hub/services/online_application_access.py)."""

from __future__ import annotations

from pathlib import Path as FolderPath
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel

from windowdesk.hub.api.checks import check_versions, current_staff, current_workstation, hub_database
from windowdesk.hub.api.errors import ErrorReportingRoute
from windowdesk.hub.api.sync_routes import ERRORS, utc_now
from windowdesk.hub.services import online_application_access as access
from windowdesk.hub.services.enrollment import StaffIdentity, WorkstationIdentity
from windowdesk.hub.services.online_applications import ApplicationView
from windowdesk.hub.storage.application_files import ApplicationFiles
from windowdesk.hub.storage.database import HubDatabase
from windowdesk.hub.storage.sealing import sealer_for
from windowdesk.imaging.page_image import STORED_MIME

router = APIRouter(
    route_class=ErrorReportingRoute,
    dependencies=[Depends(check_versions)],
    responses={**ERRORS, 404: ERRORS[400]},
    tags=["back office"],
)

Staff = Annotated[StaffIdentity, Depends(current_staff)]
Workstation = Annotated[WorkstationIdentity, Depends(current_workstation)]
Database = Annotated[HubDatabase, Depends(hub_database)]
ApplicationId = Annotated[str, Path(min_length=1, max_length=36)]


class ApplicationItem(BaseModel):
    id: str
    number: str
    item_code: str
    center_code: str
    status: str
    round: int
    submitted_at: str
    updated_at: str


class ApplicationPage(BaseModel):
    page_id: str
    material_code: str
    sha256: str


class ApplicationReply(ApplicationItem):
    values: dict[str, str]
    # The form's labels (the windows' endpoint only): [{"code", "label", "label_en"}]
    fields: list[dict[str, str]] = []
    returned: list[dict[str, str]]
    pages: list[ApplicationPage]


def _files(request: Request) -> ApplicationFiles:
    data_dir = FolderPath(request.app.state.settings.data_dir)
    return ApplicationFiles(data_dir, sealer_for(data_dir))


@router.get(
    "/applications",
    response_model=list[ApplicationItem],
    summary="The online applications of the department's items, newest change first",
)
def applications(
    staff: Staff, db: Database, status: Annotated[str | None, Query(max_length=12)] = None
) -> list[ApplicationItem]:
    found = access.list_for_department(db, department_code=staff.department_code, status=status)
    return [
        ApplicationItem(
            id=a.id,
            number=a.number,
            item_code=a.item_code,
            center_code=a.center_code,
            status=a.status,
            round=a.round,
            submitted_at=a.submitted_at.isoformat(),
            updated_at=a.updated_at.isoformat(),
        )
        for a in found
    ]


@router.get(
    "/applications/{application_id}",
    response_model=ApplicationReply,
    summary="One online application with what the resident typed; every opening is recorded",
)
def application(application_id: ApplicationId, staff: Staff, db: Database, request: Request) -> ApplicationReply:
    view = access.open_for_department(
        db, _files(request), application_id=application_id, department_code=staff.department_code, now=utc_now()
    )
    return ApplicationReply(
        id=view.id,
        number=view.number,
        item_code=view.item_code,
        center_code=view.center_code,
        status=view.status,
        round=view.round,
        submitted_at=view.submitted_at.isoformat(),
        updated_at=view.updated_at.isoformat(),
        values=view.values,
        returned=[{"material": r.material, "kind": r.kind, "text": r.text} for r in view.returned],
        pages=[ApplicationPage(page_id=p[0], material_code=p[1], sha256=p[2]) for p in view.page_list],
    )


def _reply(view: ApplicationView) -> ApplicationReply:
    return ApplicationReply(
        id=view.id,
        number=view.number,
        item_code=view.item_code,
        center_code=view.center_code,
        status=view.status,
        round=view.round,
        submitted_at=view.submitted_at.isoformat(),
        updated_at=view.updated_at.isoformat(),
        values=view.values,
        returned=[{"material": r.material, "kind": r.kind, "text": r.text} for r in view.returned],
        pages=[ApplicationPage(page_id=p[0], material_code=p[1], sha256=p[2]) for p in view.page_list],
    )


@router.get(
    "/applications/{application_id}/pages/{page_id}",
    response_class=Response,
    summary="One page's bytes (a grey JPEG); every reading is recorded",
)
def application_page(
    application_id: ApplicationId,
    page_id: Annotated[str, Path(min_length=1, max_length=36)],
    staff: Staff,
    db: Database,
    request: Request,
) -> Response:
    data = access.read_page_for_department(
        db,
        _files(request),
        application_id=application_id,
        page_id=page_id,
        department_code=staff.department_code,
        now=utc_now(),
    )
    return Response(data, media_type=STORED_MIME, headers={"Cache-Control": "no-store"})


# --- the chosen center's windows: their pre-review (网上预审) ------------------------


@router.get(
    "/window/applications",
    response_model=list[ApplicationItem],
    tags=["sync"],
    summary="The online applications of the workstation's center waiting for a pre-review, oldest first",
)
def center_applications(caller: Workstation, db: Database) -> list[ApplicationItem]:
    found = access.waiting_for_center(db, center_code=caller.center_code)
    return [
        ApplicationItem(
            id=a.id,
            number=a.number,
            item_code=a.item_code,
            center_code=a.center_code,
            status=a.status,
            round=a.round,
            submitted_at=a.submitted_at.isoformat(),
            updated_at=a.updated_at.isoformat(),
        )
        for a in found
    ]


@router.get(
    "/window/applications/{application_id}",
    response_model=ApplicationReply,
    tags=["sync"],
    summary="One online application of the workstation's center with what the resident typed; recorded",
)
def center_application(
    application_id: ApplicationId, caller: Workstation, db: Database, request: Request
) -> ApplicationReply:
    reply = _reply(
        access.open_for_workstation(
            db,
            _files(request),
            application_id=application_id,
            center_code=caller.center_code,
            workstation_id=caller.workstation_id,
            now=utc_now(),
        )
    )
    reply.fields = access.form_fields(db, item_code=reply.item_code)
    return reply


@router.get(
    "/window/applications/{application_id}/pages/{page_id}",
    response_class=Response,
    tags=["sync"],
    summary="One page's bytes of an application of the workstation's center; every reading is recorded",
)
def center_application_page(
    application_id: ApplicationId,
    page_id: Annotated[str, Path(min_length=1, max_length=36)],
    caller: Workstation,
    db: Database,
    request: Request,
) -> Response:
    data = access.read_page_for_workstation(
        db,
        _files(request),
        application_id=application_id,
        page_id=page_id,
        center_code=caller.center_code,
        workstation_id=caller.workstation_id,
        now=utc_now(),
    )
    return Response(data, media_type=STORED_MIME, headers={"Cache-Control": "no-store"})
