"""Every change the hub must learn of becomes an outbox row in the same transaction."""

from __future__ import annotations

import datetime as dt
from typing import Any

from windowdesk.domain.event_kinds import EventKind
from windowdesk.domain.outbox_state import OutboxState
from windowdesk.domain.uuid7 import new_uuid
from windowdesk.storage.db import Session
from windowdesk.storage.models import OutboxEvent


def enqueue(
    session: Session,
    *,
    entity: str,
    entity_id: str,
    kind: EventKind,
    payload: dict[str, Any],
    now: dt.datetime,
) -> OutboxEvent:
    """Add one event to the caller's open write transaction; the event id is the
    idempotency key the hub uses to answer "duplicate" on a resend."""
    event = OutboxEvent(
        event_id=new_uuid(),
        entity=entity,
        entity_id=entity_id,
        kind=kind,
        payload=payload,
        created_at=now,
        attempts=0,
        state=OutboxState.PENDING,
        last_error="",
    )
    session.add(event)
    return event
