"""A case's life after intake at the window: status changes, its clock, supervision of
late cases, and the status inquiry (办件查询) read aloud to the applicant."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, NamedTuple

from windowdesk.domain.calendar import WorkingCalendar
from windowdesk.domain.case_state import FINISHING_STATUSES, CaseAction, CaseStatus, next_status, status_label
from windowdesk.domain.case_steps import StepSource
from windowdesk.domain.delivery import DELIVERY_WORKING_DAYS, Handover, HandoverRecord
from windowdesk.domain.ids import mask_phone_number
from windowdesk.domain.numbering import parse_case_number
from windowdesk.domain.permissions import Permission
from windowdesk.domain.status_page import case_number_in
from windowdesk.domain.suspensions import SuspensionKind, end_needs_reason, suspension_label
from windowdesk.domain.suspensions import suspension_kind as suspension_kind_of
from windowdesk.domain.time_limits import (
    DEFAULT_WARNING_DAYS,
    ClockState,
    Light,
    Suspension,
    clock_state,
    suspensions_from,
)
from windowdesk.domain.uuid7 import new_uuid
from windowdesk.errors import NotFoundError, ValidationError
from windowdesk.i18n import _, ngettext
from windowdesk.screen_dates import on_screen
from windowdesk.services.audit import record_action
from windowdesk.services.authorization import authorize
from windowdesk.services.context import CounterContext
from windowdesk.services.delivery import chosen_delivery, delivery_clock, record_handover
from windowdesk.services.refusals import marked_refused
from windowdesk.services.working_days import calendar_in_force
from windowdesk.storage import models as m
from windowdesk.storage import queries, refusal_queries
from windowdesk.storage.db import Database, Session
from windowdesk.sync.outbox import enqueue
from windowdesk.sync.protocol import EventEntity, EventKind

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

# What the window itself may do; review decisions come from the back office via the hub.
WINDOW_ACTIONS = (CaseAction.SUSPEND, CaseAction.RESUME, CaseAction.COMPLETE, CaseAction.DELIVER, CaseAction.WITHDRAW)
FINISHED = {CaseStatus.COMPLETED, CaseStatus.DELIVERED, CaseStatus.WITHDRAWN}
_CLOCK_STATUSES = FINISHED | {CaseStatus.SUSPENDED}


class CaseClock(NamedTuple):  # thousands per look at the watch: cheaper than a dataclass
    case_id: str
    case_number: str
    item_name: str
    status: str
    state: ClockState
    hub_refused: bool = False  # the hub refused a change to it, not dealt with yet (services/refusals.py)
    suspension_kind: str | None = None  # why a suspended case's clock stands still
    # A completed case whose result is still to be delivered: ``state`` is then the
    # delivery deadline's clock (services.delivery), not the handling clock.
    awaiting_delivery: bool = False
    # Whom to call about it: the name as the counter shows names, the phone masked
    # (138****5678) as a list shown to the hall and printed for a meeting must.
    applicant_name: str = ""
    applicant_phone: str = ""


def change_status(
    db: Database,
    ctx: CounterContext,
    *,
    case_id: str,
    action: CaseAction,
    note: str = "",
    delivery: Handover | None = None,
    suspension_kind: SuspensionKind | str | None = None,
    certificate_number: str = "",
) -> str:
    """One step on the case's timeline, checked against the state machine. A suspension
    names its kind (none: the wait for supplementary materials) and its reason; ending
    one other than that wait needs its outcome in ``note``. Delivering needs the
    handover (services.delivery checks it against the applicant's choice and ID).
    Completing an approved case of an item that issues a certificate needs its number."""
    action = CaseAction(action)
    if action not in WINDOW_ACTIONS:
        raise ValidationError(_("This decision is made by the back office, not at the window."), field="action")
    if suspension_kind is not None and action is not CaseAction.SUSPEND:
        raise ValidationError(_("Only a suspension names a kind of suspension."), field="suspension_kind")
    kind = suspension_kind_of(suspension_kind).value if action is CaseAction.SUSPEND else None
    note = note.strip()
    if action in (CaseAction.SUSPEND, CaseAction.WITHDRAW) and not note:
        raise ValidationError(_("Please say why."), field="note")
    with db.write() as session:
        authorize(session, ctx, Permission.DECIDE_INTAKE)
        case = session.get(m.Case, case_id)
        if case is None or case.center_code != ctx.center_code:
            raise NotFoundError(_("Not found"), _("This case is not on this workstation."))
        next_status(CaseStatus(case.status), action)  # raises InvalidTransition in words, before the rest
        if action is CaseAction.RESUME and not note:
            running = current_suspension_kind(case.events)
            if end_needs_reason(running):
                raise ValidationError(
                    _("Please record the outcome that ends this suspension ({kind}).").format(
                        kind=suspension_label(running)
                    ),
                    field="note",
                )
        certificate = certificate_at_completion(session, case, action, certificate_number)
        now = ctx.now()
        handover = None
        if action is CaseAction.DELIVER:
            handover = record_handover(session, case, delivery, now)
            note = " ".join(p for p in (handover.words(), note) if p)
        return append_step(
            session, ctx, case, action, note, now, suspension_kind=kind, handover=handover, certificate=certificate
        )


def append_step(
    session: Session,
    ctx: CounterContext,
    case: m.Case,
    action: CaseAction,
    note: str,
    now: dt.datetime,
    *,
    suspension_kind: SuspensionKind | str | None = None,
    handover: HandoverRecord | None = None,
    certificate: str = "",
) -> CaseStatus:
    """Inside the caller's write transaction: one step on ``case``'s timeline, checked
    against the state machine, with its audit entry and its outbox event. A suspension
    always records its kind (none given: the wait for materials); ``handover`` and
    ``certificate`` are what change_status checked for a delivery or a completion."""
    new = next_status(CaseStatus(case.status), action)  # raises InvalidTransition in words
    kind = suspension_kind_of(suspension_kind).value if action is CaseAction.SUSPEND else None
    event = m.CaseEvent(
        id=new_uuid(),
        case_id=case.id,
        position=m.next_event_position(case),
        at=now,
        operator_id=ctx.operator_id,
        kind=action.value,
        from_status=case.status,
        to_status=new.value,
        note=note,
        source=StepSource.WINDOW,
        suspension_kind=kind,
    )
    case.events.append(event)
    case.status = new
    # The timeline's facts the reports find by index (0007), counted by each writer of
    # steps: here and in the pull (services/sync_apply.py). The row was read in this
    # write transaction, so its counts are the stored ones.
    if new is CaseStatus.SUSPENDED:
        case.suspensions = (case.suspensions or 0) + 1
    elif new in FINISHING_STATUSES and case.finished_at is None:
        case.finished_at = now
    detail: dict[str, Any] = {"number": case.case_number, "to": new.value}
    payload: dict[str, Any] = {
        "action": action.value,
        "at": now.isoformat(),
        "note": note,
        "case_id": case.id,
        "event_id": event.id,
        "from": event.from_status,
        "to": new.value,
    }
    if kind is not None:
        detail["suspension_kind"] = payload["suspension_kind"] = kind
    if handover is not None:
        payload["handover"] = handover.as_payload()
        detail["delivery"] = handover.mode
    if certificate:
        case.certificate_number = detail["certificate_number"] = payload["certificate_number"] = certificate
    record_action(session, ctx, action=f"case.{action.value}", entity="case", entity_id=case.id, detail=detail)
    enqueue(session, entity=EventEntity.CASE, entity_id=case.id, kind=EventKind.CASE_STATUS, now=now, payload=payload)
    return new


def certificate_at_completion(session: Session, case: m.Case, action: CaseAction, number: str) -> str:
    """The certificate number an approved case's 办结 records ("" where none is issued)."""
    number = " ".join(number.split())
    issued = certificate_issued(session, case) if action is CaseAction.COMPLETE else ""
    if not issued:
        if number:
            raise ValidationError(
                _("No certificate is issued here: leave the certificate number empty."), field="certificate_number"
            )
        return ""
    if not number:
        raise ValidationError(
            _("Please type the number of the {certificate} issued.").format(certificate=issued),
            field="certificate_number",
        )
    if len(number) > 40:
        raise ValidationError(_("A certificate number has at most 40 characters."), field="certificate_number")
    return number


def certificate_issued(session: Session, case: m.Case) -> str:
    """What completing ``case`` issues: its item's certificate when it was approved."""
    if case.status != CaseStatus.APPROVED:
        return ""
    item = session.get(m.CatalogItem, case.item_code)
    return item.certificate if item is not None else ""


def certificate_to_record(db: Database, ctx: CounterContext, *, case_id: str) -> str:
    """The certificate whose number 办结 of this case asks for ("" when none)."""
    with db.read() as session:
        authorize(session, ctx, Permission.VIEW_DAY_WORK)
        case = session.get(m.Case, case_id)
        if case is None or case.center_code != ctx.center_code:
            raise NotFoundError(_("Not found"), _("This case is not on this workstation."))
        return certificate_issued(session, case)


def chosen_delivery_mode(db: Database, ctx: CounterContext, *, case_id: str) -> str | None:
    """How the applicant asked for the result at acceptance (None: not recorded then)."""
    with db.read() as session:
        authorize(session, ctx, Permission.VIEW_DAY_WORK)
        row = chosen_delivery(session, case_id)
        return row.mode if row is not None else None


def suspension_in_force(db: Database, ctx: CounterContext, *, case_id: str) -> str | None:
    """Why the case's clock stands still now (a SuspensionKind value), or None when it runs."""
    with db.read() as session:
        authorize(session, ctx, Permission.VIEW_DAY_WORK)
        case = queries.case_with_details(session, case_id)
        if case is None or case.center_code != ctx.center_code:
            raise NotFoundError(_("Not found"), _("This case is not on this workstation."))
        return _kind_if_suspended(case.status, case.events)


def _kind_if_suspended(status: str, events: Sequence[m.CaseEvent]) -> str | None:
    return current_suspension_kind(events).value if status == CaseStatus.SUSPENDED else None


def _clock_stopped_words(kind: SuspensionKind) -> str:
    if kind is SuspensionKind.MATERIALS:
        return _("The clock is stopped until the supplementary materials arrive.")
    return _("The clock is stopped: {reason}. The time it takes does not count against the time limits.").format(
        reason=suspension_label(kind)
    )


def current_suspension_kind(events: Sequence[m.CaseEvent]) -> SuspensionKind:
    """The kind of the suspension a case is in (or was last in): that of its last step
    into "suspended"."""
    last = next(
        (ev for ev in sorted(events, key=lambda ev: ev.position, reverse=True) if ev.to_status == CaseStatus.SUSPENDED),
        None,
    )
    return suspension_kind_of(last.suspension_kind if last is not None else None)


def status_words(status: str, events: Sequence[m.CaseEvent]) -> str:
    """A case's status in words; a suspended one says why its clock stands still."""
    if status == CaseStatus.SUSPENDED:
        return suspension_label(current_suspension_kind(events))
    return status_label(CaseStatus(status))


def _clock_of(
    session: Session, ctx: CounterContext, case: m.Case, shipped_calendar: WorkingCalendar, today: dt.date
) -> ClockState:
    calendar = calendar_in_force(session, shipped_calendar)
    item = session.get_one(m.CatalogItem, case.item_code)
    return _clock(
        ctx, item, case.accepted_day, [(ev.at, ev.to_status, ev.suspension_kind) for ev in case.events], calendar, today
    )


def _clock(
    ctx: CounterContext,
    item: m.CatalogItem | queries.ItemClockRules,
    accepted: dt.date,
    steps: Sequence[tuple[dt.datetime, str | None, str | None]],
    calendar: WorkingCalendar,
    today: dt.date,
) -> ClockState:
    """The clock from a case's (time, status after, kind of suspension) steps in recorded
    order; ``item`` gives the limits (a catalog item or queries.ItemClockRules)."""
    suspensions: Sequence[Suspension] = ()
    finished: dt.date | None = None
    # Most cases were never suspended nor finished: their steps cannot change the clock,
    # and the watch computes thousands of clocks, so their times are not converted.
    if any(status in _CLOCK_STATUSES for _at, status, _kind in steps):
        zone = ctx.zone
        timeline = [(at.astimezone(zone).date(), status, kind) for at, status, kind in steps]
        finished = next((day for day, status, _kind in timeline if status in FINISHED), None)
        suspensions = suspensions_from(timeline)
    return clock_state(
        accepted=accepted,
        today=today,
        promised_days=item.promised_limit_days,
        legal_days=item.legal_limit_days,
        calendar=calendar,
        suspensions=suspensions,
        warning_days=item.warning_days,
        finished_on=finished,
    )


def case_clock(db: Database, ctx: CounterContext, *, case_id: str, shipped_calendar: WorkingCalendar) -> CaseClock:
    with db.read() as session:
        authorize(session, ctx, Permission.VIEW_DAY_WORK)
        case = queries.case_with_details(session, case_id)
        if case is None:
            raise NotFoundError(_("Not found"), _("This case is not on this workstation."))
        item = session.get_one(m.CatalogItem, case.item_code)
        return CaseClock(
            case.id,
            case.case_number,
            item.name,
            case.status,
            _clock_of(session, ctx, case, shipped_calendar, ctx.local_today()),
            suspension_kind=_kind_if_suspended(case.status, case.events),
        )


def late_cases(
    db: Database, ctx: CounterContext, *, shipped_calendar: WorkingCalendar, whole_center: bool = False
) -> list[CaseClock]:
    """Yellow and red open cases, oldest first: the window's own, or (supervisors) the center's.
    Without their applicants: ``with_applicants`` names the rows shown or printed."""
    with db.read() as session:
        authorize(session, ctx, Permission.MANAGE_OPERATORS if whole_center else Permission.VIEW_DAY_WORK)
        today = ctx.local_today()
        # Suspensions only ever move a due date later, so a case whose plain promised date
        # lies beyond the widest warning window cannot be yellow or red: the database
        # leaves it out, and only the few near or past their date get the exact clock.
        calendar = calendar_in_force(session, shipped_calendar)
        cutoff = calendar.add_working_days(today, queries.widest_warning_days(session))
        items = queries.item_clock_rules(session)
        found = []
        # A case whose acceptance the hub refused gets no decision from the back office:
        # the watch says so until a supervisor has dealt with it, then leaves it out (it
        # is on no report either; the day's work still lists it).
        refused = refusal_queries.unresolved_refused_record_ids(session, entity=EventEntity.CASE)
        dealt_with = refusal_queries.refused_creations(session, EventKind.CASE_ACCEPTED) - refused
        # Without suspensions a clock depends only on the item and the acceptance day, which
        # many late cases share.
        plain_clocks: dict[tuple[str, dt.date], ClockState] = {}
        for case in queries.open_cases(
            session, ctx.center_code, None if whole_center else ctx.window_id, promised_by=cutoff
        ):
            item = items[case.item_code]
            if case.suspension_steps:
                state = _clock(ctx, item, case.accepted_day, case.suspension_steps, calendar, today)
            else:
                shared = plain_clocks.get((case.item_code, case.accepted_day))
                if shared is None:
                    shared = plain_clocks[case.item_code, case.accepted_day] = _clock(
                        ctx, item, case.accepted_day, (), calendar, today
                    )
                state = shared
            if state.light in (Light.YELLOW, Light.RED) and case.id not in dealt_with:
                kind = None
                if case.status == CaseStatus.SUSPENDED:  # its last step was into the suspension
                    kind = suspension_kind_of(case.suspension_steps[-1][2]).value
                found.append(
                    CaseClock(case.id, case.case_number, item.name, case.status, state, case.id in refused, kind)
                )
        found += _late_deliveries(session, ctx, calendar, today, items, whole_center, refused, dealt_with)
    return sorted(found, key=lambda c: (c.state.promised_due, c.case_number))


def with_applicants(
    db: Database, ctx: CounterContext, found: Sequence[CaseClock], *, whole_center: bool = False
) -> list[CaseClock]:
    """The same cases of the watch with whom to call about each (the name, the phone
    masked), in the same order. Read apart from ``late_cases`` and only for the rows
    shown or printed: each case's applicant lies on scattered pages among millions of
    residents, and reading them for every late case of the center kept 44 MB of pages in
    the read cache for names nobody looked at; nor are they kept in it (``read_passing``)
    for the next look, which finds them again in a few milliseconds. Only cases of the
    watch's own scope (the window's, or with ``whole_center`` the center's) are named."""
    with db.read_passing() as session:
        authorize(session, ctx, Permission.MANAGE_OPERATORS if whole_center else Permission.VIEW_DAY_WORK)
        applicants = queries.case_applicants(
            session,
            [case.case_id for case in found],
            center_code=ctx.center_code,
            window_id=None if whole_center else ctx.window_id,
        )
    named = []
    for case in found:
        name, phone = applicants.get(case.case_id, ("", ""))
        named.append(case._replace(applicant_name=name, applicant_phone=mask_phone_number(phone)))
    return named


def _late_deliveries(
    session: Session,
    ctx: CounterContext,
    calendar: WorkingCalendar,
    today: dt.date,
    items: dict[str, queries.ItemClockRules],
    whole_center: bool,
    refused: set[str],
    dealt_with: set[str],
) -> list[CaseClock]:
    """Completed cases whose result is near or past its delivery deadline (10 working
    days after the decision), watched like the handling limits."""
    found = []
    for case in queries.awaiting_delivery(session, ctx.center_code, None if whole_center else ctx.window_id):
        if case.id in dealt_with:
            continue
        clock = delivery_clock(case.decided_at.astimezone(ctx.zone).date(), today, calendar)
        # One warning for every item: the delivery deadline is the same ten days for all.
        light = Light.RED if clock.left < 0 else Light.YELLOW if clock.left <= DEFAULT_WARNING_DAYS else Light.GREEN
        if light is Light.GREEN:
            continue
        state = ClockState(
            used=DELIVERY_WORKING_DAYS - clock.left,
            suspended=0,
            promised_left=clock.left,
            legal_left=clock.left,
            promised_due=clock.due,
            legal_due=clock.due,
            light=light,
        )
        found.append(
            CaseClock(
                case.id,
                case.case_number,
                items[case.item_code].name,
                CaseStatus.COMPLETED,
                state,
                case.id in refused,
                awaiting_delivery=True,
            )
        )
    return found


def late_list_headings() -> list[str]:
    return [
        _("Case number"),
        _("Applicant"),
        _("Phone"),
        _("Item"),
        _("Status"),
        _("Promised date"),
        _("Working days left"),
        _("Legal days left"),
    ]


def late_list_row(case: CaseClock, date_words: Callable[[dt.date], str] = on_screen) -> list[str]:
    """One case of the watch in words, as the screen shows it; the printed list passes
    its own ``date_words`` (documents write dates the Chinese way)."""
    if case.awaiting_delivery:
        status = _("Result awaiting delivery")
    elif case.status == CaseStatus.SUSPENDED:
        status = suspension_label(case.suspension_kind)
    else:
        status = status_label(CaseStatus(case.status))
    if case.hub_refused:
        status = marked_refused(status)
    return [
        case.case_number,
        case.applicant_name,
        case.applicant_phone,
        case.item_name,
        status,
        date_words(case.state.promised_due),
        working_days_left_words(case.state.promised_left),
        working_days_left_words(case.state.legal_left),
    ]


def working_days_left_words(left: int) -> str:
    """ "3 working days", "due today", "overdue 7 working days": never a bare "-7"."""
    if left < 0:
        return ngettext("overdue {n} working day", "overdue {n} working days", -left).format(n=-left)
    if left == 0:
        return _("due today")
    return ngettext("{n} working day", "{n} working days", left).format(n=left)


def late_list_pdf(db: Database, ctx: CounterContext, found: list[CaseClock], *, whole_center: bool) -> bytes:
    """The watch as printed: what ``late_cases`` found, with who prints it and when."""
    from windowdesk.printing.blocks import long_date
    from windowdesk.printing.late_list import render_late_list
    from windowdesk.services.reports import report_issuer

    scope = _("Whole center") if whole_center else _("Window {code}").format(code=ctx.window_code)
    return render_late_list(
        issuer=report_issuer(db, ctx),
        day=ctx.local_today(),
        scope=scope,
        headings=late_list_headings(),
        rows=[late_list_row(case, long_date) for case in with_applicants(db, ctx, found, whole_center=whole_center)],
        overdue=sum(1 for case in found if case.state.light is Light.RED),
    )


def inquire(db: Database, ctx: CounterContext, *, case_number: str, shipped_calendar: WorkingCalendar) -> str:
    """Where the case is, in words fit to read aloud. ``case_number`` may also be the status
    page address a scanner read from a receipt's QR code."""
    number = parse_case_number(case_number_in(case_number))
    with db.read() as session:
        authorize(session, ctx, Permission.VIEW_DAY_WORK)
        case = queries.case_by_number(session, str(number))
        if case is None:
            raise NotFoundError(
                _("Case not found"),
                _(
                    "No case {number} is known at this service center. Please check the number on the "
                    "receipt, or ask at the window where it was accepted."
                ).format(number=str(number)),
            )
        item = session.get_one(m.CatalogItem, case.item_code)
        state = _clock_of(session, ctx, case, shipped_calendar, ctx.local_today())
        status = CaseStatus(case.status)
        words = _("Case {number}, {item}: {status}.").format(
            number=case.case_number, item=item.name, status=status_label(status)
        )
        if state.light is not Light.DONE:
            if state.promised_left >= 0:
                words += " " + _("It is due by {date}, {left} working days from now.").format(
                    date=on_screen(state.promised_due), left=state.promised_left
                )
            else:
                words += " " + _(
                    "It is {late} working days past its promised date of {date}; the supervisor has been alerted."
                ).format(late=-state.promised_left, date=on_screen(state.promised_due))
        if status is CaseStatus.SUSPENDED:
            words += " " + _clock_stopped_words(current_suspension_kind(case.events))
        if status is CaseStatus.COMPLETED:
            words += " " + _("The result is ready to be collected.")
        return words
