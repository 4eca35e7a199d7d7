"""The local database schema (SQLAlchemy 2 declarative models).

Primary keys of records made at the counter are client-generated UUIDv7 strings so
that 200 offline machines never collide; human numbers (case, notification, refusal)
live in their own unique columns and come from ``number_sequences``. Times are UTC.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    func,
    literal_column,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import JSON, TypeDecorator

from windowdesk.domain.case_sources import CaseSource
from windowdesk.domain.case_state import CaseStatus
from windowdesk.domain.case_steps import StepSource
from windowdesk.domain.catalog_model import CenterKind, DeferralRule, FeeKind, MaterialForm
from windowdesk.domain.commitment import VerificationResult
from windowdesk.domain.event_kinds import EventKind
from windowdesk.domain.fees import PaymentMethod, ReceiptKind, Utility
from windowdesk.domain.material_status import MaterialStatus
from windowdesk.domain.outbox_state import OutboxState
from windowdesk.domain.permissions import Role
from windowdesk.domain.suspensions import SuspensionKind
from windowdesk.storage.column_types import TextEnum

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Stores aware datetimes as naive UTC, hands back aware UTC datetimes."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where UTC is required")
        return value.astimezone(dt.UTC).replace(tzinfo=None)

    def process_result_value(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC)

    def bind_processor(self, dialect: Dialect) -> Callable[[dt.datetime | None], Any] | None:
        """On SQLite, the text SQLite's DATETIME stores (``2026-12-08 01:02:03.000004``),
        made in one call: through process_bind_param and DATETIME's own processor (its
        format string filled field by field) a pulled page's 1,000 step times cost about
        twice as much. Other databases: SQLAlchemy's chain, unchanged."""
        if dialect.name != "sqlite":
            return super().bind_processor(dialect)
        return _sqlite_utc_text


def _sqlite_utc_text(value: dt.datetime | None) -> str | None:
    """An aware datetime as SQLite's DATETIME type stores it, in UTC (its storage format,
    ``%Y-%m-%d %H:%M:%S.%f``: the microseconds always written); a naive one refused."""
    return None if value is None else _utc_text(value)


def _utc_text(value: dt.datetime) -> str:
    if value.tzinfo is None:
        raise ValueError("naive datetime given where UTC is required")
    return value.astimezone(dt.UTC).replace(tzinfo=None).isoformat(" ", "microseconds")


def sqlite_utc_text_of(text: str, value: dt.datetime) -> str:
    """``value``, which ``datetime.fromisoformat`` made of ``text``, as a UTCDateTime column
    stores it on SQLite: cut out of ``text`` when that is already UTC to the microsecond,
    as the hub writes its times (``2026-12-08T01:02:03.000004+00:00``), else made by the
    column's processor. The same text either way, at a fifth of the processor's cost (its
    ``replace`` and ``isoformat``: a pulled page stores 1,000 step times). Every separator
    is checked (a week date, ``2026-W49-2``, is ten characters too) and the hour is below
    24 (Python 3.12 reads ``24:00`` as the next day)."""
    if (
        len(text) == 32
        and text[26:] == "+00:00"
        and text[4] == "-"
        and text[7] == "-"
        and text[10] == "T"
        and text[13] == ":"
        and text[16] == ":"
        and text[19] == "."
        and text[11:13] < "24"
    ):
        return f"{text[:10]} {text[11:26]}"
    return _utc_text(value)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


Uuid = String(36)


# --- organisation of the service hall -------------------------------------------------


class Center(Base):
    __tablename__ = "centers"
    code: Mapped[str] = mapped_column(String(8), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(200), default="")
    kind: Mapped[CenterKind] = mapped_column(TextEnum(CenterKind, 20))
    address: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    hours: Mapped[str] = mapped_column(String(200), default="")
    timezone: Mapped[str] = mapped_column(String(40), default="Asia/Shanghai")


class Window(Base):
    __tablename__ = "windows"
    __table_args__ = (UniqueConstraint("center_code", "code"),)
    id: Mapped[str] = mapped_column(String(12), primary_key=True)  # "<center>-<code>"
    center_code: Mapped[str] = mapped_column(ForeignKey("centers.code"))
    code: Mapped[str] = mapped_column(String(4))
    name: Mapped[str] = mapped_column(String(100))
    phone: Mapped[str] = mapped_column(String(40), default="")


class Operator(Base):
    __tablename__ = "operators"
    id: Mapped[str] = mapped_column(Uuid, primary_key=True)
    center_code: Mapped[str] = mapped_column(ForeignKey("centers.code"))
    login: Mapped[str] = mapped_column(String(60), unique=True)
    display_name: Mapped[str] = mapped_column(String(60))
    role: Mapped[Role] = mapped_column(TextEnum(Role, 20), default=Role.OPERATOR)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    # Only a slow salted hash (domain.passwords); verified offline.
    password_hash: Mapped[str | None] = mapped_column(String(200), nullable=True)
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    last_login_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # ORIGIN_LOCAL (made at this window: no pulled change touches it), the id of the hub
    # it came from (only that hub's changes update it), or "" (pulled before origins were
    # kept; the enrolled hub claims it by its id). Migration 0013_h21_operator_origin.
    origin: Mapped[str] = mapped_column(String(64), default="")


ORIGIN_LOCAL = "local"


class Department(Base):
    __tablename__ = "departments"
    code: Mapped[str] = mapped_column(String(8), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(200), default="")


# --- the service catalog (owned by the hub, read-only here) -------------------------


class CatalogItem(Base):
    __tablename__ = "catalog_items"
    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    name_en: Mapped[str] = mapped_column(String(300), default="")
    department_code: Mapped[str] = mapped_column(ForeignKey("departments.code"), index=True)
    category: Mapped[str] = mapped_column(String(60), default="")
    preconditions: Mapped[list[Any]] = mapped_column(JSON, default=list)
    procedure: Mapped[list[Any]] = mapped_column(JSON, default=list)
    legal_limit_days: Mapped[int] = mapped_column(Integer)
    promised_limit_days: Mapped[int] = mapped_column(Integer)
    warning_days: Mapped[int] = mapped_column(Integer, default=2)
    fee_summary: Mapped[str] = mapped_column(String(300), default="")
    legal_basis: Mapped[str] = mapped_column(Text, default="")
    refusal_grounds: Mapped[list[Any]] = mapped_column(JSON, default=list)
    parallel: Mapped[bool] = mapped_column(Boolean, default=False)
    parallel_departments: Mapped[list[Any]] = mapped_column(JSON, default=list)
    street_level: Mapped[bool] = mapped_column(Boolean, default=False)
    certificate: Mapped[str] = mapped_column(String(60), default="", server_default="")  # what approval issues
    where: Mapped[str] = mapped_column(String(300), default="")
    keywords: Mapped[list[Any]] = mapped_column(JSON, default=list)
    pinyin_full: Mapped[str] = mapped_column(String(600), default="")
    pinyin_initials: Mapped[str] = mapped_column(String(200), default="")
    # [[full pinyin, initials], ...] of each keyword, in the keywords' order: stored at
    # import so that searching never loads pypinyin.
    keyword_pinyin: Mapped[list[list[str]]] = mapped_column(JSON, default=list, server_default="[]")
    # 容缺受理: NONE (stored "": no material may be deferred), suspend or refuse, and the basis printed.
    deferral_rule: Mapped[DeferralRule] = mapped_column(
        TextEnum(DeferralRule, 10), default=DeferralRule.NONE, server_default=""
    )
    deferral_basis: Mapped[str] = mapped_column(Text, default="", server_default="")
    # 告知承诺制: the working days the department has to verify the commitment; 0: not marked.
    commitment_verify_days: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    catalog_version: Mapped[str] = mapped_column(String(40))
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    materials: Mapped[list[ItemMaterial]] = relationship(order_by="ItemMaterial.position", cascade="all, delete-orphan")
    fee_rules: Mapped[list[FeeRule]] = relationship(order_by="FeeRule.position", cascade="all, delete-orphan")


class ItemMaterial(Base):
    __tablename__ = "item_materials"
    __table_args__ = (UniqueConstraint("item_code", "code"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    item_code: Mapped[str] = mapped_column(ForeignKey("catalog_items.code"), index=True)
    code: Mapped[str] = mapped_column(String(16))
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    form: Mapped[MaterialForm] = mapped_column(TextEnum(MaterialForm, 20))
    originals: Mapped[int] = mapped_column(Integer, default=0)
    copies: Mapped[int] = mapped_column(Integer, default=0)
    required: Mapped[bool] = mapped_column(Boolean, default=True)
    note: Mapped[str] = mapped_column(String(300), default="")
    # 容缺: may be brought after acceptance (the item's deferral_rule says what if not).
    deferrable: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")


class FeeRule(Base):
    __tablename__ = "fee_rules"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    item_code: Mapped[str] = mapped_column(ForeignKey("catalog_items.code"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    department_code: Mapped[str] = mapped_column(String(8))
    kind: Mapped[FeeKind] = mapped_column(TextEnum(FeeKind, 12))
    description: Mapped[str] = mapped_column(String(200), default="")
    amount_fen: Mapped[int | None] = mapped_column(Integer, nullable=True)
    unit: Mapped[str] = mapped_column(String(20), default="")
    max_units: Mapped[int | None] = mapped_column(Integer, nullable=True)
    tiers: Mapped[list[Any]] = mapped_column(JSON, default=list)
    exemptions: Mapped[list[Any]] = mapped_column(JSON, default=list)


class CalendarOverride(Base):
    """A working-day decision published by the hub on top of the shipped calendar."""

    __tablename__ = "calendar_overrides"
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    is_working_day: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str] = mapped_column(String(200), default="")


class CalendarYear(Base):
    """A whole year of the official calendar published by the hub (once its State Council
    notice was out): replaces the shipped data of that year; day overrides still win."""

    __tablename__ = "calendar_years"
    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    source: Mapped[str] = mapped_column(String(200), default="")
    holidays: Mapped[dict[str, Any]] = mapped_column(JSON)  # ISO day -> name
    makeup_workdays: Mapped[dict[str, Any]] = mapped_column(JSON)  # ISO day -> name


# --- applicants ------------------------------------------------------------------


class Resident(Base):
    __tablename__ = "residents"
    __table_args__ = (
        # A lookup by name lists (name, ID number) in order: with both leading the index
        # SQLite reads the first rows in that order instead of sorting every namesake, and
        # with the rest of the list's columns in it (queries.RESIDENT_LIST_COLUMNS) it never
        # reads the residents' scattered table pages (migration 0021).
        Index("ix_residents_name_lookup", "name", "id_number", "id", "phone", "gender", "birth_date"),
    )
    id: Mapped[str] = mapped_column(Uuid, primary_key=True)
    id_number: Mapped[str] = mapped_column(String(18), unique=True)
    name: Mapped[str] = mapped_column(String(60))
    gender: Mapped[str] = mapped_column(String(8))
    birth_date: Mapped[dt.date] = mapped_column(Date)
    phone: Mapped[str] = mapped_column(String(30), default="", index=True)
    address: Mapped[str] = mapped_column(String(200), default="")
    welfare_status: Mapped[str | None] = mapped_column(String(20), nullable=True)
    registered_center: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


# The last 4 characters of the ID number: a clerk types the end of it to find a recent
# applicant (queries.recent_residents_by_id_suffix). The same expression in the index and
# in the query (a literal -4, not a bound parameter), so that SQLite uses the index.
RESIDENT_ID_TAIL = func.substr(Resident.id_number, literal_column("-4"))
RESIDENT_ID_TAIL_LENGTH = 4
Index("ix_residents_id_tail", RESIDENT_ID_TAIL, Resident.id_number)


class Organisation(Base):
    __tablename__ = "organisations"
    id: Mapped[str] = mapped_column(Uuid, primary_key=True)
    credit_code: Mapped[str] = mapped_column(String(18), unique=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    legal_representative: Mapped[str] = mapped_column(String(60), default="")
    phone: Mapped[str] = mapped_column(String(30), default="")
    address: Mapped[str] = mapped_column(String(200), default="")
    registered_center: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


# --- what happens at the window ----------------------------------------------------


class Case(Base):
    __tablename__ = "cases"
    __table_args__ = (
        Index("ix_cases_window_accepted", "window_id", "accepted_at"),
        # The supervisor's late-case watch and the center's reports: without these an
        # encrypted file is decrypted whole for every look.
        # Covering: the watch reads only this index, never the scattered table rows.
        Index(
            "ix_cases_center_status_promised",
            "center_code",
            "status",
            "promised_date",
            "window_id",
            "accepted_day",
            "item_code",
            "case_number",
            "id",
            "suspensions",
        ),
        Index("ix_cases_center_accepted", "center_code", "accepted_at"),
        Index("ix_cases_center_accepted_day", "center_code", "accepted_day"),
        Index("ix_cases_center_finished", "center_code", "finished_at", "accepted_day", "item_code"),
        # Was this applicant served at this center lately (a lookup by the end of an ID number)?
        Index("ix_cases_resident_center_accepted", "resident_id", "center_code", "accepted_at"),
    )
    id: Mapped[str] = mapped_column(Uuid, primary_key=True)
    case_number: Mapped[str] = mapped_column(String(40), unique=True)
    center_code: Mapped[str] = mapped_column(ForeignKey("centers.code"))
    window_id: Mapped[str] = mapped_column(ForeignKey("windows.id"))
    operator_id: Mapped[str] = mapped_column(ForeignKey("operators.id"))
    item_code: Mapped[str] = mapped_column(ForeignKey("catalog_items.code"))
    resident_id: Mapped[str | None] = mapped_column(ForeignKey("residents.id"), nullable=True)
    organisation_id: Mapped[str | None] = mapped_column(ForeignKey("organisations.id"), nullable=True)
    status: Mapped[CaseStatus] = mapped_column(TextEnum(CaseStatus, 20))
    accepted_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    accepted_day: Mapped[dt.date] = mapped_column(Date)  # in the center's time zone
    promised_date: Mapped[dt.date] = mapped_column(Date)
    legal_date: Mapped[dt.date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    # Facts of the timeline, kept by every writer of steps (services/cases.append_step, the
    # pull's services/sync_apply; 0007's triggers until 0024): when the first step to
    # completed or withdrawn was recorded, and how many steps into a suspension there
    # were, so reports find finished and suspended cases by index.
    finished_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    suspensions: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # 办结 of an approved case whose item issues a certificate: its number (provincial record).
    certificate_number: Mapped[str] = mapped_column(String(40), default="", server_default="")
    # When the query code (查询密码) was last printed: the code itself is never kept here,
    # only its hash travels to the hub (domain.query_codes); None before codes existed.
    query_code_issued_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # 来源: "window", or "online" for a case accepted from an online application (网上申报),
    # whose id is kept (the provincial record and the reports count it as online).
    source: Mapped[CaseSource] = mapped_column(
        TextEnum(CaseSource, 10), default=CaseSource.WINDOW, server_default=CaseSource.WINDOW.value
    )
    online_application_id: Mapped[str | None] = mapped_column(Uuid, nullable=True)

    materials: Mapped[list[CaseMaterial]] = relationship(order_by="CaseMaterial.position", cascade="all, delete-orphan")
    events: Mapped[list[CaseEvent]] = relationship(
        order_by="(CaseEvent.position, CaseEvent.at)", cascade="all, delete-orphan"
    )
    proxy: Mapped[CaseProxy | None] = relationship(cascade="all, delete-orphan", uselist=False)
    commitment: Mapped[CaseCommitment | None] = relationship(cascade="all, delete-orphan", uselist=False)


class CaseCommitment(Base):
    """告知承诺制: the case was accepted on the applicant's signed commitment; the
    department verifies it (核查) by ``verify_due``. Its outcome comes from the hub: a false
    one marks the case for revocation (撤销). No row: an ordinary case."""

    __tablename__ = "case_commitments"
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), primary_key=True)
    verify_due: Mapped[dt.date] = mapped_column(Date, index=True)
    verified_result: Mapped[VerificationResult | None] = mapped_column(TextEnum(VerificationResult, 5), nullable=True)
    verified_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    verified_by: Mapped[str] = mapped_column(String(8), default="", server_default="")  # department
    verification_note: Mapped[str] = mapped_column(Text, default="", server_default="")

    @property
    def marked_for_revocation(self) -> bool:
        return self.verified_result is VerificationResult.FALSE


class CreditFlag(Base):
    """A credit flag the hub published (a commitment found untrue): keyed by the keyed hash
    of the applicant's ID number or credit code (domain.commitment.credit_key_hash), never
    the number. While not lifted, the applicant may use neither 容缺受理 nor 告知承诺制."""

    __tablename__ = "credit_flags"
    id: Mapped[str] = mapped_column(Uuid, primary_key=True)  # the hub's flag id
    key_hash: Mapped[str] = mapped_column(String(64), index=True)
    case_number: Mapped[str] = mapped_column(String(40), default="")
    flagged_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    reason: Mapped[str] = mapped_column(Text, default="")
    lifted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    lift_reason: Mapped[str] = mapped_column(Text, default="")


class CaseProxy(Base):
    """帮办代办: the agent who applied for the case's applicant (the principal), and the
    power of attorney (委托书) the window saw. No row: the applicant applied in person."""

    __tablename__ = "case_proxies"
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), primary_key=True)
    agent_resident_id: Mapped[str] = mapped_column(ForeignKey("residents.id"), index=True)
    power_of_attorney_date: Mapped[dt.date] = mapped_column(Date)


class CaseMaterial(Base):
    __tablename__ = "case_materials"
    # 容缺受理: the case watch lists the deferred materials at every start. Without an
    # index of them SQLite walked every case of the center and its materials to find
    # the few (200,000 cases: 60 MB of pages read into the cache before the window
    # stood). Partial: only the deferred rows are in it.
    __table_args__ = (
        Index("ix_case_materials_deferred", "status", "due_date", sqlite_where=text("status = 'deferred'")),
    )
    id: Mapped[str] = mapped_column(Uuid, primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    material_code: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(200))
    status: Mapped[MaterialStatus] = mapped_column(TextEnum(MaterialStatus, 12))
    note: Mapped[str] = mapped_column(String(300), default="")
    # 容缺受理: a deferred material's due date (the applicant's commitment), and when it came.
    due_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    arrived_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)


class CaseMaterialPage(Base):
    """One scanned page of a case's material row. Its bytes are in the page store
    (storage/page_store.py, the separate encrypted ``materials.db``) under ``sha256``;
    ``rotation`` (0/90/180/270, clockwise) is how it is shown, the bytes stay as stored.
    ``checked_*``: who stamped it "checked against the original", and when."""

    __tablename__ = "case_material_pages"
    __table_args__ = (Index("ix_case_material_pages_material", "material_id", "position"),)
    id: Mapped[str] = mapped_column(Uuid, primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), index=True)
    material_id: Mapped[str] = mapped_column(ForeignKey("case_materials.id"))
    position: Mapped[int] = mapped_column(Integer)
    rotation: Mapped[int] = mapped_column(Integer, default=0)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    mime: Mapped[str] = mapped_column(String(40))
    size: Mapped[int] = mapped_column(Integer)
    added_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    added_by: Mapped[str] = mapped_column(String(36))
    checked_by: Mapped[str | None] = mapped_column(String(36), nullable=True)
    checked_by_name: Mapped[str] = mapped_column(String(60), default="")
    checked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)


def next_event_position(case: Case) -> int:
    """The position of a step appended now to ``case``'s timeline."""
    return max((event.position for event in case.events), default=-1) + 1


class CaseEvent(Base):
    """One step on a case's timeline; both sides append, nothing is edited."""

    __tablename__ = "case_events"
    __table_args__ = (
        # A case's timeline in recorded order, its steps read from the index alone.
        Index("ix_case_events_timeline", "case_id", "position", "at", "to_status", "from_status"),
    )
    id: Mapped[str] = mapped_column(Uuid, primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    operator_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    kind: Mapped[str] = mapped_column(String(30))
    # The order in which steps were recorded here. Times come from two clocks (the
    # window's and the hub's) that may disagree by hours, so they cannot order the steps.
    position: Mapped[int] = mapped_column(Integer, default=0)
    from_status: Mapped[CaseStatus | None] = mapped_column(TextEnum(CaseStatus, 20), nullable=True)
    to_status: Mapped[CaseStatus | None] = mapped_column(TextEnum(CaseStatus, 20), nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[StepSource] = mapped_column(TextEnum(StepSource, 10), default=StepSource.WINDOW)
    # Why a step into "suspended" stops the clock (domain.suspensions); None on other
    # steps and on those from before there were kinds (the wait for materials).
    suspension_kind: Mapped[SuspensionKind | None] = mapped_column(
        TextEnum(SuspensionKind, 20), nullable=True, default=None
    )


class OneTimeNotification(Base):
    """一次性告知: the visit that ended with a complete list of what is missing."""

    __tablename__ = "notifications"
    __table_args__ = (
        Index("ix_notifications_window_created", "window_id", "created_at"),
        Index("ix_notifications_resident_center_created", "resident_id", "center_code", "created_at"),
    )
    id: Mapped[str] = mapped_column(Uuid, primary_key=True)
    number: Mapped[str] = mapped_column(String(44), unique=True)
    center_code: Mapped[str] = mapped_column(ForeignKey("centers.code"))
    window_id: Mapped[str] = mapped_column(ForeignKey("windows.id"))
    operator_id: Mapped[str] = mapped_column(ForeignKey("operators.id"))
    item_code: Mapped[str] = mapped_column(ForeignKey("catalog_items.code"))
    resident_id: Mapped[str | None] = mapped_column(ForeignKey("residents.id"), nullable=True)
    organisation_id: Mapped[str | None] = mapped_column(ForeignKey("organisations.id"), nullable=True)
    # 帮办代办: the agent who came for the applicant, and the power of attorney's date (None: in person).
    agent_resident_id: Mapped[str | None] = mapped_column(ForeignKey("residents.id"), nullable=True)
    power_of_attorney_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    note: Mapped[str] = mapped_column(Text, default="")

    entries: Mapped[list[NotificationEntry]] = relationship(
        order_by="NotificationEntry.position", cascade="all, delete-orphan"
    )


class NotificationEntry(Base):
    __tablename__ = "notification_entries"
    id: Mapped[str] = mapped_column(Uuid, primary_key=True)
    notification_id: Mapped[str] = mapped_column(ForeignKey("notifications.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    material_code: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(200))
    problem: Mapped[MaterialStatus] = mapped_column(TextEnum(MaterialStatus, 12))  # missing / correction
    requirement: Mapped[str] = mapped_column(String(300), default="")
    note: Mapped[str] = mapped_column(String(300), default="")


class Refusal(Base):
    """不予受理: the item cannot be accepted, with reason and legal basis."""

    __tablename__ = "refusals"
    __table_args__ = (
        Index("ix_refusals_window_created", "window_id", "created_at"),
        Index("ix_refusals_resident_center_created", "resident_id", "center_code", "created_at"),
    )
    id: Mapped[str] = mapped_column(Uuid, primary_key=True)
    number: Mapped[str] = mapped_column(String(44), unique=True)
    center_code: Mapped[str] = mapped_column(ForeignKey("centers.code"))
    window_id: Mapped[str] = mapped_column(ForeignKey("windows.id"))
    operator_id: Mapped[str] = mapped_column(ForeignKey("operators.id"))
    item_code: Mapped[str] = mapped_column(ForeignKey("catalog_items.code"))
    resident_id: Mapped[str | None] = mapped_column(ForeignKey("residents.id"), nullable=True)
    organisation_id: Mapped[str | None] = mapped_column(ForeignKey("organisations.id"), nullable=True)
    # 帮办代办: the agent who came for the applicant, and the power of attorney's date (None: in person).
    agent_resident_id: Mapped[str | None] = mapped_column(ForeignKey("residents.id"), nullable=True)
    power_of_attorney_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    reason: Mapped[str] = mapped_column(Text)
    legal_basis: Mapped[str] = mapped_column(Text)


# --- numbering, audit, sync --------------------------------------------------------


class NumberSequence(Base):
    """The last number handed out in one scope; bumped in the same transaction as the
    record that uses it, so a crash can neither skip nor reuse a number."""

    __tablename__ = "number_sequences"
    scope: Mapped[str] = mapped_column(String(80), primary_key=True)
    last_value: Mapped[int] = mapped_column(Integer, default=0)


class AuditEntry(Base):
    """Append-only; each entry carries the hash of the one before it."""

    __tablename__ = "audit_log"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(Uuid, unique=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    operator_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    workstation: Mapped[str] = mapped_column(String(12))
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(40))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class OutboxEvent(Base):
    """A change the hub must learn of, written in the same transaction as the change.

    Confirmed by the hub, it stays here, marked sent with the time (``confirmed_at``), for
    KEEP_SENT_DAYS: should the hub be restored from a backup that lacks it, it is pending
    again and sent again (services/sync.py, storage/sent_events.py). Marked in place, one
    UPDATE a batch: copying it into a table of its own and deleting it here was half of
    the window's CPU in a push (bench/README.md, issue 29, winpush and outbox)."""

    __tablename__ = "outbox"
    # AUTOINCREMENT: a seq is never given again, even after the outbox was emptied.
    # Partial indexes, each holding only the rows of its state: the push reads the pending
    # ones in seq order and the status bar counts them every 30 s on the window's thread
    # (without an index each count read the whole outbox, payloads included), and the
    # refused ones are counted and listed; neither walks the confirmed rows kept 30 days.
    # The forgetting of those finds them by the time of their confirmation.
    __table_args__ = (
        Index("ix_outbox_pending", "seq", sqlite_where=text("state = 'pending'")),
        Index("ix_outbox_rejected", "seq", sqlite_where=text("state = 'rejected'")),
        Index("ix_outbox_confirmed_at", "confirmed_at", sqlite_where=text("confirmed_at IS NOT NULL")),
        {"sqlite_autoincrement": True},
    )
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(Uuid, unique=True)
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(40), index=True)
    kind: Mapped[EventKind] = mapped_column(TextEnum(EventKind, 40))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    state: Mapped[OutboxState] = mapped_column(TextEnum(OutboxState, 12), default=OutboxState.PENDING)
    last_error: Mapped[str] = mapped_column(Text, default="")
    # When the hub confirmed it (state sent), UTC; null while pending or refused.
    confirmed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True, default=None)


class RefusalResolution(Base):
    """A supervisor's word that a change the hub refused has been dealt with (redone,
    corrected, or taken up with the hub's administrators), and what was done. The refused
    event stays in the outbox as it was, for the record; the status bar stops counting it."""

    __tablename__ = "refusal_resolutions"
    event_id: Mapped[str] = mapped_column(Uuid, primary_key=True)  # the refused outbox event's
    resolved_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    supervisor_id: Mapped[str] = mapped_column(ForeignKey("operators.id"))
    supervisor_name: Mapped[str] = mapped_column(String(60))
    note: Mapped[str] = mapped_column(Text)


class LocalSetting(Base):
    """This workstation's own state (center, window, sync cursor) - not user preferences."""

    __tablename__ = "local_settings"
    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


# --- money at the window: receipts, voids, the day's close --------------------------


class Receipt(Base):
    """收据: one payment taken at a window — all fees of a case, or a utility payment.

    Never edited or deleted (the migration adds triggers that refuse it): a mistake is
    corrected by a :class:`ReceiptVoid` pointing at it. ``workstation``/``year``/``seq``
    are the parts of ``number``, kept apart so gaps can be looked for with SQL.
    """

    __tablename__ = "receipts"
    __table_args__ = (
        UniqueConstraint("workstation", "year", "seq"),
        Index("ix_receipts_window_day", "window_id", "business_day"),
        Index("ix_receipts_account", "center_code", "utility", "account_number"),
    )
    id: Mapped[str] = mapped_column(Uuid, primary_key=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    kind: Mapped[ReceiptKind] = mapped_column(TextEnum(ReceiptKind, 10))
    workstation: Mapped[str] = mapped_column(String(12))
    year: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)
    center_code: Mapped[str] = mapped_column(ForeignKey("centers.code"))
    window_id: Mapped[str] = mapped_column(ForeignKey("windows.id"))
    operator_id: Mapped[str] = mapped_column(ForeignKey("operators.id"))
    business_day: Mapped[dt.date] = mapped_column(Date)  # local day whose till holds it
    paid_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    method: Mapped[PaymentMethod] = mapped_column(TextEnum(PaymentMethod, 12))
    amount_fen: Mapped[int] = mapped_column(Integer)
    tendered_fen: Mapped[int | None] = mapped_column(Integer, nullable=True)
    change_fen: Mapped[int | None] = mapped_column(Integer, nullable=True)
    reference: Mapped[str] = mapped_column(String(60), default="")
    waiver_reason: Mapped[str] = mapped_column(Text, default="")
    case_id: Mapped[str | None] = mapped_column(ForeignKey("cases.id"), nullable=True, index=True)
    payer_name: Mapped[str] = mapped_column(String(100), default="")
    utility: Mapped[Utility] = mapped_column(TextEnum(Utility, 12), default=Utility.NONE)  # NONE: a fee receipt
    account_number: Mapped[str] = mapped_column(String(40), default="")
    period: Mapped[str] = mapped_column(String(40), default="")
    payee: Mapped[str] = mapped_column(String(100), default="")

    lines: Mapped[list[ReceiptLine]] = relationship(order_by="ReceiptLine.position", cascade="all")


class ReceiptLine(Base):
    __tablename__ = "receipt_lines"
    id: Mapped[str] = mapped_column(Uuid, primary_key=True)
    receipt_id: Mapped[str] = mapped_column(ForeignKey("receipts.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    department_code: Mapped[str] = mapped_column(String(8), default="")
    description: Mapped[str] = mapped_column(String(200))
    quantity: Mapped[int] = mapped_column(Integer, default=1)
    unit: Mapped[str] = mapped_column(String(20), default="")
    gross_fen: Mapped[int] = mapped_column(Integer)
    amount_fen: Mapped[int] = mapped_column(Integer)
    explanation: Mapped[str] = mapped_column(String(400), default="")


class ReceiptVoid(Base):
    """作废: a receipt taken back, with the reason and the supervisor who approved it.
    The receipt itself stays as it was; its day's totals leave it out."""

    __tablename__ = "receipt_voids"
    __table_args__ = (Index("ix_receipt_voids_window_day", "window_id", "business_day"),)
    id: Mapped[str] = mapped_column(Uuid, primary_key=True)
    number: Mapped[str] = mapped_column(String(44), unique=True)
    receipt_id: Mapped[str] = mapped_column(ForeignKey("receipts.id"), unique=True)
    center_code: Mapped[str] = mapped_column(ForeignKey("centers.code"))
    window_id: Mapped[str] = mapped_column(ForeignKey("windows.id"))
    operator_id: Mapped[str] = mapped_column(ForeignKey("operators.id"))
    supervisor_id: Mapped[str] = mapped_column(ForeignKey("operators.id"))
    business_day: Mapped[dt.date] = mapped_column(Date)  # the voided receipt's day
    voided_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    reason: Mapped[str] = mapped_column(Text)


class DayClose(Base):
    """日结: one window's till closed for one day, confirmed by a supervisor. Once it
    exists, no receipt or void of that day can be added."""

    __tablename__ = "day_closes"
    __table_args__ = (UniqueConstraint("window_id", "business_day"),)
    id: Mapped[str] = mapped_column(Uuid, primary_key=True)
    center_code: Mapped[str] = mapped_column(ForeignKey("centers.code"))
    window_id: Mapped[str] = mapped_column(ForeignKey("windows.id"))
    workstation: Mapped[str] = mapped_column(String(12))
    business_day: Mapped[dt.date] = mapped_column(Date)
    closed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    operator_id: Mapped[str] = mapped_column(ForeignKey("operators.id"))
    supervisor_id: Mapped[str] = mapped_column(ForeignKey("operators.id"))
    receipt_count: Mapped[int] = mapped_column(Integer)
    void_count: Mapped[int] = mapped_column(Integer)
    first_number: Mapped[str] = mapped_column(String(40), default="")
    last_number: Mapped[str] = mapped_column(String(40), default="")
    totals: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # method -> {"receipts", "amount_fen"}
    expected_cash_fen: Mapped[int] = mapped_column(Integer)
    counted_cash_fen: Mapped[int] = mapped_column(Integer)
    difference_fen: Mapped[int] = mapped_column(Integer)
    explanation: Mapped[str] = mapped_column(Text, default="")


from windowdesk.storage import (  # noqa: E402  (their tables join Base.metadata)
    models_applications,  # noqa: F401
    models_delivery,  # noqa: F401
    models_forms,  # noqa: F401
    models_quality,  # noqa: F401
)
