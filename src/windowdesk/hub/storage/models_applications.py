"""The hub's tables of online applications (网上申报, issue 30).

Imported at the end of ``hub.storage.models`` like models_public. What the resident typed
is kept sealed (``sealed``: AES-GCM under the hub's personal-data key, hub/storage/
sealing.py); the pages' bytes are sealed files (hub/storage/application_files.py). In
clear only what the windows and the limits need: the item, the center, the state, the
list of what was returned, and keyed hashes (the applicant's ID, the address).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from windowdesk.domain.online_application_status import HubApplicationStatus
from windowdesk.hub.storage.models import Base, CenterCode, Json, TextEnum, UTCDateTime, Uuid


class OnlineApplication(Base):
    """One application made on the public pages, for one item at one center."""

    __tablename__ = "online_applications"
    __table_args__ = (
        Index("ix_online_applications_center_status", "center_code", "status"),
        Index("ix_online_applications_address_at", "address_hash", "submitted_at"),
        Index("ix_online_applications_applicant_at", "applicant_hash", "submitted_at"),
        Index("ix_online_applications_updated_at", "updated_at"),
    )
    id: Mapped[str] = mapped_column(Uuid, primary_key=True)
    number: Mapped[str] = mapped_column(String(24), unique=True)
    item_code: Mapped[str] = mapped_column(String(40))
    center_code: Mapped[str] = mapped_column(CenterCode)
    # submitted / returned / accepted (for the visit) / completed (a case: at the window, or
    # accepted by the department for a fully-online item) / refused (by the department)
    status: Mapped[HubApplicationStatus] = mapped_column(TextEnum(HubApplicationStatus, 12))
    query_code_hash: Mapped[str] = mapped_column(String(200))
    sealed: Mapped[bytes] = mapped_column(LargeBinary)  # the form's values, sealed
    applicant_hash: Mapped[str] = mapped_column(String(64))  # keyed: the per-ID limit, the window's look-up
    address_hash: Mapped[str] = mapped_column(String(64))  # keyed: the per-address limit
    round: Mapped[int] = mapped_column(Integer, default=1)  # 1, then +1 at every re-submission
    # The one-time list of the last return: [{"material": code or "", "kind": "missing"|"correction", "text": ...}]
    returned: Mapped[list[dict[str, str]]] = mapped_column(Json, default=list)
    decided_by: Mapped[str] = mapped_column(String(40), default="")  # the workstation of the last decision
    submitted_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # The case the department accepted it as (全程网办); a window's case names the application instead.
    case_id: Mapped[str | None] = mapped_column(Uuid, nullable=True)
    refused_reason: Mapped[str] = mapped_column(Text, default="", server_default="")  # a department's refusal


class OnlineApplicationPage(Base):
    """One uploaded page (already in the window's stored form: a grey JPEG), attached to a
    material of its application; its bytes are a sealed file named by the page's id."""

    __tablename__ = "online_application_pages"
    __table_args__ = (Index("ix_online_application_pages_application", "application_id", "material_code"),)
    id: Mapped[str] = mapped_column(Uuid, primary_key=True)
    application_id: Mapped[str] = mapped_column(ForeignKey("online_applications.id", ondelete="CASCADE"))
    material_code: Mapped[str] = mapped_column(String(16))
    position: Mapped[int] = mapped_column(Integer)
    round: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))  # of the clear page, as the window's page store names it
    size: Mapped[int] = mapped_column(Integer)
    added_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class HubCaseSeries(Base):
    """The last number the hub gave in one of its own case series (a department's year,
    hub/services/hub_case_numbers.py); bumped in the transaction of the case it numbers."""

    __tablename__ = "hub_case_series"
    series: Mapped[str] = mapped_column(String(40), primary_key=True)
    last: Mapped[int] = mapped_column(Integer)
