"""Applying the hub's change feed to the local database.

Every function runs inside the write transaction that also stores the new cursor, and
is idempotent: a page applied twice (after a crash between the hub's reply and our
commit, say) leaves the same result as once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from windowdesk.domain.calendar import published_year_from_json
from windowdesk.domain.case_state import FINISHING_STATUSES, CaseStatus
from windowdesk.domain.catalog import parse_catalog
from windowdesk.domain.online_application_status import ApplicationStatus, received_status
from windowdesk.domain.status_page import is_status_page_base
from windowdesk.domain.suspensions import SuspensionKind, suspension_kind
from windowdesk.errors import ValidationError
from windowdesk.services.case_parts import apply_part_decision
from windowdesk.services.catalog import import_catalog_into
from windowdesk.services.credit_flags import apply_credit_flag, apply_credit_key, apply_verification
from windowdesk.services.operator_apply import apply_operator
from windowdesk.services.service_quality_apply import SERVICE_QUALITY_HANDLERS
from windowdesk.storage import application_queries, queries, sync_queries
from windowdesk.storage import models as m
from windowdesk.storage import models_applications as ma
from windowdesk.storage.db import Session
from windowdesk.storage.models import sqlite_utc_text_of
from windowdesk.sync import protocol

log = logging.getLogger("windowdesk.sync")

# The local setting that keeps the status page address the hub published ("" or absent:
# none); services.documents reads it for the QR code of receipts.
STATUS_PAGE_SETTING = "hub.status_page"

# The back office's steps of a case's clock (hub/services/clock_stops.py), beside the
# departments' decisions (protocol.DECISIONS).
CLOCK_DECISIONS = ("suspend", "resume")

# The namespace of the hub steps' version-5 ids (before they were made in seq order).
_HUB_EVENTS = uuid.UUID("7f1c2b0e-3d4a-4e5f-9a6b-0c1d2e3f4a5b")
_HUB_EVENTS_BYTES = _HUB_EVENTS.bytes
_UUID5_KEEP = ~(0xC000 << 48) & ~(0xF000 << 64)  # the variant's and the version's bits cleared,
_UUID5_SET = (0x8000 << 48) | (5 << 76)  # then set as RFC 4122 and version 5 have them


@dataclass(slots=True)
class PageCase:
    """A case kept here that a page of changes decides or annotates: its status as the
    page's earlier changes left it (read once for the page, stored with it)."""

    id: str
    status: str


@dataclass
class PageCases:
    """The cases a page of changes decides or annotates, read for the whole page in a few
    set-based statements (storage/sync_queries.py) and written back in one statement per
    table (:func:`store_page`): applying a page of decisions one query (and one flush) at
    a time cost a millisecond per change, and loading each case as an ORM object most of
    what was left. Changes of other kinds still read what they need themselves.

    ``cases``: every case id the page names, None for a case not kept here (another
    window's); ``parts``: the parallel parts of those cases; ``step_ids``: each decision's
    or note's hub step id (deterministic, by seq); ``steps``: the hub steps already on a
    timeline, including those added by this page; ``positions``: where the next step goes
    on each case's timeline (the timelines themselves are not loaded).
    """

    cases: dict[str, PageCase | None] = field(default_factory=dict)
    parts: dict[str, list] = field(default_factory=dict)
    step_ids: dict[int, str] = field(default_factory=dict)
    steps: set[str] = field(default_factory=set)
    positions: dict[str, int] = field(default_factory=dict)
    # What the page's decisions and notes write, in one statement each (store_page): its
    # steps, each a tuple in sync_queries.HUB_STEP_COLUMNS' order (a dict per step, taken
    # apart again a column at a time, cost more than the step's own Python); each case's
    # status, with what its new steps add to its suspension count and its finish time
    # (the first step into a finishing status), one write of its row.
    new_steps: list[sync_queries.HubStep] = field(default_factory=list)
    new_statuses: dict[str, str] = field(default_factory=dict)
    new_suspensions: dict[str, int] = field(default_factory=dict)
    new_finishes: dict[str, dt.datetime] = field(default_factory=dict)


_CASE_CHANGES = (protocol.CHANGE_DECISION, protocol.CHANGE_NOTE)
_STATUSES = {status.value: status for status in CaseStatus}


def load_page_cases(session: Session, changes: Sequence[protocol.Change]) -> PageCases:
    """What the page's decisions and notes need (malformed ones are left to fail when
    applied, so that the error names their change)."""
    named = [c for c in changes if c.kind in _CASE_CHANGES and isinstance(c.payload.get("case_id"), str)]
    case_ids = {c.payload["case_id"] for c in named}
    if not case_ids:
        return PageCases()
    rows = sync_queries.page_case_rows(session, case_ids)
    step_ids = {c.seq: _hub_step_id(c) for c in named}
    # 并联审批: the parts are read only for the cases that have any (most have none)
    parallel = [case_id for case_id, row in rows.items() if row.has_parts]
    return PageCases(
        cases={case_id: PageCase(case_id, row.status) if (row := rows.get(case_id)) else None for case_id in case_ids},
        parts=sync_queries.parts_of_cases(session, parallel) if parallel else {},
        step_ids=step_ids,
        steps=sync_queries.existing_case_event_ids(session, step_ids.values()),
        positions={case_id: row.next_position for case_id, row in rows.items()},
    )


def store_page(session: Session, page: PageCases) -> None:
    """Write what the page's decisions and notes made (call once, after the last of them)."""
    if page.new_steps:
        sync_queries.insert_hub_steps(session, page.new_steps)
        page.new_steps = []
    if page.new_statuses:
        sync_queries.store_case_changes(session, page.new_statuses, page.new_suspensions, page.new_finishes)
        page.new_statuses, page.new_suspensions, page.new_finishes = {}, {}, {}


def apply_change(
    session: Session,
    change: protocol.Change,
    *,
    now: dt.datetime | Callable[[], dt.datetime],
    page: PageCases | None = None,
) -> str | None:
    """Apply one change; returns the kind when it changed something the UI shows.
    ``now``: the moment, or a clock read only for the kinds that use it (a decision or a
    note, nearly every change of a page, does not: a clock read per change was the pull's
    largest Python cost after the steps). ``page``: from :func:`load_page_cases` for the
    page this change is part of, stored by :func:`store_page` after its last change
    (without it, a decision or note loads what it needs and stores what it made for
    itself alone)."""
    handler = _HANDLERS.get(change.kind)
    if handler is None:
        # A newer hub may publish kinds this client does not know: skip, never stall.
        log.warning("skipping unknown change kind %s (seq %s)", change.kind, change.seq)
        return None
    if change.kind not in _CASE_CHANGES:
        return handler(session, change, now() if callable(now) else now)
    if page is not None:
        return handler(session, change, page)
    alone = load_page_cases(session, [change])
    kind = handler(session, change, alone)
    store_page(session, alone)
    return kind


def _hub_step_id(change: protocol.Change) -> str:
    """A hub step's id, made from its change's seq so that a page applied twice adds
    nothing, and sorting as the seqs do: the seq's 16 hex digits in a version-8 UUID's
    text (its version and variant nibbles, 8 and 8, between them; the rest zero), e.g.
    seq 1 is ``00000000-0000-8000-8100-000000000000``. A page's steps are then neighbours
    in the primary key's B-tree (a random key put each of them on a page of its own: a
    page of 1,000 steps dirtied, encrypted and wrote ~1,000 index pages). A window's own
    steps are version-7 UUIDs and the hub steps recorded before this form version-5 ones
    (:func:`_legacy_hub_step_id`), so no id meets another of a different step; they keep
    their ids, and a change is applied only once (the cursor is stored with it), so the
    two forms of one change never meet either. A seq beyond 64 bits (no hub's: its seq
    is a bigint) keeps the version-5 form."""
    seq = change.seq
    if not 0 <= seq < 1 << 64:
        return _legacy_hub_step_id(seq)
    digits = f"{seq:016x}"
    return f"{digits[:8]}-{digits[8:12]}-8{digits[12:15]}-8{digits[15]}00-000000000000"


def _legacy_hub_step_id(seq: int) -> str:
    """``str(uuid.uuid5(_HUB_EVENTS, f"change:{seq}"))``, the hub steps' ids before the
    seq-ordered form, made without the UUID class: SHA-1 of the namespace and the name,
    the first 16 bytes with the version (5) and variant bits set, in the 8-4-4-4-12 form."""
    number = int.from_bytes(hashlib.sha1(_HUB_EVENTS_BYTES + f"change:{seq}".encode()).digest()[:16])
    text = f"{number & _UUID5_KEEP | _UUID5_SET:032x}"
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


def _step_id(page: PageCases, change: protocol.Change) -> str:
    step_id = page.step_ids.get(change.seq)
    return step_id if step_id is not None else _hub_step_id(change)


def _case_of(session: Session, page: PageCases, case_id: str) -> PageCase | None:
    if case_id in page.cases:
        return page.cases[case_id]
    # Only for a case id that is not text (load_page_cases leaves those out): looked up
    # as before, so that such a change fails or is skipped as it always was.
    case = session.get(m.Case, case_id)
    return None if case is None else PageCase(case.id, case.status)


def _add_step(
    page: PageCases,
    case: PageCase,
    step_id: str,
    at: dt.datetime,
    at_text: str,
    kind: str,
    from_status: str | None,
    to_status: str | None,
    note: str,
    suspension_kind: str | None = None,
) -> None:
    """Append a hub step to the case's timeline, at the next position, and count it in
    the case's suspensions or finish time as services/cases.append_step counts the
    window's steps; all stored with the page (its source "hub", no operator). ``at``: the
    step's time, read from the hub's ``at_text``."""
    case_id = case.id
    if to_status == CaseStatus.SUSPENDED:
        page.new_suspensions[case_id] = page.new_suspensions.get(case_id, 0) + 1
        page.new_statuses.setdefault(case_id, case.status)  # the row's write carries the count
    elif to_status in FINISHING_STATUSES and case_id not in page.new_finishes:
        page.new_finishes[case_id] = at  # the first finishing step is when it finished
        page.new_statuses.setdefault(case_id, case.status)
    positions = page.positions
    position = positions.get(case_id, 0)
    positions[case_id] = position + 1
    stored_at = sqlite_utc_text_of(at_text, at)
    page.new_steps.append((step_id, case_id, position, stored_at, kind, from_status, to_status, note, suspension_kind))


def _new_step(page: PageCases, step_id: str) -> bool:
    """Whether this hub step is not on the timeline yet (a page applied twice adds nothing)."""
    if step_id in page.steps:
        return False
    page.steps.add(step_id)
    return True


def _at(payload: dict) -> dt.datetime:
    return dt.datetime.fromisoformat(payload["at"]).astimezone(dt.UTC)


def _catalog(session: Session, change: protocol.Change, now: dt.datetime) -> str:
    payload = change.payload
    catalog = parse_catalog(payload["centers"], payload["departments"], payload["items"])
    import_catalog_into(session, catalog)
    return change.kind


def _calendar(session: Session, change: protocol.Change, now: dt.datetime) -> str:
    payload = change.payload
    session.merge(
        m.CalendarOverride(
            day=dt.date.fromisoformat(payload["day"]),
            is_working_day=bool(payload["is_working_day"]),
            note=str(payload.get("note") or ""),
        )
    )
    return change.kind


def _calendar_year(session: Session, change: protocol.Change, now: dt.datetime) -> str:
    published = published_year_from_json(change.payload)  # MalformedCalendar: the page is not applied
    document = published.as_json()
    session.merge(
        m.CalendarYear(
            year=published.year,
            source=published.source[:200],
            holidays=document["holidays"],
            makeup_workdays=document["makeup_workdays"],
        )
    )
    return change.kind


def _decision(session: Session, change: protocol.Change, page: PageCases) -> str | None:
    payload = change.payload
    case = _case_of(session, page, payload["case_id"])
    if case is None:
        return None  # a case of another window of this center: not kept here
    # The back office stopping or starting the case's clock (a hearing, an inspection,
    # an expert review): the case's step, not a department's part.
    decision = payload["decision"]
    clock_step = decision in CLOCK_DECISIONS
    decided = _decided_status(change, clock_step)
    if decided is None:
        return None
    status, kind = decided
    at = None if clock_step else _at(payload)
    # 并联审批: a parallel case's part follows its department; the case is approved only
    # when every part is, and rejected as soon as one part is. Most cases have no parts
    # (apply_part_decision would return None at once): they are not asked.
    parts = page.parts.get(case.id)
    if at is not None and parts:
        from_parts = apply_part_decision(
            session,
            case.id,
            department=str(payload.get("department") or ""),
            decision=decision,
            note=str(payload.get("note") or ""),
            at=at,
            hub_status=status,
            parts=parts,
        )
        if from_parts is not None:
            status = from_parts
    event_id = _step_id(page, change)
    if _new_step(page, event_id):
        note = " ".join([p for p in (payload.get("department") or "", payload.get("note") or "") if p])
        when = at if at is not None else _at(payload)
        kind_word = f"decision.{decision}"
        _add_step(page, case, event_id, when, payload["at"], kind_word, case.status, status, note, kind)
    case.status = status  # seen at once by the page's later changes, stored with the page
    page.new_statuses[case.id] = status
    return change.kind


def _decided_status(change: protocol.Change, clock_step: bool) -> tuple[CaseStatus, SuspensionKind | None] | None:
    """The status a decision leads to and, for the back office's clock stop, why; None
    when either is a word this window does not know (a newer hub's): cases.status and
    case_events.suspension_kind hold only their enums' words, and the window cannot count
    or show a state it has no rules for. The change is skipped and logged; the feed goes
    on (stopping the pull for it would hold back every later change of the center) and
    the case keeps the status it had here."""
    payload = change.payload
    try:
        word = payload["status"]
        # By word first (the enum's own call costs more than the rest of the check); a
        # word that is not one, or not text, gets the enum's own answer as before.
        status = _STATUSES[word] if isinstance(word, str) and word in _STATUSES else CaseStatus(word)
        suspended = clock_step and status is CaseStatus.SUSPENDED
        return status, (suspension_kind(payload.get("suspension_kind")) if suspended else None)
    except (ValueError, ValidationError):
        log.warning(
            "%s seq %s skipped: its status or suspension kind is not one this window knows", change.kind, change.seq
        )
        return None


def _note(session: Session, change: protocol.Change, page: PageCases) -> str | None:
    payload = change.payload
    case = _case_of(session, page, payload["case_id"])
    if case is None:
        return None
    event_id = _step_id(page, change)
    if _new_step(page, event_id):
        at = _at(payload)
        _add_step(page, case, event_id, at, payload["at"], "note", None, None, str(payload.get("note") or ""))
    return change.kind


def _status_page(session: Session, change: protocol.Change, now: dt.datetime) -> str | None:
    url = change.payload.get("url")
    url = url.strip() if isinstance(url, str) else ""
    if url and not is_status_page_base(url):
        # The hub checks it; a bad one never reaches paper, and the receipts keep the last good one.
        log.warning("skipping a status page address that is not one (seq %s)", change.seq)
        return None
    queries.set_local_setting(session, STATUS_PAGE_SETTING, url)
    return change.kind


def _application(session: Session, change: protocol.Change, now: dt.datetime) -> str | None:
    """网上预审: an online application of this center waiting for the pre-review (new, or
    sent again by the resident: its next round). An older round than the one kept here
    (a page applied twice) changes nothing; the values and pages are fetched after the
    pull (services/application_fetch.py)."""
    payload = change.payload
    row = session.get(ma.OnlineApplication, payload["id"])
    round_ = int(payload["round"])
    case = payload.get("case")
    if isinstance(case, dict):
        return _accepted_by_department(session, change, row, case)
    if row is not None and row.round >= round_:
        return None
    if row is None:
        row = ma.OnlineApplication(id=payload["id"], fetched_round=0, values={}, labels=[], pages=[], returned=[])
        session.add(row)
    row.number = str(payload["number"])[:24]
    row.item_code = str(payload["item"])[:16]
    row.status = received_status(payload["status"])
    if row.status is ApplicationStatus.NEWER_HUB:
        # Kept, typed, and left alone: the window has no rules for it (domain/online_application_status.py).
        log.warning("an online application in a state this window does not know (seq %s)", change.seq)
    row.round = round_
    row.submitted_at = dt.datetime.fromisoformat(payload["submitted_at"]).astimezone(dt.UTC)
    row.updated_at = dt.datetime.fromisoformat(payload["updated_at"]).astimezone(dt.UTC)
    return change.kind


def _accepted_by_department(
    session: Session, change: protocol.Change, row: ma.OnlineApplication | None, case: dict[str, Any]
) -> str:
    """全程网办: the item's department accepted the application at the hub as a case of its
    own numbering. The window keeps the case's number, department and promised date (no
    personal data: what the resident typed is let go), so that it answers the resident with
    the case; the application is closed here, nothing to pre-review or finish at a visit."""
    payload = change.payload
    if row is None:
        row = ma.OnlineApplication(id=payload["id"], fetched_round=0, labels=[], pages=[], returned=[])
        session.add(row)
    row.number = str(payload["number"])[:24]
    row.item_code = str(payload["item"])[:16]
    row.round = int(payload["round"])
    row.submitted_at = dt.datetime.fromisoformat(payload["submitted_at"]).astimezone(dt.UTC)
    row.updated_at = dt.datetime.fromisoformat(payload["updated_at"]).astimezone(dt.UTC)
    row.status, row.values, row.labels = application_queries.CLOSED, {}, []
    row.case_number = str(case.get("number") or "")[:40] or None
    row.case_department = str(case.get("department") or "")[:8] or None
    promised = case.get("promised_date")
    row.case_promised_date = dt.date.fromisoformat(promised) if isinstance(promised, str) else None
    return change.kind


# A case change's handler also takes the page's cases (apply_change): two signatures.
_HANDLERS: dict[str, Callable[..., str | None]] = {
    protocol.CHANGE_CATALOG: _catalog,
    protocol.CHANGE_CALENDAR: _calendar,
    protocol.CHANGE_CALENDAR_YEAR: _calendar_year,
    protocol.CHANGE_OPERATOR: apply_operator,
    protocol.CHANGE_DECISION: _decision,
    protocol.CHANGE_NOTE: _note,
    protocol.CHANGE_STATUS_PAGE: _status_page,
    protocol.CHANGE_CREDIT_KEY: apply_credit_key,  # 告知承诺制: the city's key, its flags,
    protocol.CHANGE_CREDIT_FLAG: apply_credit_flag,  # and the departments' verifications
    protocol.CHANGE_VERIFICATION: apply_verification,
    protocol.CHANGE_APPLICATION: _application,
    **SERVICE_QUALITY_HANDLERS,  # complaint replies and follow-up outcomes recorded at the hub
}
