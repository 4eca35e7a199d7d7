"""The hall's finished days reach the hub through the windows, all real: the hall service
process, encrypted workstations syncing with the hub process on loopback. A hall that is
down costs nothing but a later sync; the same day carried by two windows is one row."""

from __future__ import annotations

import json

from tests.hall.hall_process import HallProcess, yesterdays_tickets
from windowdesk.domain.outbox_state import OutboxState
from windowdesk.services import queue, queue_settings
from windowdesk.services.queue_settings import HallConnection
from windowdesk.storage import models as m

from .hub_process import HubProcess, Station, create_station


def _queue_days(hub: HubProcess) -> list[tuple]:
    return [
        (center, str(day)[:10], figures)
        for center, day, figures in hub.rows(
            "SELECT center_code, day, figures FROM queue_days ORDER BY center_code, day"
        )
    ]


def _queue_events(station: Station) -> list[str]:
    with station.db.read() as session:
        # Not those the hub confirmed, kept a while marked sent.
        waiting = session.query(m.OutboxEvent).filter(m.OutboxEvent.state != OutboxState.SENT)
        return [e.entity_id for e in waiting.filter_by(kind="queue.day_figures")]


def test_a_finished_day_reaches_the_hub_after_one_sync_and_twice_sent_stays_one_row(
    tmp_path, serving_hub: HubProcess, enrolled_station: Station
) -> None:
    hall = HallProcess(tmp_path / "hall")
    try:
        tokens = hall.setup_center(windows=2, businesses="A")
        day = yesterdays_tickets(hall)
        hall.start()
        port = hall.port
        queue_settings.connect_to_hall(enrolled_station.db, url=hall.url, token=tokens["01"], check=queue.window_state)
        connection = queue_settings.hall_connection(enrolled_station.db)
        assert connection is not None

        # The hall is down: the sync goes through, the day waits.
        hall.stop()
        report = enrolled_station.runner(enrolled_station.hub_client(), hall=connection).run()
        assert report.ok and _queue_days(serving_hub) == []

        hall.start(port=port)
        report = enrolled_station.runner(enrolled_station.hub_client(), hall=connection).run()
        assert report.ok, report.error
        [(center, stored_day, figures)] = _queue_days(serving_hub)
        assert (center, stored_day) == ("CH", day)
        if isinstance(figures, str):  # SQLite hands JSON back as text
            figures = json.loads(figures)
        assert (figures["total"]["issued"], figures["total"]["served"], figures["total"]["no_shows"]) == (3, 2, 1)
        assert figures["by_window"]["01"]["served"] == 2 and figures["by_window"]["02"]["no_shows"] == 1
        assert _queue_events(enrolled_station) == []  # applied: gone from the outbox

        # The next sync carries nothing again.
        report = enrolled_station.runner(enrolled_station.hub_client(), hall=connection).run()
        assert report.ok and report.applied == 0

        # Another window of the center carries the same day: still one row.
        other = create_station(tmp_path / "ws2", "CH", "02")
        try:
            other.enroll(serving_hub.url, serving_hub.enrollment_code("CH", "02"))
            report = other.runner(other.hub_client(), hall=HallConnection(hall.url, tokens["02"])).run()
            assert report.ok and report.applied >= 1
        finally:
            other.close()
        assert [(c, d) for c, d, _f in _queue_days(serving_hub)] == [("CH", day)]
    finally:
        hall.stop()
