"""Model-based test of the outbox and the pull cursor under faults.

The real SyncRunner and the real local database talk to a small in-memory model of
the hub that applies pushes idempotently and can drop a request before it arrives or
drop the reply after it committed. Whatever happens, nothing made offline is lost,
nothing is applied twice, and the cursor never passes a change it has not applied.
(The same properties are checked against the real hub process in test_sync_faults.)
"""

from __future__ import annotations

import datetime as dt
import json
import random
import shutil
import tempfile
import threading
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from tests.administrators import leave_the_demo_password
from windowdesk.domain.ids import resident_id_check_char
from windowdesk.paths import resources_dir
from windowdesk.services import applicants, bootstrap
from windowdesk.services import sync as sync_service
from windowdesk.storage import models as m
from windowdesk.storage.db import Database
from windowdesk.storage.migrate import migrate_to_head
from windowdesk.sync import protocol
from windowdesk.sync.client import HubRefused, HubUnreachable

from .hub_stand_in import HubStandIn

FAULTS = ("none", "drop_request", "drop_reply", "reorder")


class ModelHub(HubStandIn):
    """Two batches may be on the wire at once (it answers in_flight=2); one whose "after"
    event it has not stored is refused with 409 push_out_of_order, as the real hub does
    when the event does not come. With the fault "reorder", every push first sleeps a
    random moment, so the second batch often arrives first."""

    def __init__(self) -> None:
        self.applied: dict[str, int] = {}  # event_id -> times applied (must stay 1)
        self.applied_seqs: list[int] = []  # outbox order of the events, as applied
        self.feed: list[protocol.Change] = []
        self.fault = "none"
        self._lock = threading.Lock()

    def _lost(self) -> HubUnreachable:
        return HubUnreachable("lost", "connection dropped")

    def push_encoded(self, batch: protocol.EncodedPush) -> protocol.PushAnswer:
        body = json.loads(batch.body)
        if self.fault == "reorder":
            time.sleep(random.uniform(0, 0.004))
        with self._lock:
            if self.fault == "drop_request":
                raise self._lost()
            if body.get("after") is not None and body["after"] not in self.applied:
                raise HubRefused("Sent out of order", "not yet", status=409, code=protocol.ERROR_PUSH_OUT_OF_ORDER)
            results = []
            for event in body["events"]:
                if event["event_id"] in self.applied:
                    results.append(protocol.PushResult(event["event_id"], protocol.DUPLICATE, ""))
                else:
                    self.applied[event["event_id"]] = 1
                    self.applied_seqs.append(event["seq"])
                    results.append(protocol.PushResult(event["event_id"], protocol.APPLIED, ""))
            if self.fault == "drop_reply":
                raise self._lost()  # committed on the hub, the reply never arrives
            return protocol.PushAnswer(results, in_flight=2)

    def changes(self, after, limit):
        if self.fault == "drop_request":
            raise self._lost()
        page = [c for c in self.feed if c.seq > after][:limit]
        next_cursor = page[-1].seq if page else max([after] + [c.seq for c in self.feed if c.seq <= after])
        has_more = any(c.seq > next_cursor for c in self.feed)
        if self.fault == "drop_reply":
            raise self._lost()
        return protocol.ChangesPage(tuple(page), next_cursor, has_more)

    def publish_override(self, day: dt.date, working: bool) -> None:
        seq = len(self.feed) + 1
        self.feed.append(
            protocol.Change(
                seq,
                protocol.CHANGE_CALENDAR,
                "calendar",
                day.isoformat(),
                {"day": day.isoformat(), "is_working_day": working, "note": f"#{seq}"},
            )
        )


@pytest.fixture(scope="module")
def template_database():
    folder = Path(tempfile.mkdtemp(prefix="wd-sm-"))
    path = folder / "template.sqlite3"
    migrate_to_head(path, folder / "backups")
    db = Database(path)
    bootstrap.ensure_demo(db, resources_dir())
    leave_the_demo_password(db)  # a demo folder syncs nothing with its published password
    db.dispose()
    yield path
    shutil.rmtree(folder, ignore_errors=True)


def _id_number(n: int) -> str:
    first17 = f"230902{19500101 + n % 28:08d}{n % 1000:03d}"
    return first17 + resident_id_check_char(first17)


class OutboxMachine(RuleBasedStateMachine):
    template: Path

    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="wd-sm-run-"))
        path = self.folder / "windowdesk.sqlite3"
        shutil.copy(self.template, path)
        self.db = Database(path)
        self.ctx = bootstrap.ensure_demo(self.db, resources_dir())
        self.hub = ModelHub()
        self.created: set[str] = set(self._outbox_ids("pending"))
        self.next_resident = 0

    def _outbox_ids(self, state: str) -> list[str]:
        with self.db.read() as session:
            return [r.event_id for r in session.query(m.OutboxEvent).filter_by(state=state)]

    def _runner(self) -> sync_service.SyncRunner:
        return sync_service.SyncRunner(self.db, self.hub, push_batch=3, pull_page=2, retries=0, backoff_base=0.0)

    @rule()
    def register_resident_offline(self):
        self.next_resident += 1
        applicants.register_resident(
            self.db, self.ctx, id_number=_id_number(self.next_resident), name=f"居民{self.next_resident}"
        )
        with self.db.read() as session:
            # Every event the action made: the registration and its audit entry.
            made = [e for e in session.query(m.OutboxEvent) if e.event_id not in self.created]
            assert sorted(e.kind for e in made) == ["audit.entry", "resident.registered"]
            self.created.update(e.event_id for e in made)

    @rule(day=st.integers(0, 20), working=st.booleans())
    def hub_publishes_calendar_change(self, day, working):
        self.hub.publish_override(dt.date(2027, 1, 1) + dt.timedelta(days=day), working)

    @rule(fault=st.sampled_from(FAULTS))
    def sync_once(self, fault):
        self.hub.fault = fault
        report = self._runner().run()
        self.hub.fault = "none"
        if fault in ("none", "reorder"):
            assert report.ok, report.error

    @rule()
    def restart_the_client(self):
        # Everything is committed per step; a restart is a new engine on the same file.
        self.db.dispose()
        self.db = Database(self.db.path)

    @invariant()
    def nothing_lost_nothing_doubled(self):
        pending = set(self._outbox_ids("pending"))
        assert self.created <= pending | set(self.hub.applied), "an event vanished unconfirmed"
        assert all(times == 1 for times in self.hub.applied.values())
        assert self.hub.applied_seqs == sorted(set(self.hub.applied_seqs)), "applied out of outbox order"
        assert not self._outbox_ids("rejected")

    @invariant()
    def cursor_never_passes_unapplied_changes(self):
        status = sync_service.sync_status(self.db)
        expected: dict[dt.date, bool] = {}
        for change in self.hub.feed:
            if change.seq <= status.cursor:
                expected[dt.date.fromisoformat(change.payload["day"])] = change.payload["is_working_day"]
        with self.db.read() as session:
            local = {r.day: r.is_working_day for r in session.query(m.CalendarOverride)}
        assert local == expected

    def teardown(self):
        try:
            report = self._runner().run()
            assert report.ok, report.error
            status = sync_service.sync_status(self.db)
            assert status.pending == 0
            assert self.created <= set(self.hub.applied)
            assert status.cursor == (self.hub.feed[-1].seq if self.hub.feed else 0)
        finally:
            self.db.dispose()
            shutil.rmtree(self.folder, ignore_errors=True)


def test_outbox_and_cursor_survive_any_fault_sequence(template_database):
    OutboxMachine.template = template_database
    OutboxMachine.TestCase.settings = settings(
        max_examples=25,
        stateful_step_count=25,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    OutboxMachine.TestCase().runTest()
