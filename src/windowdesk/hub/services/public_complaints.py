"""投诉 / 办不成事反映 filed by a resident on the public pages, and read back there.

A web complaint is a complaint like one received at a window (the ``complaints`` table,
``source`` "web"): owned by a supervisor of the center it is about, due in
COMPLAINT_REPLY_WORKING_DAYS working days on the official calendar, answered in the
console (services/replies.reply_to_complaint) or at one of the center's windows, which
learn of it from the change feed ("complaint.web"). No window nor operator received it.

- It is about a center (required), and may name one of its windows (as published in the
  catalog), a business (a catalog item) and a case by its number. A case number is written into the facts as given; when it is a case of
  that center, the complaint is about the case too (its window, operator and item). The
  form never says whether a case number exists.
- The resident gets a number and a short code (8 characters, random, about 40 bits;
  kept as a hash). Number and code read the complaint back: its state and its answer.
  Wrong codes count like wrong query codes of a case (services/public_cases): five in
  LOOKUP_WINDOW for one number or from one address refuse further tries.
- One address files at most MAX_PER_ADDRESS_PER_DAY in 24 hours (counted in the
  database, by the hash of the address, so every worker counts the same).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from windowdesk.domain.complaints import ComplaintKind, ComplaintSource, ComplaintStatus, ReplySource
from windowdesk.domain.service_quality import COMPLAINT_REPLY_WORKING_DAYS
from windowdesk.domain.uuid7 import new_uuid
from windowdesk.hub.services.calendar_years import hub_calendar
from windowdesk.hub.services.feed import append_change
from windowdesk.hub.services.public_bookings import CODE_ALPHABET, normalize_code
from windowdesk.hub.services.public_cases import (
    LOOKUP_WINDOW,
    MAX_TRIES,
    address_scope,
    recent_failures,
    record_failure,
)
from windowdesk.hub.services.public_guides import current_catalog
from windowdesk.hub.services.public_ratings import supervisor_of
from windowdesk.hub.storage.database import HubDatabase
from windowdesk.hub.storage.models import Case, Center
from windowdesk.hub.storage.models_quality import Complaint
from windowdesk.i18n import N_
from windowdesk.sync.protocol import CHANGE_WEB_COMPLAINT

WEB_SOURCE = ComplaintSource.WEB
COMPLAINT, NOT_DONE = ComplaintKind.COMPLAINT, ComplaintKind.NOT_DONE
KIND_LABELS = {COMPLAINT: N_("Complaint (投诉)"), NOT_DONE: N_("Could not get it done (办不成事反映)")}
MAX_FACTS = 1000
MIN_FACTS = 10
MAX_CASE_NUMBER = 40
MAX_PER_ADDRESS_PER_DAY = 3
CODE_LENGTH = 8
MAX_NUMBER_TRIES = 5

# Why a complaint is not taken (msgids: the page words them in the reader's language).
BAD_KIND = N_("Please choose: a complaint, or a report of something you could not get done.")
BAD_CENTER = N_("Please choose the center it is about.")
BAD_WINDOW = N_("The window chosen is not one of the chosen center's windows.")
BAD_FACTS = N_("Please tell what happened, in at least 10 and at most 1000 characters.")
BAD_PHONE = N_("Please write a mobile phone number of 11 digits, so that the center can call you back.")
ADDRESS_LIMIT = N_("Too many complaints were sent from this network today. Please try again tomorrow or call 12345.")

# Outcomes of a lookup.
FOUND, WRONG, LOCKED = "found", "wrong", "locked"


class ComplaintRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Filed:
    number: str
    code: str  # shown once; only its hash is kept
    deadline: dt.date


@dataclass(frozen=True)
class PublicComplaint:
    """What the public page shows: no phone, no name of anyone."""

    number: str
    kind: ComplaintKind
    center_code: str
    item_code: str | None
    facts: str
    received_at: dt.datetime
    deadline: dt.date
    status: ComplaintStatus
    reply: str
    replied_at: dt.datetime | None

    @property
    def answered(self) -> bool:
        return self.status is ComplaintStatus.REPLIED


@dataclass(frozen=True)
class Lookup:
    outcome: str  # FOUND / WRONG / LOCKED
    complaint: PublicComplaint | None = None
    tries_left: int = 0


def address_hash(address: str) -> str:
    return hashlib.sha256(f"complaint-address:{address}".encode()).hexdigest()


def _code_hash(number: str, code: str) -> str:
    return hashlib.sha256(f"complaint-code:{number}:{normalize_code(code)}".encode()).hexdigest()


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def _clean_phone(phone: str) -> str:
    digits = "".join(ch for ch in (phone or "") if ch.isdigit())
    if len(digits) != 11 or not digits.startswith("1"):
        raise ComplaintRefused(BAD_PHONE)
    return digits


def center_windows(session: Session, center_code: str) -> dict[str, str]:
    """The center's windows as the published catalog names them: {"CH-01": "01 综合受理窗口"}."""
    published = current_catalog(session)
    center = published.center(center_code) if published else None
    return {f"{center_code}-{w.code}": f"{w.code} {w.name}" for w in center.windows} if center else {}


def _number(session: Session, center_code: str, year: int) -> str:
    """WTS-<center>-<year>-<nnnnn>: the center's web complaints of the year, counted on.
    Two filed at once may draw the same; the unique number refuses the second, which
    then draws again (:func:`file_complaint`)."""
    prefix = f"WTS-{center_code}-{year}-"
    last = session.scalar(select(func.max(Complaint.number)).where(Complaint.number.like(prefix + "%")))
    seq = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{seq:05d}"


def file_complaint(
    db: HubDatabase,
    *,
    kind: str,
    center_code: str,
    window_id: str = "",
    item_code: str = "",
    case_number: str = "",
    facts: str,
    phone: str,
    address: str,
    now: dt.datetime,
) -> Filed:
    """Takes the complaint (and tells the center's windows), or raises ComplaintRefused."""
    if kind not in KIND_LABELS:
        raise ComplaintRefused(BAD_KIND)
    chosen = ComplaintKind(kind)
    facts = (facts or "").strip()
    if not MIN_FACTS <= len(facts) <= MAX_FACTS:
        raise ComplaintRefused(BAD_FACTS)
    phone = _clean_phone(phone)
    item_code = (item_code or "").strip()[:16]
    window_id = (window_id or "").strip()[:12]
    case_number = (case_number or "").strip()[:MAX_CASE_NUMBER]
    for attempt in range(1, MAX_NUMBER_TRIES + 1):
        try:
            return db.run_write(
                lambda session: _store(
                    session, chosen, center_code, window_id, item_code, case_number, facts, phone, address, now
                ),
                feed=True,
            )
        except IntegrityError:
            if attempt == MAX_NUMBER_TRIES:
                raise
            # Another complaint filed at once took the number: draw the next.
    raise AssertionError("unreachable")


def _store(
    session: Session,
    kind: ComplaintKind,
    center_code: str,
    window_id: str,
    item_code: str,
    case_number: str,
    facts: str,
    phone: str,
    address: str,
    now: dt.datetime,
) -> Filed:
    zone = session.scalar(select(Center.timezone).where(Center.code == center_code)) if center_code else None
    if zone is None:
        raise ComplaintRefused(BAD_CENTER)
    if window_id and window_id not in center_windows(session, center_code):
        raise ComplaintRefused(BAD_WINDOW)
    hashed_address = address_hash(address)
    sent = (
        session.scalar(
            select(func.count())
            .select_from(Complaint)
            .where(Complaint.address_hash == hashed_address, Complaint.stored_at > now - dt.timedelta(days=1))
        )
        or 0
    )
    if sent >= MAX_PER_ADDRESS_PER_DAY:
        raise ComplaintRefused(ADDRESS_LIMIT)
    case = None
    if case_number:
        case = session.execute(
            select(Case.id, Case.window_id, Case.operator_id, Case.item_code).where(
                Case.case_number == case_number, Case.center_code == center_code
            )
        ).first()
        # Written as given, found or not: the console and the window read which case.
        facts = f"[{case_number}] {facts}"
    today = now.astimezone(ZoneInfo(zone)).date()
    deadline = hub_calendar(session).add_working_days(today, COMPLAINT_REPLY_WORKING_DAYS)
    owner = supervisor_of(session, center_code)
    number, code = _number(session, center_code, today.year), _new_code()
    row = Complaint(
        id=new_uuid(),
        number=number,
        center_code=center_code,
        window_id=None,
        operator_id=None,
        source=WEB_SOURCE,
        kind=kind,
        contact_phone=phone,
        code_hash=_code_hash(number, code),
        address_hash=hashed_address,
        about_window_id=window_id or (case.window_id if case else None),
        about_operator_id=case.operator_id if case else None,
        about_department_code=None,
        about_item_code=(case.item_code if case else None) or item_code or None,
        case_id=case.id if case else None,
        facts=facts,
        owner_id=owner or "",
        deadline=deadline,
        status=ComplaintStatus.OPEN,
        reply="",
        replied_at=None,
        replied_by="",
        reply_source=ReplySource.NONE,
        received_at=now,
        stored_at=now,
    )
    session.add(row)
    session.flush()  # the unique number speaks here, before the change is numbered
    append_change(
        session,
        kind=CHANGE_WEB_COMPLAINT,
        entity="complaint",
        entity_id=row.id,
        center_code=center_code,
        payload={
            "id": row.id,
            "number": number,
            "center": center_code,
            "kind": kind,
            "phone": phone,
            "about": {
                "window": row.about_window_id,
                "operator": row.about_operator_id,
                "item": row.about_item_code,
                "case_id": row.case_id,
            },
            "facts": facts,
            "owner": owner,
            "deadline": deadline.isoformat(),
            "received_at": now.isoformat(),
        },
        now=now,
    )
    return Filed(number, code, deadline)


def complaint_scope(number: str) -> str:
    return "complaint:" + number[:MAX_CASE_NUMBER]


def look_up_complaint(db: HubDatabase, *, number: str, code: str, address: str, now: dt.datetime) -> Lookup:
    """The complaint's public state when ``code`` is its code; else WRONG (with the tries
    left) or LOCKED, the same for a number that does not exist."""
    number = (number or "").strip().upper()[:MAX_CASE_NUMBER]
    scopes = (complaint_scope(number), address_scope(address))
    since = now - LOOKUP_WINDOW
    with db.read() as session:
        used = max(recent_failures(session, scope, since) for scope in scopes)
        if used >= MAX_TRIES:
            return Lookup(LOCKED)
        row = (
            session.scalar(select(Complaint).where(Complaint.number == number, Complaint.source == WEB_SOURCE))
            if number
            else None
        )
        # Compared in constant time whether or not the number exists.
        matches = hmac.compare_digest(_code_hash(number, code), row.code_hash or "" if row is not None else "-" * 64)
        if row is not None and matches:
            return Lookup(
                FOUND,
                PublicComplaint(
                    row.number,
                    row.kind,
                    row.center_code,
                    row.about_item_code,
                    row.facts,
                    row.received_at,
                    row.deadline,
                    row.status,
                    row.reply,
                    row.replied_at,
                ),
            )
    record_failure(db, scopes, now)
    left = MAX_TRIES - used - 1
    return Lookup(LOCKED) if left <= 0 else Lookup(WRONG, tries_left=left)
