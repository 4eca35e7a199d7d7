"""The push batches the client builds straight from the outbox's stored JSON: the same
events as the outbox rows, in order, bounded in count and bytes, rejected ones left out;
each naming the batch before it ("after"), two on the wire at once when the hub keeps
that order, one at a time when it does not say so."""

from __future__ import annotations

import datetime as dt
import json
import threading
from pathlib import Path

import pytest

from tests.administrators import leave_the_demo_password
from tests.wire_form import wire, wire_head
from windowdesk.domain.ids import resident_id_check_char
from windowdesk.paths import resources_dir
from windowdesk.services import applicants, bootstrap
from windowdesk.services import sync as sync_service
from windowdesk.storage import models as m
from windowdesk.storage.db import Database, compact_json
from windowdesk.storage.migrate import migrate_to_head
from windowdesk.sync import outbox, protocol
from windowdesk.sync.client import HubRefused, HubUnreachable
from windowdesk.sync.protocol import EventKind

from .hub_stand_in import HubStandIn


def _id_number(n: int) -> str:
    first17 = f"230902{19500101 + n % 28:08d}{n % 1000:03d}"
    return first17 + resident_id_check_char(first17)


@pytest.fixture
def station(tmp_path: Path):
    path = tmp_path / "windowdesk.sqlite3"
    migrate_to_head(path, tmp_path / "backups")
    db = Database(path)
    ctx = bootstrap.ensure_demo(db, resources_dir())
    leave_the_demo_password(db)  # a demo folder syncs nothing with its published password
    for n in range(1, 13):
        applicants.register_resident(db, ctx, id_number=_id_number(n), name=f"居民{n}")
    try:
        yield db
    finally:
        db.dispose()


def _outbox(db) -> list[dict]:
    with db.read() as session:
        return [wire(e) for e in session.query(m.OutboxEvent).filter_by(state="pending").order_by(m.OutboxEvent.seq)]


def _events(batch) -> list[dict]:
    return json.loads(batch.push.body)["events"]


def test_an_encoded_batch_holds_the_outbox_rows_as_the_protocol_names_them(station) -> None:
    expected = _outbox(station)
    assert len(expected) >= 24
    with station.read() as session:
        batch = sync_service._read_batch(session, 0, 10, 1_000_000)
    body = json.loads(batch.push.body.decode("utf-8"))
    assert body == {"events": expected[:10]}
    assert _events(batch) == expected[:10]
    assert batch.push.event_ids == tuple(e["event_id"] for e in expected[:10])
    assert batch.last_seq == expected[9]["seq"]

    with station.read() as session:
        following = sync_service._read_batch(session, batch.last_seq, 10, 1_000_000)
    assert _events(following) == expected[10:20]


def _old_wire_body(rows: list[m.OutboxEvent], protocol_version: int) -> bytes:
    """A batch's body as the window wrote it before its heads were written from the stored
    columns: each head by the JSON encoder from the row's Python values."""
    encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    heads, payloads = [], []
    for e in rows:
        payload = compact_json(e.payload).encode()
        head = encode(wire_head(e))
        if protocol_version >= 2:
            heads.append(f'{head[:-1]},"payload_bytes":{len(payload)}}}'.encode())
            payloads.append(payload)
        else:
            heads.append(head[:-1].encode() + b',"payload":' + payload + b"}")
    if protocol_version >= 2:
        return protocol.push_body_v2(heads, payloads)
    return b'{"events":[' + b",".join(heads) + b"]}"


@pytest.mark.parametrize("protocol_version", [1, 2])
def test_a_batch_is_byte_for_byte_what_the_json_encoder_writes_of_its_rows(station, protocol_version) -> None:
    """The heads are written from the stored columns as they are (no conversion per row):
    the same bytes as the encoder's, for texts JSON must escape and times whose
    microseconds are zero (isoformat leaves them out)."""
    with station.write() as session:
        session.query(m.OutboxEvent).delete()
        for n, (entity_id, at) in enumerate(
            [
                ('quote " and backslash \\ 王', dt.datetime(2026, 12, 8, 1, 2, 3, tzinfo=dt.UTC)),
                ("line\nbreak\ttab\x01\u2028\x7f", dt.datetime(2026, 12, 8, 1, 2, 3, 4, tzinfo=dt.UTC)),
                ("plain", dt.datetime(2026, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=8)))),
            ]
        ):
            outbox.enqueue(
                session,
                entity="resident",
                entity_id=entity_id,
                kind=EventKind.RESIDENT_REGISTERED,
                payload={"n": n, "name": "居民", "note": 'a "quoted" \\ note'},
                now=at,
            )
    with station.read() as session:
        rows = session.query(m.OutboxEvent).order_by(m.OutboxEvent.seq).all()
        expected, event_ids = _old_wire_body(rows, protocol_version), tuple(e.event_id for e in rows)
        batch = sync_service._read_batch(session, 0, 10, 1_000_000, protocol_version=protocol_version)
    assert batch.push.body == expected
    assert batch.push.event_ids == event_ids


def test_a_following_batch_names_the_last_event_of_the_one_before(station) -> None:
    expected = _outbox(station)
    with station.read() as session:
        first = sync_service._read_batch(session, 0, 10, 1_000_000)
        following = sync_service._read_batch(session, first.last_seq, 10, 1_000_000, first.last_event_id)
    assert first.last_event_id == expected[9]["event_id"]
    assert json.loads(following.push.body) == {"after": expected[9]["event_id"], "events": expected[10:20]}


def test_a_batch_stops_at_its_byte_bound_but_always_carries_one_event(station) -> None:
    expected = _outbox(station)
    with station.read() as session:
        one = sync_service._read_batch(session, 0, 500, 10)
        bounded = sync_service._read_batch(session, 0, 500, 2_000)
    assert _events(one) == expected[:1]
    assert 1 < len(bounded.push.event_ids) < len(expected)
    assert len(bounded.push.body) <= 2_000 + len(b'{"events":[]}')
    assert _events(bounded) == expected[: len(bounded.push.event_ids)]


def test_rejected_events_are_not_sent_again(station) -> None:
    expected = _outbox(station)
    with station.write() as session:
        row = session.query(m.OutboxEvent).filter_by(event_id=expected[1]["event_id"]).one()
        row.state = "rejected"
    with station.read() as session:
        batch = sync_service._read_batch(session, 0, 3, 1_000_000)
        nothing = sync_service._read_batch(session, expected[-1]["seq"], 3, 1_000_000)
    assert [e["event_id"] for e in _events(batch)] == [expected[i]["event_id"] for i in (0, 2, 3)]
    assert nothing is None


class _OrderlyHub(HubStandIn):
    """Answers every event applied, like the real hub: a batch whose "after" event it has
    not stored is refused (409 push_out_of_order). Counts how many pushes overlap; with
    ``in_flight`` None it answers as a hub from before "after" did (one at a time)."""

    def __init__(self, fail_at: int | None = None, in_flight: int | None = 2) -> None:
        self.sent: list[str] = []
        self.afters: list[str | None] = []
        self.calls = 0
        self.fail_at = fail_at
        self.in_flight = in_flight
        self.on_the_wire = 0
        self.most_on_the_wire = 0
        self._lock = threading.Lock()

    def push_encoded(self, batch: protocol.EncodedPush) -> protocol.PushAnswer:
        body = json.loads(batch.body)
        with self._lock:
            self.calls += 1
            call = self.calls
            self.on_the_wire += 1
            self.most_on_the_wire = max(self.most_on_the_wire, self.on_the_wire)
        try:
            threading.Event().wait(0.01)  # the next batch is being prepared (or sent) meanwhile
            with self._lock:
                if call == self.fail_at:
                    raise HubUnreachable("lost", "connection dropped")
                after = body.get("after")
                if after is not None and after not in self.sent:
                    raise HubRefused("Sent out of order", "not yet", status=409, code=protocol.ERROR_PUSH_OUT_OF_ORDER)
                self.afters.append(after)
                ids = [e["event_id"] for e in body["events"]]
                self.sent += ids
            results = [protocol.PushResult(event_id, protocol.APPLIED, "") for event_id in ids]
            return protocol.PushAnswer(results, self.in_flight or 1)
        finally:
            with self._lock:
                self.on_the_wire -= 1

    def changes(self, after, limit):
        return protocol.ChangesPage((), after, False)


def test_a_push_sends_every_event_once_in_outbox_order_each_batch_naming_the_one_before(station) -> None:
    expected = [e["event_id"] for e in _outbox(station)]
    hub = _OrderlyHub()
    report = sync_service.SyncRunner(station, hub, push_batch=5, retries=0).run()
    assert report.ok, report.error
    assert hub.sent == expected
    assert hub.afters == [None] + [expected[i] for i in range(4, len(expected) - 1, 5)]
    assert hub.most_on_the_wire == 2  # the next batch goes out while the hub applies one
    assert report.applied == len(expected)
    assert _outbox(station) == []


def test_a_hub_that_does_not_keep_the_order_gets_one_batch_at_a_time(station) -> None:
    expected = [e["event_id"] for e in _outbox(station)]
    hub = _OrderlyHub(in_flight=None)
    report = sync_service.SyncRunner(station, hub, push_batch=5, retries=0).run()
    assert report.ok, report.error
    assert hub.sent == expected
    assert hub.most_on_the_wire == 1


def test_a_failed_push_keeps_its_batch_and_everything_after_it(station) -> None:
    expected = [e["event_id"] for e in _outbox(station)]
    hub = _OrderlyHub(fail_at=3)
    report = sync_service.SyncRunner(station, hub, push_batch=5, retries=0).run()
    assert isinstance(report.error, HubUnreachable)
    assert hub.sent == expected[:10]
    left = _outbox(station)
    assert [e["event_id"] for e in left] == expected[10:]
    with station.read() as session:
        attempts = {r.event_id: r.attempts for r in session.query(m.OutboxEvent)}
    assert [attempts[i] for i in expected[10:15]] == [1] * 5
    assert {attempts[i] for i in expected[15:]} == {0}

    hub.fail_at = None
    report = sync_service.SyncRunner(station, hub, push_batch=5, retries=0).run()
    assert report.ok, report.error
    assert hub.sent == expected


class _HubThatHoldsTheNextBatch(_OrderlyHub):
    """Refuses the second batch outright (403) once the third, which names the second as
    "after", is waiting at the hub for it, as the real hub makes it wait: here until the
    test lets it go."""

    def __init__(self, second_after: str, third_after: str) -> None:
        super().__init__()
        self.second_after, self.third_after = second_after, third_after
        self.holding = threading.Event()
        self.let_go = threading.Event()

    def push_encoded(self, batch: protocol.EncodedPush) -> protocol.PushAnswer:
        after = json.loads(batch.body).get("after")
        if after == self.second_after:
            assert self.holding.wait(10), "the third batch never came"
            raise HubRefused(
                "Wrong center", "enrolled for another center", status=403, code=protocol.ERROR_WRONG_CENTER
            )
        if after == self.third_after:
            self.holding.set()
            try:
                assert self.let_go.wait(30), "the test never let the held batch go"
            finally:
                self.holding.clear()
        return super().push_encoded(batch)


def test_a_refused_batch_is_reported_without_waiting_for_the_batch_behind_it(station) -> None:
    expected = [e["event_id"] for e in _outbox(station)]
    hub = _HubThatHoldsTheNextBatch(second_after=expected[4], third_after=expected[9])
    try:
        report = sync_service.SyncRunner(station, hub, push_batch=5, retries=0).run()

        # The run is over while the batch behind the refused one is still held.
        assert hub.holding.is_set()
        assert isinstance(report.error, HubRefused) and report.error.code == protocol.ERROR_WRONG_CENTER
        assert hub.sent == expected[:5]
        with station.read() as session:
            rows = {
                r.event_id: (r.state, r.attempts, r.last_error)
                for r in session.query(m.OutboxEvent).order_by(m.OutboxEvent.seq)
            }
        # Only the answered batch left the pending ones: kept, marked sent.
        assert [i for i, row in rows.items() if row[0] == "sent"] == expected[:5]
        rows = {i: row for i, row in rows.items() if row[0] != "sent"}
        assert list(rows) == expected[5:]
        assert all(rows[i][:2] == ("pending", 1) and "another center" in rows[i][2] for i in expected[5:10])
        assert all(rows[i] == ("pending", 0, "") for i in expected[10:])
    finally:
        hub.let_go.set()


@pytest.mark.parametrize(
    ("in_flight", "expected"),
    [(None, 1), (1, 1), (2, 2), (64, protocol.PUSH_IN_FLIGHT)],
)
def test_the_batches_in_flight_are_what_the_hub_allows_and_at_most_two(in_flight, expected) -> None:
    reply = {"results": [{"event_id": "a", "status": "applied"}]}
    if in_flight is not None:
        reply["in_flight"] = in_flight
    answer = protocol.parse_push_answer(reply, ["a"])
    assert answer.in_flight == expected
    assert [r.status for r in answer.results] == ["applied"]


@pytest.mark.parametrize("in_flight", [0, -1, "2", True, 1.5, None])
def test_a_malformed_in_flight_is_a_malformed_reply(in_flight) -> None:
    reply = {"results": [{"event_id": "a", "status": "applied"}], "in_flight": in_flight}
    with pytest.raises(protocol.ProtocolError):
        protocol.parse_push_answer(reply, ["a"])


def test_recording_a_batch_the_hub_took_whole_reads_no_outbox_row(station) -> None:
    """Confirmed events move to the kept ones in two statements; with nothing refused, the
    outbox's rows are not read (an empty IN list once read them all, payloads decrypted)."""
    from sqlalchemy import event

    statements: list[str] = []

    def seen(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    event.listen(station.write_engine, "before_cursor_execute", seen)
    try:
        report = sync_service.SyncRunner(station, _OrderlyHub(in_flight=None), push_batch=50, retries=0).run()
    finally:
        event.remove(station.write_engine, "before_cursor_execute", seen)
    assert report.ok and report.applied >= 24
    reads = [s for s in statements if s.startswith("SELECT") and "FROM outbox" in s]
    assert reads == []


def test_recording_an_answer_marks_the_rows_sent_in_place_and_copies_or_deletes_nothing(station) -> None:
    """A confirmed batch is one UPDATE of its outbox rows (state sent, the time of the
    answer): no copy of the rows into another table, no delete (on the encrypted file the
    copy and the zeroed delete were half of the window's CPU in a push, bench/README.md,
    issue 29, outbox). The rows, payloads and all, are as they were. Fails on 9cd91e1,
    which copied them into sent_events and deleted them here."""
    from sqlalchemy import event

    expected = _outbox(station)
    statements: list[str] = []

    def seen(_conn, _cursor, statement, *_args) -> None:
        statements.append(" ".join(statement.split()))

    answered = dt.datetime(2026, 12, 8, 3, 30, 1, 250_000, tzinfo=dt.UTC)
    hub = _OrderlyHub(in_flight=None)
    event.listen(station.write_engine, "before_cursor_execute", seen)
    try:
        report = sync_service.SyncRunner(station, hub, push_batch=20, retries=0, clock=lambda: answered).run()
    finally:
        event.remove(station.write_engine, "before_cursor_execute", seen)
    assert report.ok and report.applied == len(expected) > 40 and hub.calls == -(-len(expected) // 20)

    outbox_writes = [s for s in statements if s.startswith(("INSERT", "UPDATE", "DELETE")) and "outbox" in s]
    marks = [s for s in outbox_writes if s.startswith("UPDATE outbox SET state=")]
    assert len(marks) == hub.calls  # one a batch
    # Besides the marks, only the forgetting of events confirmed 30 days ago (none here).
    assert [s for s in outbox_writes if s not in marks] == [
        "DELETE FROM outbox WHERE outbox.confirmed_at < ? AND outbox.confirmed_at IS NOT NULL AND outbox.state = 'sent'"
    ]
    assert not [s for s in statements if "sent_events" in s]
    with station.read() as session:
        rows = session.query(m.OutboxEvent).order_by(m.OutboxEvent.seq).all()
        kept = [wire(e) for e in rows if e.state == "sent"]
        assert {(e.state, e.confirmed_at) for e in rows if e.event_id in {x["event_id"] for x in expected}} == {
            ("sent", answered)
        }
    assert kept == expected


def _plans(db, run) -> list[str]:
    """The query plans of the statements ``run(session)`` sends, in a transaction rolled back."""
    from sqlalchemy import event

    sent: list[tuple[str, object]] = []

    def seen(_conn, _cursor, statement, parameters, *_args) -> None:
        sent.append((statement, parameters))

    with db.write() as session:
        connection = session.connection()
        event.listen(connection, "before_cursor_execute", seen)
        try:
            run(session)
        finally:
            event.remove(connection, "before_cursor_execute", seen)
        raw = connection.connection.driver_connection
        plans = [
            " ".join(row[-1] for row in raw.execute("EXPLAIN QUERY PLAN " + statement, parameters))
            for statement, parameters in sent
        ]
        session.rollback()
    return plans


def test_the_push_reads_pending_rows_and_the_forgetting_kept_ones_each_by_an_index_of_their_own(station) -> None:
    """The outbox keeps the confirmed events 30 days (marked sent): the push's read walks
    the partial index of the pending rows only, and the forgetting and the sending again
    after a hub restore walk the confirmed rows by their time, never the whole table."""
    from windowdesk.storage import sent_events, sync_queries

    with station.write() as session:  # half the events confirmed, as after an earlier sync
        seqs = [e["seq"] for e in _outbox(station)]
        ids = [e["event_id"] for e in _outbox(station)][: len(seqs) // 2]
        sent_events.keep_confirmed(session, ids, dt.datetime(2026, 11, 1, tzinfo=dt.UTC))

    [read] = _plans(station, lambda session: sync_queries.pending_outbox_rows(session, after_seq=seqs[3], limit=500))
    assert read == "SEARCH outbox USING INDEX ix_outbox_pending (seq>?)", read
    [forget] = _plans(station, lambda session: sent_events.forget_older_than(session, dt.datetime.now(dt.UTC)))
    assert forget.startswith("SEARCH outbox USING INDEX ix_outbox_confirmed_at (") and "confirmed_at<?" in forget, (
        forget
    )
    [again] = _plans(station, sent_events.send_again)
    assert again.startswith("SEARCH outbox USING INDEX ix_outbox_confirmed_at ("), again
    with station.read() as session:  # all that rolled back
        assert len(sync_queries.pending_outbox_rows(session, after_seq=0, limit=500)) == len(seqs) - len(ids)
