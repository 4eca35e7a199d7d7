"""The workstation's endpoints: health, enroll, whoami, push, changes."""

from __future__ import annotations

import collections
import datetime as dt
import logging
import time
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import JSONResponse

from windowdesk.hub.api.checks import check_versions, current_workstation, hub_database, hub_settings
from windowdesk.hub.api.errors import ErrorReportingRoute, request_language
from windowdesk.hub.api.limits import enrollment_attempt
from windowdesk.hub.api.push_body import read_push_body
from windowdesk.hub.api.push_gate import service_slot
from windowdesk.hub.schemas import (
    MAX_SEQ,
    ChangesReply,
    EnrollReply,
    EnrollRequest,
    ErrorBody,
    HealthReply,
    PushHeadV2,
    PushReply,
    PushRequest,
    PushResult,
    WhoAmIReply,
)
from windowdesk.hub.services.complaint_reply_relay import needs_feed
from windowdesk.hub.services.enrollment import WorkstationIdentity, enroll
from windowdesk.hub.services.feed import read_changes
from windowdesk.hub.services.figure_catchup import Catchup
from windowdesk.hub.services.push import PushOutcome, apply_push
from windowdesk.hub.services.push_order import in_order, is_stored, note_push_committed
from windowdesk.hub.services.push_rules import Pusher
from windowdesk.hub.settings import HubSettings
from windowdesk.hub.storage.database import HubDatabase
from windowdesk.hub.storage.generation import current_generation, hub_id
from windowdesk.sync.protocol import (
    APPLIED,
    DUPLICATE,
    HEADER_HUB_GENERATION,
    MAX_CHANGES_PAGE,
    PUSH_V2_CONTENT_TYPE,
    REJECTED,
    SUPPORTED_PROTOCOLS,
)

log = logging.getLogger("windowdesk.hub.push")

# FastAPI's type for a router's `responses`.
ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody} for status in (400, 401, 403, 409, 422, 426, 429, 500, 503)
}

Database = Annotated[HubDatabase, Depends(hub_database)]
Caller = Annotated[WorkstationIdentity, Depends(current_workstation)]
Settings = Annotated[HubSettings, Depends(hub_settings)]


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


health_router = APIRouter(route_class=ErrorReportingRoute, tags=["sync"])
router = APIRouter(
    route_class=ErrorReportingRoute, dependencies=[Depends(check_versions)], responses=ERRORS, tags=["sync"]
)


@health_router.get("/health", response_model=HealthReply, summary="Is the hub up, which protocols it serves")
def health(request: Request, response: Response, db: Database) -> HealthReply:
    _tell_generation(response, request, db)  # a window learns it before it pushes
    return HealthReply(status="ok", protocols=list(SUPPORTED_PROTOCOLS), server_time=utc_now())


@router.post("/enroll", response_model=EnrollReply, summary="Trade a one-time enrollment code for a workstation token")
def enroll_workstation(body: EnrollRequest, db: Database, request: Request) -> EnrollReply:
    with enrollment_attempt(request, body.code):
        enrolled = db.run_write(
            lambda session: enroll(
                session,
                code=body.code,
                client_version=body.client_version,
                installation_id=body.installation_id,
                now=utc_now(),
            )
        )
    with db.read() as session:
        this_hub = hub_id(session) or ""
    return EnrollReply(
        token=enrolled.token,
        workstation_id=enrolled.workstation_id,
        center_code=enrolled.center_code,
        window_code=enrolled.window_code,
        hub_id=this_hub,
    )


@router.get("/whoami", response_model=WhoAmIReply, summary="The workstation this token belongs to")
def whoami(caller: Caller) -> WhoAmIReply:
    return WhoAmIReply(
        workstation_id=caller.workstation_id, center_code=caller.center_code, window_code=caller.window_code
    )


def hub_generation(request: Request, db: HubDatabase) -> str | None:
    """Read once per process: it changes only by a restore, with the hub stopped."""
    generation = getattr(request.app.state, "generation", None)
    if generation is None:
        with db.read() as session:
            generation = current_generation(session)
        request.app.state.generation = generation
    return generation


def _tell_generation(response: Response, request: Request, db: HubDatabase) -> None:
    generation = hub_generation(request, db)
    if generation:
        response.headers[HEADER_HUB_GENERATION] = generation


# The body is read by push_body (either version), so it is described here for /openapi.json.
PUSH_BODY = {
    "required": True,
    "content": {
        "application/json": {"schema": {"$ref": "#/components/schemas/PushRequest"}},
        PUSH_V2_CONTENT_TYPE: {
            "schema": {
                "type": "string",
                "format": "binary",
                "description": "Protocol 2: a PushHeadV2 as JSON on one line, a newline, then each event's "
                "payload (a JSON object of payload_bytes bytes), one after the other",
            }
        },
    },
}
PUSH_BODY_MODELS = (PushRequest, PushHeadV2)  # for the description's schemas (app.py)


@router.post(
    "/push",
    response_model=PushReply,
    summary="Apply a batch of outbox events; one result per event",
    openapi_extra={"requestBody": PUSH_BODY},
)
async def push(caller: Caller, db: Database, settings: Settings, request: Request, response: Response) -> PushReply:
    # Async only so that a batch waiting for the one before holds no worker thread (see
    # push_order); its work runs in the thread pool like every other route's.
    pusher = Pusher(caller.workstation_id, caller.center_code, caller.window_id)
    after, events = read_push_body(await request.body(), request.headers.get("content-type", ""))
    language = request_language(request)  # for the reasons of rejected events
    figures: Catchup = request.app.state.figures

    def apply() -> list[PushOutcome] | None:
        if after is not None and not is_stored(db, after):
            for event in events:  # encoded while the batch before is applied, not after it
                event.stored_payload  # noqa: B018 - a cached property
            return None
        now = utc_now()
        figures.push_started()  # the figures' background catch-up gives this push the writer
        try:
            return db.run_write(
                lambda session: apply_push(session, pusher=pusher, events=events, now=now, language=language),
                feed=needs_feed(events),
            )
        finally:
            figures.push_ended()

    slot = service_slot(request.scope)
    started = time.perf_counter()
    outcomes = await in_order(
        apply,
        after=after,
        timeout=settings.push_order_wait,
        stepped_out=slot.stepped_out if slot is not None else None,
    )
    note_push_committed(outcome.event_id for outcome in outcomes)
    statuses = collections.Counter(outcome.status for outcome in outcomes)
    # One line per batch, ids and counts only: which window, how much, how long (waiting
    # for the batch before it included).
    log.info(
        "push from workstation %s: %d events, %d bytes, %d applied, %d duplicates, %d rejected, %.0f ms",
        caller.workstation_id,
        len(outcomes),
        int(request.headers.get("content-length") or 0),
        statuses[APPLIED],
        statuses[DUPLICATE],
        statuses[REJECTED],
        (time.perf_counter() - started) * 1000,
    )
    _tell_generation(response, request, db)
    return PushReply(
        results=[PushResult(event_id=o.event_id, status=o.status, reason=o.reason) for o in outcomes],
        in_flight=settings.push_in_flight,
    )


@router.get("/changes", response_model=ChangesReply, summary="Changes for this workstation's center after a cursor")
def changes(
    caller: Caller,
    db: Database,
    request: Request,
    # Bounded like every seq: a larger cursor is a malformed request (422), not a
    # database error.
    after: Annotated[int, Query(ge=0, le=MAX_SEQ, description="The last seq the client has applied")] = 0,
    limit: Annotated[
        int, Query(ge=1, le=MAX_SEQ, description=f"At most this many (capped at {MAX_CHANGES_PAGE})")
    ] = MAX_CHANGES_PAGE,
) -> JSONResponse:
    with db.read() as session:
        page = read_changes(session, center_code=caller.center_code, after=after, limit=limit)
    # Built as JSON directly: a page may hold 1,000 changes (a catalog among them), and
    # validating them again on the way out would double the cost of a pull.
    body = {
        "changes": [
            {
                "seq": seq,
                "kind": kind,
                "entity": entity,
                "entity_id": entity_id,
                "payload": payload,
                "created_at": created_at.isoformat(),
            }
            for seq, kind, entity, entity_id, payload, created_at in page.changes
        ],
        "next_cursor": page.next_cursor,
        "has_more": page.has_more,
    }
    response = JSONResponse(body)
    _tell_generation(response, request, db)
    return response
