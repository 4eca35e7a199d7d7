"""Sending the window's scanned pages to the hub, after its events (issue 24).

Each page is content-addressed (its SHA-256). For each page the hub has not confirmed,
oldest first: ask the hub what it holds; a page it has whole (sent by this window before
the confirmation was lost, or by another window) is confirmed without sending a byte;
else the page is sent in chunks of at most a MiB from the hub's offset, so a link cut at
90 % resumes at 90 %. The window lets a page go (``mark_confirmed``) only when the hub says
it holds the whole page, checked by its hash.

Nothing here holds up anything else: the sync pushes every event first, so a case reaches
the hub at once and its pages follow. A page the hub keeps refusing (its bytes here do
not match their name, it is too large) is left for a person and the next pages go on: one
bad file never blocks the others. Cancel stops between chunks; what was sent is kept by
the hub and resumed from there.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from windowdesk.errors import WindowdeskError
from windowdesk.i18n import _
from windowdesk.sync import protocol
from windowdesk.sync.blobs import BlobSource

log = logging.getLogger("windowdesk.sync.pages")

UNCONFIRMED_BATCH = 50
# Attempts at one chunk the hub found damaged on arrival, and at one whole page whose hash
# did not match, before the page is left for a person (the bytes here may be damaged).
CHUNK_ATTEMPTS = 3
WHOLE_ATTEMPTS = 2

# Runs a request with the sync's retries and cancel, and gives its answer (the client's own type).
Call = Callable[[Callable[[], Any]], Any]


class PageUploadCancelled(WindowdeskError):
    pass


@dataclass
class UploadProgress:
    sent_bytes: int  # of the pages waiting when the upload began
    total_bytes: int
    confirmed: int
    waiting: int


@dataclass
class UploadReport:
    confirmed: int = 0
    already_on_hub: int = 0  # confirmed without sending a byte
    bytes_sent: int = 0
    refused: list[tuple[str, str]] = field(default_factory=list)  # (sha256, the hub's words)


def _stopped() -> PageUploadCancelled:
    return PageUploadCancelled(
        _("Sending pages stopped"), _("Sending the pages was stopped; what was sent is kept and the rest follows.")
    )


class _PageRefused(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def upload_pages(
    source: BlobSource,
    client,  # noqa: ANN001
    *,
    call: Call | None = None,
    cancel: threading.Event | None = None,
    progress: Callable[[UploadProgress], None] | None = None,
    clock: Callable[[], dt.datetime],
    chunk_size: int = protocol.MAX_CHUNK_BYTES,
) -> UploadReport:
    """Sends every page the hub has not confirmed; ``client`` is a sync.client.HubClient."""
    cancel = cancel or threading.Event()
    run = call or (lambda request: request())
    notify = progress or (lambda _p: None)
    waiting, total = source.pending()
    state = UploadProgress(0, total, 0, waiting)
    report = UploadReport()
    notify(state)
    tried: set[str] = set()
    while True:
        batch = [(sha, size) for sha, size in source.unconfirmed(len(tried) + UNCONFIRMED_BATCH) if sha not in tried]
        if not batch:
            break
        for sha256, size in batch:
            if cancel.is_set():
                raise _stopped()
            tried.add(sha256)
            try:
                sent, had_it = _upload_one(
                    source, client, run, cancel, sha256, size, chunk_size, lambda count: _sent(state, count, notify)
                )
            except _PageRefused as refusal:
                log.warning("page %s… refused by the hub: %s", sha256[:12], refusal.reason)
                report.refused.append((sha256, refusal.reason))
                continue
            source.mark_confirmed(sha256, clock())
            report.confirmed += 1
            report.already_on_hub += had_it
            report.bytes_sent += sent
            if had_it:  # counted as done: its bytes need not travel
                _sent(state, size, notify)
            state.confirmed += 1
            state.waiting = max(0, state.waiting - 1)
            notify(state)
    log.info(
        "pages: %d confirmed (%d already on the hub), %d bytes sent, %d refused",
        report.confirmed,
        report.already_on_hub,
        report.bytes_sent,
        len(report.refused),
    )
    return report


def _sent(state: UploadProgress, count: int, notify: Callable[[UploadProgress], None]) -> None:
    state.sent_bytes = min(state.total_bytes, state.sent_bytes + count)
    notify(state)


def _upload_one(
    source: BlobSource,
    client,  # noqa: ANN001
    run: Call,
    cancel: threading.Event,
    sha256: str,
    size: int,
    chunk_size: int,
    sent: Callable[[int], None],
) -> tuple[int, bool]:
    """(bytes sent, whether the hub had the page whole already)."""
    from windowdesk.sync.client import HubRefused

    held = run(lambda: client.blob_state(sha256))
    if held.status == protocol.BLOB_COMPLETE:
        return 0, True
    offset = held.received if held.received <= size else 0
    sent_bytes = 0
    damaged_chunks = damaged_wholes = 0
    while True:
        if cancel.is_set():
            raise _stopped()
        chunk = source.read(sha256, offset, min(chunk_size, size - offset))
        try:
            answer = run(partial(client.put_blob_chunk, sha256, offset=offset, chunk=chunk, size=size))
        except HubRefused as refusal:
            if refusal.code == protocol.ERROR_BLOB_OFFSET and isinstance(refusal.error.get("received"), int):
                offset = refusal.error["received"]  # the hub kept a chunk whose answer was lost
                if offset < size:
                    continue
                if run(lambda: client.blob_state(sha256)).status == protocol.BLOB_COMPLETE:
                    return sent_bytes, False
                raise _PageRefused(_("The hub did not confirm the whole page.")) from None
            if refusal.code == protocol.ERROR_CHUNK_CORRUPT and damaged_chunks + 1 < CHUNK_ATTEMPTS:
                damaged_chunks += 1  # damaged on the way: sent again
                continue
            if refusal.code == protocol.ERROR_BLOB_CORRUPT and damaged_wholes + 1 < WHOLE_ATTEMPTS:
                damaged_wholes += 1
                offset = 0
                continue
            raise _PageRefused(refusal.message) from None
        sent_bytes += len(chunk)
        sent(len(chunk))
        if answer.status == protocol.BLOB_COMPLETE:
            return sent_bytes, False
        offset = answer.received
        if offset >= size:  # the hub says partial yet holds it all: ask again from its state
            raise _PageRefused(_("The hub did not confirm the whole page."))
