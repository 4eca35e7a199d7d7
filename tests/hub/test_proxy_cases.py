"""帮办代办 at the hub (SQLite and PostgreSQL): a case a window accepted from an agent
arrives with its agent and power of attorney, the rules refuse what no window may send,
and the city-wide report counts proxy cases apart."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select

from windowdesk.hub.services.figure_catchup import current_figures
from windowdesk.hub.services.reports import city_report
from windowdesk.hub.storage.models import Case, CaseProxy

from .conftest import EventFactory, Hub, Workstation

ACCEPTED_AT = dt.datetime(2025, 10, 9, 2, 0, tzinfo=dt.UTC)  # 10:00 in Shanghai


@pytest.fixture
def window(hub: Hub, demo_catalog: None) -> Workstation:
    return hub.enroll("CH", "01")


@pytest.fixture
def events() -> EventFactory:
    return EventFactory(clock=ACCEPTED_AT)


def _proxy(agent_id: str, signed: str = "2025-10-08") -> dict[str, Any]:
    return {"agent": {"kind": "resident", "id": agent_id}, "power_of_attorney_date": signed}


def test_a_proxy_case_reaches_the_hub_with_its_agent_and_is_counted_apart(
    hub: Hub, window: Workstation, events: EventFactory
) -> None:
    principal, agent = events.resident(), events.resident(name="刘志强", id_number="23090319760509009X")
    in_person = events.case(principal["entity_id"], item="LB-002")
    by_agent = events.case(principal["entity_id"], item="LB-002", proxy=_proxy(agent["entity_id"]))

    results = hub.push_results(window, [principal, agent, in_person, by_agent])

    assert [status for status, _reason in results] == ["applied"] * 4
    with current_figures(hub.db) as session:
        [row] = session.scalars(select(CaseProxy)).all()
        assert (row.case_id, row.agent_resident_id, row.power_of_attorney_date) == (
            by_agent["entity_id"],
            agent["entity_id"],
            dt.date(2025, 10, 8),
        )
        assert session.get(Case, in_person["entity_id"]) is not None
        report = city_report(session, start=dt.date(2025, 10, 1), end=dt.date(2025, 10, 31), by="center")
    assert (report.total.accepted, report.total.proxy_accepted) == (2, 1)


def test_proxy_details_no_window_may_send_are_refused_with_plain_reasons(
    hub: Hub, window: Workstation, events: EventFactory
) -> None:
    principal, agent = events.resident(), events.resident(name="刘志强", id_number="23090319760509009X")
    assert [s for s, _r in hub.push_results(window, [principal, agent])] == ["applied", "applied"]
    elsewhere = EventFactory(center="JD01", window="JD01-01", clock=ACCEPTED_AT)
    stranger = elsewhere.resident(name="陈丽娟", id_number="230904198312141608")
    assert hub.push_results(hub.enroll("JD01", "01"), [stranger])[0][0] == "applied"
    case = lambda proxy: events.case(principal["entity_id"], item="LB-002", proxy=proxy)  # noqa: E731
    batch = [
        case({"agent": agent["entity_id"]}),  # not {"kind", "id"}
        case(_proxy(stranger["entity_id"])),  # registered at another center
        case(_proxy(principal["entity_id"])),  # the applicant as their own agent
        case(_proxy(agent["entity_id"], signed="8 October")),
        case(_proxy(agent["entity_id"], signed="2025-10-11")),  # after the acceptance
    ]

    results = hub.push_results(window, batch)

    assert [status for status, _reason in results] == ["rejected"] * len(batch)
    reasons = [reason for _status, reason in results]
    assert "must name its agent" in reasons[0]
    assert "is not registered on the hub at this center" in reasons[1]
    assert "is its applicant" in reasons[2]
    assert "power_of_attorney_date is not an ISO date" in reasons[3]
    assert "dated after the case was accepted" in reasons[4]
    with current_figures(hub.db) as session:
        assert session.scalars(select(CaseProxy)).all() == []
        assert session.scalars(select(Case)).all() == []


def _record(events: EventFactory, kind: str, prefix: str, applicant_id: str, n: int, **more: Any) -> dict[str, Any]:
    from windowdesk.domain.uuid7 import new_uuid

    record_id = new_uuid()
    return events.event(
        f"{kind}.given",
        kind,
        record_id,
        {
            "id": record_id,
            "number": f"{prefix}-CH-20251009-01-000{n}",
            "center": "CH",
            "window": "CH-01",
            "operator": new_uuid(),
            "item": "LB-002",
            "applicant": {"kind": "resident", "id": applicant_id},
            "created_at": ACCEPTED_AT.isoformat(),
            "note": "",
            "entries": [],
            "reason": "不属于受理范围",
            "legal_basis": "第三十二条",
            **more,
        },
    )


def test_a_notification_and_a_refusal_given_to_an_agent_keep_the_agent_at_the_hub(
    hub: Hub, window: Workstation, events: EventFactory
) -> None:
    from windowdesk.hub.storage.models import Notification, Refusal

    principal, agent = events.resident(), events.resident(name="刘志强", id_number="23090319760509009X")
    notice = _record(events, "notification", "GZ", principal["entity_id"], 1, proxy=_proxy(agent["entity_id"]))
    refusal = _record(events, "refusal", "BY", principal["entity_id"], 1, proxy=_proxy(agent["entity_id"]))
    in_person = _record(events, "notification", "GZ", principal["entity_id"], 2)
    self_agent = _record(events, "refusal", "BY", principal["entity_id"], 2, proxy=_proxy(principal["entity_id"]))
    signed_later = _record(
        events, "notification", "GZ", principal["entity_id"], 3, proxy=_proxy(agent["entity_id"], signed="2025-10-11")
    )

    results = hub.push_results(window, [principal, agent, notice, refusal, in_person, self_agent, signed_later])

    assert [status for status, _reason in results] == ["applied"] * 5 + ["rejected"] * 2
    # The refusal's words name what was sent: a refusal, a notification, never a case.
    assert f"The agent of refusal {self_agent['entity_id']} is its applicant" in results[-2][1]
    assert "dated after it was given" in results[-1][1] and "notification" in results[-1][1]
    assert "case" not in results[-2][1] + results[-1][1]
    with current_figures(hub.db) as session:
        agents = {
            row.number: (row.agent_resident_id, row.power_of_attorney_date)
            for model in (Notification, Refusal)
            for row in session.scalars(select(model))
        }
    assert agents == {
        notice["payload"]["number"]: (agent["entity_id"], dt.date(2025, 10, 8)),
        refusal["payload"]["number"]: (agent["entity_id"], dt.date(2025, 10, 8)),
        in_person["payload"]["number"]: (None, None),
    }
