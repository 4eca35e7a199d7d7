"""Scanned pages between a real window and a real hub process, through the fault proxy:
events first, then pages; a dropped chunk resumes at the hub's offset; a hub SIGKILLed
mid-file loses nothing; a chunk damaged on the way is refused by its hash and sent again;
a full disk at the hub stores nothing half-way. Nothing lost, nothing stored twice."""

from __future__ import annotations

import contextlib
import hashlib
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from windowdesk.services.sync import SyncProgress
from windowdesk.sync.protocol import MAX_CHUNK_BYTES

from .faultproxy import Fault, FaultProxy, Request
from .folder_blobs import FolderBlobs
from .hub_process import (
    HubProcess,
    Station,
    create_station,
    fresh_postgres_database,
    make_offline_work,
    postgres_admin_url,
)

BIG = 3 * MAX_CHUNK_BYTES + 4321  # four chunks


@pytest.fixture(params=["sqlite", "postgresql"])
def hub(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[HubProcess]:
    """A hub process on each database: the pages are files either way, their rows are not."""
    with contextlib.ExitStack() as stack:
        url = None
        if request.param == "postgresql":
            url = stack.enter_context(fresh_postgres_database(postgres_admin_url(), "pages"))
        hub = HubProcess(tmp_path / "hub", url)
        stack.callback(hub.close)
        hub.import_catalog()
        hub.start()
        yield hub


@pytest.fixture
def station(tmp_path: Path, hub: HubProcess, temp_keyring) -> Iterator[Station]:
    station = create_station(tmp_path / "ws", "CH", "01")
    try:
        station.enroll(hub.url, hub.enrollment_code("CH", "01"))
        yield station
    finally:
        station.close()


class Watched:
    """A proxy whose every request is noted (method, path, query) and whose faults come
    from ``fault_for``."""

    def __init__(self, proxy: FaultProxy) -> None:
        self.proxy = proxy
        self.seen: list[tuple[str, str, str]] = []
        self.fault_for = lambda _request, _index: Fault.NONE
        self._lock = threading.Lock()
        proxy.decide = self._decide

    def _decide(self, request: Request) -> Fault:
        with self._lock:
            self.seen.append((request.method, request.path, request.query))
            return self.fault_for(request, len(self.seen) - 1)

    def chunk_offsets(self, sha256: str) -> list[int]:
        return [
            int(query.split("offset=")[1].split("&")[0])
            for method, path, query in self.seen
            if method == "PUT" and path.endswith(sha256)
        ]


def sync(station: Station, url: str, blobs: FolderBlobs, **options):
    client = station.hub_client(timeout=(2.0, 10.0))
    client.base_url = url
    try:
        return station.runner(client, blobs=blobs, **options).run()
    finally:
        client.close()


def stored(hub: HubProcess, sha256: str) -> bytes:
    return (hub.data_dir / "pages" / sha256[:2] / sha256).read_bytes()


def blob_rows(hub: HubProcess) -> list[tuple[str, int]]:
    return [tuple(row) for row in hub.rows("SELECT sha256, size FROM page_blobs ORDER BY sha256")]


def test_events_go_first_then_pages_confirmed_only_once_the_hub_holds_them_whole(
    tmp_path: Path, hub: HubProcess, station: Station
) -> None:
    make_offline_work(station, 6, seed=4)
    blobs = FolderBlobs(tmp_path / "pages")
    small = blobs.add_random(3, 250_000)
    big = blobs.add_random(1, BIG)[0]
    seen_progress: list[tuple[str, int, int]] = []

    with FaultProxy(hub.port) as proxy:
        watched = Watched(proxy)
        client = station.hub_client(timeout=(2.0, 10.0))
        client.base_url = proxy.url
        try:
            report = station.runner(client, blobs=blobs).run(
                progress=lambda p: seen_progress.append((p.phase, p.page_bytes_sent, p.page_bytes_total))
            )
        finally:
            client.close()

    assert report.ok, report.error
    assert station.outbox() == {}
    first_blob = next(i for i, (_m, path, _q) in enumerate(watched.seen) if "/blobs/" in path)
    last_push = max(i for i, (_m, path, _q) in enumerate(watched.seen) if path.endswith("/push"))
    assert last_push < first_blob  # every event before any page
    assert report.pages_confirmed == 4 and report.page_bytes_sent == 3 * 250_000 + BIG
    assert blobs.pending() == (0, 0)
    for sha256 in [*small, big]:
        assert stored(hub, sha256) == blobs.read(sha256) and blobs.confirmed_at(sha256)
    assert len(blob_rows(hub)) == 4
    page_steps = [sent for phase, sent, _total in seen_progress if phase == "pages"]
    assert page_steps == sorted(page_steps) and page_steps[-1] == 3 * 250_000 + BIG
    assert {total for phase, _sent, total in seen_progress if phase == "pages"} == {3 * 250_000 + BIG}


def test_a_link_dropped_mid_chunk_resumes_at_the_hubs_offset(tmp_path: Path, hub: HubProcess, station: Station) -> None:
    blobs = FolderBlobs(tmp_path / "pages")
    big = blobs.add_random(1, BIG)[0]

    with FaultProxy(hub.port) as proxy:
        watched = Watched(proxy)
        # The third chunk: half its bytes reach the hub, then the line is cut (every retry too).
        watched.fault_for = lambda request, _i: (
            Fault.DROP_REQUEST
            if request.method == "PUT" and f"offset={2 * MAX_CHUNK_BYTES}" in request.query
            else Fault.NONE
        )
        first = sync(station, proxy.url, blobs, retries=1, backoff_base=0.01)
        assert not first.ok and blobs.pending() == (1, BIG)
        assert not blob_rows(hub)

        watched.fault_for = lambda _request, _i: Fault.NONE
        started = time.monotonic()
        second = sync(station, proxy.url, blobs)
        resumed_in = time.monotonic() - started

    assert second.ok, second.error
    offsets = watched.chunk_offsets(big)
    dropped_at = offsets.index(2 * MAX_CHUNK_BYTES)
    assert offsets[:dropped_at] == [0, MAX_CHUNK_BYTES]
    assert 0 not in offsets[dropped_at:] and MAX_CHUNK_BYTES not in offsets[dropped_at:]  # nothing sent twice
    assert offsets[-2:] == [2 * MAX_CHUNK_BYTES, 3 * MAX_CHUNK_BYTES]
    assert second.page_bytes_sent == BIG - 2 * MAX_CHUNK_BYTES
    assert stored(hub, big) == blobs.read(big) and blob_rows(hub) == [(big, BIG)]
    assert resumed_in < 30


def test_a_hub_killed_mid_file_loses_nothing_and_stores_the_page_once(
    tmp_path: Path, hub: HubProcess, station: Station
) -> None:
    blobs = FolderBlobs(tmp_path / "pages")
    big = blobs.add_random(1, BIG)[0]

    with FaultProxy(hub.port) as proxy:
        watched = Watched(proxy)
        proxy.hooks[Fault.KILL_HUB] = lambda _request: hub.kill()
        watched.fault_for = lambda request, _i: (
            Fault.KILL_HUB
            if request.method == "PUT" and f"offset={MAX_CHUNK_BYTES}" in request.query and hub.kills == 0
            else Fault.NONE
        )
        first = sync(station, proxy.url, blobs, retries=0)
        assert not first.ok and blobs.pending() == (1, BIG)

        proxy.set_upstream_port(int(hub.restart().rsplit(":", 1)[1]))
        second = sync(station, proxy.url, blobs)

    assert second.ok, second.error
    assert watched.chunk_offsets(big).count(0) == 1  # the first chunk, kept through the kill, never again
    assert stored(hub, big) == blobs.read(big) and blob_rows(hub) == [(big, BIG)]
    assert blobs.pending() == (0, 0)
    assert not list((hub.data_dir / "pages" / "partial").glob(big))


def test_a_chunk_damaged_on_the_way_is_refused_by_its_hash_and_sent_again(
    tmp_path: Path, hub: HubProcess, station: Station
) -> None:
    blobs = FolderBlobs(tmp_path / "pages")
    big = blobs.add_random(1, BIG)[0]
    damaged = []

    def corrupt_second_chunk_once(request: Request, _index: int) -> Fault:
        if request.method == "PUT" and f"offset={MAX_CHUNK_BYTES}" in request.query and not damaged:
            damaged.append(request.number)
            return Fault.CORRUPT_REQUEST
        return Fault.NONE

    with FaultProxy(hub.port) as proxy:
        watched = Watched(proxy)
        watched.fault_for = corrupt_second_chunk_once
        report = sync(station, proxy.url, blobs)

    assert report.ok, report.error
    assert damaged and watched.chunk_offsets(big).count(MAX_CHUNK_BYTES) == 2
    assert stored(hub, big) == blobs.read(big) and blob_rows(hub) == [(big, BIG)]
    assert hashlib.sha256(stored(hub, big)).hexdigest() == big


def test_a_full_disk_at_the_hub_stores_nothing_half_way_and_the_pages_follow_later(
    tmp_path: Path, hub: HubProcess, station: Station
) -> None:
    make_offline_work(station, 3, seed=5)
    blobs = FolderBlobs(tmp_path / "pages")
    pages = blobs.add_random(2, 300_000)
    hub.stop()
    hub.start(port=hub.port, serve_args=["--pages-min-free", str(2**62)])  # more room kept than any disk has

    full = sync(station, hub.url, blobs, retries=0)

    assert not full.ok and full.error.title == "The hub's disk is full"
    assert station.outbox() == {}  # the events went through all the same
    assert blobs.pending() == (2, 600_000) and not blob_rows(hub)
    assert not list((hub.data_dir / "pages").glob("??/*"))
    assert all(
        (hub.data_dir / "pages" / "partial" / sha).stat().st_size == 0
        for sha in pages
        if (hub.data_dir / "pages" / "partial" / sha).exists()
    )

    hub.stop()
    hub.start(port=hub.port, serve_args=[])
    later = sync(station, hub.url, blobs)

    assert later.ok, later.error
    assert blobs.pending() == (0, 0) and sorted(blob_rows(hub)) == sorted((sha, 300_000) for sha in pages)


def test_the_same_page_from_two_windows_is_sent_once_and_stored_once(
    tmp_path: Path, hub: HubProcess, station: Station
) -> None:
    other = create_station(tmp_path / "ws2", "CH", "02")
    try:
        other.enroll(hub.url, hub.enrollment_code("CH", "02"))
        page = bytes(range(256)) * 2000
        mine, theirs = FolderBlobs(tmp_path / "mine"), FolderBlobs(tmp_path / "theirs")
        sha256 = mine.add(page)
        theirs.add(page)

        assert sync(station, hub.url, mine).page_bytes_sent == len(page)
        second = sync(other, hub.url, theirs)
    finally:
        other.close()

    assert second.ok and second.pages_confirmed == 1 and second.page_bytes_sent == 0
    assert theirs.pending() == (0, 0)
    assert blob_rows(hub) == [(sha256, len(page))]
    assert len(list((hub.data_dir / "pages").glob("??/*"))) == 1


def test_stopping_the_sync_between_chunks_keeps_what_was_sent(
    tmp_path: Path, hub: HubProcess, station: Station
) -> None:
    blobs = FolderBlobs(tmp_path / "pages")
    big = blobs.add_random(1, BIG)[0]
    cancel = threading.Event()

    def stop_after_first_chunk(progress: SyncProgress) -> None:
        if progress.phase == "pages" and progress.page_bytes_sent >= MAX_CHUNK_BYTES:
            cancel.set()

    client = station.hub_client(timeout=(2.0, 10.0))
    try:
        stopped = station.runner(client, blobs=blobs).run(cancel, progress=stop_after_first_chunk)
        assert not stopped.ok and stopped.error.title == "Sync stopped"
        assert blobs.pending() == (1, BIG) and not blob_rows(hub)
        assert (hub.data_dir / "pages" / "partial" / big).stat().st_size == MAX_CHUNK_BYTES
        finished = station.runner(client, blobs=blobs).run()
    finally:
        client.close()
    assert finished.ok and finished.page_bytes_sent == BIG - MAX_CHUNK_BYTES
    assert stored(hub, big) == blobs.read(big)


def test_a_page_the_hub_keeps_refusing_is_left_for_a_person_and_never_blocks_the_next(
    tmp_path: Path, hub: HubProcess, station: Station
) -> None:
    blobs = FolderBlobs(tmp_path / "pages")
    damaged, *fine = blobs.add_random(3, 200_000)
    path = next(blobs.folder.glob(f"*-{damaged}"))
    path.write_bytes(b"\x00" + path.read_bytes()[1:])  # damaged here: its bytes no longer match its name

    report = sync(station, hub.url, blobs)

    assert report.ok, report.error
    assert report.pages_confirmed == 2 and [sha for sha, _reason in report.pages_refused] == [damaged]
    assert "did not match its hash" in report.pages_refused[0][1]
    assert blobs.unconfirmed(10) == [(damaged, 200_000)]
    assert sorted(sha for sha, _size in blob_rows(hub)) == sorted(fine)
    assert not (hub.data_dir / "pages" / "partial" / damaged).exists()
