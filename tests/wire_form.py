"""An outbox event as the push protocol carries it, from the row's Python values: what the
tests expect on the wire (the window itself writes its batches from the stored columns,
services/sync.py's _head_text, and a test holds the two equal byte for byte)."""

from __future__ import annotations

from windowdesk.storage import models as m


def wire_head(event: m.OutboxEvent) -> dict:
    """All but the payload."""
    return {
        "event_id": event.event_id,
        "seq": event.seq,
        "entity": event.entity,
        "entity_id": event.entity_id,
        "kind": event.kind,
        "created_at": event.created_at.isoformat(),
    }


def wire(event: m.OutboxEvent) -> dict:
    return {**wire_head(event), "payload": event.payload}
