"""A version 2 payload written as a window writes it (storage/db.compact_json) is parsed
once: its being byte for byte the compact encoding of what it says proves it holds no
repeated key. Any other text is parsed again with repeated keys refused, so a repeated key
is still never stored as sent (SQLite's JSON reads its first value, Python its last), and a
payload written otherwise (spaced, keys in another order, escaped) is still stored as
sent once checked. h29-hubread."""

from __future__ import annotations

import json
from typing import Any

import jiter
import pytest
from sqlalchemy import text

from windowdesk.hub.api import push_body
from windowdesk.hub.api.push_body import read_push_body
from windowdesk.storage.db import compact_json
from windowdesk.sync.protocol import PUSH_V2_CONTENT_TYPE

from .conftest import EventFactory, Hub
from .test_push_protocol_v2 import APPLIED, _stored, body_v2, results_v2


def _stored_text(hub: Hub, event_id: str) -> str:
    with hub.db.read() as session:
        return session.scalar(
            text("SELECT CAST(payload AS TEXT) FROM pushed_events WHERE event_id = :id"), {"id": event_id}
        )


def _center_read_by_the_database(hub: Hub, event_id: str) -> str:
    if hub.url.startswith("sqlite"):
        sql = "SELECT json_extract(payload, '$.center') FROM pushed_events WHERE event_id = :id"
    else:
        sql = "SELECT payload ->> 'center' FROM pushed_events WHERE event_id = :id"
    with hub.db.read() as session:
        return session.scalar(text(sql), {"id": event_id})


def test_a_compact_payload_with_a_repeated_key_is_not_stored_as_sent(hub: Hub, demo_catalog: None) -> None:
    """Written compact, like the window's own text, but with "center" twice: the text is not
    the encoding of what it says (that has the key once), so it is parsed again and the
    repeated key found; what is stored holds the key once, with the value Python reads."""
    window = hub.enroll("CH", "01")
    resident = EventFactory().resident()
    sent_texts: list[bytes] = []

    def encode(payload: dict[str, Any]) -> str:
        written = compact_json(payload).replace('{"id"', '{"center":"XX","id"', 1)
        sent_texts.append(written.encode())
        return written

    assert results_v2(hub, window, [resident], encode=encode) == [(APPLIED, "")]
    stored = _stored_text(hub, resident["event_id"])
    assert stored.encode() != sent_texts[0]
    assert json.loads(stored) == resident["payload"] and stored.count('"center"') == 1
    assert _center_read_by_the_database(hub, resident["event_id"]) == "CH"


@pytest.mark.parametrize(
    "encode",
    [
        json.dumps,  # spaced, Chinese escaped: how windows before protocol 2 wrote payloads
        lambda payload: json.dumps(payload, sort_keys=True, ensure_ascii=False),  # keys in another order
        lambda payload: json.dumps(payload, indent=2),  # over lines
    ],
    ids=["spaced-escaped", "sorted-keys", "indented"],
)
def test_a_payload_written_otherwise_is_stored_as_sent_once_checked(hub: Hub, demo_catalog: None, encode) -> None:
    window = hub.enroll("CH", "01")
    factory = EventFactory()
    resident = factory.resident(address="黑龙江省齐齐哈尔市龙沙区 3 号楼 2 单元")
    case = factory.case(resident["entity_id"], note="窗口核验无误。")
    assert [s for s, _ in results_v2(hub, window, [resident, case], encode=encode)] == [APPLIED, APPLIED]
    stored = _stored(hub)
    for event in (resident, case):
        assert stored[event["event_id"]][1] == event["payload"]
        if hub.url.startswith("sqlite"):  # the very bytes sent (PostgreSQL's JSONB keeps its own form)
            assert _stored_text(hub, event["event_id"]) == encode(event["payload"])


def _parses(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Whether each jiter parse the hub makes refuses repeated keys."""
    calls: list[bool] = []
    real = jiter.from_json

    def counted(data: bytes, **options: Any) -> Any:
        calls.append(bool(options.get("catch_duplicate_keys")))
        return real(data, **options)

    monkeypatch.setattr(push_body.jiter, "from_json", counted)
    return calls


def test_a_payload_as_the_window_writes_it_is_parsed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fails on main, which parsed every payload with the repeated-key check."""
    factory = EventFactory()
    resident = factory.resident(address="3 号楼")
    case = factory.case(resident["entity_id"])
    parses = _parses(monkeypatch)
    _after, events = read_push_body(body_v2([resident, case]), PUSH_V2_CONTENT_TYPE)
    assert parses == [False, False]
    assert [e.checked_json for e in events] == [compact_json(e["payload"]).encode() for e in (resident, case)]


def test_any_other_payload_is_parsed_again_refusing_repeated_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    resident = EventFactory().resident()
    parses = _parses(monkeypatch)
    _after, events = read_push_body(body_v2([resident], encode=json.dumps), PUSH_V2_CONTENT_TYPE)
    assert parses == [False, True]
    assert events[0].checked_json == json.dumps(resident["payload"]).encode()  # stored as sent

    parses.clear()
    repeated = compact_json(resident["payload"]).replace('{"id"', '{"center":"XX","id"', 1)
    _after, events = read_push_body(body_v2([resident], encode=lambda _p: repeated), PUSH_V2_CONTENT_TYPE)
    assert parses == [False, True]
    assert events[0].checked_json is None and events[0].payload == resident["payload"]  # Python's reading
