"""Turns at the hub for pushes, so that no push waits long inside it.

At the end of the day every window may sync at once: 200 windows, each with a day's work.
The hub writes pushes one after another (one database writer). Taking them all in at once
made each wait behind all the others: a request took seconds (p99 5.8 s with 200
windows), and with more windows it would pass a window's timeout, and the window would
send the same batch again, adding to the crowd. Every waiting request also held its
parsed body in the hub's memory.

So each hub process takes in about ``room`` seconds of pushes at once and gives the
windows beyond a place in a line, as the ticket machine does at the counters: a push
that finds the room full, or others waiting, is answered at once, before its body is read,
with when to come back: when the work ahead of it (the pushes inside and those before it
in the line, at the hub's measured pace) will have shrunk to the room. Each visit works
that time out again, so a pace measured wrong is put right at the next visit, and the
order stays first come, first served. A window's next batch, sent as soon as one is
answered, goes before the line: a window's end-of-day push is not sent to the back batch
after batch. The window waits quietly: it is not a failure (sync/client.HubBusy).

Pure logic with a clock of its own, safe to call from any thread; the ASGI gate in front
of the push route is hub/api/push_gate.py.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass

# Until pushes are measured: twice what a 300-event push takes on a small machine with
# SQLite. A hub starting slower than guessed (PostgreSQL, a crowd arriving at once) took in
# too much at first and kept those pushes 1.1 s (p99 in the burst); with this guess, 0.66 s.
FIRST_GUESS_SECONDS_PER_BYTE = 0.07 / 450_000
# A push smaller than this is counted as this big: its fixed cost (HTTP, authentication,
# a transaction) outweighs its bytes.
MIN_COUNTED_BYTES = 64_000
# The pace is measured over this many of the last pushes answered: pushes served together
# share the machine, so the first answered seems slow and the next one quick.
PACE_SAMPLES = 16
# A window's next batch, sent within this many seconds of the last one's answer (or of the
# moment its batch before was let in: a window may have two on the wire), goes in before
# the line while the work inside, its own included, is at most this many rooms.
NEXT_BATCH_SECONDS = 1.0
NEXT_BATCH_ROOM_FACTOR = 1.5
# A window whose turn is this share of the room away goes in now: it waits that little
# longer inside rather than coming back once more (each visit costs the hub about 1 ms).
SLACK_SHARE = 0.25
# The longest a window is told to wait at once (it is told again when it comes back).
LONGEST_WAIT_SECONDS = 2.0
# A window not back this long after it was due leaves the line (it stopped, or gave up).
LAPSE_SECONDS = 2.0
# The first guess counts as this many pushes of this size until measures replace it: a
# crowd arriving at once slows the first pushes answered, and a lighter guess was swept
# away by them, so that the windows in line were told to come back far too late.
PRIOR_SAMPLES = 8
PRIOR_BYTES = 400_000
# Lapsed tickets are swept out at most this often.
SWEEP_SECONDS = 0.5


@dataclass
class _Ticket:
    counted: int  # the push's bytes, at least MIN_COUNTED_BYTES
    lapses: float  # the window is taken out of the line if it has not come back by then


class PushTurns:
    """``enter`` before a push is read, ``leave`` once it is answered. ``room``: seconds of
    work taken in at once, about the longest a push let in waits behind the others."""

    def __init__(self, room: float, *, clock: Callable[[], float] = time.monotonic) -> None:
        if room <= 0:
            raise ValueError("a hub has room for some work")
        self.room = room
        self._clock = clock
        self._lock = threading.Lock()
        self._inside = 0
        self._counted_inside = 0  # bytes of the pushes inside, each at least MIN_COUNTED_BYTES
        prior = (FIRST_GUESS_SECONDS_PER_BYTE * PRIOR_BYTES, PRIOR_BYTES)
        self._pace: deque[tuple[float, int]] = deque([prior] * PRIOR_SAMPLES, maxlen=PACE_SAMPLES)
        self._pace_seconds = prior[0] * PRIOR_SAMPLES
        self._pace_bytes = prior[1] * PRIOR_SAMPLES
        self._seconds_per_byte = FIRST_GUESS_SECONDS_PER_BYTE
        self._last_left: float | None = None
        self._line: OrderedDict[str, _Ticket] = OrderedDict()
        self._just_answered: dict[str, float] = {}  # who -> until when its next batch goes first
        self._next_sweep = 0.0

    @property
    def inside(self) -> int:
        return self._inside

    @property
    def waiting(self) -> int:
        return len(self._line)

    @property
    def seconds_per_byte(self) -> float:
        return self._seconds_per_byte

    def enter(self, who: str, size: int) -> float | None:
        """None: ``who`` (a workstation's token, or an address) may push ``size`` bytes now
        and must call :meth:`leave` once answered. Else the seconds until it should come back."""
        counted = max(size, MIN_COUNTED_BYTES)
        with self._lock:
            now = self._clock()
            self._sweep(now)
            inside = self._work(self._counted_inside + counted)
            if self._inside == 0:  # never idle while someone is at the door
                self._let_in(who, counted, now)
                return None
            if self._just_answered.get(who, -1.0) >= now and who not in self._line:
                # Its next batch, sent as soon as one was answered: not to the back of the line.
                if inside <= self.room * NEXT_BATCH_ROOM_FACTOR:
                    self._let_in(who, counted, now)
                    return None
                self._line[who] = _Ticket(counted, 0.0)
                self._line.move_to_end(who, last=False)
            elif who not in self._line:
                if not self._line and inside <= self.room:
                    self._let_in(who, counted, now)
                    return None
                self._line[who] = _Ticket(counted, 0.0)
            ticket = self._line[who]
            ticket.counted = counted
            ahead = 0
            for other, their in self._line.items():
                if other == who:
                    break
                ahead += their.counted
            wait = self._work(ahead) + inside - self.room
            if wait <= self.room * SLACK_SHARE:  # a moment more inside, not one more visit
                self._let_in(who, counted, now)
                return None
            wait = min(wait, LONGEST_WAIT_SECONDS)
            ticket.lapses = now + wait + LAPSE_SECONDS
            return wait

    def leave(self, who: str, size: int, served_from: float | None) -> None:
        """``served_from``: the clock's reading when its service began (None: it was never
        served, its window went away while it waited inside)."""
        counted = max(size, MIN_COUNTED_BYTES)
        with self._lock:
            now = self._clock()
            self._inside -= 1
            self._counted_inside -= counted
            if served_from is None:
                return
            self._just_answered[who] = now + NEXT_BATCH_SECONDS
            # While the hub is busy, the time since the last push left is what this one
            # cost it (they are served a few at a time); when it was idle, its own time.
            since = served_from if self._last_left is None else max(served_from, self._last_left)
            self._measure(max(now - since, 0.0), counted)
            self._last_left = now

    def now(self) -> float:
        return self._clock()

    def _measure(self, seconds: float, counted: int) -> None:
        if len(self._pace) == self._pace.maxlen:
            dropped_seconds, dropped_bytes = self._pace[0]
            self._pace_seconds -= dropped_seconds
            self._pace_bytes -= dropped_bytes
        self._pace.append((seconds, counted))
        self._pace_seconds += seconds
        self._pace_bytes += counted
        self._seconds_per_byte = max(self._pace_seconds, 0.0) / self._pace_bytes

    def _let_in(self, who: str, counted: int, now: float) -> None:
        self._line.pop(who, None)
        # Its other batch on the wire (a window may send two at once) follows it in.
        self._just_answered[who] = now + NEXT_BATCH_SECONDS
        self._inside += 1
        self._counted_inside += counted
        return None

    def _work(self, counted: int) -> float:
        return self._seconds_per_byte * counted

    def _sweep(self, now: float) -> None:
        """Windows that did not come back (stopped, gave up) leave the line."""
        if now < self._next_sweep:
            return
        self._next_sweep = now + SWEEP_SECONDS
        for who in [who for who, ticket in self._line.items() if ticket.lapses < now]:
            del self._line[who]
        for who in [who for who, until in self._just_answered.items() if until < now]:
            del self._just_answered[who]
