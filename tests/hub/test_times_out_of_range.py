"""Times and periods beyond what the hub can store or count (issue 21, finding 8): the one
event carrying such a time is rejected with a reason and the rest of its batch applies; a
report's period is bounded, with a plain message from the API and the command line."""

from __future__ import annotations

import pytest

from windowdesk.hub.cli import main
from windowdesk.sync.protocol import API_PREFIX

from .conftest import VERSION_HEADERS, EventFactory, Hub, Workstation

# 00:00 on the first day of year 1 at UTC+14 is 10:00 on 31 December of year 0 in UTC.
BEFORE_UTC_BEGINS = "0001-01-01T00:00:00+14:00"
AFTER_UTC_ENDS = "9999-12-31T23:59:59-12:00"


@pytest.fixture
def window(hub: Hub, demo_catalog: None) -> Workstation:
    return hub.enroll("CH", "01")


@pytest.mark.parametrize("when", [BEFORE_UTC_BEGINS, AFTER_UTC_ENDS])
def test_a_time_that_overflows_utc_rejects_its_event_and_the_batch_applies(
    hub: Hub, window: Workstation, events: EventFactory, when: str
) -> None:
    resident = events.resident()
    in_payload = events.case(resident["entity_id"], accepted_at=when)
    in_envelope = events.case(resident["entity_id"])
    in_envelope["created_at"] = when
    fine = events.case(resident["entity_id"])

    results = hub.push_results(window, [resident, in_payload, in_envelope, fine])

    assert [status for status, _ in results] == ["applied", "rejected", "rejected", "applied"]
    assert "accepted_at" in results[1][1] and "UTC" in results[1][1]
    assert "created_at" in results[2][1] and "UTC" in results[2][1]
    # Sent again, each gets the same answer: nothing sticks the window's queue.
    again = hub.push_results(window, [resident, in_payload, in_envelope, fine])
    assert again == [("duplicate", ""), results[1], results[2], ("duplicate", "")]


def test_a_report_period_beyond_reason_is_refused_in_plain_words(hub: Hub, window: Workstation, capsys) -> None:
    staff = {**VERSION_HEADERS, "Authorization": f"Bearer {hub.staff_token('MZJ')}"}
    url = f"{API_PREFIX}/reports/performance"
    for start, end in (("0001-01-01", "9999-12-31"), ("2025-01-01", "2026-12-31")):
        reply = hub.client.get(url, params={"from": start, "to": end}, headers=staff)
        assert reply.status_code == 400, reply.text
        assert "report" in reply.json()["error"]["message"]
        capsys.readouterr()
        assert main(hub.cli_args("report", "--from", start, "--to", end)) != 0
        assert "report" in capsys.readouterr().err
    assert hub.client.get(url, params={"from": "2026-01-01", "to": "2026-12-31"}, headers=staff).status_code == 200
