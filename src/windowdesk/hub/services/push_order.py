"""One workstation's batches applied in the order it sent them, two on the wire at once.

A workstation sends its next batch while the hub still applies the one before, so that
the hub reads and checks one batch while the other is written and no round trip is
spent waiting. Two requests on two connections may reach the hub in either order, and an
event may depend on one of the batch before (a case on its applicant's registration), so
each batch names the last event of the one before as ``after``; it is applied only once
that event is stored.

The wait happens before the batch's write transaction, never inside it (the batch before
needs the writer's turn to be stored), and on the event loop, not in a worker thread:
after a hub outage every window may come back with a long outbox, and waiting batches
holding the worker threads would leave none for the batches they wait for.

A push committed in this process wakes at once the batches waiting for one of its events,
and only those: waking every waiting batch at every commit made 200 windows' second
batches try again 200 times each during an end-of-day burst. A push committed by another
hub process (``serve --workers``, or another hub on the same PostgreSQL) is seen by
looking again every ``POLL_SECONDS``, an indexed read of one row. (Looking less often
the more batches wait was tried: with two hub processes, an end-of-day burst of 200
windows took 30% longer.) A batch whose ``after`` event does not arrive in time is
refused with 409 and nothing stored; the workstation sends it again once it has the
answer to the batch before.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import Callable, Iterable
from contextlib import AbstractAsyncContextManager
from typing import TypeVar

from starlette.concurrency import run_in_threadpool

from windowdesk.hub.errors import Conflict
from windowdesk.hub.services.push_view import known_events
from windowdesk.hub.storage.database import HubDatabase
from windowdesk.i18n import N_
from windowdesk.sync.protocol import ERROR_PUSH_OUT_OF_ORDER, PUSH_ORDER_WAIT

POLL_SECONDS = 0.005
OUT_OF_ORDER_MESSAGE = N_(
    "The batch sent before this one has not reached the hub yet, so this one was not "
    "stored. It is sent again by itself."
)

# Batches of this process waiting for the one before, by the event they wait for:
# (their event loop, a future to wake).
_waiters: dict[str, set[tuple[asyncio.AbstractEventLoop, asyncio.Future[None]]]] = {}
_waiters_lock = threading.Lock()

T = TypeVar("T")


def note_push_committed(event_ids: Iterable[str]) -> None:
    """Wakes this process's batches waiting for one of these (just stored) events,
    whichever event loop they wait on."""
    with _waiters_lock:
        if not _waiters:
            return
        waking = [waiter for event_id in event_ids for waiter in _waiters.pop(event_id, ())]
    for loop, waiter in waking:
        loop.call_soon_threadsafe(_wake, waiter)


def _wake(waiter: asyncio.Future[None]) -> None:
    if not waiter.done():
        waiter.set_result(None)


def is_stored(db: HubDatabase, event_id: str) -> bool:
    with db.read() as session:
        return bool(known_events(session, [event_id]))


async def in_order(
    attempt: Callable[[], T | None],
    *,
    after: str | None,
    timeout: float = PUSH_ORDER_WAIT,
    clock: Callable[[], float] = time.monotonic,
    stepped_out: Callable[[], AbstractAsyncContextManager[None]] | None = None,
) -> T:
    """``attempt`` (run in a worker thread) answers None while the batch's ``after`` event
    is not stored, else applies the batch; it is tried again when a push of this process
    stores that event and at the poll interval, for at most ``timeout`` seconds, then
    Conflict (push_out_of_order) is raised. A batch with no ``after`` is applied at once.
    ``stepped_out``: held while it waits (the gate's service slot is given up meanwhile)."""
    if after is None:
        done = await run_in_threadpool(attempt)
        assert done is not None, "a batch that waits for nothing was not applied"
        return done
    loop = asyncio.get_running_loop()
    deadline = clock() + timeout
    while True:
        # Registered before trying, so a commit right after the try still wakes it.
        waiter = (loop, loop.create_future())
        with _waiters_lock:
            _waiters.setdefault(after, set()).add(waiter)
        try:
            done = await run_in_threadpool(attempt)
            if done is not None:
                return done
            remaining = deadline - clock()
            if remaining <= 0:
                raise Conflict(OUT_OF_ORDER_MESSAGE, code=ERROR_PUSH_OUT_OF_ORDER, title=N_("Sent out of order"))
            async with (stepped_out or contextlib.nullcontext)():
                await asyncio.wait({waiter[1]}, timeout=min(remaining, POLL_SECONDS))
        finally:
            with _waiters_lock:
                waiting_here = _waiters.get(after)
                if waiting_here is not None:
                    waiting_here.discard(waiter)
                    if not waiting_here:
                        del _waiters[after]
