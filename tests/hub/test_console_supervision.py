"""The supervision office in the console: red and yellow cards by center, department and
item with their cases; complaints, follow-ups and rectification tasks with deadlines;
replies and outcomes published to the windows; the refused changes and an administrator's
answer. Every right checked in the service, every change audited. SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from windowdesk.domain.time_limits import Light
from windowdesk.domain.uuid7 import new_uuid
from windowdesk.hub.errors import Conflict, Forbidden, InvalidInput
from windowdesk.hub.services import console_accounts as accounts
from windowdesk.hub.services import console_rights as rights
from windowdesk.hub.services import department_work, hub_audit, supervision, time_cards
from windowdesk.hub.services.figure_catchup import current_figures

from .conftest import EventFactory, Hub, Workstation, center_today, utc_now

FIRST = "Harbour-Lamp-4821"


def _actor(hub: Hub, login: str, role: str, department: str | None = None) -> rights.ConsoleActor:
    with hub.db.write() as session:
        user = accounts.create_user(
            session,
            by=None,
            login=login,
            display_name=login.title(),
            role=role,
            department_code=department,
            password=FIRST,
            now=utc_now(),
        )
        return accounts.actor_of(user)


@pytest.fixture
def window(hub: Hub, demo_catalog: None) -> Workstation:
    return hub.enroll("CH", "01")


@pytest.fixture
def people(hub: Hub, window: Workstation) -> dict[str, rights.ConsoleActor]:
    return {
        "supervisor": _actor(hub, "sup", rights.SUPERVISOR),
        "admin": _actor(hub, "admin", rights.ADMINISTRATOR),
        "clerk": _actor(hub, "gs.clerk", rights.DEPARTMENT, "GSJ"),
    }


def _day(offset: int) -> str:
    return (center_today() + dt.timedelta(days=offset)).isoformat()


def test_cards_count_late_and_near_cases_by_center_department_and_item(
    hub: Hub, window: Workstation, people: dict
) -> None:
    events = EventFactory()
    resident = events.resident()
    late_parallel = events.case(resident["entity_id"], item="GS-003", promised_date=_day(-5))
    late_ordinary = events.case(resident["entity_id"], item="MZ-002", promised_date=_day(-1))
    near = events.case(resident["entity_id"], item="MZ-002", promised_date=_day(0))
    far = events.case(resident["entity_id"], item="MZ-002", promised_date=_day(40))
    assert {s for s, _ in hub.push_results(window, [resident, late_parallel, late_ordinary, near, far])} == {"applied"}
    with hub.db.write(feed=True) as session:  # trade's part is done: the case is no longer late for trade
        department_work.decide(
            session, actor=people["clerk"], case_id=late_parallel["entity_id"], decision="approve", now=utc_now()
        )
    supervisor = people["supervisor"]

    with current_figures(hub.db) as session:
        by_center = time_cards.card_table(session, actor=supervisor, now=utc_now(), by="center")
        by_department = time_cards.card_table(session, actor=supervisor, now=utc_now(), by="department")
        by_item = time_cards.card_table(session, actor=supervisor, now=utc_now(), by="item")
        red_of_tax = time_cards.card_cases(session, actor=supervisor, now=utc_now(), light="red", department="SWJ")
        red_of_trade = time_cards.card_cases(session, actor=supervisor, now=utc_now(), light="red", department="GSJ")
        yellow_at_ch = time_cards.card_cases(session, actor=supervisor, now=utc_now(), light="yellow", center="CH")

    assert [(r.key, r.red, r.yellow) for r in by_center.rows] == [("CH", 2, 1)]
    assert (by_center.red, by_center.yellow) == (by_department.red, by_department.yellow) == (2, 1)
    assert {(r.key, r.red, r.yellow) for r in by_department.rows} == {("MZJ", 1, 1), ("ZJJ", 1, 0), ("SWJ", 1, 0)}
    assert {(r.key, r.red, r.yellow) for r in by_item.rows} == {("MZ-002", 1, 1), ("GS-003", 1, 0)}
    assert [c.case_id for c in red_of_tax.rows] == [late_parallel["entity_id"]] and red_of_trade.total == 0
    assert [(c.case_id, c.light) for c in yellow_at_ch.rows] == [(near["entity_id"], Light.YELLOW)]


def test_only_the_supervision_office_and_administrators_see_the_cards_and_the_voice(
    hub: Hub, window: Workstation, people: dict
) -> None:
    clerk = people["clerk"]
    with current_figures(hub.db) as session:
        for look in (
            lambda: time_cards.card_table(session, actor=clerk, now=utc_now()),
            lambda: time_cards.card_cases(session, actor=clerk, now=utc_now()),
            lambda: supervision.quality_summary(session, actor=clerk, now=utc_now()),
            lambda: supervision.complaints(session, actor=clerk, now=utc_now()),
            lambda: supervision.follow_ups(session, actor=clerk, now=utc_now()),
            lambda: supervision.rectifications(session, actor=clerk, now=utc_now()),
            lambda: supervision.refused(session, actor=clerk),
        ):
            with pytest.raises(Forbidden):
                look()
        assert supervision.quality_summary(session, actor=people["admin"], now=utc_now()).open_complaints == 0


def _voice(events: EventFactory, window: Workstation) -> dict[str, Any]:
    complaint_id, follow_up_id, rating_id, task_id = new_uuid(), new_uuid(), new_uuid(), new_uuid()
    complaint = events.event(
        "complaint.received",
        "complaint",
        complaint_id,
        {
            "id": complaint_id,
            "number": "TS-CH-01-2026-0001",
            "center": "CH",
            "window": window.window_id,
            "operator": new_uuid(),
            "complainant_name": "周女士",
            "complainant_phone": "13900000000",
            "about": {"window": window.window_id, "department": "MZJ"},
            "facts": "态度生硬，身份证230902196210010496",
            "owner": new_uuid(),
            "deadline": _day(-1),
            "received_at": events.clock.isoformat(),
        },
    )
    rating = events.event(
        "rating.given",
        "rating",
        rating_id,
        {
            "id": rating_id,
            "center": "CH",
            "window": window.window_id,
            "operator": new_uuid(),
            "level": 1,
            "reason": "排队久",
            "channel": "applicant_screen",
            "rated_at": events.clock.isoformat(),
            "case_id": None,
            "item": "MZ-001",
            "follow_up": {"id": follow_up_id, "owner": new_uuid(), "deadline": _day(3)},
        },
    )
    task = events.event(
        "rectification.set",
        "rectification",
        task_id,
        {
            "id": task_id,
            "complaint_id": complaint_id,
            "center": "CH",
            "task": "培训",
            "unit": "综合窗口",
            "responsible": "王晓燕",
            "deadline": _day(-2),
        },
    )
    return {"complaint": complaint, "rating": rating, "task": task, "follow_up_id": follow_up_id}


def test_complaints_follow_ups_and_tasks_with_their_deadlines_and_replies_reach_the_window(
    hub: Hub, window: Workstation, people: dict
) -> None:
    voice = _voice(EventFactory(), window)
    assert {s for s, _ in hub.push_results(window, [voice["complaint"], voice["rating"], voice["task"]])} == {"applied"}
    supervisor = people["supervisor"]
    with current_figures(hub.db) as session:
        summary = supervision.quality_summary(session, actor=supervisor, now=utc_now())
        [complaint] = supervision.complaints(session, actor=supervisor, now=utc_now()).rows
        [follow_up] = supervision.follow_ups(session, actor=supervisor, now=utc_now()).rows
        [task] = supervision.rectifications(session, actor=supervisor, now=utc_now()).rows
    assert (
        summary.open_complaints,
        summary.overdue_complaints,
        summary.open_follow_ups,
        summary.overdue_follow_ups,
        summary.open_rectifications,
        summary.overdue_rectifications,
    ) == (1, 1, 1, 0, 1, 1)
    assert complaint.overdue and "230902********0496" in complaint.facts and "196210010496" not in complaint.facts
    assert (follow_up.follow_up_id, follow_up.overdue, task.overdue) == (voice["follow_up_id"], False, True)
    # What the console's page asks of a row to offer its form (the members, not spelled words).
    assert complaint.is_open and follow_up.is_open
    cursor = hub.changes(window)["next_cursor"]

    with hub.db.write(feed=True) as session:
        supervision.reply_to_complaint(
            session,
            actor=supervisor,
            complaint_id=complaint.id,
            reply="已约谈窗口负责人",
            now=utc_now(),
            address="10.0.0.8",
        )
        supervision.record_follow_up_outcome(
            session, actor=supervisor, follow_up_id=follow_up.follow_up_id, outcome="已回访，申请人满意", now=utc_now()
        )
    with hub.db.write(feed=True) as session, pytest.raises(Conflict):
        supervision.reply_to_complaint(
            session, actor=supervisor, complaint_id=complaint.id, reply="again", now=utc_now()
        )
    with hub.db.write(feed=True) as session, pytest.raises(Forbidden):
        supervision.reply_to_complaint(
            session, actor=people["clerk"], complaint_id=complaint.id, reply="x", now=utc_now()
        )

    changes = hub.changes(window, after=cursor)["changes"]
    assert [(c["kind"], c["payload"].get("by")) for c in changes] == [
        ("complaint.reply", "Sup"),
        ("followup.outcome", "Sup"),
    ]
    with current_figures(hub.db) as session:
        actions = [(e.actor, e.action, e.entity_id) for e in hub_audit.recent(session, limit=2)]
        assert supervision.quality_summary(session, actor=supervisor, now=utc_now()).open_complaints == 0
        [replied] = supervision.complaints(session, actor=supervisor, now=utc_now(), open_only=False).rows
        [followed] = supervision.follow_ups(session, actor=supervisor, now=utc_now(), open_only=False).rows
    assert not replied.is_open and not followed.is_open and followed.outcome == "已回访，申请人满意"
    assert actions == [
        ("console:sup", "follow_up.outcome_recorded", follow_up.follow_up_id),
        ("console:sup", "complaint.replied", complaint.id),
    ]


def test_refused_changes_are_listed_and_only_an_administrator_answers_one_once(
    hub: Hub, window: Workstation, people: dict, events: EventFactory
) -> None:
    refused = events.status(new_uuid(), "start_review")  # a case the hub does not have
    [(status, _reason)] = hub.push_results(window, [refused])
    assert status == "rejected"
    supervisor, admin = people["supervisor"], people["admin"]
    with current_figures(hub.db) as session:
        found, answers = supervision.refused(session, actor=supervisor)
    assert [c.event_id for c in found.changes] == [refused["event_id"]] and answers == {}

    with hub.db.write() as session, pytest.raises(Forbidden):
        supervision.answer_refused_change(
            session, actor=supervisor, event_id=refused["event_id"], answer="x", now=utc_now()
        )
    with hub.db.write() as session, pytest.raises(InvalidInput):
        supervision.answer_refused_change(session, actor=admin, event_id=refused["event_id"], answer=" ", now=utc_now())
    with hub.db.write() as session:
        supervision.answer_refused_change(
            session,
            actor=admin,
            event_id=refused["event_id"],
            answer="请重新受理该办件后再同步",
            now=utc_now(),
            address="10.0.0.9",
        )
    with hub.db.write() as session, pytest.raises(Conflict):
        supervision.answer_refused_change(
            session, actor=admin, event_id=refused["event_id"], answer="again", now=utc_now()
        )
    with current_figures(hub.db) as session:
        _found, answers = supervision.refused(session, actor=supervisor)
        [entry] = [
            (e.actor, e.action, e.address)
            for e in hub_audit.entries_for(session, entity="pushed_event", entity_id=refused["event_id"])
        ]
    assert (answers[refused["event_id"]].by, answers[refused["event_id"]].text) == ("Admin", "请重新受理该办件后再同步")
    assert entry == ("console:admin", "refused_change.answered", "10.0.0.9")
