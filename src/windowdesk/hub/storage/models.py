"""The hub's schema (SQLAlchemy 2 declarative models), on SQLite or PostgreSQL.

Three groups:

- what the hub owns and publishes: centers, windows, departments, catalog versions and
  items, calendar overrides, operators; who may talk to it: workstations, enrollment
  codes, staff tokens (tokens and codes are stored as SHA-256 hashes only);
- what windows push: every event as received (``pushed_events``, the event id is the
  idempotency key) and the projections needed to validate the next event and to decide
  cases (residents, organisations, cases, notifications, refusals, case events), and
  each workstation's audit log, append-only (``audit_entries``);
- the change feed (``changes``): the global, gap-tolerant but never-reordered sequence
  every client pulls after its cursor.

Times are aware UTC in Python and naive UTC in the database. The full payload of a pushed
event (with its personal data) lives only in ``pushed_events.payload``; projections keep
the columns the rules need.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from enum import StrEnum
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from sqlalchemy import (
    BigInteger,
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
    cast,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import JSON, TypeDecorator

from windowdesk.domain.applicants import ApplicantKind
from windowdesk.domain.case_sources import CaseSource
from windowdesk.domain.case_state import CaseStatus
from windowdesk.domain.case_steps import StepKind, StepSource
from windowdesk.domain.catalog_model import CenterKind
from windowdesk.domain.commitment import VerificationResult
from windowdesk.domain.permissions import Role
from windowdesk.domain.suspensions import SuspensionKind
from windowdesk.sync.protocol import AUDIT_REFUSAL_RESOLVED, ChangeKind, PushedEventStatus

if TYPE_CHECKING:
    from sqlalchemy import BindParameter, ColumnElement, Table

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class _SqliteJson(TypeDecorator[Any]):
    """JSON stored as text, also when given as UTF-8 bytes (database.EncodedJson): SQLite
    would keep bytes as a blob, which its JSON functions do not read as this text."""

    impl = JSON
    cache_ok = True

    def bind_expression(self, bindvalue: BindParameter[Any]) -> ColumnElement[str]:
        return cast(bindvalue, Text)


# JSONB on PostgreSQL (compact, indexable), JSON text on SQLite.
Json = _SqliteJson().with_variant(JSONB(), "postgresql")
# A 64-bit counter that is still SQLite's rowid alias (only "INTEGER PRIMARY KEY" is).
Counter = BigInteger().with_variant(Integer(), "sqlite")
Uuid = String(36)
CenterCode = String(8)
WindowId = String(12)  # "<center>-<window code>", as on the client


BOUND_TEXTS_KEPT = 4096  # about a batch's worth of distinct times


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Aware datetimes in, aware UTC datetimes out; naive UTC in the database."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where UTC is required")
        return value.astimezone(dt.UTC).replace(tzinfo=None)

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        return None if value is None else value.replace(tzinfo=dt.UTC)

    def bind_processor(self, dialect: Any) -> Callable[[dt.datetime | None], Any] | None:
        if dialect.name != "sqlite":
            return super().bind_processor(dialect)
        utc = dt.UTC
        # The texts of the values bound lately, by value: a push binds its own "now" three
        # times per event and a case's time twice (its row and its first step), and a
        # 10,000-event push binds 60,000 times. Equal instants give the same UTC text
        # whatever their zone, so equality is the right key. Shared by threads: a lost
        # entry costs only its text again.
        texts: dict[dt.datetime, str] = {}

        # One step instead of this class's and SQLite DATETIME's. The text is SQLite
        # DATETIME's storage format, as SQLAlchemy reads it back: "2026-11-25 09:30:00.000000".
        def process(value: dt.datetime | None) -> str | None:
            if value is None:
                return None
            text = texts.get(value)
            if text is not None:
                return text
            if value.tzinfo is None:
                raise ValueError("naive datetime given where UTC is required")
            text = value.astimezone(utc).replace(tzinfo=None).isoformat(" ", "microseconds")
            if len(texts) >= BOUND_TEXTS_KEPT:
                texts.clear()
            texts[value] = text
            return text

        return process


_Values = TypeVar("_Values", bound=StrEnum)


class TextEnum(TypeDecorator[_Values]):
    """A column with a fixed set of values, a StrEnum of domain/: the value in the database
    (a plain VARCHAR, as before: no migration, no native enum type), the member in Python.
    A value outside the set is refused when written, and fails loudly when read."""

    impl = String
    cache_ok = True

    def __init__(self, values: type[_Values], length: int) -> None:
        super().__init__(length)
        self.values = values
        # By word, for the per-row conversions: a dictionary look-up is about a tenth of
        # the enum's own call (a 10,000-event push converts some 40,000 values).
        self._words: dict[str, str] = {member.value: member.value for member in values}
        self._members: dict[str, _Values] = {member.value: member for member in values}

    def process_bind_param(self, value: str | None, dialect: Any) -> str | None:
        if value is None:
            return None
        if value.__class__ is self.values:
            return value._value_
        word = self._words.get(value)
        # Outside the set: the enum's own error ("'fax' is not a valid CaseSource").
        return self.values(value).value if word is None else word

    def process_result_value(self, value: str | None, dialect: Any) -> _Values | None:
        if value is None:
            return None
        member = self._members.get(value)
        return self.values(value) if member is None else member


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    if TYPE_CHECKING:
        # Every model here is declared on a Table (none on a join or a select); SQLAlchemy
        # types __table__ as any FromClause, which insert() and update() do not accept.
        __table__: ClassVar[Table]


# --- organisation, owned by the hub ---------------------------------------------------


class Center(Base):
    __tablename__ = "centers"
    code: Mapped[str] = mapped_column(CenterCode, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[CenterKind] = mapped_column(TextEnum(CenterKind, 20))
    timezone: Mapped[str] = mapped_column(String(40), default="Asia/Shanghai")


class Window(Base):
    __tablename__ = "windows"
    __table_args__ = (UniqueConstraint("center_code", "code"),)
    id: Mapped[str] = mapped_column(WindowId, primary_key=True)
    center_code: Mapped[str] = mapped_column(ForeignKey("centers.code"))
    code: Mapped[str] = mapped_column(String(4))
    name: Mapped[str] = mapped_column(String(100))


class Department(Base):
    __tablename__ = "departments"
    code: Mapped[str] = mapped_column(String(8), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))


class CatalogVersion(Base):
    """One published catalog: the three documents exactly as imported."""

    __tablename__ = "catalog_versions"
    version: Mapped[str] = mapped_column(String(40), primary_key=True)
    published_at: Mapped[dt.date] = mapped_column(Date)
    content_sha256: Mapped[str] = mapped_column(String(64))
    documents: Mapped[dict[str, Any]] = mapped_column(Json)
    imported_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class CatalogItem(Base):
    """Every item ever published; an item dropped by a later version stays known
    (inactive), because a case accepted offline before the change is still valid."""

    __tablename__ = "catalog_items"
    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    department_code: Mapped[str] = mapped_column(String(8))
    parallel_departments: Mapped[list[str]] = mapped_column(Json, default=list)
    catalog_version: Mapped[str] = mapped_column(String(40))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class CalendarOverride(Base):
    __tablename__ = "calendar_overrides"
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    is_working_day: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str] = mapped_column(String(200), default="")
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class HubKey(Base):
    """The hub's lasting identity (one row): made with its database, kept by a restore.
    Every reply names it; the windows pin it at enrollment (migration 0010_h21_hub_id)."""

    __tablename__ = "hub_key"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)  # always 1
    hub_id: Mapped[str] = mapped_column(String(36))


class HubIdentity(Base):
    """Which life of the hub's database this is: a new generation begins with every
    restore from a backup. The windows compare it with the one they last saw, and send
    again what the hub confirmed but may have lost (services/sync.py on the client)."""

    __tablename__ = "hub_identity"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)  # always 1
    generation: Mapped[str] = mapped_column(Uuid)
    since: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class CalendarYear(Base):
    """A whole year of the official calendar, published once its State Council notice is
    out (domain.calendar.PublishedYear); replaces the shipped data of that year."""

    __tablename__ = "calendar_years"
    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    source: Mapped[str] = mapped_column(String(200), default="")
    holidays: Mapped[dict[str, Any]] = mapped_column(Json)  # ISO day -> name
    makeup_workdays: Mapped[dict[str, Any]] = mapped_column(Json)  # ISO day -> name
    published_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class Operator(Base):
    __tablename__ = "operators"
    id: Mapped[str] = mapped_column(Uuid, primary_key=True)
    login: Mapped[str] = mapped_column(String(60), unique=True)
    display_name: Mapped[str] = mapped_column(String(60))
    role: Mapped[Role] = mapped_column(TextEnum(Role, 20))
    center_code: Mapped[str] = mapped_column(ForeignKey("centers.code"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    # Only a slow salted hash (windowdesk.domain.passwords), published to the operator's
    # center so that workstations verify the password offline.
    password_hash: Mapped[str | None] = mapped_column(String(200), nullable=True)
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=True)
    password_set_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)


# --- who may talk to the hub ---------------------------------------------------------


class Workstation(Base):
    __tablename__ = "workstations"
    id: Mapped[str] = mapped_column(Uuid, primary_key=True)
    center_code: Mapped[str] = mapped_column(ForeignKey("centers.code"))
    window_id: Mapped[str] = mapped_column(ForeignKey("windows.id"))
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    client_version: Mapped[str] = mapped_column(String(40), default="")
    enrolled_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    last_push_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)


class EnrollmentCode(Base):
    __tablename__ = "enrollment_codes"
    code_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    center_code: Mapped[str] = mapped_column(ForeignKey("centers.code"))
    window_id: Mapped[str] = mapped_column(ForeignKey("windows.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    workstation_id: Mapped[str | None] = mapped_column(Uuid, nullable=True)
    # SHA-256 of the installation id of the workstation that used the code: the same
    # installation may ask again when the answer was lost (services.enrollment.enroll).
    installation_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)


class StaffToken(Base):
    """A back-office department's key: it records that department's decisions and reads
    that department's rows of the performance report, until it expires or is revoked."""

    __tablename__ = "staff_tokens"
    id: Mapped[str] = mapped_column(Uuid, primary_key=True)
    department_code: Mapped[str] = mapped_column(ForeignKey("departments.code"))
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)  # refused from then on


# --- what windows push ---------------------------------------------------------------


class PushedEvent(Base):
    """Every event as received, applied or rejected; answers every resend the same way."""

    __tablename__ = "pushed_events"
    __table_args__ = (
        # Why a record a push refers to is missing: its creating event was rejected; and
        # the number a refused case's acceptance carried. An applied acceptance is found
        # by its id, which the case's first step keeps (case_events.event_id): the index
        # of the acceptances by record went (0021_h29pgidx), one entry less a pushed case.
        Index(
            "ix_pushed_events_rejected",
            "entity_id",
            sqlite_where=text(f"status = '{PushedEventStatus.REJECTED.value}'"),
            postgresql_where=text(f"status = '{PushedEventStatus.REJECTED.value}'"),
        ),
    )
    event_id: Mapped[str] = mapped_column(Uuid, primary_key=True)
    # Not indexed (0019_h29pgwal): every reader finds its events by id or among the rejected
    # ones (ix_pushed_events_rejected), and an index no query reads cost every pushed event
    # a WAL record on PostgreSQL.
    workstation_id: Mapped[str] = mapped_column(ForeignKey("workstations.id"))
    client_seq: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(64))
    status: Mapped[PushedEventStatus] = mapped_column(TextEnum(PushedEventStatus, 10))
    reason: Mapped[str] = mapped_column(Text, default="")
    payload: Mapped[dict[str, Any]] = mapped_column(Json)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)  # client clock: kept, never trusted
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    # SHA-256 of the event's content as received (push_rules.IncomingEvent.content_sha256):
    # a resend of its id is compared with it. None for events stored before it was kept.
    content_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)


class Resident(Base):
    __tablename__ = "residents"
    id: Mapped[str] = mapped_column(Uuid, primary_key=True)
    # Not unique: two offline windows may register the same person under two ids. Not
    # indexed (0022_s10hubwrite): the hub finds a resident by id only.
    id_number: Mapped[str] = mapped_column(String(18))
    name: Mapped[str] = mapped_column(String(60))
    center_code: Mapped[str] = mapped_column(ForeignKey("centers.code"))
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class Organisation(Base):
    __tablename__ = "organisations"
    id: Mapped[str] = mapped_column(Uuid, primary_key=True)
    credit_code: Mapped[str] = mapped_column(String(18))  # not indexed: found by id only (0022_s10hubwrite)
    name: Mapped[str] = mapped_column(String(200))
    center_code: Mapped[str] = mapped_column(ForeignKey("centers.code"))
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


# The statuses in which a case waits for someone (a department, or the applicant's
# materials): the console's partial indexes cover only these.
OPEN_CASE_STATUSES = ("accepted", "in_progress", "suspended")
OPEN_CASE_SQL = "status IN ('accepted', 'in_progress', 'suspended')"


class Case(Base):
    __tablename__ = "cases"
    # The city-wide report counts case_figures, not cases: the index of every case by
    # status and acceptance it read once went (0019_h29pgwal).
    __table_args__ = (
        # The console (migration 0014_h26ops): a department's queue (its items' open cases,
        # most urgent first) and the supervision office's red and yellow cards (open cases
        # by promised date). Partial: of a year's cases only the open few are in them.
        # On PostgreSQL they carry the other columns those pages read (0017_h26pages): the
        # open cases are read from the index alone, not from the rows of 2,000,000 cases.
        Index(
            "ix_cases_open_item_due",
            "item_code",
            "promised_date",
            "accepted_at",
            "id",
            sqlite_where=text(OPEN_CASE_SQL),
            postgresql_where=text(OPEN_CASE_SQL),
            postgresql_include=["case_number", "center_code", "status"],
        ),
        Index(
            "ix_cases_open_due",
            "promised_date",
            "status",
            "center_code",
            "item_code",
            sqlite_where=text(OPEN_CASE_SQL),
            postgresql_where=text(OPEN_CASE_SQL),
            postgresql_include=["id"],
        ),
    )
    id: Mapped[str] = mapped_column(Uuid, primary_key=True)
    case_number: Mapped[str] = mapped_column(String(40), unique=True)
    # Not indexed (0021_h29pgidx): the one query that asked for a center's cases alone
    # is a change of its time zone (its cases' figures refreshed, a rare change that reads
    # them all anyway), and every pushed case paid the index an entry; the console's
    # pages read the center from the open cases' indexes. No center is ever deleted.
    center_code: Mapped[str] = mapped_column(ForeignKey("centers.code"))
    # None for a case the hub made: a fully-online item accepted by its department
    # (accepted_by_department; hub/services/department_online.py).
    window_id: Mapped[str | None] = mapped_column(ForeignKey("windows.id"), nullable=True)
    accepted_by_department: Mapped[str | None] = mapped_column(String(8), nullable=True)
    item_code: Mapped[str] = mapped_column(ForeignKey("catalog_items.code"))
    applicant_kind: Mapped[ApplicantKind] = mapped_column(TextEnum(ApplicantKind, 20))
    applicant_id: Mapped[str] = mapped_column(Uuid)
    operator_id: Mapped[str | None] = mapped_column(Uuid, nullable=True)  # as pushed; not checked
    status: Mapped[CaseStatus] = mapped_column(TextEnum(CaseStatus, 20))
    accepted_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)  # client clock
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    # The promised date printed on the acceptance receipt (the window's working-day
    # calendar); None when the window sent none. A later suspension moves the real due
    # date on; the window's own clock knows that, the hub's cards read this one.
    promised_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    # Where the application came from (provincial record): the window, or the online
    # hall's; and the certificate number recorded at 办结 ("" where none is issued).
    source: Mapped[CaseSource] = mapped_column(
        TextEnum(CaseSource, 10), default=CaseSource.WINDOW, server_default=CaseSource.WINDOW.value
    )
    certificate_number: Mapped[str] = mapped_column(String(40), default="", server_default="")
    # 查询密码: a salted slow hash of the code printed on the acceptance receipt
    # (domain.query_codes), never the code; None for a case accepted before codes existed.
    query_code_hash: Mapped[str | None] = mapped_column(String(200), nullable=True)


class CaseProxy(Base):
    """帮办代办: the agent (a resident registered at the case's center) who applied for
    the case's applicant, and the date of the power of attorney the window saw."""

    __tablename__ = "case_proxies"
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), primary_key=True)
    agent_resident_id: Mapped[str] = mapped_column(ForeignKey("residents.id"), index=True)
    power_of_attorney_date: Mapped[dt.date] = mapped_column(Date)


class CaseDeferredMaterial(Base):
    """容缺受理: a material a window accepted the case without, due by the applicant's
    commitment; ``arrived_at`` (the window's clock) once it was brought."""

    __tablename__ = "case_deferred_materials"
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), primary_key=True)
    material_code: Mapped[str] = mapped_column(String(16), primary_key=True)
    due_date: Mapped[dt.date] = mapped_column(Date)
    arrived_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)


class CaseCommitment(Base):
    """告知承诺制: a case a window accepted on the applicant's signed commitment, its
    verification (核查) due date, and the responsible department's verification: result
    "true", or "false" (the case is then marked for revocation and the applicant flagged)."""

    __tablename__ = "case_commitments"
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), primary_key=True)
    verify_due: Mapped[dt.date] = mapped_column(Date, index=True)
    result: Mapped[VerificationResult | None] = mapped_column(TextEnum(VerificationResult, 5), nullable=True)
    verified_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    department_code: Mapped[str | None] = mapped_column(String(8), nullable=True)
    verified_by: Mapped[str] = mapped_column(String(80), default="", server_default="")
    note: Mapped[str] = mapped_column(Text, default="", server_default="")


class CreditKey(Base):
    """The city's credit key (one row): the HMAC key windows hash an applicant's ID number
    with to find a credit flag. Made at the first flag, published in the feed."""

    __tablename__ = "credit_key"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)  # always 1
    key: Mapped[str] = mapped_column(String(64))  # hex of 32 random bytes
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class CreditFlag(Base):
    """A credit flag: a commitment of this applicant was found untrue (its case). While not
    lifted the applicant may use neither 容缺受理 nor 告知承诺制 at any window."""

    __tablename__ = "credit_flags"
    id: Mapped[str] = mapped_column(Uuid, primary_key=True)
    key_hash: Mapped[str] = mapped_column(String(64), index=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), index=True)
    flagged_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    flagged_by: Mapped[str] = mapped_column(String(80))
    reason: Mapped[str] = mapped_column(Text, default="")
    lifted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    lifted_by: Mapped[str] = mapped_column(String(80), default="", server_default="")
    lift_reason: Mapped[str] = mapped_column(Text, default="", server_default="")


class CaseEvent(Base):
    """One step of a case's life as the hub ordered it (by receipt, not client clocks)."""

    __tablename__ = "case_events"
    seq: Mapped[int] = mapped_column(Counter, primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), index=True)
    source: Mapped[StepSource] = mapped_column(TextEnum(StepSource, 10))
    kind: Mapped[StepKind] = mapped_column(TextEnum(StepKind, 30))
    # The step's CaseAction, a part's decision (request_materials) or a verification's
    # result (true / false), by kind: not one set, so a plain string.
    action: Mapped[str | None] = mapped_column(String(20), nullable=True)
    from_status: Mapped[CaseStatus | None] = mapped_column(TextEnum(CaseStatus, 20), nullable=True)
    to_status: Mapped[CaseStatus] = mapped_column(TextEnum(CaseStatus, 20))
    event_id: Mapped[str | None] = mapped_column(Uuid, nullable=True)  # the pushed event, if any
    department_code: Mapped[str | None] = mapped_column(String(8), nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")
    client_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    # Why a step into "suspended" stops the clock (domain.suspensions); None on other
    # steps and on those from before there were kinds (the wait for materials).
    suspension_kind: Mapped[SuspensionKind | None] = mapped_column(
        TextEnum(SuspensionKind, 20), nullable=True, default=None
    )


# When a step happened: the window's clock for its own steps, the hub's for decisions.
# Indexed alone (0019_h29pgwal): the provincial export finds a day's steps through it
# (the same expression, so both databases use it).
STEP_TIME = func.coalesce(CaseEvent.client_at, CaseEvent.recorded_at)
Index("ix_case_events_step_time", STEP_TIME)


class Notification(Base):
    """一次性告知 given at a window."""

    __tablename__ = "notifications"
    id: Mapped[str] = mapped_column(Uuid, primary_key=True)
    number: Mapped[str] = mapped_column(String(44), unique=True)
    center_code: Mapped[str] = mapped_column(ForeignKey("centers.code"), index=True)
    window_id: Mapped[str] = mapped_column(ForeignKey("windows.id"))
    item_code: Mapped[str] = mapped_column(ForeignKey("catalog_items.code"))
    applicant_kind: Mapped[ApplicantKind] = mapped_column(TextEnum(ApplicantKind, 20))
    applicant_id: Mapped[str] = mapped_column(Uuid)
    operator_id: Mapped[str | None] = mapped_column(Uuid, nullable=True)  # as pushed; not checked
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)  # client clock
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    # 帮办代办: the agent who came for the applicant, and the power of attorney's date (None: in person).
    agent_resident_id: Mapped[str | None] = mapped_column(Uuid, nullable=True)
    power_of_attorney_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)


class Refusal(Base):
    """不予受理 given at a window."""

    __tablename__ = "refusals"
    id: Mapped[str] = mapped_column(Uuid, primary_key=True)
    number: Mapped[str] = mapped_column(String(44), unique=True)
    center_code: Mapped[str] = mapped_column(ForeignKey("centers.code"), index=True)
    window_id: Mapped[str] = mapped_column(ForeignKey("windows.id"))
    item_code: Mapped[str] = mapped_column(ForeignKey("catalog_items.code"))
    applicant_kind: Mapped[ApplicantKind] = mapped_column(TextEnum(ApplicantKind, 20))
    applicant_id: Mapped[str] = mapped_column(Uuid)
    operator_id: Mapped[str | None] = mapped_column(Uuid, nullable=True)  # as pushed; not checked
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)  # client clock
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    # 帮办代办: the agent who came for the applicant, and the power of attorney's date (None: in person).
    agent_resident_id: Mapped[str | None] = mapped_column(Uuid, nullable=True)
    power_of_attorney_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)


class AuditRecord(Base):
    """One entry of a workstation's audit log, as the workstation hashed it.

    Append-only: the hub inserts, never updates or deletes. Rows are in arrival order
    (``seq``); each workstation's entries form a hash chain, checked on arrival (a break
    is stored all the same, with ``chain_ok`` false and the reason) and again by
    ``windowdesk-hub audit-check``. ``at`` is kept as the text that was hashed.
    """

    __tablename__ = "audit_entries"
    __table_args__ = (
        Index("ix_audit_entries_window", "window_id", "seq"),
        # A window's supervisor resolved a refused change (services/refused_changes.py).
        Index(
            "ix_audit_entries_refusal_resolved",
            "workstation_id",
            sqlite_where=text(f"action = '{AUDIT_REFUSAL_RESOLVED}'"),
            postgresql_where=text(f"action = '{AUDIT_REFUSAL_RESOLVED}'"),
        ),
    )
    seq: Mapped[int] = mapped_column(Counter, primary_key=True, autoincrement=True)
    entry_id: Mapped[str] = mapped_column(Uuid, unique=True)
    # Not indexed alone (0022_s10hubwrite): a workstation's entries all carry its window
    # (window_id, the pusher's), so its readers go through ix_audit_entries_window, and
    # each entry is written into one B-tree fewer. No workstation is ever deleted.
    workstation_id: Mapped[str] = mapped_column(ForeignKey("workstations.id"))
    center_code: Mapped[str] = mapped_column(CenterCode)
    window_id: Mapped[str] = mapped_column(WindowId)
    client_seq: Mapped[int] = mapped_column(BigInteger)
    at: Mapped[str] = mapped_column(String(40))  # client clock, ISO 8601 as hashed
    operator_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(64))
    detail: Mapped[dict[str, Any]] = mapped_column(Json)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    chain_ok: Mapped[bool] = mapped_column(Boolean)
    problem: Mapped[str] = mapped_column(Text, default="")
    event_id: Mapped[str] = mapped_column(Uuid)  # the pushed event that carried it
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


# --- the change feed -------------------------------------------------------------------


class Change(Base):
    """One change every client (center_code NULL) or one center's clients must apply.

    ``seq`` comes from the database (SQLite rowid / PostgreSQL identity); appends are
    serialized (see storage.database) so that seq order is commit order.
    """

    __tablename__ = "changes"
    __table_args__ = {"sqlite_autoincrement": True}  # noqa: RUF012 - declarative table options SQLAlchemy reads
    seq: Mapped[int] = mapped_column(Counter, primary_key=True, autoincrement=True)
    kind: Mapped[ChangeKind] = mapped_column(TextEnum(ChangeKind, 40))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(64))
    center_code: Mapped[str | None] = mapped_column(CenterCode, nullable=True, index=True)
    payload: Mapped[dict[str, Any]] = mapped_column(Json)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


# Their tables join Base.metadata.
from windowdesk.hub.storage import (  # noqa: E402,F401
    models_applications,
    models_console,
    models_delivery,
    models_figures,
    models_forms,
    models_pages,
    models_public,
    models_quality,
    models_queue,
)
