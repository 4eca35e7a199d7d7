"""Taking fees and utility payments through the services, on the encrypted demo database."""

from __future__ import annotations

import dataclasses
import json

import pytest
from sqlalchemy import select

from windowdesk.domain.fees import Tender
from windowdesk.errors import NotFoundError, ValidationError
from windowdesk.services import audit, fees, payments, receipts
from windowdesk.services.authorization import PermissionDenied
from windowdesk.storage import models as m
from windowdesk.sync.protocol import EVENT_REQUIRED_FIELDS, PAYMENT_RECEIVED, UTILITY_PAID

from .conftest import (
    HOUSE_REGISTRATION,
    ID_CARD,
    LAND_REGISTRATION,
    WANG,
    ZHANG_DIBAO,
    accept,
    at,
    cash,
    make_operator,
    street,
)


def outbox(db, kind: str) -> list[tuple[str, dict]]:
    """(entity id, payload) of the pending outbox events of a kind, in order."""
    with db.read() as session:
        rows = session.scalars(select(m.OutboxEvent).where(m.OutboxEvent.kind == kind).order_by(m.OutboxEvent.seq))
        return [(row.entity_id, row.payload) for row in rows]


def test_cash_payment_gives_change_and_one_numbered_receipt(demo, clerk):
    case_id = accept(demo, clerk)
    quote = fees.quote_case_fee(demo.db, clerk, case_id=case_id)
    assert quote.total_fen == 500 and quote.applicant_name == "王建国"
    assert [line.explanation for line in quote.computation.lines] == ["Fixed fee \u00a55.00"]

    paid = payments.pay_case_fee(demo.db, clerk, case_id=case_id, tender=cash(10000))

    assert (paid.number, paid.amount_fen, paid.change_fen, paid.method) == ("CH01-2026-000001", 500, 9500, "cash")
    with demo.db.read() as session:
        receipt = session.get(m.Receipt, paid.receipt_id)
        assert (receipt.tendered_fen, receipt.business_day.isoformat(), receipt.case_id) == (
            10000,
            "2026-11-25",
            case_id,
        )
        assert [(line.description, line.amount_fen) for line in receipt.lines] == [("老年证工本费", 500)]
    assert fees.quote_case_fee(demo.db, clerk, case_id=case_id).paid_receipt_number == paid.number
    assert fees.fees_due(demo.db, clerk) == []


def test_receipt_numbers_follow_each_other_per_workstation_and_restart_each_year(demo, clerk):
    first = payments.pay_case_fee(demo.db, clerk, case_id=accept(demo, clerk), tender=cash(500)).number
    second = payments.pay_case_fee(demo.db, clerk, case_id=accept(demo, clerk), tender=Tender("bank_card")).number
    assert (first, second) == ("CH01-2026-000001", "CH01-2026-000002")
    # Same operator at window 02: its own series.
    other = dataclasses.replace(clerk, window_id="CH-02", window_code="02")
    assert (
        payments.pay_case_fee(demo.db, other, case_id=accept(demo, other), tender=cash(500)).number
        == "CH02-2026-000001"
    )


def test_a_case_fee_is_collected_once(demo, clerk):
    case_id = accept(demo, clerk)
    paid = payments.pay_case_fee(demo.db, clerk, case_id=case_id, tender=cash(500))
    with pytest.raises(ValidationError, match=paid.number):
        payments.pay_case_fee(demo.db, clerk, case_id=case_id, tender=cash(500))


def test_exempt_applicant_owes_nothing_and_gets_no_receipt(demo, clerk):
    case_id = accept(demo, clerk, item=ID_CARD, id_number=ZHANG_DIBAO)
    quote = fees.quote_case_fee(demo.db, clerk, case_id=case_id)
    assert quote.total_fen == 0 and quote.computation.gross_fen == 2000
    assert "最低生活保障" in quote.computation.lines[0].exemption
    with pytest.raises(ValidationError, match="nothing to collect"):
        payments.pay_case_fee(demo.db, clerk, case_id=case_id, tender=cash(2000))
    # 张秀英 is also over 80: the elderly card is free for her on two grounds.
    assert fees.quote_case_fee(demo.db, clerk, case_id=accept(demo, clerk, id_number=ZHANG_DIBAO)).total_fen == 0


def test_quantities_enter_the_amount_and_the_receipt_lines(demo, clerk):
    case_id = accept(demo, clerk, item=HOUSE_REGISTRATION)
    assert [q.unit for q in fees.quote_case_fee(demo.db, clerk, case_id=case_id).quantity_rules] == ["本"]
    paid = payments.pay_case_fee(
        demo.db, clerk, case_id=case_id, quantities={1: 2}, tender=Tender("mobile", reference="WX-778899")
    )
    assert paid.amount_fen == 8000 + 2 * 1000
    with demo.db.read() as session:
        receipt = session.get(m.Receipt, paid.receipt_id)
        assert [(line.quantity, line.amount_fen) for line in receipt.lines] == [(1, 8000), (2, 2000)]
        assert receipt.reference == "WX-778899"


def test_tiered_fee_needs_the_area_before_payment(demo, clerk):
    case_id = accept(demo, clerk, item=LAND_REGISTRATION, id_number=WANG)
    quote = fees.quote_case_fee(demo.db, clerk, case_id=case_id)
    assert quote.computation is None and "平方米" in quote.problem
    with pytest.raises(ValidationError):
        payments.pay_case_fee(demo.db, clerk, case_id=case_id, tender=Tender("bank_card"))
    assert (
        payments.pay_case_fee(
            demo.db, clerk, case_id=case_id, quantities={0: 2400}, tender=Tender("bank_card")
        ).amount_fen
        == 30000
    )


def test_parallel_item_fees_of_all_departments_go_on_one_receipt(demo, clerk):
    with demo.db.write() as session:
        item = session.get(m.CatalogItem, HOUSE_REGISTRATION)
        item.parallel, item.parallel_departments = True, ["FCJ", "GTJ"]
        item.fee_rules.append(
            m.FeeRule(
                position=2,
                department_code="GTJ",
                kind="fixed",
                description="土地登记费",
                amount_fen=3000,
                unit="",
                tiers=[],
                exemptions=[],
            )
        )
    case_id = accept(demo, clerk, item=HOUSE_REGISTRATION)
    paid = payments.pay_case_fee(demo.db, clerk, case_id=case_id, tender=cash(20000))
    assert (paid.amount_fen, paid.change_fen) == (11000, 9000)
    with demo.db.read() as session:
        receipts_of_case = session.scalars(select(m.Receipt).where(m.Receipt.case_id == case_id)).all()
        assert len(receipts_of_case) == 1
        assert [line.department_code for line in receipts_of_case[0].lines] == ["FCJ", "FCJ", "GTJ"]


def test_payment_writes_audit_without_personal_data_and_an_outbox_event(demo, clerk):
    case_id = accept(demo, clerk)
    paid = payments.pay_case_fee(demo.db, clerk, case_id=case_id, tender=cash(1000))
    with demo.db.read() as session:
        entry = session.scalars(select(m.AuditEntry).where(m.AuditEntry.entity_id == paid.receipt_id)).one()
        action, detail = entry.action, json.dumps(entry.detail, ensure_ascii=False)
    assert action == "payment.receive" and paid.number in detail
    assert "王建国" not in detail and WANG not in detail
    [(entity_id, payload)] = outbox(demo.db, PAYMENT_RECEIVED)
    assert entity_id == paid.receipt_id and payload["change_fen"] == 500
    assert all(payload.get(name) not in (None, "") for name in EVENT_REQUIRED_FIELDS[PAYMENT_RECEIVED])
    assert audit.verify_chain(demo.db) == []


def test_only_known_operators_take_money_and_only_at_their_center(demo, clerk):
    case_id = accept(demo, clerk)
    stranger = dataclasses.replace(clerk, operator_id="no-such-operator")
    with pytest.raises(PermissionDenied):
        payments.pay_case_fee(demo.db, stranger, case_id=case_id, tender=cash(500))
    with pytest.raises(NotFoundError):
        payments.pay_case_fee(demo.db, street(clerk), case_id=case_id, tender=cash(500))


def test_utility_payment_at_a_street_center_remembers_the_account_holder(demo, clerk):
    counter = street(clerk)
    assert payments.utility_account_holder(demo.db, counter, utility="water", account_number="0102-335871") is None
    paid = payments.pay_utility(
        demo.db,
        counter,
        utility="water",
        account_number=" 0102-335871 ",
        payer_name="王建国",
        period="2026-10",
        amount_fen=3050,
        tender=cash(5000),
        payee="七台河市供水有限公司",
    )
    assert (paid.number, paid.change_fen) == ("JD0101-2026-000001", 1950)
    holder = payments.utility_account_holder(demo.db, counter, utility="water", account_number="0102-335871")
    assert (holder.payer_name, holder.payee) == ("王建国", "七台河市供水有限公司")
    # Another center does not see it; another utility with the same number neither.
    assert (
        payments.utility_account_holder(demo.db, street(clerk, "JD02"), utility="water", account_number="0102-335871")
        is None
    )
    assert payments.utility_account_holder(demo.db, counter, utility="gas", account_number="0102-335871") is None
    [(_id, payload)] = outbox(demo.db, UTILITY_PAID)
    assert payload["account_number"] == "0102-335871" and payload["period"] == "2026-10"
    assert [e.what for e in receipts.receipts_of_day(demo.db, counter)] == ["Water 0102-335871"]


def test_utility_payments_are_refused_where_they_cannot_be_taken(demo, clerk):
    with pytest.raises(ValidationError, match="street service centers"):
        payments.pay_utility(
            demo.db,
            clerk,
            utility="water",
            account_number="1",
            payer_name="王建国",
            period="",
            amount_fen=100,
            tender=cash(100),
        )
    counter = street(clerk)
    for bad in (dict(utility="cable"), dict(account_number=" "), dict(payer_name=""), dict(amount_fen=0)):
        args = dict(utility="gas", account_number="88", payer_name="王建国", period="", amount_fen=100) | bad
        with pytest.raises(ValidationError):
            payments.pay_utility(demo.db, counter, tender=cash(100), **args)
    with pytest.raises(ValidationError):
        payments.pay_utility(
            demo.db,
            counter,
            utility="gas",
            account_number="88",
            payer_name="王建国",
            period="",
            amount_fen=100,
            tender=Tender("waived", waiver_reason="不能免"),
        )


def test_an_operator_without_the_permission_is_refused(demo, clerk, monkeypatch):
    from windowdesk.domain import permissions

    viewer = make_operator(
        demo, at(demo.ctx, "2026-11-25 10:00"), login="viewer01", role="operator", password="Viewer2026x"
    )
    monkeypatch.setitem(
        permissions.GRANTS, permissions.Permission.TAKE_PAYMENT, frozenset({permissions.Role.SUPERVISOR})
    )
    with pytest.raises(PermissionDenied):
        payments.pay_case_fee(demo.db, viewer, case_id=accept(demo, viewer), tender=cash(500))
