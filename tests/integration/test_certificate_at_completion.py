"""办结 of an approved case whose item issues a certificate records its number (for the
provincial record); no number where none is issued."""

from __future__ import annotations

import datetime as dt

import pytest

from windowdesk.domain.case_state import CaseAction
from windowdesk.errors import ValidationError
from windowdesk.services import applicants, cases, intake
from windowdesk.services.catalog import get_item_guide
from windowdesk.services.sync_apply import apply_change
from windowdesk.storage import models as m
from windowdesk.sync import protocol

DEMO_ID = "230902196210010496"


def decided(demo, item: str, decision: str = "approve", seq: int = 1) -> str:
    who = applicants.find_residents(demo.db, demo.ctx, query=DEMO_ID)[0].ref
    guide = get_item_guide(demo.db, item_code=item)
    case = intake.accept_case(
        demo.db,
        demo.ctx,
        item_code=item,
        applicant=who,
        checks=[intake.MaterialCheck(mat.code, "received") for mat in guide.materials],
        shipped_calendar=demo.calendar,
    )
    status = "approved" if decision == "approve" else "rejected"
    change = protocol.Change(
        seq,
        protocol.CHANGE_DECISION,
        "case",
        case.id,
        {
            "case_id": case.id,
            "case_number": case.number,
            "decision": decision,
            "department": "LLW",
            "note": "",
            "status": status,
            "at": dt.datetime.now(dt.UTC).isoformat(),
        },
    )
    with demo.db.write() as session:
        apply_change(session, change, now=dt.datetime.now(dt.UTC))
    return case.id


def complete(demo, case_id: str, number: str = "") -> str:
    return cases.change_status(
        demo.db, demo.ctx, case_id=case_id, action=CaseAction.COMPLETE, certificate_number=number
    )


def test_an_approved_elderly_card_is_completed_with_its_number(demo):
    case_id = decided(demo, "LL-001")  # 老年证办理: issues 老年证
    assert cases.certificate_to_record(demo.db, demo.ctx, case_id=case_id) == "老年证"
    with pytest.raises(ValidationError, match="老年证"):
        complete(demo, case_id)
    assert complete(demo, case_id, " LN-2025-000123 ") == "completed"
    with demo.db.read() as session:
        assert session.get(m.Case, case_id).certificate_number == "LN-2025-000123"
        sent = [e.payload for e in session.query(m.OutboxEvent).order_by(m.OutboxEvent.seq) if e.kind == "case.status"][
            -1
        ]
    assert (sent["action"], sent["certificate_number"]) == ("complete", "LN-2025-000123")


def test_no_number_where_nothing_is_issued(demo):
    rejected = decided(demo, "LL-001", "reject")  # not approved: no certificate
    assert cases.certificate_to_record(demo.db, demo.ctx, case_id=rejected) == ""
    assert complete(demo, rejected) == "completed"
    allowance = decided(demo, "MZ-001", seq=2)  # 低保: no certificate in the catalog
    with pytest.raises(ValidationError):
        complete(demo, allowance, "X-1")
    assert complete(demo, allowance) == "completed"
