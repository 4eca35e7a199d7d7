"""The workstation's page endpoints: what the hub holds of a page, and one chunk of it.

No route here hands a page's bytes back: a window uploads pages, it never reads them
through the sync API (the back office reads a case's pages through case_page_routes)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Header, Path, Query, Request
from starlette.concurrency import run_in_threadpool

from windowdesk.hub.api.checks import check_versions, current_workstation, hub_database
from windowdesk.hub.api.errors import ErrorReportingRoute
from windowdesk.hub.api.sync_routes import ERRORS, utc_now
from windowdesk.hub.schemas import BlobReply
from windowdesk.hub.services.blobs import blob_state, receive_chunk
from windowdesk.hub.services.enrollment import WorkstationIdentity
from windowdesk.hub.storage.database import HubDatabase
from windowdesk.hub.storage.page_store import PageStore
from windowdesk.sync.protocol import HEADER_BLOB_SIZE, HEADER_CHUNK_SHA256, MAX_BLOB_BYTES

router = APIRouter(
    route_class=ErrorReportingRoute,
    dependencies=[Depends(check_versions)],
    responses={**ERRORS, 404: ERRORS[400], 413: ERRORS[400]},
    tags=["pages"],
)

Database = Annotated[HubDatabase, Depends(hub_database)]
Caller = Annotated[WorkstationIdentity, Depends(current_workstation)]
Sha256 = Annotated[str, Path(min_length=1, max_length=64, description="The page's SHA-256, lower-case hex")]


def page_store(request: Request) -> PageStore:
    return request.app.state.page_store


Store = Annotated[PageStore, Depends(page_store)]


def _reply(state) -> BlobReply:  # noqa: ANN001 - a protocol.BlobState
    return BlobReply(sha256=state.sha256, status=state.status, received=state.received)


@router.get("/blobs/{sha256}", response_model=BlobReply, summary="What the hub holds of a page (never its bytes)")
def get_blob(sha256: Sha256, _caller: Caller, db: Database, store: Store) -> BlobReply:
    return _reply(blob_state(db, store, sha256, now=utc_now()))


@router.put("/blobs/{sha256}", response_model=BlobReply, summary="One chunk of a page, at the offset the hub holds")
async def put_chunk(
    sha256: Sha256,
    request: Request,
    caller: Caller,
    db: Database,
    store: Store,
    offset: Annotated[int, Query(ge=0, le=MAX_BLOB_BYTES)],
    size: Annotated[int, Header(alias=HEADER_BLOB_SIZE, ge=1)],
    chunk_sha256: Annotated[str, Header(alias=HEADER_CHUNK_SHA256, min_length=64, max_length=64)],
) -> BlobReply:
    chunk = await request.body()  # at most a chunk: the request gate refuses more
    state = await run_in_threadpool(
        receive_chunk,
        db,
        store,
        sha256=sha256,
        offset=offset,
        size=size,
        chunk=chunk,
        chunk_sha256=chunk_sha256.lower(),
        workstation_id=caller.workstation_id,
        now=utc_now(),
    )
    return _reply(state)
