"""Encrypted backups of the hub: AES-256-GCM in chunks, with a key file or a passphrase.

A backup holds every resident's full ID number and is kept on other disks, often other
machines; encrypted, whoever gets the file without the key learns nothing from it, and
a file changed by anyone (or damaged) is refused instead of restored.

The key is either a **key file** (32 random bytes written as 64 hex digits by
``windowdesk-hub backup-key``) or a **passphrase** (the first line of a file), stretched
with scrypt (N=2^17, r=8, p=1: OWASP's advice) and a random salt. The administrator keeps
a copy of it away from the hub and its backups: without it no backup can be restored.

The file, streamed so that a backup of any size passes through a few megabytes of
memory (the "STREAM" construction of Hoang, Reyhanitabar, Rogaway and Vizár):

    header (80 bytes): magic "WDHUBBK" + version 1, how the key is made (1 key file,
        2 passphrase), scrypt's log2(N), r and p, scrypt's salt (16), the file's salt
        (32), the chunk size, a key check (16)
    chunks: each CHUNK_SIZE bytes of the backup (the last one shorter, possibly empty),
        sealed by AES-256-GCM under the file's key, with the whole header as associated
        data and a nonce of the chunk's number and whether it is the last one

The file's key and the key check come from the key (or the passphrase's scrypt output)
by HKDF-SHA256 with the file's random salt, so no two files share a key and a nonce can
never repeat. The key check tells a wrong key apart from a changed file; a chunk that does
not verify, a chunk out of its place, a file cut short or one with anything after its
last chunk is refused as changed or damaged.
"""

from __future__ import annotations

import dataclasses
import hmac
import os
import struct
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from windowdesk.hub.errors import InvalidInput
from windowdesk.hub.language import Text
from windowdesk.i18n import N_

MAGIC = b"WDHUBBK\x01"
KEY_FILE, PASSPHRASE = 1, 2
SCRYPT_LOG2_N, SCRYPT_R, SCRYPT_P = 17, 8, 1
CHUNK_SIZE = 1 << 20
TAG_SIZE = 16
KEY_SIZE = 32
MIN_PASSPHRASE_LENGTH = 12
_HEADER = struct.Struct("!8sBBBB16s32sI16s")
HEADER_SIZE = _HEADER.size
_HKDF_INFO = b"windowdesk-hub backup v1"
# What a header may ask for: beyond this a header is damaged, not a key to be tried.
_MAX_CHUNK_SIZE = 64 << 20
_SCRYPT_LOG2_N_RANGE = range(14, 23)


class WrongKey(Exception):
    """The key (or passphrase) given is not the one the file was encrypted with."""


class KindOfKey(Exception):
    """A passphrase was given for a file encrypted with a key file, or the other way
    (``args[0]``: the kind the file needs)."""


class Damaged(Exception):
    """The file was changed, cut short or damaged since it was written."""


class NotEncrypted(Exception):
    """The file is not an encrypted backup."""


@dataclass(frozen=True)
class BackupKey:
    """What encrypts and opens backups: a key file's key, or a passphrase."""

    kind: int  # KEY_FILE or PASSPHRASE
    secret: bytes = field(repr=False)
    source: Path  # the file it was read from, for messages
    # scrypt's output per (salt, N, r, p): one derivation per file however often it is read.
    _stretched: dict[tuple[bytes, int, int, int], bytes] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_key_file(cls, path: Path) -> BackupKey:
        text = _first_line(path)
        try:
            secret = bytes.fromhex(text.strip())
        except ValueError:
            secret = b""
        if len(secret) != KEY_SIZE:
            raise InvalidInput(
                Text(
                    N_(
                        "{path} is not a backup key: it must hold the 64 hex digits that "
                        "windowdesk-hub backup-key writes."
                    ),
                    path=path,
                )
            )
        return cls(KEY_FILE, secret, path)

    @classmethod
    def from_passphrase_file(cls, path: Path) -> BackupKey:
        passphrase = _first_line(path)
        if len(passphrase) < MIN_PASSPHRASE_LENGTH:
            raise InvalidInput(
                Text(
                    N_("The passphrase in {path} (its first line) is shorter than {count} characters."),
                    path=path,
                    count=MIN_PASSPHRASE_LENGTH,
                )
            )
        return cls(PASSPHRASE, passphrase.encode("utf-8"), path)

    def stretched(self, salt: bytes, log2_n: int, r: int, p: int) -> bytes:
        if self.kind == KEY_FILE:
            return self.secret
        known = self._stretched.get((salt, log2_n, r, p))
        if known is None:
            known = Scrypt(salt=salt, length=KEY_SIZE, n=1 << log2_n, r=r, p=p).derive(self.secret)
            self._stretched[(salt, log2_n, r, p)] = known
        return known


def write_new_key_file(path: Path) -> None:
    """A new random key in a new 0600 file; an existing file is never overwritten."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise InvalidInput(
            Text(N_("{path} already exists; a key file is never overwritten. Name a new file."), path=path)
        ) from None
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(os.urandom(KEY_SIZE).hex() + "\n")
        handle.flush()
        os.fsync(handle.fileno())


def _first_line(path: Path) -> str:
    try:
        with path.open(encoding="utf-8") as handle:
            line = handle.readline(4096)
    except FileNotFoundError:
        raise InvalidInput(Text(N_("There is no file {path}."), path=path)) from None
    except (UnicodeDecodeError, OSError) as error:
        reason = "not UTF-8 text" if isinstance(error, UnicodeDecodeError) else (error.strerror or str(error))
        raise InvalidInput(
            Text(N_("The key file {path} cannot be read ({reason})."), path=path, reason=reason)
        ) from None
    return line.rstrip("\r\n")


@dataclass(frozen=True)
class _Header:
    kind: int
    log2_n: int
    r: int
    p: int
    kdf_salt: bytes
    file_salt: bytes
    chunk_size: int
    key_check: bytes

    def packed(self) -> bytes:
        return _HEADER.pack(
            MAGIC,
            self.kind,
            self.log2_n,
            self.r,
            self.p,
            self.kdf_salt,
            self.file_salt,
            self.chunk_size,
            self.key_check,
        )

    @classmethod
    def unpacked(cls, data: bytes) -> _Header:
        if len(data) < len(MAGIC) or not data.startswith(MAGIC[:-1]):
            raise NotEncrypted
        if len(data) < HEADER_SIZE or data[: len(MAGIC)] != MAGIC:
            raise Damaged  # ours, but cut short or of a version this hub does not know
        _magic, kind, log2_n, r, p, kdf_salt, file_salt, chunk_size, key_check = _HEADER.unpack(data)
        header = cls(kind, log2_n, r, p, kdf_salt, file_salt, chunk_size, key_check)
        passphrase_ok = log2_n in _SCRYPT_LOG2_N_RANGE and 1 <= r <= 32 and 1 <= p <= 16
        if (
            kind not in (KEY_FILE, PASSPHRASE)
            or (kind == PASSPHRASE and not passphrase_ok)
            or not 0 < chunk_size <= _MAX_CHUNK_SIZE
        ):
            raise Damaged
        return header


def _keys(key: BackupKey, header: _Header) -> tuple[bytes, bytes]:
    """(the file's AES key, its key check)."""
    if key.kind != header.kind:
        raise KindOfKey(header.kind)
    master = key.stretched(header.kdf_salt, header.log2_n, header.r, header.p)
    derived = HKDF(algorithm=hashes.SHA256(), length=KEY_SIZE + 16, salt=header.file_salt, info=_HKDF_INFO).derive(
        master
    )
    return derived[:KEY_SIZE], derived[KEY_SIZE:]


def _nonce(index: int, last: bool) -> bytes:
    return index.to_bytes(11, "big") + (b"\x01" if last else b"\x00")


class Readable(Protocol):
    """What encrypt_stream reads: a binary file, or a wrapper hashing what it hands on."""

    def read(self, size: int = -1, /) -> bytes: ...


def _read_full(source: Readable, size: int) -> bytes:
    """``size`` bytes, fewer only at the end (a pipe hands them over in pieces)."""
    parts, wanted = [], size
    while wanted:
        part = source.read(wanted)
        if not part:
            break
        parts.append(part)
        wanted -= len(part)
    return b"".join(parts)


def is_encrypted(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(len(MAGIC) - 1) == MAGIC[:-1]


def encrypt_stream(source: Readable, target: BinaryIO, key: BackupKey) -> None:
    """All of ``source``, encrypted, to ``target``."""
    passphrase = key.kind == PASSPHRASE
    partial = _Header(
        key.kind,
        SCRYPT_LOG2_N if passphrase else 0,
        SCRYPT_R if passphrase else 0,
        SCRYPT_P if passphrase else 0,
        os.urandom(16) if passphrase else bytes(16),
        os.urandom(32),
        CHUNK_SIZE,
        bytes(16),
    )
    file_key, check = _keys(key, partial)
    header = dataclasses.replace(partial, key_check=check).packed()
    target.write(header)
    sealer = AESGCM(file_key)
    index, chunk = 0, _read_full(source, CHUNK_SIZE)
    while True:
        following = _read_full(source, CHUNK_SIZE) if len(chunk) == CHUNK_SIZE else b""
        last = not following
        target.write(sealer.encrypt(_nonce(index, last), chunk, header))
        if last:
            return
        index, chunk = index + 1, following


def decrypt_stream(source: BinaryIO, key: BackupKey, write: Callable[[bytes], object]) -> None:
    """``source`` decrypted, handed to ``write`` a verified chunk at a time. Raises
    NotEncrypted, KindOfKey, WrongKey or Damaged (then what was handed over before the
    bad chunk must be thrown away)."""
    header_bytes = _read_full(source, HEADER_SIZE)
    header = _Header.unpacked(header_bytes)
    file_key, check = _keys(key, header)
    if not hmac.compare_digest(check, header.key_check):
        raise WrongKey
    opener = AESGCM(file_key)
    sealed_size = header.chunk_size + TAG_SIZE
    index, sealed = 0, _read_full(source, sealed_size)
    while True:
        following = _read_full(source, sealed_size) if len(sealed) == sealed_size else b""
        last = not following
        try:
            write(opener.decrypt(_nonce(index, last), sealed, header_bytes))
        except InvalidTag:
            raise Damaged from None
        if last:
            if source.read(1):  # anything after the last chunk was put there since
                raise Damaged
            return
        index, sealed = index + 1, following


# --- the files, in the administrator's words --------------------------------------------


def key_needed(backup: Path, key: BackupKey | None) -> bool:
    """Whether ``backup`` is encrypted; refused when it is and no key was given, and
    when a key was given for a copy that is not encrypted (one put in the place of an
    encrypted copy, perhaps: restored only when asked for without a key)."""
    if not backup.is_file():
        raise InvalidInput(Text(N_("There is no file {path}."), path=backup))
    encrypted = is_encrypted(backup)
    if encrypted and key is None:
        raise InvalidInput(
            Text(
                N_(
                    "{path} is encrypted. Give its key as it was given to backup: --key-file or --passphrase-file. "
                    "Nothing was changed."
                ),
                path=backup,
            )
        )
    if not encrypted and key is not None:
        raise InvalidInput(
            Text(
                N_(
                    "{path} is not encrypted, yet a key was given. If you trust this copy, give the command again "
                    "without --key-file or --passphrase-file (and without WINDOWDESK_HUB_BACKUP_KEY_FILE or "
                    "WINDOWDESK_HUB_BACKUP_PASSPHRASE_FILE set). Nothing was changed."
                ),
                path=backup,
            )
        )
    return encrypted


def decrypt_file(backup: Path, key: BackupKey, write: Callable[[bytes], object]) -> None:
    """``backup`` decrypted a verified chunk at a time; refused in words if it cannot be."""
    try:
        with backup.open("rb") as source:
            decrypt_stream(source, key, write)
    except WrongKey:
        raise InvalidInput(
            Text(
                N_(
                    "The key given does not open {path}: it was encrypted with another key or passphrase. Nothing "
                    "was changed."
                ),
                path=backup,
            )
        ) from None
    except KindOfKey as needed:
        needs = (
            N_("{path} was encrypted with a key file, not a passphrase: give it with --key-file. Nothing was changed.")
            if needed.args[0] == KEY_FILE
            else N_(
                "{path} was encrypted with a passphrase, not a key file: give it with --passphrase-file. "
                "Nothing was changed."
            )
        )
        raise InvalidInput(Text(needs, path=backup)) from None
    except (Damaged, NotEncrypted):  # not encrypted: replaced since key_needed looked
        raise InvalidInput(
            Text(
                N_(
                    "{path} was changed or damaged after it was written: its encryption does not verify, so it "
                    "cannot be restored. Nothing was changed."
                ),
                path=backup,
            )
        ) from None
