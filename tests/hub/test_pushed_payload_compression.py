"""Pushed payloads on PostgreSQL are compressed with lz4 (migration 0018_h29pg_payload_lz4;
issue 29, aim 1) and read back as they were sent. PostgreSQL only: SQLite compresses
nothing, so this module runs on PostgreSQL alone."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from .conftest import EventFactory, Hub


@pytest.fixture(scope="module", params=("postgresql",))
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


def test_a_pushed_payload_is_stored_lz4_compressed_and_read_back_as_sent(hub: Hub, demo_catalog: None) -> None:
    window = hub.enroll("CH", "01")
    events = EventFactory(window=window.window_id)
    resident = events.resident()
    # A row past PostgreSQL's 2 KB threshold, as a case with its materials is: compressed.
    long_note = "申请人已提交身份证复印件、户口簿及相关证明材料，窗口核验无误。" * 40
    cases = [
        events.case(resident["entity_id"], number=f"CH-20261125-01-{n:04d}", note=f"{n} {long_note}")
        for n in range(1, 4)
    ]
    small = events.case(resident["entity_id"], number="CH-20261125-01-0009")
    sent = [resident, *cases, small]
    assert {status for status, _ in hub.push_results(window, sent)} == {"applied"}

    with hub.db.read() as session:
        connection = session.connection()
        lz4 = connection.scalar(
            text("SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'")
        )
        stored = {
            event_id: (payload, compression)
            for event_id, payload, compression in connection.execute(
                text("SELECT event_id, payload, pg_column_compression(payload) FROM pushed_events")
            )
        }
    assert {event_id: payload for event_id, (payload, _) in stored.items()} == {
        event["event_id"]: event["payload"] for event in sent
    }
    assert lz4, "this PostgreSQL server was built without lz4: the migration leaves pglz"
    assert {stored[case["event_id"]][1] for case in cases} == {"lz4"}
    assert stored[small["event_id"]][1] is None  # a small row is stored as it is
