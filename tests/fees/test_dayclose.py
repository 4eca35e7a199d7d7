"""日结: expected totals, the counted cash and its difference, the supervisor, the lock."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, text

from windowdesk.domain.fees import Tender
from windowdesk.errors import StorageError, ValidationError
from windowdesk.services import dayclose, receipts
from windowdesk.services.approval import ApprovalRefused, SupervisorCredentials
from windowdesk.services.dayclose import TillClosed
from windowdesk.services.payments import pay_case_fee
from windowdesk.storage import models as m

from .conftest import CLERK_LOGIN, CLERK_PASSWORD, DEMO_SUPERVISOR, HOUSE_REGISTRATION, accept, at, cash

DAY = dt.date(2026, 11, 25)


def pay(demo, ctx, tender, item="LL-001", **extra):
    return pay_case_fee(demo.db, ctx, case_id=accept(demo, ctx, item=item), tender=tender, **extra)


@pytest.fixture
def busy_day(demo, clerk):
    """Cash ¥5 + ¥90, card ¥5, QR ¥5, one waived ¥5, and one cash ¥5 voided."""
    pay(demo, clerk, cash(1000))
    pay(demo, clerk, cash(10000), item=HOUSE_REGISTRATION, quantities={1: 1})
    pay(demo, clerk, Tender("bank_card", reference="POS-1"))
    pay(demo, clerk, Tender("mobile", reference="ZFB-2"))
    pay(demo, clerk, Tender("waived", waiver_reason="特困人员"))
    wrong = pay(demo, clerk, cash(500))
    receipts.void_receipt(demo.db, clerk, receipt_id=wrong.receipt_id, reason="重复收费", supervisor=DEMO_SUPERVISOR)
    return clerk


def test_expected_totals_by_method_leave_out_voids_and_waivers(demo, busy_day):
    totals = dayclose.day_totals(demo.db, busy_day)
    by = {t.method: (t.receipts, t.amount_fen) for t in totals.by_method}
    assert by == {"cash": (2, 9500), "bank_card": (1, 500), "mobile": (1, 500), "waived": (1, 500)}
    assert (totals.voided_receipts, totals.voided_fen, totals.receipts) == (1, 500, 6)
    assert (totals.expected_cash_fen, totals.collected_fen) == (9500, 10500)
    assert (totals.first_number, totals.last_number) == ("CH01-2026-000001", "CH01-2026-000006")


def test_full_close_records_the_count_and_locks_the_day(demo, busy_day):
    record = dayclose.close_day(
        demo.db, busy_day, day=DAY, counted_cash_fen=9400, explanation="找零时多找一张一元", supervisor=DEMO_SUPERVISOR
    )

    assert (record.expected_cash_fen, record.counted_cash_fen, record.difference_fen) == (9500, 9400, -100)
    assert record.supervisor_name == "王晓燕" and record.operator_name == f"{CLERK_LOGIN}-name"
    with demo.db.read() as session:
        event = session.scalars(select(m.OutboxEvent).where(m.OutboxEvent.kind == "day.closed")).one()
        assert event.payload["totals"]["cash"] == {"receipts": 2, "amount_fen": 9500}
        assert event.payload["difference_fen"] == -100
        entry = session.scalars(select(m.AuditEntry).where(m.AuditEntry.action == "day.close")).one()
        assert "找零" not in str(entry.detail)
    # Locked: no payment, no void, no second close of that day.
    with pytest.raises(TillClosed):
        pay(demo, busy_day, cash(500))
    [first, *_rest] = receipts.receipts_of_day(demo.db, busy_day)
    with pytest.raises(TillClosed):
        receipts.void_receipt(demo.db, busy_day, receipt_id=first.id, reason="晚了", supervisor=DEMO_SUPERVISOR)
    with pytest.raises(TillClosed):
        dayclose.close_day(demo.db, busy_day, day=DAY, counted_cash_fen=9500, supervisor=DEMO_SUPERVISOR)
    assert dayclose.day_close_record(demo.db, busy_day, day=DAY).difference_fen == -100


def test_a_difference_needs_an_explanation_and_the_close_a_supervisor(demo, busy_day):
    with pytest.raises(ValidationError) as caught:
        dayclose.close_day(demo.db, busy_day, day=DAY, counted_cash_fen=9000, supervisor=DEMO_SUPERVISOR)
    assert caught.value.field == "explanation" and "-\u00a55.00" in caught.value.message
    with pytest.raises(ApprovalRefused):
        dayclose.close_day(
            demo.db,
            busy_day,
            day=DAY,
            counted_cash_fen=9500,
            supervisor=SupervisorCredentials(CLERK_LOGIN, CLERK_PASSWORD),
        )
    with pytest.raises(ValidationError):
        dayclose.close_day(demo.db, busy_day, day=DAY, counted_cash_fen=-1, supervisor=DEMO_SUPERVISOR)
    assert dayclose.day_close_record(demo.db, busy_day, day=DAY) is None
    dayclose.close_day(demo.db, busy_day, day=DAY, counted_cash_fen=9500, supervisor=DEMO_SUPERVISOR)


def test_an_unclosed_day_is_shown_next_morning_and_must_be_closed_first(demo, busy_day):
    morning = at(busy_day, "2026-11-26 08:30")
    assert dayclose.day_waiting_for_close(demo.db, morning) == DAY
    with pytest.raises(TillClosed, match="Close the earlier day first"):
        pay(demo, morning, cash(500))
    with pytest.raises(TillClosed):
        dayclose.close_day(demo.db, morning, day=morning.local_today(), counted_cash_fen=0, supervisor=DEMO_SUPERVISOR)
    # A mistake found while counting can still be voided before the close.
    [first, *_rest] = receipts.receipts_of_day(demo.db, morning, day=DAY)
    receipts.void_receipt(demo.db, morning, receipt_id=first.id, reason="清点时发现", supervisor=DEMO_SUPERVISOR)

    dayclose.close_day(demo.db, morning, day=DAY, counted_cash_fen=9000, supervisor=DEMO_SUPERVISOR)

    assert dayclose.day_waiting_for_close(demo.db, morning) is None
    assert pay(demo, morning, cash(500)).number == "CH01-2026-000007"


def test_closing_today_with_no_money_is_allowed_and_a_future_day_is_not(demo, clerk):
    with pytest.raises(ValidationError):
        dayclose.close_day(
            demo.db, clerk, day=DAY + dt.timedelta(days=1), counted_cash_fen=0, supervisor=DEMO_SUPERVISOR
        )
    record = dayclose.close_day(demo.db, clerk, day=DAY, counted_cash_fen=0, supervisor=DEMO_SUPERVISOR)
    assert record.expected_cash_fen == 0


def test_the_database_refuses_a_receipt_on_a_closed_day_whatever_writes_it(demo, busy_day):
    dayclose.close_day(demo.db, busy_day, day=DAY, counted_cash_fen=9500, supervisor=DEMO_SUPERVISOR)
    with pytest.raises(StorageError), demo.db.write() as session:
        session.execute(
            text(
                "INSERT INTO receipts SELECT 'x', 'CH01-2026-999999', kind, workstation, year, 999999, "
                "center_code, window_id, operator_id, business_day, paid_at, method, amount_fen, tendered_fen, "
                "change_fen, reference, waiver_reason, NULL, payer_name, utility, account_number, period, payee "
                "FROM receipts LIMIT 1"
            )
        )
    with pytest.raises(StorageError), demo.db.write() as session:
        session.execute(text("DELETE FROM day_closes"))
