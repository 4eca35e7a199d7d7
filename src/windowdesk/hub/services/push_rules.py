"""What each kind of pushed event must carry, when the hub refuses it, and what it writes.

A rule reads one event against a :class:`BatchView` (what the hub knows, including the
events applied earlier in the same batch) and either raises :class:`Rejected` with a
plain-English reason or returns a :class:`Plan`: the statements to run (with the rest of
the batch, or alone in the event's savepoint, see push.py) and how to update the view.

Reasons name fields, codes and human numbers, never personal data (no ID numbers or
names), because they are shown at the window and may end up in logs.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any, Generic, Literal, TypeGuard, TypeVar, overload

import pydantic_core
from sqlalchemy import bindparam, insert, update
from sqlalchemy.sql import Executable

from windowdesk.domain.applicants import ApplicantKind
from windowdesk.domain.case_state import CaseAction, CaseStatus, InvalidTransition, next_status
from windowdesk.domain.case_steps import StepKind, StepSource
from windowdesk.domain.catalog_model import CENTER_CODE, MATERIAL_CODE, WINDOW_CODE
from windowdesk.domain.ids import parse_resident_id, parse_uscc
from windowdesk.domain.numbering import DocumentSeries, canonical_number
from windowdesk.domain.query_codes import is_query_code_hash
from windowdesk.domain.suspensions import SUSPENSION_KINDS, SuspensionKind
from windowdesk.errors import ValidationError
from windowdesk.hub.language import Text, transition_text
from windowdesk.hub.services import delivery_rules as _delivery
from windowdesk.hub.services.audit_chain import HASH, AuditFields, arrival_problems
from windowdesk.hub.storage.database import EncodedJson, encode_json, storable_text
from windowdesk.hub.storage.models import (
    AuditRecord,
    Case,
    CaseCommitment,
    CaseDeferredMaterial,
    CaseEvent,
    CaseProxy,
    Notification,
    Organisation,
    Refusal,
    Resident,
)
from windowdesk.i18n import N_
from windowdesk.sync.protocol import EVENT_ENTITIES, EVENT_KINDS, EVENT_REQUIRED_FIELDS, EventEntity, EventKind

APPLICANT_KINDS = tuple(ApplicantKind)
# Identifiers as windows write them (issue 21, finding 5): a record's id is a UUID in its
# canonical form (domain.uuid7), codes are those of the catalog (domain.catalog_model), a
# window id is "<center>-<window code>". A malformed one rejects its event, and the reason
# never repeats it (it may be anything: a formula, control characters).
UUID_TEXT = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
WINDOW_ID = re.compile(CENTER_CODE.pattern.strip("^$") + "-" + WINDOW_CODE.pattern.strip("^$"))


def is_uuid(value: object) -> TypeGuard[str]:
    return isinstance(value, str) and UUID_TEXT.fullmatch(value) is not None


# The records a reason names by their kind, in words (and in the window's language).
_RECORD_WORDS: dict[str, str] = {
    EventEntity.RESIDENT: N_("resident"),
    EventEntity.ORGANISATION: N_("organisation"),
    EventEntity.NOTIFICATION: N_("notification"),
    EventEntity.REFUSAL: N_("refusal"),
}
ACTIONS = tuple(action.value for action in CaseAction)


class Rejected(Exception):
    """An event the hub will not apply, and why: an English template and its values,
    worded in the window's language when the push is answered (hub/language.py)."""

    def __init__(self, template: str, **values: Any) -> None:
        self.text = Text(template, **values)
        super().__init__(self.text.render())  # in English, for a traceback or the log

    def worded(self, language: str) -> str:
        return self.text.render(language)


@dataclass(frozen=True)
class Pusher:
    """The authenticated workstation sending the batch."""

    workstation_id: str
    center_code: str
    window_id: str


_T = TypeVar("_T")


class _ComputedOnce(Generic[_T]):
    """functools.cached_property without its lock: Python 3.11's takes a lock at every first
    read, which cost a push's two per event 0.8 µs an event (the lock went in 3.12). An
    event is read by one thread; two threads computing it at once would store the same."""

    def __init__(self, compute: Callable[[Any], _T]) -> None:
        self.compute = compute
        self.name = compute.__name__
        self.__doc__ = compute.__doc__

    @overload
    def __get__(self, instance: None, owner: type | None = None) -> _ComputedOnce[_T]: ...
    @overload
    def __get__(self, instance: object, owner: type | None = None) -> _T: ...
    def __get__(self, instance: object | None, owner: type | None = None) -> _T | _ComputedOnce[_T]:
        if instance is None:
            return self
        value = instance.__dict__[self.name] = self.compute(instance)  # later reads find it there
        return value


# IncomingEvent, CaseFacts, Plan (and push.PushOutcome) are made once per event or more,
# so not frozen: a frozen dataclass costs twice as much to make. Nothing changes them.
@dataclass
class IncomingEvent:
    event_id: str
    seq: int
    entity: str
    entity_id: str
    kind: str
    payload: dict[str, Any]
    created_at: dt.datetime  # the client's clock: stored, never trusted
    # The payload's bytes as the window sent them (protocol 2), set only once they were
    # found to be what the hub would store: one JSON object, UTF-8, no repeated key, no
    # NUL, no lone surrogate, no NaN (hub/api/push_body.py). Stored as they are.
    checked_json: bytes | None = None

    @_ComputedOnce
    def stored_payload(self) -> EncodedJson | None:
        """Encoded once, for the storability check and for pushed_events alike; the
        window's own bytes when they were checked (not encoded again)."""
        if self.checked_json is not None:
            return EncodedJson(self.checked_json)
        return stored_payload(self.payload)

    @_ComputedOnce
    def content_sha256(self) -> str:
        """SHA-256 of what the event says (its kind, record and payload; not its seq or
        clock), over the payload as stored: hashing those bytes costs a fiftieth of a
        push, encoding it again with sorted keys a quarter. A resend whose hash differs
        is compared canonically (same_content) before it is called a conflict, so a
        window that orders its keys differently is not refused."""
        payload = self.stored_payload
        encoded = payload.utf8 if payload is not None else canonical_json(self.payload)
        digest = hashlib.sha256(
            f"{self.kind}\x00{self.entity}\x00{self.entity_id}\x00".encode("utf-8", "surrogatepass")
        )
        digest.update(encoded)  # not joined to the head: no copy of the payload
        return digest.hexdigest()


def canonical_json(payload: object) -> bytes:
    """One text for one content whatever the order of its keys (ASCII, so a lone surrogate
    or a NUL is escaped; NaN is written as NaN)."""
    return json.dumps(payload, sort_keys=True, separators=(",", ":")).encode("ascii")


def same_content(event: IncomingEvent, kind: str, entity: str, entity_id: str, payload: object) -> bool:
    """Whether ``event`` says what an event stored as the other arguments said."""
    return (event.kind, event.entity, event.entity_id) == (kind, entity, entity_id) and (
        canonical_json(event.payload) == canonical_json(payload)
    )


@dataclass
class CaseFacts:
    number: str
    center_code: str
    status: str


@dataclass
class BatchView:
    """What the hub knows that the rules need, for the records this batch mentions."""

    cases: dict[str, CaseFacts] = field(default_factory=dict)
    case_numbers: set[str] = field(default_factory=set)
    residents: set[str] = field(default_factory=set)  # of the pusher's center
    organisations: set[str] = field(default_factory=set)  # of the pusher's center
    foreign_ids: set[str] = field(default_factory=set)  # residents, organisations of other centers
    notifications: set[str] = field(default_factory=set)  # ids and numbers
    refusals: set[str] = field(default_factory=set)  # ids and numbers
    items: set[str] = field(default_factory=set)
    windows: dict[str, str] = field(default_factory=dict)  # window id -> center code
    # Records whose creating event was rejected: id -> that event's reason.
    rejected: dict[str, str] = field(default_factory=dict)
    # The pusher's audit chain: its last stored hash (None: none yet), the last hash of
    # its window from an earlier enrollment, and the hashes of entries already stored.
    audit_last: str | None = None
    audit_window_last: str | None = None
    audit_entries: dict[str, str] = field(default_factory=dict)
    # Ratings, follow-ups, inquiries, complaints, rectifications: id -> QualityFacts
    # (hub/services/service_quality_rules.py).
    service_quality: dict[str, Any] = field(default_factory=dict)
    # 容缺受理: (case id, material code) -> arrived already, for the cases this batch names.
    deferred: dict[tuple[str, str], bool] = field(default_factory=dict)
    # 网上预审: online application id -> ApplicationFacts (hub/services/application_rules.py).
    applications: dict[str, Any] = field(default_factory=dict)


Statement = tuple[Executable, dict[str, Any]]  # built once, with one event's parameters


@dataclass
class Plan:
    """Statements (built once, below) with their parameters, and the view's update."""

    statements: list[Statement]
    remember: Callable[[BatchView], None]


# Built once: building a statement per event costs more than running it (10,000 events
# make an ordinary end-of-day push).
INSERT_RESIDENT = insert(Resident.__table__)
INSERT_ORGANISATION = insert(Organisation.__table__)
INSERT_CASE = insert(Case.__table__)
INSERT_CASE_EVENT = insert(CaseEvent.__table__)
INSERT_CASE_PROXY = insert(CaseProxy.__table__)
INSERT_DEFERRED_MATERIAL = insert(CaseDeferredMaterial.__table__)
INSERT_CASE_COMMITMENT = insert(CaseCommitment.__table__)
_DEFERRED = CaseDeferredMaterial.__table__
UPDATE_MATERIAL_ARRIVED = (
    update(_DEFERRED)
    .where(_DEFERRED.c.case_id == bindparam("deferred_case"), _DEFERRED.c.material_code == bindparam("material"))
    .values(arrived_at=bindparam("arrived"))
)
INSERT_NOTIFICATION = insert(Notification.__table__)
INSERT_REFUSAL = insert(Refusal.__table__)
INSERT_AUDIT = insert(AuditRecord.__table__)
UPDATE_CASE_STATUS = (
    update(Case.__table__)
    .where(Case.__table__.c.id == bindparam("case_id"))
    .values(status=bindparam("new_status"), updated_at=bindparam("changed_at"))
)
UPDATE_CASE_CERTIFICATE = (
    update(Case.__table__)
    .where(Case.__table__.c.id == bindparam("case_id"))
    .values(certificate_number=bindparam("number"))
)
UPDATE_QUERY_CODE = (
    update(Case.__table__)
    .where(Case.__table__.c.id == bindparam("case_id"))
    .values(query_code_hash=bindparam("code_hash"))
)
# When a batch's statements run grouped (one executemany each), this order keeps every
# row after the rows it refers to; within one statement the events' order is kept.
STATEMENT_ORDER: tuple[Executable, ...] = (
    INSERT_RESIDENT,
    INSERT_ORGANISATION,
    INSERT_CASE,
    INSERT_CASE_PROXY,
    INSERT_DEFERRED_MATERIAL,
    INSERT_CASE_COMMITMENT,
    INSERT_NOTIFICATION,
    INSERT_REFUSAL,
    UPDATE_MATERIAL_ARRIVED,
    UPDATE_CASE_STATUS,
    UPDATE_CASE_CERTIFICATE,
    UPDATE_QUERY_CODE,
    INSERT_CASE_EVENT,
    INSERT_AUDIT,
)
# Kinds whose event creates a record later events refer to (by the event's entity id).
CREATING_KINDS: frozenset[str] = frozenset(
    {
        EventKind.RESIDENT_REGISTERED,
        EventKind.ORGANISATION_REGISTERED,
        EventKind.CASE_ACCEPTED,
        EventKind.NOTIFICATION_GIVEN,
        EventKind.REFUSAL_GIVEN,
    }
)


Rule = Callable[[IncomingEvent, Pusher, BatchView, dt.datetime], Plan]


def _nothing(_view: BatchView) -> None:
    return None


nothing = _nothing  # for the rules in other modules


# --- reading a payload ----------------------------------------------------------------


def utc_instant(value: dt.datetime) -> dt.datetime | None:
    """``value`` (naive: UTC) as an aware UTC datetime, or None when that falls outside the
    years 1..9999 (``0001-01-01T00:00:00+14:00``): times are stored in UTC, and such a time
    cannot be, so the event carrying it is rejected alone instead of failing its batch."""
    if value.tzinfo is dt.UTC:  # as a window writes its times ("+00:00" is read as dt.UTC itself)
        return value
    if value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    try:
        return value.astimezone(dt.UTC)
    except OverflowError:
        return None


class PayloadReader:
    """Typed access to an event's payload; every problem becomes a :class:`Rejected`."""

    def __init__(self, event: IncomingEvent) -> None:
        self.event = event
        self.payload = event.payload
        required = EVENT_REQUIRED_FIELDS.get(event.kind, ())
        payload = self.payload
        # Looked up in one pass in C, then searched for a missing one (None or ""; the
        # same comparisons as `in (None, "")`): nearly always nothing is missing.
        found = [*map(payload.get, required)]
        if None in found or "" in found:
            missing = [name for name in required if payload.get(name) in (None, "")]
            raise Rejected(N_("The {kind} event is missing: {fields}."), kind=event.kind, fields=", ".join(missing))

    def text(self, name: str, max_length: int, *, required: bool = True) -> str:
        value = self.payload.get(name)
        if value is None and not required:
            return ""
        # `value.isspace()`: what `not value.strip()` says of a non-empty text, without a copy.
        if not isinstance(value, str) or (required and (not value or value.isspace())):
            raise Rejected(N_("The {kind} event's field {name!r} must be text."), kind=self.event.kind, name=name)
        if len(value) > max_length:
            raise Rejected(
                N_("The {kind} event's field {name!r} is longer than {max_length} characters."),
                kind=self.event.kind,
                name=name,
                max_length=max_length,
            )
        return value

    def operator(self) -> str | None:
        """Who did it at the window, for the reports: kept as sent when it can be an id,
        else not kept. Never a reason to refuse the work itself."""
        value = self.payload.get("operator")
        return value if is_uuid(value) else None

    @overload
    def timestamp(self, name: str, *, required: Literal[True] = ...) -> dt.datetime: ...
    @overload
    def timestamp(self, name: str, *, required: bool) -> dt.datetime | None: ...
    def timestamp(self, name: str, *, required: bool = True) -> dt.datetime | None:
        value = self.payload.get(name)
        if value is None and not required:
            return None
        try:
            parsed = dt.datetime.fromisoformat(value) if isinstance(value, str) else None
        except ValueError:
            parsed = None
        if parsed is None:
            raise Rejected(
                N_("The {kind} event's field {name!r} is not an ISO date and time."),
                kind=self.event.kind,
                name=name,
            )
        in_utc = utc_instant(parsed)
        if in_utc is None:
            raise Rejected(
                N_("The {kind} event's field {name!r} is a date and time that cannot be expressed in UTC."),
                kind=self.event.kind,
                name=name,
            )
        return in_utc

    def day(self, name: str, *, required: bool = True) -> dt.date | None:
        value = self.payload.get(name)
        if value is None and not required:
            return None
        parsed = None
        if isinstance(value, str) and len(value) == len("2026-12-01"):
            try:
                parsed = dt.date.fromisoformat(value)
            except ValueError:
                parsed = None
        if parsed is None:
            raise Rejected(
                N_("The {kind} event's field {name!r} is not a date like 2026-12-01."),
                kind=self.event.kind,
                name=name,
            )
        return parsed

    def integer(self, name: str) -> int:
        value = self.payload.get(name)
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 2**63:
            raise Rejected(
                N_("The {kind} event's field {name!r} must be a whole number."),
                kind=self.event.kind,
                name=name,
            )
        return value

    def id_number(self) -> str:
        """A resident ID number as the window checked it (canonical form, valid check
        character); the reason never repeats it: it is personal data."""
        value = self.text("id_number", 18)
        try:
            valid = parse_resident_id(value).number == value
        except ValidationError:
            valid = False
        if not valid:
            raise Rejected(
                N_("The {kind} event's id_number is not a valid resident ID number."),
                kind=self.event.kind,
            )
        return value

    def credit_code(self) -> str:
        value = self.text("credit_code", 18)
        try:
            valid = parse_uscc(value).code == value
        except ValidationError:
            valid = False
        if not valid:
            raise Rejected(
                N_("The {kind} event's credit_code is not a valid unified social credit code."),
                kind=self.event.kind,
            )
        return value

    def number(self, series: DocumentSeries, center: str) -> str:
        """A case, notification or refusal number, well formed and of the pusher's center."""
        value = self.text("number", 44)
        parsed = canonical_number(value, series)
        if parsed is None:
            raise Rejected(N_("The {kind} event's number is not a well-formed number."), kind=self.event.kind)
        if parsed.center_code != center:
            raise Rejected(
                N_("The number {value} belongs to center {center_of_number}, not to center {center}."),
                value=value,
                center_of_number=parsed.center_code,
                center=center,
            )
        return value

    def own_id(self, entity: str) -> str:
        """The record's id: the payload's "id", which must be the event's entity id."""
        if self.event.entity != entity:
            raise Rejected(
                N_("A {kind} event must be about a {entity}, not {sent!r}."),
                kind=self.event.kind,
                entity=entity,
                sent=self.event.entity[:40],
            )
        record_id = self.text("id", 36)
        if record_id != self.event.entity_id:
            raise Rejected(N_("The {kind} event's payload id does not match its entity id."), kind=self.event.kind)
        return record_id

    def center(self, pusher: Pusher) -> str:
        center = self.text("center", 8)
        if CENTER_CODE.fullmatch(center) is None:
            raise Rejected(N_("The {kind} event's center is not a center code."), kind=self.event.kind)
        if center != pusher.center_code:
            raise Rejected(
                N_(
                    "This {kind} event is for center {center}, but the workstation is enrolled for center {own_center}."
                ),
                kind=self.event.kind,
                center=center,
                own_center=pusher.center_code,
            )
        return center

    def window(self, view: BatchView, center: str) -> str:
        window = self.text("window", 12)
        if WINDOW_ID.fullmatch(window) is None:
            raise Rejected(N_("The {kind} event's window is not a window id like CH-01."), kind=self.event.kind)
        if view.windows.get(window) != center:
            raise Rejected(
                N_("Window {window} is not a window of center {center} known to the hub."),
                window=window,
                center=center,
            )
        return window

    def item(self, view: BatchView) -> str:
        item = self.text("item", 16)
        if item not in view.items:
            raise Rejected(N_("Item {item} is not in any service catalog the hub has published."), item=item)
        return item

    def applicant(self, view: BatchView, center: str) -> tuple[str, str]:
        value = self.payload.get("applicant")
        kind = value.get("kind") if isinstance(value, dict) else None
        applicant_id = value.get("id") if isinstance(value, dict) else None
        if kind not in APPLICANT_KINDS or not is_uuid(applicant_id):
            raise Rejected(
                N_('The {kind} event\'s applicant must be {{"kind": "resident" or "organisation", "id": ...}}.'),
                kind=self.event.kind,
            )
        known = view.residents if kind == "resident" else view.organisations
        if applicant_id not in known:
            earlier = view.rejected.get(applicant_id)
            if earlier:
                raise Rejected(
                    N_(
                        "The applicant ({kind} {applicant_id}) was not registered: its registration was rejected "
                        "({earlier})"
                    ),
                    kind=Text(_RECORD_WORDS[kind]),
                    applicant_id=applicant_id,
                    earlier=earlier,
                )
            # The same words whether another center has it or nobody: a window must not
            # learn which ids exist elsewhere.
            raise Rejected(
                N_("The applicant ({kind} {applicant_id}) is not registered on the hub at center {center}."),
                kind=Text(_RECORD_WORDS[kind]),
                applicant_id=applicant_id,
                center=center,
            )
        return kind, applicant_id

    def proxy(
        self, view: BatchView, applicant_id: str, accepted_at: dt.datetime, *, record: str | None = None
    ) -> tuple[str, dt.date] | None:
        """帮办代办: the agent (a resident registered at the pusher's center, not the
        applicant) and the power of attorney's date; None for a case (or a ``record``:
        a notification or a refusal) applied for in person."""
        value = self.payload.get("proxy")
        if value is None:
            return None
        agent = value.get("agent") if isinstance(value, dict) else None
        agent_id = agent.get("id") if isinstance(agent, dict) else None
        if not isinstance(agent, dict) or agent.get("kind") != "resident" or not is_uuid(agent_id):
            raise Rejected(
                N_('The {kind} event\'s proxy must name its agent as {{"kind": "resident", "id": ...}}.'),
                kind=self.event.kind,
            )
        if agent_id not in view.residents:
            raise Rejected(
                N_("The agent (resident {agent_id}) is not registered on the hub at this center."), agent_id=agent_id
            )
        if agent_id == applicant_id:
            if record is not None:
                raise Rejected(
                    N_("The agent of {record} {record_id} is its applicant."),
                    record=Text(_RECORD_WORDS[record]),
                    record_id=self.event.entity_id,
                )
            raise Rejected(N_("The agent of case {case_id} is its applicant."), case_id=self.event.entity_id)
        raw = value.get("power_of_attorney_date")
        try:
            signed = dt.date.fromisoformat(raw) if isinstance(raw, str) else None
        except ValueError:
            signed = None
        if signed is None:
            raise Rejected(N_("The {kind} event's power_of_attorney_date is not an ISO date."), kind=self.event.kind)
        # The window checked it against its own day; no time zone puts that day later than this.
        if signed > (accepted_at + dt.timedelta(hours=14)).date():
            if record is not None:
                raise Rejected(
                    N_("The power of attorney of {record} {record_id} is dated after it was given."),
                    record=Text(_RECORD_WORDS[record]),
                    record_id=self.event.entity_id,
                )
            raise Rejected(
                N_("The power of attorney of case {case_id} is dated after the case was accepted."),
                case_id=self.event.entity_id,
            )
        return agent_id, signed

    def deferral(self, accepted_at: dt.datetime) -> tuple[dt.date, list[str]] | None:
        """容缺受理: the committed date (not before the acceptance's day) and the codes of
        the materials to follow; None for a case accepted with everything in."""
        value = self.payload.get("deferral")
        if value is None:
            return None
        raw = value.get("commitment_date") if isinstance(value, dict) else None
        codes = value.get("materials") if isinstance(value, dict) else None
        try:
            committed = dt.date.fromisoformat(raw) if isinstance(raw, str) else None
        except ValueError:
            committed = None
        if committed is None:
            raise Rejected(N_("The case.accepted event's deferral.commitment_date is not an ISO date."))
        if (
            not isinstance(codes, list)
            or not codes
            or len(set(map(str, codes))) != len(codes)
            or not all(isinstance(c, str) and MATERIAL_CODE.fullmatch(c) for c in codes)
        ):
            raise Rejected(N_("The case.accepted event's deferral.materials must list material codes, each once."))
        # No time zone puts the window's day later than this one.
        if committed < (accepted_at - dt.timedelta(hours=12)).date():
            raise Rejected(
                N_("Case {case_id}: the materials to follow were due before the case was accepted."),
                case_id=self.event.entity_id,
            )
        return committed, codes

    def commitment(self, accepted_at: dt.datetime) -> dt.date | None:
        """告知承诺制: the verification's due date (not before the acceptance's day); None
        for a case accepted otherwise."""
        value = self.payload.get("commitment")
        if value is None:
            return None
        raw = value.get("verify_due") if isinstance(value, dict) else None
        try:
            due = dt.date.fromisoformat(raw) if isinstance(raw, str) else None
        except ValueError:
            due = None
        if due is None:
            raise Rejected(N_("The case.accepted event's commitment.verify_due is not an ISO date."))
        # No time zone puts the window's day later than this one.
        if due < (accepted_at - dt.timedelta(hours=12)).date():
            raise Rejected(
                N_("Case {case_id}: the commitment's verification was due before the case was accepted."),
                case_id=self.event.entity_id,
            )
        return due


def unknown_case(view: BatchView, case_id: str) -> Rejected:
    earlier = view.rejected.get(case_id)
    if earlier:
        return Rejected(
            N_("Case {case_id} is not on the hub: its acceptance was rejected ({earlier})"),
            case_id=case_id,
            earlier=earlier,
        )
    return Rejected(N_("Case {case_id} is not on the hub: its acceptance never arrived."), case_id=case_id)


# --- the rules, one per kind ----------------------------------------------------------


def resident_registered(event: IncomingEvent, pusher: Pusher, view: BatchView, now: dt.datetime) -> Plan:
    read = PayloadReader(event)
    resident_id = read.own_id(EventEntity.RESIDENT)
    values = dict(
        id=resident_id,
        id_number=read.id_number(),
        name=read.text("name", 60),
        center_code=read.center(pusher),
        received_at=now,
    )
    if resident_id in view.residents or resident_id in view.foreign_ids:
        raise Rejected(
            N_("Resident {resident_id} is already registered on the hub by another event."),
            resident_id=resident_id,
        )
    return Plan([(INSERT_RESIDENT, values)], lambda v: v.residents.add(resident_id))


def organisation_registered(event: IncomingEvent, pusher: Pusher, view: BatchView, now: dt.datetime) -> Plan:
    read = PayloadReader(event)
    organisation_id = read.own_id(EventEntity.ORGANISATION)
    values = dict(
        id=organisation_id,
        credit_code=read.credit_code(),
        name=read.text("name", 200),
        center_code=read.center(pusher),
        received_at=now,
    )
    if organisation_id in view.organisations or organisation_id in view.foreign_ids:
        raise Rejected(
            N_("Organisation {organisation_id} is already registered on the hub by another event."),
            organisation_id=organisation_id,
        )
    return Plan([(INSERT_ORGANISATION, values)], lambda v: v.organisations.add(organisation_id))


def case_accepted(event: IncomingEvent, pusher: Pusher, view: BatchView, now: dt.datetime) -> Plan:
    read = PayloadReader(event)
    case_id = read.own_id(EventEntity.CASE)
    center = read.center(pusher)
    number = read.number(DocumentSeries.CASE, center)
    if len(number) > 40:
        raise Rejected(N_("The case number {number} is longer than 40 characters."), number=number)
    window = read.window(view, center)
    item = read.item(view)
    applicant_kind, applicant_id = read.applicant(view, center)
    accepted_at = read.timestamp("accepted_at")
    promised_date = read.day("promised_date", required=False)
    code_hash = _query_code_hash(read, required=False)
    proxy = read.proxy(view, applicant_id, accepted_at)
    deferral = read.deferral(accepted_at)
    verify_due = read.commitment(accepted_at)
    if case_id in view.cases:
        raise Rejected(N_("Case {number} is already on the hub (sent by another event)."), number=number)
    if number in view.case_numbers:
        raise Rejected(N_("The case number {number} is already used by another case on the hub."), number=number)
    accepted = CaseStatus.ACCEPTED.value
    # 来源: a case finishing an online application (网上申报) is online; the application is
    # completed with it (application_rules; one of another center is left alone).
    source, online = _applications.case_source(read, center, now)
    statements: list[Statement] = [
        (
            INSERT_CASE,
            dict(
                id=case_id,
                case_number=number,
                center_code=center,
                window_id=window,
                item_code=item,
                applicant_kind=applicant_kind,
                applicant_id=applicant_id,
                operator_id=read.operator(),
                status=accepted,
                accepted_at=accepted_at,
                received_at=now,
                updated_at=now,
                promised_date=promised_date,
                source=source,
                certificate_number="",
                query_code_hash=code_hash,
            ),
        ),
        (
            INSERT_CASE_EVENT,
            dict(
                case_id=case_id,
                source=StepSource.WINDOW,
                kind=StepKind.ACCEPTED,
                action=None,
                from_status=None,
                to_status=accepted,
                event_id=event.event_id,
                department_code=None,
                note="",
                client_at=accepted_at,
                recorded_at=now,
                suspension_kind=None,
            ),
        ),
        *_delivery.choice_statements(read.payload, case_id),  # 出件: how the applicant wants the result
    ]
    if proxy is not None:
        statements.append(
            (INSERT_CASE_PROXY, dict(case_id=case_id, agent_resident_id=proxy[0], power_of_attorney_date=proxy[1]))
        )
    if deferral is not None:
        statements += [
            (INSERT_DEFERRED_MATERIAL, dict(case_id=case_id, material_code=code, due_date=deferral[0], arrived_at=None))
            for code in deferral[1]
        ]
    if verify_due is not None:
        statements.append(
            (
                INSERT_CASE_COMMITMENT,
                dict(
                    case_id=case_id,
                    verify_due=verify_due,
                    result=None,
                    verified_at=None,
                    department_code=None,
                    verified_by="",
                    note="",
                ),
            )
        )
    if online is not None:
        statements.append(online)

    def remember(v: BatchView) -> None:
        v.cases[case_id] = CaseFacts(number, center, accepted)
        v.case_numbers.add(number)
        for code in deferral[1] if deferral is not None else ():
            v.deferred[(case_id, code)] = False

    return Plan(statements, remember)


def _query_code_hash(read: PayloadReader, *, required: bool) -> str | None:
    """The case's query code hash as domain.query_codes makes it; the code itself never
    travels. A malformed one is refused: it would lock the resident out for good."""
    value = read.payload.get("query_code_hash")
    if value in (None, "") and not required:
        return None
    if not is_query_code_hash(value):
        raise Rejected(N_("The {kind} event's query_code_hash is not a query code hash."), kind=read.event.kind)
    return value


def query_code_reissued(event: IncomingEvent, pusher: Pusher, view: BatchView, now: dt.datetime) -> Plan:
    """A supervisor gave the case a new query code: its hash replaces the old one, which
    stops opening the case's public page."""
    read = PayloadReader(event)
    case_id = read.own_id(EventEntity.CASE)
    read.center(pusher)
    code_hash = _query_code_hash(read, required=True)
    read.timestamp("at")
    facts = view.cases.get(case_id)
    if facts is None or facts.center_code != pusher.center_code:
        raise unknown_case(view, case_id)
    return Plan([(UPDATE_QUERY_CODE, dict(case_id=case_id, code_hash=code_hash))], _nothing)


def case_status(event: IncomingEvent, pusher: Pusher, view: BatchView, now: dt.datetime) -> Plan:
    read = PayloadReader(event)
    if event.entity != EventEntity.CASE:
        raise Rejected(N_("A case.status event must be about a case, not {entity!r}."), entity=event.entity[:40])
    case_id = event.entity_id
    if read.payload.get("case_id") not in (None, case_id):
        raise Rejected(N_("The case.status event's case_id does not match its entity id."))
    action = read.text("action", 20)
    if action not in ACTIONS:
        raise Rejected(
            N_("The case.status event's action {action!r} is not one of: {actions}."),
            action=action,
            actions=", ".join(ACTIONS),
        )
    at = read.timestamp("at", required=False)
    note = read.text("note", 2000, required=False)
    kind = _suspension_kind(read, action)
    facts = view.cases.get(case_id)
    # Another center's case is answered as one the hub does not have: a window learns
    # nothing about records outside its center (not even that they exist).
    if facts is None or facts.center_code != pusher.center_code:
        raise unknown_case(view, case_id)
    try:
        new_status = next_status(facts.status, action).value
    except InvalidTransition as refusal:
        raise Rejected(N_("Case {number}: {message}"), number=facts.number, message=transition_text(refusal)) from None
    statements: list[Statement] = [
        (UPDATE_CASE_STATUS, dict(case_id=case_id, new_status=new_status, changed_at=now)),
        (
            INSERT_CASE_EVENT,
            dict(
                case_id=case_id,
                source=StepSource.WINDOW,
                kind=StepKind.STATUS,
                action=action,
                from_status=facts.status,
                to_status=new_status,
                event_id=event.event_id,
                department_code=None,
                note=note,
                client_at=at,
                recorded_at=now,
                suspension_kind=kind,
            ),
        ),
    ]
    if action == CaseAction.DELIVER.value:
        statements += _delivery.handover_statements(read.payload, case_id, at)  # 送达: how it was handed over
    certificate = read.text("certificate_number", 40, required=False).strip()
    if certificate:
        if action != CaseAction.COMPLETE.value:
            raise Rejected(N_("Only the \u201ccomplete\u201d step records a certificate number."))
        statements.append((UPDATE_CASE_CERTIFICATE, dict(case_id=case_id, number=certificate)))
    return Plan(statements, lambda v: v.cases.__setitem__(case_id, replace(facts, status=new_status)))


def _suspension_kind(read: PayloadReader, action: str) -> str | None:
    """Why a "suspend" step stops the clock (none: the wait for materials, as windows
    from before the other kinds send it); other steps name none."""
    kind = read.payload.get("suspension_kind")
    if action != CaseAction.SUSPEND.value:
        if kind is not None:
            raise Rejected(N_("Only a \u201csuspend\u201d step names a kind of suspension."))
        return None
    if kind is None:
        return SuspensionKind.MATERIALS.value
    if kind not in SUSPENSION_KINDS:
        raise Rejected(
            N_("The case.status event's suspension_kind {kind!r} is not one of: {kinds}."),
            kind=str(kind)[:40],
            kinds=", ".join(SUSPENSION_KINDS),
        )
    return str(kind)


def material_arrived(event: IncomingEvent, pusher: Pusher, view: BatchView, now: dt.datetime) -> Plan:
    """容缺受理: a material the case was accepted without was brought to the window."""
    read = PayloadReader(event)
    if event.entity != EventEntity.CASE or read.payload.get("case_id") not in (None, event.entity_id):
        raise Rejected(N_('A case.material_arrived event must be about its case (entity "case", its id).'))
    case_id = event.entity_id
    facts = view.cases.get(case_id)
    if facts is None or facts.center_code != pusher.center_code:
        raise unknown_case(view, case_id)
    code = read.text("material", 16)
    arrived_at = read.timestamp("arrived_at")
    arrived = view.deferred.get((case_id, code))
    if arrived is None:
        raise Rejected(
            N_("Case {number} was not accepted without material {material}."), number=facts.number, material=code
        )
    if arrived:
        raise Rejected(
            N_("Material {material} of case {number} has arrived already."), number=facts.number, material=code
        )
    return Plan(
        [(UPDATE_MATERIAL_ARRIVED, dict(deferred_case=case_id, material=code, arrived=arrived_at))],
        lambda v: v.deferred.__setitem__((case_id, code), True),
    )


def _window_record(
    statement: Executable, seen: Callable[[BatchView], set[str]], entity: str, series: DocumentSeries
) -> Rule:
    """notification.given and refusal.given: a numbered record made at the window."""

    def rule(event: IncomingEvent, pusher: Pusher, view: BatchView, now: dt.datetime) -> Plan:
        read = PayloadReader(event)
        record_id = read.own_id(entity)
        center = read.center(pusher)
        number = read.number(series, center)
        window = read.window(view, center)
        item = read.item(view)
        applicant_kind, applicant_id = read.applicant(view, center)
        created_at = read.timestamp("created_at")
        proxy = read.proxy(view, applicant_id, created_at, record=entity)  # 帮办代办: the agent who came, if any
        if record_id in seen(view):
            raise Rejected(
                N_("The {entity} {number} is already on the hub (sent by another event)."),
                entity=Text(_RECORD_WORDS[entity]),
                number=number,
            )
        if number in seen(view):
            raise Rejected(
                N_("The {entity} number {number} is already used on the hub."),
                entity=Text(_RECORD_WORDS[entity]),
                number=number,
            )
        values = dict(
            id=record_id,
            number=number,
            center_code=center,
            window_id=window,
            item_code=item,
            applicant_kind=applicant_kind,
            applicant_id=applicant_id,
            operator_id=read.operator(),
            created_at=created_at,
            received_at=now,
            agent_resident_id=proxy[0] if proxy else None,
            power_of_attorney_date=proxy[1] if proxy else None,
        )
        return Plan([(statement, values)], lambda v: seen(v).update((record_id, number)))

    return rule


def _audit_fields(read: PayloadReader) -> AuditFields:
    operator_id = read.payload.get("operator_id")
    if operator_id is not None and not is_uuid(operator_id):
        raise Rejected(N_("The audit.entry event's field 'operator_id' must be an id or null."))
    detail = read.payload.get("detail", {})
    if not isinstance(detail, dict):
        raise Rejected(N_("The audit.entry event's field 'detail' must be an object."))
    read.timestamp("at")
    return AuditFields(
        id=read.own_id(EventEntity.AUDIT),
        at=read.text("at", 40),
        operator_id=operator_id,
        workstation=read.text("workstation", 12),
        action=read.text("action", 40),
        entity=read.text("entity", 40),
        entity_id=read.text("entity_id", 64),
        detail=detail,
    )


def _chain_hash(read: PayloadReader, name: str) -> str:
    value = read.text(name, 64)
    if not HASH.match(value):
        raise Rejected(N_("The audit.entry event's field {name!r} is not a SHA-256 hash in hex."), name=name)
    return value


def audit_entry(event: IncomingEvent, pusher: Pusher, view: BatchView, now: dt.datetime) -> Plan:
    """One entry of the workstation's audit log, appended to its chain on the hub. A
    break in the chain does not refuse the entry (an auditor needs it): it is flagged."""
    read = PayloadReader(event)
    fields = _audit_fields(read)
    client_seq = read.integer("seq")
    prev_hash, hash_ = _chain_hash(read, "prev_hash"), _chain_hash(read, "hash")
    if fields.workstation != pusher.window_id:
        raise Rejected(
            N_(
                "This audit entry was made at workstation {workstation}, but this workstation is enrolled for window "
                "{window_id}."
            ),
            workstation=fields.workstation,
            window_id=pusher.window_id,
        )
    stored = view.audit_entries.get(fields.id)
    if stored == hash_:
        return Plan([], _nothing)  # sent again under another event id: kept once
    if stored is not None:
        raise Rejected(N_("Audit entry {id} is already on the hub with other content."), id=fields.id)
    problems = arrival_problems(fields, prev_hash, hash_, view.audit_last, view.audit_window_last)
    values = dict(
        entry_id=fields.id,
        workstation_id=pusher.workstation_id,
        center_code=pusher.center_code,
        window_id=pusher.window_id,
        client_seq=client_seq,
        at=fields.at,
        operator_id=fields.operator_id,
        action=fields.action,
        entity=fields.entity,
        entity_id=fields.entity_id,
        detail=fields.detail,
        prev_hash=prev_hash,
        hash=hash_,
        chain_ok=not problems,
        problem="\n".join(problems),
        event_id=event.event_id,
        received_at=now,
    )

    def remember(v: BatchView) -> None:
        v.audit_last = hash_
        v.audit_entries[fields.id] = hash_

    return Plan([(INSERT_AUDIT, values)], remember)


RULES: dict[str, Rule] = {
    EventKind.RESIDENT_REGISTERED: resident_registered,
    EventKind.ORGANISATION_REGISTERED: organisation_registered,
    EventKind.CASE_ACCEPTED: case_accepted,
    EventKind.NOTIFICATION_GIVEN: _window_record(
        INSERT_NOTIFICATION, lambda v: v.notifications, EventEntity.NOTIFICATION, DocumentSeries.NOTIFICATION
    ),
    EventKind.REFUSAL_GIVEN: _window_record(
        INSERT_REFUSAL, lambda v: v.refusals, EventEntity.REFUSAL, DocumentSeries.REFUSAL
    ),
    EventKind.CASE_STATUS: case_status,
    EventKind.CASE_QUERY_CODE_REISSUED: query_code_reissued,
    EventKind.CASE_MATERIAL_ARRIVED: material_arrived,
    EventKind.AUDIT_ENTRY: audit_entry,
}

# Service quality (ratings, inquiries, complaints) has its rules in its own module.
from windowdesk.hub.services import service_quality_rules as _service_quality  # noqa: E402 - uses the helpers above

RULES.update(_service_quality.RULES)
# Money: kept as received once its amounts are whole fen.
from windowdesk.hub.services import money_rules as _money  # noqa: E402 - uses the helpers above

RULES.update(_money.RULES)
# Scanned pages: each material's list of pages, replaced by each case.pages event.
from windowdesk.hub.services import case_pages_rules as _pages  # noqa: E402 - uses the helpers above

RULES.update(_pages.RULES)
# The hall queue's finished days: one row per center and day, the latest wins.
from windowdesk.hub.services import queue_rules as _queue  # noqa: E402 - uses the helpers above

RULES.update(_queue.RULES)
# 网上预审: a window's decision on an online application of its center.
from windowdesk.hub.services import application_rules as _applications  # noqa: E402 - uses the helpers above

RULES.update(_applications.RULES)
STATEMENT_ORDER = (
    *STATEMENT_ORDER,
    *_service_quality.STATEMENTS,
    *_delivery.STATEMENTS,
    *_pages.STATEMENTS,
    *_queue.STATEMENTS,
    *_applications.STATEMENTS,
)
CREATING_KINDS = CREATING_KINDS | _service_quality.CREATING_KINDS
assert set(RULES) <= set(EVENT_KINDS), "a rule for a kind the protocol does not name"


def kept_as_received(event: IncomingEvent, pusher: Pusher, view: BatchView, now: dt.datetime) -> Plan:
    """A kind of the protocol the hub has no projection for yet: its required fields are
    checked, and its center and window must be the pusher's; the event itself is kept
    (pushed_events) for the rule that will read it later."""
    read = PayloadReader(event)
    if read.payload.get("id", event.entity_id) != event.entity_id:
        raise Rejected(N_("The {kind} event's payload id does not match its entity id."), kind=event.kind)
    if "center" in read.payload or "center" in EVENT_REQUIRED_FIELDS.get(event.kind, ()):
        center = read.center(pusher)
        if "window" in read.payload:
            read.window(view, center)
    return Plan([], _nothing)


# What PostgreSQL cannot store, refused on SQLite too so an event gets the same answer
# from either hub: a NUL character (text or JSON), a lone UTF-16 surrogate (not UTF-8),
# NaN or infinity (not JSON; Python's parser lets them through).
UNSTORABLE_CONTENT = N_(
    "The event contains a NUL character, a broken Unicode character or a number that is not "
    "finite, which the hub cannot store."
)


def stored_payload(payload: dict[str, Any]) -> EncodedJson | None:
    """The payload as the hub stores it, or None when either database could not.

    Encoded by pydantic's serializer, about three times as fast as ``json.dumps`` and
    the same text for what JSON can carry. It writes NaN and Infinity instead of
    refusing them, so an encoding that contains those words anywhere (a string may) is
    done again by :func:`encode_json`, which refuses non-finite numbers; a lone
    surrogate, which UTF-8 cannot hold, makes it refuse by itself."""
    try:
        dumped = pydantic_core.to_json(payload)
    except pydantic_core.PydanticSerializationError:
        return None
    # "NaN", "Infinity" and "\\u0000" each hold one of these bytes, which most payloads
    # lack: three one-byte searches settle those, a fifth of the three word searches' cost.
    if b"N" not in dumped and b"I" not in dumped and b"\\" not in dumped:
        return EncodedJson(dumped)
    if b"NaN" in dumped or b"Infinity" in dumped:
        try:
            dumped = encode_json(payload, allow_nan=False).encode()
        except ValueError:
            return None
    if b"\\u0000" in dumped:
        return None
    return EncodedJson(dumped)


# The protocol's kinds and the records events are about: plain ASCII, storable as they
# are (not checked again for each of a push's thousands of events).
_STORABLE_WORDS = frozenset(EVENT_KINDS) | frozenset(EVENT_ENTITIES)
UNSTORABLE_CREATED_AT = N_("The event's created_at is a date and time that cannot be expressed in UTC.")


def plan_event(event: IncomingEvent, pusher: Pusher, view: BatchView, now: dt.datetime) -> Plan:
    if utc_instant(event.created_at) is None:
        raise Rejected(UNSTORABLE_CREATED_AT)
    if (
        not (
            (event.kind in _STORABLE_WORDS or storable_text(event.kind))
            and (event.entity in _STORABLE_WORDS or storable_text(event.entity))
            and storable_text(event.entity_id)
        )
        or event.stored_payload is None
    ):
        raise Rejected(UNSTORABLE_CONTENT)
    rule = RULES.get(event.kind) or (kept_as_received if event.kind in EVENT_KINDS else None)
    if rule is None:
        raise Rejected(
            N_("The hub does not know events of kind {kind!r}; this windowdesk may be newer than the hub."),
            kind=event.kind[:40],
        )
    if not is_uuid(event.entity_id) and event.kind not in _queue.NATURAL_ID_KINDS:
        raise Rejected(N_("The event's entity_id is not a UUID (every record a window makes has one)."))
    return rule(event, pusher, view, now)
