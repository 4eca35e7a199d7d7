"""The hub's tables of how a case's result reaches the applicant (出件 / 送达).

Imported at the end of ``hub.storage.models``. Projections of what windows push, as the
other tables: personal data (the full address, the collector's name) stays in
``pushed_events.payload``; here the mode, the masked address, the waybill and whether
the ID was checked, what reports and the provincial record need.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from windowdesk.domain.delivery import DeliveryMode
from windowdesk.hub.storage.models import Base, TextEnum, UTCDateTime, Uuid


class CaseDelivery(Base):
    """How the applicant wants the result, as chosen at acceptance."""

    __tablename__ = "case_deliveries"
    case_id: Mapped[str] = mapped_column(Uuid, ForeignKey("cases.id"), primary_key=True)
    mode: Mapped[DeliveryMode] = mapped_column(TextEnum(DeliveryMode, 10))
    address_masked: Mapped[str] = mapped_column(String(40), default="")
    locker: Mapped[str] = mapped_column(String(60), default="")


class CaseHandover(Base):
    """How the result was handed over (the window's DELIVER step)."""

    __tablename__ = "case_handovers"
    case_id: Mapped[str] = mapped_column(Uuid, ForeignKey("cases.id"), primary_key=True)
    mode: Mapped[DeliveryMode] = mapped_column(TextEnum(DeliveryMode, 10))
    at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)  # the window's clock
    collector_id_masked: Mapped[str] = mapped_column(String(18), default="")
    by_agent: Mapped[bool] = mapped_column(Boolean, default=False)
    power_of_attorney: Mapped[str] = mapped_column(String(200), default="")
    read_from_card: Mapped[bool] = mapped_column(Boolean, default=False)
    waybill: Mapped[str] = mapped_column(String(20), default="")
