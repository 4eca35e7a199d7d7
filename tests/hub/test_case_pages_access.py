"""A case's pages at the hub: for the departments taking part and its center; every
reading recorded; others learn nothing, not even that the case exists."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import select

from windowdesk.hub.errors import NotFound
from windowdesk.hub.services.case_pages import CENTER, PageActor, list_case_pages, read_case_page
from windowdesk.hub.storage.models_pages import PageReading
from windowdesk.sync.protocol import API_PREFIX

from .conftest import EventFactory, Hub, utc_now
from .test_blob_upload import _sha, put
from .test_case_pages_push import accepted_case, page, pages_event


def case_with_pages(hub: Hub, events: EventFactory) -> tuple[str, list[dict], bytes]:
    hub.import_demo_catalog()
    window = hub.enroll()
    case_id = accepted_case(hub, window, events)
    data = os.urandom(3000)
    first = page(sha256=_sha(data), size=len(data))
    waiting = page()  # its bytes have not arrived yet
    assert hub.push_results(window, [pages_event(events, case_id, "M01", [first, waiting])]) == [("applied", "")]
    assert put(hub, window, first["sha256"], 0, data, len(data)).json()["status"] == "complete"
    return case_id, [first, waiting], data


def staff_headers(hub: Hub, department: str) -> dict[str, str]:
    from tests.hub.conftest import VERSION_HEADERS

    return {**VERSION_HEADERS, "Authorization": f"Bearer {hub.staff_token(department)}"}


def readings(hub: Hub) -> list[tuple[str, str, str]]:
    with hub.db.read() as session:
        return [
            (r.actor_kind, r.actor_code, r.page_id)
            for r in session.scalars(select(PageReading).order_by(PageReading.seq))
        ]


def test_the_deciding_department_lists_and_reads_the_pages_and_each_reading_is_recorded(
    hub: Hub, events: EventFactory
) -> None:
    case_id, (first, waiting), data = case_with_pages(hub, events)
    headers = staff_headers(hub, "MZJ")

    listed = hub.client.get(f"{API_PREFIX}/cases/{case_id}/pages", headers=headers)
    assert listed.status_code == 200, listed.text
    assert [(p["page_id"], p["position"], p["stored"]) for p in listed.json()["pages"]] == [
        (first["page_id"], 1, True),
        (waiting["page_id"], 2, False),
    ]
    assert readings(hub) == []  # listing reads no bytes

    read = hub.client.get(f"{API_PREFIX}/cases/{case_id}/pages/{first['page_id']}", headers=headers)
    assert read.status_code == 200 and read.content == data and read.headers["content-type"] == "image/jpeg"
    assert read.headers["cache-control"] == "no-store"
    assert readings(hub) == [("department", "MZJ", first["page_id"])]

    not_yet = hub.client.get(f"{API_PREFIX}/cases/{case_id}/pages/{waiting['page_id']}", headers=headers)
    assert not_yet.status_code == 404 and "not reached the hub yet" in not_yet.json()["error"]["message"]
    assert len(readings(hub)) == 1


def test_a_department_outside_the_case_learns_nothing(hub: Hub, events: EventFactory) -> None:
    case_id, (first, _waiting), _data = case_with_pages(hub, events)
    headers = staff_headers(hub, "GAJ")

    listed = hub.client.get(f"{API_PREFIX}/cases/{case_id}/pages", headers=headers)
    unknown = hub.client.get(f"{API_PREFIX}/cases/01a24efd-6f71-77d1-b9d7-c40e40f9a109/pages", headers=headers)
    read = hub.client.get(f"{API_PREFIX}/cases/{case_id}/pages/{first['page_id']}", headers=headers)

    assert listed.status_code == read.status_code == unknown.status_code == 404
    assert listed.json()["error"]["message"].replace(case_id, "X") == unknown.json()["error"]["message"].replace(
        "01a24efd-6f71-77d1-b9d7-c40e40f9a109", "X"
    )
    assert readings(hub) == []


def test_the_cases_center_reads_its_pages_and_another_center_cannot(hub: Hub, events: EventFactory) -> None:
    case_id, (first, _waiting), data = case_with_pages(hub, events)
    store = hub.client.app.state.page_store

    def read_as(center: str) -> bytes:
        return hub.db.run_write(
            lambda session: read_case_page(
                session,
                store,
                case_id=case_id,
                page_id=first["page_id"],
                actor=PageActor(CENTER, center),
                now=utc_now(),
            )
        )[1]

    assert read_as("CH") == data
    with pytest.raises(NotFound):
        read_as("JD01")
    with hub.db.read() as session, pytest.raises(NotFound):
        list_case_pages(session, case_id=case_id, actor=PageActor(CENTER, "JD01"))
    assert readings(hub) == [("center", "CH", first["page_id"])]
