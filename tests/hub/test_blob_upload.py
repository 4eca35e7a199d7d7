"""The hub's page endpoints: content-addressed, chunked, resumable, checked by hash."""

from __future__ import annotations

import hashlib
import os

from sqlalchemy import func, select

from windowdesk.hub.storage.models_pages import PageBlob
from windowdesk.sync.protocol import (
    API_PREFIX,
    ERROR_BLOB_CORRUPT,
    ERROR_BLOB_OFFSET,
    ERROR_CHUNK_CORRUPT,
    ERROR_HUB_DISK_FULL,
    HEADER_BLOB_SIZE,
    HEADER_CHUNK_SHA256,
    MAX_BLOB_BYTES,
    MAX_CHUNK_BYTES,
)

from .conftest import Hub, Workstation


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def put(hub: Hub, window: Workstation, name: str, offset: int, chunk: bytes, size: int, chunk_sha: str | None = None):
    return hub.client.put(
        f"{API_PREFIX}/blobs/{name}",
        params={"offset": offset},
        content=chunk,
        headers={
            **window.headers,
            HEADER_BLOB_SIZE: str(size),
            HEADER_CHUNK_SHA256: chunk_sha or _sha(chunk),
            "Content-Type": "application/octet-stream",
        },
    )


def state(hub: Hub, window: Workstation, name: str) -> dict:
    reply = hub.client.get(f"{API_PREFIX}/blobs/{name}", headers=window.headers)
    assert reply.status_code == 200, reply.text
    return reply.json()


def blob_rows(hub: Hub) -> int:
    with hub.db.read() as session:
        return session.scalar(select(func.count()).select_from(PageBlob))


def test_a_page_sent_in_chunks_is_stored_whole_once_its_hash_is_checked(hub: Hub, demo_catalog: None) -> None:
    window = hub.enroll("CH", "01")
    page = os.urandom(2 * MAX_CHUNK_BYTES + 1234)
    name = _sha(page)
    assert state(hub, window, name) == {"sha256": name, "status": "missing", "received": 0}

    first = put(hub, window, name, 0, page[:MAX_CHUNK_BYTES], len(page))
    assert first.json() == {"sha256": name, "status": "partial", "received": MAX_CHUNK_BYTES}
    assert state(hub, window, name)["status"] == "partial"  # not counted before the last byte
    assert blob_rows(hub) == 0
    put(hub, window, name, MAX_CHUNK_BYTES, page[MAX_CHUNK_BYTES : 2 * MAX_CHUNK_BYTES], len(page))
    last = put(hub, window, name, 2 * MAX_CHUNK_BYTES, page[2 * MAX_CHUNK_BYTES :], len(page))

    assert last.json() == {"sha256": name, "status": "complete", "received": len(page)}
    assert (hub.data_dir / "pages" / name[:2] / name).read_bytes() == page
    assert not (hub.data_dir / "pages" / "partial" / name).exists()
    assert oct((hub.data_dir / "pages" / name[:2] / name).stat().st_mode & 0o777) == "0o600"
    assert blob_rows(hub) == 1


def test_the_same_page_from_two_windows_is_stored_once_and_not_sent_again(hub: Hub, demo_catalog: None) -> None:
    first, second = hub.enroll("CH", "01"), hub.enroll("CH", "02")
    page = os.urandom(5000)
    name = _sha(page)
    assert put(hub, first, name, 0, page, len(page)).json()["status"] == "complete"

    assert state(hub, second, name) == {"sha256": name, "status": "complete", "received": len(page)}
    assert put(hub, second, name, 0, page, len(page)).json()["status"] == "complete"
    assert blob_rows(hub) == 1
    assert len(list((hub.data_dir / "pages").glob("??/*"))) == 1


def test_a_damaged_chunk_is_refused_and_nothing_of_it_kept(hub: Hub, demo_catalog: None) -> None:
    window = hub.enroll()
    page = os.urandom(3000)
    name = _sha(page)
    damaged = bytearray(page[:1000])
    damaged[10] ^= 0xFF

    reply = put(hub, window, name, 0, bytes(damaged), len(page), chunk_sha=_sha(page[:1000]))

    assert reply.status_code == 422 and reply.json()["error"]["code"] == ERROR_CHUNK_CORRUPT
    assert state(hub, window, name)["received"] == 0
    assert put(hub, window, name, 0, page[:1000], len(page)).json()["received"] == 1000


def test_a_chunk_not_at_the_hubs_offset_is_told_where_to_resume(hub: Hub, demo_catalog: None) -> None:
    window = hub.enroll()
    page = os.urandom(3000)
    name = _sha(page)
    put(hub, window, name, 0, page[:1000], len(page))

    reply = put(hub, window, name, 2000, page[2000:], len(page))

    assert reply.status_code == 409
    assert reply.json()["error"]["code"] == ERROR_BLOB_OFFSET and reply.json()["error"]["received"] == 1000


def test_a_whole_file_that_is_not_its_name_is_dropped_and_never_counted(hub: Hub, demo_catalog: None) -> None:
    window = hub.enroll()
    page = os.urandom(3000)
    name = _sha(b"another page")

    reply = put(hub, window, name, 0, page, len(page))

    assert reply.status_code == 422 and reply.json()["error"]["code"] == ERROR_BLOB_CORRUPT
    assert state(hub, window, name) == {"sha256": name, "status": "missing", "received": 0}
    assert blob_rows(hub) == 0


def test_a_page_over_the_limit_and_a_bad_name_are_refused(hub: Hub, demo_catalog: None) -> None:
    window = hub.enroll()
    assert put(hub, window, "a" * 64, 0, b"x", MAX_BLOB_BYTES + 1).status_code == 413
    assert put(hub, window, "not-a-hash", 0, b"x", 1).status_code == 404
    too_big = hub.client.put(
        f"{API_PREFIX}/blobs/{'a' * 64}",
        params={"offset": 0},
        content=b"x" * (MAX_CHUNK_BYTES + 1),
        headers={**window.headers, HEADER_BLOB_SIZE: "5000000", HEADER_CHUNK_SHA256: "a" * 64},
    )
    assert too_big.status_code == 413


def test_pages_need_a_workstations_token_and_are_never_handed_back(hub: Hub, demo_catalog: None) -> None:
    window = hub.enroll()
    page = os.urandom(100)
    name = _sha(page)
    anonymous = {key: value for key, value in window.headers.items() if key != "Authorization"}
    reply = hub.client.put(
        f"{API_PREFIX}/blobs/{name}",
        params={"offset": 0},
        content=page,
        headers={**anonymous, HEADER_BLOB_SIZE: "100", HEADER_CHUNK_SHA256: name},
    )
    assert reply.status_code == 401
    assert hub.client.get(f"{API_PREFIX}/blobs/{name}", headers=anonymous).status_code == 401
    put(hub, window, name, 0, page, len(page))
    body = hub.client.get(f"{API_PREFIX}/blobs/{name}", headers=window.headers).content
    assert page not in body


def test_a_full_page_store_refuses_the_chunk_whole_and_takes_it_later(hub: Hub, demo_catalog: None) -> None:
    window = hub.enroll()
    page = os.urandom(4000)
    name = _sha(page)
    put(hub, window, name, 0, page[:1000], len(page))
    store = hub.client.app.state.page_store
    store.min_free = 2**62  # more than any disk holds: as from a full disk

    reply = put(hub, window, name, 1000, page[1000:], len(page))

    assert reply.status_code == 503 and reply.json()["error"]["code"] == ERROR_HUB_DISK_FULL
    assert reply.headers["Retry-After"] == "60"
    assert state(hub, window, name) == {"sha256": name, "status": "partial", "received": 1000}
    store.min_free = 0
    assert put(hub, window, name, 1000, page[1000:], len(page)).json()["status"] == "complete"


def test_a_whole_file_left_without_its_row_by_a_crash_is_adopted_once_its_hash_checks_out(hub: Hub) -> None:
    from sqlalchemy import delete

    hub.import_demo_catalog()
    window = hub.enroll()
    page = os.urandom(3000)
    name = _sha(page)
    put(hub, window, name, 0, page, len(page))
    with hub.db.write() as session:  # the hub stopped after the rename, before the commit
        session.execute(delete(PageBlob))

    assert state(hub, window, name) == {"sha256": name, "status": "complete", "received": len(page)}
    assert blob_rows(hub) == 1


def test_a_page_file_lost_from_the_disk_is_asked_for_again_and_counted_once(hub: Hub, demo_catalog: None) -> None:
    window = hub.enroll()
    page = os.urandom(3000)
    name = _sha(page)
    put(hub, window, name, 0, page, len(page))
    (hub.data_dir / "pages" / name[:2] / name).unlink()

    assert state(hub, window, name)["status"] == "missing"
    assert put(hub, window, name, 0, page, len(page)).json()["status"] == "complete"
    assert (hub.data_dir / "pages" / name[:2] / name).read_bytes() == page and blob_rows(hub) == 1


def test_a_window_still_sending_a_page_another_finished_leaves_no_stray_partial(hub: Hub) -> None:
    import threading

    hub.import_demo_catalog()
    first, second = hub.enroll("CH", "01"), hub.enroll("CH", "02")
    page = os.urandom(2 * MAX_CHUNK_BYTES)
    name = _sha(page)
    store = hub.client.app.state.page_store
    put(hub, first, name, 0, page[:MAX_CHUNK_BYTES], len(page))
    answers: list[dict] = []
    with store.writing(name):  # the second window's first chunk waits its turn behind the first's last one
        waiting = threading.Thread(
            target=lambda: answers.append(
                put(hub, second, name, MAX_CHUNK_BYTES, page[MAX_CHUNK_BYTES:], len(page)).json()
            )
        )
        waiting.start()
        waiting.join(0.5)
        assert store.append(name, MAX_CHUNK_BYTES, page[MAX_CHUNK_BYTES:]) == len(page)
        assert store.keep_if_whole(name)
    waiting.join(10)

    assert answers[0]["status"] == "complete"
    assert not (hub.data_dir / "pages" / "partial" / name).exists() and blob_rows(hub) == 1
