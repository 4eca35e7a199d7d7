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
committed in this process is seen within a millisecond; pushes committed by another hub
process (``serve --workers``) by looking again every ``POLL_SECONDS``, an indexed read of
one row. A batch whose ``after`` event does not arrive in time is refused with 409 and
nothing stored; the workstation sends it again once it has the answer to the batch
before.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable

from starlette.concurrency import run_in_threadpool

from windowdesk.hub.errors import Conflict
from windowdesk.hub.services.push_view import known_events
from windowdesk.hub.storage.database import HubDatabase
from windowdesk.sync.protocol import ERROR_PUSH_OUT_OF_ORDER, PUSH_ORDER_WAIT

POLL_SECONDS = 0.005
LOCAL_TICK_SECONDS = 0.001
OUT_OF_ORDER_MESSAGE = (
    "The batch sent before this one has not reached the hub yet, so this one was not "
    "stored. It is sent again by itself."
)

_generation_lock = threading.Lock()
_generation = 0  # pushes committed by this process


def note_push_committed() -> None:
    global _generation
    with _generation_lock:
        _generation += 1


def _is_stored(db: HubDatabase, event_id: str) -> bool:
    with db.read() as session:
        return bool(known_events(session, [event_id]))


async def wait_for_predecessor(
    db: HubDatabase, after: str, *, timeout: float = PUSH_ORDER_WAIT,
    clock: Callable[[], float] = time.monotonic,
) -> None:
    """Returns once the event ``after`` is stored (applied or rejected); raises Conflict
    (push_out_of_order) when it is not after ``timeout`` seconds."""
    deadline = clock() + timeout
    while True:
        seen = _generation
        if await run_in_threadpool(_is_stored, db, after):
            return
        if clock() >= deadline:
            raise Conflict(OUT_OF_ORDER_MESSAGE, code=ERROR_PUSH_OUT_OF_ORDER, title="Sent out of order")
        look_again = min(deadline, clock() + POLL_SECONDS)
        while _generation == seen and clock() < look_again:
            await asyncio.sleep(LOCAL_TICK_SECONDS)
