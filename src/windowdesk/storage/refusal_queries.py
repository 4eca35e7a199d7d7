"""The changes the hub refused, and a supervisor's resolutions of them."""

from __future__ import annotations

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from windowdesk.storage import models as m

REFUSED = "rejected"  # the outbox state of an event the hub refused

_RESOLVED = exists().where(m.RefusalResolution.event_id == m.OutboxEvent.event_id)


def unresolved_refusal_count(session: Session) -> int:
    return session.scalar(
        select(func.count()).select_from(m.OutboxEvent).where(m.OutboxEvent.state == REFUSED, ~_RESOLVED)
    ) or 0


def refused_events(
    session: Session, *, include_resolved: bool
) -> list[tuple[m.OutboxEvent, m.RefusalResolution | None]]:
    """Oldest first, each with its resolution if a supervisor gave one."""
    statement = (
        select(m.OutboxEvent, m.RefusalResolution)
        .outerjoin(m.RefusalResolution, m.RefusalResolution.event_id == m.OutboxEvent.event_id)
        .where(m.OutboxEvent.state == REFUSED)
        .order_by(m.OutboxEvent.seq)
    )
    if not include_resolved:
        statement = statement.where(m.RefusalResolution.event_id.is_(None))
    return [(event, resolution) for event, resolution in session.execute(statement)]


def refused_event(session: Session, event_id: str) -> m.OutboxEvent | None:
    return session.scalars(
        select(m.OutboxEvent).where(m.OutboxEvent.event_id == event_id, m.OutboxEvent.state == REFUSED)
    ).one_or_none()
