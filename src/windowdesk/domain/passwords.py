"""Operator passwords: slow salted hashes (scrypt), a minimum strength, and lockout.

Stored form: ``scrypt$<n>$<r>$<p>$<salt b64>$<hash b64>`` so the cost can rise later
without breaking old hashes. Verification works offline on every workstation.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from windowdesk.errors import ValidationError

SCRYPT_N = 2**14  # read at each hash: the test suite sets a lower cost in one place (tests/conftest.py)
SCRYPT_R = 8
SCRYPT_P = 1
SALT_BYTES = 16
KEY_BYTES = 32
MIN_LENGTH = 8
MAX_FAILURES = 5
LOCK_MINUTES = 15


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def hash_password(password: str, *, n: int | None = None, r: int = SCRYPT_R, p: int = SCRYPT_P) -> str:
    """The stored form of ``password``, at ``SCRYPT_N`` unless ``n`` is given."""
    n = SCRYPT_N if n is None else n
    salt = secrets.token_bytes(SALT_BYTES)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=KEY_BYTES)
    return f"scrypt${n}${r}${p}${_b64(salt)}${_b64(digest)}"


def verify_password(password: str, encoded: str | None) -> bool:
    """Constant-time check; a malformed or missing hash never matches."""
    if not encoded:
        return False
    try:
        scheme, n, r, p, salt, digest = encoded.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        actual = hashlib.scrypt(
            password.encode("utf-8"),
            salt=base64.b64decode(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=len(expected),
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


@functools.cache
def unknown_login_hash() -> str:
    """A hash no password matches, checked for a login that does not exist (or is locked)
    so that its refusal takes as long as a wrong password's."""
    return hash_password(secrets.token_urlsafe(24))


def check_strength(password: str, *, login: str = "", center: str = "") -> None:
    """Raise ValidationError(field="password") with every problem in plain words. The one
    check for every place a password is set: at the window and in the hub's CLI."""
    from windowdesk.domain.password_rules import Weakness, weaknesses
    from windowdesk.i18n import _

    problems = []
    if len(password) < MIN_LENGTH:
        problems.append(_("at least {count} characters").format(count=MIN_LENGTH))
    if not any(c.isalpha() for c in password) or not any(c.isdigit() for c in password):
        problems.append(_("both letters and digits"))
    said = {
        Weakness.COMMON: _("not a common password"),
        Weakness.LOGIN: _("not containing the login name"),
        Weakness.CENTER: _("not containing the service center's code"),
        Weakness.PREDICTABLE: _(
            "more than common words, names, dates, repeated characters, sequences "
            "or keyboard rows (such as abcd, 1234, qwer, 1qaz)"
        ),
    }
    problems.extend(said[weakness] for weakness in weaknesses(password, login=login, center=center))
    if problems:
        raise ValidationError(_("The password needs {rules}.").format(rules=_(", ").join(problems)), field="password")


@dataclass(frozen=True)
class LockState:
    failures: int
    locked_until: dt.datetime | None

    def is_locked(self, now: dt.datetime) -> bool:
        return self.locked_until is not None and now < self.locked_until


def after_failure(state: LockState, now: dt.datetime) -> LockState:
    """One more wrong password; the fifth in a row locks the account for a while."""
    failures = state.failures + 1
    if failures >= MAX_FAILURES:
        return LockState(0, now + dt.timedelta(minutes=LOCK_MINUTES))
    return LockState(failures, state.locked_until)


def after_success() -> LockState:
    return LockState(0, None)
