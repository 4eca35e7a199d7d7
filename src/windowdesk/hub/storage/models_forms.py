"""The hub's tables for issue 30: the forms items publish for download (表格下载) and the
questions residents ask online (网上咨询).

Imported at the end of ``hub.storage.models`` so that the schema (and the migration test
comparing it) always includes them.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from windowdesk.domain.catalog_forms import FormKind
from windowdesk.domain.quality_states import QuestionStatus
from windowdesk.hub.storage.models import Base, TextEnum, UTCDateTime


class FormFile(Base):
    """A form's file, stored once by its SHA-256 and never changed nor deleted: the old
    files of a form stay for the record. In the database (not the page store's folder): a
    form is tens of kilobytes, few, and then travels in every backup with the catalog that
    names it."""

    __tablename__ = "form_files"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    content: Mapped[bytes] = mapped_column(LargeBinary)
    stored_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class FormVersion(Base):
    """One version of an item's form: a new file published under the form's code is the
    next version. What a guide page offered on a day can be fetched again by its number."""

    __tablename__ = "form_versions"
    item_code: Mapped[str] = mapped_column(String(16), primary_key=True)
    form_code: Mapped[str] = mapped_column(String(8), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), ForeignKey("form_files.sha256"))
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[FormKind] = mapped_column(TextEnum(FormKind, 20))
    file_name: Mapped[str] = mapped_column(String(100))  # forms/<name>.pdf, as the catalog names it
    catalog_version: Mapped[str] = mapped_column(String(40))  # the catalog that published it first
    published_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class Question(Base):
    """A question a resident asked about an item (网上咨询), its answer, and the FAQ made
    of them. The phone is optional; when given, the page by number also asks for the
    short code (kept only as a hash). The address is kept only as a hash, for the limit."""

    __tablename__ = "questions"
    __table_args__ = (
        Index("ix_questions_department_status", "department_code", "status", "asked_at"),
        Index("ix_questions_item_published", "item_code", "published_at"),
        Index("ix_questions_address_at", "address_hash", "asked_at"),
    )
    number: Mapped[str] = mapped_column(String(16), primary_key=True)
    item_code: Mapped[str] = mapped_column(String(16))
    department_code: Mapped[str] = mapped_column(String(8))  # the item's department when asked
    text: Mapped[str] = mapped_column(Text)
    phone: Mapped[str] = mapped_column(String(20), default="")
    code_hash: Mapped[str] = mapped_column(String(64), default="")  # "" when no contact is held
    address_hash: Mapped[str] = mapped_column(String(64))
    asked_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    status: Mapped[QuestionStatus] = mapped_column(TextEnum(QuestionStatus, 12))
    answer: Mapped[str] = mapped_column(Text, default="")
    answered_by: Mapped[str] = mapped_column(String(36), default="")  # console user id
    answered_by_name: Mapped[str] = mapped_column(String(80), default="")
    answered_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # The FAQ: the question and answer as published, personal data taken out.
    faq_question: Mapped[str] = mapped_column(Text, default="")
    faq_answer: Mapped[str] = mapped_column(Text, default="")
    published_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
