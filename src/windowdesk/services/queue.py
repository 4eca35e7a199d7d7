"""The window's side of the hall's queue: its buttons as plain functions over a hall
client, and what a called ticket brings to the intake screen. No Qt here: the queue
panel runs these on the network lane."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from windowdesk.services import applicants
from windowdesk.services.context import CounterContext
from windowdesk.services.queue_settings import HallConnection
from windowdesk.sync.hall_client import HallClient

if TYPE_CHECKING:
    from windowdesk.storage.db import Database

ACTIONS = ("call_next", "recall", "skip", "finish", "serve")


@dataclass(frozen=True)
class WindowState:
    """What the panel shows: the ticket at the window (or None), the window's set-up,
    how many wait per business it serves, and the hall's set-up for transfers."""

    current: dict | None
    window: dict
    waiting: dict[str, int]
    setup: dict


def client_for(connection: HallConnection) -> HallClient:
    return HallClient(connection.url, connection.token)


def _with_client(connection: HallConnection, work: Callable[[HallClient], Any]) -> Any:
    client = client_for(connection)
    try:
        return work(client)
    finally:
        client.close()


def window_state(connection: HallConnection) -> WindowState:
    def read(client: HallClient) -> WindowState:
        status = client.window_status()
        return WindowState(status["current"], status["window"], status["waiting"], client.setup())
    return _with_client(connection, read)


def act(connection: HallConnection, action: str) -> WindowState:
    """One button (call next, recall, skip, finish, serve), then the window's new state."""
    if action not in ACTIONS:
        raise ValueError(action)

    def run(client: HallClient) -> WindowState:
        getattr(client, action)()
        status = client.window_status()
        return WindowState(status["current"], status["window"], status["waiting"], client.setup())
    return _with_client(connection, run)


def transfer(connection: HallConnection, *, to_window: str | None = None, to_business: str | None = None) -> dict:
    return _with_client(connection, lambda c: c.transfer(to_window=to_window, to_business=to_business))


def set_paused(connection: HallConnection, paused: bool) -> dict:
    return _with_client(connection, lambda c: c.pause(paused))


def walk_in(connection: HallConnection, business: str | None) -> dict:
    return _with_client(connection, lambda c: c.walk_in(business))


def requeue(connection: HallConnection, number: str) -> dict:
    return _with_client(connection, lambda c: c.requeue(number))


def figures(connection: HallConnection, day: str | None = None) -> dict:
    return _with_client(connection, lambda c: c.figures(day))


def link_case(connection: HallConnection, *, ticket_id: str, case_id: str) -> dict:
    return _with_client(connection, lambda c: c.link_case(ticket_id=ticket_id, case_id=case_id))


def resident_of(
    db: Database, ctx: CounterContext, ticket: dict | None
) -> tuple[str, applicants.ApplicantSummary | None]:
    """The ticket's resident as this window knows them: (the ID number to search with,
    the registered resident when exactly one matches). ("", None) without a resident."""
    resident = (ticket or {}).get("resident") or {}
    number = resident.get("id_number", "")
    if not number:
        return "", None
    found = applicants.find_residents(db, ctx, query=number)
    exact = [s for s in found if s.ref.kind == applicants.RESIDENT]
    return number, exact[0] if len(exact) == 1 else None
