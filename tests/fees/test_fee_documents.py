"""The paper of money: fee and utility receipts, the void slip, the cash part of the 日结单."""

from __future__ import annotations

import datetime as dt

from tests.printing.conftest import all_text, squash
from windowdesk.domain.fees import Tender
from windowdesk.printing.render import render_document
from windowdesk.services import dayclose, documents, payments, receipts
from windowdesk.services.payments import pay_case_fee

from .conftest import DEMO_SUPERVISOR, HOUSE_REGISTRATION, WANG, accept, cash, street

MASKED = WANG[:6] + "*" * 8 + WANG[-4:]


def test_fee_receipt_shows_lines_capitals_cash_and_change(demo, clerk):
    case_id = accept(demo, clerk, item=HOUSE_REGISTRATION)
    paid = pay_case_fee(demo.db, clerk, case_id=case_id, quantities={1: 2}, tender=cash(20000))
    data = documents.receipt_data(demo.db, clerk, paid.receipt_id)
    assert data.total_fen == 10000 and data.change_fen == 10000
    text = all_text(render_document(data))
    for expected in (paid.number, "住房登记费（每件）", "壹佰元整", "¥200.00", "¥100.00", MASKED, "Change given"):
        assert squash(expected) in text, expected
    assert WANG not in text


def test_waived_receipt_says_nothing_was_collected(demo, clerk):
    paid = pay_case_fee(
        demo.db, clerk, case_id=accept(demo, clerk), tender=Tender("waived", waiver_reason="特困供养人员")
    )
    text = all_text(render_document(documents.receipt_data(demo.db, clerk, paid.receipt_id)))
    for expected in ("Waived", "特困供养人员", "Amount collected", "¥0.00"):
        assert squash(expected) in text, expected


def test_utility_receipt_and_its_void_slip(demo, clerk, street_supervisor):
    counter = street(clerk)
    paid = payments.pay_utility(
        demo.db,
        counter,
        utility="heating",
        account_number="RL-2231",
        payer_name="李桂兰",
        period="2026-2027采暖期",
        amount_fen=186000,
        tender=Tender("mobile", reference="WX20261125"),
        payee="七台河市热力公司",
    )
    text = all_text(render_document(documents.receipt_data(demo.db, counter, paid.receipt_id)))
    for expected in ("RL-2231", "李桂兰", "2026-2027采暖期", "七台河市热力公司", "WX20261125", "壹仟捌佰陆拾元整"):
        assert squash(expected) in text, expected

    void = receipts.void_receipt(
        demo.db, counter, receipt_id=paid.receipt_id, reason="户号输错", supervisor=street_supervisor
    )
    slip = documents.void_slip_data(demo.db, counter, void.void_id)
    assert slip.approved_by == f"{street_supervisor.login}-name"
    text = all_text(render_document(slip))
    for expected in ("Receipt Void Slip", void.number, paid.number, "户号输错", "Heating RL-2231", "壹仟捌佰陆拾元整"):
        assert squash(expected) in text, expected


def test_day_report_carries_the_cash_part_of_the_close(demo, clerk):
    pay_case_fee(demo.db, clerk, case_id=accept(demo, clerk), tender=cash(1000))
    pay_case_fee(demo.db, clerk, case_id=accept(demo, clerk), tender=Tender("bank_card"))
    wrong = pay_case_fee(demo.db, clerk, case_id=accept(demo, clerk), tender=cash(500))
    receipts.void_receipt(demo.db, clerk, receipt_id=wrong.receipt_id, reason="重复", supervisor=DEMO_SUPERVISOR)
    day = dt.date(2026, 11, 25)

    before = documents.day_report_data(demo.db, clerk, day)
    assert [(c.payment_method, c.receipts, c.total_fen) for c in before.collections] == [
        ("cash", 1, 500),
        ("bank_card", 1, 500),
    ]
    assert before.counted_cash_fen is None and before.voided.receipts == 1
    assert squash("not closed yet") in all_text(render_document(before))

    dayclose.close_day(
        demo.db, clerk, day=day, counted_cash_fen=600, explanation="多收一元待查", supervisor=DEMO_SUPERVISOR
    )
    after = documents.day_report_data(demo.db, clerk, day)
    text = all_text(render_document(after))
    for expected in (
        "Cash closing",
        "¥6.00",
        "¥1.00",
        "多收一元待查",
        "王晓燕",
        "CH01-2026-000001",
        "CH01-2026-000003",
        "壹拾元整",
    ):
        assert squash(expected) in text, expected
