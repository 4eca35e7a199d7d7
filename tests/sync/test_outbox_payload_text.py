"""The outbox keeps a payload as the text the hub stores (protocol 2 sends it as it is):
compact JSON, Chinese as it is; a lone surrogate, which no UTF-8 text can hold, escaped so
the event is still kept (the hub refuses it with a reason)."""

from __future__ import annotations

import datetime as dt

import pydantic_core

from windowdesk.domain.uuid7 import new_uuid
from windowdesk.storage import sync_queries
from windowdesk.storage.db import Database
from windowdesk.sync import outbox
from windowdesk.sync.protocol import EventKind


def _kept_text(db: Database, payload: dict) -> str | None:
    with db.write() as session:
        event = outbox.enqueue(
            session,
            entity="resident",
            entity_id=new_uuid(),
            kind=EventKind.RESIDENT_REGISTERED,
            payload=payload,
            now=dt.datetime.now(dt.UTC),
        )
        event_id = event.event_id
    with db.read() as session:
        rows = sync_queries.pending_outbox_rows(session, after_seq=0, limit=1000)
    return next(row.payload.decode() for row in rows if row.event_id == event_id)


def test_an_outbox_payload_is_kept_as_the_compact_text_the_hub_would_store(migrated_db: Database) -> None:
    payload = {"name": "王建国", "address": "龙沙区 3 号楼", "materials": [{"code": "M01", "copies": 1}], "note": None}
    text = _kept_text(migrated_db, payload)
    assert text == '{"name":"王建国","address":"龙沙区 3 号楼","materials":[{"code":"M01","copies":1}],"note":null}'
    # Byte for byte what the hub encodes from the same payload (protocol 1 stores that).
    assert text.encode() == pydantic_core.to_json(payload)


def test_a_payload_no_utf8_text_can_hold_is_kept_escaped(migrated_db: Database) -> None:
    text = _kept_text(migrated_db, {"address": "\ud83d", "name": "王"})
    assert text == '{"address":"\\ud83d","name":"\\u738b"}'
