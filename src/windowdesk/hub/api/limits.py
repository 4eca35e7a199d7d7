"""Rate limits of the API, per client address (see windowdesk.hub.ratelimit).

- Enrollment: every attempt counts, so codes cannot be guessed quickly.
- Tokens: every refused token counts; once an address has too many, each request from
  it that needs a token is answered 429 before its token is looked at, so that a
  guesser learns nothing more until the window has passed.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass

from fastapi import Request

from windowdesk.hub.errors import TooManyRequests, Unauthorized
from windowdesk.hub.language import Text
from windowdesk.hub.ratelimit import SlidingWindowLimiter
from windowdesk.hub.settings import HubSettings
from windowdesk.i18n import N_

UNKNOWN_ADDRESS = "unknown"


@dataclass(frozen=True)
class Limiters:
    enrollment: SlidingWindowLimiter
    bad_tokens: SlidingWindowLimiter

    @classmethod
    def from_settings(cls, settings: HubSettings) -> Limiters:
        return cls(SlidingWindowLimiter(settings.enroll_limit), SlidingWindowLimiter(settings.bad_token_limit))


def client_address(request: Request) -> str:
    return request.client.host if request.client else UNKNOWN_ADDRESS


def _limiters(request: Request) -> Limiters:
    return request.app.state.limiters


def too_many_enrollments(wait: int) -> TooManyRequests:
    return TooManyRequests(
        Text(N_("Too many enrollment attempts came from this computer's network address. "
                "Wait {wait} seconds, check the code, and try again."), wait=wait),
        retry_after=wait,
    )


def enrollment_wait(request: Request) -> int | None:
    """Seconds until this address may try to enroll again (nothing counted): the request
    gate asks before it reads the body."""
    return _limiters(request).enrollment.retry_after(client_address(request))


def limit_enrollment(request: Request) -> None:
    """A FastAPI dependency of /enroll."""
    wait = _limiters(request).enrollment.take(client_address(request))
    if wait is not None:
        raise too_many_enrollments(wait)


@contextlib.contextmanager
def token_attempt(request: Request) -> Iterator[None]:
    """Around a token check: refuse an address over its limit, count a refused token."""
    limiter = _limiters(request).bad_tokens
    address = client_address(request)
    wait = limiter.retry_after(address)
    if wait is not None:
        raise TooManyRequests(
            Text(N_("Too many requests with a token the hub refused came from this network address. "
                    "Wait {wait} seconds; if it keeps happening, ask your administrator to enroll "
                    "this workstation again."), wait=wait),
            retry_after=wait,
        )
    try:
        yield
    except Unauthorized:
        limiter.record(address)
        raise
