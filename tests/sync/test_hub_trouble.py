"""A hub in trouble (5xx) is an outage to the window: nothing leaves the outbox, the
sync says so in plain words, and a hub whose disk is full is named as such. Against a
real HTTP server on loopback answering as the hub does."""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from windowdesk.domain.ids import resident_id_check_char
from windowdesk.i18n import set_locale
from windowdesk.services import applicants
from windowdesk.services.sync import TURN_LATENESS, SyncCancelled, SyncReport, SyncRunner
from windowdesk.storage import models as m
from windowdesk.sync import protocol
from windowdesk.sync.client import MAX_TURN_WAIT, HubBusy, HubClient, HubUnreachable


class _TroubledHub(BaseHTTPRequestHandler):
    """Answers every request with the status and error body set on the server."""

    def _answer(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        status, error = self.server.reply  # type: ignore[attr-defined]
        body = json.dumps({"error": error}).encode() if error else b"Service Unavailable"
        self.send_response(status)
        self.send_header("Content-Type", "application/json" if error else "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Retry-After", "60")
        self.end_headers()
        self.wfile.write(body)
        self.server.paths.append(self.path)  # type: ignore[attr-defined]

    do_GET = do_POST = _answer

    def log_message(self, *_args) -> None:
        """Quiet: what was asked is kept in ``server.paths``."""


@contextlib.contextmanager
def _serving(handler: type[BaseHTTPRequestHandler]) -> Iterator[ThreadingHTTPServer]:
    """An HTTP server on loopback answering with ``handler``, on a thread of its own."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def troubled_hub() -> Iterator[ThreadingHTTPServer]:
    with _serving(_TroubledHub) as server:
        server.paths = []  # type: ignore[attr-defined]
        yield server


DISK_FULL = {
    "code": protocol.ERROR_HUB_DISK_FULL,
    "title": "The hub's disk is full",
    "message": "The hub cannot store anything until its administrator frees space on its disk.",
}


def _register_someone(demo) -> None:
    first17 = "23090219750612345"
    applicants.register_resident(demo.db, demo.ctx, id_number=first17 + resident_id_check_char(first17), name="周建华")


def _sync_with(demo, server: ThreadingHTTPServer) -> SyncReport:
    client = HubClient(f"http://127.0.0.1:{server.server_address[1]}", "token")
    try:
        return SyncRunner(demo.db, client, retries=0).run()
    finally:
        client.close()


def _outbox(demo) -> list[tuple[str, str, int]]:
    with demo.db.read() as session:
        return [(e.event_id, e.state, e.attempts) for e in session.query(m.OutboxEvent).order_by(m.OutboxEvent.seq)]


@pytest.mark.parametrize(
    ("reply", "title"),
    [
        ((503, DISK_FULL), "The hub's disk is full"),
        ((503, None), "The hub cannot be reached"),
        (
            (500, {"code": "internal_error", "title": "The hub met a problem", "message": "…"}),
            "The hub cannot be reached",
        ),
    ],
)
def test_a_hub_in_trouble_keeps_the_outbox_and_says_why(demo, troubled_hub, reply, title) -> None:
    set_locale("en")
    _register_someone(demo)
    before = _outbox(demo)
    assert before
    troubled_hub.reply = reply
    report = _sync_with(demo, troubled_hub)

    assert isinstance(report.error, HubUnreachable)
    assert report.error.title == title
    if reply[1] is DISK_FULL:
        assert "tell your administrator" in report.error.message
    # The look at the hub's generation, then one push; no retry, no pull.
    assert troubled_hub.paths == [f"{protocol.API_PREFIX}/health", f"{protocol.API_PREFIX}/push"]
    after = _outbox(demo)
    assert [(event_id, state) for event_id, state, _ in after] == [(event_id, state) for event_id, state, _ in before]
    assert report.applied == 0 and report.pulled == 0


def test_the_full_disk_message_is_translated() -> None:
    from windowdesk.i18n import _

    set_locale("zh_CN")
    try:
        assert _("The hub's disk is full") != "The hub's disk is full"
    finally:
        set_locale("en")


# --- a busy hub: the window waits for its turn ---------------------------------------------


def _busy(retry_after) -> tuple[int, dict]:
    return 503, {
        "code": protocol.ERROR_HUB_BUSY,
        "title": "The hub is busy",
        "message": "…",
        "retry_after": retry_after,
    }


@pytest.mark.parametrize(
    ("retry_after", "waited"),
    [
        (0.25, 0.25),  # the hub's precise figure
        ("soon", 60.0),
        (None, 60.0),
        (True, 60.0),
        (float("nan"), 60.0),  # its Retry-After header (60)
        (-3, 0.0),
        (1e9, MAX_TURN_WAIT),  # kept within reason
    ],
)
def test_a_busy_hubs_turn_is_read_from_its_answer(troubled_hub, retry_after, waited) -> None:
    troubled_hub.reply = _busy(retry_after)
    client = HubClient(f"http://127.0.0.1:{troubled_hub.server_address[1]}", "token")
    try:
        with pytest.raises(HubBusy) as busy:
            client.push([])
    finally:
        client.close()
    assert busy.value.retry_after == pytest.approx(waited)
    assert isinstance(busy.value, HubUnreachable)  # every caller that knows no turns retries later


def test_waiting_for_turns_is_no_failure_until_the_longest_wait_is_spent(demo, troubled_hub) -> None:
    set_locale("en")
    _register_someone(demo)
    before = _outbox(demo)
    troubled_hub.reply = _busy(0.2)
    turns: list[float] = []
    client = HubClient(f"http://127.0.0.1:{troubled_hub.server_address[1]}", "token")
    try:
        # No retries for failures at all: only turns are waited for, here up to 0.5 s in all.
        report = SyncRunner(demo.db, client, retries=0, longest_turn_wait=0.5).run(
            progress=lambda state: turns.append(state.turn_in) if state.turn_in is not None else None
        )
    finally:
        client.close()

    assert isinstance(report.error, HubBusy)
    assert report.error.title == "The hub is busy"
    assert "waits for its turn" in report.error.message
    pushes = [path for path in troubled_hub.paths if path.endswith("/push")]
    assert len(pushes) == 3  # answered busy, waited 0.2 s twice, then gave up: 0.6 s > 0.5 s
    assert len(turns) == 2 and all(0.2 <= wait <= 0.2 + TURN_LATENESS for wait in turns)
    after = _outbox(demo)
    assert [(event_id, state) for event_id, state, _ in after] == [(event_id, state) for event_id, state, _ in before]


def test_stopping_a_sync_that_waits_for_its_turn_stops_it_at_once(demo, troubled_hub) -> None:
    set_locale("en")
    _register_someone(demo)
    troubled_hub.reply = _busy(30)
    cancel = threading.Event()
    client = HubClient(f"http://127.0.0.1:{troubled_hub.server_address[1]}", "token")
    try:

        def stop_when_waiting(state) -> None:
            if state.turn_in is not None:
                cancel.set()

        started = time.monotonic()
        report = SyncRunner(demo.db, client).run(cancel, progress=stop_when_waiting)
        took = time.monotonic() - started
    finally:
        client.close()
    assert isinstance(report.error, SyncCancelled)
    assert took < 10  # not the 30 s turn


# --- replies a JSON parser reads, but that are not what a hub can mean -------------------

HALF_AN_EMOJI = "\\ud83d"  # as JSON escapes it: half of a UTF-16 pair, which Python reads anyway
TOO_DEEP = "[" * 100_000 + "]" * 100_000  # Python's parser gives up with RecursionError


def _push_reply(events: list[dict], reason: str) -> str:
    results = ",".join(f'{{"event_id":"{e["event_id"]}","status":"rejected","reason":"{reason}"}}' for e in events)
    return f'{{"results":[{results}],"in_flight":1}}'


def _changes_reply(note: str) -> str:
    change = (
        f'{{"seq":1,"kind":"{protocol.CHANGE_NOTE}","entity":"case","entity_id":"c1",'
        f'"payload":{{"case_id":"c1","at":"2026-12-04T08:00:00+00:00","note":"{note}"}}}}'
    )
    return f'{{"changes":[{change}],"next_cursor":1,"has_more":false}}'


ODD_REPLIES = {
    # Every event rejected, its reason ending in half an emoji; a note that does the same.
    "half-character": (
        lambda events: _push_reply(events, f"refused {HALF_AN_EMOJI}"),
        _changes_reply(f"ok {HALF_AN_EMOJI}"),
    ),
    "too-deep": (lambda _events: TOO_DEEP, TOO_DEEP),
}


class _OddlyAnsweringHub(BaseHTTPRequestHandler):
    """Answers a push and a page of changes with the server's ``odd`` replies."""

    def _reply(self, text: str) -> None:
        body = text.encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self) -> None:
        self.server.languages.append(self.headers.get("Accept-Language"))  # type: ignore[attr-defined]
        events = json.loads(self.rfile.read(int(self.headers["Content-Length"])))["events"]
        self._reply(self.server.odd[0](events))  # type: ignore[attr-defined]

    def do_GET(self) -> None:
        self._reply(self.server.odd[1])  # type: ignore[attr-defined]

    def log_message(self, *_args) -> None:
        """Quiet."""


@pytest.fixture
def oddly_answering_hub() -> Iterator[ThreadingHTTPServer]:
    with _serving(_OddlyAnsweringHub) as server:
        server.languages = []  # type: ignore[attr-defined]
        yield server


@pytest.mark.parametrize("odd", sorted(ODD_REPLIES))
@pytest.mark.parametrize("phase", ["push", "pull"])
def test_a_reply_no_hub_can_mean_is_a_malformed_reply_and_nothing_is_lost(
    demo, oddly_answering_hub: ThreadingHTTPServer, phase: str, odd: str
) -> None:
    """Found by probing: a rejection reason holding half a character reached the outbox's
    last_error, which the database could not encode, and JSON nested deeper than Python's
    parser goes raised RecursionError: either way the sync ended in a raw exception
    instead of plain words."""
    set_locale("en")
    oddly_answering_hub.odd = ODD_REPLIES[odd]  # type: ignore[attr-defined]
    if phase == "push":
        _register_someone(demo)
    else:  # nothing to send: the sync goes straight to the pull
        with demo.db.write() as session:
            session.query(m.OutboxEvent).delete()
    before = _outbox(demo)
    report = _sync_with(demo, oddly_answering_hub)

    assert isinstance(report.error, HubUnreachable)
    assert report.error.title == "The hub cannot be reached"
    # Nothing marked rejected on the strength of that reply: still to send, as after an outage.
    assert [(event_id, state) for event_id, state, _ in _outbox(demo)] == [(e, state) for e, state, _ in before]
    with demo.db.read() as session:
        assert session.query(m.LocalSetting).filter_by(key="sync.cursor").one_or_none() is None


def test_a_chinese_window_says_its_language_and_reads_the_trouble_in_chinese(
    demo, oddly_answering_hub: ThreadingHTTPServer
) -> None:
    set_locale("zh_CN")
    oddly_answering_hub.odd = ODD_REPLIES["too-deep"]  # type: ignore[attr-defined]
    _register_someone(demo)
    report = _sync_with(demo, oddly_answering_hub)

    assert oddly_answering_hub.languages == ["zh-CN"]  # type: ignore[attr-defined]
    assert report.error.title == "无法连接市级平台"
    assert report.error.message.endswith("（应答无法读取，HTTP 200）。")
