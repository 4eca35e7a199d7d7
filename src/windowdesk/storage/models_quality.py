"""Local tables of a case's parallel parts and of service quality: satisfaction
ratings (好差评) and their follow-ups, the first-inquiry register (首问登记), complaints
(投诉) and their rectification tasks (整改).

Imported at the end of ``storage.models`` so that every table is known wherever the
models are. Times are UTC; deadlines are local dates.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from windowdesk.domain.case_parts import PartStatus
from windowdesk.domain.complaints import ComplaintKind, ComplaintSource, ComplaintStatus, ReplySource
from windowdesk.domain.quality_states import FollowUpSource, FollowUpStatus, InquiryStatus
from windowdesk.domain.service_quality import RatingChannel
from windowdesk.storage.column_types import TextEnum
from windowdesk.storage.models import Base, UTCDateTime, Uuid


class CasePart(Base):
    """并联审批: one department's part of a parallel case."""

    __tablename__ = "case_parts"
    __table_args__ = (UniqueConstraint("case_id", "department_code"),)
    id: Mapped[str] = mapped_column(Uuid, primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    department_code: Mapped[str] = mapped_column(String(8))
    status: Mapped[PartStatus] = mapped_column(TextEnum(PartStatus, 20))
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")


class Rating(Base):
    """好差评: the applicant's rating of one service, 5 (very satisfied) to 1."""

    __tablename__ = "ratings"
    __table_args__ = (Index("ix_ratings_center_rated", "center_code", "rated_at"),)
    id: Mapped[str] = mapped_column(Uuid, primary_key=True)
    center_code: Mapped[str] = mapped_column(ForeignKey("centers.code"))
    window_id: Mapped[str] = mapped_column(ForeignKey("windows.id"))
    operator_id: Mapped[str] = mapped_column(ForeignKey("operators.id"))
    case_id: Mapped[str | None] = mapped_column(ForeignKey("cases.id"), nullable=True, index=True)
    item_code: Mapped[str | None] = mapped_column(String(16), nullable=True)
    level: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text, default="")
    channel: Mapped[RatingChannel] = mapped_column(TextEnum(RatingChannel, 20))  # a window's, or web
    rated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class FollowUp(Base):
    """A bad rating's follow-up: an owner (a supervisor), a deadline, the outcome."""

    __tablename__ = "follow_ups"
    id: Mapped[str] = mapped_column(Uuid, primary_key=True)
    rating_id: Mapped[str] = mapped_column(ForeignKey("ratings.id"), unique=True)
    center_code: Mapped[str] = mapped_column(ForeignKey("centers.code"), index=True)
    owner_id: Mapped[str] = mapped_column(ForeignKey("operators.id"))
    deadline: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[FollowUpStatus] = mapped_column(TextEnum(FollowUpStatus, 12))
    outcome: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    closed_by: Mapped[str] = mapped_column(String(60), default="")  # a name (hub replies carry one)
    source: Mapped[FollowUpSource] = mapped_column(TextEnum(FollowUpSource, 10), default=FollowUpSource.WINDOW)

    rating: Mapped[Rating] = relationship()


class Inquiry(Base):
    """首问登记: a consultation, owned by the first staff member asked until answered or
    handed over (with a note) to someone else."""

    __tablename__ = "inquiries"
    __table_args__ = (Index("ix_inquiries_center_asked", "center_code", "asked_at"),)
    id: Mapped[str] = mapped_column(Uuid, primary_key=True)
    center_code: Mapped[str] = mapped_column(ForeignKey("centers.code"))
    window_id: Mapped[str] = mapped_column(ForeignKey("windows.id"))
    first_operator_id: Mapped[str] = mapped_column(ForeignKey("operators.id"))
    owner_id: Mapped[str] = mapped_column(ForeignKey("operators.id"))
    asked_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    inquirer_name: Mapped[str] = mapped_column(String(60), default="")
    inquirer_phone: Mapped[str] = mapped_column(String(30), default="")
    item_code: Mapped[str | None] = mapped_column(String(16), nullable=True)
    question: Mapped[str] = mapped_column(Text)
    status: Mapped[InquiryStatus] = mapped_column(TextEnum(InquiryStatus, 12))
    answer: Mapped[str] = mapped_column(Text, default="")
    answered_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    answered_by: Mapped[str | None] = mapped_column(String(36), nullable=True)

    handovers: Mapped[list[InquiryHandover]] = relationship(order_by="InquiryHandover.at", cascade="all, delete-orphan")


class InquiryHandover(Base):
    __tablename__ = "inquiry_handovers"
    id: Mapped[str] = mapped_column(Uuid, primary_key=True)
    inquiry_id: Mapped[str] = mapped_column(ForeignKey("inquiries.id"), index=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    from_operator_id: Mapped[str] = mapped_column(ForeignKey("operators.id"))
    to_operator_id: Mapped[str] = mapped_column(ForeignKey("operators.id"))
    note: Mapped[str] = mapped_column(Text)


class Complaint(Base):
    """投诉: who complains, about what, the facts; an owner, a deadline and the reply. Received
    at a window, or filed on the hub's public pages (``source`` "web", from the change feed)."""

    __tablename__ = "complaints"
    __table_args__ = (Index("ix_complaints_center_received", "center_code", "received_at"),)
    id: Mapped[str] = mapped_column(Uuid, primary_key=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    center_code: Mapped[str] = mapped_column(ForeignKey("centers.code"))
    # Where and by whom it was received; None for one filed on the hub's public pages.
    window_id: Mapped[str | None] = mapped_column(ForeignKey("windows.id"), nullable=True)
    received_by: Mapped[str | None] = mapped_column(ForeignKey("operators.id"), nullable=True)
    source: Mapped[ComplaintSource] = mapped_column(
        TextEnum(ComplaintSource, 10), default=ComplaintSource.WINDOW, server_default="window"
    )
    # complaint (投诉) / not_done (办不成事反映, only from the web)
    kind: Mapped[ComplaintKind] = mapped_column(
        TextEnum(ComplaintKind, 20), default=ComplaintKind.COMPLAINT, server_default="complaint"
    )
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    complainant_name: Mapped[str] = mapped_column(String(60))
    complainant_phone: Mapped[str] = mapped_column(String(30), default="")
    about_window_id: Mapped[str | None] = mapped_column(String(12), nullable=True)
    about_operator_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    about_department_code: Mapped[str | None] = mapped_column(String(8), nullable=True)
    about_item_code: Mapped[str | None] = mapped_column(String(16), nullable=True)
    case_id: Mapped[str | None] = mapped_column(ForeignKey("cases.id"), nullable=True)
    facts: Mapped[str] = mapped_column(Text)
    owner_id: Mapped[str] = mapped_column(ForeignKey("operators.id"))
    deadline: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[ComplaintStatus] = mapped_column(TextEnum(ComplaintStatus, 12))
    reply: Mapped[str] = mapped_column(Text, default="")
    replied_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    replied_by: Mapped[str] = mapped_column(String(60), default="")
    reply_source: Mapped[ReplySource] = mapped_column(TextEnum(ReplySource, 10), default=ReplySource.NONE)

    rectifications: Mapped[list[Rectification]] = relationship(
        order_by="Rectification.position", cascade="all, delete-orphan"
    )


class Rectification(Base):
    """整改: a task that follows a complaint, with its unit, responsible person and deadline."""

    __tablename__ = "rectifications"
    id: Mapped[str] = mapped_column(Uuid, primary_key=True)
    complaint_id: Mapped[str] = mapped_column(ForeignKey("complaints.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    task: Mapped[str] = mapped_column(Text)
    unit: Mapped[str] = mapped_column(String(100))
    responsible: Mapped[str] = mapped_column(String(60))
    deadline: Mapped[dt.date] = mapped_column(Date)
    done: Mapped[bool] = mapped_column(Boolean, default=False)
    done_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    done_note: Mapped[str] = mapped_column(Text, default="")
