"""A workstation's batches are applied in the order it sent them, whatever order they
reach the hub in: a batch naming the one before as "after" waits for it, and is refused
(409 push_out_of_order, nothing stored) when it does not come."""

from __future__ import annotations

import asyncio
import dataclasses
import threading
import time

import anyio.to_thread
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from windowdesk.hub.app import create_app
from windowdesk.hub.errors import InvalidInput
from windowdesk.hub.services import push_order
from windowdesk.hub.settings import HubSettings
from windowdesk.hub.storage.models import Case, PushedEvent
from windowdesk.sync.protocol import API_PREFIX, ERROR_PUSH_OUT_OF_ORDER, PUSH_IN_FLIGHT

from .conftest import EventFactory, Hub, Workstation


@pytest.fixture
def window(hub: Hub, demo_catalog: None) -> Workstation:
    return hub.enroll("CH", "01")


def _client(hub: Hub, order_wait: float) -> TestClient:
    settings = dataclasses.replace(
        HubSettings.resolve(data_dir=hub.data_dir, database_url=hub.url), push_order_wait=order_wait
    )
    return TestClient(create_app(settings, database=hub.db))


def _push(client: TestClient, window: Workstation, events: list[dict], after: str | None = None):
    body = {"events": events} if after is None else {"events": events, "after": after}
    return client.post(f"{API_PREFIX}/push", json=body, headers=window.headers)


def _stored(hub: Hub, model: type = PushedEvent) -> int:
    with hub.db.read() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_the_hub_says_how_many_batches_may_be_on_the_wire(hub: Hub, window: Workstation, events: EventFactory) -> None:
    # One process: one at a time (a second in flight only makes its two threads take turns).
    reply = hub.push(window, [events.resident()])
    assert reply.status_code == 200
    assert reply.json()["in_flight"] == 1
    # Several processes: two, the most a window sends.
    several = HubSettings.resolve(data_dir=hub.data_dir, database_url=hub.url, serving_processes=2)
    with TestClient(create_app(several, database=hub.db)) as client:
        reply = _push(client, window, [events.resident()])
    assert reply.status_code == 200
    assert reply.json()["in_flight"] == PUSH_IN_FLIGHT == 2


def test_batches_in_flight_come_from_the_option_then_the_environment(hub: Hub, monkeypatch) -> None:
    resolve = HubSettings.resolve
    assert resolve(data_dir=hub.data_dir, push_in_flight=2).push_in_flight == 2
    monkeypatch.setenv("WINDOWDESK_HUB_PUSH_IN_FLIGHT", "2")
    assert resolve(data_dir=hub.data_dir).push_in_flight == 2
    assert resolve(data_dir=hub.data_dir, push_in_flight=1, serving_processes=2).push_in_flight == 1
    monkeypatch.setenv("WINDOWDESK_HUB_PUSH_IN_FLIGHT", "3")
    with pytest.raises(InvalidInput, match="from 1 to 2"):
        resolve(data_dir=hub.data_dir)


def test_a_batch_that_arrives_first_waits_for_the_one_before_it(
    hub: Hub, window: Workstation, events: EventFactory
) -> None:
    resident = events.resident()
    case = events.case(resident["entity_id"])  # rejected if applied before the registration
    answers: dict[str, object] = {}
    with _client(hub, order_wait=10.0) as client:
        second = threading.Thread(
            target=lambda: answers.setdefault("second", _push(client, window, [case], after=resident["event_id"]))
        )
        second.start()
        time.sleep(0.3)  # the second batch is at the hub, waiting
        assert _stored(hub) == 0
        answers["first"] = _push(client, window, [resident])
        second.join(timeout=20)
    assert answers["first"].status_code == 200
    assert answers["second"].status_code == 200, answers["second"].text
    assert [r["status"] for r in answers["second"].json()["results"]] == ["applied"]
    assert _stored(hub, Case) == 1


def test_a_batch_whose_predecessor_never_comes_is_refused_and_nothing_stored(
    hub: Hub, window: Workstation, events: EventFactory
) -> None:
    never_sent = events.resident()
    batch = [events.resident(), events.resident()]
    with _client(hub, order_wait=0.3) as client:
        started = time.monotonic()
        reply = _push(client, window, batch, after=never_sent["event_id"])
        waited = time.monotonic() - started
        assert reply.status_code == 409
        assert reply.json()["error"]["code"] == ERROR_PUSH_OUT_OF_ORDER
        assert waited >= 0.3  # it waited for the batch before before giving up
        assert _stored(hub) == 0

        # Once the batch before is stored, the same batch goes through.
        assert _push(client, window, [never_sent]).status_code == 200
        again = _push(client, window, batch, after=never_sent["event_id"])
    assert again.status_code == 200
    assert [r["status"] for r in again.json()["results"]] == ["applied", "applied"]
    assert _stored(hub) == 3


def test_a_predecessor_that_was_rejected_counts_as_arrived(hub: Hub, window: Workstation, events: EventFactory) -> None:
    refused = events.case("01a21386-0000-7000-8000-000000000000")  # no such applicant: rejected, but stored
    with _client(hub, order_wait=0.3) as client:
        first = _push(client, window, [refused])
        assert [r["status"] for r in first.json()["results"]] == ["rejected"]
        reply = _push(client, window, [events.resident()], after=refused["event_id"])
    assert reply.status_code == 200
    assert [r["status"] for r in reply.json()["results"]] == ["applied"]


async def _limit_worker_threads(tokens: int) -> None:
    anyio.to_thread.current_default_thread_limiter().total_tokens = tokens


def test_batches_waiting_for_the_one_before_hold_no_worker_thread(
    hub: Hub, window: Workstation, events: EventFactory
) -> None:
    # After an outage every window comes back with a long outbox: batches waiting for
    # the one before must not take the worker threads the others need to be applied.
    waiting_batches = [[events.resident()] for _ in range(4)]
    plain_batch = [events.resident()]
    finished: list[str] = []
    with _client(hub, order_wait=3.0) as client:
        client.portal.call(_limit_worker_threads, 2)

        def push_waiting(batch: list[dict]) -> None:
            reply = _push(client, window, batch, after="01a21386-0000-7000-8000-00000000beef")
            finished.append(f"waiting {reply.status_code}")

        threads = [threading.Thread(target=push_waiting, args=(batch,)) for batch in waiting_batches]
        for thread in threads:
            thread.start()
        time.sleep(0.5)  # all four are at the hub, waiting
        reply = _push(client, window, plain_batch)
        finished.append(f"plain {reply.status_code}")
        for thread in threads:
            thread.join(timeout=30)
    assert finished[0] == "plain 200"
    assert sorted(finished[1:]) == ["waiting 409"] * 4


def test_a_commit_wakes_only_the_batches_waiting_for_its_events(monkeypatch: pytest.MonkeyPatch) -> None:
    # At the end of the day 200 windows' second batches wait at once: a commit that woke
    # them all made each try again at every commit of the others.
    monkeypatch.setattr(push_order, "POLL_SECONDS", 60.0)  # no looking again: only wakes count
    stored: set[str] = set()
    tries = {"a": 0, "b": 0}

    def attempt(after: str):
        def tried() -> str | None:
            tries[after] += 1
            return f"applied after {after}" if after in stored else None

        return tried

    async def scenario() -> tuple[str, str]:
        waiting_a = asyncio.create_task(push_order.in_order(attempt("a"), after="a", timeout=30))
        waiting_b = asyncio.create_task(push_order.in_order(attempt("b"), after="b", timeout=30))
        while tries != {"a": 1, "b": 1}:
            await asyncio.sleep(0.01)
        for _ in range(5):  # commits of other batches
            push_order.note_push_committed(["x", "y"])
        stored.add("a")
        push_order.note_push_committed(["z", "a"])
        first = await asyncio.wait_for(waiting_a, 10)
        assert tries == {"a": 2, "b": 1} and not waiting_b.done()
        stored.add("b")
        push_order.note_push_committed(["b"])
        return first, await asyncio.wait_for(waiting_b, 10)

    assert asyncio.run(scenario()) == ("applied after a", "applied after b")
    assert tries == {"a": 2, "b": 2}
    assert push_order._waiters == {}
