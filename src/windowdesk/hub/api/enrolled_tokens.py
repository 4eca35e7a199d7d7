"""Which tokens belong to enrolled workstations, as far as the push gate needs to know.

Only an enrolled workstation is given a place in the hub's line for pushes. A request
with any other token is let straight through to the route, which refuses it (401) and
counts it against its token (api/limits.py): without this, requests with made-up
tokens would each take a place in line ahead of the real windows, and never be counted.

The hashes of the tokens not revoked are read from the database at the first push and
again, at most every REFRESH_SECONDS, when a token is not among them (a workstation
enrolled since). A workstation revoked since keeps its place in line until then, and is
refused by the route when its turn comes, as before.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from starlette.concurrency import run_in_threadpool

from windowdesk.hub.storage.database import HubDatabase
from windowdesk.hub.storage.models import Workstation

REFRESH_SECONDS = 5.0


class EnrolledTokens:
    def __init__(self, db: HubDatabase, *, clock: Callable[[], float] = time.monotonic) -> None:
        self._db = db
        self._clock = clock
        self._hashes: frozenset[str] = frozenset()
        self._read_at = -float("inf")
        self._reading: asyncio.Future | None = None  # the one read under way: every caller awaits it

    async def knows(self, token_sha256: str) -> bool:
        if token_sha256 in self._hashes:
            return True
        if self._reading is None and self._clock() - self._read_at >= REFRESH_SECONDS:
            self._reading = asyncio.ensure_future(run_in_threadpool(self._read))
        if self._reading is not None:
            reading = self._reading
            try:
                await asyncio.shield(reading)
            except SQLAlchemyError:
                # The database cannot be read: the push goes on to the route, which answers
                # as it answers any request then (503, "try again in a moment").
                return False
            finally:
                if reading.done() and self._reading is reading:
                    self._reading = None
        return token_sha256 in self._hashes

    def _read(self) -> None:
        with self._db.read() as session:
            hashes = frozenset(
                session.scalars(select(Workstation.token_sha256).where(Workstation.revoked_at.is_(None)))
            )
        self._hashes = hashes
        self._read_at = self._clock()
