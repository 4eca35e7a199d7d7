"""Local table of how a case's result reaches the applicant (出件 / 送达): the way chosen
at acceptance, then the handover (who collected it and how their ID was checked, the
waybill, or the locker's code). One row per case accepted since the choice existed.

Imported at the end of ``storage.models`` so that every table is known wherever the
models are. The address stays in this (encrypted) database; what leaves it masked is
said where it leaves.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from windowdesk.domain.delivery import DeliveryMode
from windowdesk.storage.column_types import TextEnum
from windowdesk.storage.models import Base, UTCDateTime, Uuid


class CaseDelivery(Base):
    __tablename__ = "case_deliveries"
    case_id: Mapped[str] = mapped_column(Uuid, ForeignKey("cases.id"), primary_key=True)
    mode: Mapped[DeliveryMode] = mapped_column(TextEnum(DeliveryMode, 10))
    address: Mapped[str] = mapped_column(String(200), default="")  # post
    locker: Mapped[str] = mapped_column(String(60), default="")  # locker
    # The handover, once made (the DELIVER step); never a whole ID number.
    handed_over_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    handed_over_as: Mapped[str] = mapped_column(String(10), default="")  # the mode it was made in
    collector_name: Mapped[str] = mapped_column(String(60), default="")
    collector_id_masked: Mapped[str] = mapped_column(String(18), default="")
    by_agent: Mapped[bool] = mapped_column(Boolean, default=False)
    power_of_attorney: Mapped[str] = mapped_column(String(200), default="")
    read_from_card: Mapped[bool] = mapped_column(Boolean, default=False)
    waybill: Mapped[str] = mapped_column(String(20), default="")
    locker_code: Mapped[str] = mapped_column(String(8), default="")
