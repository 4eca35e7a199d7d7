"""A case after intake: status changes, clock, late-case watch, status inquiry."""

from __future__ import annotations

import dataclasses
import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from windowdesk.domain.case_state import CaseAction, InvalidTransition
from windowdesk.domain.delivery import Handover
from windowdesk.domain.time_limits import Light
from windowdesk.errors import NotFoundError, ValidationError
from windowdesk.services import applicants, auth, cases, intake, worklist
from windowdesk.services.authorization import PermissionDenied
from windowdesk.services.catalog import get_item_guide
from windowdesk.storage.models import OutboxEvent

SHANGHAI = ZoneInfo("Asia/Shanghai")
ITEM = "MZ-001"
DEMO_ID = "230902196210010496"  # 王建国 in resources/demo/residents.json


def at(ctx, when: str):
    moment = dt.datetime.fromisoformat(when).replace(tzinfo=SHANGHAI)
    return dataclasses.replace(ctx, clock=lambda: moment)


def accept(demo, when: str) -> intake.IntakeResult:
    ctx = at(demo.ctx, when)
    who = applicants.find_residents(demo.db, demo.ctx, query="2309")[0].ref
    guide = get_item_guide(demo.db, item_code=ITEM)
    checks = [intake.MaterialCheck(m.code, "received") for m in guide.materials]
    return intake.accept_case(
        demo.db, ctx, item_code=ITEM, applicant=who, checks=checks, shipped_calendar=demo.calendar
    )


def test_suspend_resume_complete_deliver_with_timeline_and_outbox(demo):
    case = accept(demo, "2025-03-03 09:00")
    cases.change_status(
        demo.db, at(demo.ctx, "2025-03-05 10:00"), case_id=case.id, action=CaseAction.SUSPEND, note="缺少收入证明原件"
    )
    clock = cases.case_clock(demo.db, at(demo.ctx, "2025-03-07 10:00"), case_id=case.id, shipped_calendar=demo.calendar)
    assert clock.status == "suspended" and clock.state.used == 2
    cases.change_status(demo.db, at(demo.ctx, "2025-03-10 10:00"), case_id=case.id, action=CaseAction.RESUME)
    with pytest.raises(InvalidTransition):
        cases.change_status(
            demo.db,
            at(demo.ctx, "2025-03-10 11:00"),
            case_id=case.id,
            action=CaseAction.DELIVER,
            delivery=Handover("window", DEMO_ID, "王建国"),
        )
    with pytest.raises(ValidationError):
        cases.change_status(demo.db, demo.ctx, case_id=case.id, action=CaseAction.APPROVE)
    detail = worklist.get_record_detail(demo.db, demo.ctx, kind="case", record_id=case.id)
    assert [step.label for step in detail.timeline][-2:] == ["Waiting for supplementary materials", "Under review"]
    with demo.db.read() as session:
        kinds = [
            (e.kind, e.payload.get("action"))
            for e in session.query(OutboxEvent).order_by(OutboxEvent.seq)
            if e.kind != "audit.entry"
        ]
    assert kinds[-2:] == [("case.status", "suspend"), ("case.status", "resume")]


def test_a_withdrawal_needs_its_reason(demo):
    case = accept(demo, "2025-03-03 09:00")
    with pytest.raises(ValidationError):
        cases.change_status(demo.db, demo.ctx, case_id=case.id, action=CaseAction.WITHDRAW)  # no reason
    cases.change_status(demo.db, demo.ctx, case_id=case.id, action=CaseAction.WITHDRAW, note="申请人撤回")
    detail = worklist.get_record_detail(demo.db, demo.ctx, kind="case", record_id=case.id)
    assert detail.state == "Withdrawn"


def test_late_cases_are_listed_oldest_first(demo):
    old = accept(demo, "2025-02-03 09:00")
    newer = accept(demo, "2025-02-10 09:00")  # 19 of 20 days used by 7 March: yellow
    accept(demo, "2025-03-06 09:00")
    today = at(demo.ctx, "2025-03-07 09:00")
    late = cases.late_cases(demo.db, today, shipped_calendar=demo.calendar)
    assert [c.case_id for c in late] == [old.id, newer.id]
    assert late[0].state.light is Light.RED and late[1].state.light is Light.YELLOW
    whole = cases.late_cases(demo.db, today, shipped_calendar=demo.calendar, whole_center=True)
    assert [c.case_id for c in whole] == [old.id, newer.id]


def test_center_wide_watch_needs_a_supervisor(demo):
    auth.create_operator(
        demo.db, demo.ctx, login="li", display_name="李明", role="operator", initial_password="Start2026x"
    )
    clerk = auth.log_in(demo.db, login="li", password="Start2026x").ctx
    with pytest.raises(PermissionDenied):
        cases.late_cases(demo.db, clerk, shipped_calendar=demo.calendar, whole_center=True)


def test_inquiry_reads_aloud(demo):
    case = accept(demo, "2025-09-30 10:00")
    words = cases.inquire(
        demo.db,
        at(demo.ctx, "2025-10-09 10:00"),
        case_number=" " + case.number.lower() + " ",
        shipped_calendar=demo.calendar,
    )
    assert case.number in words and "Accepted" in words and "working days from now" in words
    with pytest.raises(NotFoundError) as caught:
        cases.inquire(demo.db, demo.ctx, case_number="CH-20250101-01-9999", shipped_calendar=demo.calendar)
    assert "check the number" in caught.value.message
    with pytest.raises(ValidationError):
        cases.inquire(demo.db, demo.ctx, case_number="not a number", shipped_calendar=demo.calendar)


def test_the_watch_shows_each_case_with_the_clock_of_its_whole_timeline(demo):
    """The watch reads only what can move a clock (open statuses, suspension steps) and
    shares one clock among unsuspended cases of an item and day; every clock it shows
    must still be the one the case's whole timeline gives."""
    other_window = dataclasses.replace(demo.ctx, window_id="CH-02", window_code="02")
    made = []
    for number, day in enumerate(
        ("2025-02-03", "2025-02-03", "2025-02-05", "2025-02-10", "2025-02-12", "2025-02-17", "2025-02-19", "2025-02-24")
    ):
        ctx = other_window if number % 3 == 2 else demo.ctx
        who = applicants.find_residents(demo.db, demo.ctx, query="2309")[0].ref
        guide = get_item_guide(demo.db, item_code=ITEM)
        made.append(
            intake.accept_case(
                demo.db,
                at(ctx, f"{day} 09:0{number}"),
                item_code=ITEM,
                applicant=who,
                checks=[intake.MaterialCheck(m.code, "received") for m in guide.materials],
                shipped_calendar=demo.calendar,
            ).id
        )
    suspend = lambda case, when: cases.change_status(  # noqa: E731
        demo.db, at(demo.ctx, when), case_id=case, action=CaseAction.SUSPEND, note="缺材料"
    )
    suspend(made[1], "2025-02-05 10:00")  # resumed a week later
    cases.change_status(demo.db, at(demo.ctx, "2025-02-12 10:00"), case_id=made[1], action=CaseAction.RESUME)
    suspend(made[3], "2025-02-12 10:00")  # still waiting: its clock stands still
    suspend(made[4], "2025-02-13 10:00")  # suspended twice
    cases.change_status(demo.db, at(demo.ctx, "2025-02-14 10:00"), case_id=made[4], action=CaseAction.RESUME)
    suspend(made[4], "2025-02-20 10:00")
    cases.change_status(demo.db, at(demo.ctx, "2025-02-21 10:00"), case_id=made[4], action=CaseAction.RESUME)
    cases.change_status(
        demo.db, at(demo.ctx, "2025-02-20 10:00"), case_id=made[6], action=CaseAction.WITHDRAW, note="申请人撤回"
    )
    today = at(demo.ctx, "2025-03-14 09:00")

    whole = cases.late_cases(demo.db, today, shipped_calendar=demo.calendar, whole_center=True)
    own = cases.late_cases(demo.db, today, shipped_calendar=demo.calendar)

    assert made[6] not in {c.case_id for c in whole}  # withdrawn: off the watch
    assert {c.case_id for c in own} == {c.case_id for c in whole} - {made[2], made[5]}  # the other window's
    assert made[3] not in {c.case_id for c in whole}  # waiting for materials since day 7 of 20: green
    assert {made[0], made[1], made[2], made[4]} <= {c.case_id for c in whole}
    for shown in whole:
        own_clock = cases.case_clock(demo.db, today, case_id=shown.case_id, shipped_calendar=demo.calendar)
        assert shown.state == own_clock.state, shown.case_number
        assert shown.state.light in (Light.YELLOW, Light.RED)
    assert [c.state.promised_due for c in whole] == sorted(c.state.promised_due for c in whole)
