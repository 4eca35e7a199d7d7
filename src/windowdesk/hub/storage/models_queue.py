"""The hall queue's finished days, as windows carried them (issue 25)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Date, ForeignKey, Index
from sqlalchemy.orm import Mapped, mapped_column

from windowdesk.hub.storage.models import Base, CenterCode, Json, UTCDateTime, Uuid


class QueueDay(Base):
    """One center's finished queue day: the latest queue.day_figures event received for
    it replaces the row (any window of the center may carry the same day)."""

    __tablename__ = "queue_days"
    __table_args__ = (Index("ix_queue_days_day", "day"),)
    center_code: Mapped[str] = mapped_column(CenterCode, ForeignKey("centers.code"), primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)  # the hall's local date
    figures: Mapped[dict[str, Any]] = mapped_column(Json)  # {"total", "by_business", "by_window"}
    event_id: Mapped[str] = mapped_column(Uuid)
    workstation_id: Mapped[str] = mapped_column(Uuid)  # the window that carried it
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
