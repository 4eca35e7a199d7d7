"""Push rules for money: receipts, voids and day closes (services/payments.py,
services/receipts.py, services/dayclose.py at the window).

The hub has no tables for money yet: these events are kept as received (pushed_events),
like any kind without a projection. Before they are kept, the amounts are checked: money
is whole fen everywhere in windowdesk, so an amount that is a fraction, a text or a
negative number (where none can be negative) means the record is damaged, and it is
rejected with a reason. The window keeps a rejected event for its supervisor to see; the
money itself was taken at the counter and stays on the window's receipts.

Joined to push_rules.RULES at the end of that module and, like service_quality_rules, importing
push_rules only at its own end: either module may be imported first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from windowdesk.domain.fees import PAYMENT_METHODS
from windowdesk.domain.numbering import is_canonical_receipt_number
from windowdesk.hub.language import Text
from windowdesk.i18n import N_
from windowdesk.sync.protocol import DAY_CLOSED, PAYMENT_RECEIVED, UTILITY_PAID

# Whole fen that cannot be below zero; numbers of receipts; the one amount that can be
# below zero (counted minus expected cash).
RECEIPT_AMOUNTS = ("amount_fen", "tendered_fen", "change_fen")
DAY_CLOSE_AMOUNTS = ("expected_cash_fen", "counted_cash_fen", "voided_fen")
DAY_CLOSE_COUNTS = ("receipts", "voided")
SIGNED_AMOUNTS = ("difference_fen",)
MAX_FEN = 2**53  # far beyond any till; keeps every amount exact wherever it is read


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and -MAX_FEN < value < MAX_FEN


_WHOLE = {  # (counts, signed) -> what the value must be
    (False, False): N_("a whole number of fen, not below zero"),
    (False, True): N_("a whole number of fen"),
    (True, False): N_("a whole number, not below zero"),
    (True, True): N_("a whole number"),
}


def _reject_unless_whole(
    kind: str, payload: Mapping[str, Any], names: tuple[str, ...], *, signed: bool = False, counts: bool = False
) -> None:
    """Amounts (or, with ``counts``, numbers of receipts) must be whole numbers, not below
    zero unless ``signed``."""
    what = Text(_WHOLE[counts, signed])
    for name in names:
        value = payload.get(name)
        if value is None:
            continue  # required fields were checked already; the others may be absent
        if not _whole(value) or (not signed and value < 0):
            raise base.Rejected(N_("The {kind} event's {name} must be {what}."), kind=kind, name=name, what=what)


def receipt(event: base.IncomingEvent, pusher: base.Pusher, view: base.BatchView, now: dt.datetime) -> base.Plan:
    plan = base.kept_as_received(event, pusher, view, now)
    payload = event.payload
    if not is_canonical_receipt_number(payload.get("number")):
        raise base.Rejected(
            N_("The {kind} event's number is not a receipt number like CH03-2026-000123."), kind=event.kind
        )
    _reject_unless_whole(event.kind, payload, RECEIPT_AMOUNTS)
    if payload.get("method") not in PAYMENT_METHODS:
        raise base.Rejected(
            N_("The {kind} event's method {method!r} is not one of: {methods}."),
            kind=event.kind,
            method=str(payload.get("method"))[:20],
            methods=", ".join(PAYMENT_METHODS),
        )
    return plan


def day_close(event: base.IncomingEvent, pusher: base.Pusher, view: base.BatchView, now: dt.datetime) -> base.Plan:
    plan = base.kept_as_received(event, pusher, view, now)
    payload = event.payload
    _reject_unless_whole(event.kind, payload, DAY_CLOSE_AMOUNTS)
    _reject_unless_whole(event.kind, payload, DAY_CLOSE_COUNTS, counts=True)
    _reject_unless_whole(event.kind, payload, SIGNED_AMOUNTS, signed=True)
    totals = payload.get("totals")
    if not isinstance(totals, dict):
        raise base.Rejected(N_("The day.closed event's totals must be a table of payment methods."))
    for method, total in totals.items():
        if method not in PAYMENT_METHODS or not isinstance(total, dict):
            raise base.Rejected(
                N_("The day.closed event's totals name an unknown payment method {method!r}."),
                method=str(method)[:20],
            )
        _reject_unless_whole(event.kind, total, ("amount_fen",))
        _reject_unless_whole(event.kind, total, ("receipts",), counts=True)
    return plan


# A void (PAYMENT_VOIDED) names its receipt by id and number and carries no amount: it is
# kept as received with the checks every such kind gets.
RULES: dict[str, base.Rule] = {PAYMENT_RECEIVED: receipt, UTILITY_PAID: receipt, DAY_CLOSED: day_close}

from windowdesk.hub.services import push_rules as base  # noqa: E402 - see the module's docstring
