"""The hub's generation (storage/models.HubIdentity): read by the sync routes, renewed
by a restore."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from windowdesk.hub.storage.models import HubIdentity


def current_generation(session: Session) -> str | None:
    return session.scalar(select(HubIdentity.generation).where(HubIdentity.id == 1))


def renew_generation(session: Session, now: dt.datetime) -> str:
    generation = str(uuid.uuid4())
    session.execute(delete(HubIdentity))
    session.execute(insert(HubIdentity).values(id=1, generation=generation, since=now))
    return generation
