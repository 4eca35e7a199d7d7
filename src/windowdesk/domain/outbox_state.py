"""Where a window's outbox event stands (outbox.state): waiting to be pushed, or refused by
the hub and kept, with its reason, for a supervisor to resolve (services/refusals.py)."""

from __future__ import annotations

from enum import StrEnum


class OutboxState(StrEnum):
    PENDING = "pending"
    REJECTED = "rejected"  # refused by the hub (protocol.REJECTED)
