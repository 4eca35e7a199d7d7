"""A case's life after intake at the window: status changes, its clock, supervision of
late cases, and the status inquiry (办件查询) read aloud to the applicant."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from windowdesk.domain.calendar import WorkingCalendar
from windowdesk.domain.case_state import CaseAction, CaseStatus, next_status, status_label
from windowdesk.domain.numbering import parse_case_number
from windowdesk.domain.permissions import Permission
from windowdesk.domain.status_page import case_number_in
from windowdesk.domain.time_limits import ClockState, Light, clock_state, suspensions_from
from windowdesk.domain.uuid7 import new_uuid
from windowdesk.errors import NotFoundError, ValidationError
from windowdesk.i18n import _, format_date, ngettext
from windowdesk.services.audit import record_action
from windowdesk.services.authorization import authorize
from windowdesk.services.context import CounterContext
from windowdesk.services.refusals import marked_refused
from windowdesk.services.working_days import calendar_in_force
from windowdesk.storage import models as m
from windowdesk.storage import queries, refusal_queries
from windowdesk.storage.db import Database, Session
from windowdesk.sync.outbox import enqueue

if TYPE_CHECKING:
    from collections.abc import Sequence

# What the window itself may do; review decisions come from the back office via the hub.
WINDOW_ACTIONS = (CaseAction.SUSPEND, CaseAction.RESUME, CaseAction.COMPLETE, CaseAction.DELIVER,
                  CaseAction.WITHDRAW)
DELIVERY_METHODS = ("window", "post", "agent")
FINISHED = {CaseStatus.COMPLETED.value, CaseStatus.DELIVERED.value, CaseStatus.WITHDRAWN.value}
_CLOCK_STATUSES = FINISHED | {CaseStatus.SUSPENDED.value}


@dataclass(frozen=True)
class Delivery:
    method: str  # window / post / agent
    agent_name: str = ""
    agent_id_number: str = ""  # checked, then only its masked form is kept
    tracking: str = ""


class CaseClock(NamedTuple):  # thousands per look at the watch: cheaper than a dataclass
    case_id: str
    case_number: str
    item_name: str
    status: str
    state: ClockState
    hub_refused: bool = False  # the hub refused a change to it, not dealt with yet (services/refusals.py)


def _delivery_note(delivery: Delivery | None) -> str:
    if delivery is None:
        raise ValidationError(_("Please say how the result was delivered."), field="delivery")
    if delivery.method not in DELIVERY_METHODS:
        raise ValidationError(_("Unknown delivery method."), field="delivery")
    if delivery.method == "agent":
        from windowdesk.domain.ids import parse_resident_id

        if not delivery.agent_name.strip():
            raise ValidationError(_("Please type the agent's name."), field="agent_name")
        agent = parse_resident_id(delivery.agent_id_number)
        return _("Collected by agent {name} ({number})").format(name=delivery.agent_name.strip(), number=agent.masked)
    if delivery.method == "post":
        return _("Sent by post, tracking number {number}").format(number=delivery.tracking.strip() or "-")
    return _("Handed over at the window")


def change_status(
    db: Database, ctx: CounterContext, *, case_id: str, action: CaseAction, note: str = "", delivery: Delivery | None = None
) -> str:
    """One step on the case's timeline, checked against the state machine."""
    action = CaseAction(action)
    if action not in WINDOW_ACTIONS:
        raise ValidationError(_("This decision is made by the back office, not at the window."), field="action")
    note = note.strip()
    if action in (CaseAction.SUSPEND, CaseAction.WITHDRAW) and not note:
        raise ValidationError(_("Please say why."), field="note")
    if action is CaseAction.DELIVER:
        note = " ".join(p for p in (_delivery_note(delivery), note) if p)
    with db.write() as session:
        authorize(session, ctx, Permission.DECIDE_INTAKE)
        case = session.get(m.Case, case_id)
        if case is None or case.center_code != ctx.center_code:
            raise NotFoundError(_("Not found"), _("This case is not on this workstation."))
        return append_step(session, ctx, case, action, note, ctx.now())


def append_step(session: Session, ctx: CounterContext, case: m.Case, action: CaseAction, note: str,
                now: dt.datetime) -> str:
    """Inside the caller's write transaction: one step on ``case``'s timeline, checked
    against the state machine, with its audit entry and its outbox event."""
    new = next_status(CaseStatus(case.status), action)  # raises InvalidTransition in words
    event = m.CaseEvent(
        id=new_uuid(), case_id=case.id, position=m.next_event_position(case), at=now,
        operator_id=ctx.operator_id, kind=action.value, from_status=case.status, to_status=new.value,
        note=note, source="window",
    )
    case.events.append(event)
    case.status = new.value
    record_action(session, ctx, action=f"case.{action.value}", entity="case", entity_id=case.id,
                  detail={"number": case.case_number, "to": new.value})
    enqueue(session, entity="case", entity_id=case.id, kind="case.status", now=now,
            payload={"action": action.value, "at": now.isoformat(), "note": note, "case_id": case.id,
                     "event_id": event.id, "from": event.from_status, "to": new.value})
    return new.value


def _clock_of(session: Session, ctx: CounterContext, case: m.Case, shipped_calendar: WorkingCalendar, today: dt.date) -> ClockState:
    calendar = calendar_in_force(session, shipped_calendar)
    item = session.get(m.CatalogItem, case.item_code)
    return _clock(ctx, item, case.accepted_day, [(ev.at, ev.to_status) for ev in case.events], calendar, today)


def _clock(
    ctx: CounterContext, item: m.CatalogItem | queries.ItemClockRules, accepted: dt.date,
    steps: Sequence[tuple[dt.datetime, str | None]], calendar: WorkingCalendar, today: dt.date,
) -> ClockState:
    """The clock from a case's (time, status after) steps in recorded order; ``item``
    gives the limits (a catalog item or queries.ItemClockRules)."""
    suspensions, finished = (), None
    # Most cases were never suspended nor finished: their steps cannot change the clock,
    # and the watch computes thousands of clocks, so their times are not converted.
    if any(status in _CLOCK_STATUSES for _at, status in steps):
        zone = ctx.zone
        timeline = [(at.astimezone(zone).date(), status) for at, status in steps]
        finished = next((day for day, status in timeline if status in FINISHED), None)
        suspensions = suspensions_from(timeline)
    return clock_state(
        accepted=accepted, today=today, promised_days=item.promised_limit_days,
        legal_days=item.legal_limit_days, calendar=calendar, suspensions=suspensions,
        warning_days=item.warning_days, finished_on=finished,
    )


def case_clock(db: Database, ctx: CounterContext, *, case_id: str, shipped_calendar: WorkingCalendar) -> CaseClock:
    with db.read() as session:
        authorize(session, ctx, Permission.VIEW_DAY_WORK)
        case = queries.case_with_details(session, case_id)
        if case is None:
            raise NotFoundError(_("Not found"), _("This case is not on this workstation."))
        item = session.get(m.CatalogItem, case.item_code)
        return CaseClock(case.id, case.case_number, item.name, case.status,
                         _clock_of(session, ctx, case, shipped_calendar, ctx.local_today()))


def late_cases(db: Database, ctx: CounterContext, *, shipped_calendar: WorkingCalendar, whole_center: bool = False) -> list[CaseClock]:
    """Yellow and red open cases, oldest first: the window's own, or (supervisors) the center's."""
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
        refused = refusal_queries.unresolved_refused_record_ids(session, entity="case")
        dealt_with = refusal_queries.refused_creations(session, "case.accepted") - refused
        # Without suspensions a clock depends only on the item and the acceptance day, which
        # many late cases share.
        plain_clocks: dict[tuple[str, dt.date], ClockState] = {}
        for case in queries.open_cases(session, ctx.center_code, None if whole_center else ctx.window_id,
                                       promised_by=cutoff):
            item = items[case.item_code]
            if case.suspension_steps:
                state = _clock(ctx, item, case.accepted_day, case.suspension_steps, calendar, today)
            else:
                state = plain_clocks.get((case.item_code, case.accepted_day))
                if state is None:
                    state = plain_clocks[case.item_code, case.accepted_day] = _clock(
                        ctx, item, case.accepted_day, (), calendar, today)
            if state.light in (Light.YELLOW, Light.RED) and case.id not in dealt_with:
                found.append(CaseClock(case.id, case.case_number, item.name, case.status, state, case.id in refused))
    return sorted(found, key=lambda c: (c.state.promised_due, c.case_number))


def late_list_headings() -> list[str]:
    return [_("Case number"), _("Item"), _("Status"), _("Promised date"), _("Working days left"),
            _("Legal days left")]


def late_list_row(case: CaseClock) -> list[str]:
    """One case of the watch in words, as the screen and the printed list show it."""
    status = status_label(CaseStatus(case.status))
    if case.hub_refused:
        status = marked_refused(status)
    return [case.case_number, case.item_name, status,
            format_date(case.state.promised_due, "medium"), working_days_left_words(case.state.promised_left),
            working_days_left_words(case.state.legal_left)]


def working_days_left_words(left: int) -> str:
    """"3 working days", "due today", "overdue 7 working days": never a bare "-7"."""
    if left < 0:
        return ngettext("overdue {n} working day", "overdue {n} working days", -left).format(n=-left)
    if left == 0:
        return _("due today")
    return ngettext("{n} working day", "{n} working days", left).format(n=left)


def late_list_pdf(db: Database, ctx: CounterContext, found: list[CaseClock], *, whole_center: bool) -> bytes:
    """The watch as printed: what ``late_cases`` found, with who prints it and when."""
    from windowdesk.printing.late_list import render_late_list
    from windowdesk.services.reports import report_issuer

    scope = _("Whole center") if whole_center else _("Window {code}").format(code=ctx.window_code)
    return render_late_list(
        issuer=report_issuer(db, ctx), day=ctx.local_today(), scope=scope, headings=late_list_headings(),
        rows=[late_list_row(case) for case in found],
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
                _("No case {number} is known at this service center. Please check the number on the "
                  "receipt, or ask at the window where it was accepted.").format(number=str(number)),
            )
        item = session.get(m.CatalogItem, case.item_code)
        state = _clock_of(session, ctx, case, shipped_calendar, ctx.local_today())
        status = CaseStatus(case.status)
        words = _("Case {number}, {item}: {status}.").format(
            number=case.case_number, item=item.name, status=status_label(status)
        )
        if state.light is not Light.DONE:
            if state.promised_left >= 0:
                words += " " + _("It is due by {date}, {left} working days from now.").format(
                    date=format_date(state.promised_due, "long"), left=state.promised_left)
            else:
                words += " " + _("It is {late} working days past its promised date of {date}; "
                                 "the supervisor has been alerted.").format(
                    late=-state.promised_left, date=format_date(state.promised_due, "long"))
        if status is CaseStatus.SUSPENDED:
            words += " " + _("The clock is stopped until the supplementary materials arrive.")
        if status is CaseStatus.COMPLETED:
            words += " " + _("The result is ready to be collected.")
        return words

