"""Today's work at this window, and the details and timeline of one record."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from windowdesk.domain.case_state import CaseStatus, status_label
from windowdesk.domain.material_status import MaterialStatus
from windowdesk.domain.permissions import Permission
from windowdesk.domain.suspensions import suspension_label
from windowdesk.errors import NotFoundError
from windowdesk.i18n import _
from windowdesk.services.applicants import applicant_of, applicant_summary
from windowdesk.services.authorization import authorize
from windowdesk.services.case_parts import part_views
from windowdesk.services.cases import status_words
from windowdesk.services.context import CounterContext
from windowdesk.services.fees import UNCHARGEABLE, quote_in_session
from windowdesk.services.refusals import Resolution, marked_refused, resolution_of
from windowdesk.storage import models as m
from windowdesk.storage import queries, refusal_queries
from windowdesk.storage.db import Database, Session
from windowdesk.sync.change_words import change_words

CASE = "case"
NOTIFICATION = "notification"
REFUSAL = "refusal"


def kind_label(kind: str) -> str:
    return {
        CASE: _("Accepted"),
        NOTIFICATION: _("One-time notification"),
        REFUSAL: _("Refused"),
    }[kind]


@dataclass(frozen=True)
class WorkEntry:
    kind: str
    id: str
    number: str
    at: dt.datetime  # UTC
    item_name: str
    applicant_name: str
    applicant_number: str  # masked
    state: str  # words for the operator
    fee: str = ""  # a case's fee: "Paid", "Unpaid", or nothing when it has none


@dataclass(frozen=True)
class TimelineStep:
    at: dt.datetime
    label: str
    note: str
    who: str = ""  # the operator who recorded it here, when known


@dataclass(frozen=True)
class HubRefusal:
    """A change to the record that the hub refused: the record is not (or not so) at the hub."""

    change: str  # in words
    reason: str  # the hub's
    resolution: Resolution | None  # a supervisor's, once it has been dealt with


@dataclass(frozen=True)
class RecordDetail:
    kind: str
    id: str
    number: str
    item_code: str
    item_name: str
    applicant_name: str
    applicant_number: str
    at: dt.datetime
    state: str
    promised_date: dt.date | None
    legal_date: dt.date | None
    lines: tuple[tuple[str, str, str], ...]  # material name, status words, note
    reason: str
    legal_basis: str
    timeline: tuple[TimelineStep, ...]
    # 并联审批: department name, part status in words, note (the reason of a refusal).
    parts: tuple[tuple[str, str, str], ...] = ()
    hub_refusals: tuple[HubRefusal, ...] = ()


@dataclass(frozen=True)
class DaySummary:
    accepted: int
    notified: int
    refused: int


def _fee_words(session: Session, ctx: CounterContext, case: m.Case, paid: set[str]) -> str:
    """Whether the case's fee is still to be collected (today's work shows it)."""
    if case.id in paid:
        return _("Paid")
    if case.status in UNCHARGEABLE:
        return ""
    quote = quote_in_session(session, ctx, case, None)
    total_fen = quote.total_fen
    return _("Unpaid") if total_fen is None or total_fen > 0 else ""


def list_day_work(db: Database, ctx: CounterContext, *, day: dt.date | None = None) -> list[WorkEntry]:
    """Everything decided at this window on a local day (default today), oldest first."""
    start, end = ctx.day_bounds_utc(day or ctx.local_today())
    with db.read() as session:
        authorize(session, ctx, Permission.VIEW_DAY_WORK)
        item_names = {row.code: row.name for row in queries.active_items(session)}

        def entry(
            kind: str, row: m.Case | m.OneTimeNotification | m.Refusal, number: str, at: dt.datetime, state: str
        ) -> WorkEntry:
            who = applicant_summary(session, applicant_of(row))
            name = item_names.get(row.item_code) or session.get_one(m.CatalogItem, row.item_code).name
            return WorkEntry(kind, row.id, number, at, name, who.name, who.masked_number, state)

        day_cases = list(queries.cases_of_window_between(session, ctx.window_id, start, end))
        paid = queries.paid_case_ids(session, [c.id for c in day_cases])
        entries = [
            dataclasses.replace(
                entry(CASE, c, c.case_number, c.accepted_at, status_label(CaseStatus(c.status))),
                fee=_fee_words(session, ctx, c, paid),
            )
            for c in day_cases
        ]
        entries += [
            entry(NOTIFICATION, n, n.number, n.created_at, kind_label(NOTIFICATION))
            for n in queries.notifications_of_window_between(session, ctx.window_id, start, end)
        ]
        entries += [
            entry(REFUSAL, r, r.number, r.created_at, kind_label(REFUSAL))
            for r in queries.refusals_of_window_between(session, ctx.window_id, start, end)
        ]
        refused = refusal_queries.refusals_of_records(session, [e.id for e in entries])
    entries = [
        dataclasses.replace(e, state=_with_refusals(e.state, refused[e.id])) if e.id in refused else e for e in entries
    ]
    entries.sort(key=lambda e: e.at)
    return entries


def _with_refusals(state: str, refusals: list) -> str:
    """Resolved only once every refused change to the record has been dealt with."""
    return marked_refused(state, resolved=all(resolution is not None for _event, resolution in refusals))


def _hub_refusals(session: Session, record_id: str) -> tuple[HubRefusal, ...]:
    return tuple(
        HubRefusal(change_words(event.kind), event.last_error, resolution_of(done))
        for event, done in refusal_queries.refusals_of_records(session, [record_id]).get(record_id, [])
    )


def summarize(entries: list[WorkEntry]) -> DaySummary:
    return DaySummary(
        accepted=sum(1 for e in entries if e.kind == CASE),
        notified=sum(1 for e in entries if e.kind == NOTIFICATION),
        refused=sum(1 for e in entries if e.kind == REFUSAL),
    )


def material_status_label(status: MaterialStatus) -> str:
    return {
        MaterialStatus.RECEIVED: _("Received"),
        MaterialStatus.MISSING: _("Missing"),
        MaterialStatus.CORRECTION: _("Needs correction"),
        MaterialStatus.DEFERRED: _("To follow (容缺受理)"),
    }.get(status, status)


def _event_label(event: m.CaseEvent) -> str:
    if event.kind == "accepted":
        return _("Accepted at the window")
    if event.to_status == CaseStatus.SUSPENDED:
        return suspension_label(event.suspension_kind)  # why the clock stops
    if event.to_status:
        return status_label(CaseStatus(event.to_status))
    return event.kind


def _with_commitment(state: str, commitment: m.CaseCommitment | None) -> str:
    """告知承诺制: the case's state, with where its verification stands (a false one marks
    the case for revocation)."""
    if commitment is None:
        return state
    if commitment.marked_for_revocation:
        words = _("commitment found false: marked for revocation")
    elif commitment.verified_result is not None:
        words = _("commitment verified")
    else:
        words = _("notify-and-commit, verification due {date}").format(date=commitment.verify_due.isoformat())
    return f"{state} · {words}"


def _operator_names(session: Session, events: list[m.CaseEvent]) -> dict[str, str]:
    ids = {ev.operator_id for ev in events if ev.operator_id}
    return {op.id: op.display_name for op in (session.get(m.Operator, i) for i in ids) if op is not None}


def get_record_detail(db: Database, ctx: CounterContext, *, kind: str, record_id: str) -> RecordDetail:
    with db.read() as session:
        authorize(session, ctx, Permission.VIEW_DAY_WORK)
        if kind == CASE:
            case = queries.case_with_details(session, record_id)
            if case is None:
                raise NotFoundError(_("Not found"), _("This case is not on this workstation."))
            who = applicant_summary(session, applicant_of(case))
            item = session.get_one(m.CatalogItem, case.item_code)
            names = _operator_names(session, case.events)
            return RecordDetail(
                kind,
                case.id,
                case.case_number,
                item.code,
                item.name,
                who.name,
                who.masked_number,
                case.accepted_at,
                _with_commitment(status_words(case.status, case.events), case.commitment),
                case.promised_date,
                case.legal_date,
                tuple((mat.name, material_status_label(mat.status), mat.note) for mat in case.materials),
                "",
                item.legal_basis,
                tuple(
                    TimelineStep(ev.at, _event_label(ev), ev.note, names.get(ev.operator_id or "", ""))
                    for ev in case.events
                ),
                tuple((p.department_name, p.status_words, p.note) for p in part_views(session, case.id)),
                _hub_refusals(session, case.id),
            )
        if kind == NOTIFICATION:
            note = queries.notification_with_entries(session, record_id)
            if note is None:
                raise NotFoundError(_("Not found"), _("This notification is not on this workstation."))
            who = applicant_summary(session, applicant_of(note))
            item = session.get_one(m.CatalogItem, note.item_code)
            return RecordDetail(
                kind,
                note.id,
                note.number,
                item.code,
                item.name,
                who.name,
                who.masked_number,
                note.created_at,
                kind_label(NOTIFICATION),
                None,
                None,
                tuple((e.name, material_status_label(e.problem), e.note or e.requirement) for e in note.entries),
                note.note,
                item.legal_basis,
                (TimelineStep(note.created_at, kind_label(NOTIFICATION), note.note),),
                hub_refusals=_hub_refusals(session, note.id),
            )
        if kind == REFUSAL:
            refusal = session.get(m.Refusal, record_id)
            if refusal is None:
                raise NotFoundError(_("Not found"), _("This refusal is not on this workstation."))
            who = applicant_summary(session, applicant_of(refusal))
            item = session.get_one(m.CatalogItem, refusal.item_code)
            return RecordDetail(
                kind,
                refusal.id,
                refusal.number,
                item.code,
                item.name,
                who.name,
                who.masked_number,
                refusal.created_at,
                kind_label(REFUSAL),
                None,
                None,
                (),
                refusal.reason,
                refusal.legal_basis,
                (TimelineStep(refusal.created_at, kind_label(REFUSAL), refusal.reason),),
                hub_refusals=_hub_refusals(session, refusal.id),
            )
    raise NotFoundError(_("Not found"), _("Unknown kind of record."))


def case_status(db: Database, case_id: str) -> str:
    """The machine status of a case (for the actions the window may offer)."""
    with db.read() as session:
        case = session.get(m.Case, case_id)
        if case is None:
            raise NotFoundError(_("Not found"), _("This case is not on this workstation."))
        return case.status
