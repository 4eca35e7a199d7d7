"""An event id sent again (issue 21, finding 9): the same change from the same window is
answered as before; other content under the id, or the id of another window's event, is
rejected with a reason and changes nothing stored."""

from __future__ import annotations

import copy
import json

import pytest
from sqlalchemy import select, update

from windowdesk.hub.storage.models import Case, PushedEvent
from windowdesk.sync.protocol import API_PREFIX

from .conftest import EventFactory, Hub, Workstation


@pytest.fixture
def window(hub: Hub, demo_catalog: None) -> Workstation:
    return hub.enroll("CH", "01")


def _stored_payload(hub: Hub, event_id: str) -> dict:
    with hub.db.read() as session:
        return session.get(PushedEvent, event_id).payload


def test_an_event_id_sent_again_with_other_content_is_rejected_and_changes_nothing(
    hub: Hub, window: Workstation, events: EventFactory
) -> None:
    resident = events.resident()
    case = events.case(resident["entity_id"], item="MZ-002")
    refused = events.case(resident["entity_id"], item="XX-999")
    assert [s for s, _ in hub.push_results(window, [resident, case, refused])] == ["applied", "applied", "rejected"]

    changed_case = copy.deepcopy(case)
    changed_case["payload"]["item"] = "MZ-001"
    changed_refusal = copy.deepcopy(refused)
    changed_refusal["payload"]["item"] = "MZ-002"
    other_kind = copy.deepcopy(case)
    other_kind["entity_id"] = other_kind["payload"]["id"] = resident["entity_id"]
    results = hub.push_results(window, [changed_case, changed_refusal, other_kind])

    assert [status for status, _ in results] == ["rejected"] * 3
    assert all("already has an event with this id, with other content" in reason for _, reason in results)
    with hub.db.read() as session:
        assert session.get(Case, case["entity_id"]).item_code == "MZ-002"
        assert session.get(Case, refused["entity_id"]) is None
    assert _stored_payload(hub, case["event_id"])["item"] == "MZ-002"


def test_the_same_change_sent_again_is_a_duplicate_whatever_the_order_of_its_keys(
    hub: Hub, window: Workstation, events: EventFactory
) -> None:
    resident = events.resident()
    case = events.case(resident["entity_id"])
    assert [s for s, _ in hub.push_results(window, [resident, case])] == ["applied", "applied"]
    reordered = {**case, "payload": dict(reversed(list(case["payload"].items())))}
    body = json.dumps({"events": [reordered]}, ensure_ascii=False)
    assert json.dumps(case["payload"], ensure_ascii=False) not in body  # the bytes differ
    reply = hub.client.post(
        f"{API_PREFIX}/push", content=body.encode(), headers={**window.headers, "Content-Type": "application/json"}
    )
    assert [r["status"] for r in reply.json()["results"]] == ["duplicate"]
    # Within one batch too: the second copy of an event is the first's duplicate, a changed one is not.
    fresh = events.resident()
    changed = copy.deepcopy(fresh)
    changed["payload"]["name"] = "李四"
    assert [s for s, _ in hub.push_results(window, [fresh, copy.deepcopy(fresh), changed])] == [
        "applied",
        "duplicate",
        "rejected",
    ]


def test_an_event_stored_before_content_hashes_is_compared_by_its_payload(
    hub: Hub, window: Workstation, events: EventFactory
) -> None:
    resident = events.resident()
    hub.push_results(window, [resident])
    with hub.db.write() as session:  # as a hub migrated from an older release holds it
        session.execute(update(PushedEvent).values(content_sha256=None))
    changed = copy.deepcopy(resident)
    changed["payload"]["name"] = "李四"
    assert [s for s, _ in hub.push_results(window, [resident, changed])] == ["duplicate", "rejected"]


def test_an_event_id_is_looked_up_among_the_sender_s_own_events(
    hub: Hub, window: Workstation, events: EventFactory
) -> None:
    other = hub.enroll("CH", "02")
    resident = events.resident()
    refused = events.case(resident["entity_id"], item="XX-999")
    first = hub.push_results(window, [resident, refused])
    assert [s for s, _ in first] == ["applied", "rejected"]

    # The very same events from another window are not its duplicates, and it is not told
    # the first window's reason.
    again = hub.push_results(other, [copy.deepcopy(resident), copy.deepcopy(refused)])
    assert [s for s, _ in again] == ["rejected", "rejected"]
    assert all("already has an event with this id" in reason for _, reason in again)
    assert "XX-999" not in again[1][1]
    with hub.db.read() as session:
        owners = set(session.scalars(select(PushedEvent.workstation_id)))
    assert owners == {window.id}
