"""Voiding a receipt: a new record, a reason, a supervisor's own credentials; the original stays."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import select, text

from windowdesk.domain.passwords import MAX_FAILURES
from windowdesk.errors import NotFoundError, StorageError, ValidationError
from windowdesk.services import audit, dayclose, receipts
from windowdesk.services.approval import ApprovalRefused, SupervisorCredentials, approve_as_supervisor
from windowdesk.services.payments import pay_case_fee
from windowdesk.storage import models as m

from .conftest import CLERK_LOGIN, CLERK_PASSWORD, DEMO_SUPERVISOR, accept, at, cash


@pytest.fixture
def paid(demo, clerk):
    return pay_case_fee(demo.db, clerk, case_id=accept(demo, clerk), tender=cash(1000))


def test_void_keeps_the_receipt_and_leaves_it_out_of_the_totals(demo, clerk, paid):
    result = receipts.void_receipt(
        demo.db, clerk, receipt_id=paid.receipt_id, reason="收费项目选错", supervisor=DEMO_SUPERVISOR
    )

    assert (result.number, result.receipt_number, result.amount_fen) == ("ZF-" + paid.number, paid.number, 500)
    with demo.db.read() as session:
        receipt = session.get(m.Receipt, paid.receipt_id)
        assert (receipt.number, receipt.amount_fen, receipt.method) == (paid.number, 500, "cash")
        void = session.scalars(select(m.ReceiptVoid)).one()
        supervisor = session.get(m.Operator, void.supervisor_id)
        assert (void.reason, void.operator_id, supervisor.login) == ("收费项目选错", clerk.operator_id, "demo")
        actions = [e.action for e in session.scalars(select(m.AuditEntry).order_by(m.AuditEntry.seq))]
        kinds = [e.kind for e in session.scalars(select(m.OutboxEvent))]
    assert actions[-1] == "payment.void" and "payment.voided" in kinds
    [entry] = receipts.receipts_of_day(demo.db, clerk)
    assert entry.voided and entry.void_number == result.number
    totals = dayclose.day_totals(demo.db, clerk)
    assert (totals.expected_cash_fen, totals.voided_receipts, totals.voided_fen) == (0, 1, 500)
    assert audit.verify_chain(demo.db) == []


def test_a_voided_case_fee_can_be_collected_again(demo, clerk, paid):
    receipts.void_receipt(demo.db, clerk, receipt_id=paid.receipt_id, reason="录入错误", supervisor=DEMO_SUPERVISOR)
    with demo.db.read() as session:
        case_id = session.get(m.Receipt, paid.receipt_id).case_id
    again = pay_case_fee(demo.db, clerk, case_id=case_id, tender=cash(500))
    assert again.number.endswith("000002")


def test_void_needs_a_reason_and_a_supervisor_and_happens_once(demo, clerk, paid):
    with pytest.raises(ValidationError):
        receipts.void_receipt(demo.db, clerk, receipt_id=paid.receipt_id, reason=" ", supervisor=DEMO_SUPERVISOR)
    with pytest.raises(ApprovalRefused, match="wrong"):
        receipts.void_receipt(
            demo.db,
            clerk,
            receipt_id=paid.receipt_id,
            reason="错",
            supervisor=SupervisorCredentials("demo", "not-the-password"),
        )
    # The operator's own (correct) credentials do not approve: they are not a supervisor.
    with pytest.raises(ApprovalRefused, match="not a supervisor"):
        receipts.void_receipt(
            demo.db,
            clerk,
            receipt_id=paid.receipt_id,
            reason="错",
            supervisor=SupervisorCredentials(CLERK_LOGIN, CLERK_PASSWORD),
        )
    with demo.db.read() as session:
        assert session.scalars(select(m.ReceiptVoid)).all() == []
    receipts.void_receipt(demo.db, clerk, receipt_id=paid.receipt_id, reason="错", supervisor=DEMO_SUPERVISOR)
    with pytest.raises(ValidationError, match="already voided"):
        receipts.void_receipt(demo.db, clerk, receipt_id=paid.receipt_id, reason="错", supervisor=DEMO_SUPERVISOR)


def test_wrong_supervisor_passwords_lock_the_supervisor_like_a_login(demo, clerk):
    for _attempt in range(MAX_FAILURES):
        with pytest.raises(ApprovalRefused):
            approve_as_supervisor(demo.db, clerk, login="demo", password="guess")
    with pytest.raises(ApprovalRefused) as caught:
        approve_as_supervisor(demo.db, clerk, login="demo", password=DEMO_SUPERVISOR.password)
    # Said as for a wrong password (the approval box tells a stranger nothing).
    assert caught.value.title == "Not approved" and "wrong" in caught.value.message
    later = at(clerk, "2026-11-25 10:16")
    assert (
        approve_as_supervisor(demo.db, later, login="demo", password=DEMO_SUPERVISOR.password) == demo.ctx.operator_id
    )
    with demo.db.read() as session:
        failed = session.scalars(select(m.AuditEntry).where(m.AuditEntry.action == "approval.failed")).all()
        assert len(failed) == MAX_FAILURES and all("guess" not in str(e.detail) for e in failed)


def test_a_receipt_is_voided_only_at_its_own_window(demo, clerk, paid):
    other_window = dataclasses.replace(clerk, window_id="CH-02", window_code="02")
    with pytest.raises(NotFoundError):
        receipts.void_receipt(
            demo.db, other_window, receipt_id=paid.receipt_id, reason="错", supervisor=DEMO_SUPERVISOR
        )


def test_the_database_itself_refuses_to_edit_or_delete_money_records(demo, clerk, paid):
    for statement in (
        "UPDATE receipts SET amount_fen = 1",
        "DELETE FROM receipts",
        "UPDATE receipt_lines SET amount_fen = 1",
        "DELETE FROM receipt_lines",
    ):
        with pytest.raises(StorageError), demo.db.write() as session:
            session.execute(text(statement))
    with demo.db.read() as session:
        assert session.get(m.Receipt, paid.receipt_id).amount_fen == 500
