"""Rate limits of the API, keyed by what is being guessed (see windowdesk.hub.ratelimit).

- Enrollment: refused attempts count per code typed; a code tried too often is answered
  429 without being looked up.
- Tokens: refused requests count per token; a token refused too often is answered 429
  without being looked up.

Not per address (issue 21, finding 7): every window of a street center may reach the hub
from one NAT address, and one window's bad retries must not lock out the others. Tokens
(256 bits) and codes (59 bits) are far beyond online guessing; the limits keep a
window that retries a dead token or a mistyped code from hammering the database.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass

from fastapi import Request

from windowdesk.hub.errors import Conflict, TooManyRequests, Unauthorized
from windowdesk.hub.language import Text
from windowdesk.hub.ratelimit import SlidingWindowLimiter
from windowdesk.hub.security import normalise_enrollment_code, sha256_hex
from windowdesk.hub.settings import HubSettings
from windowdesk.i18n import N_


@dataclass(frozen=True)
class Limiters:
    enrollment: SlidingWindowLimiter
    bad_tokens: SlidingWindowLimiter

    @classmethod
    def from_settings(cls, settings: HubSettings) -> Limiters:
        return cls(SlidingWindowLimiter(settings.enroll_limit), SlidingWindowLimiter(settings.bad_token_limit))


def _limiters(request: Request) -> Limiters:
    return request.app.state.limiters


def too_many_enrollments(wait: int) -> TooManyRequests:
    return TooManyRequests(
        Text(
            N_("This enrollment code was tried too often. Wait {wait} seconds, check the code, and try again."),
            wait=wait,
        ),
        retry_after=wait,
    )


@contextlib.contextmanager
def enrollment_attempt(request: Request, code: str) -> Iterator[None]:
    """Around an enrollment: refuse a code tried too often, count a refused one. Keyed by
    the code typed (its hash), not the address: the windows of a street center behind one
    NAT are never slowed down by one administrator's typo."""
    limiter = _limiters(request).enrollment
    key = "code:" + sha256_hex(normalise_enrollment_code(code))
    wait = limiter.retry_after(key)
    if wait is not None:
        raise too_many_enrollments(wait)
    try:
        yield
    except (Unauthorized, Conflict):
        limiter.record(key)
        raise


def bearer_token(request: Request) -> str | None:
    """The token of an ``Authorization: Bearer ...`` header, as HTTPBearer reads it."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token if scheme.lower() == "bearer" and token else None


def _token_key(request: Request) -> str:
    token = bearer_token(request)
    return "token:" + sha256_hex(token) if token else "no token"


@contextlib.contextmanager
def token_attempt(request: Request) -> Iterator[None]:
    """Around a token check: refuse a token refused too often (429, not even looked up),
    count a refused one. Keyed by the token: a window retrying a revoked or lost token is
    slowed down alone, and another window's good token, from the same address or not, is
    never refused by a limit."""
    limiter = _limiters(request).bad_tokens
    key = _token_key(request)
    wait = limiter.retry_after(key)
    if wait is not None:
        raise TooManyRequests(
            Text(
                N_(
                    "This token was refused too often. Wait {wait} seconds; if it keeps happening, ask your "
                    "administrator to enroll this workstation again."
                ),
                wait=wait,
            ),
            retry_after=wait,
        )
    try:
        yield
    except Unauthorized:
        limiter.record(key)
        raise
