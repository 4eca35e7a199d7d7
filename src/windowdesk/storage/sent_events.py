"""Confirmed events, kept in the outbox for a while after the hub confirmed them.

A window deletes nothing the hub has not confirmed; once confirmed, an event is marked
sent in its outbox row, with the time (state ``sent``, ``confirmed_at``), in the
transaction that records the hub's answer. Should the hub be restored from a backup that
lacks it, it is pending again and sent again (the hub answers "duplicate" for what it
still has). After ``KEEP_SENT_DAYS`` it is deleted.

Marked in place, not copied into a table of their own and deleted from the outbox: on
the encrypted file the copy and the delete (secure_delete zeroes what it deletes) were
half of the window's CPU in a push (bench/README.md, issue 29, winpush and outbox).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import ColumnElement, CursorResult, Table, delete, literal_column, update
from sqlalchemy.orm import Session

from windowdesk.domain.outbox_state import OutboxState
from windowdesk.storage import models as m

# Declared models' tables are Tables (SQLAlchemy types __table__ as any FromClause).
_OUTBOX = cast(Table, m.OutboxEvent.__table__)


def state_is(state: OutboxState) -> ColumnElement[bool]:
    """``state = 'pending'`` with the word in the statement's text, not bound: SQLite then
    reads the rows of that state by their partial index (models.OutboxEvent) without
    preparing the statement again for the value bound."""
    return _OUTBOX.c.state == literal_column(f"'{state.value}'")


PENDING = state_is(OutboxState.PENDING)
# The kept ones, read by ix_outbox_confirmed_at (whose rows are those with a time).
KEPT = _OUTBOX.c.confirmed_at.is_not(None) & state_is(OutboxState.SENT)


def keep_confirmed(session: Session, event_ids: Sequence[str], now: dt.datetime) -> None:
    """The confirmed events leave the pending ones: one statement for the whole batch,
    marking their rows sent where they are (no copy, no delete)."""
    if not event_ids:
        return
    session.execute(
        update(_OUTBOX)
        .where(_OUTBOX.c.event_id.in_(list(event_ids)), PENDING)
        .values(state=OutboxState.SENT, confirmed_at=now)
    )


def send_again(session: Session) -> int:
    """Every kept event pending again, in its old place; how many."""
    marked = session.execute(
        update(_OUTBOX).where(KEPT).values(state=OutboxState.PENDING, confirmed_at=None, attempts=0, last_error="")
    )
    return int(cast("CursorResult[Any]", marked).rowcount)


def forget_older_than(session: Session, cutoff: dt.datetime) -> None:
    """The kept events confirmed before ``cutoff`` deleted (found by ix_outbox_confirmed_at)."""
    session.execute(delete(_OUTBOX).where(_OUTBOX.c.confirmed_at < cutoff, KEPT))
