"""The encryption of the hub's backups, on its own: what goes in comes out with the right
key only, in chunks, and any change to the file (a byte, the order of its chunks, its
end) is found."""

from __future__ import annotations

import io
import os
import stat
from pathlib import Path

import pytest

from windowdesk.hub.errors import InvalidInput
from windowdesk.hub.storage import backup_crypt
from windowdesk.hub.storage.backup_crypt import (
    CHUNK_SIZE,
    HEADER_SIZE,
    TAG_SIZE,
    BackupKey,
    Damaged,
    KindOfKey,
    WrongKey,
    decrypt_stream,
    encrypt_stream,
    write_new_key_file,
)


@pytest.fixture
def key(tmp_path: Path) -> BackupKey:
    write_new_key_file(tmp_path / "backup.key")
    return BackupKey.from_key_file(tmp_path / "backup.key")


def _sealed(plain: bytes, key: BackupKey) -> bytes:
    out = io.BytesIO()
    encrypt_stream(io.BytesIO(plain), out, key)
    return out.getvalue()


def _opened(sealed: bytes, key: BackupKey) -> bytes:
    out = io.BytesIO()
    decrypt_stream(io.BytesIO(sealed), key, out.write)
    return out.getvalue()


class _Trickle(io.RawIOBase):
    """A pipe that hands its bytes over a few at a time, as pg_dump's output comes."""

    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        return self._data.read(min(size, 4093) if size > 0 else 4093)


@pytest.mark.parametrize("size", [0, 1, CHUNK_SIZE - 1, CHUNK_SIZE, 2 * CHUNK_SIZE + 12345])
def test_what_is_encrypted_comes_back_whole_in_chunks(key: BackupKey, size: int) -> None:
    plain = os.urandom(size)
    out = io.BytesIO()
    encrypt_stream(_Trickle(plain), out, key)
    sealed = out.getvalue()
    chunks = max(1, -(-size // CHUNK_SIZE))  # a last, shorter chunk; one (empty) for nothing
    assert len(sealed) == HEADER_SIZE + size + chunks * TAG_SIZE
    assert _opened(sealed, key) == plain
    if size >= 64:
        assert plain[:64] not in sealed


def test_each_file_has_its_own_key_so_the_same_backup_never_encrypts_alike(key: BackupKey) -> None:
    plain = b"230902196210010496 \xe7\x8e\x8b\xe5\xbb\xba\xe5\x9b\xbd" * 100
    first, second = _sealed(plain, key), _sealed(plain, key)
    assert first[HEADER_SIZE:] != second[HEADER_SIZE:]
    assert b"230902196210010496" not in first


def test_another_key_or_the_other_kind_of_key_is_told_apart_from_damage(key: BackupKey, tmp_path: Path) -> None:
    sealed = _sealed(b"hub", key)
    write_new_key_file(tmp_path / "other.key")
    with pytest.raises(WrongKey):
        _opened(sealed, BackupKey.from_key_file(tmp_path / "other.key"))
    (tmp_path / "passphrase").write_text("correct horse battery staple\n", encoding="utf-8")
    passphrase = BackupKey.from_passphrase_file(tmp_path / "passphrase")
    with pytest.raises(KindOfKey):
        _opened(sealed, passphrase)
    by_passphrase = _sealed(b"hub" * 1000, passphrase)
    assert _opened(by_passphrase, BackupKey.from_passphrase_file(tmp_path / "passphrase")) == b"hub" * 1000
    (tmp_path / "passphrase").write_text("correct horse battery stapler\n", encoding="utf-8")
    with pytest.raises(WrongKey):
        _opened(by_passphrase, BackupKey.from_passphrase_file(tmp_path / "passphrase"))


def _chunks(sealed: bytes) -> list[bytes]:
    size = CHUNK_SIZE + TAG_SIZE
    return [sealed[at : at + size] for at in range(HEADER_SIZE, len(sealed), size)]


def test_any_change_to_the_file_is_found(key: BackupKey) -> None:
    sealed = _sealed(os.urandom(3 * CHUNK_SIZE + 10), key)
    header, chunks = sealed[:HEADER_SIZE], _chunks(sealed)
    assert len(chunks) == 4
    flipped = bytearray(sealed)
    flipped[HEADER_SIZE + CHUNK_SIZE + 77] ^= 1
    changed_header = bytearray(sealed)
    changed_header[HEADER_SIZE - 20] ^= 1  # the chunk size: the header is sealed with every chunk
    damaged = {
        "a byte changed": bytes(flipped),
        "two chunks swapped": header + chunks[1] + chunks[0] + chunks[2] + chunks[3],
        "cut after a whole chunk": header + b"".join(chunks[:2]),
        "cut inside a chunk": sealed[:-5],
        "a chunk left out": header + chunks[0] + chunks[2] + chunks[3],
        "bytes after the end": sealed + b"\0",
        "a chunk added after the end": sealed + chunks[3],
        "the header changed": bytes(changed_header),
    }
    for how, data in damaged.items():
        with pytest.raises(Damaged):
            _opened(data, key)
            pytest.fail(how)


def test_a_key_file_is_new_private_and_never_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "backup.key"
    previous = os.umask(0)
    try:
        write_new_key_file(path)
    finally:
        os.umask(previous)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    written = path.read_text()
    assert len(written.strip()) == 64 and int(written, 16) >= 0
    with pytest.raises(InvalidInput, match="already exists"):
        write_new_key_file(path)
    assert path.read_text() == written


@pytest.mark.parametrize(
    ("content", "error"),
    [
        ("not hex\n", "is not a backup key"),
        ("abcd\n", "is not a backup key"),
    ],
)
def test_a_file_that_holds_no_key_is_refused_in_words(tmp_path: Path, content: str, error: str) -> None:
    (tmp_path / "k").write_text(content)
    with pytest.raises(InvalidInput, match=error):
        BackupKey.from_key_file(tmp_path / "k")
    with pytest.raises(InvalidInput, match="There is no file"):
        BackupKey.from_key_file(tmp_path / "missing")
    (tmp_path / "short").write_text("too short\n")
    with pytest.raises(InvalidInput, match="shorter than 12 characters"):
        BackupKey.from_passphrase_file(tmp_path / "short")


def test_a_file_that_is_not_encrypted_is_said_so(key: BackupKey) -> None:
    with pytest.raises(backup_crypt.NotEncrypted):
        _opened(b"SQLite format 3\0" + bytes(100), key)
