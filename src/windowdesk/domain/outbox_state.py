"""Where a window's outbox event stands (outbox.state): waiting to be pushed, confirmed by
the hub and kept a while (storage/sent_events.py), or refused by the hub and kept, with
its reason, for a supervisor to resolve (services/refusals.py)."""

from __future__ import annotations

from enum import StrEnum


class OutboxState(StrEnum):
    PENDING = "pending"
    REJECTED = "rejected"  # refused by the hub (protocol.REJECTED)
    # Confirmed by the hub (applied or duplicate), kept KEEP_SENT_DAYS (outbox.confirmed_at)
    # to be sent again should the hub be restored from a backup that lacks it.
    SENT = "sent"
