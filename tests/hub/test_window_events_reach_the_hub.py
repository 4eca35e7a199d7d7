"""Everything a real window pushes after a day's work — residents, a case, its fee
receipt, the day close and the audit entries — is accepted by the hub as sent."""

from __future__ import annotations

from tests.wire_form import wire
from windowdesk.domain.fees import Tender
from windowdesk.domain.ids import resident_id_check_char
from windowdesk.services import applicants, dayclose, intake, payments
from windowdesk.services.approval import SupervisorCredentials
from windowdesk.services.bootstrap import DEMO_LOGIN, DEMO_PASSWORD
from windowdesk.services.catalog import get_item_guide
from windowdesk.storage import models as m


def _a_day_at_the_window(demo) -> None:
    first17 = "23090219750612345"  # no welfare status: the fee is charged in full
    who = applicants.register_resident(
        demo.db, demo.ctx, id_number=first17 + resident_id_check_char(first17), name="周建华"
    ).ref
    guide = get_item_guide(demo.db, item_code="GA-001")  # ID card: a fixed fee of 20 yuan
    case = intake.accept_case(
        demo.db,
        demo.ctx,
        item_code="GA-001",
        applicant=who,
        checks=[intake.MaterialCheck(mat.code, "received") for mat in guide.materials],
        shipped_calendar=demo.calendar,
    )
    payments.pay_case_fee(demo.db, demo.ctx, case_id=case.id, tender=Tender("cash", tendered_fen=5000))
    totals = dayclose.day_totals(demo.db, demo.ctx)
    dayclose.close_day(
        demo.db,
        demo.ctx,
        day=demo.ctx.local_today(),
        counted_cash_fen=totals.expected_cash_fen,
        supervisor=SupervisorCredentials(DEMO_LOGIN, DEMO_PASSWORD),
    )


def test_a_days_outbox_is_applied_by_the_hub(hub, demo_catalog: None, demo):
    workstation = hub.enroll("CH", "01")
    _a_day_at_the_window(demo)
    with demo.db.read() as session:
        outbox = [wire(e) for e in session.query(m.OutboxEvent).order_by(m.OutboxEvent.seq)]
    kinds = {e["kind"] for e in outbox}
    assert {"resident.registered", "case.accepted", "payment.received", "day.closed", "audit.entry"} <= kinds
    results = hub.push_results(workstation, outbox)
    refused = [(e["kind"], reason) for e, (status, reason) in zip(outbox, results, strict=False) if status != "applied"]
    assert refused == []
    assert {status for status, _ in hub.push_results(workstation, outbox)} == {"duplicate"}
