"""Identifiers are checked at the hub (issue 21, finding 5): ids are UUIDs, numbers and
codes have their formats. A malformed one rejects its event alone, with a reason that
does not repeat it (it may be a spreadsheet formula or a terminal's escape sequence), and
what a real window sends still passes."""

from __future__ import annotations

import copy

import pytest

from tests.wire_form import wire
from windowdesk.domain.uuid7 import new_uuid
from windowdesk.storage import models as m

from .conftest import EventFactory, Hub
from .test_window_events_reach_the_hub import _a_day_at_the_window

FORMULA = '=HYPERLINK("http://x")'
ESCAPE = "\x1b[31mCH"


@pytest.fixture
def real_outbox(hub: Hub, demo) -> list[dict]:
    _a_day_at_the_window(demo)
    with demo.db.read() as session:
        return [wire(e) for e in session.query(m.OutboxEvent).order_by(m.OutboxEvent.seq)]


def _copy(event: dict, change) -> dict:
    changed = copy.deepcopy(event)
    changed["event_id"] = new_uuid()
    if "id" in changed["payload"] and changed["payload"]["id"] == changed["entity_id"]:
        changed["entity_id"] = changed["payload"]["id"] = new_uuid()
    change(changed)
    return changed


def _payload(**values):
    return lambda event: event["payload"].update(values)


def _entity_id(value: str):
    def change(event: dict) -> None:
        event["entity_id"] = event["payload"]["id"] = value

    return change


def test_malformed_identifiers_reject_their_event_alone_and_are_not_repeated(
    hub: Hub, demo_catalog: None, events: EventFactory, real_outbox: list[dict]
) -> None:
    window = hub.enroll("CH", "01")
    by_kind = {event["kind"]: event for event in real_outbox}
    resident, case, receipt = by_kind["resident.registered"], by_kind["case.accepted"], by_kind["payment.received"]
    rating_id = new_uuid()
    rating = events.event(
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
            "rated_at": events.clock.isoformat(),
            "case_id": None,
            "item": "MZ-001",
            "follow_up": {"id": FORMULA, "owner": new_uuid(), "deadline": "2026-12-03"},
        },
    )
    malformed = {
        "a record id that is no UUID": (_copy(resident, _entity_id(FORMULA)), "entity_id is not a UUID"),
        "an upper-case UUID": (_copy(resident, _entity_id(new_uuid().upper())), "entity_id is not a UUID"),
        "an applicant id that is no UUID": (
            _copy(case, _payload(applicant={"kind": "resident", "id": FORMULA})),
            "applicant must be",
        ),
        "a case number that is no case number": (_copy(case, _payload(number=FORMULA)), "not a well-formed number"),
        "a center code with an escape sequence": (_copy(case, _payload(center=ESCAPE)), "center is not a center code"),
        "a window id that is no window id": (_copy(case, _payload(window=FORMULA[:12])), "window is not a window id"),
        "a follow-up id that is no UUID": (rating, "follow_up must be"),
        "a receipt number that is no receipt number": (
            _copy(receipt, _payload(number=FORMULA)),
            "number is not a receipt number",
        ),
    }
    batch = [*real_outbox, *(event for event, _ in malformed.values())]

    results = hub.push_results(window, batch)

    assert [status for status, _ in results[: len(real_outbox)]] == ["applied"] * len(real_outbox)
    for (name, (_event, expected)), (status, reason) in zip(
        malformed.items(), results[len(real_outbox) :], strict=False
    ):
        assert status == "rejected" and expected in reason, name
        assert "HYPERLINK" not in reason and "\x1b" not in reason, name
