"""Receiving scanned pages from the windows: content-addressed, chunked, resumable.

A blob is named by its SHA-256. The hub counts it as stored ("complete") only once the
whole file's hash was checked and its ``page_blobs`` row committed; until then it holds a
partial file that grows chunk by chunk from where it ends, so an upload cut at 90 %
resumes at 90 %. A chunk carries its own hash: a damaged one is refused and nothing of it
kept. The same page from two windows is one file and one row (the second is answered
"complete" before it sends anything). See sync/protocol.py for the wire.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging

from sqlalchemy.orm import Session

from windowdesk.hub.errors import Conflict, HubError, InvalidInput, NotFound
from windowdesk.hub.language import Text
from windowdesk.hub.storage.database import HubDatabase
from windowdesk.hub.storage.models_pages import PageBlob
from windowdesk.hub.storage.page_store import OffsetMismatch, PageStore, StoreFull, file_sha256, is_sha256
from windowdesk.i18n import N_
from windowdesk.sync.protocol import (
    BLOB_COMPLETE,
    BLOB_MISSING,
    BLOB_PARTIAL,
    ERROR_BLOB_CORRUPT,
    ERROR_BLOB_OFFSET,
    ERROR_BLOB_TOO_LARGE,
    ERROR_CHUNK_CORRUPT,
    ERROR_HUB_DISK_FULL,
    MAX_BLOB_BYTES,
    MAX_CHUNK_BYTES,
    BlobState,
)

log = logging.getLogger("windowdesk.hub.pages")


class OffsetRefused(Conflict):
    code = ERROR_BLOB_OFFSET

    def __init__(self, received: int) -> None:
        super().__init__(
            Text(N_("The hub holds the first {received} bytes of this page; send from there."), received=received)
        )
        self.received = received
        self.extra = {"received": received}  # in the error body: where the window resumes


class ChunkCorrupt(HubError):
    status = 422
    code = ERROR_CHUNK_CORRUPT
    title = N_("A part of a page arrived damaged")


class BlobCorrupt(HubError):
    status = 422
    code = ERROR_BLOB_CORRUPT
    title = N_("A page arrived damaged")


class BlobTooLarge(HubError):
    status = 413
    code = ERROR_BLOB_TOO_LARGE
    title = N_("The page is too large")


class PageStoreFull(HubError):
    status = 503
    code = ERROR_HUB_DISK_FULL
    title = N_("The hub's disk is full")
    headers = {"Retry-After": "60"}  # noqa: RUF012 - read only


def _check_name(sha256: str) -> None:
    if not is_sha256(sha256):
        raise NotFound(N_("A page is named by its SHA-256: 64 lower-case hexadecimal digits."))


def _row(session: Session, sha256: str) -> PageBlob | None:
    return session.get(PageBlob, sha256)


def _count_stored(db: HubDatabase, sha256: str, size: int, workstation_id: str | None, now: dt.datetime) -> None:
    def work(session: Session) -> None:
        if _row(session, sha256) is None:
            session.add(PageBlob(sha256=sha256, size=size, stored_at=now, workstation_id=workstation_id))

    db.run_write(work)


def blob_state(db: HubDatabase, store: PageStore, sha256: str, *, now: dt.datetime) -> BlobState:
    _check_name(sha256)
    if not store.has(sha256):
        # No whole file, so not complete whatever a row says (a file lost from the disk
        # is sent again, and its row found when it is whole): no database read for the
        # pages the hub has not got, most of those asked about.
        received = store.received(sha256)
        return BlobState(sha256, BLOB_PARTIAL if received else BLOB_MISSING, received)
    with db.read() as session:
        row = _row(session, sha256)
        if row is not None:
            return BlobState(sha256, BLOB_COMPLETE, row.size)
    with store.writing(sha256):
        adopted = _adopt_whole_file(db, store, sha256, now)
    if adopted is not None:
        return adopted
    received = store.received(sha256)
    return BlobState(sha256, BLOB_PARTIAL if received else BLOB_MISSING, received)


def _adopt_whole_file(db: HubDatabase, store: PageStore, sha256: str, now: dt.datetime) -> BlobState | None:
    """The whole file's state when it is there: counted already, or whole and renamed but
    left uncounted by a hub that stopped before its row was committed (adopted once its
    hash is checked again). None when there is no whole file. Call inside store.writing."""
    path = store.path(sha256)
    if not path.is_file():
        return None
    with db.read() as session:
        row = _row(session, sha256)
    if row is not None:
        return BlobState(sha256, BLOB_COMPLETE, row.size)
    if file_sha256(path) != sha256:
        return None
    _count_stored(db, sha256, path.stat().st_size, None, now)
    log.info("page %s… adopted: whole on disk, not yet counted", sha256[:12])
    return BlobState(sha256, BLOB_COMPLETE, path.stat().st_size)


def receive_chunk(
    db: HubDatabase,
    store: PageStore,
    *,
    sha256: str,
    offset: int,
    size: int,
    chunk: bytes,
    chunk_sha256: str,
    workstation_id: str,
    now: dt.datetime,
) -> BlobState:
    """Stores one chunk of a page at ``offset``; the page is counted when its last byte
    arrives and the whole file's hash is its name."""
    _check_name(sha256)
    if not 0 < size <= MAX_BLOB_BYTES:
        raise BlobTooLarge(
            Text(N_("A page may be at most {most} bytes; this one is {size}."), most=MAX_BLOB_BYTES, size=size)
        )
    if not chunk or len(chunk) > MAX_CHUNK_BYTES or offset < 0 or offset + len(chunk) > size:
        raise InvalidInput(
            Text(N_("A part of a page holds 1 to {most} bytes and ends within the page."), most=MAX_CHUNK_BYTES)
        )
    if hashlib.sha256(chunk).hexdigest() != chunk_sha256:
        raise ChunkCorrupt(N_("A part of a page did not match its hash; nothing of it was kept. Send it again."))
    state = blob_state(db, store, sha256, now=now)
    if state.status == BLOB_COMPLETE:
        return state
    with store.writing(sha256):
        finished = _adopt_whole_file(db, store, sha256, now)  # by another window, while this one waited
        if finished is not None:
            return finished
        try:
            received = store.append(sha256, offset, chunk)
        except OffsetMismatch as mismatch:
            raise OffsetRefused(mismatch.received) from None
        except StoreFull:
            log.error(
                "the page store's disk is (nearly) full: a chunk of page %s… was refused; free space "
                "for the hub's pages, then the windows send them again",
                sha256[:12],
            )
            raise PageStoreFull(
                N_(
                    "The hub cannot store pages until its administrator frees space on its disk. Nothing of "
                    "this part was stored; the window sends it again later."
                )
            ) from None
        if received < size:
            return BlobState(sha256, BLOB_PARTIAL, received)
        if not store.keep_if_whole(sha256):
            log.warning(
                "page %s… from workstation %s did not match its hash when whole; dropped", sha256[:12], workstation_id
            )
            raise BlobCorrupt(
                N_("The whole page did not match its hash; the hub dropped it. Send it again from the start.")
            )
        _count_stored(db, sha256, size, workstation_id, now)
    log.info("page %s… stored whole (%d bytes) from workstation %s", sha256[:12], size, workstation_id)
    return BlobState(sha256, BLOB_COMPLETE, size)
