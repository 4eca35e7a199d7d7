"""Following a case on the public pages: the case number and its query code (查询密码)
open the case's public status.

- Five wrong codes within LOOKUP_WINDOW, for one case number or from one address,
  refuse further tries until the oldest falls out of the window. The tries are rows of
  ``lookup_failures``, so every worker process of the hub counts the same ones.
- The answer takes the same time whether the case exists or not: a case number the hub
  does not know (or a case without a code) is checked against a dummy hash of the same
  cost (domain.query_codes.verify_query_code), and counts as a wrong try too.
- What is shown is the case's progress, never personal data: the applicant's name
  masked (张*明), no ID number, no address; while the case waits for materials, what the
  department asked for (the note of that step, which is written for the applicant).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import bindparam, delete, func, insert, select
from sqlalchemy.orm import Session

from windowdesk.domain.case_state import CaseStatus
from windowdesk.domain.query_codes import looks_like_code, verify_query_code
from windowdesk.hub.storage.database import HubDatabase
from windowdesk.hub.storage.models import STEP_TIME, Case, CaseEvent, Organisation, Resident
from windowdesk.hub.storage.models_public import LookupFailure

MAX_TRIES = 5
LOOKUP_WINDOW = dt.timedelta(minutes=15)
MAX_CASE_NUMBER = 40
FINISHED = (CaseStatus.COMPLETED, CaseStatus.DELIVERED)

# Outcomes of a lookup.
FOUND, WRONG, LOCKED = "found", "wrong", "locked"


@dataclass(frozen=True)
class Step:
    status: str  # a CaseStatus value: the stage reached
    at: dt.datetime


@dataclass(frozen=True)
class PublicCase:
    id: str
    number: str
    status: str
    item_code: str
    center_code: str
    masked_name: str
    accepted_at: dt.datetime
    promised_date: dt.date | None
    steps: tuple[Step, ...]
    missing: tuple[str, ...]  # what the case waits for, while it waits for materials

    @property
    def finished(self) -> bool:
        return self.status in FINISHED

    @property
    def rating_stage(self) -> str:
        """The stage a rating given now is about: acceptance, or the finished case."""
        return "completed" if self.finished else "accepted"


@dataclass(frozen=True)
class Lookup:
    outcome: str  # FOUND / WRONG / LOCKED
    case: PublicCase | None = None
    tries_left: int = 0


def mask_name(name: str) -> str:
    """张三 -> 张*, 张小明 -> 张*明, 欧阳小明 -> 欧**明: enough for the applicant to know
    the case is theirs, not enough to learn who applied."""
    name = (name or "").strip()
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def case_scope(case_number: str) -> str:
    return "case:" + case_number[:MAX_CASE_NUMBER]


def address_scope(address: str) -> str:
    return "addr:" + (address or "unknown")[:90]


def recent_failures(session: Session, scope: str, since: dt.datetime) -> int:
    return (
        session.scalar(
            select(func.count())
            .select_from(LookupFailure)
            .where(LookupFailure.scope == scope, LookupFailure.failed_at > since)
        )
        or 0
    )


def record_failure(db: HubDatabase, scopes: tuple[str, ...], now: dt.datetime) -> None:
    with db.write() as session:
        # Tries older than the window count for nothing: dropped (all of them, by their
        # time's index) as new ones come, so the table holds one window's worth at most.
        session.execute(delete(LookupFailure).where(LookupFailure.failed_at <= now - LOOKUP_WINDOW))
        session.execute(insert(LookupFailure), [dict(scope=scope, failed_at=now) for scope in scopes])


def look_up_case(db: HubDatabase, *, case_number: str, code: str, address: str, now: dt.datetime) -> Lookup:
    """The case's public status when ``code`` is its query code; else WRONG (with the
    tries left) or LOCKED, the same for a case that does not exist."""
    case_number = (case_number or "").strip()[:MAX_CASE_NUMBER]
    scopes = (case_scope(case_number), address_scope(address))
    since = now - LOOKUP_WINDOW
    with db.read() as session:
        used = max(recent_failures(session, scope, since) for scope in scopes)
        if used >= MAX_TRIES:
            return Lookup(LOCKED)
        row = (
            session.execute(select(Case.id, Case.query_code_hash).where(Case.case_number == case_number)).first()
            if case_number
            else None
        )
    # One slow hash on every path: a dummy's when there is no case or no code.
    matches = verify_query_code(code, row.query_code_hash if row is not None else None) and looks_like_code(code)
    if not matches or row is None:
        record_failure(db, scopes, now)
        left = MAX_TRIES - used - 1
        return Lookup(LOCKED) if left <= 0 else Lookup(WRONG, tries_left=left)
    return Lookup(FOUND, public_case(db, row.id))


def public_case(db: HubDatabase, case_id: str) -> PublicCase | None:
    """What the public page shows of a case (after its code was checked)."""
    with db.read() as session:
        return read_public_case(session, case_id)


# The case page's reads, built once (building a statement cost more than running it):
# the case's columns the page shows, not the whole row as an ORM object.
CASE_ROW = select(
    Case.id,
    Case.case_number,
    Case.status,
    Case.item_code,
    Case.center_code,
    Case.applicant_kind,
    Case.applicant_id,
    Case.accepted_at,
    Case.promised_date,
).where(Case.id == bindparam("case_id"))
TIMELINE = (
    select(CaseEvent.to_status, STEP_TIME, CaseEvent.note)
    .where(CaseEvent.case_id == bindparam("case_id"))
    .order_by(CaseEvent.seq)
)
APPLICANT_NAME = {
    model: select(model.name).where(model.id == bindparam("applicant_id")) for model in (Resident, Organisation)
}


def read_public_case(session: Session, case_id: str) -> PublicCase | None:
    """:func:`public_case` inside the caller's read (one snapshot for a whole page)."""
    case = session.execute(CASE_ROW, {"case_id": case_id}).first()
    if case is None:
        return None
    timeline = session.execute(TIMELINE, {"case_id": case.id}).all()
    steps = tuple(Step(row.to_status, row[1]) for row in timeline)
    model = Resident if case.applicant_kind == "resident" else Organisation
    name = session.scalar(APPLICANT_NAME[model], {"applicant_id": case.applicant_id}) or ""
    missing: tuple[str, ...] = ()
    if case.status == CaseStatus.SUSPENDED:
        asked = next((row.note for row in reversed(timeline) if row.to_status == case.status), "")
        missing = tuple(line.strip() for line in (asked or "").splitlines() if line.strip())
    return PublicCase(
        id=case.id,
        number=case.case_number,
        status=case.status,
        item_code=case.item_code,
        center_code=case.center_code,
        masked_name=mask_name(name),
        accepted_at=case.accepted_at,
        promised_date=case.promised_date,  # kept with the case as its acceptance gave it
        steps=steps,
        missing=missing,
    )
