"""Every request and reply body of the hub's HTTP API (pydantic 2), so /openapi.json
describes the whole protocol. Names and limits come from windowdesk.sync.protocol.

Requests forbid unknown fields where a typo would silently lose data (decisions) and
allow them where a newer client may add some (events, enrollment).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal, NotRequired

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter
from typing_extensions import TypedDict  # pydantic reads only this one on Python 3.11

from windowdesk.sync.protocol import (
    APPLIED,
    DECISIONS,
    DUPLICATE,
    MAX_PUSH_BATCH,
    MAX_PUSH_BODY_BYTES,
    PUSH_IN_FLIGHT,
    REJECTED,
)

UUID_PATTERN = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"

DecisionName = Literal[DECISIONS]  # type: ignore[valid-type]
PushStatus = Literal[APPLIED, DUPLICATE, REJECTED]  # type: ignore[valid-type]


class ErrorDetail(BaseModel):
    code: str = Field(description="Stable machine-readable code, e.g. version_refused")
    title: str = Field(description="A short title for a dialog")
    message: str = Field(description="Plain words for the person at the window")
    retry_after: float | None = Field(
        default=None,
        description="Only in a 503 hub_busy answer to a push: seconds until this window's turn; send the same "
        "batch again then (the Retry-After header has it in whole seconds)",
    )


class ErrorBody(BaseModel):
    error: ErrorDetail


class HealthReply(BaseModel):
    status: Literal["ok"]
    protocols: list[int]
    server_time: dt.datetime


class BlobReply(BaseModel):
    sha256: str
    status: Literal["complete", "partial", "missing"]
    received: int


class CasePageItem(BaseModel):
    material_code: str
    position: int
    page_id: str
    sha256: str
    size: int
    mime: str
    rotation: int
    checked_by: str | None
    checked_at: str | None
    stored: bool


class CasePagesReply(BaseModel):
    case_id: str
    pages: list[CasePageItem]


class EnrollRequest(BaseModel):
    code: str = Field(min_length=1, max_length=64, description="The one-time enrollment code")
    client_version: str = Field(default="", max_length=40)
    installation_id: str | None = Field(
        default=None,
        min_length=16,
        max_length=64,
        description="A random id the workstation keeps: asking again with the same code and id after a lost "
        "answer is answered again (with a new token) instead of refused",
    )


class EnrollReply(BaseModel):
    token: str = Field(description="The workstation token: keep it in the keyring, it is shown once")
    workstation_id: str
    center_code: str
    window_code: str
    hub_id: str = Field(default="", description="The hub's lasting identity, which the window pins")


class WhoAmIReply(BaseModel):
    workstation_id: str
    center_code: str
    window_code: str


# The largest seq, cursor or count either database holds (a signed 64-bit integer).
MAX_SEQ = 2**63 - 1


class _PushEventKeys(BaseModel):
    """What a pushed event says of itself in either protocol version (its payload apart)."""

    event_id: str = Field(pattern=UUID_PATTERN, description="The idempotency key")
    seq: int = Field(ge=0, le=MAX_SEQ, description="The client's outbox order")
    entity: str = Field(min_length=1, max_length=40)
    entity_id: str = Field(min_length=1, max_length=64)
    kind: str = Field(min_length=1, max_length=40)


class PushEvent(_PushEventKeys):
    payload: dict[str, Any]
    created_at: dt.datetime = Field(description="The client's clock; stored, never trusted")


class PushRequest(BaseModel):
    events: list[PushEvent] = Field(max_length=MAX_PUSH_BATCH)
    after: str | None = Field(
        default=None,
        pattern=UUID_PATTERN,
        description="The last event of the batch sent just before this one: this batch is applied only after it",
    )


class PushEventHead(_PushEventKeys):
    """A version 2 push's event without its payload, which follows the head (sync/protocol.py)."""

    payload_bytes: int = Field(ge=2, le=MAX_PUSH_BODY_BYTES, description="The length of its payload after the head")
    created_at: dt.datetime = Field(description="The client's clock; stored, never trusted")


class PushHeadV2(BaseModel):
    """The head of a version 2 push body: the events in order, their payloads after it."""

    events: list[PushEventHead] = Field(max_length=MAX_PUSH_BATCH)
    after: str | None = Field(
        default=None,
        pattern=UUID_PATTERN,
        description="The last event of the batch sent just before this one: this batch is applied only after it",
    )


class _PushEventHeadFields(TypedDict):
    """PushEventHead's fields with its limits, as a plain dict: what the hub reads a head's
    events into (pydantic makes a dict for a fraction of a model's cost)."""

    event_id: Annotated[str, Field(pattern=UUID_PATTERN)]
    seq: Annotated[int, Field(ge=0, le=MAX_SEQ)]
    entity: Annotated[str, Field(min_length=1, max_length=40)]
    entity_id: Annotated[str, Field(min_length=1, max_length=64)]
    kind: Annotated[str, Field(min_length=1, max_length=40)]
    payload_bytes: Annotated[int, Field(ge=2, le=MAX_PUSH_BODY_BYTES)]
    created_at: dt.datetime


class PushHeadV2Fields(TypedDict):
    """PushHeadV2 as plain dicts ("after" absent when not sent)."""

    events: Annotated[list[_PushEventHeadFields], Field(max_length=MAX_PUSH_BATCH)]
    after: NotRequired[Annotated[str | None, Field(pattern=UUID_PATTERN)]]


# The head of each version 2 push, read by the same validators as PushHeadV2 (which stays
# the documented model, and words the refusals: push_body.py reads a refused head again
# with it, so a malformed head is refused in the model's words).
PUSH_HEAD_V2 = TypeAdapter(PushHeadV2Fields)


class PushResult(BaseModel):
    event_id: str
    status: PushStatus
    reason: str = ""


class PushReply(BaseModel):
    results: list[PushResult]
    in_flight: int = Field(
        default=PUSH_IN_FLIGHT,
        description='How many batches a workstation may have on the wire at once, each naming the one before as "after" '
        "(1 from a hub serving from one process, 2 from several)",
    )


class ChangeItem(BaseModel):
    seq: int
    kind: str
    entity: str
    entity_id: str
    payload: dict[str, Any]
    created_at: dt.datetime


class ChangesReply(BaseModel):
    changes: list[ChangeItem]
    next_cursor: int
    has_more: bool


class DecisionRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    decision: DecisionName
    department: str = Field(min_length=1, max_length=8)
    note: str = Field(default="", max_length=2000)


class DecisionReply(BaseModel):
    case_id: str
    case_number: str
    decision: DecisionName
    department: str
    status: str = Field(description="The case's status after the decision")
    seq: int = Field(description="The change that carries the decision to the window")
    at: dt.datetime
