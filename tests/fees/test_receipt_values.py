"""A receipt's kind and way of payment are the domain's ReceiptKind and PaymentMethod
(storage/column_types.TextEnum): read back as members, and a value outside the set refused
when written, nothing stored. The stored words are the same as before (no migration). On the
encrypted demo database."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import StatementError

from windowdesk.domain.fees import PaymentMethod, ReceiptKind, Tender
from windowdesk.services import payments
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
    ("column", "value", "enum"), [("method", "cheque", "PaymentMethod"), ("kind", "parking", "ReceiptKind")]
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
