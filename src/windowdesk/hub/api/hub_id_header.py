"""Every reply of the hub names the hub (protocol.HEADER_HUB_ID), refusals and errors
too: a window checks it on each one and syncs with no hub but the one it was enrolled
with. A plain ASGI middleware, outermost, so that even a push turned away carries it."""

from __future__ import annotations

import threading

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from windowdesk.hub.storage.database import HubDatabase
from windowdesk.hub.storage.generation import ensure_hub_id
from windowdesk.sync.protocol import HEADER_HUB_ID


class HubIdHeader:
    def __init__(self, app: ASGIApp, *, db: HubDatabase) -> None:
        self.app = app
        self._db = db
        self._lock = threading.Lock()
        self._header: tuple[bytes, bytes] | None = None

    def _value(self) -> tuple[bytes, bytes] | None:
        """Read once per process (it never changes while the hub serves). A database that
        cannot be read (yet) gives no header and is asked again at the next reply: the
        route itself reports the database's trouble, this header must never fail a reply."""
        if self._header is None:
            try:
                with self._lock:
                    found = self._db.run_write(ensure_hub_id)
            except Exception:  # noqa: BLE001 - see above; the window treats a reply without it as no hub's
                return None
            if found:
                self._header = (HEADER_HUB_ID.lower().encode("ascii"), found.encode("ascii"))
        return self._header

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        header = self._value()

        async def send_with_id(message: Message) -> None:
            if header is not None and message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], header]
            await send(message)

        await self.app(scope, receive, send_with_id)
