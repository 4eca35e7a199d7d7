"""The hub's generation (storage/models.HubIdentity): read by the sync routes, renewed
by a restore; and its lasting id (HubKey), which a restore keeps."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from windowdesk.hub.storage.models import HubIdentity, HubKey


def hub_id(session: Session) -> str | None:
    """The hub's lasting identity (it does not change with a restore, unlike the generation)."""
    return session.scalar(select(HubKey.hub_id).where(HubKey.id == 1))


def ensure_hub_id(session: Session) -> str:
    """The hub's id, made now if its database has none (the migration makes it; a database
    emptied table by table, as the tests do on PostgreSQL, would lack it)."""
    found = hub_id(session)
    if found:
        return found
    made = str(uuid.uuid4())
    session.execute(insert(HubKey).values(id=1, hub_id=made))
    return made


def current_generation(session: Session) -> str | None:
    return session.scalar(select(HubIdentity.generation).where(HubIdentity.id == 1))


def renew_generation(session: Session, now: dt.datetime) -> str:
    generation = str(uuid.uuid4())
    session.execute(delete(HubIdentity))
    session.execute(insert(HubIdentity).values(id=1, generation=generation, since=now))
    return generation
