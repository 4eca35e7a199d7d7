"""The window's side of the hall's queue: its buttons as plain functions over a hall
client, and what a called ticket brings to the intake screen. No Qt here: the queue
panel runs these on the network lane."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from windowdesk.services import applicants
from windowdesk.services.context import CounterContext
from windowdesk.services.queue_settings import HallConnection
from windowdesk.storage import queries
from windowdesk.sync.hall_client import HallClient

if TYPE_CHECKING:
    from windowdesk.storage.db import Database, Session

ACTIONS = ("call_next", "recall", "skip", "finish", "serve")
# The links of accepted cases to their tickets that the hall has not confirmed yet: kept in
# the window's database, so that a hall down (or a window closed) loses none of them.
PENDING_LINKS = "queue.pending_links"


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


def booking(connection: HallConnection, code: str) -> dict:
    """A booking looked up by its code (letters and digits only travel)."""
    return _with_client(connection, lambda c: c.booking("".join(ch for ch in code if ch.isalnum())[:20]))


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


def _read_links(session: Session) -> list[tuple[str, str]]:
    try:
        stored = json.loads(queries.local_setting(session, PENDING_LINKS) or "[]")
    except ValueError:
        return []
    return [(str(ticket), str(case)) for ticket, case in stored if ticket and case]


def remember_link(db: Database, *, ticket_id: str, case_id: str) -> None:
    """Keeps the link until the hall confirms it (:func:`forget_link`)."""
    with db.write() as session:
        links = [link for link in _read_links(session) if link[0] != ticket_id]
        links.append((ticket_id, case_id))
        queries.set_local_setting(session, PENDING_LINKS, json.dumps(links))


def pending_links(db: Database) -> list[tuple[str, str]]:
    """(ticket id, case id) of the links not yet told to the hall, oldest first."""
    with db.read() as session:
        return _read_links(session)


def forget_link(db: Database, *, ticket_id: str) -> None:
    with db.write() as session:
        links = [link for link in _read_links(session) if link[0] != ticket_id]
        queries.set_local_setting(session, PENDING_LINKS, json.dumps(links))
