"""The client <-> hub protocol, versions 1 and 2: the names both ends agree on.

Plain Python on purpose: the hub builds its pydantic models from these constants and
the client parses replies with :func:`parse_push_reply` / :func:`parse_changes_page`,
turning anything malformed into a ProtocolError instead of a crash.

Every request carries:
    Authorization: Bearer <workstation token>      (not on /enroll and /health)
    X-Windowdesk-Protocol: 1
    X-Windowdesk-Client: windowdesk/<version>
    Accept-Language: zh-CN | en                    (the language the window shows; the hub
                                                    words error titles and messages and the
                                                    reasons of rejected events in it; English
                                                    without it)

Endpoints (JSON bodies, UTF-8):
    GET  /api/v1/health                  -> {"status": "ok", "protocols": [1], "server_time": iso}
    POST /api/v1/enroll   {"code", "client_version", "installation_id" (optional)}
                                         -> {"token", "workstation_id", "center_code", "window_code"}
    GET  /api/v1/whoami                  -> {"workstation_id", "center_code", "window_code"}
    POST /api/v1/push     {"events": [EVENT...], "after": event_id | absent}  (at most MAX_PUSH_BATCH)
                                         -> {"results": [{"event_id", "status", "reason"}...],
                                             "in_flight": n}
        EVENT = {"event_id": uuid, "seq": int (client outbox order), "entity", "entity_id",
                 "kind", "payload": {...}, "created_at": iso}
        status: "applied" | "duplicate" | "rejected" (reason in plain words, in the
                language of the request that first sent the event; a resend gets the
                same words)
        after: the last event of the batch the workstation sent before this one in the
               same sync. The hub applies the batch only once that event is stored,
               waiting up to PUSH_ORDER_WAIT seconds for it (the batch before may still
               be on its way or being applied), else answers 409 push_out_of_order and
               stores nothing. So a workstation may keep "in_flight" batches on the wire
               at once (a hub that does not say so: one) and they still apply in order.
               A hub serving from one process says 1, from several 2 (serve
               --push-in-flight).
    GET  /api/v1/changes?after=<cursor>&limit=<n>
                                         -> {"changes": [CHANGE...], "next_cursor": int, "has_more": bool}
        CHANGE = {"seq": int, "kind", "entity", "entity_id", "payload": {...}, "created_at": iso}
    POST /api/v1/cases/{case_id}/decisions   (back office, staff token)
        {"decision": "approve"|"reject"|"request_materials", "department", "note"}

Scanned pages (content-addressed blobs, beside the event stream; issue 24):
    GET  /api/v1/blobs/{sha256}          -> {"sha256", "status": "complete"|"partial"|"missing",
                                             "received": n}
        What the hub holds of the blob named by its SHA-256 (64 lower-case hex digits):
        "complete" once the whole file is stored and its hash checked; "partial" with the
        bytes received so far (the next PUT starts there); "missing". Never the bytes: a
        window uploads pages, it never reads them back through the sync API.
    PUT  /api/v1/blobs/{sha256}?offset=N  body: the chunk's bytes (application/octet-stream,
                                          at most MAX_CHUNK_BYTES)
        headers X-Windowdesk-Blob-Size: the whole blob's size (1..MAX_BLOB_BYTES)
                X-Windowdesk-Chunk-Sha256: SHA-256 of this chunk
                                         -> {"sha256", "status", "received": n}
        offset must be what the hub holds ("received"), else 409 blob_offset_mismatch with
        the hub's "received" in the error; a chunk whose bytes do not match its hash is
        refused 422 chunk_corrupt and nothing of it kept (the window sends it again). When
        the last byte arrives the hub hashes the whole file: only a match makes it
        "complete" (a mismatch: 422 blob_corrupt, the partial is dropped, the window starts
        again from 0). A blob the hub has already is answered "complete" at once, whoever
        sent it: the same page from two windows is stored once. A blob larger than
        MAX_BLOB_BYTES is refused 413. 503 hub_disk_full when the hub's page store would
        leave its disk with less than the room it keeps; nothing of the chunk is counted.
        Workstation token as for push.
    The pages' metadata travels as an ordinary event, case.pages (EVENT_CASE_PAGES below);
    a case reaches the hub at once, its pages follow.

Replies to health, push and changes carry X-Windowdesk-Hub-Generation (HEADER_HUB_GENERATION).

Version 2 differs from version 1 in the push body alone (every other request and every
reply is the same). A window speaks 2 once the hub's /health lists it, and 1 otherwise; a
hub that serves 2 still serves 1, for the windows not yet updated. A window speaking 2
says so in X-Windowdesk-Protocol on every request; its push body's Content-Type,
PUSH_V2_CONTENT_TYPE, says which body it is (a JSON body is read as version 1's):
    HEAD "\n" PAYLOAD PAYLOAD ...
    HEAD = {"events": [HEAD_EVENT...], "after": event_id | absent}  (JSON, UTF-8, on one line)
    HEAD_EVENT = EVENT without "payload", with "payload_bytes": n
    PAYLOAD = the event's payload, a JSON object in UTF-8, exactly payload_bytes long, in
              the order of "events", nothing between them and nothing after the last.
So the hub finds each payload without reading the others, checks it once with its rules
and stores the window's bytes as they are (a payload it would read differently from what
it stores, e.g. a repeated key, is read the version 1 way and stored as encoded by the hub).
A body whose sizes do not add up to its length, or a payload that is not one JSON object,
is refused whole (422 invalid_request), nothing of the batch stored.

Errors: a JSON body {"error": {"code", "title", "message"}} with 400/401/403/404/409/
422/426 (protocol or client version not served)/429/5xx. A push answered 503 hub_busy was
not read: the hub is writing other windows' pushes, and its error names the window's turn
("retry_after", seconds); the window sends the same batch again then.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

# Re-exported: the rest of the code names the kinds through the protocol.
from windowdesk.domain.event_kinds import ChangeKind as ChangeKind
from windowdesk.domain.event_kinds import EventKind as EventKind

PROTOCOL_VERSION = 2  # the newest this code speaks; a window falls back to the hub's
SUPPORTED_PROTOCOLS = (1, 2)
# The push body of version 2 (see above): its Content-Type, and the byte ending its head.
PUSH_V2_CONTENT_TYPE = "application/vnd.windowdesk.push-v2"
PUSH_V2_HEAD_END = b"\n"
HEADER_PROTOCOL = "X-Windowdesk-Protocol"
HEADER_CLIENT = "X-Windowdesk-Client"
# On the health, push and changes replies: the generation of the hub's database, new at
# every restore from a backup. A window that sees a new one sends again the events the hub had
# confirmed to it in the last KEEP_SENT_DAYS days (the restored copy may lack them).
HEADER_HUB_GENERATION = "X-Windowdesk-Hub-Generation"
# Every reply of the hub names its lasting identity (a random id made with its database);
# a window pins it at enrollment and syncs with no other hub.
HEADER_HUB_ID = "X-Windowdesk-Hub-Id"
KEEP_SENT_DAYS = 30
# The audit action of a window's supervisor resolving a change the hub refused; its detail
# names the refused event ("event_id"), the supervisor ("supervisor_name") and the note.
AUDIT_REFUSAL_RESOLVED = "sync.refusal_resolved"
API_PREFIX = "/api/v1"
MAX_PUSH_BATCH = 500
# The largest push body the hub reads (413 beyond it): four times the window's byte budget
# per batch (services/sync.PUSH_BYTES, 1 MB), which a batch exceeds only by its last event.
MAX_PUSH_BODY_BYTES = 4_000_000
# The largest body of any other request (an enrollment, a decision with its 2,000-character note).
MAX_SMALL_BODY_BYTES = 16_384
PUSH_IN_FLIGHT = 2  # the most batches a workstation keeps on the wire at once, ordered by "after"
PUSH_ORDER_WAIT = 10.0  # seconds the hub waits for a batch's "after" event to be stored
MAX_CHANGES_PAGE = 1000
# Scanned pages (blobs): the largest one page file may be, the largest chunk of one PUT, and
# the headers of a PUT (see the endpoints above).
MAX_BLOB_BYTES = 20_000_000
MAX_CHUNK_BYTES = 1_048_576
HEADER_BLOB_SIZE = "X-Windowdesk-Blob-Size"
HEADER_CHUNK_SHA256 = "X-Windowdesk-Chunk-Sha256"
BLOB_COMPLETE = "complete"
BLOB_PARTIAL = "partial"
BLOB_MISSING = "missing"
BLOB_STATUSES = (BLOB_COMPLETE, BLOB_PARTIAL, BLOB_MISSING)


class PushedEventStatus(StrEnum):
    """What the hub keeps of its answer to a pushed event (hub pushed_events.status): a
    duplicate is answered from the event kept, never stored itself."""

    APPLIED = "applied"
    REJECTED = "rejected"


# The push's answers, as words (the window reads them from JSON).
APPLIED = PushedEventStatus.APPLIED.value
DUPLICATE = "duplicate"
REJECTED = PushedEventStatus.REJECTED.value
PUSH_STATUSES = (APPLIED, DUPLICATE, REJECTED)


EVENT_KINDS: tuple[str, ...] = tuple(EventKind)


class EventEntity(StrEnum):
    """The records pushed events are about (an event's "entity"; the window's
    outbox.entity, the hub's pushed_events.entity): written here once. A StrEnum: a member
    is its name as it travels and as both databases store it."""

    RESIDENT = "resident"
    ORGANISATION = "organisation"
    CASE = "case"
    NOTIFICATION = "notification"
    REFUSAL = "refusal"
    AUDIT = "audit"
    RATING = "rating"
    FOLLOW_UP = "follow_up"
    INQUIRY = "inquiry"
    COMPLAINT = "complaint"
    RECTIFICATION = "rectification"
    RECEIPT = "receipt"
    RECEIPT_VOID = "receipt_void"
    DAY_CLOSE = "day_close"
    QUEUE_DAY = "queue_day"  # its entity id is "<center>:<day>", not a UUID
    APPLICATION = "application"


EVENT_ENTITIES: tuple[str, ...] = tuple(EventEntity)
EVENT_CASE_PAGES = EventKind.CASE_PAGES
EVENT_QUEUE_DAY_FIGURES = EventKind.QUEUE_DAY_FIGURES
EVENT_APPLICATION_DECIDED = EventKind.APPLICATION_DECIDED

# Kinds of changes the hub hands out in its feed, as words (ChangeKind, domain/event_kinds.py).
CHANGE_CATALOG = ChangeKind.CATALOG.value
CHANGE_CALENDAR = ChangeKind.CALENDAR.value
CHANGE_CALENDAR_YEAR = ChangeKind.CALENDAR_YEAR.value
CHANGE_OPERATOR = ChangeKind.OPERATOR.value
CHANGE_DECISION = ChangeKind.DECISION.value
CHANGE_NOTE = ChangeKind.NOTE.value
CHANGE_COMPLAINT_REPLY = ChangeKind.COMPLAINT_REPLY.value
CHANGE_FOLLOWUP_OUTCOME = ChangeKind.FOLLOWUP_OUTCOME.value
CHANGE_STATUS_PAGE = ChangeKind.STATUS_PAGE.value
CHANGE_WEB_RATING = ChangeKind.WEB_RATING.value
CHANGE_WEB_COMPLAINT = ChangeKind.WEB_COMPLAINT.value
CHANGE_CREDIT_KEY = ChangeKind.CREDIT_KEY.value
CHANGE_CREDIT_FLAG = ChangeKind.CREDIT_FLAG.value
CHANGE_VERIFICATION = ChangeKind.VERIFICATION.value
CHANGE_APPLICATION = ChangeKind.APPLICATION.value
CHANGE_KINDS: tuple[str, ...] = tuple(kind.value for kind in ChangeKind)

DECISIONS = ("approve", "reject", "request_materials")
# A "case.decision" change may also carry decision "suspend" (with "suspension_kind":
# hearing, inspection or expert_review) or "resume": the back office stopping the case's
# clock and starting it again (hub/services/clock_stops.py). Older windows apply them as
# steps of the hub with the status given.

# What each pushed event's payload must carry; the hub rejects an event missing one.
# (Added with the hub.) Payloads are those built in services/intake.py and applicants.py;
# "center" must be the workstation's own center, "window" a window id ("CH-01") of it,
# "applicant" {"kind": "resident"|"organisation", "id"}, times ISO 8601.
# case.status: entity "case", entity_id = the case id, payload {"action": a CaseAction
#   value, "at": iso (optional), "note" (optional), "case_id" (optional, = entity_id)};
#   anything else in it ("from", "to", "operator") is stored, not used.
# audit.entry: entity "audit", entity_id = the entry id, payload = the audit entry
#   {"id", "seq", "at", "operator_id", "workstation", "action", "entity", "entity_id",
#   "detail", "prev_hash", "hash"} (services/audit.py); "workstation" must be the
#   pusher's window id. The hub appends it to that workstation's hash chain.
EVENT_REQUIRED_FIELDS: dict[str, tuple[str, ...]] = {
    EventKind.RESIDENT_REGISTERED: ("id", "id_number", "name", "center"),
    EventKind.ORGANISATION_REGISTERED: ("id", "credit_code", "name", "center"),
    EventKind.CASE_ACCEPTED: ("id", "number", "center", "window", "item", "applicant", "accepted_at"),
    EventKind.NOTIFICATION_GIVEN: ("id", "number", "center", "window", "item", "applicant", "created_at"),
    EventKind.REFUSAL_GIVEN: (
        "id",
        "number",
        "center",
        "window",
        "item",
        "applicant",
        "created_at",
        "reason",
        "legal_basis",
    ),
    EventKind.CASE_STATUS: ("action",),
    # case.accepted may carry "query_code_hash" (domain.query_codes); a re-issue replaces it.
    EventKind.CASE_QUERY_CODE_REISSUED: ("id", "number", "center", "query_code_hash", "at"),
    EventKind.CASE_MATERIAL_ARRIVED: ("material", "arrived_at"),
    EventKind.AUDIT_ENTRY: (
        "id",
        "seq",
        "at",
        "workstation",
        "action",
        "entity",
        "entity_id",
        "prev_hash",
        "hash",
    ),
    EventKind.PAYMENT_RECEIVED: ("id", "number", "center", "window", "case_id", "amount_fen", "method", "paid_at"),
    EventKind.UTILITY_PAID: (
        "id",
        "number",
        "center",
        "window",
        "utility",
        "account_number",
        "amount_fen",
        "method",
        "paid_at",
    ),
    EventKind.PAYMENT_VOIDED: (
        "id",
        "number",
        "receipt_id",
        "receipt_number",
        "center",
        "window",
        "reason",
        "voided_at",
    ),
    EventKind.DAY_CLOSED: ("id", "center", "window", "day", "closed_at", "totals"),
    # Service quality; entity ids: the rating / follow-up / inquiry / complaint /
    # rectification id ("id" in the payload). Payloads are built in services/service_quality.py
    # and services/complaints.py.
    EventKind.RATING_GIVEN: ("id", "center", "window", "operator", "level", "rated_at"),
    EventKind.FOLLOWUP_CLOSED: ("id", "rating_id", "center", "outcome", "closed_at"),
    EventKind.INQUIRY_LOGGED: ("id", "center", "window", "operator", "owner", "question", "asked_at"),
    EventKind.INQUIRY_ANSWERED: ("id", "center", "answer", "answered_at"),
    EventKind.INQUIRY_HANDED_OVER: ("id", "center", "from", "to", "note", "at"),
    EventKind.COMPLAINT_RECEIVED: ("id", "number", "center", "window", "facts", "owner", "deadline", "received_at"),
    EventKind.COMPLAINT_REPLIED: ("id", "center", "reply", "replied_at"),
    EventKind.RECTIFICATION_SET: ("id", "complaint_id", "center", "task", "unit", "responsible", "deadline"),
    EventKind.RECTIFICATION_DONE: ("id", "complaint_id", "center", "done_at"),
    # case.pages: entity "case", entity_id = the case id; the material's full current,
    # ordered list of pages (an empty list: all deleted). The hub replaces the list of
    # (case, material) with it. Each page: {"page_id", "sha256", "size", "mime",
    # "rotation" (0/90/180/270), "checked_by" (an operator id or null), "checked_at"
    # (iso or null)}. The pages' bytes follow as blobs.
    EventKind.CASE_PAGES: ("case_id", "material_code", "pages"),
    # queue.day_figures: entity "queue_day", entity_id "<center>:<day>"; the hall's figures
    # of one finished day (hall/figures.py finished_day_figures): "total", "by_business"
    # {prefix: figures}, "by_window" {window code: figures}.
    EventKind.QUEUE_DAY_FIGURES: ("center", "day", "total", "by_business", "by_window"),
    # application.decided: entity "application", entity_id = the online application's id;
    # "decision" "accept" (for the visit: bring the originals) or "return" with "returned",
    # the one-time list [{"material": code or "", "kind": "missing"|"correction", "text"}];
    # "round": the round decided (a decision on an older round is refused).
    EventKind.APPLICATION_DECIDED: ("center", "decision", "round", "returned", "at"),
}

# Kinds the payments services push (fee receipts, utility payments, voids, day closes);
# the hub keeps them as received (hub/services/push_rules.kept_as_received).
PAYMENT_RECEIVED = EventKind.PAYMENT_RECEIVED
UTILITY_PAID = EventKind.UTILITY_PAID
PAYMENT_VOIDED = EventKind.PAYMENT_VOIDED
DAY_CLOSED = EventKind.DAY_CLOSED
PAYMENT_EVENT_KINDS = (PAYMENT_RECEIVED, UTILITY_PAID, PAYMENT_VOIDED, DAY_CLOSED)

# Payloads of the hub's changes (added with the hub); entity / entity_id in brackets:
#   catalog.published  [catalog / version]  {"version", "centers", "departments", "items"}:
#       the three documents of resources/catalog/, for domain.catalog.parse_catalog
#   calendar.override  [calendar / day]     {"day": "2026-10-08", "is_working_day", "note"}
#   operator.upsert    [operator / id]      {"id", "login", "display_name", "role",
#                                            "center_code", "active"} and, only when the
#       administrator set a password with this change, "password_hash" (a slow salted
#       hash, domain.passwords) and "must_change_password"; without them the client
#       keeps the password it has (an operator may have changed it at the window).
#   case.decision      [case / case id]     {"case_id", "case_number", "decision",
#                                            "department", "note", "status", "at"}
#   case.note          [case / case id]     {"case_id", "case_number", "department", "note", "at"}
#   case.decision on a parallel item's case also carries "part_status" (the deciding
#       department's part: pending / approved / rejected / needs_materials) and "parts"
#       ({department: part status} of every part after the decision)
#   complaint.reply    [complaint / id]     {"complaint_id", "number", "reply", "by", "at"}
#   followup.outcome   [follow_up / id]     {"follow_up_id", "rating_id", "outcome", "by", "at"}
#   rating.web         [rating / id]        {"id", "case_id", "case_number", "center", "window",
#                                            "operator", "item", "level", "aspects", "stage",
#                                            "round", "comment", "rated_at", "follow_up":
#                                            null | {"id", "owner", "deadline"}}
#   complaint.web      [complaint / id]     {"id", "number", "center", "kind" (complaint /
#                                            not_done), "phone", "about": {"window",
#                                            "operator", "item", "case_id"}, "facts",
#                                            "owner" (null: none), "deadline", "received_at"}
#   application.pending [application / id]  {"id", "number", "item", "center", "status",
#                                            "round", "submitted_at", "updated_at"}
# catalog.published and calendar.override are for every center, the others for one.

# Stable "code" values of the error body (added with the hub), for a client that wants
# to react to one (the "message" is already plain English for a person).
ERROR_VERSION_REFUSED = "version_refused"  # 426: protocol or client version not served
ERROR_UNAUTHORIZED = "unauthorized"  # 401: token missing, unknown or revoked
ERROR_REVOKED = "workstation_revoked"  # 401
ERROR_WRONG_CENTER = "wrong_center"  # 403: a pushed event names another center
ERROR_PUSH_OUT_OF_ORDER = "push_out_of_order"  # 409: the batch's "after" event is not stored
ERROR_HUB_DISK_FULL = "hub_disk_full"  # 503: the hub's database cannot grow; nothing was stored
ERROR_BLOB_OFFSET = "blob_offset_mismatch"  # 409: the chunk does not start where the hub's copy ends
ERROR_CHUNK_CORRUPT = "chunk_corrupt"  # 422: the chunk's bytes do not match its hash; send it again
ERROR_BLOB_CORRUPT = "blob_corrupt"  # 422: the whole file's hash is not its name; start again from 0
ERROR_BLOB_TOO_LARGE = "blob_too_large"  # 413
# 503: the hub is writing other windows' pushes; this one was not read. The error carries
# "retry_after" (seconds, a fraction) beside the Retry-After header (whole seconds): the
# window sends it again then, ahead of newcomers (hub/push_turns.py).
ERROR_HUB_BUSY = "hub_busy"


@dataclass(frozen=True)
class BlobState:
    sha256: str
    status: str
    received: int


def parse_blob_state(body: Any, sha256: str) -> BlobState:
    if _require(body, "sha256", str) != sha256:
        raise ProtocolError("the hub answered for another blob")
    status = _require(body, "status", str)
    if status not in BLOB_STATUSES:
        raise ProtocolError(f"unknown blob status {status!r}")
    received = _require(body, "received", int)
    if received < 0:
        raise ProtocolError("field 'received' is negative")
    return BlobState(sha256, status, received)


class ProtocolError(Exception):
    """A reply that does not follow this protocol (truncated, malformed, wrong types)."""


@dataclass(frozen=True)
class PushResult:
    event_id: str
    status: str
    reason: str


@dataclass(frozen=True)
class Change:
    seq: int
    kind: str
    entity: str
    entity_id: str
    payload: dict[str, Any]


@dataclass(frozen=True)
class ChangesPage:
    changes: tuple[Change, ...]
    next_cursor: int
    has_more: bool


@dataclass(frozen=True)
class EncodedPush:
    """A push request's events already encoded as its body (UTF-8): the client builds it
    straight from the outbox, whose payloads are stored as JSON text, so an end-of-day
    push does not decode and re-encode every payload. ``protocol``: the version of the
    body (1: one JSON document; 2: a head and the payloads as they are, see above)."""

    body: bytes
    event_ids: tuple[str, ...]
    protocol: int = 1


def push_body_v2(heads: list[bytes], payloads: list[bytes], after: str | None = None) -> bytes:
    """A version 2 push body: ``heads`` are the events as JSON objects without their payload
    and with their "payload_bytes" (compact JSON, UTF-8), ``payloads`` the payloads' bytes,
    in the same order. The head has no newline: JSON text escapes it inside strings."""
    head = b'{"after":' + json.dumps(after).encode() + b',"events":[' if after else b'{"events":['
    return b"".join((head, b",".join(heads), b"]}", PUSH_V2_HEAD_END, *payloads))


def _require(mapping: Any, key: str, kind: type | tuple[type, ...]) -> Any:
    if not isinstance(mapping, dict) or key not in mapping:
        raise ProtocolError(f"missing field {key!r}")
    value = mapping[key]
    if isinstance(value, bool) and kind is int:
        raise ProtocolError(f"field {key!r} has the wrong type")
    if not isinstance(value, kind):
        raise ProtocolError(f"field {key!r} has the wrong type")
    return value


@dataclass(frozen=True)
class PushAnswer:
    results: list[PushResult]
    in_flight: int  # batches the hub lets this workstation keep on the wire (1: no "after")


def parse_push_answer(body: Any, sent_ids: list[str]) -> PushAnswer:
    """The results, and how many batches may be in flight: at most PUSH_IN_FLIGHT,
    whatever the hub says; 1 from a hub that does not say."""
    results = parse_push_reply(body, sent_ids)
    in_flight = body.get("in_flight", 1)
    if isinstance(in_flight, bool) or not isinstance(in_flight, int) or in_flight < 1:
        raise ProtocolError("field 'in_flight' has the wrong type")
    return PushAnswer(results, min(in_flight, PUSH_IN_FLIGHT))


def parse_push_reply(body: Any, sent_ids: list[str]) -> list[PushResult]:
    """One result per sent event, in any order, none missing, none unknown."""
    results = _require(body, "results", list)
    parsed: dict[str, PushResult] = {}
    for entry in results:
        event_id = _require(entry, "event_id", str)
        status = _require(entry, "status", str)
        if status not in PUSH_STATUSES:
            raise ProtocolError(f"unknown push status {status!r}")
        reason = entry.get("reason") or ""
        if not isinstance(reason, str):
            raise ProtocolError("field 'reason' has the wrong type")
        parsed[event_id] = PushResult(event_id, status, reason)
    if set(parsed) != set(sent_ids):
        raise ProtocolError("the hub answered for other events than those sent")
    return [parsed[event_id] for event_id in sent_ids]


def parse_changes_page(body: Any, after: int) -> ChangesPage:
    raw = _require(body, "changes", list)
    next_cursor = _require(body, "next_cursor", int)
    has_more = _require(body, "has_more", bool)
    changes = []
    last = after
    for entry in raw:
        # The usual entry checked at once (a page holds up to 1,000: _require for each of
        # its five fields cost as much as the rest of the parse); anything else is checked
        # field by field, for the error that names the field.
        try:
            seq, kind, entity, entity_id, payload = (
                entry["seq"],
                entry["kind"],
                entry["entity"],
                entry["entity_id"],
                entry["payload"],
            )
            usual = (
                entry.__class__ is dict
                and seq.__class__ is int
                and kind.__class__ is str
                and entity.__class__ is str
                and entity_id.__class__ is str
                and payload.__class__ is dict
            )
        except (KeyError, TypeError, IndexError):
            usual = False
        if not usual:
            seq = _require(entry, "seq", int)
        if seq <= last:
            raise ProtocolError("changes are not in increasing order after the cursor")
        last = seq
        if not usual:
            kind = _require(entry, "kind", str)
            entity = _require(entry, "entity", str)
            entity_id = _require(entry, "entity_id", str)
            payload = _require(entry, "payload", dict)
        changes.append(Change(seq, kind, entity, entity_id, payload))
    if next_cursor < last or (not changes and next_cursor < after):
        raise ProtocolError("the cursor went backwards")
    if has_more and not changes and next_cursor == after:
        raise ProtocolError("more changes announced but none sent")
    return ChangesPage(tuple(changes), next_cursor, has_more)
