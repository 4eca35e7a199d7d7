"""Sync with the hub: push the outbox in order, pull the change feed after our cursor.

Runs in a background worker; the counter keeps working meanwhile (each step is its own
short transaction). Any interruption — a dropped connection, a killed process — is
safe: the outbox keeps every event until the hub confirms it, and the cursor moves only
together with the changes it covers.

A confirmed event is kept 30 days more (storage/sent_events.py): a hub restored from a
backup names a new generation, and the window sends its kept events again before
anything else (the hub answers "duplicate" for what the backup had).
"""

from __future__ import annotations

import collections
import datetime as dt
import functools
import json
import logging
import random
import threading
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, wait
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from windowdesk.domain.outbox_state import OutboxState
from windowdesk.errors import StorageError, WindowdeskError
from windowdesk.heap import young_collections_deferred
from windowdesk.i18n import _
from windowdesk.services import form_files, queue_figures
from windowdesk.services.context import utc_now
from windowdesk.services.sync_apply import apply_change, load_page_cases, store_page
from windowdesk.storage import queries, sent_events, sync_queries
from windowdesk.storage.db import Database, Session
from windowdesk.storage.refusal_queries import unresolved_refusal_count
from windowdesk.sync import protocol
from windowdesk.sync.hub_pin import HubPin
from windowdesk.sync.protocol import KEEP_SENT_DAYS

if TYPE_CHECKING:  # the network stack loads on first use, not at start-up
    from windowdesk.services.queue_settings import HallConnection
    from windowdesk.sync.blobs import BlobSource
    from windowdesk.sync.client import HubClient

# What support reads in the window's log file: each attempt, retry, wait for a turn,
# refusal and failure, by ids and counts only (never a record's contents).
log = logging.getLogger("windowdesk.sync")

KEY_HUB_URL = "sync.hub_url"
KEY_WORKSTATION = "sync.workstation_id"
KEY_CURSOR = "sync.cursor"
KEY_LAST_SUCCESS = "sync.last_success"
# A PEM file of the private CA the hub's certificate chains to; unset: the system's CAs.
KEY_CA_BUNDLE = "sync.ca_bundle"
# A random id of this installation, sent with an enrollment code: if the hub's answer is
# lost, asking again with the same code is answered again (hub services.enrollment).
KEY_INSTALLATION = "sync.installation_id"
# The generation of the hub's database last seen (protocol.HEADER_HUB_GENERATION).
KEY_HUB_GENERATION = "sync.hub_generation"
# The hub this window was enrolled with (sync/hub_pin.py): its lasting id, and over HTTPS
# the SHA-256 fingerprint of its certificate. Set only by an administrator's enrollment.
KEY_HUB_ID = "sync.hub_id"
KEY_HUB_CERTIFICATE = "sync.hub_certificate_sha256"
# "1": an administrator allowed plain http:// to a hub that is not on this computer.
KEY_PLAIN_HTTP_ALLOWED = "sync.plain_http_allowed"
KEEP_SENT = dt.timedelta(days=KEEP_SENT_DAYS)

# Events per push request, at most the hub's limit, and at most about this many bytes
# of request body: fewer, bigger requests cost the hub less per event (a transaction and
# its fsync, the view of what the batch mentions), and a megabyte still goes over a slow
# link well within the read timeout.
PUSH_BATCH = protocol.MAX_PUSH_BATCH
# The most a sync waits in all for a busy hub's turns for one batch before it gives up
# (the next sync tries again); an end-of-day crowd of hundreds of windows takes about a minute.
LONGEST_TURN_WAIT = 600.0
TURN_LATENESS = 0.05  # at most this late for a turn (a little jitter)
PUSH_BYTES = 1_000_000
# The most the hub sends in one reply (its cap): each page read, applied and committed
# has a cost of its own (the page's reads, the commit's writes of the same index pages),
# which 1,000 changes share better than 500 (bench/README.md, aim 3 of issue 29).
PULL_PAGE = protocol.MAX_CHANGES_PAGE
# The most pages applied in one transaction (pages already fetched, taken together): a
# run of 4,000 changes holds the write lock for about a third of a second (this project's
# 2-core machine, bench/pull_apply.py), which a counter's own save may wait behind.
PULL_RUN_PAGES = 4
# While a run of pages is applied, the collector's youngest generation waits for this many
# new objects (net) instead of 700: a page of 1,000 decisions makes tens of thousands of
# short-lived dicts and tuples and no garbage cycle, and the passes they set off (about 8
# a page, with a full one every few pages) came to a tenth of a pull's CPU
# (bench/pull_apply.py, issue 29 aim 3). Restored when the run's transaction ends
# (windowdesk.heap.young_collections_deferred).
PULL_YOUNG_GC_THRESHOLD = 100_000
CANCEL_CHECK_SECONDS = 0.1  # how soon "Stop" takes effect while a request is on the wire


class SyncCancelled(WindowdeskError):
    pass


class UnreadableChange(WindowdeskError):
    pass


@dataclass(frozen=True)
class SyncStatus:
    enrolled: bool
    hub_url: str
    pending: int
    rejected: int  # refused by the hub and not yet resolved by a supervisor
    last_success: dt.datetime | None
    cursor: int


@dataclass
class SyncProgress:
    phase: str  # push / pull / done
    pushed: int = 0
    to_push: int = 0
    pulled: int = 0
    # Seconds until the hub's turn for this window's next batch (it is busy with other
    # windows' pushes); None when not waiting for one.
    turn_in: float | None = None
    # Scanned pages (phase "pages", after the events): bytes sent of those waiting, and
    # how many pages wait for the hub's confirmation.
    pages_waiting: int = 0
    page_bytes_sent: int = 0
    page_bytes_total: int = 0


@dataclass
class SyncReport:
    applied: int = 0
    duplicates: int = 0
    rejected: list[tuple[str, str]] = field(default_factory=list)  # (kind, reason)
    pulled: int = 0
    changed_kinds: set[str] = field(default_factory=set)
    error: WindowdeskError | None = None
    finished_at: dt.datetime | None = None
    sent_again: int = 0  # confirmed events put back into the outbox: the hub was restored
    pages_confirmed: int = 0  # scanned pages the hub now holds whole
    page_bytes_sent: int = 0
    pages_refused: list[tuple[str, str]] = field(default_factory=list)  # (sha256, the hub's words)
    applications_fetched: int = 0  # online applications (网上预审) whose values and pages came

    @property
    def ok(self) -> bool:
        return self.error is None


# The settings the status reads.
STATUS_KEYS = (KEY_LAST_SUCCESS, KEY_WORKSTATION, KEY_HUB_URL, KEY_CURSOR)


def sync_status(db: Database, settings: Mapping[str, str] | None = None) -> SyncStatus:
    """``settings``: STATUS_KEYS read already (preferences.read_settings); else read here,
    in one statement."""
    with db.read() as session:
        if settings is None:
            settings = queries.local_settings(session, STATUS_KEYS)
        last = settings.get(KEY_LAST_SUCCESS)
        return SyncStatus(
            enrolled=bool(settings.get(KEY_WORKSTATION)),
            hub_url=settings.get(KEY_HUB_URL) or "",
            pending=queries.outbox_count(session),
            rejected=unresolved_refusal_count(session),
            last_success=dt.datetime.fromisoformat(last) if last else None,
            cursor=int(settings.get(KEY_CURSOR) or 0),
        )


def hub_address(db: Database) -> str | None:
    with db.read() as session:
        return queries.local_setting(session, KEY_HUB_URL)


def ca_bundle(db: Database) -> str | None:
    with db.read() as session:
        return queries.local_setting(session, KEY_CA_BUNDLE) or None


def hub_client_for(db: Database, token: str | None = None) -> HubClient:
    """A client for this workstation's hub: its address, its TLS setting, and the hub's
    identity pinned at enrollment, checked on every reply (sync/hub_pin.py)."""
    with db.read() as session:
        url = queries.local_setting(session, KEY_HUB_URL) or ""
        bundle = queries.local_setting(session, KEY_CA_BUNDLE) or None
        pin = HubPin(
            hub_id=queries.local_setting(session, KEY_HUB_ID) or "",
            certificate_sha256=queries.local_setting(session, KEY_HUB_CERTIFICATE) or "",
        )
    from windowdesk.sync.client import HubClient

    return HubClient(url.strip().rstrip("/"), token, ca_bundle=bundle, pin=pin)


def workstation_account(db: Database) -> str | None:
    """The keyring account of this workstation's token: hub address + workstation id."""
    with db.read() as session:
        url = queries.local_setting(session, KEY_HUB_URL)
        ws = queries.local_setting(session, KEY_WORKSTATION)
    return f"{url}#{ws}" if url and ws else None


_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
# A str as _encode writes it (the function json's encoder itself calls for one).
_json_string: Callable[[str], str] = json.encoder.encode_basestring


@dataclass(frozen=True)
class _Batch:
    push: protocol.EncodedPush
    last_seq: int

    @property
    def last_event_id(self) -> str:
        return self.push.event_ids[-1]


def _head_text(row: sync_queries.OutboxRow) -> str:
    """An outbox row's head as the push protocol carries it (its event's id, seq, record,
    kind and time: the JSON object without its closing brace), written from the stored
    columns as they are: the same text, at a fraction of the cost (the
    push reads 500 rows a batch)."""
    return (
        f'{{"event_id":{_json_string(row.event_id)},"seq":{row.seq},"entity":{_json_string(row.entity)},'
        f'"entity_id":{_json_string(row.entity_id)},"kind":{_json_string(row.kind)},'
        f'"created_at":{_json_string(row.created_at)}'
    )


def _read_batch(
    session: Session,
    after_seq: int,
    limit: int,
    max_bytes: int,
    after_event: str | None = None,
    *,
    protocol_version: int = 1,
) -> _Batch | None:
    """The next pending events after ``after_seq``, in order, encoded as a push body of at
    most ``max_bytes`` (but at least one event, however big). ``after_event``: the last
    event of the batch sent before it in this sync, which the hub must store first.
    ``protocol_version``: the body's (sync/protocol.py), the one the hub and window share."""
    rows = sync_queries.pending_outbox_rows(session, after_seq=after_seq, limit=limit)
    if protocol_version >= 2:
        return _read_batch_v2(rows, after_seq, max_bytes, after_event)
    parts: list[bytes] = []
    event_ids: list[str] = []
    size = 0
    last_seq = after_seq
    for row in rows:
        part = b"".join((_head_text(row).encode(), b',"payload":', row.payload, b"}"))
        size += len(part) + 1
        if parts and size > max_bytes:
            break
        parts.append(part)
        event_ids.append(row.event_id)
        last_seq = row.seq
    if not parts:
        return None
    opening = f'{{"after":{_encode(after_event)},"events":['.encode() if after_event else b'{"events":['
    return _Batch(protocol.EncodedPush(opening + b",".join(parts) + b"]}", tuple(event_ids)), last_seq)


def _read_batch_v2(
    rows: Sequence[sync_queries.OutboxRow], after_seq: int, max_bytes: int, after_event: str | None
) -> _Batch | None:
    """As _read_batch, in protocol 2: the heads, then each payload's text as the outbox
    keeps it, so the hub may store it as it is."""
    heads: list[bytes] = []
    payloads: list[bytes] = []
    event_ids: list[str] = []
    size = 0
    last_seq = after_seq
    for row in rows:
        payload = row.payload
        head_bytes = f'{_head_text(row)},"payload_bytes":{len(payload)}}}'.encode()
        size += len(head_bytes) + 1 + len(payload)
        if heads and size > max_bytes:
            break
        heads.append(head_bytes)
        payloads.append(payload)
        event_ids.append(row.event_id)
        last_seq = row.seq
    if not heads:
        return None
    body = protocol.push_body_v2(heads, payloads, after_event)
    return _Batch(protocol.EncodedPush(body, tuple(event_ids), protocol=2), last_seq)


def _error_code(error: WindowdeskError) -> str:
    """The hub's code of a refusal (" (bad_token)"), for the log: never its message, which
    may quote what the window sent."""
    code = getattr(error, "code", None)
    return f" ({code})" if code else ""


def _stopped() -> SyncCancelled:
    return SyncCancelled(_("Sync stopped"), _("Sync was stopped; it resumes at the next attempt."))


def _in_background(work: Callable[[], object], name: str) -> Future:
    """``work`` on a daemon thread of its own. A request left on the wire by a stopped or
    failed sync finishes there, its answer unused, and never holds up closing the window."""
    done: Future = Future()

    def run() -> None:
        try:
            done.set_result(work())
        except BaseException as exc:  # noqa: BLE001 - handed to whoever waits for it
            done.set_exception(exc)

    threading.Thread(target=run, name=name, daemon=True).start()
    return done


def _await(  # noqa: ANN202 - the future's result
    future: Future,
    cancel: threading.Event,
    stopped: Callable[[], WindowdeskError] = _stopped,
):
    """The future's result, or ``stopped()`` as soon as ``cancel`` is set, even while a
    request is on the wire (up to the read timeout otherwise)."""
    while not wait([future], timeout=CANCEL_CHECK_SECONDS).done:
        if cancel.is_set():
            raise stopped()
    return future.result()


def _last_success_not_noted(error: WindowdeskError) -> StorageError:
    """The store's own words say "nothing was saved", which is not so here."""
    return StorageError(
        error.title,
        _(
            "Everything was sent and received, and it is kept on this computer. Only the time of this sync "
            "could not be noted, so the status bar still shows the one before."
        ),
    )


class SyncRunner:
    """One sync pass. Plain inputs, a cancel event and a progress sink: no widgets."""

    def __init__(
        self,
        db: Database,
        client: HubClient,
        *,
        push_batch: int = PUSH_BATCH,
        push_bytes: int = PUSH_BYTES,
        pull_page: int = PULL_PAGE,
        retries: int = 4,
        backoff_base: float = 0.5,
        backoff_cap: float = 20.0,
        longest_turn_wait: float = LONGEST_TURN_WAIT,
        clock: Callable[[], dt.datetime] = utc_now,
        blobs: BlobSource | None = None,
        hall: HallConnection | None = None,
    ) -> None:
        """``blobs``: the window's scanned pages, sent after the events (none: no pages).
        ``hall``: the center's queue service, whose finished days are put in the outbox
        before pushing (none: this window has no hall)."""
        self._db = db
        self._hall = hall
        self._blobs = blobs
        self._client = client
        self._push_batch = push_batch
        self._push_bytes = push_bytes
        self._pull_page = pull_page
        self._retries = retries
        self._backoff_base = backoff_base
        self._backoff_cap = backoff_cap
        self._longest_turn_wait = longest_turn_wait
        self._clock = clock

    def run(
        self, cancel: threading.Event | None = None, progress: Callable[[SyncProgress], None] | None = None
    ) -> SyncReport:
        cancel = cancel or threading.Event()
        report = SyncReport()
        state = SyncProgress("push")
        notify = progress or (lambda _p: None)
        with self._db.read() as session:
            workstation = queries.local_setting(session, KEY_WORKSTATION) or "-"
            pending = queries.outbox_count(session)
        log.info("sync started: workstation %s, %d events to push", workstation, pending)
        try:
            # Before anything is pushed: events waiting in the outbox may depend on kept
            # ones that a restored hub lacks, which must go first (their seqs are lower).
            self._learn_hub_generation()
            self._send_again_if_hub_restored(report)
            if self._hall is not None:
                queue_figures.carry_finished_days(self._db, self._hall, now=self._clock())
            self._push(cancel, report, state, notify)
            state.phase, state.turn_in = "pull", None
            notify(state)
            self._pull(cancel, report, state, notify)
            if self._send_again_if_hub_restored(report):  # the generation was named only now
                state.phase = "push"
                notify(state)
                self._push(cancel, report, state, notify)
            self._fetch_applications(cancel, report)
            if self._blobs is not None:  # every event first: pages never hold one up
                self._upload_pages(cancel, report, state, notify)
            # The files of the catalog's forms the pull named and the window lacks (issue 30).
            form_files.fetch_missing(self._db, self._client)
        except WindowdeskError as error:
            report.error = error
            log.warning("sync failed: %s%s", type(error).__name__, _error_code(error))
        else:
            report.finished_at = self._clock()
            try:
                with self._db.write() as session:
                    queries.set_local_setting(session, KEY_LAST_SUCCESS, report.finished_at.isoformat())
                    sent_events.forget_older_than(session, report.finished_at - KEEP_SENT)
            except WindowdeskError as error:
                # Not raised: the report of what was sent and received must reach the
                # window (its counts, and the screens to refresh for the changes pulled).
                report.error = _last_success_not_noted(error)
            log.info(
                "sync finished: %d applied, %d duplicates, %d refused, %d pulled, %d sent again, %d pages",
                report.applied,
                report.duplicates,
                len(report.rejected),
                report.pulled,
                report.sent_again,
                report.pages_confirmed,
            )
        state.phase, state.turn_in = "done", None
        notify(state)
        return report

    def _upload_pages(
        self, cancel: threading.Event, report: SyncReport, state: SyncProgress, notify: Callable[[SyncProgress], None]
    ) -> None:
        from windowdesk.services.page_upload import PageUploadCancelled, UploadProgress, upload_pages

        state.phase, state.turn_in = "pages", None

        def progressed(upload: UploadProgress) -> None:
            state.pages_waiting, state.page_bytes_sent, state.page_bytes_total = (
                upload.waiting,
                upload.sent_bytes,
                upload.total_bytes,
            )
            notify(state)

        def call(request: Callable[[], object]) -> object:
            return _await(self._retried_in_background(request, cancel, "windowdesk-pages"), cancel)

        assert self._blobs is not None
        try:
            uploaded = upload_pages(
                self._blobs, self._client, call=call, cancel=cancel, progress=progressed, clock=self._clock
            )
        except PageUploadCancelled:
            raise _stopped() from None
        report.pages_confirmed += uploaded.confirmed
        report.page_bytes_sent += uploaded.bytes_sent
        report.pages_refused += uploaded.refused

    def _fetch_applications(self, cancel: threading.Event, report: SyncReport) -> None:
        """网上预审: the center's online applications waiting for a pre-review, with their
        values and pages (services/application_fetch.py)."""
        from windowdesk.services.application_fetch import fetch_applications
        from windowdesk.storage.page_store import page_store_for

        def call(request: Callable[[], object]) -> object:
            return _await(self._retried_in_background(request, cancel, "windowdesk-applications"), cancel)

        fetched = fetch_applications(self._db, self._client, page_store_for(self._db), call=call)
        report.applications_fetched += fetched
        if fetched:
            report.changed_kinds.add(protocol.CHANGE_APPLICATION)

    def _learn_hub_generation(self) -> None:
        """Before anything is sent: the hub must be the one this window was enrolled with
        (plain message, nothing sent or changed here otherwise), over a link it may use."""
        from windowdesk.services.bootstrap import refuse_sync_with_demo_password
        from windowdesk.services.hub_enrollment import check_link, pin_hub_first_seen

        refuse_sync_with_demo_password(self._db)
        check_link(self._db, self._client.base_url)
        self._client.health()  # never raises; an unreachable hub is found out by the push
        if self._client.pin.identity_refused:
            from windowdesk.sync.client import hub_identity_changed

            raise hub_identity_changed()
        pin_hub_first_seen(self._db, self._client.pin)

    def _send_again_if_hub_restored(self, report: SyncReport) -> bool:
        """A new generation of the hub's database (it was restored from a backup) that this
        window has not seen: the confirmed events it kept go back into the outbox."""
        generation = self._client.hub_generation
        if not generation:
            return False
        with self._db.read() as session:
            if queries.local_setting(session, KEY_HUB_GENERATION) == generation:
                return False
        with self._db.write() as session:
            seen = queries.local_setting(session, KEY_HUB_GENERATION)
            queries.set_local_setting(session, KEY_HUB_GENERATION, generation)
            if not seen:  # the first generation this window sees: nothing was lost
                return False
            sent_again = sent_events.send_again(session)
        log.warning("the hub was restored (generation %s): %d confirmed events sent again", generation, sent_again)
        report.sent_again += sent_again
        return sent_again > 0

    def _with_retries(
        self, call: Callable[[], object], cancel: threading.Event, on_turn: Callable[[float], None] | None = None
    ) -> object:
        """Transient failures are retried with exponential backoff and full jitter. A busy
        hub's turn is waited for (told to ``on_turn``) without counting as a failure, up to
        ``longest_turn_wait`` seconds in all."""
        from windowdesk.sync.client import HubBusy, HubUnreachable

        attempt = 0
        waited_for_turns = 0.0
        while True:
            if cancel.is_set():
                raise _stopped()
            try:
                return call()
            except HubBusy as busy:
                # Slightly late rather than early: the hub keeps a turn for a moment, and a
                # window that comes early is only told to wait again. The hub has spread
                # the turns already, so only a little jitter.
                wait = busy.retry_after + random.uniform(0.0, TURN_LATENESS)
                if waited_for_turns + wait > self._longest_turn_wait:
                    log.warning("hub busy: gave up after waiting %.1f s for this window's turn", waited_for_turns)
                    raise
                waited_for_turns += wait
                log.info("hub busy: this window's turn comes in %.1f s", wait)
                if on_turn is not None:
                    on_turn(wait)
                cancel.wait(wait)  # wakes at once when cancelled
            except HubUnreachable as error:
                attempt += 1
                if attempt > self._retries:
                    raise
                delay = min(self._backoff_cap, self._backoff_base * 2 ** (attempt - 1))
                log.info(
                    "hub unreachable (%s): retry %d of %d within %.1f s",
                    type(error).__name__,
                    attempt,
                    self._retries,
                    delay,
                )
                cancel.wait(random.uniform(0, delay))  # wakes at once when cancelled

    def _next_batch(self, after: _Batch | None) -> _Batch | None:
        version = self._client.protocol  # learnt from the hub's /health at the start of the sync
        with self._db.read() as session:
            if after is None:
                return _read_batch(session, 0, self._push_batch, self._push_bytes, protocol_version=version)
            return _read_batch(
                session,
                after.last_seq,
                self._push_batch,
                self._push_bytes,
                after.last_event_id,
                protocol_version=version,
            )

    def _push(
        self, cancel: threading.Event, report: SyncReport, state: SyncProgress, notify: Callable[[SyncProgress], None]
    ) -> None:
        with self._db.read() as session:
            state.to_push = queries.outbox_count(session)
        notify(state)
        # Batches go out in outbox order, each naming the one before as "after", so the
        # hub applies them in that order however they reach it. Once the hub says it
        # keeps that order (its first answer), the next batch is on the wire while the
        # hub applies the one before; until then, one at a time. Answers are recorded
        # in order: one recorded late is safe (its events stay in the outbox until then,
        # and a resend is answered "duplicate").
        in_flight = 1
        sending: collections.deque[tuple[_Batch, Future]] = collections.deque()
        # Set when this push fails or is stopped: a batch still on the wire is then left
        # to finish on its own. It may be waiting at the hub for the batch that failed (up
        # to the hub's order wait), and the failure is reported now, not after that wait.
        # Its events stay in the outbox; if the hub did apply them, the next sync is told
        # "duplicate".
        abandoned = threading.Event()
        upcoming = self._next_batch(None)

        def send_while_room() -> None:
            nonlocal upcoming
            while upcoming is not None and len(sending) < in_flight:
                sending.append((upcoming, self._send_in_background(upcoming, cancel, abandoned, waiting_for_turn)))
                upcoming = self._next_batch(upcoming)

        def waiting_for_turn(seconds: float) -> None:  # on a sending thread
            state.turn_in = seconds
            notify(state)

        try:
            send_while_room()
            while sending:
                batch, future = sending.popleft()
                answer = self._answer(batch, future, cancel, waiting_for_turn)
                in_flight = answer.in_flight
                send_while_room()
                self._record_results(answer.results, report)
                state.pushed += len(answer.results)
                state.turn_in = None
                notify(state)
        except BaseException:
            abandoned.set()
            raise

    def _answer(
        self, batch: _Batch, sending: Future, cancel: threading.Event, on_turn: Callable[[float], None]
    ) -> protocol.PushAnswer:
        """The hub's answer to ``batch``; the batches before it are answered and recorded."""
        from windowdesk.sync.client import HubRefused

        try:
            try:
                return _await(sending, cancel)
            except HubRefused as refusal:
                if refusal.code != protocol.ERROR_PUSH_OUT_OF_ORDER:
                    raise
                # The batch before reached the hub only after this one gave up waiting
                # for it; it is stored now (its answer is recorded): send this one again.
                return _await(self._send_in_background(batch, cancel, on_turn=on_turn), cancel)
        except WindowdeskError as error:  # unreachable or refused: note it, then stop
            log.warning(
                "push of events %s to %s failed: %s%s",
                batch.push.event_ids[0],
                batch.last_event_id,
                type(error).__name__,
                _error_code(error),
            )
            self._note_failure(batch.push.event_ids, error)
            raise

    def _send_in_background(
        self,
        batch: _Batch,
        cancel: threading.Event,
        abandoned: threading.Event | None = None,
        on_turn: Callable[[float], None] | None = None,
    ) -> Future:
        """``batch`` sent (with retries) on a thread of its own; a batch of a push that has
        been ``abandoned`` is not sent (again)."""

        def push() -> protocol.PushAnswer:
            if abandoned is not None and abandoned.is_set():
                raise _stopped()
            return self._client.push_encoded(batch.push)

        return self._retried_in_background(push, cancel, "windowdesk-push", on_turn)

    def _retried_in_background(
        self,
        call: Callable[[], object],
        cancel: threading.Event,
        name: str,
        on_turn: Callable[[float], None] | None = None,
    ) -> Future:
        """``call`` (a request to the hub) with retries, on a daemon thread of its own."""
        return _in_background(functools.partial(self._with_retries, call, cancel, on_turn), name)

    def _note_failure(self, event_ids: Sequence[str], error: WindowdeskError) -> None:
        with self._db.write() as session:
            for row in queries.outbox_by_event_ids(session, list(event_ids)):
                row.attempts += 1
                row.last_error = error.message[:500]

    def _record_results(self, results: list[protocol.PushResult], report: SyncReport) -> None:
        """Confirmed events leave the pending ones (marked sent, kept KEEP_SENT_DAYS); refused
        ones stay, with the hub's reason."""
        confirmed = [r.event_id for r in results if r.status != protocol.REJECTED]
        refused = {r.event_id: r.reason for r in results if r.status == protocol.REJECTED}
        with self._db.write() as session:
            # Looked up only when there are some: an empty IN list read the whole outbox
            # (every payload decrypted) once per batch.
            for row in queries.outbox_by_event_ids(session, list(refused)) if refused else ():
                log.warning("the hub refused event %s (%s %s)", row.event_id, row.kind, row.entity_id)
                row.state = OutboxState.REJECTED
                row.attempts += 1
                row.last_error = refused[row.event_id]
                report.rejected.append((row.kind, row.last_error))
            sent_events.keep_confirmed(session, confirmed, self._clock())
        applied = sum(1 for r in results if r.status == protocol.APPLIED)
        duplicates = sum(1 for r in results if r.status == protocol.DUPLICATE)
        log.info(
            "pushed %d events (%s to %s): %d applied, %d duplicates, %d refused",
            len(results),
            results[0].event_id if results else "-",
            results[-1].event_id if results else "-",
            applied,
            duplicates,
            len(refused),
        )
        report.applied += applied
        report.duplicates += duplicates

    def _pull(
        self, cancel: threading.Event, report: SyncReport, state: SyncProgress, notify: Callable[[SyncProgress], None]
    ) -> None:
        with self._db.read() as session:
            cursor = int(queries.local_setting(session, KEY_CURSOR) or 0)

        def fetch(after: int) -> Future:
            return self._retried_in_background(
                functools.partial(self._client.changes, after, self._pull_page), cancel, "windowdesk-pull"
            )

        # The next page is asked for while this one is applied; the stored cursor still
        # moves only in the transaction that applies the changes it covers.
        pages = _PageFeed(fetch, cursor, cancel)
        while (page := pages.next()) is not None:
            run = [page]
            try:
                self._apply_run(run, pages, report)
            except Exception:
                if len(run) == 1:
                    raise
                # A run that fails is applied again one page a transaction, as pages
                # always were: those before the page that fails are kept with their
                # cursor, and the failure is the one that page alone meets.
                for page in run:
                    self._apply_run([page], None, report)
                    self._pulled(page, report, state, notify)
                continue
            for page in run:
                self._pulled(page, report, state, notify)

    @staticmethod
    def _pulled(
        page: protocol.ChangesPage, report: SyncReport, state: SyncProgress, notify: Callable[[SyncProgress], None]
    ) -> None:
        log.info("pulled %d changes, cursor %d", len(page.changes), page.next_cursor)
        report.pulled += len(page.changes)
        state.pulled = report.pulled
        notify(state)

    def _apply_run(self, run: list[protocol.ChangesPage], pages: _PageFeed | None, report: SyncReport) -> None:
        """Apply ``run``'s page and, while ``pages`` has the next one already here and the
        run is shorter than PULL_RUN_PAGES, that one too (appended to ``run``), all in one
        transaction that moves the cursor past the last: a commit writes every index page
        the run changed, and pages of scattered cases change nearly as many index pages
        each as they hold changes, so several pages to a commit write fewer. The network
        is never waited for inside the transaction (the counter's own writes queue behind
        it): a page not yet here ends the run."""
        kinds: set[str] = set()
        with young_collections_deferred(PULL_YOUNG_GC_THRESHOLD), self._db.write() as session:
            page = run[0]
            while True:
                self._apply_page(session, page, kinds)
                if pages is None or len(run) >= PULL_RUN_PAGES:
                    break
                ready = pages.ready()
                if ready is None:
                    break
                run.append(page := ready)
            queries.set_local_setting(session, KEY_CURSOR, str(page.next_cursor))
        report.changed_kinds |= kinds

    def _apply_page(self, session: Session, page: protocol.ChangesPage, kinds: set[str]) -> None:
        cases = load_page_cases(session, page.changes)
        for change in page.changes:
            try:
                kind = apply_change(session, change, now=self._clock, page=cases)
            except (KeyError, ValueError, TypeError, WindowdeskError) as exc:
                raise UnreadableChange(
                    _("The hub sent a change this windowdesk cannot read"),
                    _(
                        "Change {seq} ({kind}) could not be applied: {detail}. Nothing of this page "
                        "was applied; sending continues. Call your administrator."
                    ).format(seq=change.seq, kind=change.kind, detail=type(exc).__name__),
                ) from exc
            if kind:
                kinds.add(kind)
        store_page(session, cases)
        # What the page's changes left in the session's objects, written before the next
        # page of the run reads its cases with plain statements (no autoflush there).
        session.flush()


class _PageFeed:
    """The change feed's pages in order, each asked for while the one before is applied."""

    def __init__(self, fetch: Callable[[int], Future], cursor: int, cancel: threading.Event) -> None:
        self._fetch = fetch
        self._cancel = cancel
        self._coming: Future | None = fetch(cursor)

    def next(self) -> protocol.ChangesPage | None:
        """The next page, waited for (its fetch's error raised); None after the last."""
        if self._coming is None:
            return None
        page: protocol.ChangesPage = _await(self._coming, self._cancel)
        self._coming = self._fetch(page.next_cursor) if page.has_more else None
        return page

    def ready(self) -> protocol.ChangesPage | None:
        """The next page if it is already here; None if it is not (still on its way, or
        its fetch failed: ``next`` raises that error, outside the run), or after the last."""
        coming = self._coming
        if coming is None or not coming.done() or coming.exception() is not None:
            return None
        return self.next()
