"""The hub's tables of scanned pages (issue 24).

Imported at the end of ``hub.storage.models`` like models_quality. The pages' bytes are
files in the page store (hub/storage/page_store.py); these tables say which files count
as stored, which pages each material of a case has, and who read them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from windowdesk.domain.page_readers import PageReader
from windowdesk.hub.storage.models import Base, Counter, Json, TextEnum, UTCDateTime, Uuid


class PageBlob(Base):
    """A page file the hub holds whole, its SHA-256 checked: only a row here makes a blob
    "complete". Stored once whichever windows sent it."""

    __tablename__ = "page_blobs"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)
    stored_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    workstation_id: Mapped[str | None] = mapped_column(Uuid, nullable=True)  # the first to complete it


class CasePageList(Base):
    """One case.pages event applied: a material's full ordered list of pages at that time.
    Append-only; a material's current list is its newest row (an empty list: no pages)."""

    __tablename__ = "case_page_lists"
    __table_args__ = (Index("ix_case_page_lists_case", "case_id", "material_code", "seq"),)
    seq: Mapped[int] = mapped_column(Counter, primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"))
    material_code: Mapped[str] = mapped_column(String(40))
    pages: Mapped[list[dict[str, Any]]] = mapped_column(Json)
    event_id: Mapped[str] = mapped_column(Uuid)
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class PageReading(Base):
    """Every reading of a page's bytes at the hub, by whom (a department or a center)."""

    __tablename__ = "page_readings"
    __table_args__ = (Index("ix_page_readings_case", "case_id", "seq"),)
    seq: Mapped[int] = mapped_column(Counter, primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"))
    page_id: Mapped[str] = mapped_column(Uuid)
    sha256: Mapped[str] = mapped_column(String(64))
    actor_kind: Mapped[PageReader] = mapped_column(TextEnum(PageReader, 12))
    actor_code: Mapped[str] = mapped_column(String(40))
    read_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
