"""The hall's finished days, carried to the hub by a window.

The hall has no link to the hub (it keeps calling when the city link is down); the
windows talk to both. Before each push, a window connected to the hall asks it for the
finished days it has not carried yet and puts one ``queue.day_figures`` event per day in
its outbox, in the same transaction as remembering that day: a crash between two days
loses none and repeats none. Any window of the center may carry a day; the hub keeps the
latest per center and day, so the same day from two windows is harmless.

A hall that is down or refuses (a revoked token) is no sync failure: the days wait for
the next sync. Offline from the hub, the events wait in the outbox like any other.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import TYPE_CHECKING

from windowdesk.services.queue import client_for
from windowdesk.services.workstation import KEY_CENTER
from windowdesk.storage import queries
from windowdesk.sync import outbox
from windowdesk.sync.hall_client import HallRefused, HallUnreachable
from windowdesk.sync.protocol import EVENT_QUEUE_DAY_FIGURES, EventEntity

if TYPE_CHECKING:
    from windowdesk.services.queue_settings import HallConnection
    from windowdesk.storage.db import Database

log = logging.getLogger("windowdesk.sync")

# The last finished day this window carried (the hall's local date, YYYY-MM-DD).
KEY_LAST_DAY_CARRIED = "queue.day_figures_through"
ENTITY_QUEUE_DAY = EventEntity.QUEUE_DAY


def queue_day_id(center: str, day: str) -> str:
    return f"{center}:{day}"


def carry_finished_days(db: Database, connection: HallConnection, *, now: dt.datetime) -> int:
    """Outbox events for the hall's finished days not carried yet; how many were added."""
    with db.read() as session:
        center = queries.local_setting(session, KEY_CENTER)
        after = queries.local_setting(session, KEY_LAST_DAY_CARRIED) or ""
    if not center:
        return 0
    client = client_for(connection)
    carried = 0
    try:
        for day in client.finished_days(after):
            figures = client.day_figures(day)
            payload = {
                "center": center,
                "day": day,
                "total": figures["total"],
                "by_business": figures["by_business"],
                "by_window": figures["by_window"],
            }
            with db.write() as session:
                outbox.enqueue(
                    session,
                    entity=ENTITY_QUEUE_DAY,
                    entity_id=queue_day_id(center, day),
                    kind=EVENT_QUEUE_DAY_FIGURES,
                    payload=payload,
                    now=now,
                )
                queries.set_local_setting(session, KEY_LAST_DAY_CARRIED, day)
            carried += 1
    except (HallUnreachable, HallRefused) as trouble:
        log.warning(
            "queue figures: the hall did not give its days (%s); tried again at the next sync", type(trouble).__name__
        )
    finally:
        client.close()
    if carried:
        log.info("queue figures: %d finished days of center %s put in the outbox", carried, center)
    return carried
