"""Time that does not count, at the hub: a window's suspension names its kind, the hub
keeps it and refuses a kind it does not know, and the city report leaves every kind's
days out of the clock (National Day 2025: 1-8 October off, Sat 11 October a make-up
working day). On SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select

from windowdesk.hub.services.figure_catchup import current_figures
from windowdesk.hub.storage.models import CaseEvent

from .conftest import EventFactory, Hub, Workstation


@pytest.fixture
def window(hub: Hub, demo_catalog: None) -> Workstation:
    return hub.enroll("CH", "01")


def _at(day: str, hour: int = 2) -> dt.datetime:  # 10:00 in Shanghai
    return dt.datetime.fromisoformat(f"{day}T{hour:02d}:00:00+00:00")


def _steps(hub: Hub, case_id: str) -> list[tuple[Any, ...]]:
    with current_figures(hub.db) as session:
        return [
            tuple(row)
            for row in session.execute(
                select(CaseEvent.action, CaseEvent.to_status, CaseEvent.suspension_kind, CaseEvent.note)
                .where(CaseEvent.case_id == case_id)
                .order_by(CaseEvent.seq)
            )
        ]


def test_the_hub_keeps_the_kind_of_each_suspension(hub: Hub, window: Workstation, events: EventFactory) -> None:
    resident = events.resident()
    case = events.case(resident["entity_id"])
    case_id = case["entity_id"]
    batch = [
        resident,
        case,
        events.status(case_id, "suspend", suspension_kind="expert_review", note="提交专家评审"),
        events.status(case_id, "resume", note="评审通过"),
        events.status(case_id, "suspend", note="缺户口簿"),
    ]  # a window from before kinds: materials
    assert {status for status, _reason in hub.push_results(window, batch)} == {"applied"}
    assert _steps(hub, case_id) == [
        (None, "accepted", None, ""),
        ("suspend", "suspended", "expert_review", "提交专家评审"),
        ("resume", "in_progress", None, "评审通过"),
        ("suspend", "suspended", "materials", "缺户口簿"),
    ]


def test_a_kind_the_hub_does_not_know_or_on_another_step_is_refused(
    hub: Hub, window: Workstation, events: EventFactory
) -> None:
    resident = events.resident()
    case = events.case(resident["entity_id"])
    case_id = case["entity_id"]
    assert {s for s, _ in hub.push_results(window, [resident, case])} == {"applied"}
    [(status, reason)] = hub.push_results(window, [events.status(case_id, "suspend", suspension_kind="holiday")])
    assert status == "rejected" and "holiday" in reason and "hearing" in reason
    [(status, reason)] = hub.push_results(
        window, [events.status(case_id, "withdraw", suspension_kind="hearing", note="撤回")]
    )
    assert status == "rejected"
    assert _steps(hub, case_id) == [(None, "accepted", None, "")]


def test_the_city_report_leaves_every_kind_of_suspension_out_of_the_clock(hub: Hub, window: Workstation) -> None:
    # LB-006 promises 3 working days. Accepted Mon 29 Sep; a hearing from Tue 30 Sep to
    # Tue 14 Oct; completed Wed 15 Oct: 30 Sep, 14, 15 Oct count (on time; 7 without it).
    # LB-002 (1 day): accepted Thu 9 Oct, sent for inspection the same day, still there
    # on the 17th: not overdue. Another LB-002 of the 9th never suspended: overdue.
    events = EventFactory(clock=_at("2025-09-29", 1))
    resident = events.resident()
    heard = events.case(resident["entity_id"], item="LB-006", number="CH-20250929-01-0001")
    batch = [resident, heard]

    def step(case: dict[str, Any], action: str, day: str, **more: Any) -> None:
        events.clock = _at(day)
        batch.append(events.status(case["entity_id"], action, **more))

    step(heard, "suspend", "2025-09-30", suspension_kind="hearing", note="听证")
    step(heard, "resume", "2025-10-14", note="听证结束")
    step(heard, "approve", "2025-10-15")
    step(heard, "complete", "2025-10-15")
    events.clock = _at("2025-10-09", 1)
    inspected = events.case(resident["entity_id"], item="LB-002", number="CH-20251009-01-0001")
    plain = events.case(resident["entity_id"], item="LB-002", number="CH-20251009-01-0002")
    batch += [inspected, plain]
    step(inspected, "suspend", "2025-10-09", suspension_kind="inspection", note="送检")
    assert {status for status, _reason in hub.push_results(window, batch)} == {"applied"}

    with current_figures(hub.db) as session:
        from windowdesk.hub.services.reports import city_report, report_json

        total = report_json(city_report(session, start=dt.date(2025, 10, 1), end=dt.date(2025, 10, 17)))["total"]
    assert (total["accepted"], total["completed"], total["on_time"], total["late"], total["open_overdue"]) == (
        2,
        1,
        1,
        0,
        1,
    )
