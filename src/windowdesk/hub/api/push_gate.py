"""The gate in front of the push route: a push comes in at its turn (hub/push_turns.py).

A plain ASGI middleware, so that a push turned away costs the hub no parsing: its body is
received and dropped, never decoded, and it is answered 503 hub_busy with its turn, in the
window's language. A push let in waits for one of the few service slots with its body as
received bytes, and gives its slot and its room back as soon as its answer starts.

Nothing that a single window can hold up is held while the hub waits for that window: the
body is received before the push takes its place (found by the fault tests: pushes on a
stalled link held both slots, and every window behind them waited for good), and the
answer is sent after its slot is given back.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
from collections.abc import AsyncIterator, Awaitable, Callable

from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from windowdesk.hub.api.errors import error_response, request_language
from windowdesk.hub.api.request_gate import replaying
from windowdesk.hub.language import Text, render
from windowdesk.hub.push_turns import PushTurns
from windowdesk.hub.security import sha256_hex
from windowdesk.i18n import N_
from windowdesk.sync.protocol import API_PREFIX, ERROR_HUB_BUSY

log = logging.getLogger("windowdesk.hub")

PUSH_PATH = f"{API_PREFIX}/push"
# Pushes served at once by one hub process: one is read and checked while the other is
# written; more only make them take turns at the interpreter.
SERVED_AT_ONCE = 2
SCOPE_SLOT = "windowdesk.push_slot"
LOG_SECONDS = 30.0
BUSY_TITLE = N_("The hub is busy")
BUSY_MESSAGE = N_(
    "Many windows are sending their work to the hub right now. This window's turn comes in "
    "{seconds} seconds; it sends its changes again by itself."
)


class ServiceSlot:
    """A push's place among the few served at once. The route steps out of it while its
    batch waits for the one before (push_order), so that the batch it waits for, queued
    behind it, can be served."""

    def __init__(self, slots: asyncio.Semaphore) -> None:
        self._slots = slots
        self.held = False

    async def take(self) -> None:
        await self._slots.acquire()
        self.held = True

    def give_back(self) -> None:
        """Once only, and only if taken: a push whose window went away while it waited
        to take its slot again must not give back a slot it does not hold."""
        if self.held:
            self.held = False
            self._slots.release()

    @contextlib.asynccontextmanager
    async def stepped_out(self) -> AsyncIterator[None]:
        self.give_back()
        try:
            yield
        finally:
            await self.take()


def service_slot(scope: Scope) -> ServiceSlot | None:
    """The push's slot, when the gate is in front of the route."""
    return scope.get(SCOPE_SLOT)


class PushGate:
    """``enrolled``: whether a token's hash is an enrolled workstation's (EnrolledTokens);
    only those are given a place in line, any other push goes straight to the route."""

    def __init__(
        self, app: ASGIApp, turns: PushTurns, enrolled: Callable[[str], Awaitable[bool]], serving: int = SERVED_AT_ONCE
    ) -> None:
        self.app = app
        self.turns = turns
        self._enrolled = enrolled
        self._serving = serving
        self._slots: asyncio.Semaphore | None = None  # made on the event loop, at the first push
        self._logged_at = -math.inf

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST" or scope["path"] != PUSH_PATH:
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        who = _token_sha256(headers)
        if who is None or not await self._enrolled(who):
            await self.app(scope, receive, send)  # refused there, and counted against its token
            return
        # The body first, before the push takes any place: a window on a slow or stalled
        # link must not hold the room or a slot the others need while its bytes trickle in.
        body = await _received_body(receive)
        if body is None:
            return  # the window went away before it had sent its push: nobody to answer
        wait = self.turns.enter(who, len(body))
        if wait is not None:
            self._tell_the_log()
            await busy_response(Request(scope), wait)(scope, receive, send)
            return
        if self._slots is None:
            self._slots = asyncio.Semaphore(self._serving)
        slot = ServiceSlot(self._slots)
        served_from = None
        left = False

        def leave() -> None:
            nonlocal left
            if not left:
                left = True
                slot.give_back()
                self.turns.leave(who, len(body), served_from)

        async def send_then_leave(message: Message) -> None:
            if message["type"] == "http.response.start":
                leave()  # its work is done; a slow reader of the answer holds nothing either
            await send(message)

        try:
            await slot.take()
            served_from = self.turns.now()
            await self.app({**scope, SCOPE_SLOT: slot}, replaying(body, receive), send_then_leave)
        finally:
            leave()

    def _tell_the_log(self) -> None:
        """While windows are told to wait, the hub's log says so, at most every LOG_SECONDS:
        how many wait, and how fast the hub writes pushes (its administrator's first look
        when windows are slow to sync at the end of the day)."""
        now = self.turns.now()
        if now - self._logged_at < LOG_SECONDS:
            return
        self._logged_at = now
        log.info(
            "pushes take turns (windows waiting in line: %d, pushes inside: %d); the hub writes about "
            "%.1f MB of pushes a second",
            self.turns.waiting,
            self.turns.inside,
            1e-6 / self.turns.seconds_per_byte,
        )


def busy_response(request: Request, wait: float):  # noqa: ANN201 - a JSONResponse
    language = request_language(request)
    seconds = max(1, math.ceil(wait))
    return error_response(
        503,
        ERROR_HUB_BUSY,
        render(BUSY_TITLE, language),
        render(Text(BUSY_MESSAGE, seconds=seconds), language),
        headers={"Retry-After": str(seconds)},
        extra={"retry_after": round(wait, 3)},
    )


def _token_sha256(headers: Headers) -> str | None:
    """The workstation, by its token's hash (as the hub keeps it: no token is kept here)."""
    scheme, _, token = headers.get("authorization", "").partition(" ")  # as HTTPBearer reads it
    if scheme.lower() != "bearer" or not token:
        return None
    return sha256_hex(token)


async def _received_body(receive: Receive) -> bytes | None:
    """The whole request body, or None if the client went away first."""
    chunks = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return None
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(chunks)
