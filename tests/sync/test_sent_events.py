"""A confirmed event leaves the pending ones but is kept on the window, marked sent in the
outbox, for KEEP_SENT_DAYS (to send again should the hub be restored from a backup that
lacks it), then forgotten.
Real hub process, real encrypted window database."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from windowdesk.domain.outbox_state import OutboxState
from windowdesk.services import sync as sync_service
from windowdesk.storage import models as m
from windowdesk.sync.protocol import KEEP_SENT_DAYS

from .hub_process import HubProcess, Station
from .test_sync_with_hub import accept, resident


def _sync(station: Station, *, days_later: float = 0) -> sync_service.SyncReport:
    client = station.hub_client()
    try:
        clock = lambda: dt.datetime.now(dt.UTC) + dt.timedelta(days=days_later)  # noqa: E731
        return station.runner(client, retries=0, clock=clock).run()
    finally:
        client.close()


def _kept(station: Station) -> dict[str, dt.datetime]:
    with station.db.read() as session:
        kept = session.execute(
            select(m.OutboxEvent.event_id, m.OutboxEvent.confirmed_at).where(m.OutboxEvent.state == OutboxState.SENT)
        )
        return dict(kept.all())


def test_confirmed_events_are_kept_for_their_days_then_forgotten(
    serving_hub: HubProcess, enrolled_station: Station
) -> None:
    station = enrolled_station
    accept(station, resident(station, 1))
    sent = set(station.outbox())
    report = _sync(station)
    assert report.ok, report.error
    assert report.sent_again == 0  # the first generation this window sees: nothing to send again
    assert station.outbox() == {}
    assert set(_kept(station)) == sent

    accept(station, resident(station, 2))
    later = set(station.outbox())
    assert _sync(station, days_later=KEEP_SENT_DAYS - 1).ok
    assert set(_kept(station)) == sent | later  # none is old enough yet

    assert _sync(station, days_later=KEEP_SENT_DAYS + 0.5).ok
    assert set(_kept(station)) == later  # the first ones are past their days
    assert _sync(station, days_later=2 * KEEP_SENT_DAYS).ok
    assert _kept(station) == {}
