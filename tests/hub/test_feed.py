"""The change feed: paging, center filtering, cursors, and no skipped change under
concurrent appends and reads."""

from __future__ import annotations

import datetime as dt
import random
import threading
import time

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import StatementError

from windowdesk.domain.event_kinds import ChangeKind
from windowdesk.hub.services import admin
from windowdesk.hub.services.feed import append_change, read_changes
from windowdesk.hub.storage.models import Change
from windowdesk.sync.protocol import CHANGE_KINDS, CHANGE_NOTE, MAX_CHANGES_PAGE, parse_changes_page

from .conftest import Hub, utc_now


def _publish_days(hub: Hub, count: int) -> None:
    start = dt.date(2027, 1, 1)
    for offset in range(count):
        with hub.db.write(feed=True) as session:
            admin.publish_calendar_override(
                session,
                day=start + dt.timedelta(days=offset),
                is_working_day=offset % 2 == 0,
                note="",
                now=utc_now(),
            )


def _note(hub: Hub, center: str) -> int:
    with hub.db.write(feed=True) as session:
        return _note_in(session, center)


def _note_in(session, center: str) -> int:
    return append_change(
        session,
        kind=CHANGE_NOTE,
        entity="case",
        entity_id=f"case-of-{center}",
        center_code=center,
        payload={"center": center},
        now=utc_now(),
    )


def test_a_change_of_a_kind_outside_the_protocol_s_is_refused_by_its_column_and_nothing_is_stored(hub: Hub) -> None:
    """append_change leaves the check of its kind to the typed column (changes.kind): a
    word outside ChangeKind is still refused, the transaction stores nothing, and every
    kind of the protocol is taken."""
    before = _note(hub, "CH")
    with pytest.raises(StatementError, match="is not a valid ChangeKind"), hub.db.write(feed=True) as session:
        _note_in(session, "CH")
        append_change(
            session,
            kind="case.teleported",
            entity="case",
            entity_id="case-of-CH",
            center_code="CH",
            payload={},
            now=utc_now(),
        )
    with hub.db.read() as session:
        assert session.scalar(select(func.max(Change.seq))) == before
    with hub.db.write(feed=True) as session:
        seqs = [
            append_change(session, kind=kind, entity="case", entity_id="x", center_code="CH", payload={}, now=utc_now())
            for kind in CHANGE_KINDS
        ]
    assert len(seqs) == len(CHANGE_KINDS) == len(ChangeKind) and seqs[0] > before


def test_changes_come_in_pages_after_the_cursor(hub: Hub) -> None:
    hub.import_demo_catalog()  # change 1, for every center
    window = hub.enroll()
    _publish_days(hub, 6)  # changes 2..7

    seen, cursor, pages = [], 0, 0
    while True:
        body = hub.changes(window, after=cursor, limit=3)
        page = parse_changes_page(body, cursor)  # the client's own parser accepts it
        seen += [change.seq for change in page.changes]
        cursor, pages = page.next_cursor, pages + 1
        if not page.has_more:
            break

    assert seen == list(range(1, 8))
    assert pages == 3 and cursor == 7
    first = hub.changes(window, after=0, limit=1)["changes"][0]
    assert first["kind"] == "catalog.published" and first["entity_id"] == "2026.11-demo"
    calendar = hub.changes(window, after=1, limit=1)["changes"][0]
    assert calendar["payload"] == {"day": "2027-01-01", "is_working_day": True, "note": ""}
    # Nothing new: the cursor stays, never goes back.
    assert hub.changes(window, after=7) == {"changes": [], "next_cursor": 7, "has_more": False}
    assert hub.changes(window, after=50)["next_cursor"] == 50
    # The page size is capped by the protocol.
    assert len(hub.changes(window, after=0, limit=MAX_CHANGES_PAGE * 5)["changes"]) == 7


def test_a_workstation_sees_only_its_center_and_everyone_s_changes(hub: Hub) -> None:
    hub.import_demo_catalog()  # 1: every center
    city = hub.enroll("CH", "01")
    street = hub.enroll("JD01", "01")
    assert [_note(hub, center) for center in ("CH", "JD01", "CH", "JD02")] == [2, 3, 4, 5]

    assert [c["seq"] for c in hub.changes(city)["changes"]] == [1, 2, 4]
    assert [c["seq"] for c in hub.changes(street)["changes"]] == [1, 3]
    # Only other centers' changes after the cursor: it moves past them.
    assert hub.changes(street, after=3) == {"changes": [], "next_cursor": 5, "has_more": False}
    # has_more counts only what this workstation may see.
    page = hub.changes(city, after=0, limit=2)
    assert [c["seq"] for c in page["changes"]] == [1, 2] and page["has_more"] is True
    page = hub.changes(city, after=2, limit=1)
    assert [c["seq"] for c in page["changes"]] == [4] and page["has_more"] is False


def test_appending_outside_a_feed_transaction_is_refused(hub: Hub) -> None:
    with pytest.raises(RuntimeError, match="write\\(feed=True\\)"), hub.db.write() as session:
        append_change(
            session, kind=CHANGE_NOTE, entity="case", entity_id="x", center_code="CH", payload={}, now=utc_now()
        )


WRITERS = 4
CHANGES_PER_WRITER = 25
READERS = 3
CENTERS = ("CH", "JD01", None)


def test_concurrent_appends_and_reads_never_skip_a_change(hub: Hub) -> None:
    """Writers hold their transaction open a moment after drawing a seq, so that without
    the feed's serialization a higher seq would often commit first and readers that
    moved their cursor past it would never see the lower one."""
    appended: list[tuple[int, str | None]] = []
    appended_lock = threading.Lock()
    writers_done = threading.Event()
    failures: list[BaseException] = []

    def write(writer: int) -> None:
        rng = random.Random(writer)
        try:
            for index in range(CHANGES_PER_WRITER):
                center = CENTERS[(writer + index) % len(CENTERS)]
                with hub.db.write(feed=True) as session:
                    seq = append_change(
                        session,
                        kind=CHANGE_NOTE,
                        entity="case",
                        entity_id=f"{writer}-{index}",
                        center_code=center,
                        payload={"writer": writer, "index": index},
                        now=utc_now(),
                    )
                    time.sleep(rng.uniform(0, 0.004))
                with appended_lock:
                    appended.append((seq, center))
        except BaseException as exc:  # noqa: BLE001 - reported by the test thread
            failures.append(exc)

    seen_by_reader: dict[int, list[int]] = {}

    def read(reader: int) -> None:
        cursor, seen = 0, []
        try:
            while True:
                finished = writers_done.is_set()
                with hub.db.read() as session:
                    page = read_changes(session, center_code="CH", after=cursor, limit=5)
                    seen += [change.seq for change in page.changes]
                    assert page.next_cursor >= cursor
                    cursor = page.next_cursor
                if finished and not page.changes:
                    break
        except BaseException as exc:  # noqa: BLE001 - reported by the test thread
            failures.append(exc)
        seen_by_reader[reader] = seen

    writers = [threading.Thread(target=write, args=(n,)) for n in range(WRITERS)]
    readers = [threading.Thread(target=read, args=(n,)) for n in range(READERS)]
    for thread in [*readers, *writers]:
        thread.start()
    for thread in writers:
        thread.join()
    writers_done.set()
    for thread in readers:
        thread.join()

    assert not failures, failures
    expected = sorted(seq for seq, center in appended if center in ("CH", None))
    assert len(appended) == WRITERS * CHANGES_PER_WRITER
    for reader, seen in seen_by_reader.items():
        assert seen == expected, f"reader {reader} skipped {sorted(set(expected) - set(seen))}"


def test_a_cursor_no_database_can_hold_is_refused_as_malformed(hub: Hub) -> None:
    """Found by the fuzzer: a cursor beyond 64 bits reached the database (SQLite could not
    bind it, PostgreSQL's bigint could not hold it) and the hub answered 500."""
    from windowdesk.sync.protocol import API_PREFIX

    hub.import_demo_catalog()
    window = hub.enroll()
    for name, value in (("after", 2**63), ("limit", 2**64)):
        reply = hub.client.get(f"{API_PREFIX}/changes", params={name: value}, headers=window.headers)
        assert reply.status_code == 422, reply.text
    assert hub.changes(window, after=2**63 - 1)["changes"] == []  # the largest seq still answers
