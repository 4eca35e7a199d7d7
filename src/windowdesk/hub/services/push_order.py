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
holding the worker threads would leave none for the batches they wait for. A push
committed in this process wakes the batches waiting for it at once; one committed by
another hub process (``serve --workers``) is seen by looking again every
``POLL_SECONDS``, an indexed read of one row. A batch whose ``after`` event does not arrive in time is refused with 409 and
nothing stored; the workstation sends it again once it has the answer to the batch
before.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from typing import TypeVar

from starlette.concurrency import run_in_threadpool

from windowdesk.hub.errors import Conflict
from windowdesk.hub.services.push_view import known_events
from windowdesk.hub.storage.database import HubDatabase
from windowdesk.sync.protocol import ERROR_PUSH_OUT_OF_ORDER, PUSH_ORDER_WAIT

POLL_SECONDS = 0.005
OUT_OF_ORDER_MESSAGE = (
    "The batch sent before this one has not reached the hub yet, so this one was not "
    "stored. It is sent again by itself."
)

# Batches of this process waiting for the one before: (their event loop, a future to wake).
_waiters: set[tuple[asyncio.AbstractEventLoop, asyncio.Future]] = set()
_waiters_lock = threading.Lock()

T = TypeVar("T")


def note_push_committed() -> None:
    """Wakes this process's waiting batches, whichever event loop they wait on."""
    with _waiters_lock:
        waking = list(_waiters)
        _waiters.clear()
    for loop, waiter in waking:
        loop.call_soon_threadsafe(_wake, waiter)


def _wake(waiter: asyncio.Future) -> None:
    if not waiter.done():
        waiter.set_result(None)


def is_stored(db: HubDatabase, event_id: str) -> bool:
    with db.read() as session:
        return bool(known_events(session, [event_id]))


async def in_order(attempt: Callable[[], T | None], *, timeout: float = PUSH_ORDER_WAIT,
                   clock: Callable[[], float] = time.monotonic) -> T:
    """``attempt`` (run in a worker thread) answers None while the batch's ``after`` event
    is not stored, else applies the batch; it is tried again each time a push of this
    process commits and every POLL_SECONDS, for at most ``timeout`` seconds, then
    Conflict (push_out_of_order) is raised."""
    loop = asyncio.get_running_loop()
    deadline = clock() + timeout
    while True:
        # Registered before trying, so a commit right after the try still wakes it.
        waiter = (loop, loop.create_future())
        with _waiters_lock:
            _waiters.add(waiter)
        try:
            done = await run_in_threadpool(attempt)
            if done is not None:
                return done
            remaining = deadline - clock()
            if remaining <= 0:
                raise Conflict(OUT_OF_ORDER_MESSAGE, code=ERROR_PUSH_OUT_OF_ORDER, title="Sent out of order")
            await asyncio.wait({waiter[1]}, timeout=min(remaining, POLL_SECONDS))
        finally:
            with _waiters_lock:
                _waiters.discard(waiter)
