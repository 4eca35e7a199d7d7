"""出件 / 送达 at the hub: the applicant's choice and the handover a window pushes are kept
without personal data (the address masked, no collector's name, no whole ID number), and
damaged ones are refused. On SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from windowdesk.hub.services.figure_catchup import current_figures
from windowdesk.hub.storage.models_delivery import CaseDelivery, CaseHandover

from .conftest import EventFactory, Hub, Workstation

ADDRESS = "黑龙江省七台河市桃山区学府街12号3单元501"


@pytest.fixture
def window(hub: Hub, demo_catalog: None) -> Workstation:
    return hub.enroll("CH", "01")


def _handover(**changes: Any) -> dict[str, Any]:
    return {
        "mode": "window",
        "collector_name": "李四",
        "collector_id_masked": "230902********123X",
        "agent": True,
        "power_of_attorney": "委托书",
        "read_from_card": True,
        "waybill": "",
        "locker_code": "",
        **changes,
    }


def _to_completion(events: EventFactory, case_id: str) -> list[dict[str, Any]]:
    return [events.status(case_id, action) for action in ("start_review", "approve", "complete")]


def test_the_choice_and_the_handover_are_kept_without_personal_data(
    hub: Hub, window: Workstation, events: EventFactory
) -> None:
    resident = events.resident()
    posted = events.case(resident["entity_id"], delivery={"mode": "post", "address": ADDRESS, "locker": ""})
    collected = events.case(resident["entity_id"], delivery={"mode": "window", "address": "", "locker": ""})
    old = events.case(resident["entity_id"])  # a window from before the choice
    batch = [resident, posted, collected, old]
    batch += _to_completion(events, posted["entity_id"]) + _to_completion(events, collected["entity_id"])
    batch += [
        events.status(
            posted["entity_id"],
            "deliver",
            handover=_handover(
                mode="post", waybill="EA123456789CN", collector_id_masked="", agent=False, read_from_card=False
            ),
        ),
        events.status(collected["entity_id"], "deliver", handover=_handover()),
    ]
    assert {status for status, _reason in hub.push_results(window, batch)} == {"applied"}
    with current_figures(hub.db) as session:
        choices = {row.case_id: (row.mode, row.address_masked) for row in session.scalars(select(CaseDelivery))}
        handovers = {
            row.case_id: (row.mode, row.waybill, row.collector_id_masked, row.by_agent, row.read_from_card)
            for row in session.scalars(select(CaseHandover))
        }
    assert choices == {
        posted["entity_id"]: ("post", "黑龙江省七台河市桃山区****"),
        collected["entity_id"]: ("window", ""),
    }
    assert handovers == {
        posted["entity_id"]: ("post", "EA123456789CN", "", False, False),
        collected["entity_id"]: ("window", "", "230902********123X", True, True),
    }


@pytest.mark.parametrize(
    "delivery,handover,words",
    [
        ({"mode": "drone"}, None, "drone"),
        ({"mode": "post", "address": ""}, None, "address"),
        (None, _handover(collector_id_masked="23090219800101123X"), "masked"),
        (None, _handover(mode="post", waybill=""), "waybill"),
    ],
)
def test_a_damaged_choice_or_handover_is_refused(
    hub: Hub, window: Workstation, events: EventFactory, delivery, handover, words
) -> None:
    resident = events.resident()
    case = events.case(resident["entity_id"], **({"delivery": delivery} if delivery else {}))
    batch = [resident, case]
    if handover is not None:
        batch += [
            *_to_completion(events, case["entity_id"]),
            events.status(case["entity_id"], "deliver", handover=handover),
        ]
    results = hub.push_results(window, batch)
    status, reason = results[1] if delivery else results[-1]
    assert status == "rejected" and words in reason


def test_the_city_report_watches_the_delivery_deadline(hub: Hub, window: Workstation) -> None:
    """Decided Tue 30 Sep 2025, so due by Tue 21 Oct (National Day between): one result
    delivered on the 22nd (late), one still waiting at the end of October (overdue)."""
    import datetime as dt

    from windowdesk.hub.services.reports import city_report, report_json

    def at(day: str) -> dt.datetime:
        return dt.datetime.fromisoformat(f"{day}T02:00:00+00:00")

    events = EventFactory(clock=at("2025-09-26"))
    resident = events.resident()
    late = events.case(resident["entity_id"], item="LB-006", number="CH-20250926-01-0001")
    waiting = events.case(resident["entity_id"], item="LB-006", number="CH-20250926-01-0002")
    batch = [resident, late, waiting]
    events.clock = at("2025-09-30")
    for case in (late, waiting):
        batch += _to_completion(events, case["entity_id"])
    events.clock = at("2025-10-22")
    batch.append(
        events.status(
            late["entity_id"],
            "deliver",
            handover=_handover(mode="post", waybill="EA123456789CN", collector_id_masked=""),
        )
    )
    assert {status for status, _reason in hub.push_results(window, batch)} == {"applied"}
    with current_figures(hub.db) as session:
        total = report_json(city_report(session, start=dt.date(2025, 10, 1), end=dt.date(2025, 10, 31)))["total"]
    assert (total["delivered"], total["delivered_late"], total["delivery_overdue"]) == (1, 1, 1)
