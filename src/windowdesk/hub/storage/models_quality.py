"""The hub's tables of parallel approval parts and of service quality.

Imported at the end of ``hub.storage.models`` so that the schema (and the migration
test comparing it) always includes them. Projections of what windows push, as the other
tables there: personal data (names, phone numbers) stays in ``pushed_events.payload``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from windowdesk.domain.case_parts import PartStatus
from windowdesk.domain.complaints import ComplaintKind, ComplaintSource, ComplaintStatus, ReplySource
from windowdesk.domain.quality_states import FollowUpStatus, InquiryStatus
from windowdesk.domain.service_quality import RatingChannel, RatingStage
from windowdesk.hub.storage.models import Base, CenterCode, Counter, Json, TextEnum, UTCDateTime, Uuid, WindowId


class CasePart(Base):
    """并联审批: one department's part of a parallel case, decided by that department."""

    __tablename__ = "case_parts"
    __table_args__ = (UniqueConstraint("case_id", "department_code"),)
    seq: Mapped[int] = mapped_column(Counter, primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), index=True)
    department_code: Mapped[str] = mapped_column(String(8))
    status: Mapped[PartStatus] = mapped_column(TextEnum(PartStatus, 20))
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")


class Rating(Base):
    """好差评 pushed by a window, with the follow-up of a bad one."""

    __tablename__ = "ratings"
    __table_args__ = (
        Index("ix_ratings_center_rated", "center_code", "rated_at"),
        # The supervision office's open follow-ups by deadline (migration 0014_h26ops): few
        # among a year's ratings, so a partial index.
        Index(
            "ix_ratings_open_follow_ups",
            "follow_up_deadline",
            sqlite_where=text("follow_up_status = 'open'"),
            postgresql_where=text("follow_up_status = 'open'"),
        ),
        # One rating from the web per case and stage, and one supplementary (追评): the
        # database refuses a second even when two browsers send it at once.
        Index(
            "ux_ratings_web_case_stage_round",
            "case_id",
            "stage",
            "round",
            unique=True,
            sqlite_where=text("channel = 'web'"),
            postgresql_where=text("channel = 'web'"),
        ),
    )
    id: Mapped[str] = mapped_column(Uuid, primary_key=True)
    center_code: Mapped[str] = mapped_column(ForeignKey("centers.code"))
    window_id: Mapped[str] = mapped_column(WindowId)
    # For a rating from the web: the operator who accepted the case.
    operator_id: Mapped[str] = mapped_column(Uuid)
    case_id: Mapped[str | None] = mapped_column(Uuid, nullable=True)
    item_code: Mapped[str | None] = mapped_column(String(16), nullable=True)
    level: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text, default="")
    # operator_screen / applicant_screen at a window; "web" from the public pages
    # (domain.service_quality.WEB_CHANNEL).
    channel: Mapped[RatingChannel] = mapped_column(TextEnum(RatingChannel, 20), default=RatingChannel.NONE)
    # From the web: the stage of the case rated (accepted / completed), 1 for the first
    # rating of that stage and 2 for the supplementary one, and the grades of the
    # national aspects ({"efficiency": 5, "service": 4, "attitude": 5}; overall is level).
    stage: Mapped[RatingStage | None] = mapped_column(TextEnum(RatingStage, 20), nullable=True)
    round: Mapped[int | None] = mapped_column(Integer, nullable=True)
    aspects: Mapped[dict[str, Any] | None] = mapped_column(Json, nullable=True)
    rated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)  # client clock
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    follow_up_id: Mapped[str | None] = mapped_column(Uuid, nullable=True, unique=True)
    follow_up_owner: Mapped[str | None] = mapped_column(Uuid, nullable=True)
    follow_up_deadline: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    follow_up_status: Mapped[FollowUpStatus | None] = mapped_column(TextEnum(FollowUpStatus, 12), nullable=True)
    follow_up_outcome: Mapped[str] = mapped_column(Text, default="")
    follow_up_closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    follow_up_closed_by: Mapped[str] = mapped_column(String(60), default="")


class Inquiry(Base):
    """首问登记 pushed by a window: who owns it now, and whether it is answered."""

    __tablename__ = "inquiries"
    id: Mapped[str] = mapped_column(Uuid, primary_key=True)
    center_code: Mapped[str] = mapped_column(ForeignKey("centers.code"), index=True)
    window_id: Mapped[str] = mapped_column(WindowId)
    first_operator_id: Mapped[str] = mapped_column(Uuid)
    owner_id: Mapped[str] = mapped_column(Uuid)
    item_code: Mapped[str | None] = mapped_column(String(16), nullable=True)
    status: Mapped[InquiryStatus] = mapped_column(TextEnum(InquiryStatus, 12))
    asked_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)  # client clock
    answered_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class Complaint(Base):
    """投诉 received at a window, or filed by a resident on the public pages (``source``
    "web": no window nor operator received it); its reply may be given at a window or
    here (``reply_source``)."""

    __tablename__ = "complaints"
    __table_args__ = (
        Index("ix_complaints_center_received", "center_code", "received_at"),
        Index("ix_complaints_status_deadline", "status", "deadline"),  # the open ones by deadline (0014_h26ops)
        Index("ix_complaints_address_stored", "address_hash", "stored_at"),  # the per-address limit of the web
    )
    id: Mapped[str] = mapped_column(Uuid, primary_key=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    center_code: Mapped[str] = mapped_column(ForeignKey("centers.code"))
    window_id: Mapped[str | None] = mapped_column(WindowId, nullable=True)  # None: from the web
    operator_id: Mapped[str | None] = mapped_column(Uuid, nullable=True)  # who received it; None: from the web
    source: Mapped[ComplaintSource] = mapped_column(TextEnum(ComplaintSource, 10), default=ComplaintSource.WINDOW)
    # complaint (投诉) / not_done (办不成事反映): the web form asks; a window's is a complaint.
    kind: Mapped[ComplaintKind] = mapped_column(TextEnum(ComplaintKind, 20), default=ComplaintKind.COMPLAINT)
    # From the web only: the phone to call back, the hash of the code that reads the
    # complaint back with its number, the hash of the address it came from (the limit).
    contact_phone: Mapped[str] = mapped_column(String(20), default="")
    code_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    address_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    about_window_id: Mapped[str | None] = mapped_column(WindowId, nullable=True)
    about_operator_id: Mapped[str | None] = mapped_column(Uuid, nullable=True)
    about_department_code: Mapped[str | None] = mapped_column(String(8), nullable=True)
    about_item_code: Mapped[str | None] = mapped_column(String(16), nullable=True)
    case_id: Mapped[str | None] = mapped_column(Uuid, nullable=True)
    facts: Mapped[str] = mapped_column(Text)
    owner_id: Mapped[str] = mapped_column(Uuid)
    deadline: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[ComplaintStatus] = mapped_column(TextEnum(ComplaintStatus, 12))
    reply: Mapped[str] = mapped_column(Text, default="")
    replied_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    replied_by: Mapped[str] = mapped_column(String(60), default="")
    reply_source: Mapped[ReplySource] = mapped_column(TextEnum(ReplySource, 10), default=ReplySource.NONE)
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)  # client clock
    stored_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class Rectification(Base):
    """整改 set after a complaint."""

    __tablename__ = "rectifications"
    id: Mapped[str] = mapped_column(Uuid, primary_key=True)
    complaint_id: Mapped[str] = mapped_column(ForeignKey("complaints.id"), index=True)
    center_code: Mapped[str] = mapped_column(CenterCode)
    task: Mapped[str] = mapped_column(Text)
    unit: Mapped[str] = mapped_column(String(100))
    responsible: Mapped[str] = mapped_column(String(60))
    deadline: Mapped[dt.date] = mapped_column(Date)
    done: Mapped[bool] = mapped_column(Boolean, default=False)
    done_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
