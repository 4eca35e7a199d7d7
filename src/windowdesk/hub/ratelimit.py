"""Rate limits: a sliding window of recent attempts per key (api/limits.py keys them by the
token or code being tried), kept in memory.

In memory on purpose: a limit only has to slow down guessing (enrollment codes) and
hammering (bad tokens), and a restart that forgets it costs an attacker one window.
Each hub process keeps its own counts, so with ``--workers N`` an address may make up
to N times the limit; the tokens and codes themselves stay unguessable either way.

No limit is keyed by the client's address, and the hub believes X-Forwarded-For only from
the proxies its administrator names (settings.trusted_proxies, `serve --trusted-proxy`).
"""

from __future__ import annotations

import math
import re
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from windowdesk.hub.errors import InvalidInput
from windowdesk.hub.language import Text
from windowdesk.i18n import N_

_PERIODS = {"second": 1, "minute": 60, "hour": 3600}
_SPEC = re.compile(r"^\s*([0-9]+)\s*/\s*(second|minute|hour|[0-9]+)\s*$")
# Past this many keys the oldest are forgotten: a flood of made-up tokens or codes must
# not grow the hub's memory without end.
MAX_TRACKED_ADDRESSES = 20_000


@dataclass(frozen=True)
class RateLimit:
    """At most ``count`` attempts per ``period_s`` seconds from one address."""

    count: int
    period_s: int

    @classmethod
    def parse(cls, text: str) -> RateLimit:
        """ "10/minute", "30/hour", "5/30" (five per 30 seconds)."""
        match = _SPEC.match(text or "")
        if match is None or int(match.group(1)) < 1 or match.group(2) == "0":
            raise InvalidInput(
                Text(
                    N_("{text!r} is not a rate limit; write it like 10/minute, 100/hour or 5/30 (per 30 seconds)."),
                    text=text,
                )
            )
        period = match.group(2)
        return cls(int(match.group(1)), _PERIODS.get(period) or int(period))

    def __str__(self) -> str:
        names = {seconds: name for name, seconds in _PERIODS.items()}
        return f"{self.count}/{names.get(self.period_s, self.period_s)}"


class SlidingWindowLimiter:
    """Counts attempts per key over the last ``period_s`` seconds. Thread-safe: FastAPI
    runs the hub's endpoints in a thread pool."""

    def __init__(
        self, limit: RateLimit, *, clock: Callable[[], float] = time.monotonic, max_keys: int = MAX_TRACKED_ADDRESSES
    ) -> None:
        self.limit = limit
        self._clock = clock
        self._max_keys = max_keys
        self._attempts: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        attempts = self._attempts.get(key)
        if attempts is None:
            if len(self._attempts) >= self._max_keys:
                # dicts keep insertion order: drop the address seen first.
                self._attempts.pop(next(iter(self._attempts)))
            attempts = self._attempts[key] = deque(maxlen=self.limit.count)
        while attempts and attempts[0] <= now - self.limit.period_s:
            attempts.popleft()
        return attempts

    def _wait(self, attempts: deque[float], now: float) -> int | None:
        if len(attempts) < self.limit.count:
            return None
        return max(1, math.ceil(attempts[0] + self.limit.period_s - now))

    def retry_after(self, key: str) -> int | None:
        """Whole seconds until ``key`` may try again, or None when it may now."""
        with self._lock:
            now = self._clock()
            return self._wait(self._recent(key, now), now)

    def record(self, key: str) -> None:
        """Count one attempt (a failed one, for limits that count failures only)."""
        with self._lock:
            now = self._clock()
            self._recent(key, now).append(now)

    def take(self, key: str) -> int | None:
        """Count an attempt if it is allowed; else the seconds to wait (nothing counted)."""
        with self._lock:
            now = self._clock()
            attempts = self._recent(key, now)
            wait = self._wait(attempts, now)
            if wait is None:
                attempts.append(now)
            return wait
