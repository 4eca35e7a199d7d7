"""出件 / 送达 at the window: the choice at acceptance (masked on the receipt), the
handover checked and recorded with the DELIVER step and sent without a whole ID number,
and results near or past their delivery deadline on the watch (National Day 2025)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
import re
from zoneinfo import ZoneInfo

import pypdf
import pytest

from windowdesk.domain.case_state import CaseAction
from windowdesk.domain.delivery import DeliveryChoice, Handover
from windowdesk.domain.time_limits import Light
from windowdesk.errors import ValidationError
from windowdesk.printing.render import render_document
from windowdesk.services import applicants, cases, documents, intake, worklist
from windowdesk.services.catalog import get_item_guide
from windowdesk.services.sync_apply import apply_change
from windowdesk.storage.models import OutboxEvent
from windowdesk.storage.models_delivery import CaseDelivery
from windowdesk.sync import protocol

SHANGHAI = ZoneInfo("Asia/Shanghai")
DEMO_ID = "230902196210010496"  # 王建国 in resources/demo/residents.json
AGENT_ID = "23090219800101123X"
ADDRESS = "黑龙江省七台河市桃山区学府街12号3单元501"


def at(ctx, when: str):
    moment = dt.datetime.fromisoformat(when).replace(tzinfo=SHANGHAI)
    return dataclasses.replace(ctx, clock=lambda: moment)


def accept(demo, when: str = "2025-09-29 09:00", delivery: DeliveryChoice | None = None, item: str = "LB-006"):
    who = applicants.find_residents(demo.db, demo.ctx, query=DEMO_ID)[0].ref
    guide = get_item_guide(demo.db, item_code=item)
    return intake.accept_case(
        demo.db,
        at(demo.ctx, when),
        item_code=item,
        applicant=who,
        checks=[intake.MaterialCheck(m.code, "received") for m in guide.materials],
        shipped_calendar=demo.calendar,
        delivery=delivery,
    )


def decide_and_complete(demo, case_id: str, decided: str, completed: str, seq: int = 1) -> None:
    change = protocol.Change(
        seq,
        protocol.CHANGE_DECISION,
        "case",
        case_id,
        {
            "case_id": case_id,
            "case_number": "x",
            "decision": "approve",
            "department": "MZJ",
            "note": "",
            "status": "approved",
            "at": dt.datetime.fromisoformat(decided).replace(tzinfo=SHANGHAI).isoformat(),
        },
    )
    with demo.db.write() as session:
        apply_change(session, change, now=dt.datetime.now(dt.UTC))
    cases.change_status(demo.db, at(demo.ctx, completed), case_id=case_id, action=CaseAction.COMPLETE)


def deliver(demo, case_id: str, handover: Handover, when: str = "2025-10-09 10:00") -> str:
    return cases.change_status(
        demo.db, at(demo.ctx, when), case_id=case_id, action=CaseAction.DELIVER, delivery=handover
    )


def last_payload(demo, kind: str) -> dict:
    with demo.db.read() as session:
        return [e.payload for e in session.query(OutboxEvent).order_by(OutboxEvent.seq) if e.kind == kind][-1]


def pdf_text(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return re.sub(r"\s+", "", "".join(page.extract_text() or "" for page in reader.pages))


def test_the_choice_is_kept_sent_and_printed_with_the_address_masked(demo):
    with pytest.raises(ValidationError):
        accept(demo, delivery=DeliveryChoice("post"))  # no address: nothing accepted
    case = accept(demo, delivery=DeliveryChoice("post", address=ADDRESS))
    with demo.db.read() as session:
        row = session.get(CaseDelivery, case.id)
        assert (row.mode, row.address) == ("post", ADDRESS)
    assert last_payload(demo, "case.accepted")["delivery"] == {"mode": "post", "address": ADDRESS, "locker": ""}
    text = pdf_text(render_document(documents.acceptance_receipt_data(demo.db, demo.ctx, case.id)))
    assert "七台河市桃山区****" in text and "学府街" not in text
    window = accept(demo, "2025-09-29 09:10")  # no choice: at the window
    assert last_payload(demo, "case.accepted")["delivery"]["mode"] == "window"
    text = pdf_text(render_document(documents.acceptance_receipt_data(demo.db, demo.ctx, window.id)))
    assert "****" not in text.replace(DEMO_ID[:6] + "********" + DEMO_ID[-4:], "")


def test_the_applicant_collects_at_the_window_with_their_id_an_agent_with_a_power_of_attorney(demo):
    mine, theirs = accept(demo), accept(demo, "2025-09-29 09:10")
    for number, case in enumerate((mine, theirs), start=1):
        decide_and_complete(demo, case.id, "2025-09-30 10:00", "2025-09-30 11:00", seq=number)
    with pytest.raises(ValidationError, match="not the applicant"):
        deliver(demo, mine.id, Handover("window", AGENT_ID, "李四"))
    assert deliver(demo, mine.id, Handover("window", DEMO_ID, "王建国", read_from_card=True)) == "delivered"
    sent = last_payload(demo, "case.status")
    assert sent["handover"]["collector_id_masked"] == "230902********0496" and sent["handover"]["read_from_card"]
    with pytest.raises(ValidationError, match="power of attorney"):
        deliver(demo, theirs.id, Handover("window", AGENT_ID, "李四", agent=True))
    deliver(demo, theirs.id, Handover("window", AGENT_ID, "李四", agent=True, power_of_attorney="委托书（经公证）"))
    with demo.db.read() as session:
        row = session.get(CaseDelivery, theirs.id)
        assert (row.by_agent, row.collector_name, row.power_of_attorney) == (True, "李四", "委托书（经公证）")
        assert row.collector_id_masked == "230902********123X"
        outbox = json.dumps([e.payload for e in session.query(OutboxEvent)], ensure_ascii=False)
    assert AGENT_ID not in outbox
    detail = worklist.get_record_detail(demo.db, demo.ctx, kind="case", record_id=theirs.id)
    assert "Collected by agent 李四 (230902********123X)" in detail.timeline[-1].note


def test_a_result_by_post_leaves_with_its_waybill_and_not_through_a_locker(demo):
    case = accept(demo, delivery=DeliveryChoice("post", address=ADDRESS))
    decide_and_complete(demo, case.id, "2025-09-30 10:00", "2025-09-30 11:00")
    with pytest.raises(ValidationError, match="chose"):
        deliver(demo, case.id, Handover("locker", locker_code="4821"))
    with pytest.raises(ValidationError):
        deliver(demo, case.id, Handover("post", waybill="EA12"))
    deliver(demo, case.id, Handover("post", waybill="ea 123456789 cn"))
    assert last_payload(demo, "case.status")["handover"]["waybill"] == "EA123456789CN"


def test_results_near_or_past_their_delivery_deadline_are_on_the_watch(demo):
    # LB-006 decided Tue 30 Sep: due by Tue 21 Oct (10 working days, National Day between).
    case = accept(demo)
    decide_and_complete(demo, case.id, "2025-09-30 10:00", "2025-09-30 11:00")
    assert case.id not in {
        c.case_id for c in cases.late_cases(demo.db, at(demo.ctx, "2025-10-13 09:00"), shipped_calendar=demo.calendar)
    }
    [near] = cases.late_cases(demo.db, at(demo.ctx, "2025-10-17 09:00"), shipped_calendar=demo.calendar)
    assert (
        near.awaiting_delivery and near.state.light is Light.YELLOW and near.state.promised_due == dt.date(2025, 10, 21)
    )
    [late] = cases.late_cases(
        demo.db, at(demo.ctx, "2025-10-23 09:00"), shipped_calendar=demo.calendar, whole_center=True
    )
    assert late.state.light is Light.RED and late.state.promised_left == -2
    assert cases.late_list_row(late)[4] == "Result awaiting delivery"
    assert cases.late_list_row(late)[6] == "overdue 2 working days"
    deliver(demo, case.id, Handover("window", DEMO_ID, "王建国"), "2025-10-23 10:00")
    assert cases.late_cases(demo.db, at(demo.ctx, "2025-10-23 11:00"), shipped_calendar=demo.calendar) == []
