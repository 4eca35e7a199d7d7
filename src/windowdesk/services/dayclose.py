"""日结: the end-of-day close of one window's till.

The app shows what the till should hold, by way of payment (receipts not voided); the
operator counts the cash and enters it; a difference needs an explanation; a supervisor
confirms with their own credentials. The close is one write transaction: the close
record, the audit entry and the outbox event. From then on that day's receipts are
locked — no payment and no void can be added to it (the services refuse, and the
database's triggers refuse too).

A day with receipts that was not closed must be closed before the window takes money
again: :func:`ensure_till_open` is called by every payment.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from windowdesk.domain.fees import CASH, MONEY_METHODS, PAYMENT_METHODS, yuan_text
from windowdesk.domain.permissions import Permission
from windowdesk.domain.uuid7 import new_uuid
from windowdesk.errors import ValidationError, WindowdeskError
from windowdesk.i18n import _
from windowdesk.screen_dates import on_screen
from windowdesk.services.approval import SupervisorCredentials, approve_as_supervisor, require_approver
from windowdesk.services.audit import record_action
from windowdesk.services.authorization import authorize
from windowdesk.services.context import CounterContext
from windowdesk.storage import models as m
from windowdesk.storage import queries
from windowdesk.storage.db import Database, Session
from windowdesk.sync.outbox import enqueue
from windowdesk.sync.protocol import DAY_CLOSED, EventEntity

if TYPE_CHECKING:
    from windowdesk.domain.calendar import WorkingCalendar


class TillClosed(WindowdeskError):
    """No money may be taken or given back on this day at this window."""


@dataclass(frozen=True)
class MethodTotal:
    method: str
    receipts: int
    amount_fen: int


@dataclass(frozen=True)
class DayTotals:
    day: dt.date
    by_method: tuple[MethodTotal, ...]  # every method, in PAYMENT_METHODS order, receipts not voided
    voided_receipts: int
    voided_fen: int
    first_number: str
    last_number: str

    def method(self, method: str) -> MethodTotal:
        return next(total for total in self.by_method if total.method == method)

    @property
    def expected_cash_fen(self) -> int:
        return self.method(CASH).amount_fen

    @property
    def collected_fen(self) -> int:
        """Money taken in (waived fees bring none)."""
        return sum(total.amount_fen for total in self.by_method if total.method in MONEY_METHODS)

    @property
    def receipts(self) -> int:
        return sum(total.receipts for total in self.by_method) + self.voided_receipts


@dataclass(frozen=True)
class DayCloseRecord:
    id: str
    day: dt.date
    closed_at: dt.datetime
    operator_name: str
    supervisor_name: str
    expected_cash_fen: int
    counted_cash_fen: int
    difference_fen: int
    explanation: str


def till_totals_in_session(session: Session, window_id: str, day: dt.date) -> DayTotals:
    counts = {method: [0, 0] for method in PAYMENT_METHODS}
    voided = [0, 0]
    for method, is_voided, receipts, amount in queries.till_totals(session, window_id, day):
        target = voided if is_voided else counts.setdefault(method, [0, 0])
        target[0] += receipts
        target[1] += amount
    first, last = queries.till_number_range(session, window_id, day)
    return DayTotals(
        day=day,
        by_method=tuple(MethodTotal(method, n, fen) for method, (n, fen) in counts.items()),
        voided_receipts=voided[0],
        voided_fen=voided[1],
        first_number=first,
        last_number=last,
    )


def day_totals(db: Database, ctx: CounterContext, *, day: dt.date | None = None) -> DayTotals:
    """What the till of this window should hold for a day (default today)."""
    with db.read() as session:
        authorize(session, ctx, Permission.CLOSE_DAY)
        return till_totals_in_session(session, ctx.window_id, day or ctx.local_today())


def day_waiting_for_close(db: Database, ctx: CounterContext) -> dt.date | None:
    """The oldest earlier day of this window that took money and was not closed."""
    with db.read() as session:
        return queries.earliest_unclosed_receipt_day(session, ctx.window_id, ctx.local_today())


def ensure_day_not_closed(session: Session, window_id: str, day: dt.date) -> None:
    closed = queries.day_close_of(session, window_id, day)
    if closed is not None:
        raise TillClosed(
            _("The day is closed"),
            _(
                "The till of this window was closed for {day}: its receipts are locked and no "
                "payment or void can be added to that day."
            ).format(day=on_screen(day)),
        )


BUSINESS_DAY_KEY = "till.business_day."  # + the window's id: a day started ahead of the calendar


def business_day_in_session(session: Session, ctx: CounterContext) -> dt.date:
    """The day this window's till takes money for: today, or the next business day a
    supervisor started after today's close."""
    today = ctx.local_today()
    stored = queries.local_setting(session, BUSINESS_DAY_KEY + ctx.window_id)
    ahead = dt.date.fromisoformat(stored) if stored else None
    return ahead if ahead is not None and ahead > today else today


def business_day(db: Database, ctx: CounterContext) -> dt.date:
    with db.read() as session:
        return business_day_in_session(session, ctx)


def start_next_business_day(
    db: Database, ctx: CounterContext, *, supervisor: SupervisorCredentials, shipped_calendar: WorkingCalendar
) -> dt.date:
    """After the close of the till's day, let the window take money again on the next
    working day's till (the applicant still at the counter can pay; that till is closed
    that evening). A supervisor confirms with their own credentials; audited."""
    from windowdesk.services.working_days import calendar_in_force

    with db.read() as session:
        authorize(session, ctx, Permission.CLOSE_DAY)
        current = business_day_in_session(session, ctx)
        if queries.day_close_of(session, ctx.window_id, current) is None:
            raise ValidationError(
                _("The till of {day} is still open: take the payment today, or close the day first.").format(
                    day=on_screen(current)
                ),
                field="day",
            )
    supervisor_id = approve_as_supervisor(
        db, ctx, login=supervisor.login, password=supervisor.password, permission=Permission.CONFIRM_DAY_CLOSE
    )
    with db.write() as session:
        require_approver(session, ctx, supervisor_id, Permission.CONFIRM_DAY_CLOSE)
        current = business_day_in_session(session, ctx)
        following = calendar_in_force(session, shipped_calendar).add_working_days(current, 1)
        queries.set_local_setting(session, BUSINESS_DAY_KEY + ctx.window_id, following.isoformat())
        record_action(
            session,
            ctx,
            action="day.start_next",
            entity="window",
            entity_id=ctx.window_id,
            detail={
                "closed_day": current.isoformat(),
                "business_day": following.isoformat(),
                "supervisor": supervisor_id,
            },
        )
    return following


def fee_warning_before_accepting(db: Database, ctx: CounterContext, *, item_code: str) -> str | None:
    """What to say before a case with a fee is accepted once today's till is closed: the
    fee cannot be taken today (None when nothing stands in the way)."""
    with db.read() as session:
        today = business_day_in_session(session, ctx)
        if queries.day_close_of(session, ctx.window_id, today) is None:
            return None
        if not any(rule.kind != "free" for rule in queries.fee_rules_of_item(session, item_code)):
            return None
    return _(
        "The till of this window was closed for today ({day}): this item's fee cannot be "
        "collected today. Tell the applicant the fee is paid on the next working day, or send "
        "them to a window whose till is open. A supervisor can start the next business day "
        "(Cashier menu) to take it now."
    ).format(day=on_screen(today))


def ensure_till_open(session: Session, ctx: CounterContext, day: dt.date) -> None:
    """Before taking money on ``day``: that day is open and no earlier day waits for its close."""
    ensure_day_not_closed(session, ctx.window_id, day)
    waiting = queries.earliest_unclosed_receipt_day(session, ctx.window_id, day)
    if waiting is not None:
        raise TillClosed(
            _("Close the earlier day first"),
            _(
                "The till of {day} was not closed. Close that day (Fees \u2192 Day close) before taking new payments."
            ).format(day=on_screen(waiting)),
        )


def _record(session: Session, row: m.DayClose) -> DayCloseRecord:
    operator = session.get(m.Operator, row.operator_id)
    supervisor = session.get(m.Operator, row.supervisor_id)
    return DayCloseRecord(
        id=row.id,
        day=row.business_day,
        closed_at=row.closed_at,
        operator_name=operator.display_name if operator else "",
        supervisor_name=supervisor.display_name if supervisor else "",
        expected_cash_fen=row.expected_cash_fen,
        counted_cash_fen=row.counted_cash_fen,
        difference_fen=row.difference_fen,
        explanation=row.explanation,
    )


def day_close_record(db: Database, ctx: CounterContext, *, day: dt.date) -> DayCloseRecord | None:
    with db.read() as session:
        row = queries.day_close_of(session, ctx.window_id, day)
        return _record(session, row) if row else None


def close_day(
    db: Database,
    ctx: CounterContext,
    *,
    day: dt.date,
    counted_cash_fen: int,
    explanation: str = "",
    supervisor: SupervisorCredentials,
) -> DayCloseRecord:
    """Close the till of ``day`` (today or an earlier open day, oldest first)."""
    explanation = (explanation or "").strip()
    if isinstance(counted_cash_fen, bool) or not isinstance(counted_cash_fen, int) or counted_cash_fen < 0:
        raise ValidationError(_("Please enter the cash counted in the till."), field="counted_cash")
    if day > ctx.local_today():
        raise ValidationError(_("A day that has not begun cannot be closed."), field="day")
    with db.read() as session:
        # Refused before the supervisor's password is checked, so a pointless attempt
        # does not count against their lockout.
        authorize(session, ctx, Permission.CLOSE_DAY)
        _check_closable(session, ctx, day, counted_cash_fen, explanation)
    supervisor_id = approve_as_supervisor(
        db, ctx, login=supervisor.login, password=supervisor.password, permission=Permission.CONFIRM_DAY_CLOSE
    )
    with db.write() as session:
        authorize(session, ctx, Permission.CLOSE_DAY)
        require_approver(session, ctx, supervisor_id, Permission.CONFIRM_DAY_CLOSE)
        totals = _check_closable(session, ctx, day, counted_cash_fen, explanation)
        now = ctx.now()
        row = m.DayClose(
            id=new_uuid(),
            center_code=ctx.center_code,
            window_id=ctx.window_id,
            workstation=ctx.workstation,
            business_day=day,
            closed_at=now,
            operator_id=ctx.operator_id,
            supervisor_id=supervisor_id,
            receipt_count=totals.receipts,
            void_count=totals.voided_receipts,
            first_number=totals.first_number,
            last_number=totals.last_number,
            totals={t.method: {"receipts": t.receipts, "amount_fen": t.amount_fen} for t in totals.by_method},
            expected_cash_fen=totals.expected_cash_fen,
            counted_cash_fen=counted_cash_fen,
            difference_fen=counted_cash_fen - totals.expected_cash_fen,
            explanation=explanation,
        )
        session.add(row)
        session.flush()
        record_action(
            session,
            ctx,
            action="day.close",
            entity="day_close",
            entity_id=row.id,
            detail={
                "day": day.isoformat(),
                "receipts": row.receipt_count,
                "voided": row.void_count,
                "expected_cash_fen": row.expected_cash_fen,
                "difference_fen": row.difference_fen,
                "supervisor": supervisor_id,
            },
        )
        enqueue(
            session,
            entity=EventEntity.DAY_CLOSE,
            entity_id=row.id,
            kind=DAY_CLOSED,
            now=now,
            payload={
                "id": row.id,
                "center": ctx.center_code,
                "window": ctx.window_id,
                "operator": ctx.operator_id,
                "supervisor": supervisor_id,
                "day": day.isoformat(),
                "closed_at": now.isoformat(),
                "totals": row.totals,
                "receipts": row.receipt_count,
                "voided": row.void_count,
                "voided_fen": totals.voided_fen,
                "first_number": row.first_number,
                "last_number": row.last_number,
                "expected_cash_fen": row.expected_cash_fen,
                "counted_cash_fen": counted_cash_fen,
                "difference_fen": row.difference_fen,
                "explanation": explanation,
            },
        )
        return _record(session, row)


def _check_closable(session: Session, ctx: CounterContext, day: dt.date, counted: int, explanation: str) -> DayTotals:
    ensure_day_not_closed(session, ctx.window_id, day)
    earlier = queries.earliest_unclosed_receipt_day(session, ctx.window_id, day)
    if earlier is not None:
        raise TillClosed(
            _("Close the earlier day first"),
            _("Days are closed in order: {day} is still open.").format(day=on_screen(earlier)),
        )
    totals = till_totals_in_session(session, ctx.window_id, day)
    difference = counted - totals.expected_cash_fen
    if difference and not explanation:
        raise ValidationError(
            _(
                "The counted cash differs from the expected {expected} by {difference}: please explain the difference."
            ).format(expected=yuan_text(totals.expected_cash_fen), difference=yuan_text(difference)),
            field="explanation",
        )
    return totals
