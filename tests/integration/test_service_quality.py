"""Parallel parts at the window, ratings and their follow-ups, the first-inquiry register
and complaints: services on a real (encrypted) database, outbox included."""

from __future__ import annotations

import dataclasses
import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from windowdesk.domain.case_state import CaseAction
from windowdesk.errors import ValidationError
from windowdesk.services import applicants, auth, cases, complaints, intake, service_quality, worklist
from windowdesk.services.authorization import PermissionDenied
from windowdesk.services.catalog import get_item_guide
from windowdesk.services.sync_apply import apply_change
from windowdesk.storage.models import Case, OutboxEvent
from windowdesk.sync import protocol

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(ctx, when: str):
    moment = dt.datetime.fromisoformat(when).replace(tzinfo=SHANGHAI)
    return dataclasses.replace(ctx, clock=lambda: moment)


def accept(demo, item: str, when: str = "2025-03-03 09:00", ctx=None) -> intake.IntakeResult:
    who = applicants.find_residents(demo.db, demo.ctx, query="2309")[0].ref
    guide = get_item_guide(demo.db, item_code=item)
    return intake.accept_case(
        demo.db,
        at(ctx or demo.ctx, when),
        item_code=item,
        applicant=who,
        checks=[intake.MaterialCheck(m.code, "received") for m in guide.materials],
        shipped_calendar=demo.calendar,
    )


def outbox_kinds(demo) -> list[str]:
    with demo.db.read() as session:
        kinds = [e.kind for e in session.query(OutboxEvent).order_by(OutboxEvent.seq)]
    return [kind for kind in kinds if kind != "audit.entry"]


def decide(demo, case_id: str, seq: int, department: str, decision: str, status: str, note: str = "") -> None:
    change = protocol.Change(
        seq,
        protocol.CHANGE_DECISION,
        "case",
        case_id,
        {
            "case_id": case_id,
            "case_number": "x",
            "decision": decision,
            "department": department,
            "note": note,
            "status": status,
            "at": "2025-03-05T10:00:00+08:00",
        },
    )
    with demo.db.write() as session:
        apply_change(session, change, now=dt.datetime.now(dt.UTC))


def status_of(demo, case_id: str) -> str:
    with demo.db.read() as session:
        return session.get(Case, case_id).status


@pytest.fixture
def clerk(demo):
    auth.create_operator(
        demo.db, demo.ctx, login="li", display_name="李明", role="operator", initial_password="Start2026x"
    )
    return auth.log_in(demo.db, login="li", password="Start2026x").ctx


# --- 并联审批 ---------------------------------------------------------------------------


def test_a_parallel_case_gets_one_part_per_department(demo):
    case = accept(demo, "GS-003")
    ordinary = accept(demo, "MZ-001")
    detail = worklist.get_record_detail(demo.db, demo.ctx, kind="case", record_id=case.id)
    assert [(name, status) for name, status, _note in detail.parts] == [
        ("市工商行政管理局", "Waiting for the department"),
        ("市质量技术监督局", "Waiting for the department"),
        ("市税务局", "Waiting for the department"),
    ]
    assert worklist.get_record_detail(demo.db, demo.ctx, kind="case", record_id=ordinary.id).parts == ()


def test_the_case_is_approved_only_when_every_part_is(demo):
    case = accept(demo, "GS-003")
    decide(demo, case.id, 1, "GSJ", "approve", "in_progress")
    decide(demo, case.id, 2, "ZJJ", "approve", "in_progress")
    assert status_of(demo, case.id) == "in_progress"
    # A hub whose parts disagree cannot approve the case early.
    decide(demo, case.id, 3, "ZJJ", "approve", "approved")
    assert status_of(demo, case.id) == "in_progress"
    decide(demo, case.id, 4, "SWJ", "approve", "approved")
    decide(demo, case.id, 4, "SWJ", "approve", "approved")  # the same change twice: no harm
    assert status_of(demo, case.id) == "approved"
    detail = worklist.get_record_detail(demo.db, demo.ctx, kind="case", record_id=case.id)
    assert {status for _name, status, _note in detail.parts} == {"Approved"}
    # GS-003 issues a business licence (营业执照): 办结 records its number.
    cases.change_status(
        demo.db, demo.ctx, case_id=case.id, action=CaseAction.COMPLETE, certificate_number="91230900MA1C2D3E4F"
    )


def test_one_rejected_part_rejects_the_case_with_its_reason(demo):
    case = accept(demo, "GS-003")
    decide(demo, case.id, 1, "GSJ", "approve", "in_progress")
    decide(demo, case.id, 2, "SWJ", "reject", "rejected", note="纳税人识别信息不符")
    assert status_of(demo, case.id) == "rejected"
    detail = worklist.get_record_detail(demo.db, demo.ctx, kind="case", record_id=case.id)
    assert ("Not approved", "纳税人识别信息不符") in [(status, note) for _name, status, note in detail.parts]


# --- 好差评 ---------------------------------------------------------------------------------


def test_a_good_rating_needs_no_follow_up(demo, clerk):
    case = accept(demo, "MZ-001", ctx=clerk)
    result = service_quality.rate_service(demo.db, clerk, level=5, case_id=case.id, shipped_calendar=demo.calendar)
    assert result.follow_up_id is None
    assert service_quality.list_follow_ups(demo.db, clerk) == []
    assert outbox_kinds(demo)[-1] == "rating.given"


def test_a_bad_rating_opens_a_follow_up_due_in_working_days(demo, clerk):
    # Tuesday 30 September 2025: 3 working days later, across National Day, is Saturday
    # 11 October (a make-up working day).
    result = service_quality.rate_service(
        demo.db,
        at(clerk, "2025-09-30 16:00"),
        level=2,
        reason="等候时间太长",
        shipped_calendar=demo.calendar,
        channel="applicant_screen",
    )
    assert result.owner_name == "王晓燕" and result.deadline == dt.date(2025, 10, 11)
    [follow_up] = service_quality.list_follow_ups(demo.db, clerk)
    assert (follow_up.level, follow_up.reason, follow_up.operator_name) == (2, "等候时间太长", "李明")
    with pytest.raises(PermissionDenied):
        service_quality.record_follow_up_outcome(demo.db, clerk, follow_up_id=follow_up.id, outcome="已回访")
    with pytest.raises(ValidationError):
        service_quality.record_follow_up_outcome(demo.db, demo.ctx, follow_up_id=follow_up.id, outcome=" ")
    service_quality.record_follow_up_outcome(
        demo.db, demo.ctx, follow_up_id=follow_up.id, outcome="已电话回访，增开窗口"
    )
    assert service_quality.list_follow_ups(demo.db, clerk) == []
    [closed] = service_quality.list_follow_ups(demo.db, clerk, open_only=False)
    assert (closed.status, closed.outcome) == ("closed", "已电话回访，增开窗口")
    assert outbox_kinds(demo)[-2:] == ["rating.given", "followup.closed"]
    with pytest.raises(ValidationError):
        service_quality.rate_service(demo.db, clerk, level=6, shipped_calendar=demo.calendar)


def test_a_follow_up_outcome_from_the_hub(demo):
    result = service_quality.rate_service(demo.db, demo.ctx, level=1, shipped_calendar=demo.calendar)
    change = protocol.Change(
        7,
        protocol.CHANGE_FOLLOWUP_OUTCOME,
        "follow_up",
        result.follow_up_id,
        {
            "follow_up_id": result.follow_up_id,
            "rating_id": result.rating_id,
            "outcome": "市电子政务办已回访",
            "by": "张主任",
            "at": "2025-03-05T10:00:00+08:00",
        },
    )
    with demo.db.write() as session:
        assert apply_change(session, change, now=dt.datetime.now(dt.UTC)) == "followup.outcome"
    [closed] = service_quality.list_follow_ups(demo.db, demo.ctx, open_only=False)
    assert (closed.status, closed.outcome) == ("closed", "市电子政务办已回访")


# --- 首问登记 -------------------------------------------------------------------------------


def test_the_first_staff_member_owns_an_inquiry_until_handing_it_over(demo, clerk):
    inquiry_id = service_quality.log_inquiry(
        demo.db, clerk, question="办理老年证需要带什么材料？", inquirer_name="赵大爷", inquirer_phone="13800000000"
    )
    [row] = service_quality.list_inquiries(demo.db, clerk, mine_only=True)
    assert (row.first_operator_name, row.owner_name, row.status) == ("李明", "李明", "open")
    with pytest.raises(ValidationError):
        service_quality.hand_over_inquiry(
            demo.db, clerk, inquiry_id=inquiry_id, to_operator_id=demo.ctx.operator_id, note=""
        )
    service_quality.hand_over_inquiry(
        demo.db, clerk, inquiry_id=inquiry_id, to_operator_id=demo.ctx.operator_id, note="涉及残疾人证，转交负责人"
    )
    with pytest.raises(PermissionDenied):
        service_quality.answer_inquiry(demo.db, clerk, inquiry_id=inquiry_id, answer="带身份证")
    service_quality.answer_inquiry(demo.db, demo.ctx, inquiry_id=inquiry_id, answer="带身份证、户口簿和一寸照片两张")
    assert service_quality.list_inquiries(demo.db, clerk) == []
    [done] = service_quality.list_inquiries(demo.db, clerk, open_only=False)
    assert done.handovers[0][1:] == ("李明", "王晓燕", "涉及残疾人证，转交负责人")
    assert outbox_kinds(demo)[-3:] == ["inquiry.logged", "inquiry.handed_over", "inquiry.answered"]


# --- 投诉 -----------------------------------------------------------------------------------


def test_a_complaint_with_reply_and_rectification(demo, clerk):
    case = accept(demo, "MZ-001", ctx=clerk)
    with pytest.raises(ValidationError):
        complaints.receive_complaint(
            demo.db,
            clerk,
            complainant_name="周女士",
            facts="态度差",
            about=complaints.ComplaintAbout(),
            shipped_calendar=demo.calendar,
        )
    with pytest.raises(ValidationError):  # a clerk cannot own it
        complaints.receive_complaint(
            demo.db,
            clerk,
            complainant_name="周女士",
            facts="态度差",
            about=complaints.ComplaintAbout(case_id=case.id),
            shipped_calendar=demo.calendar,
        )
    complaint_id, number = complaints.receive_complaint(
        demo.db,
        at(clerk, "2025-09-30 10:00"),
        complainant_name="周女士",
        complainant_phone="13900000000",
        facts="窗口工作人员态度生硬",
        about=complaints.ComplaintAbout(case_id=case.id),
        owner_id=demo.ctx.operator_id,
        shipped_calendar=demo.calendar,
    )
    assert number == "TS-CH-01-2025-0001"
    [view] = complaints.list_complaints(demo.db, clerk)
    assert view.deadline == dt.date(2025, 10, 14)  # 5 working days: 9, 10, 11, 13, 14 October
    assert (view.about.window_id, view.about.operator_id, view.about.item_code) == (
        "CH-01",
        clerk.operator_id,
        "MZ-001",
    )
    assert "李明" in view.about_words and view.owner_name == "王晓燕"
    task = complaints.RectificationTask("加强文明服务培训", "综合受理窗口", "王晓燕", dt.date(2099, 1, 31))
    with pytest.raises(PermissionDenied):
        complaints.add_rectification(demo.db, clerk, complaint_id=complaint_id, task=task)
    task_id = complaints.add_rectification(demo.db, demo.ctx, complaint_id=complaint_id, task=task)
    complaints.reply_to_complaint(demo.db, demo.ctx, complaint_id=complaint_id, reply="已核实并批评教育当事人")
    complaints.complete_rectification(demo.db, demo.ctx, rectification_id=task_id, note="已培训")
    [view] = complaints.list_complaints(demo.db, clerk)
    assert (view.status, view.reply, view.rectifications[0].done) == ("replied", "已核实并批评教育当事人", True)
    assert outbox_kinds(demo)[-4:] == [
        "complaint.received",
        "rectification.set",
        "complaint.replied",
        "rectification.done",
    ]


def test_a_complaint_reply_from_the_hub(demo):
    complaint_id, number = complaints.receive_complaint(
        demo.db,
        demo.ctx,
        complainant_name="周女士",
        facts="收费不透明",
        about=complaints.ComplaintAbout(department_code="MZJ"),
        shipped_calendar=demo.calendar,
    )
    change = protocol.Change(
        9,
        protocol.CHANGE_COMPLAINT_REPLY,
        "complaint",
        complaint_id,
        {
            "complaint_id": complaint_id,
            "number": number,
            "reply": "经核查收费符合标准",
            "by": "市电子政务办",
            "at": "2025-03-05T10:00:00+08:00",
        },
    )
    with demo.db.write() as session:
        apply_change(session, change, now=dt.datetime.now(dt.UTC))
        apply_change(session, change, now=dt.datetime.now(dt.UTC))
    [view] = complaints.list_complaints(demo.db, demo.ctx)
    assert (view.status, view.reply, view.replied_by) == ("replied", "经核查收费符合标准", "市电子政务办")
