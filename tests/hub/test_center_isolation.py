"""Every endpoint checks the workstation's center: a street center's token (JD01) can
neither read, write nor decide anything of the city hall's (CH)."""

from __future__ import annotations

import copy

import pytest
from sqlalchemy import func, select

from windowdesk.domain.uuid7 import new_uuid
from windowdesk.hub.cli import main
from windowdesk.hub.storage.models import Case, Change, PushedEvent, Resident
from windowdesk.sync.protocol import API_PREFIX

from .conftest import EventFactory, Hub, Workstation

# MZ-002 is decided by MZJ and offered at street centers too.
ITEM, DEPARTMENT = "MZ-002", "MZJ"


@pytest.fixture
def city_hall(hub: Hub, demo_catalog: None) -> Workstation:
    return hub.enroll("CH", "01")


@pytest.fixture
def street(hub: Hub, city_hall: Workstation) -> Workstation:
    return hub.enroll("JD01", "01")


@pytest.fixture
def ch_work(hub: Hub, city_hall: Workstation) -> dict:
    """A resident and a case of CH on the hub, with a decision and a note about it."""
    factory = EventFactory(center="CH", window="CH-01")
    resident = factory.resident()
    case = factory.case(resident["entity_id"], item=ITEM, number="CH-20261125-01-0001")
    assert [s for s, _ in hub.push_results(city_hall, [resident, case])] == ["applied", "applied"]
    assert main(hub.cli_args("create-operator", "chen", "--name", "陈", "--center", "CH")) == 0
    assert (
        main(
            hub.cli_args("decide", "CH-20261125-01-0001", "--decision", "request_materials", "--department", DEPARTMENT)
        )
        == 0
    )
    assert main(hub.cli_args("note", "CH-20261125-01-0001", "--department", DEPARTMENT, "--text", "已电话告知")) == 0
    return {"factory": factory, "resident": resident, "case": case}


def _count(hub: Hub, model: type) -> int:
    with hub.db.read() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_a_street_token_reads_only_its_own_center_s_feed(
    hub: Hub, city_hall: Workstation, street: Workstation, ch_work: dict
) -> None:
    with hub.db.read() as session:
        ch_only = set(session.scalars(select(Change.seq).where(Change.center_code == "CH")))
    assert len(ch_only) == 3  # the operator, the decision, the note

    seen, after = [], 0
    while True:  # every page, one change at a time: no page leaks either
        page = hub.changes(street, after=after, limit=1)
        seen += page["changes"]
        after = page["next_cursor"]
        if not page["has_more"]:
            break
    assert not ch_only & {change["seq"] for change in seen}
    assert [change["kind"] for change in seen] == ["catalog.published"]
    assert ch_only <= {change["seq"] for change in hub.changes(city_hall)["changes"]}
    whoami = hub.client.get(f"{API_PREFIX}/whoami", headers=street.headers).json()
    assert (whoami["center_code"], whoami["window_code"]) == ("JD01", "01")


def test_a_street_token_cannot_push_work_of_the_city_hall(
    hub: Hub, city_hall: Workstation, street: Workstation, ch_work: dict
) -> None:
    posing = EventFactory(center="CH", window="CH-01")
    refused = hub.push(street, [posing.resident()])
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "wrong_center"

    ch_case_id = ch_work["case"]["entity_id"]
    own = EventFactory(center="JD01", window="JD01-01")
    status_of_ch_case = own.status(ch_case_id, "withdraw")
    on_ch_resident = own.case(ch_work["resident"]["entity_id"], item=ITEM)
    ch_numbered = own.case(ch_work["resident"]["entity_id"], item=ITEM, number="CH-20261125-01-0099")
    taking_ch_id = own.resident()
    taking_ch_id["entity_id"] = taking_ch_id["payload"]["id"] = ch_work["resident"]["entity_id"]
    ch_audit = own.event(
        "audit.entry",
        "audit",
        ch_case_id,
        {
            "id": ch_case_id,
            "seq": 1,
            "at": "2026-11-25T01:00:00+00:00",
            "operator_id": None,
            "workstation": "CH-01",
            "action": "case.accept",
            "entity": "case",
            "entity_id": ch_case_id,
            "detail": {},
            "prev_hash": "0" * 64,
            "hash": "1" * 64,
        },
    )

    results = hub.push_results(street, [status_of_ch_case, on_ch_resident, ch_numbered, taking_ch_id, ch_audit])

    assert [status for status, _ in results] == ["rejected"] * 5
    reasons = [reason for _, reason in results]
    # Another center's case is answered as a case that does not exist (issue 21, finding 10).
    assert "is not on the hub: its acceptance never arrived" in reasons[0] and "CH-" not in reasons[0]
    # Another center's resident is not told apart from one that does not exist.
    assert "is not registered on the hub at center JD01" in reasons[1]
    assert "belongs to center CH, not to center JD01" in reasons[2]
    assert "already registered on the hub" in reasons[3]
    assert "made at workstation CH-01" in reasons[4]
    assert not any("王建国" in reason or "230902196210010496" in reason for reason in reasons)
    with hub.db.read() as session:
        assert session.get(Case, ch_case_id).status == "suspended"  # as the decision left it
        assert session.get(Resident, ch_work["resident"]["entity_id"]).center_code == "CH"
    assert _count(hub, Case) == 1


def test_a_workstation_token_decides_nothing_and_staff_decide_only_their_items(
    hub: Hub, city_hall: Workstation, street: Workstation, ch_work: dict
) -> None:
    case_id = ch_work["case"]["entity_id"]
    url = f"{API_PREFIX}/cases/{case_id}/decisions"
    body = {"decision": "approve", "department": DEPARTMENT}
    for workstation in (street, city_hall):
        reply = hub.client.post(url, json=body, headers=workstation.headers)
        assert reply.status_code == 401  # a workstation token is not a staff token

    police = {**street.headers, "Authorization": f"Bearer {hub.staff_token('GAJ')}"}
    posing = hub.client.post(url, json=body, headers=police)
    own_name = hub.client.post(url, json={**body, "department": "GAJ"}, headers=police)
    assert posing.status_code == 403 and "cannot decide for department MZJ" in posing.json()["error"]["message"]
    assert own_name.status_code == 403 and "does not decide item MZ-002" in own_name.json()["error"]["message"]
    with hub.db.read() as session:
        assert session.get(Case, case_id).status == "suspended"


def test_a_batch_with_a_foreign_event_stores_nothing(hub: Hub, street: Workstation, ch_work: dict) -> None:
    before = _count(hub, PushedEvent)
    own = EventFactory(center="JD01", window="JD01-01")
    foreign = copy.deepcopy(own.resident())
    foreign["payload"]["center"] = "CH"
    reply = hub.push(street, [own.resident(), foreign])
    assert reply.status_code == 403
    assert _count(hub, PushedEvent) == before


def _reasons(hub: Hub, workstation: Workstation, events: list[dict]) -> list[str]:
    results = hub.push_results(workstation, events)
    assert [status for status, _ in results] == ["rejected"] * len(events)
    return [reason.replace(event["entity_id"], "<id>") for (_, reason), event in zip(results, events, strict=True)]


def test_a_window_learns_nothing_about_records_outside_its_center(
    hub: Hub, city_hall: Workstation, street: Workstation, ch_work: dict
) -> None:
    """What a street window is told about the city hall's case, its refused acceptance and
    its rating is word for word what it is told about records that do not exist."""
    ch = ch_work["factory"]
    refused_case = ch.case(ch_work["resident"]["entity_id"], item="XX-999", number="CH-20261125-01-0042")
    rating_id = new_uuid()
    rating = ch.event(
        "rating.given",
        "rating",
        rating_id,
        {
            "id": rating_id,
            "center": "CH",
            "window": "CH-01",
            "operator": new_uuid(),
            "level": 2,
            "reason": "",
            "channel": "applicant_screen",
            "rated_at": ch.clock.isoformat(),
            "case_id": None,
            "item": "MZ-001",
            "follow_up": {"id": new_uuid(), "owner": new_uuid(), "deadline": "2026-12-03"},
        },
    )
    assert [s for s, _ in hub.push_results(city_hall, [refused_case, rating])] == ["rejected", "applied"]

    own = EventFactory(center="JD01", window="JD01-01")

    def probes(case_id: str, refused_id: str, follow_up_id: str) -> list[dict]:
        closed = own.event(
            "followup.closed",
            "follow_up",
            follow_up_id,
            {
                "id": follow_up_id,
                "rating_id": new_uuid(),
                "center": "JD01",
                "outcome": "已回访",
                "closed_at": own.clock.isoformat(),
                "closed_by": new_uuid(),
            },
        )
        return [own.status(case_id, "withdraw"), own.status(refused_id, "withdraw"), closed]

    about_ch = _reasons(
        hub,
        street,
        probes(ch_work["case"]["entity_id"], refused_case["entity_id"], rating["payload"]["follow_up"]["id"]),
    )
    about_nothing = _reasons(hub, street, probes(new_uuid(), new_uuid(), new_uuid()))
    assert about_ch == about_nothing
    assert not any("CH" in reason for reason in about_ch)
