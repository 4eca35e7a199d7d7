"""One workstation's batches applied in the order it sent them, two on the wire at once.

A workstation sends its next batch while the hub still applies the one before, so that
the hub reads and checks one batch while the other is written (SQLite's inserts and
fsync leave Python free) and no round trip is spent waiting. Two requests on two
connections may reach the hub in either order, and an event may depend on one of the
batch before (a case on its applicant's registration), so each batch names the last
event of the one before as ``after``; it is applied only once that event is stored.

The wait happens before the batch's write transaction, never inside it: the batch before
needs the writer's turn to be stored. A push committed in this process wakes the waiters
at once; pushes committed by another hub process (``serve --workers``, where the batch
before may well be applied) are seen by looking again every ``POLL_SECONDS``, an indexed
read of one row. A batch whose ``after`` event does not arrive in time is refused with
409 and nothing stored; the workstation sends it again once it has the answer to the
batch before.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from windowdesk.hub.errors import Conflict
from windowdesk.hub.services.push_view import known_events
from windowdesk.hub.storage.database import HubDatabase
from windowdesk.sync.protocol import ERROR_PUSH_OUT_OF_ORDER, PUSH_ORDER_WAIT

POLL_SECONDS = 0.005
OUT_OF_ORDER_MESSAGE = (
    "The batch sent before this one has not reached the hub yet, so this one was not "
    "stored. It is sent again by itself."
)

_committed = threading.Condition()
_generation = 0  # pushes committed by this process


def note_push_committed() -> None:
    global _generation
    with _committed:
        _generation += 1
        _committed.notify_all()


def wait_for_predecessor(
    db: HubDatabase, after: str, *, timeout: float = PUSH_ORDER_WAIT,
    clock: Callable[[], float] = time.monotonic,
) -> None:
    """Returns once the event ``after`` is stored (applied or rejected); raises Conflict
    (push_out_of_order) when it is not after ``timeout`` seconds."""
    deadline = clock() + timeout
    while True:
        with _committed:
            seen = _generation
        with db.read() as session:
            if known_events(session, [after]):
                return
        remaining = deadline - clock()
        if remaining <= 0:
            raise Conflict(OUT_OF_ORDER_MESSAGE, code=ERROR_PUSH_OUT_OF_ORDER, title="Sent out of order")
        with _committed:
            if _generation == seen:  # nothing committed here since the look: wait for it
                _committed.wait(min(remaining, POLL_SECONDS))
