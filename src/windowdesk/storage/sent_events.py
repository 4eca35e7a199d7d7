"""Confirmed events, kept for a while after they leave the outbox (models.SentEvent).

A window deletes nothing the hub has not confirmed; once confirmed, an event moves here
in the same transaction, with its seq and event id, instead of being deleted. Should the
hub be restored from a backup that lacks it, it moves back into the outbox, pending,
and is sent again (the hub answers "duplicate" for what it still has). After
``KEEP_SENT_DAYS`` it is deleted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import cast

from sqlalchemy import Table, delete, func, insert, literal, select
from sqlalchemy.orm import Session

from windowdesk.domain.outbox_state import OutboxState
from windowdesk.storage import models as m

_COLUMNS = ("seq", "event_id", "entity", "entity_id", "kind", "payload", "created_at")
# Declared models' tables are Tables (SQLAlchemy types __table__ as any FromClause).
_OUTBOX = cast(Table, m.OutboxEvent.__table__)
_SENT = cast(Table, m.SentEvent.__table__)


def keep_confirmed(session: Session, event_ids: Sequence[str], now: dt.datetime) -> None:
    """The confirmed events leave the outbox for the kept ones; two statements for the
    whole batch (row by row through the ORM was half of a push's time on the window)."""
    if not event_ids:
        return
    confirmed = _OUTBOX.c.event_id.in_(list(event_ids))
    session.execute(
        insert(_SENT)
        .prefix_with("OR REPLACE")
        .from_select(
            [*_COLUMNS, "confirmed_at"],
            select(*(_OUTBOX.c[name] for name in _COLUMNS), literal(now, m.UTCDateTime())).where(confirmed),
        )
    )
    session.execute(delete(_OUTBOX).where(confirmed))


def send_again(session: Session) -> int:
    """Every kept event back into the outbox, pending, in its old place; how many."""
    count = session.scalar(select(func.count()).select_from(_SENT)) or 0
    if count:
        session.execute(
            insert(_OUTBOX)
            .prefix_with("OR IGNORE")
            .from_select(
                [*_COLUMNS, "attempts", "state", "last_error"],
                select(
                    *(_SENT.c[name] for name in _COLUMNS), literal(0), literal(OutboxState.PENDING.value), literal("")
                ),
            )
        )
        session.execute(delete(_SENT))
    return count


def forget_older_than(session: Session, cutoff: dt.datetime) -> None:
    session.execute(delete(_SENT).where(_SENT.c.confirmed_at < cutoff))
