"""Time-ordered primary keys (UUID version 7, RFC 9562).

Layout (128 bits): 48-bit Unix time in milliseconds | version 7 (4 bits) | rand_a (12 bits)
| variant 0b10 (2 bits) | rand_b (62 random bits).

rand_a is a counter (RFC 9562 section 6.2, method 1): at a new millisecond it starts at a
random value below 2048 (leaving room to count up); within the same millisecond it goes
up by one. When it would overflow, or when the system clock steps back, the timestamp is
carried forward from the last one used. So within one process every id is greater than
the one before, and the string order is the creation order. Records made on different
machines still never collide: 62 random bits per id on top of the time.
"""

from __future__ import annotations

import secrets
import threading
import time
import uuid
from collections.abc import Callable

_COUNTER_MAX = 0xFFF
_COUNTER_SEED_BITS = 11
_TIMESTAMP_MAX = (1 << 48) - 1


def _clock_ms() -> int:
    return time.time_ns() // 1_000_000


class UuidV7Generator:
    """A monotonic UUIDv7 source; ``new_uuid`` uses one per process. Thread-safe."""

    def __init__(
        self,
        clock_ms: Callable[[], int] = _clock_ms,
        randbits: Callable[[int], int] = secrets.randbits,
    ) -> None:
        self._clock_ms = clock_ms
        self._randbits = randbits
        self._lock = threading.Lock()
        self._last_ms = -1
        self._counter = 0

    def new_int(self) -> int:
        with self._lock:
            now = self._clock_ms()
            if now > self._last_ms:
                self._last_ms = now
                self._counter = self._randbits(_COUNTER_SEED_BITS)
            else:
                # Same millisecond, or the clock went back: keep counting on the last one.
                self._counter += 1
                if self._counter > _COUNTER_MAX:
                    self._last_ms += 1
                    self._counter = self._randbits(_COUNTER_SEED_BITS)
            ms = self._last_ms & _TIMESTAMP_MAX
            counter = self._counter
        rand_b = self._randbits(62)
        return (ms << 80) | (0x7 << 76) | (counter << 64) | (0b10 << 62) | rand_b

    def __call__(self) -> str:
        return str(uuid.UUID(int=self.new_int()))


_default = UuidV7Generator()


def new_uuid() -> str:
    """A new time-ordered UUID as the canonical 36-character lowercase string."""
    return _default()


def uuid7_unix_ms(value: str) -> int:
    """The Unix time in milliseconds stored in a UUIDv7 string."""
    return uuid.UUID(value).int >> 80
