"""Find or register the applicant: a resident (ID number) or an organisation (USCC)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from windowdesk.domain.ids import mask_id_number, parse_resident_id, parse_uscc
from windowdesk.domain.permissions import Permission
from windowdesk.domain.text_rules import ADDRESS, ORGANISATION_NAME, PERSON_NAME, checked_text
from windowdesk.domain.uuid7 import new_uuid
from windowdesk.errors import ValidationError
from windowdesk.i18n import _
from windowdesk.screen_dates import on_screen
from windowdesk.services.audit import record_action
from windowdesk.services.authorization import authorize
from windowdesk.services.context import CounterContext
from windowdesk.storage import queries
from windowdesk.storage.db import Database, Session
from windowdesk.storage.models import Case, OneTimeNotification, Organisation, Refusal, Resident
from windowdesk.sync.outbox import enqueue
from windowdesk.sync.protocol import EventEntity, EventKind

RESIDENT = "resident"
ORGANISATION = "organisation"
WELFARE_STATUSES = ("dibao", "disabled", "elderly_80", "veteran", "student")
_DIGITS = re.compile(r"^[0-9]+[0-9Xx]?$")
_PHONE = re.compile(r"^1[0-9]{2,10}$")
_ID_TAIL = re.compile(r"^[0-9]{3,5}[0-9Xx]$")  # the last 4 to 6 characters of an ID number
RECENT_DAYS = 30  # "recent applicants": served or registered at this center in these days


@dataclass(frozen=True)
class ApplicantRef:
    kind: str  # resident / organisation
    id: str


def applicant_of(row: Case | OneTimeNotification | Refusal) -> ApplicantRef:
    """The applicant a case, a one-time notification or a refusal is for: its resident, else
    its organisation (every one is written with exactly one of the two)."""
    if row.resident_id:
        return ApplicantRef(RESIDENT, row.resident_id)
    if row.organisation_id:
        return ApplicantRef(ORGANISATION, row.organisation_id)
    raise ValueError(f"{type(row).__name__} {row.id} names no applicant")


@dataclass(frozen=True)
class ApplicantSummary:
    ref: ApplicantRef
    name: str
    masked_number: str
    phone: str
    detail: str  # gender and birth date, or legal representative

    @property
    def label(self) -> str:
        return f"{self.name} {self.masked_number}"


def _resident_summary(row: Resident | queries.ListedResident) -> ApplicantSummary:
    gender = _("Male") if row.gender == "male" else _("Female")
    return ApplicantSummary(
        ref=ApplicantRef(RESIDENT, row.id),
        name=row.name,
        masked_number=mask_id_number(row.id_number),
        phone=row.phone,
        detail=f"{gender} {on_screen(row.birth_date)}",
    )


def _organisation_summary(row: Organisation) -> ApplicantSummary:
    return ApplicantSummary(
        ref=ApplicantRef(ORGANISATION, row.id),
        name=row.name,
        masked_number=mask_id_number(row.credit_code),
        phone=row.phone,
        detail=row.legal_representative,
    )


def find_residents(db: Database, ctx: CounterContext, *, query: str, limit: int = 20) -> list[ApplicantSummary]:
    """By ID number (whole or its start), phone number (its start) or name (its start);
    4 to 6 digits also find today's and recent applicants by the end of their ID number,
    and those come first."""
    text = re.sub(r"\s+", "", query or "")
    if not text:
        return []
    with db.read() as session:
        authorize(session, ctx, Permission.FIND_APPLICANT)
        recent: list[queries.ListedResident] = []
        if _ID_TAIL.match(text):
            since = ctx.now() - dt.timedelta(days=RECENT_DAYS)
            recent = queries.recent_residents_by_id_suffix(
                session, text.upper(), center_code=ctx.center_code, since=since, limit=limit
            )
        rows = recent + [r for r in _residents_by_start(session, text, limit) if r not in recent]
    # Plain rows: worded after the read transaction has ended.
    return [_resident_summary(r) for r in rows[:limit]]


def _residents_by_start(session: Session, text: str, limit: int) -> list[queries.ListedResident]:
    """By the start of the phone number, the ID number or the name."""
    if _PHONE.match(text) and len(text) <= 11:
        rows = queries.residents_by_phone_prefix(session, text, limit)
        if len(text) >= 6:
            rows += [r for r in queries.residents_by_id_prefix(session, text, limit) if r not in rows]
        return rows
    if _DIGITS.match(text):
        # ID numbers are stored with a capital X check character.
        return queries.residents_by_id_prefix(session, text.upper(), limit)
    return queries.residents_by_name_prefix(session, text, limit)


def find_organisations(db: Database, ctx: CounterContext, *, query: str, limit: int = 20) -> list[ApplicantSummary]:
    text = (query or "").strip()
    if not text:
        return []
    with db.read() as session:
        authorize(session, ctx, Permission.FIND_APPLICANT)
        return [
            _organisation_summary(r)
            for r in queries.organisations_matching(session, text.upper() if text.isascii() else text, limit)
        ]


@dataclass(frozen=True)
class NewResident:
    """A resident to register, as typed (``register_residents``)."""

    id_number: str
    name: str
    phone: str = ""
    address: str = ""
    welfare_status: str | None = None


def _resident_row(ctx: CounterContext, person: NewResident) -> Resident:
    """The resident's row as typed, checked; not yet added to any session."""
    parsed = parse_resident_id(person.id_number, today=ctx.local_today())
    name = (person.name or "").strip()
    if not name:
        raise ValidationError(_("Please type the applicant's name."), field="name")
    name = checked_text(name, PERSON_NAME, field="name", label=_("The name"))
    address = checked_text(person.address, ADDRESS, field="address", label=_("The address"))
    phone = re.sub(r"[\s-]", "", person.phone or "")
    if phone and not re.fullmatch(r"[0-9]{7,12}", phone):
        raise ValidationError(_("The phone number may contain digits only (7 to 12 of them)."), field="phone")
    if person.welfare_status is not None and person.welfare_status not in WELFARE_STATUSES:
        raise ValidationError(_("Unknown welfare status."), field="welfare_status")
    return Resident(
        id=new_uuid(),
        id_number=parsed.number,
        name=name,
        gender=parsed.gender,
        birth_date=parsed.birth_date,
        phone=phone,
        address=(address or "").strip(),
        welfare_status=person.welfare_status,
        registered_center=ctx.center_code,
        created_at=ctx.now(),
    )


def _add_resident(session: Session, ctx: CounterContext, row: Resident) -> Resident:
    """The resident's row, its audit entry and its outbox event, in the caller's transaction."""
    session.add(row)
    session.flush()
    record_action(session, ctx, action="resident.register", entity=RESIDENT, entity_id=row.id)
    enqueue(
        session,
        entity=EventEntity.RESIDENT,
        entity_id=row.id,
        kind=EventKind.RESIDENT_REGISTERED,
        now=ctx.now(),
        payload={
            "id": row.id,
            "id_number": row.id_number,
            "name": row.name,
            "gender": row.gender,
            "birth_date": row.birth_date.isoformat(),
            "phone": row.phone,
            "address": row.address,
            "welfare_status": row.welfare_status,
            "center": ctx.center_code,
        },
    )
    return row


def register_resident(
    db: Database,
    ctx: CounterContext,
    *,
    id_number: str,
    name: str,
    phone: str = "",
    address: str = "",
    welfare_status: str | None = None,
) -> ApplicantSummary:
    row = _resident_row(ctx, NewResident(id_number, name, phone, address, welfare_status))
    with db.write() as session:
        authorize(session, ctx, Permission.REGISTER_APPLICANT)
        if queries.resident_by_id_number(session, row.id_number) is not None:
            raise ValidationError(
                _("A resident with this ID number is already registered; search for them instead."),
                field="id_number",
            )
        return _resident_summary(_add_resident(session, ctx, row))


def register_residents(db: Database, ctx: CounterContext, people: Sequence[NewResident]) -> list[ApplicantSummary]:
    """Several residents in one transaction (the demo's first start), each checked and
    recorded as ``register_resident`` does; one whose details are refused, or who is
    registered already, is left out. Returns those registered now."""
    rows: list[Resident] = []
    for person in people:
        try:
            rows.append(_resident_row(ctx, person))
        except ValidationError:
            continue
    with db.write() as session:
        authorize(session, ctx, Permission.REGISTER_APPLICANT)
        return [
            _resident_summary(_add_resident(session, ctx, row))
            for row in rows
            if queries.resident_by_id_number(session, row.id_number) is None
        ]


def register_organisation(
    db: Database,
    ctx: CounterContext,
    *,
    credit_code: str,
    name: str,
    legal_representative: str = "",
    phone: str = "",
    address: str = "",
) -> ApplicantSummary:
    parsed = parse_uscc(credit_code)
    name = (name or "").strip()
    if not name:
        raise ValidationError(_("Please type the organisation's name."), field="name")
    name = checked_text(name, ORGANISATION_NAME, field="name", label=_("The name"))
    legal_representative = checked_text(
        legal_representative, PERSON_NAME, field="legal_representative", label=_("The legal representative")
    )
    address = checked_text(address, ADDRESS, field="address", label=_("The address"))
    with db.write() as session:
        authorize(session, ctx, Permission.REGISTER_APPLICANT)
        if queries.organisation_by_code(session, parsed.code) is not None:
            raise ValidationError(
                _("An organisation with this credit code is already registered; search for it instead."),
                field="credit_code",
            )
        row = Organisation(
            id=new_uuid(),
            credit_code=parsed.code,
            name=name,
            legal_representative=(legal_representative or "").strip(),
            phone=(phone or "").strip(),
            address=(address or "").strip(),
            registered_center=ctx.center_code,
            created_at=ctx.now(),
        )
        session.add(row)
        session.flush()
        record_action(session, ctx, action="organisation.register", entity=ORGANISATION, entity_id=row.id)
        enqueue(
            session,
            entity=EventEntity.ORGANISATION,
            entity_id=row.id,
            kind=EventKind.ORGANISATION_REGISTERED,
            now=ctx.now(),
            payload={
                "id": row.id,
                "credit_code": row.credit_code,
                "name": row.name,
                "legal_representative": row.legal_representative,
                "phone": row.phone,
                "address": row.address,
                "center": ctx.center_code,
            },
        )
        return _organisation_summary(row)


def applicant_summary(session: Session, ref: ApplicantRef) -> ApplicantSummary:
    """Inside an open session: the summary of a referenced applicant, or a clear error."""
    if ref.kind == RESIDENT:
        resident = session.get(Resident, ref.id)
        if resident is not None:
            return _resident_summary(resident)
    elif ref.kind == ORGANISATION:
        organisation = session.get(Organisation, ref.id)
        if organisation is not None:
            return _organisation_summary(organisation)
    raise ValidationError(_("Please choose or register the applicant first."), field="applicant")


def applicant_by_ref(db: Database, ctx: CounterContext, ref: ApplicantRef) -> ApplicantSummary:
    """The summary of a referenced applicant (a kept draft names them by reference)."""
    with db.read() as session:
        authorize(session, ctx, Permission.FIND_APPLICANT)
        return applicant_summary(session, ref)


def reveal_id_number(db: Database, ctx: CounterContext, *, applicant: ApplicantRef) -> str:
    """The whole ID number or credit code, for a role that needs it; the viewing is audited."""
    with db.write() as session:
        authorize(session, ctx, Permission.VIEW_FULL_ID)
        if applicant.kind == RESIDENT:
            resident = session.get(Resident, applicant.id)
            number = resident.id_number if resident else None
        else:
            organisation = session.get(Organisation, applicant.id)
            number = organisation.credit_code if organisation else None
        if number is None:
            raise ValidationError(_("Please choose or register the applicant first."), field="applicant")
        record_action(
            session, ctx, action=f"{applicant.kind}.view_full_id", entity=applicant.kind, entity_id=applicant.id
        )
        return number
