"""A receipt's kind, way of payment and utility are the domain's ReceiptKind, PaymentMethod
and Utility (storage/column_types.TextEnum; a fee receipt's utility is Utility.NONE, stored
as ""): read back as members, and a value outside the set refused
when written, nothing stored. The stored words are the same as before (no migration). On the
encrypted demo database."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import StatementError

from windowdesk.domain.fees import PaymentMethod, ReceiptKind, Tender, Utility, utility_label
from windowdesk.errors import ValidationError
from windowdesk.services import documents, payments, receipts
from windowdesk.storage import models as m

from .conftest import accept, cash, street


def _receipts(db) -> list[tuple[str, ReceiptKind, PaymentMethod]]:
    with db.read() as session:
        return [
            tuple(row)
            for row in session.execute(
                select(m.Receipt.number, m.Receipt.kind, m.Receipt.method).order_by(m.Receipt.number)
            )
        ]


def test_a_receipt_s_kind_and_method_read_back_as_members(demo, clerk):
    payments.pay_case_fee(demo.db, clerk, case_id=accept(demo, clerk), tender=Tender("bank_card"))
    payments.pay_utility(
        demo.db,
        street(clerk),
        utility="water",
        account_number="0102-335871",
        payer_name="王建国",
        period="2026-10",
        amount_fen=3050,
        tender=cash(5000),
        payee="七台河市供水有限公司",
    )
    receipts = _receipts(demo.db)
    assert receipts == [
        ("CH01-2026-000001", ReceiptKind.FEE, PaymentMethod.BANK_CARD),
        ("JD0101-2026-000001", ReceiptKind.UTILITY, PaymentMethod.CASH),
    ]
    assert {(type(kind), type(method)) for _, kind, method in receipts} == {(ReceiptKind, PaymentMethod)}
    with demo.db.read() as session:  # the words stored are the plain ones of before
        raw = session.connection().exec_driver_sql("SELECT kind, method FROM receipts ORDER BY number").all()
    assert [tuple(row) for row in raw] == [("fee", "bank_card"), ("utility", "cash")]


@pytest.mark.parametrize(
    ("column", "value", "enum"),
    [("method", "cheque", "PaymentMethod"), ("kind", "parking", "ReceiptKind"), ("utility", "cable", "Utility")],
)
def test_a_receipt_with_a_value_outside_the_set_is_refused_and_nothing_stored(demo, clerk, column, value, enum):
    paid = payments.pay_case_fee(demo.db, clerk, case_id=accept(demo, clerk), tender=cash(500))
    with demo.db.read() as session:
        kept = session.get_one(m.Receipt, paid.receipt_id)
        columns = {c.key: getattr(kept, c.key) for c in m.Receipt.__table__.columns}
    # Receipts are never edited (triggers refuse it): the bad value is tried on a new row.
    columns.update(id="0190a0c0-0000-7000-8000-0000000000f1", number="CH01-2026-000099", seq=99, **{column: value})
    with pytest.raises(StatementError, match=f"'{value}' is not a valid {enum}"), demo.db.write() as session:
        session.add(m.Receipt(**columns))
        session.flush()
    with demo.db.read() as session:
        assert session.scalar(select(func.count()).select_from(m.Receipt)) == 1


def _paid_for_water(demo, clerk) -> tuple[str, str]:
    fee = payments.pay_case_fee(demo.db, clerk, case_id=accept(demo, clerk), tender=cash(500))
    water = payments.pay_utility(
        demo.db,
        street(clerk),
        utility="water",
        account_number="0102-335871",
        payer_name="王建国",
        period="2026-10",
        amount_fen=3050,
        tender=cash(5000),
        payee="七台河市供水有限公司",
    )
    return fee.receipt_id, water.receipt_id


def test_a_receipt_s_utility_reads_back_as_a_member_none_for_a_fee_and_is_stored_and_printed_as_before(demo, clerk):
    fee_id, water_id = _paid_for_water(demo, clerk)
    with demo.db.read() as session:
        utilities = {session.get_one(m.Receipt, i).utility for i in (fee_id, water_id)}
        raw = session.connection().exec_driver_sql("SELECT utility FROM receipts ORDER BY number").all()
    assert utilities == {Utility.NONE, Utility.WATER} and {type(u) for u in utilities} == {Utility}
    assert [row[0] for row in raw] == ["", "water"]  # the plain words of before: no migration
    # Read the same: the receipt's data, the day's list, the account's holder.
    water = documents.receipt_data(demo.db, street(clerk), water_id)
    assert water.utility is Utility.WATER
    assert [entry.what for entry in receipts.receipts_of_day(demo.db, street(clerk))] == [
        f"{utility_label('water')} 0102-335871"
    ]
    holder = payments.utility_account_holder(demo.db, street(clerk), utility="water", account_number="0102-335871")
    assert holder is not None and holder.payer_name == "王建国"
    # NONE is no utility: not one a payment may be for, nor one an account was paid to.
    for word in ("", "cable"):
        assert (
            payments.utility_account_holder(demo.db, street(clerk), utility=word, account_number="0102-335871") is None
        )
        with pytest.raises(ValidationError):
            payments.pay_utility(
                demo.db,
                street(clerk),
                utility=word,
                account_number="0102-335871",
                payer_name="王建国",
                period="",
                amount_fen=100,
                tender=cash(100),
            )
