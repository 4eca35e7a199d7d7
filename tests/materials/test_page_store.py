"""The window's page store: content-addressed bytes in their own SQLCipher file."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from PIL import Image

from windowdesk.errors import NotFoundError
from windowdesk.imaging import page_image
from windowdesk.storage.crypto import connect_raw, is_database_error
from windowdesk.storage.page_store import MATERIALS_FILE, PageStore, content_hash

from .conftest import page_png

NOW = dt.datetime(2026, 12, 7, 3, 0, tzinfo=dt.UTC)


def test_the_same_bytes_are_stored_once_under_their_sha256(store):
    content = b"page one" * 1000
    first = store.put(content)
    assert first == content_hash(content) == store.put(content)
    assert store.pending() == (1, len(content))
    assert store.unconfirmed(10) == [(first, len(content))]
    assert store.size(first) == len(content)


def test_a_chunk_is_read_from_any_offset(store):
    content = bytes(range(256)) * 40
    sha256 = store.put(content)
    assert store.read(sha256) == content
    assert store.read(sha256, 1000, 500) == content[1000:1500]
    assert store.read(sha256, 10_000) == content[10_000:]
    assert store.read(sha256, len(content) - 3, 100) == content[-3:]
    with pytest.raises(NotFoundError):
        store.read("0" * 64)


def test_unconfirmed_pages_come_oldest_first_and_leave_the_queue_when_confirmed(store):
    hashes = [store.put(f"page {n}".encode() * 100) for n in range(5)]
    assert [sha for sha, _size in store.unconfirmed(3)] == hashes[:3]
    store.mark_confirmed(hashes[1], NOW)
    store.mark_confirmed(hashes[1], NOW + dt.timedelta(hours=1))  # a second confirmation changes nothing
    assert [sha for sha, _size in store.unconfirmed(10)] == [hashes[0], *hashes[2:]]
    assert store.pending() == (4, sum(len(f"page {n}".encode() * 100) for n in (0, 2, 3, 4)))
    # A confirmed page's bytes are kept: the window still shows them.
    assert store.read(hashes[1]) == b"page 1" * 100
    with pytest.raises(NotFoundError):
        store.mark_confirmed("f" * 64, NOW)


def test_withdrawing_never_touches_a_confirmed_page(store):
    kept, taken = store.put(b"confirmed"), store.put(b"never recorded")
    store.mark_confirmed(kept, NOW)
    store.withdraw_unconfirmed(kept)
    store.withdraw_unconfirmed(taken)
    assert store.read(kept) == b"confirmed"
    with pytest.raises(NotFoundError):
        store.size(taken)


def test_pages_are_encrypted_on_disk_with_the_database_key(migrated_db, store):
    content = page_image.page_from_image_bytes(page_png("不是明文"))
    with Image.open(io.BytesIO(content)) as image:
        assert image.format == "JPEG" and image.mode == "L" and image.info["dpi"] == (300, 300)
    store.put(content)
    store.dispose()
    files = sorted(migrated_db.path.parent.glob(MATERIALS_FILE + "*"))
    assert files and files[0].name == MATERIALS_FILE
    on_disk = b"".join(path.read_bytes() for path in files)
    # The JPEG's opening (SOI and its JFIF segment) and any run of its bytes never appear.
    assert content[:11].startswith(b"\xff\xd8\xff") and content[:11] not in on_disk
    assert content[len(content) // 2 : len(content) // 2 + 32] not in on_disk
    assert not on_disk.startswith(b"SQLite format 3")
    # The main database's key opens it; no key does not.
    connect_raw(files[0], migrated_db.key).close()
    with pytest.raises(Exception) as caught:
        connect_raw(files[0], None)
    assert is_database_error(caught.value)
    reopened = PageStore.beside(migrated_db.path, key=migrated_db.key)
    try:
        assert reopened.read(content_hash(content)) == content
    finally:
        reopened.dispose()
