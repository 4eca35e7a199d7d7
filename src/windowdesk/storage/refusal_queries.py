"""The changes the hub refused, and a supervisor's resolutions of them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection

from sqlalchemy import Select, exists, func, select
from sqlalchemy.orm import Session

from windowdesk.domain.outbox_state import OutboxState
from windowdesk.storage import models as m
from windowdesk.storage.sent_events import state_is

REFUSED = OutboxState.REJECTED  # the outbox state of an event the hub refused
# By ix_outbox_rejected, which holds only the refused rows (the word in the statement's text).
_IS_REFUSED = state_is(REFUSED)

_RESOLVED = exists().where(m.RefusalResolution.event_id == m.OutboxEvent.event_id)


def unresolved_refusal_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(m.OutboxEvent).where(_IS_REFUSED, ~_RESOLVED)) or 0


def unresolved_refused_record_ids(session: Session, *, entity: str) -> set[str]:
    """The records of ``entity`` with a change the hub refused that no supervisor resolved yet."""
    return set(
        session.scalars(select(m.OutboxEvent.entity_id).where(_IS_REFUSED, m.OutboxEvent.entity == entity, ~_RESOLVED))
    )


def refused_creations(session: Session, kind: str) -> set[str]:
    """The records whose creating event (``kind``, such as case.accepted) the hub refused,
    resolved or not: the hub does not have them, and never will under that event."""
    return set(session.scalars(select(m.OutboxEvent.entity_id).where(_IS_REFUSED, m.OutboxEvent.kind == kind)))


def _with_resolutions() -> Select[m.OutboxEvent, m.RefusalResolution]:
    """The refused events, oldest first, each with its resolution if a supervisor gave one."""
    return (
        select(m.OutboxEvent, m.RefusalResolution)
        .outerjoin(m.RefusalResolution, m.RefusalResolution.event_id == m.OutboxEvent.event_id)
        .where(_IS_REFUSED)
        .order_by(m.OutboxEvent.seq)
    )


def refused_events(
    session: Session, *, include_resolved: bool
) -> list[tuple[m.OutboxEvent, m.RefusalResolution | None]]:
    """Oldest first, each with its resolution if a supervisor gave one."""
    statement = _with_resolutions()
    if not include_resolved:
        statement = statement.where(m.RefusalResolution.event_id.is_(None))
    return [(event, resolution) for event, resolution in session.execute(statement)]


def refused_event(session: Session, event_id: str) -> m.OutboxEvent | None:
    return session.scalars(select(m.OutboxEvent).where(m.OutboxEvent.event_id == event_id, _IS_REFUSED)).one_or_none()


def refusals_of_records(
    session: Session, entity_ids: Collection[str]
) -> dict[str, list[tuple[m.OutboxEvent, m.RefusalResolution | None]]]:
    """Record id -> the changes to it the hub refused, oldest first (records without one absent)."""
    found: dict[str, list[tuple[m.OutboxEvent, m.RefusalResolution | None]]] = defaultdict(list)
    ids = sorted(set(entity_ids))
    for start in range(0, len(ids), 500):  # SQLite's limit on bound parameters
        statement = _with_resolutions().where(m.OutboxEvent.entity_id.in_(ids[start : start + 500]))
        for event, resolution in session.execute(statement):
            found[event.entity_id].append((event, resolution))
    return dict(found)
