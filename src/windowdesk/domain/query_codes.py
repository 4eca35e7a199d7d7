"""查询密码: the short random code printed beside a case number on the acceptance receipt.

The case number and this code together let a resident look the case up outside the
window (the hub's public pages, a phone call). The window makes the code offline at
acceptance, prints it once and keeps nothing that could show it again; only a salted
slow hash travels to the hub in the case's sync event. A supervisor re-issues a new code
(a new hash replaces the old one at the hub).

Codes are 8 characters from an alphabet without look-alikes (no 0/O, 1/I/L, 2/Z, 5/S,
8/B, U/V): 27^8, about 2.8e11 codes; with five wrong tries allowed per case and per
address, guessing is hopeless. The hash is scrypt at a cost that keeps a lookup near
15 ms, so the hub's public status page stays fast while a stolen table of hashes costs
an attacker that much per guess per case.

Stored form, like operator passwords: ``scrypt$<n>$<r>$<p>$<salt b64>$<hash b64>``.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import re
import secrets
import unicodedata

ALPHABET = "34679ACDEFGHJKMNPQRTWXY"  # no 0 O 1 I L 2 Z 5 S 8 B U V, easy to read aloud
# Lower case is accepted when typed; the printed code is upper case.
LENGTH = 8
SCRYPT_N = 2**12
SCRYPT_R = 8
SCRYPT_P = 1
SALT_BYTES = 16
KEY_BYTES = 32
SCHEME = "scrypt"
MAX_HASH_LENGTH = 200


def new_query_code() -> str:
    """A fresh random code (``secrets``: unpredictable even to someone who saw others)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalized_code(typed: str) -> str:
    """What a resident typed, as the code is hashed: full-width letters, spaces, dashes
    and case forgiven."""
    text = unicodedata.normalize("NFKC", typed or "").upper()
    return "".join(ch for ch in text if ch.isalnum())


def looks_like_code(typed: str) -> bool:
    code = normalized_code(typed)
    return len(code) == LENGTH and all(ch in ALPHABET for ch in code)


def grouped(code: str) -> str:
    """The code as printed: two groups of four (``ACDE-7KMN``), easier to copy."""
    return f"{code[:4]}-{code[4:]}" if len(code) == LENGTH else code


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def hash_query_code(code: str, *, n: int = SCRYPT_N, r: int = SCRYPT_R, p: int = SCRYPT_P) -> str:
    salt = secrets.token_bytes(SALT_BYTES)
    digest = hashlib.scrypt(normalized_code(code).encode("ascii"), salt=salt, n=n, r=r, p=p, dklen=KEY_BYTES)
    return f"{SCHEME}${n}${r}${p}${_b64(salt)}${_b64(digest)}"


MIN_N, MAX_N = 2**10, 2**14  # a cost a lookup can afford


def _base64_of(size: int) -> str:
    """A pattern of the padded base64 text of ``size`` bytes."""
    return f"[A-Za-z0-9+/]{{{(size * 4 + 2) // 3}}}" + "=" * (-size % 3)


# The form hash_query_code writes (its salt and digest sizes, padded base64, an allowed
# cost): every text of this form passes the check by parts, so one match answers for the
# hashes windows send (the hub checks one per pushed case) instead of a split, three ints
# and two base64 decodings. Any other text is checked by parts.
_COSTS = "|".join(str(2**k) for k in range(MIN_N.bit_length() - 1, MAX_N.bit_length()))
_WRITTEN_FORM = re.compile(rf"{SCHEME}\$(?:{_COSTS})\$[1-8]\$1\${_base64_of(SALT_BYTES)}\${_base64_of(KEY_BYTES)}")


def is_query_code_hash(encoded: object) -> bool:
    """The shape of a stored hash (the hub checks a pushed one before keeping it), with a
    cost in the range a lookup can afford: a window cannot make the hub's page slow."""
    if isinstance(encoded, str) and _WRITTEN_FORM.fullmatch(encoded) is not None:
        return True
    return is_query_code_hash_by_parts(encoded)


def is_query_code_hash_by_parts(encoded: object) -> bool:
    """is_query_code_hash's rule itself, part by part."""
    if not isinstance(encoded, str) or len(encoded) > MAX_HASH_LENGTH:
        return False
    parts = encoded.split("$")
    if len(parts) != 6 or parts[0] != SCHEME:
        return False
    try:
        n, r, p = int(parts[1]), int(parts[2]), int(parts[3])
        salt, digest = base64.b64decode(parts[4], validate=True), base64.b64decode(parts[5], validate=True)
    except ValueError:
        return False
    return MIN_N <= n <= MAX_N and n & (n - 1) == 0 and 1 <= r <= 8 and p == 1 and len(salt) >= 8 and len(digest) >= 16


def verify_query_code(code: str, encoded: str | None) -> bool:
    """Constant-time check; a missing or malformed hash never matches, and still costs a
    hash (the dummy's), so the answer takes as long as a wrong code's."""
    if not encoded or not is_query_code_hash(encoded):
        hmac.compare_digest(_digest(code, dummy_hash()), b"\0" * KEY_BYTES)
        return False
    expected = base64.b64decode(encoded.split("$")[5])
    return hmac.compare_digest(_digest(code, encoded), expected)


def _digest(code: str, encoded: str) -> bytes:
    _scheme, n, r, p, salt, digest = encoded.split("$")
    return hashlib.scrypt(
        normalized_code(code).encode("ascii", "replace"),
        salt=base64.b64decode(salt),
        n=int(n),
        r=int(r),
        p=int(p),
        dklen=len(base64.b64decode(digest)),
    )


@functools.cache
def dummy_hash() -> str:
    """A hash no typed code matches, checked when a case does not exist so that the
    answer takes the same time as for a case that does. Its digest is random bytes, not
    worked out: making it with scrypt would give the first unknown case of a process a
    second slow hash, and so a different time."""
    salt, digest = secrets.token_bytes(SALT_BYTES), secrets.token_bytes(KEY_BYTES)
    return f"{SCHEME}${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${_b64(salt)}${_b64(digest)}"
