"""The hub's lasting identity (issue 21, finding 1): made with its database, named in the
enrollment reply and on every reply, refusals included, which a window checks."""

from __future__ import annotations

from sqlalchemy import select

from windowdesk.hub.storage.models import HubKey
from windowdesk.sync.protocol import API_PREFIX, HEADER_HUB_ID

from .conftest import VERSION_HEADERS, Hub


def test_every_reply_names_the_hub_and_the_enrollment_reply_too(hub: Hub) -> None:
    first = hub.client.get(f"{API_PREFIX}/health")  # (made by the migration; at the first reply if lost)
    with hub.db.read() as session:
        hub_id = session.scalar(select(HubKey.hub_id))
    assert hub_id and len(hub_id) == 36

    hub.import_demo_catalog()
    code = hub.enrollment_code()
    enrolled = hub.client.post(
        f"{API_PREFIX}/enroll", json={"code": code, "client_version": "0.1.0"}, headers=VERSION_HEADERS
    )
    assert enrolled.status_code == 200 and enrolled.json()["hub_id"] == hub_id
    replies = [
        enrolled,
        first,
        hub.client.get(f"{API_PREFIX}/health"),
        hub.client.post(
            f"{API_PREFIX}/push", json={"events": []}, headers={**VERSION_HEADERS, "Authorization": "Bearer wrong"}
        ),
        hub.client.get(f"{API_PREFIX}/no-such-route"),
    ]
    assert [reply.headers.get(HEADER_HUB_ID) for reply in replies] == [hub_id] * len(replies)
    assert replies[3].status_code == 401 and replies[4].status_code == 404
