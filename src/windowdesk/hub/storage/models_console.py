"""The console's accounts and sessions, and the hub's own audit log.

Imported at the end of ``hub.storage.models`` so that the schema (and the migration test
comparing it) includes them.

- A console user is a person at the hub's web console: department staff (bound to one
  department), a supervisor (the supervision office) or an administrator. Their password
  is kept as a slow salted hash (domain/passwords.py), like the operators'.
- A console session is a signed-in browser; only the SHA-256 of its cookie is stored, so
  a copy of the database signs nobody in.
- The hub's audit log records every change made at the hub by a person (console or
  command line) and every reading of personal material (scanned pages), append-only.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from windowdesk.domain.console_roles import ConsoleRole
from windowdesk.hub.storage.models import Base, Counter, Json, TextEnum, UTCDateTime, Uuid


class ConsoleUser(Base):
    __tablename__ = "console_users"
    id: Mapped[str] = mapped_column(Uuid, primary_key=True)
    login: Mapped[str] = mapped_column(String(40), unique=True)
    display_name: Mapped[str] = mapped_column(String(60))
    role: Mapped[ConsoleRole] = mapped_column(TextEnum(ConsoleRole, 20))
    department_code: Mapped[str | None] = mapped_column(ForeignKey("departments.code"), nullable=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    disabled_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    password_changed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class ConsoleSession(Base):
    __tablename__ = "console_sessions"
    id: Mapped[str] = mapped_column(Uuid, primary_key=True)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("console_users.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)  # the latest it lasts, however active
    ended_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)


class HubAuditEntry(Base):
    __tablename__ = "hub_audit"
    __table_args__ = (Index("ix_hub_audit_entity", "entity", "entity_id"),)
    seq: Mapped[int] = mapped_column(Counter, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
    actor: Mapped[str] = mapped_column(String(80))  # "console:<login>", "cli", "public"
    action: Mapped[str] = mapped_column(String(60))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(80))
    detail: Mapped[dict[str, Any]] = mapped_column(Json)
    address: Mapped[str] = mapped_column(String(64), default="")
    note: Mapped[str] = mapped_column(Text, default="")
