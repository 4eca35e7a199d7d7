"""Personal data sealed at the hub: AES-256-GCM under the hub's personal-data key.

An online application (what the resident typed, the pages of their documents) is the
hub's most sensitive record; it is kept sealed, so a copy of the database or of the data
folder's files without the key shows nothing of it, and a changed record is refused
instead of read. The key is 32 random bytes in the hub's data folder (``personal.key``,
its user's alone), made once, like the web key. An encrypted backup carries it, encrypted
with the backup's key (application_backup.py); beside an unencrypted one the administrator
keeps a copy apart: without it, no sealed record can be read back after a restore.

Each sealed value: a random 96-bit nonce, then the ciphertext and its tag; the record's
own name (``context``: "application:<id>") is the associated data, so a sealed value moved
to another record does not open. Keyed hashes (:meth:`Sealer.keyed_hash`) let the hub
count and find records by an ID number without keeping the number in clear.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from windowdesk.hub.storage.private_files import random_key_file

KEY_FILE = "personal.key"
KEY_BYTES = 32
NONCE_BYTES = 12


class SealBroken(Exception):
    """A sealed value that does not open: changed, damaged, or sealed under another key."""


@dataclass(frozen=True)
class Sealer:
    key: bytes

    def seal(self, data: bytes, *, context: str) -> bytes:
        nonce = secrets.token_bytes(NONCE_BYTES)
        return nonce + AESGCM(self.key).encrypt(nonce, data, context.encode())

    def open(self, sealed: bytes, *, context: str) -> bytes:
        try:
            return AESGCM(self.key).decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], context.encode())
        except (InvalidTag, ValueError) as error:
            raise SealBroken(context) from error

    def keyed_hash(self, kind: str, value: str) -> str:
        """The same value always gives the same hash; without the key, no value can be tried."""
        return hmac.new(self.key, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


@functools.cache
def _key(data_dir: Path) -> bytes:
    path = data_dir / KEY_FILE
    key = random_key_file(path, KEY_BYTES)
    if len(key) != KEY_BYTES:
        raise RuntimeError(f"{path} is damaged ({len(key)} bytes, expected {KEY_BYTES}); put back its copy.")
    return key


def sealer_for(data_dir: Path) -> Sealer:
    """The sealer of the hub whose data folder this is (the key made at the first use)."""
    return Sealer(_key(Path(data_dir).resolve()))
