"""Secrets the hub hands out: workstation tokens, staff tokens, enrollment codes.

Only their SHA-256 is stored: a copy of the database does not let anyone act as a
workstation. The tokens are long random strings, so a plain (unsalted) hash is enough.
"""

from __future__ import annotations

import hashlib
import secrets

WORKSTATION_TOKEN_PREFIX = "wdw_"
STAFF_TOKEN_PREFIX = "wds_"
# Typed by an administrator at the counter: no 0/O, 1/I/L, no lower case.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_GROUPS = 3
CODE_GROUP_LENGTH = 4


def sha256_hex(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def new_workstation_token() -> str:
    return WORKSTATION_TOKEN_PREFIX + secrets.token_urlsafe(32)


def new_staff_token() -> str:
    return STAFF_TOKEN_PREFIX + secrets.token_urlsafe(32)


def new_enrollment_code() -> str:
    """Like "K7QM-3XRT-PW9C": 12 characters, about 59 bits, readable over the phone."""
    groups = ("".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_GROUP_LENGTH)) for _ in range(CODE_GROUPS))
    return "-".join(groups)


def normalise_enrollment_code(typed: str) -> str:
    """What the administrator typed, as it was issued: case, spaces and dashes do not matter."""
    letters = "".join(ch for ch in typed.upper() if ch.isalnum())
    return "-".join(letters[i : i + CODE_GROUP_LENGTH] for i in range(0, len(letters), CODE_GROUP_LENGTH))
