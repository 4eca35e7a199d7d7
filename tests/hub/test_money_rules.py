"""Money reaches the hub only as whole fen: a receipt or day close whose amounts are
fractions, texts or negative is rejected with a reason; the real ones are kept."""

from __future__ import annotations

import copy

import pytest

from tests.wire_form import wire
from windowdesk.domain.uuid7 import new_uuid
from windowdesk.storage import models as m

from .test_window_events_reach_the_hub import _a_day_at_the_window


@pytest.fixture
def day_of_money(hub, demo, demo_catalog):
    workstation = hub.enroll("CH", "01")
    _a_day_at_the_window(demo)
    with demo.db.read() as session:
        outbox = [wire(e) for e in session.query(m.OutboxEvent).order_by(m.OutboxEvent.seq)]
    return workstation, outbox


def _damaged(event: dict, change) -> dict:
    """A copy of ``event`` (new ids) with its payload changed by ``change``."""
    damaged = copy.deepcopy(event)
    damaged["event_id"] = damaged["entity_id"] = damaged["payload"]["id"] = new_uuid()
    change(damaged["payload"])
    return damaged


def _set(**values):
    return lambda payload: payload.update(values)


def _set_total(method: str, **values):
    return lambda payload: payload["totals"].setdefault(method, {"receipts": 0, "amount_fen": 0}).update(values)


RECEIPT_DAMAGE = {
    "a fraction of a fen": (_set(amount_fen=2000.5), "amount_fen must be a whole number of fen, not below zero"),
    "yuan as text": (_set(amount_fen="20.00"), "amount_fen must be a whole number of fen"),
    "a float that looks whole": (_set(tendered_fen=5000.0), "tendered_fen must be a whole number of fen"),
    "negative change": (_set(change_fen=-3000), "change_fen must be a whole number of fen, not below zero"),
    "true for an amount": (_set(amount_fen=True), "amount_fen must be a whole number of fen"),
    "an unknown method": (_set(method="barter"), "method 'barter' is not one of: cash, bank_card, mobile, waived"),
}
DAY_CLOSE_DAMAGE = {
    "a fraction in the counted cash": (_set(counted_cash_fen=3000.25), "counted_cash_fen must be a whole number"),
    "a fractional difference": (_set(difference_fen=-0.5), "difference_fen must be a whole number of fen."),
    "a negative receipt count": (_set(receipts=-1), "receipts must be a whole number, not below zero"),
    "a fractional count in the totals": (_set_total("cash", receipts=1.5), "receipts must be a whole number, not"),
    "totals that are not a table": (_set(totals=[1, 2]), "totals must be a table of payment methods"),
    "a total of an unknown method": (_set_total("barter"), "unknown payment method 'barter'"),
    "a fractional total": (_set_total("cash", amount_fen=19.99), "amount_fen must be a whole number of fen"),
}


def test_a_days_money_is_kept_and_damaged_copies_are_rejected_with_reasons(hub, day_of_money) -> None:
    workstation, outbox = day_of_money
    receipt = next(e for e in outbox if e["kind"] == "payment.received")
    day_close = next(e for e in outbox if e["kind"] == "day.closed")
    assert isinstance(receipt["payload"]["amount_fen"], int) and receipt["payload"]["amount_fen"] > 0
    damaged = [_damaged(receipt, change) for change, _ in RECEIPT_DAMAGE.values()]
    damaged += [_damaged(day_close, change) for change, _ in DAY_CLOSE_DAMAGE.values()]
    # A negative difference (less cash counted than expected) is a fact, not damage.
    short = _damaged(day_close, _set(counted_cash_fen=1000, difference_fen=-1000))

    results = hub.push_results(workstation, [*outbox, *damaged, short])

    assert [status for status, _ in results[: len(outbox)]] == ["applied"] * len(outbox)
    assert results[-1] == ("applied", "")
    expected = [reason for _, reason in (*RECEIPT_DAMAGE.values(), *DAY_CLOSE_DAMAGE.values())]
    for (status, reason), part, label in zip(
        results[len(outbox) : -1], expected, [*RECEIPT_DAMAGE, *DAY_CLOSE_DAMAGE], strict=True
    ):
        assert status == "rejected" and part in reason, (label, reason)
