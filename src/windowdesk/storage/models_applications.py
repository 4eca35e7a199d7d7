"""Local table of the online applications (网上申报) the hub sent this window for its
pre-review (网上预审). One row per application of this window's center; the feed brings
its number, item and round (sync_apply), the sync then fetches what the resident typed
and the list of pages (services/application_fetch.py; the bytes go to the page store,
materials.db). The values stay in this (encrypted) database.

Imported at the end of ``storage.models`` so that every table is known wherever the
models are.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Date, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import JSON

from windowdesk.domain.online_application_status import ApplicationStatus
from windowdesk.storage.column_types import TextEnum
from windowdesk.storage.models import Base, UTCDateTime, Uuid


class OnlineApplication(Base):
    __tablename__ = "online_applications"
    __table_args__ = (Index("ix_online_applications_status_submitted", "status", "submitted_at"),)
    id: Mapped[str] = mapped_column(Uuid, primary_key=True)
    number: Mapped[str] = mapped_column(String(24), unique=True)
    item_code: Mapped[str] = mapped_column(String(16))
    # submitted (waiting for the pre-review) / accepted / returned (decided here) / ... /
    # closed (no longer waiting at the hub: decided at another window, or deleted)
    status: Mapped[ApplicationStatus] = mapped_column(TextEnum(ApplicationStatus, 12))
    round: Mapped[int] = mapped_column(Integer)
    submitted_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    # The round whose values and pages are here (0: none yet): shown only when = round.
    fetched_round: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    values: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # The form's labels as the hub published them: [{"code", "label", "label_en"}]
    labels: Mapped[list[Any]] = mapped_column(JSON, default=list)
    # [{"page_id", "material", "sha256"}] in the hub's order (material, position)
    pages: Mapped[list[Any]] = mapped_column(JSON, default=list)
    # The one-time list of the last return (this window's, or the hub's of an earlier round)
    returned: Mapped[list[Any]] = mapped_column(JSON, default=list)
    decided_by: Mapped[str | None] = mapped_column(Uuid, nullable=True)  # the operator here
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # 全程网办: the case the item's department accepted it as at the hub (the feed tells
    # the window; its number is the hub's, WB-<department>-<year>-<seq>). The window holds
    # no such case: it answers the resident with it instead of a fresh intake.
    case_number: Mapped[str | None] = mapped_column(String(40), nullable=True)
    case_department: Mapped[str | None] = mapped_column(String(8), nullable=True)
    case_promised_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
