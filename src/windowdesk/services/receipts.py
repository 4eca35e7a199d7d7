"""A till's receipts after they were issued: the day's list, and voids (作废).

A receipt is never edited or deleted. A mistake is corrected by a void: a new record
that names the receipt, the reason and the supervisor who approved it (their own
credentials, typed at this workstation). The void keeps the original receipt, leaves
it out of the day's totals and prints a void slip. Its number is the receipt's with
the prefix ``ZF-`` (作废), so slip and receipt are found together.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from windowdesk.domain.fees import ReceiptKind, utility_label
from windowdesk.domain.permissions import Permission
from windowdesk.domain.uuid7 import new_uuid
from windowdesk.errors import NotFoundError, ValidationError
from windowdesk.i18n import _
from windowdesk.services.approval import SupervisorCredentials, approve_as_supervisor, require_approver
from windowdesk.services.audit import record_action
from windowdesk.services.authorization import authorize
from windowdesk.services.context import CounterContext
from windowdesk.services.dayclose import ensure_day_not_closed
from windowdesk.storage import models as m
from windowdesk.storage import queries
from windowdesk.storage.db import Database, Session
from windowdesk.sync.outbox import enqueue
from windowdesk.sync.protocol import PAYMENT_VOIDED, EventEntity

VOID_PREFIX = "ZF-"


@dataclass(frozen=True)
class ReceiptEntry:
    id: str
    number: str
    kind: str  # fee / utility
    paid_at: dt.datetime
    method: str
    amount_fen: int
    what: str  # case number or the utility and its account, for the operator
    payer_name: str
    void_id: str  # "" when the receipt stands
    void_number: str
    item: str = ""  # the case's item, for a fee; "" for a utility payment

    @property
    def voided(self) -> bool:
        return bool(self.void_id)


@dataclass(frozen=True)
class VoidResult:
    void_id: str
    number: str
    receipt_number: str
    amount_fen: int


def _what(receipt: m.Receipt, case_numbers: dict[str, str]) -> str:
    if receipt.kind == ReceiptKind.UTILITY:
        return f"{utility_label(receipt.utility)} {receipt.account_number}"
    return case_numbers.get(receipt.case_id, "") if receipt.case_id else ""


def receipts_of_day(db: Database, ctx: CounterContext, *, day: dt.date | None = None) -> list[ReceiptEntry]:
    """This window's receipts of a day (default today), in number order, voided ones too."""
    with db.read() as session:
        authorize(session, ctx, Permission.TAKE_PAYMENT)
        rows = queries.receipts_of_window_day(session, ctx.window_id, day or ctx.local_today())
        case_ids = [receipt.case_id for receipt, _void in rows if receipt.case_id]
        cases = [case for case in (session.get(m.Case, case_id) for case_id in case_ids) if case is not None]
        case_numbers = {case.id: case.case_number for case in cases}
        item_names = {}
        for case in cases:
            item = session.get(m.CatalogItem, case.item_code)
            item_names[case.id] = item.name if item is not None else case.item_code
        return [
            ReceiptEntry(
                id=receipt.id,
                number=receipt.number,
                kind=receipt.kind,
                paid_at=receipt.paid_at,
                method=receipt.method,
                amount_fen=receipt.amount_fen,
                what=_what(receipt, case_numbers),
                payer_name=receipt.payer_name,
                void_id=void.id if void else "",
                void_number=void.number if void else "",
                item=item_names.get(receipt.case_id, "") if receipt.case_id else "",
            )
            for receipt, void in rows
        ]


def _receipt_to_void(session: Session, ctx: CounterContext, receipt_id: str) -> m.Receipt:
    receipt = session.get(m.Receipt, receipt_id)
    if receipt is None or receipt.window_id != ctx.window_id:
        # Receipts belong to the till that issued them; another window cannot take one back.
        raise NotFoundError(_("Not found"), _("This receipt was not issued at this window."))
    existing = queries.void_of_receipt(session, receipt.id)
    if existing is not None:
        raise ValidationError(
            _("Receipt {number} was already voided ({void}).").format(number=receipt.number, void=existing.number)
        )
    ensure_day_not_closed(session, ctx.window_id, receipt.business_day)
    return receipt


def void_receipt(
    db: Database, ctx: CounterContext, *, receipt_id: str, reason: str, supervisor: SupervisorCredentials
) -> VoidResult:
    """Take a receipt back, with a reason and a supervisor's approval."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Please give the reason for voiding the receipt."), field="reason")
    with db.read() as session:
        # Refused before the supervisor's password is checked, so a pointless attempt
        # does not count against their lockout.
        authorize(session, ctx, Permission.TAKE_PAYMENT)
        _receipt_to_void(session, ctx, receipt_id)
    supervisor_id = approve_as_supervisor(
        db, ctx, login=supervisor.login, password=supervisor.password, permission=Permission.APPROVE_VOID
    )
    with db.write() as session:
        authorize(session, ctx, Permission.TAKE_PAYMENT)
        require_approver(session, ctx, supervisor_id, Permission.APPROVE_VOID)
        receipt = _receipt_to_void(session, ctx, receipt_id)
        now = ctx.now()
        void = m.ReceiptVoid(
            id=new_uuid(),
            number=VOID_PREFIX + receipt.number,
            receipt_id=receipt.id,
            center_code=ctx.center_code,
            window_id=ctx.window_id,
            operator_id=ctx.operator_id,
            supervisor_id=supervisor_id,
            business_day=receipt.business_day,
            voided_at=now,
            reason=reason,
        )
        session.add(void)
        session.flush()
        record_action(
            session,
            ctx,
            action="payment.void",
            entity="receipt_void",
            entity_id=void.id,
            detail={
                "number": void.number,
                "receipt": receipt.number,
                "amount_fen": receipt.amount_fen,
                "supervisor": supervisor_id,
            },
        )
        enqueue(
            session,
            entity=EventEntity.RECEIPT_VOID,
            entity_id=void.id,
            kind=PAYMENT_VOIDED,
            now=now,
            payload={
                "id": void.id,
                "number": void.number,
                "receipt_id": receipt.id,
                "receipt_number": receipt.number,
                "center": ctx.center_code,
                "window": ctx.window_id,
                "operator": ctx.operator_id,
                "supervisor": supervisor_id,
                "reason": reason,
                "voided_at": now.isoformat(),
                "business_day": receipt.business_day.isoformat(),
                "amount_fen": receipt.amount_fen,
            },
        )
        return VoidResult(void.id, void.number, receipt.number, receipt.amount_fen)
