"""The gate in front of the push route (hub/api/push_gate.py), around a stand-in route
that holds each push until the test lets it go, over httpx's in-process ASGI transport."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging

import httpx
from starlette.responses import JSONResponse

from windowdesk.hub.api.push_gate import SERVED_AT_ONCE, PushGate, ServiceSlot, service_slot
from windowdesk.hub.push_turns import PushTurns
from windowdesk.hub.security import sha256_hex
from windowdesk.sync.protocol import ERROR_HUB_BUSY

PUSH = "/api/v1/push"


class HeldRoute:
    """Reads each push's body, then waits until released; steps out of its slot on request."""

    def __init__(self) -> None:
        self.bodies: list[bytes] = []
        self.serving = 0
        self.most_served = 0
        self.release = asyncio.Event()
        self.step_out = asyncio.Event()

    async def __call__(self, scope, receive, send) -> None:
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        self.bodies.append(body)
        self.serving += 1
        self.most_served = max(self.most_served, self.serving)
        try:
            if body.startswith(b"waits-for-order"):
                async with service_slot(scope).stepped_out():
                    await self.release.wait()
            else:
                await self.release.wait()
        finally:
            self.serving -= 1
        await JSONResponse({"stored": body.decode()})(scope, receive, send)


async def _until(condition) -> None:
    for _ in range(2000):
        if condition():
            return
        await asyncio.sleep(0.001)
    raise AssertionError("never happened")


async def _every_token(_token_sha256: str) -> bool:
    return True


def _client(gate: PushGate) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=gate), base_url="http://hub")


async def _one_held_inside(client: httpx.AsyncClient, route: HeldRoute, token: str) -> asyncio.Task:
    """A push of ``token`` let in and held by the route (until it is released)."""
    pushing = asyncio.create_task(
        client.post(PUSH, content=token.encode(), headers={"Authorization": f"Bearer {token}"})
    )
    await _until(lambda: route.bodies)
    return pushing


def test_a_push_beyond_the_room_is_told_its_turn_at_once_and_its_body_is_never_read(caplog) -> None:
    async def scenario():
        route = HeldRoute()
        gate = PushGate(route, PushTurns(room=0.001), enrolled=_every_token)
        async with _client(gate) as client:
            first = await _one_held_inside(client, route, "one")
            second = await client.post(
                PUSH, content=b"second" * 1000, headers={"Authorization": "Bearer two", "Accept-Language": "zh-CN"}
            )
            english = await client.post(PUSH, content=b"third", headers={"Authorization": "Bearer three"})
            health = asyncio.create_task(client.post("/api/v1/enroll", content=b"not a push"))
            await _until(lambda: len(route.bodies) == 2)  # other routes pass, busy or not
            route.release.set()
            return await first, second, english, await health, route.bodies

    with caplog.at_level(logging.INFO, logger="windowdesk.hub"):
        first, second, english, health, bodies = asyncio.run(scenario())
    # The hub's log says windows wait, once (not at every push turned away).
    told = [r.getMessage() for r in caplog.records if "take turns" in r.getMessage()]
    assert len(told) == 1 and "(windows waiting in line: 1, pushes inside: 1)" in told[0]
    assert first.status_code == 200 and health.status_code == 200
    assert bodies == [b"one", b"not a push"]
    assert second.status_code == 503
    error = second.json()["error"]
    assert error["code"] == ERROR_HUB_BUSY
    assert 0 < error["retry_after"] <= 2.0
    assert int(second.headers["Retry-After"]) >= 1
    assert "市级平台" in error["title"] + error["message"]  # in the window's language
    assert english.json()["error"]["title"] == "The hub is busy"
    assert english.json()["error"]["retry_after"] > error["retry_after"]  # behind "two" in line


def test_only_a_few_pushes_are_served_at_once_and_one_waiting_for_order_steps_aside() -> None:
    async def scenario():
        route = HeldRoute()
        gate = PushGate(route, PushTurns(room=60.0), enrolled=_every_token)
        async with _client(gate) as client:
            pushes = [
                asyncio.create_task(
                    client.post(
                        PUSH,
                        content=b"waits-for-order" if n == 0 else b"push %d" % n,
                        headers={"Authorization": f"Bearer {n}"},
                    )
                )
                for n in range(SERVED_AT_ONCE + 2)
            ]
            # The first steps out of its slot while it waits: one more than the slots is read.
            await _until(lambda: len(route.bodies) == SERVED_AT_ONCE + 1)
            await asyncio.sleep(0.05)
            read_while_held = len(route.bodies)
            route.release.set()
            answers = await asyncio.gather(*pushes)
            return read_while_held, route, answers

    read_while_held, route, answers = asyncio.run(scenario())
    assert read_while_held == SERVED_AT_ONCE + 1  # the last one waited for a slot
    assert route.most_served == SERVED_AT_ONCE + 1
    assert [a.status_code for a in answers] == [200] * (SERVED_AT_ONCE + 2)
    assert sorted(json.loads(a.content)["stored"] for a in answers)[-1] == "waits-for-order"


def test_a_push_without_an_enrolled_token_goes_straight_to_the_route_that_refuses_it() -> None:
    """Made-up tokens must not take places in line ahead of the real windows (and must
    reach the route, which counts refused tokens against their address)."""
    enrolled = {sha256_hex("real")}

    async def is_enrolled(token_sha256: str) -> bool:
        return token_sha256 in enrolled

    async def scenario():
        route = HeldRoute()
        gate = PushGate(route, PushTurns(room=0.001), enrolled=is_enrolled)
        async with _client(gate) as client:
            first = await _one_held_inside(client, route, "real")
            made_up = [
                asyncio.create_task(
                    client.post(PUSH, content=b"made up %d" % n, headers={"Authorization": f"Bearer guess{n}"})
                )
                for n in range(3)
            ]
            no_token = asyncio.create_task(client.post(PUSH, content=b"no token"))
            await _until(lambda: len(route.bodies) == 5)  # all let through, none told to wait
            real_again = await client.post(PUSH, content=b"real two", headers={"Authorization": "Bearer real"})
            route.release.set()
            await asyncio.gather(first, no_token, *made_up)
            return real_again

    real_again = asyncio.run(scenario())
    assert real_again.status_code == 503  # the line still works for enrolled ones


def test_a_push_that_goes_away_while_stepped_out_gives_back_no_slot_it_does_not_hold() -> None:
    async def scenario() -> tuple[bool, bool]:
        slots = asyncio.Semaphore(1)
        waiting = ServiceSlot(slots)
        await waiting.take()
        other = ServiceSlot(slots)

        async def wait_for_order() -> None:
            async with waiting.stepped_out():
                await other.take()  # the batch it waits for is served meanwhile
            # ...and it waits to take its slot again, which "other" holds.

        task = asyncio.create_task(wait_for_order())
        await _until(lambda: other.held)
        await asyncio.sleep(0.01)
        task.cancel()  # its window goes away meanwhile
        await asyncio.sleep(0)
        with contextlib.suppress(asyncio.CancelledError):
            await task
        assert task.cancelled()
        waiting.give_back()  # the gate's last step for the gone push
        return slots.locked(), waiting.held

    still_served, held = asyncio.run(scenario())
    assert still_served  # "other" still holds the only slot: none was given back twice
    assert not held


def test_a_push_on_a_stalled_link_holds_nothing_the_other_windows_need() -> None:
    """Found by the fault tests: pushes whose bodies never finished arriving held the
    service slots, and every window behind them waited for good."""

    async def scenario():
        route = HeldRoute()
        route.release.set()  # the route answers at once
        gate = PushGate(route, PushTurns(room=0.001), enrolled=_every_token)
        stalled_link = asyncio.Event()

        async def trickle():
            yield b"the start of a push"
            await stalled_link.wait()
            yield b" and its end"

        async with _client(gate) as client:
            stalled = [
                asyncio.create_task(client.post(PUSH, content=trickle(), headers={"Authorization": f"Bearer slow{n}"}))
                for n in range(SERVED_AT_ONCE + 1)
            ]
            await asyncio.sleep(0.05)
            answered = await asyncio.wait_for(
                client.post(PUSH, content=b"on time", headers={"Authorization": "Bearer quick"}), timeout=5
            )
            stalled_link.set()
            late = await asyncio.gather(*stalled)
            return answered, late, route.bodies

    answered, late, bodies = asyncio.run(scenario())
    assert answered.status_code == 200 and bodies[0] == b"on time"
    assert all(reply.status_code in (200, 503) for reply in late)  # served, or told their turn
