"""The hall service over HTTP/JSON (FastAPI).

Every route but ``/health`` and ``/follow/{number}`` (the QR code on a ticket, read by a
resident's phone on the hall's network: it shows the ticket's place in line and nothing
personal) needs ``Authorization: Bearer <token>``; the administrator makes tokens with
``windowdesk-hall token``. A window's token acts for its own window only.

``/display`` is a long poll: it answers at once when a call newer than ``after`` exists,
else waits up to ``wait`` seconds for the next one. Writes are answered after their
commit, so what a window was told has reached the disk.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from typing import TYPE_CHECKING, Any

from fastapi import Depends, FastAPI, Header, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from windowdesk.hall.errors import HallError
from windowdesk.hall.service import HallService
from windowdesk.i18n import N_

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Awaitable, Callable

MAX_WAIT_S = 30.0


class Bell:
    """Wakes the display's long polls when the service records an event; rung from the
    worker threads that ran the write, heard on the server's event loop."""

    def __init__(self) -> None:
        self._loop: asyncio.AbstractEventLoop | None = None
        self._event: asyncio.Event | None = None

    def bind(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._event = asyncio.Event()

    def current(self) -> asyncio.Event:
        if self._event is None:
            raise RuntimeError("the bell is rung before bind(), inside the server's loop")
        return self._event

    def ring(self, _seq: int) -> None:
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._wake)

    def _wake(self) -> None:
        # Those waiting hold the old event; later waiters get a fresh one.
        event, self._event = self.current(), asyncio.Event()
        event.set()


class IssueBody(BaseModel):
    business: str = Field(min_length=1, max_length=1)
    priority: bool = False
    resident: dict[str, str] | None = None


class TransferBody(BaseModel):
    to_window: str | None = None
    to_business: str | None = None


class PauseBody(BaseModel):
    paused: bool


class WalkInBody(BaseModel):
    business: str | None = None


class LinkCaseBody(BaseModel):
    ticket_id: str
    case_id: str = Field(min_length=1, max_length=64)


class CheckInBody(BaseModel):
    code: str = Field(min_length=1, max_length=20)


class RequeueBody(BaseModel):
    number: str = Field(min_length=2, max_length=8)


def create_app(service: HallService, bell: Bell) -> FastAPI:
    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        bell.bind()
        yield

    app = FastAPI(title="windowdesk-hall", lifespan=lifespan)

    @app.exception_handler(HallError)
    async def refused(_request: Request, error: HallError) -> JSONResponse:
        return JSONResponse(error.as_json(), status_code=error.status)

    async def caller(authorization: str = Header(default="")) -> dict[str, Any]:
        token = authorization.removeprefix("Bearer ").strip()
        who = await run_in_threadpool(service.who, token) if token else None
        if who is None:
            raise HallError("bad_token", N_("This device has no valid token of the hall service."), status=401)
        return who

    def role(*allowed: str) -> Callable[..., Awaitable[dict[str, Any]]]:
        async def check(who: dict = Depends(caller)) -> dict[str, Any]:
            if who["role"] not in allowed:
                raise HallError("forbidden", N_("A {role} device cannot do this."), status=403, role=who["role"])
            return who

        return check

    window_only = role("window")
    kiosk_or_window = role("kiosk", "window")

    def act(method: Callable[..., Any], **fixed: Any) -> Awaitable[Any]:
        return run_in_threadpool(lambda: method(**fixed))

    @app.get("/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/setup")
    async def setup(_who: dict = Depends(caller)) -> dict[str, Any]:
        return await act(service.setup)

    @app.post("/tickets")
    async def issue(body: IssueBody, _who: dict = Depends(kiosk_or_window)) -> dict[str, Any]:
        return await act(service.issue, business=body.business, priority=body.priority, resident=body.resident)

    @app.post("/tickets/booking")
    async def check_in(body: CheckInBody, _who: dict = Depends(kiosk_or_window)) -> dict[str, Any]:
        return await act(service.check_in, code=body.code)

    @app.get("/bookings/{code}")
    async def booking(code: str = Path(max_length=20), _who: dict = Depends(window_only)) -> dict[str, Any]:
        return await act(service.booking, code=code)

    @app.post("/tickets/requeue")
    async def requeue(body: RequeueBody, _who: dict = Depends(kiosk_or_window)) -> dict[str, Any]:
        return await act(service.requeue, number=body.number)

    @app.get("/follow/{number}")
    async def follow(number: str) -> dict[str, Any]:
        ticket = await act(service.ticket, number=number)
        return {key: ticket[key] for key in ("number", "business", "state", "window_code", "waiting_ahead")}

    @app.get("/window")
    async def window_status(who: dict = Depends(window_only)) -> dict[str, Any]:
        return await act(service.window_status, window=who["window_code"])

    @app.post("/window/call-next")
    async def call_next(who: dict = Depends(window_only)) -> dict[str, Any]:
        return {"ticket": await act(service.call_next, window=who["window_code"])}

    def window_route(method: Callable[..., dict[str, Any]]) -> Callable[..., Awaitable[dict[str, Any]]]:
        async def route(who: dict = Depends(window_only)) -> dict[str, Any]:
            return {"ticket": await act(method, window=who["window_code"])}

        return route

    for path, method in (
        ("recall", service.recall),
        ("skip", service.skip),
        ("serve", service.start_serving),
        ("finish", service.finish),
    ):
        app.post(f"/window/{path}")(window_route(method))

    @app.post("/window/transfer")
    async def transfer(body: TransferBody, who: dict = Depends(window_only)) -> dict[str, Any]:
        return {
            "ticket": await act(
                service.transfer, window=who["window_code"], to_window=body.to_window, to_business=body.to_business
            )
        }

    @app.post("/window/pause")
    async def pause(body: PauseBody, who: dict = Depends(window_only)) -> dict[str, Any]:
        return {"window": await act(service.set_paused, window=who["window_code"], paused=body.paused)}

    @app.post("/window/walk-in")
    async def walk_in(body: WalkInBody, who: dict = Depends(window_only)) -> dict[str, Any]:
        return {"ticket": await act(service.walk_in, window=who["window_code"], business=body.business)}

    @app.post("/window/link-case")
    async def link_case(body: LinkCaseBody, who: dict = Depends(window_only)) -> dict[str, Any]:
        return {
            "ticket": await act(
                service.link_case, window=who["window_code"], ticket_id=body.ticket_id, case_id=body.case_id
            )
        }

    @app.get("/figures")
    async def figures(
        day: str | None = Query(default=None, pattern=r"^\d{4}-\d{2}-\d{2}$"), _who: dict = Depends(window_only)
    ) -> dict[str, Any]:
        return await act(service.figures, day=day)

    # A past day's figures, read by a window to carry them to the hub (read-only).
    @app.get("/days")
    async def finished_days(
        after: str = Query(default="", pattern=r"^(\d{4}-\d{2}-\d{2})?$"), _who: dict = Depends(window_only)
    ) -> dict[str, Any]:
        return {"days": await act(service.finished_days, after=after)}

    @app.get("/days/{day}")
    async def day_figures(
        day: str = Path(pattern=r"^\d{4}-\d{2}-\d{2}$"), _who: dict = Depends(window_only)
    ) -> dict[str, Any]:
        return await act(service.day_figures, day=day)

    @app.get("/display")
    async def display(after: int = 0, wait: float = 0.0, _who: dict = Depends(caller)) -> dict[str, Any]:
        deadline = time.monotonic() + min(max(wait, 0.0), MAX_WAIT_S)
        while True:
            rung = bell.current()  # taken before reading: a call recorded meanwhile still wakes us
            snapshot = await act(service.display, after=after)
            remaining = deadline - time.monotonic()
            if snapshot["calls"] or remaining <= 0:
                return snapshot
            try:
                await asyncio.wait_for(rung.wait(), remaining)
            except TimeoutError:
                return await act(service.display, after=after)

    return app
