"""What the hub stores of a pushed payload, and what it refuses to store (push_rules.stored_payload)."""

from __future__ import annotations

import json

import pytest

from windowdesk.hub.services.push_rules import stored_payload


@pytest.mark.parametrize(
    "payload",
    [
        {"name": "王建国", "materials": [{"code": "M01", "name": "居民户口簿", "status": "received"}]},
        {"note": "NaN and Infinity are only words here", "INFO": "N/A"},
        {"note": 'a "quoted" word, a back\\slash and a\nnew line', "amount_fen": 12345, "rate": 0.5},
        {"big": -1e300, "nested": {"list": [None, True, False, 0]}},
    ],
    ids=["chinese", "words", "escapes", "numbers"],
)
def test_storable_payloads_are_kept_as_their_json(payload: dict) -> None:
    stored = stored_payload(payload)
    assert stored is not None
    assert json.loads(stored.utf8) == payload
    assert stored.utf8.decode() == json.dumps(payload, ensure_ascii=False, separators=(",", ":"))


@pytest.mark.parametrize(
    "payload",
    [
        {"welfare_status": float("nan")},
        {"amount": float("inf")},
        {"nested": [{"amount": float("-inf")}]},
        {"address": "third floor\u0000"},
        {"name": "\ud83d"},
    ],
    ids=["nan", "infinity", "minus-infinity-nested", "nul", "lone-surrogate"],
)
def test_payloads_neither_database_can_store_are_refused(payload: dict) -> None:
    assert stored_payload(payload) is None
