"""Time that does not count at the window: a hearing, an inspection/test/appraisal or an
expert review suspends a case like the wait for materials, on record (who, when, why),
with its written notice, on the timeline, on the watch, in the inquiry and in the reports.

Dates around National Day 2025 (1-8 October off; Sun 28 Sep and Sat 11 Oct make-up
working days)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
from zoneinfo import ZoneInfo

import pypdf
import pytest

from windowdesk.domain.case_state import CaseAction
from windowdesk.domain.time_limits import Light
from windowdesk.errors import NotFoundError, ValidationError
from windowdesk.i18n import set_locale
from windowdesk.printing.render import render_document
from windowdesk.services import applicants, cases, documents, intake, reports, worklist
from windowdesk.services.catalog import get_item_guide
from windowdesk.services.sync_apply import apply_change
from windowdesk.storage.models import AuditEntry, Case, OutboxEvent
from windowdesk.sync import protocol

SHANGHAI = ZoneInfo("Asia/Shanghai")
DEMO_ID = "230902196210010496"  # 王建国 in resources/demo/residents.json


def at(ctx, when: str):
    moment = dt.datetime.fromisoformat(when).replace(tzinfo=SHANGHAI)
    return dataclasses.replace(ctx, clock=lambda: moment)


def accept(demo, item: str, when: str) -> intake.IntakeResult:
    who = applicants.find_residents(demo.db, demo.ctx, query=DEMO_ID)[0].ref
    guide = get_item_guide(demo.db, item_code=item)
    return intake.accept_case(
        demo.db,
        at(demo.ctx, when),
        item_code=item,
        applicant=who,
        checks=[intake.MaterialCheck(m.code, "received") for m in guide.materials],
        shipped_calendar=demo.calendar,
    )


def suspend(demo, case_id: str, when: str, kind: str | None, note: str = "需组织听证") -> str:
    return cases.change_status(
        demo.db, at(demo.ctx, when), case_id=case_id, action=CaseAction.SUSPEND, suspension_kind=kind, note=note
    )


def resume(demo, case_id: str, when: str, note: str = "") -> str:
    return cases.change_status(demo.db, at(demo.ctx, when), case_id=case_id, action=CaseAction.RESUME, note=note)


def outbox_payloads(demo) -> list[dict]:
    with demo.db.read() as session:
        return [e.payload for e in session.query(OutboxEvent).order_by(OutboxEvent.seq) if e.kind == "case.status"]


def test_a_hearing_is_recorded_sent_and_shown_with_its_kind(demo):
    case = accept(demo, "MZ-001", "2025-09-29 09:00")
    assert suspend(demo, case.id, "2025-09-30 10:00", "hearing", "申请人要求听证") == "suspended"
    sent = outbox_payloads(demo)[-1]
    assert (sent["action"], sent["suspension_kind"], sent["note"]) == ("suspend", "hearing", "申请人要求听证")
    with demo.db.read() as session:
        detail = session.query(AuditEntry).filter(AuditEntry.action == "case.suspend").one().detail
    assert detail["suspension_kind"] == "hearing"

    clock = cases.case_clock(demo.db, at(demo.ctx, "2025-10-13 10:00"), case_id=case.id, shipped_calendar=demo.calendar)
    assert clock.suspension_kind == "hearing" and clock.state.used == 1 and clock.state.suspended == 4
    words = cases.inquire(
        demo.db, at(demo.ctx, "2025-10-13 10:00"), case_number=case.number, shipped_calendar=demo.calendar
    )
    assert "Suspended for a hearing" in words and "does not count" in words
    detail = worklist.get_record_detail(demo.db, demo.ctx, kind="case", record_id=case.id)
    assert detail.state == "Suspended for a hearing"
    step = detail.timeline[-1]
    assert (step.label, step.note, step.who) == ("Suspended for a hearing", "申请人要求听证", "王晓燕")


def test_a_hearing_ends_only_with_its_outcome_on_record_materials_without(demo):
    hearing = accept(demo, "MZ-001", "2025-09-29 09:00")
    suspend(demo, hearing.id, "2025-09-30 10:00", "hearing")
    with pytest.raises(ValidationError) as refused:
        resume(demo, hearing.id, "2025-10-14 10:00")
    assert "outcome" in refused.value.message and "hearing" in refused.value.message
    assert resume(demo, hearing.id, "2025-10-14 10:00", "听证会已举行，记录附卷") == "in_progress"
    assert outbox_payloads(demo)[-1]["note"] == "听证会已举行，记录附卷"
    assert "suspension_kind" not in outbox_payloads(demo)[-1]
    waiting = accept(demo, "MZ-001", "2025-09-29 09:30")
    suspend(demo, waiting.id, "2025-09-30 10:00", None, "缺收入证明")  # no kind: the wait for materials
    assert outbox_payloads(demo)[-1]["suspension_kind"] == "materials"
    assert resume(demo, waiting.id, "2025-10-09 10:00") == "in_progress"


def test_a_kind_is_checked(demo):
    case = accept(demo, "MZ-001", "2025-09-29 09:00")
    with pytest.raises(ValidationError):
        suspend(demo, case.id, "2025-09-30 10:00", "holiday")
    with pytest.raises(ValidationError):
        cases.change_status(
            demo.db, demo.ctx, case_id=case.id, action=CaseAction.WITHDRAW, note="撤回", suspension_kind="hearing"
        )
    with pytest.raises(ValidationError):  # a suspension says why
        suspend(demo, case.id, "2025-09-30 10:00", "inspection", note=" ")
    assert cases.case_clock(demo.db, demo.ctx, case_id=case.id, shipped_calendar=demo.calendar).status == "accepted"


def test_the_watch_names_the_kind_and_leaves_the_suspended_days_out(demo):
    # LB-006 promises 3 working days. Accepted Mon 29 Sep, sent for expert review on the
    # 30th: by Mon 13 Oct only the 30th counts, so it is green and off the watch; a case
    # of the same day without a suspension is red.
    reviewed = accept(demo, "LB-006", "2025-09-29 09:00")
    plain = accept(demo, "LB-006", "2025-09-29 09:10")
    suspend(demo, reviewed.id, "2025-09-30 10:00", "expert_review", "提交专家评审委员会")
    today = at(demo.ctx, "2025-10-13 09:00")
    late = cases.late_cases(demo.db, today, shipped_calendar=demo.calendar)
    assert [c.case_id for c in late] == [plain.id]
    # Two more working days of review: its promised date is still moved, never reached.
    inspected = accept(demo, "LB-002", "2025-10-09 09:00")  # 1 promised day
    suspend(demo, inspected.id, "2025-10-10 09:00", "inspection", "送检")
    late = cases.late_cases(demo.db, at(demo.ctx, "2025-10-10 17:00"), shipped_calendar=demo.calendar)
    found = {c.case_id: c for c in late}
    assert found[inspected.id].state.light is Light.YELLOW and found[inspected.id].suspension_kind == "inspection"
    assert cases.late_list_row(found[inspected.id])[4] == "Suspended for inspection, testing or appraisal"
    assert found[plain.id].suspension_kind is None


def approve(demo, case_id: str, seq: int, when: str) -> None:
    change = protocol.Change(
        seq,
        protocol.CHANGE_DECISION,
        "case",
        case_id,
        {
            "case_id": case_id,
            "case_number": "x",
            "decision": "approve",
            "department": "X",
            "note": "",
            "status": "approved",
            "at": dt.datetime.fromisoformat(when).replace(tzinfo=SHANGHAI).isoformat(),
        },
    )
    with demo.db.write() as session:
        apply_change(session, change, now=dt.datetime.now(dt.UTC))


def test_the_window_report_counts_a_hearing_across_national_day_as_time_that_does_not_count(demo):
    # LB-006 (3 promised days): accepted Mon 29 Sep, hearing from Tue 30 Sep to Tue 14 Oct,
    # completed Wed 15 Oct: 30 Sep, 14 and 15 Oct counted, on time (7 days without it).
    heard = accept(demo, "LB-006", "2025-09-29 09:00")
    suspend(demo, heard.id, "2025-09-30 10:00", "hearing")
    resume(demo, heard.id, "2025-10-14 09:00", "听证结束")
    approve(demo, heard.id, 1, "2025-10-14 15:00")
    cases.change_status(demo.db, at(demo.ctx, "2025-10-15 10:00"), case_id=heard.id, action=CaseAction.COMPLETE)
    # LB-002 (1 promised day) accepted Thu 9 Oct, sent for inspection the same day and
    # still there on the 17th: not overdue.
    inspected = accept(demo, "LB-002", "2025-10-09 09:00")
    suspend(demo, inspected.id, "2025-10-09 15:00", "inspection", "送检")
    report = reports.performance_report(
        demo.db,
        at(demo.ctx, "2025-10-20 09:00"),
        start=dt.date(2025, 10, 1),
        end=dt.date(2025, 10, 17),
        by="center",
        shipped_calendar=demo.calendar,
    )
    total = report.total
    assert (total.accepted, total.completed, total.on_time, total.late, total.open_overdue) == (1, 1, 1, 0, 0)
    assert total.handling_days == 3


def _pdf_text(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return re.sub(r"\s+", "", "".join(page.extract_text() or "" for page in reader.pages))


def test_the_suspension_notice_is_printed_and_read_back(demo):
    case = accept(demo, "MZ-001", "2025-09-29 09:00")
    with pytest.raises(NotFoundError):
        documents.suspension_notice_data(demo.db, demo.ctx, case.id)
    suspend(demo, case.id, "2025-09-30 10:00", "inspection", "房屋结构安全鉴定")
    set_locale("zh_CN")
    try:
        text = _pdf_text(render_document(documents.suspension_notice_data(demo.db, demo.ctx, case.id)))
        assert "中止" in text and "检验" in text and "房屋结构安全鉴定" in text and case.number in text
        assert "第四十五条" in text and DEMO_ID not in text and DEMO_ID[:6] in text
        resume(demo, case.id, "2025-10-14 10:00", "鉴定报告已出具")
        later = documents.suspension_notice_data(demo.db, demo.ctx, case.id)
        text = _pdf_text(render_document(later, reprint=True))
        assert later.ended_at is not None and "鉴定报告已出具" in text and "王晓燕" in text
    finally:
        set_locale("en")


def _counted(demo, case_id: str) -> tuple[int, dt.datetime | None]:
    with demo.db.read() as session:
        case = session.get(Case, case_id)
        return case.suspensions, case.finished_at


def test_the_windows_steps_are_counted_in_the_cases_row_by_the_window_itself(demo):
    """0024 dropped 0007's triggers: a window's own steps count the case's suspensions
    and its finish time (its first step into a finishing status) in the case's row, which
    the reports and the watch read by index."""
    case = accept(demo, "MZ-001", "2025-09-29 09:00")
    assert _counted(demo, case.id) == (0, None)
    suspend(demo, case.id, "2025-09-30 10:00", None, "缺少收入证明原件")
    resume(demo, case.id, "2025-10-09 10:00")
    suspend(demo, case.id, "2025-10-10 10:00", None, "缺少户口簿原件")
    assert _counted(demo, case.id) == (2, None)
    cases.change_status(
        demo.db, at(demo.ctx, "2025-10-13 10:00"), case_id=case.id, action=CaseAction.WITHDRAW, note="申请人撤回"
    )
    withdrawn = dt.datetime(2025, 10, 13, 10, 0, tzinfo=SHANGHAI)
    assert _counted(demo, case.id) == (2, withdrawn)
    with demo.db.read() as session:
        # Counted by the window: no trigger on the steps' table is left to do it.
        triggers = session.connection().exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'case_events'"
        )
        assert triggers.all() == []
