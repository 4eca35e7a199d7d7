"""The hub's tables for the public pages (the online service hall).

Imported at the end of ``hub.storage.models`` so that the schema (and the migration test
comparing it) always includes them.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from windowdesk.hub.storage.models import Base, Counter, UTCDateTime


class LookupFailure(Base):
    """One wrong query code typed on the public case page, counted against the case and
    against the address it came from (two rows). Kept in the database, not in a worker's
    memory, so every worker process of the hub counts the same tries; rows older than the
    counting window are deleted as new ones come."""

    __tablename__ = "lookup_failures"
    __table_args__ = (
        Index("ix_lookup_failures_scope_at", "scope", "failed_at"),
        Index("ix_lookup_failures_failed_at", "failed_at"),
    )
    seq: Mapped[int] = mapped_column(Counter, primary_key=True, autoincrement=True)
    # "case:<case number>" or "addr:<client address>"; an unknown case number counts too.
    scope: Mapped[str] = mapped_column(String(100))
    failed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
