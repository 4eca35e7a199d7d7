"""Taking money at the window: a case's fees (收费) and utility payments (便民缴费).

Each payment is one write transaction: the receipt and its lines, its number, the audit
entry and the outbox event commit together or not at all. Receipt numbers are per
workstation and year (``CH01-2026-000123``) and come from ``number_sequences`` in the
same transaction, so a crash can neither skip nor reuse one. A receipt is never changed
afterwards; ``services.voids`` takes one back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from windowdesk.domain import fees as fee_rules
from windowdesk.domain.fees import UTILITIES, ReceiptKind, Settlement, Tender, Utility, utility_label
from windowdesk.domain.numbering import format_receipt_number, receipt_sequence_scope
from windowdesk.domain.permissions import Permission
from windowdesk.domain.uuid7 import new_uuid
from windowdesk.errors import ValidationError
from windowdesk.i18n import _
from windowdesk.services import fees
from windowdesk.services.audit import record_action
from windowdesk.services.authorization import authorize
from windowdesk.services.context import CounterContext
from windowdesk.services.dayclose import business_day_in_session, ensure_till_open
from windowdesk.storage import models as m
from windowdesk.storage import queries
from windowdesk.storage.db import Database, Session
from windowdesk.sync.outbox import enqueue
from windowdesk.sync.protocol import PAYMENT_RECEIVED, UTILITY_PAID, EventEntity

FEE, UTILITY = ReceiptKind.FEE, ReceiptKind.UTILITY
STREET = "street"


@dataclass(frozen=True)
class PaymentResult:
    receipt_id: str
    number: str
    amount_fen: int
    method: str
    change_fen: int | None


@dataclass(frozen=True)
class AccountHolder:
    payer_name: str
    payee: str


def receipt_workstation(ctx: CounterContext) -> str:
    """The workstation part of a receipt number: center and window codes, e.g. ``CH01``."""
    return f"{ctx.center_code}{ctx.window_code}"


def _new_receipt(
    session: Session, ctx: CounterContext, *, kind: str, now: dt.datetime, settlement: Settlement, **fields: Any
) -> m.Receipt:
    day = business_day_in_session(session, ctx)
    workstation = receipt_workstation(ctx)
    seq = queries.next_sequence_value(session, receipt_sequence_scope(workstation, day.year))
    receipt = m.Receipt(
        id=new_uuid(),
        number=format_receipt_number(workstation, day.year, seq),
        kind=kind,
        workstation=workstation,
        year=day.year,
        seq=seq,
        center_code=ctx.center_code,
        window_id=ctx.window_id,
        operator_id=ctx.operator_id,
        business_day=day,
        paid_at=now,
        method=settlement.method,
        amount_fen=settlement.amount_fen,
        tendered_fen=settlement.tendered_fen,
        change_fen=settlement.change_fen,
        reference=settlement.reference,
        waiver_reason=settlement.waiver_reason,
        **fields,
    )
    session.add(receipt)
    return receipt


def _money_payload(receipt: m.Receipt) -> dict:
    return {
        "id": receipt.id,
        "number": receipt.number,
        "center": receipt.center_code,
        "window": receipt.window_id,
        "operator": receipt.operator_id,
        "amount_fen": receipt.amount_fen,
        "method": receipt.method,
        "tendered_fen": receipt.tendered_fen,
        "change_fen": receipt.change_fen,
        "reference": receipt.reference,
        "waiver_reason": receipt.waiver_reason,
        "paid_at": receipt.paid_at.isoformat(),
        "business_day": receipt.business_day.isoformat(),
    }


def _result(receipt: m.Receipt) -> PaymentResult:
    return PaymentResult(receipt.id, receipt.number, receipt.amount_fen, receipt.method, receipt.change_fen)


def pay_case_fee(
    db: Database, ctx: CounterContext, *, case_id: str, tender: Tender, quantities: Mapping[int, int] | None = None
) -> PaymentResult:
    """All fees of one case, collected once, on one receipt."""
    with db.write() as session:
        authorize(session, ctx, Permission.TAKE_PAYMENT)
        now = ctx.now()
        ensure_till_open(session, ctx, business_day_in_session(session, ctx))
        case = fees.load_case(session, ctx, case_id)
        if case.status in fees.UNCHARGEABLE:
            raise ValidationError(_("This application was withdrawn: there is no fee to collect."))
        paid = queries.unvoided_receipt_of_case(session, case.id)
        if paid is not None:
            raise ValidationError(
                _(
                    "The fee of case {case} was already collected on receipt {receipt}. Fees are "
                    "collected once; void that receipt first if it was wrong."
                ).format(case=case.case_number, receipt=paid.number)
            )
        computation, payer = fees.charge_for_case(session, ctx, case, quantities)
        settlement = fee_rules.settle(computation.total_fen, tender)
        receipt = _new_receipt(
            session,
            ctx,
            kind=FEE,
            now=now,
            settlement=settlement,
            case_id=case.id,
            payer_name=payer.name,
        )
        receipt.lines = [
            m.ReceiptLine(
                id=new_uuid(),
                position=pos,
                department_code=line.department,
                description=line.description,
                quantity=line.quantity,
                unit=line.unit,
                gross_fen=line.gross_fen,
                amount_fen=line.amount_fen,
                explanation=line.explanation[:400],
            )
            for pos, line in enumerate(line for line in computation.lines if line.chargeable)
        ]
        session.flush()
        record_action(
            session,
            ctx,
            action="payment.receive",
            entity="receipt",
            entity_id=receipt.id,
            detail={
                "number": receipt.number,
                "case": case.case_number,
                "amount_fen": receipt.amount_fen,
                "method": receipt.method,
            },
        )
        enqueue(
            session,
            entity=EventEntity.RECEIPT,
            entity_id=receipt.id,
            kind=PAYMENT_RECEIVED,
            now=now,
            payload={
                **_money_payload(receipt),
                "kind": FEE,
                "case_id": case.id,
                "case_number": case.case_number,
                "item": case.item_code,
                "applicant": {"kind": payer.ref.kind, "id": payer.ref.id},
                "lines": [
                    {
                        "department": line.department_code,
                        "description": line.description,
                        "quantity": line.quantity,
                        "unit": line.unit,
                        "gross_fen": line.gross_fen,
                        "amount_fen": line.amount_fen,
                    }
                    for line in receipt.lines
                ],
            },
        )
        return _result(receipt)


def _clean_utility_fields(
    utility: str, account_number: str, payer_name: str, period: str
) -> tuple[Utility, str, str, str]:
    if utility not in UTILITIES:  # NONE too: it is no utility
        raise ValidationError(_("Please choose what is being paid for."), field="utility")
    account = "".join((account_number or "").split())
    if not account:
        raise ValidationError(_("Please enter the account number."), field="account_number")
    if len(account) > 40:
        raise ValidationError(_("This account number is too long."), field="account_number")
    payer = (payer_name or "").strip()
    if not payer:
        raise ValidationError(_("Please enter the payer's name."), field="payer_name")
    return Utility(utility), account, payer[:100], (period or "").strip()[:40]


def pay_utility(
    db: Database,
    ctx: CounterContext,
    *,
    utility: str,
    account_number: str,
    payer_name: str,
    period: str,
    amount_fen: int,
    tender: Tender,
    payee: str = "",
) -> PaymentResult:
    """A water / electricity / heating / gas / phone / tax / other payment taken at a
    street center on behalf of the payee (代收)."""
    paid_for, account, payer, period = _clean_utility_fields(utility, account_number, payer_name, period)
    settlement = fee_rules.settle(amount_fen, tender, allow_waiver=False)
    with db.write() as session:
        authorize(session, ctx, Permission.TAKE_PAYMENT)
        center = session.get(m.Center, ctx.center_code)
        if center is None or center.kind != STREET:
            raise ValidationError(_("Utility payments are taken at street service centers only."))
        now = ctx.now()
        ensure_till_open(session, ctx, business_day_in_session(session, ctx))
        receipt = _new_receipt(
            session,
            ctx,
            kind=UTILITY,
            now=now,
            settlement=settlement,
            payer_name=payer,
            utility=paid_for,
            account_number=account,
            period=period,
            payee=(payee or "").strip()[:100],
        )
        receipt.lines = [
            m.ReceiptLine(
                id=new_uuid(),
                position=0,
                department_code="",
                description=utility_label(paid_for),
                quantity=1,
                unit="",
                gross_fen=amount_fen,
                amount_fen=amount_fen,
                explanation=period,
            )
        ]
        session.flush()
        record_action(
            session,
            ctx,
            action="utility.receive",
            entity="receipt",
            entity_id=receipt.id,
            detail={
                "number": receipt.number,
                "utility": paid_for.value,
                "amount_fen": amount_fen,
                "method": receipt.method,
            },
        )
        enqueue(
            session,
            entity=EventEntity.RECEIPT,
            entity_id=receipt.id,
            kind=UTILITY_PAID,
            now=now,
            payload={
                **_money_payload(receipt),
                "kind": UTILITY,
                "utility": paid_for.value,
                "account_number": account,
                "payer_name": payer,
                "period": period,
                "payee": receipt.payee,
            },
        )
        return _result(receipt)


def utility_account_holder(
    db: Database, ctx: CounterContext, *, utility: str, account_number: str
) -> AccountHolder | None:
    """Who paid to this account at this center before: the name to suggest."""
    account = "".join((account_number or "").split())
    if not account or utility not in UTILITIES:  # nothing was paid to what is no utility
        return None
    with db.read() as session:
        authorize(session, ctx, Permission.TAKE_PAYMENT)
        row = queries.last_utility_payment(session, ctx.center_code, Utility(utility), account)
        return AccountHolder(row.payer_name, row.payee) if row else None


def takes_utility_payments(db: Database, ctx: CounterContext) -> bool:
    """Whether this window's center collects utility payments (street centers do)."""
    with db.read() as session:
        center = session.get(m.Center, ctx.center_code)
        return center is not None and center.kind == STREET
