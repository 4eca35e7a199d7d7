"""The change feed: everything the hub owns or decides, numbered by one global sequence.

Appends happen only in transactions opened with ``HubDatabase.write(feed=True)``, which
serializes them (see storage.database): seq order is then commit order and a reader
that moves its cursor to the last seq it saw can never skip a change committed later.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row, func, insert, or_, select
from sqlalchemy.orm import Session

from windowdesk.hub.storage.database import FEED_TRANSACTION
from windowdesk.hub.storage.models import Change
from windowdesk.sync.protocol import MAX_CHANGES_PAGE

INSERT_CHANGE = insert(Change.__table__).returning(Change.__table__.c.seq)
# Plain rows, not ORM objects: a page is read, sent and forgotten.
PAGE_COLUMNS = (Change.seq, Change.kind, Change.entity, Change.entity_id, Change.payload, Change.created_at)


@dataclass(frozen=True)
class FeedPage:
    # seq, kind, entity, entity_id, payload, created_at
    changes: list[Row[int, str, str, str, dict[Any, Any], dt.datetime]]
    next_cursor: int
    has_more: bool


def append_change(
    session: Session,
    *,
    kind: str,
    entity: str,
    entity_id: str,
    center_code: str | None,
    payload: dict[str, Any],
    now: dt.datetime,
) -> int:
    """Add one change (center_code None: for every center); returns its seq. A kind outside
    the protocol's (ChangeKind) is refused by its column (``changes.kind``, a TextEnum):
    StatementError, nothing stored."""
    if not session.info.get(FEED_TRANSACTION):
        # Without the feed's serialization a reader could see this seq before a lower one.
        raise RuntimeError("append_change needs a transaction opened with write(feed=True)")
    seq: int = session.execute(
        INSERT_CHANGE,
        dict(kind=kind, entity=entity, entity_id=entity_id, center_code=center_code, payload=payload, created_at=now),
    ).scalar_one()
    return seq


def read_changes(session: Session, *, center_code: str, after: int, limit: int) -> FeedPage:
    """Changes for every center or for ``center_code`` with seq > after, ascending.

    Call it in one snapshot (``HubDatabase.read``): when the page is empty the cursor
    moves to the highest seq in that same snapshot, past other centers' changes, which
    this workstation will never be shown.
    """
    limit = max(1, min(limit, MAX_CHANGES_PAGE))
    rows = list(
        session.execute(
            select(*PAGE_COLUMNS)
            .where(Change.seq > after, or_(Change.center_code.is_(None), Change.center_code == center_code))
            .order_by(Change.seq)
            .limit(limit + 1)
        )
    )
    has_more = len(rows) > limit
    rows = rows[:limit]
    if rows:
        return FeedPage(rows, rows[-1].seq, has_more)
    highest = session.scalar(select(func.max(Change.seq))) or 0
    return FeedPage([], max(after, highest), False)
