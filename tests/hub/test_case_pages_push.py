"""case.pages: a material's full list of pages replaces the one the hub had, idempotently."""

from __future__ import annotations

import hashlib
import os

from sqlalchemy import select

from windowdesk.domain.uuid7 import new_uuid
from windowdesk.hub.storage.models_pages import CasePageList

from .conftest import EventFactory, Hub


def page(**changes) -> dict:
    data = os.urandom(64)
    return {
        "page_id": new_uuid(),
        "sha256": hashlib.sha256(data).hexdigest(),
        "size": len(data),
        "mime": "image/jpeg",
        "rotation": 0,
        "checked_by": new_uuid(),
        "checked_at": "2026-12-07T05:00:00+00:00",
        **changes,
    }


def pages_event(events: EventFactory, case_id: str, material: str, pages: list[dict]) -> dict:
    return events.event("case.pages", "case", case_id, {"case_id": case_id, "material_code": material, "pages": pages})


def current(hub: Hub, case_id: str, material: str) -> list[dict]:
    with hub.db.read() as session:
        rows = session.scalars(
            select(CasePageList)
            .where(CasePageList.case_id == case_id, CasePageList.material_code == material)
            .order_by(CasePageList.seq)
        )
        lists = [row.pages for row in rows]
    return lists[-1] if lists else []


def accepted_case(hub: Hub, window, events: EventFactory) -> str:
    resident = events.resident()
    case = events.case(resident["entity_id"])
    assert {status for status, _ in hub.push_results(window, [resident, case])} == {"applied"}
    return case["entity_id"]


def test_each_list_replaces_the_materials_pages_and_a_resend_changes_nothing(
    hub: Hub, demo_catalog: None, events: EventFactory
) -> None:
    window = hub.enroll()
    case_id = accepted_case(hub, window, events)
    first, second, third = page(), page(rotation=90), page(mime="application/pdf")
    one = pages_event(events, case_id, "M01", [first, second])
    two = pages_event(events, case_id, "M01", [third, first])  # reordered, one deleted, one added
    other = pages_event(events, case_id, "M02", [second])

    assert hub.push_results(window, [one, two, other]) == [("applied", "")] * 3
    assert [p["page_id"] for p in current(hub, case_id, "M01")] == [third["page_id"], first["page_id"]]
    assert [p["page_id"] for p in current(hub, case_id, "M02")] == [second["page_id"]]

    assert [status for status, _ in hub.push_results(window, [one])] == ["duplicate"]
    assert [p["page_id"] for p in current(hub, case_id, "M01")] == [third["page_id"], first["page_id"]]
    emptied = pages_event(events, case_id, "M01", [])
    assert hub.push_results(window, [emptied]) == [("applied", "")]
    assert current(hub, case_id, "M01") == []


def test_pages_of_a_case_of_another_center_are_refused_like_any_unknown_case(
    hub: Hub, demo_catalog: None, events: EventFactory
) -> None:
    own = hub.enroll("CH", "01")
    case_id = accepted_case(hub, own, events)
    stranger = hub.enroll("JD01", "01")

    [(status, reason)] = hub.push_results(
        stranger, [pages_event(EventFactory("JD01", "JD01-01"), case_id, "M01", [page()])]
    )

    assert status == "rejected" and "is not on the hub" in reason
    assert current(hub, case_id, "M01") == []


def test_a_malformed_page_rejects_its_event_with_a_reason(hub: Hub, demo_catalog: None, events: EventFactory) -> None:
    window = hub.enroll()
    case_id = accepted_case(hub, window, events)
    twice = page()
    results = hub.push_results(
        window,
        [
            pages_event(events, case_id, "M01", [page(sha256="xyz")]),
            pages_event(events, case_id, "M01", [page(rotation=45)]),
            pages_event(events, case_id, "M01", [page(size=30_000_000)]),
            pages_event(events, case_id, "M01", [twice, twice]),
        ],
    )
    assert [status for status, _ in results] == ["rejected"] * 4
    assert "'sha256'" in results[0][1] and "'rotation'" in results[1][1] and "'size'" in results[2][1]
    assert "twice" in results[3][1]
