"""A push request's body read into the events the rules check, in either protocol version.

Version 1 is one JSON document: every payload is decoded with the rest, and the hub
encodes it again to store it. Version 2 (sync/protocol.py) puts the payloads after a
head that gives each one's length, so each is found without reading the others, decoded
once for the rules, and its bytes are stored as the window sent them, provided they say
exactly what the rules read. A strict parser settles that: one JSON object, UTF-8, no
repeated key (SQLite's JSON functions read a repeated key's first value, Python its
last), no NaN or infinity, no lone surrogate. A payload written as the window writes it
(compact, storage/db.compact_json) is parsed once, without the repeated-key check: that
its bytes are the compact encoding of what it says proves it has none; any other text is
parsed again with the check (_canonical). A payload it refuses is read as version 1
reads it (Python's parser) and then handled exactly as version 1 handles it (encoded by
the hub, or rejected as unstorable), so both versions answer an event the same way; one
that is not JSON at all, or a body whose lengths do not add up, is refused whole (422),
nothing of the batch stored.

The head is read into plain dicts by PushHeadV2's validators (a TypedDict; a model per
event cost more); a head they refuse is read again by the model, whose errors word the 422.

The reasons given name places and sizes, never what a payload holds (personal data).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import jiter
import pydantic_core
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from starlette.exceptions import HTTPException

from windowdesk.hub.api.json_body import parse_json
from windowdesk.hub.schemas import PUSH_HEAD_V2, PushHeadV2, PushHeadV2Fields, PushRequest
from windowdesk.hub.services.push_rules import IncomingEvent
from windowdesk.sync.protocol import PUSH_V2_CONTENT_TYPE, PUSH_V2_HEAD_END

# What version 1 refuses to store and version 2 must not store as sent: a NUL written as
# an escape (PostgreSQL's JSONB cannot hold it; a raw one is no JSON at all).
_ESCAPED_NUL = b"\\u0000"


def utc(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def read_push_body(raw: bytes, content_type: str) -> tuple[str | None, list[IncomingEvent]]:
    """The batch's "after" and its events, or RequestValidationError (422) with plain reasons.
    The body's Content-Type says its version: PUSH_V2_CONTENT_TYPE, else one JSON document
    (only a window that speaks protocol 2 sends the former, and only to a hub that serves it)."""
    if content_type.partition(";")[0].strip().lower() == PUSH_V2_CONTENT_TYPE:
        return _read_v2(raw)
    return _read_v1(raw)


def incoming_events(body: PushRequest) -> list[IncomingEvent]:
    """A version 1 push request's events as the rules read them."""
    return [
        IncomingEvent(
            event_id=event.event_id,
            seq=event.seq,
            entity=event.entity,
            entity_id=event.entity_id,
            kind=event.kind,
            payload=event.payload,
            created_at=utc(event.created_at),
        )
        for event in body.events
    ]


def _read_v1(raw: bytes) -> tuple[str | None, list[IncomingEvent]]:
    # As FastAPI read it when the route declared its body (its request's json(), then the model).
    try:
        decoded = parse_json(raw)
    except json.JSONDecodeError as error:
        raise RequestValidationError(
            [
                {
                    "type": "json_invalid",
                    "loc": ("body", error.pos),
                    "msg": "JSON decode error",
                    "ctx": {"error": error.msg},
                }
            ]
        ) from None
    except Exception as error:  # too deeply nested for the parser: as FastAPI answered it
        raise HTTPException(status_code=400, detail="There was an error parsing the body") from error
    try:
        body = PushRequest.model_validate(decoded)
    except ValidationError as error:
        raise _invalid_model(error) from None
    return body.after, incoming_events(body)


def _read_v2(raw: bytes) -> tuple[str | None, list[IncomingEvent]]:
    end = raw.find(PUSH_V2_HEAD_END)
    if end < 0:
        raise _invalid(("body",), "the head does not end (a version 2 push has a newline after its head)")
    head = _read_head(raw[:end])
    offset = end + len(PUSH_V2_HEAD_END)
    announced = sum(event["payload_bytes"] for event in head["events"])
    if offset + announced != len(raw):
        raise _invalid(
            ("body",),
            f"the head announces {announced} bytes of payloads and {len(raw) - offset} follow it "
            "(the body was cut short, or an event's payload_bytes is wrong)",
        )
    events = []
    for index, event in enumerate(head["events"]):
        size = event["payload_bytes"]
        sent = raw[offset : offset + size]
        offset += size
        payload, checked = _read_payload(sent, index)
        events.append(
            IncomingEvent(
                event_id=event["event_id"],
                seq=event["seq"],
                entity=event["entity"],
                entity_id=event["entity_id"],
                kind=event["kind"],
                payload=payload,
                created_at=utc(event["created_at"]),
                checked_json=checked,
            )
        )
    return head.get("after"), events


def _read_head(text: bytes) -> PushHeadV2Fields:
    """A version 2 push's head, by PushHeadV2's validators into plain dicts; a head they
    refuse is refused in the model's words (a dict's validator names a wrong type in other
    words than a model's), read again by the model for them."""
    try:
        return PUSH_HEAD_V2.validate_json(text)
    except ValidationError as refused:
        try:
            PushHeadV2.model_validate_json(text)
        except ValidationError as error:
            raise _invalid_model(error) from None
        raise _invalid_model(refused) from None  # both read the same fields and limits (a test holds them together)


def _read_payload(sent: bytes, index: int) -> tuple[dict[str, Any], bytes | None]:
    """The payload, and its bytes when they may be stored as they are."""
    checked: bytes | None = sent
    try:
        value = jiter.from_json(sent, allow_inf_nan=False)
        if not _canonical(value, sent):  # a repeated key may hide in it: parsed again, refusing one
            value = jiter.from_json(sent, allow_inf_nan=False, catch_duplicate_keys=True)
    except ValueError:
        checked = None  # not as the hub would store it: read and handled as version 1 does
        try:
            value = json.loads(sent)
        except (ValueError, RecursionError) as error:
            raise _invalid(
                ("events", index, "payload"),
                f"its {len(sent)} bytes are not one JSON document ({_where(error)}; "
                "or the event's payload_bytes does not give its length)",
            ) from None
    if not isinstance(value, dict):
        raise _invalid(("events", index, "payload"), "it is not a JSON object")
    if checked is not None and _ESCAPED_NUL in sent:
        checked = None
    return value, checked


def _canonical(value: object, sent: bytes) -> bool:
    """Whether ``sent`` is byte for byte the compact encoding of what it was parsed into, as
    a window writes its payloads (storage/db.compact_json: no spaces, non-ASCII as it is).
    Such a text holds no repeated key: the parsed objects' keys are each one once, and the
    encoding writes each once, where the text has them. Checking so costs less than the
    parser's own check of repeated keys (about 1 us of 6 for a case's 1.5 KB, h29-hubread
    in bench/README.md); a text written otherwise is parsed again with that check."""
    try:
        return pydantic_core.to_json(value) == sent
    except pydantic_core.PydanticSerializationError:
        return False


def _where(error: Exception) -> str:
    position = getattr(error, "pos", None)
    return f"at byte {position}" if isinstance(position, int) else "malformed"


def _invalid(loc: tuple[str | int, ...], message: str) -> RequestValidationError:
    return RequestValidationError([{"type": "value_error", "loc": loc, "msg": message, "input": None}])


def _invalid_model(error: ValidationError) -> RequestValidationError:
    # Without the input: a payload's or a field's value may hold personal data.
    return RequestValidationError(
        [{"type": e["type"], "loc": ("body", *e["loc"]), "msg": e["msg"]} for e in error.errors(include_url=False)]
    )
