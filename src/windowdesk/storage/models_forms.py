"""The window's copy of the catalog's forms (表格下载, issue 30): which forms each item
lists, and the files themselves, by SHA-256, so the window prints a form offline.

A catalog folder's files are stored at its import; a hub's publication names each form's
hash, and the sync fetches the files the window lacks (services/form_files.py)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from windowdesk.domain.catalog_forms import FormKind
from windowdesk.storage.column_types import TextEnum
from windowdesk.storage.models import Base, UTCDateTime


class ItemForm(Base):
    __tablename__ = "item_forms"
    __table_args__ = (UniqueConstraint("item_code", "code"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    item_code: Mapped[str] = mapped_column(ForeignKey("catalog_items.code"), index=True)
    code: Mapped[str] = mapped_column(String(8))
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[FormKind] = mapped_column(TextEnum(FormKind, 20))
    file: Mapped[str] = mapped_column(String(100))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer)  # the hub's number; 0 for a folder's file


class FormFile(Base):
    __tablename__ = "form_files"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    media_type: Mapped[str] = mapped_column(String(100))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    stored_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
