"""A hub whose database cannot grow answers 503 hub_disk_full in plain words, stores
nothing of the request, says why in its log, and takes the same push once there is room."""

from __future__ import annotations

import logging

import psycopg.errors
import pytest
from sqlalchemy import event, func, select
from sqlalchemy.exc import OperationalError

from windowdesk.hub.storage.database import is_disk_full
from windowdesk.hub.storage.models import PushedEvent, Resident
from windowdesk.sync.protocol import ERROR_HUB_DISK_FULL

from .conftest import EventFactory, Hub


@pytest.fixture(scope="module")
def backend() -> str:
    """SQLite only: its file is made to stop growing here. PostgreSQL's disk_full is
    classified by its SQLSTATE, checked at the end."""
    return "sqlite"


def _count(hub: Hub, model: type) -> int:
    with hub.db.read() as session:
        return session.scalar(select(func.count()).select_from(model))


def _limit_growth(hub: Hub, limit: dict[str, bool]) -> None:
    """SQLite's own SQLITE_FULL, as from a full disk: while ``limit["on"]``, the file may
    not grow past its size when the connection was made."""

    @event.listens_for(hub.db.write_engine, "connect")
    def _cap(dbapi_connection, _record):
        if limit["on"]:
            pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
            dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")

    hub.db.write_engine.dispose()  # new connections: with the cap


def test_a_full_disk_stores_nothing_says_so_and_the_same_push_goes_through_later(
    hub: Hub, demo_catalog: None, events: EventFactory, caplog: pytest.LogCaptureFixture
) -> None:
    window = hub.enroll("CH", "01")
    limit = {"on": True}
    _limit_growth(hub, limit)
    batch = [events.resident(address="龙湖街道 " * 200) for _ in range(200)]  # far more than a free page
    stored_before = _count(hub, PushedEvent)

    with caplog.at_level(logging.ERROR, logger="windowdesk.hub"):
        reply = hub.push(window, batch)

    assert reply.status_code == 503, reply.text
    assert reply.headers["Retry-After"] == "60", reply.text
    error = reply.json()["error"]
    assert error["code"] == ERROR_HUB_DISK_FULL and "frees space on its disk" in error["message"]
    assert (_count(hub, PushedEvent), _count(hub, Resident)) == (stored_before, 0)
    assert "disk of the hub's database is full" in caplog.text

    limit["on"] = False
    hub.db.write_engine.dispose()
    results = hub.push_results(window, batch)
    assert {status for status, _ in results} == {"applied"}
    assert _count(hub, Resident) == len(batch)


@pytest.mark.parametrize(
    ("original", "full"),
    [
        (psycopg.errors.DiskFull('could not extend file "base/16384/16385": No space left on device'), True),
        (psycopg.errors.SerializationFailure("could not serialize access"), False),
        (psycopg.errors.AdminShutdown("terminating connection"), False),
    ],
)
def test_postgresqls_disk_full_is_told_from_other_failures(original: Exception, full: bool) -> None:
    assert is_disk_full(OperationalError("INSERT ...", {}, original)) is full
