"""A version 2 push's head is read into plain dicts by PushHeadV2's own validators (a
model per event cost more than the rest of the head's reading), and a head they refuse is
read again by the model, so the 422 names the same places in the same words as before.
These tests hold the two readings together: every head below is accepted with the same
values, or refused with the same errors, as PushHeadV2 itself accepts or refuses it."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError

from windowdesk.hub.api import push_body
from windowdesk.hub.api.push_body import read_push_body
from windowdesk.hub.schemas import PushHeadV2
from windowdesk.sync.protocol import MAX_PUSH_BATCH, PUSH_V2_CONTENT_TYPE

EVENT_ID = "01a2530c-a0f1-732b-8841-7dac74379e70"
GOOD_EVENT: dict[str, Any] = {
    "event_id": EVENT_ID,
    "seq": 7,
    "entity": "case",
    "entity_id": "01a2530c-a0f0-761a-b923-3e27baa755db",
    "kind": "case.accepted",
    "created_at": "2026-12-08T00:27:46.288667+00:00",
    "payload_bytes": 2,
}


def _with(**changes: Any) -> dict[str, Any]:
    event = {**GOOD_EVENT, **changes}
    return {key: value for key, value in event.items() if value is not _ABSENT}


_ABSENT = object()

# Heads as JSON texts: every kind of field a window could get wrong, and some it gets right.
HEADS: dict[str, object] = {
    "good": {"events": [GOOD_EVENT]},
    "good-after": {"events": [GOOD_EVENT], "after": EVENT_ID},
    "after-null": {"events": [GOOD_EVENT], "after": None},
    "no-events": {"events": []},
    "extra-fields": {"events": [_with(newer="x")], "newer": 1},
    "naive-clock": {"events": [_with(created_at="2026-12-08T00:27:46")]},
    "other-zone": {"events": [_with(created_at="2026-12-08T08:27:46+08:00")]},
    "seq-as-text": {"events": [_with(seq="7")]},
    "seq-as-float": {"events": [_with(seq=7.0)]},
    "upper-case-id": {"events": [_with(event_id=EVENT_ID.upper())]},
    "not-an-object": [GOOD_EVENT],
    "text": "events",
    "events-missing": {"after": EVENT_ID},
    "events-not-a-list": {"events": {"0": GOOD_EVENT}},
    "event-not-an-object": {"events": [GOOD_EVENT, "x"]},
    "event-id-missing": {"events": [_with(event_id=_ABSENT)]},
    "event-id-not-a-uuid": {"events": [GOOD_EVENT, _with(event_id="not-a-uuid")]},
    "seq-negative": {"events": [_with(seq=-1)]},
    "seq-too-large": {"events": [_with(seq=2**63)]},
    "seq-fractional": {"events": [_with(seq=7.5)]},
    "seq-bool": {"events": [_with(seq=True)]},
    "entity-empty": {"events": [_with(entity="")]},
    "entity-too-long": {"events": [_with(entity="c" * 41)]},
    "entity-id-too-long": {"events": [_with(entity_id="1" * 65)]},
    "kind-not-text": {"events": [_with(kind=3)]},
    "kind-too-long": {"events": [_with(kind="k" * 41)]},
    "payload-bytes-too-small": {"events": [_with(payload_bytes=1)]},
    "payload-bytes-too-large": {"events": [_with(payload_bytes=4_000_001)]},
    "payload-bytes-missing": {"events": [_with(payload_bytes=_ABSENT)]},
    "clock-not-a-time": {"events": [_with(created_at="yesterday")]},
    "clock-missing": {"events": [_with(created_at=_ABSENT)]},
    "after-not-a-uuid": {"events": [GOOD_EVENT], "after": "0"},
    "too-many-events": {"events": [GOOD_EVENT] * (MAX_PUSH_BATCH + 1)},
    "several-wrong": {"events": [_with(seq=-1, kind=""), _with(event_id="x")], "after": 5},
}
NOT_JSON = {"not-json": b'{"events": [', "empty": b""}


def _body(head: bytes, payload_sizes: list[int]) -> bytes:
    return head + b"\n" + b"".join(b"{" + b" " * (size - 2) + b"}" for size in payload_sizes)


def _model_answer(head: bytes) -> tuple[str, Any]:
    """What the model makes of ``head``: its events' fields, or its errors as the 422 gives them."""
    try:
        model = PushHeadV2.model_validate_json(head)
    except ValidationError as error:
        return "refused", [
            {"type": e["type"], "loc": ("body", *e["loc"]), "msg": e["msg"]} for e in error.errors(include_url=False)
        ]
    return "read", (model.after, [event.model_dump(exclude={"payload_bytes"}) for event in model.events])


def _hub_answer(head: bytes, payload_sizes: list[int]) -> tuple[str, Any]:
    try:
        after, events = read_push_body(_body(head, payload_sizes), PUSH_V2_CONTENT_TYPE)
    except RequestValidationError as error:
        return "refused", list(error.errors())
    read = [
        {
            "event_id": e.event_id,
            "seq": e.seq,
            "entity": e.entity,
            "entity_id": e.entity_id,
            "kind": e.kind,
            "created_at": e.created_at,
        }
        for e in events
    ]
    return "read", (after, read)


def _sizes(head: object) -> list[int]:
    events = head.get("events") if isinstance(head, dict) else None
    if not isinstance(events, list):
        return []
    return [e["payload_bytes"] if isinstance(e, dict) and e.get("payload_bytes") == 2 else 2 for e in events]


@pytest.mark.parametrize("name", [*HEADS, *NOT_JSON])
def test_a_head_is_read_or_refused_as_the_model_reads_or_refuses_it(name: str) -> None:
    if name in NOT_JSON:
        head, sizes = NOT_JSON[name], []
    else:
        head, sizes = json.dumps(HEADS[name], ensure_ascii=False).encode(), _sizes(HEADS[name])
    expected = _model_answer(head)
    answer = _hub_answer(head, sizes)
    if expected[0] == "read":
        after, events = expected[1]
        # The hub keeps the client's clock in UTC (a naive one is taken as UTC).
        for event in events:
            clock = event["created_at"]
            event["created_at"] = clock if clock.tzinfo else clock.replace(tzinfo=dt.UTC)
        expected = ("read", (after, events))
    assert answer == expected


def test_the_heads_above_cover_both_answers() -> None:
    answers = {_model_answer(json.dumps(head).encode())[0] for head in HEADS.values()}
    assert answers == {"read", "refused"}


def test_a_well_formed_head_makes_no_model(monkeypatch: pytest.MonkeyPatch) -> None:
    """The model is only for a refused head's words (fails on main, which read every head with it)."""

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("a model made for a well-formed head")

    monkeypatch.setattr(push_body.PushHeadV2, "model_validate_json", refuse)
    head = json.dumps({"events": [GOOD_EVENT] * 3, "after": EVENT_ID}).encode()
    after, events = read_push_body(_body(head, [2, 2, 2]), PUSH_V2_CONTENT_TYPE)
    assert after == EVENT_ID and [e.seq for e in events] == [7, 7, 7]
