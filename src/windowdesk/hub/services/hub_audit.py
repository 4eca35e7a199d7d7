"""The hub's own audit log: who changed what at the hub, and who read which personal pages.

Append-only (the services insert, nothing updates or deletes). ``actor`` names a person:
``console:<login>`` for the console, ``cli`` for the administrator's commands.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from windowdesk.hub.storage.models_console import HubAuditEntry

if TYPE_CHECKING:
    from windowdesk.hub.services.console_rights import ConsoleActor

MAX_DETAIL_TEXT = 500


def record(
    session: Session,
    *,
    actor: str,
    action: str,
    entity: str,
    entity_id: str,
    now: dt.datetime,
    detail: dict[str, Any] | None = None,
    address: str = "",
    note: str = "",
) -> HubAuditEntry:
    """Adds one entry in the caller's transaction (it is kept only if the change is)."""
    entry = HubAuditEntry(
        at=now,
        actor=actor[:80],
        action=action[:60],
        entity=entity[:40],
        entity_id=str(entity_id)[:80],
        detail=detail or {},
        address=address[:64],
        note=note[:MAX_DETAIL_TEXT],
    )
    session.add(entry)
    return entry


def console_action(
    session: Session,
    by: ConsoleActor,
    action: str,
    entity: str,
    entity_id: str,
    now: dt.datetime,
    address: str,
    **detail: object,
) -> None:
    """:func:`record` of what a signed-in console user did, by their audit name."""
    record(
        session,
        actor=by.audit_name,
        action=action,
        entity=entity,
        entity_id=entity_id,
        now=now,
        address=address,
        detail=detail,
    )


def entries_for(session: Session, *, entity: str, entity_id: str) -> list[HubAuditEntry]:
    rows = session.scalars(
        select(HubAuditEntry)
        .where(HubAuditEntry.entity == entity, HubAuditEntry.entity_id == entity_id)
        .order_by(HubAuditEntry.seq)
    )
    return list(rows)


def recent(session: Session, *, limit: int = 100, actor: str | None = None) -> list[HubAuditEntry]:
    query = select(HubAuditEntry).order_by(HubAuditEntry.seq.desc()).limit(limit)
    if actor is not None:
        query = query.where(HubAuditEntry.actor == actor)
    return list(session.scalars(query))
