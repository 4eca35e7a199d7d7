"""A form's file for a window (表格下载, issue 30): the catalog a window pulls names each
form's SHA-256; the window fetches the files it lacks here, once, and prints them offline.
JSON with the bytes in base64, like every other answer of the sync API (a form is at most
10 MB, and a catalog changes rarely)."""

from __future__ import annotations

import base64
from typing import Annotated

from fastapi import APIRouter, Depends, Path
from pydantic import BaseModel

from windowdesk.hub.api.checks import check_versions, current_workstation, hub_database
from windowdesk.hub.api.errors import ErrorReportingRoute
from windowdesk.hub.api.sync_routes import ERRORS
from windowdesk.hub.errors import NotFound
from windowdesk.hub.services import catalog_forms
from windowdesk.hub.services.enrollment import WorkstationIdentity
from windowdesk.hub.storage.database import HubDatabase
from windowdesk.i18n import N_

router = APIRouter(
    route_class=ErrorReportingRoute,
    dependencies=[Depends(check_versions)],
    responses={**ERRORS, 404: ERRORS[400]},
    tags=["catalog"],
)


class FormFileReply(BaseModel):
    sha256: str
    media_type: str
    content_base64: str


@router.get("/forms/{sha256}", response_model=FormFileReply, summary="A catalog form's file, by its SHA-256")
def get_form_file(
    sha256: Annotated[str, Path(min_length=64, max_length=64, pattern="^[0-9a-f]{64}$")],
    _caller: Annotated[WorkstationIdentity, Depends(current_workstation)],
    db: Annotated[HubDatabase, Depends(hub_database)],
) -> FormFileReply:
    with db.read() as session:
        found = catalog_forms.stored_file(session, sha256)
    if found is None:
        raise NotFound(N_("The hub has no form file with this hash."))
    media_type, content = found
    return FormFileReply(sha256=sha256, media_type=media_type, content_base64=base64.b64encode(content).decode())
