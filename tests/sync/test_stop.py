""" "Stop" takes effect at once, even while a request is on the wire: the sync ends with
"Sync stopped", the request is left to finish on its own, and nothing that was not
answered leaves the outbox or moves the cursor."""

from __future__ import annotations

import threading

import pytest

from windowdesk.domain.ids import resident_id_check_char
from windowdesk.services import applicants
from windowdesk.services import sync as sync_service
from windowdesk.services.sync import KEY_CURSOR, SyncCancelled, SyncRunner
from windowdesk.storage import models as m
from windowdesk.storage import queries
from windowdesk.sync import protocol

from .hub_stand_in import HubStandIn


class _SlowHub(HubStandIn):
    """Holds the request named by ``hold`` ("push" or "changes") until the test lets it go,
    as a hub slow to answer does; answers everything else at once."""

    def __init__(self, hold: str) -> None:
        self.hold = hold
        self.holding = threading.Event()
        self.let_go = threading.Event()

    def _held(self, what: str) -> None:
        if what == self.hold:
            self.holding.set()
            assert self.let_go.wait(30), "the test never let the request go"

    def push_encoded(self, batch: protocol.EncodedPush) -> protocol.PushAnswer:
        self._held("push")
        return protocol.PushAnswer([protocol.PushResult(i, protocol.APPLIED, "") for i in batch.event_ids], 2)

    def changes(self, after: int, limit: int) -> protocol.ChangesPage:
        self._held("changes")
        return protocol.ChangesPage((), after + 7, False)


@pytest.fixture
def window(demo):
    first17 = "23090219750612345"
    applicants.register_resident(demo.db, demo.ctx, id_number=first17 + resident_id_check_char(first17), name="周建华")
    return demo


def _outbox(db) -> list[str]:
    with db.read() as session:
        return [e.event_id for e in session.query(m.OutboxEvent).filter_by(state="pending")]


def _cursor(db) -> str | None:
    with db.read() as session:
        return queries.local_setting(session, KEY_CURSOR)


def _stop_while_held(db, hub: _SlowHub) -> sync_service.SyncReport:
    cancel = threading.Event()
    reports: list[sync_service.SyncReport] = []
    running = threading.Thread(target=lambda: reports.append(SyncRunner(db, hub, retries=0).run(cancel)))
    running.start()
    try:
        assert hub.holding.wait(10), "the request never reached the hub"
        cancel.set()
        running.join(10)
        # Over while the hub still holds the request.
        assert not running.is_alive() and not hub.let_go.is_set()
    finally:
        hub.let_go.set()
        running.join(10)
    return reports[0]


def test_stop_during_a_push_ends_the_sync_and_keeps_the_outbox(window) -> None:
    before = _outbox(window.db)
    assert before

    report = _stop_while_held(window.db, _SlowHub("push"))

    assert isinstance(report.error, SyncCancelled)
    assert report.applied == 0 and _outbox(window.db) == before


def test_stop_during_a_pull_ends_the_sync_and_keeps_the_cursor(window) -> None:
    hub = _SlowHub("changes")
    cursor = _cursor(window.db)

    report = _stop_while_held(window.db, hub)

    assert isinstance(report.error, SyncCancelled)
    assert report.pulled == 0 and _cursor(window.db) == cursor
    assert _outbox(window.db) == []  # the push before it was answered and recorded
