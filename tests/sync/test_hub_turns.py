"""End of the day: windows that sync at once take turns at a busy hub, and nothing they
sent is lost or stored twice. A real hub process with almost no room (``serve
--push-room``), real windows with their real sync, all at the same moment."""

from __future__ import annotations

import threading
from pathlib import Path

from windowdesk.i18n import set_locale

from .hub_process import HubProcess, create_station, make_offline_work

WINDOWS = ("01", "02", "03", "04")


def test_windows_syncing_at_once_take_turns_and_every_event_is_stored_once(tmp_path: Path, temp_keyring) -> None:
    set_locale("en")
    hub = HubProcess(tmp_path / "hub")
    stations = []
    try:
        hub.import_catalog()
        codes = {window: hub.enrollment_code("CH", window) for window in WINDOWS}
        # One push inside at a time: a window that comes while another's is written waits.
        hub.start(serve_args=["--push-room", "0.001"])
        made = {}
        for seed, window in enumerate(WINDOWS):
            station = create_station(tmp_path / f"ws{window}", "CH", window)
            stations.append(station)
            station.enroll(hub.url, codes[window])
            # Enrolling is audited, and its audit entry travels with the work.
            waiting = len(station.outbox())
            made[window] = waiting + make_offline_work(station, 120, seed=seed).events
            assert len(station.outbox()) == made[window]

        start = threading.Barrier(len(stations))
        reports, turns = {}, {window: [] for window in WINDOWS}

        def sync(station) -> None:
            client = station.hub_client(timeout=(5.0, 30.0))
            try:
                runner = station.runner(client, push_batch=20)
                start.wait()
                reports[station.window] = runner.run(
                    progress=lambda state: (
                        turns[station.window].append(state.turn_in) if state.turn_in is not None else None
                    )
                )
            finally:
                client.close()

        threads = [threading.Thread(target=sync, args=(station,)) for station in stations]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert not any(thread.is_alive() for thread in threads)

        for window in WINDOWS:
            report = reports[window]
            assert report.error is None, (window, report.error)
            assert report.applied == made[window] and report.duplicates == 0 and not report.rejected
        assert sum(len(waits) for waits in turns.values()) > 0, "no window ever waited: the hub had room for all"
        assert all(0 < wait <= 2.1 for waits in turns.values() for wait in waits)
        for station in stations:
            assert station.outbox() == {}  # all confirmed, nothing refused
        stored = hub.rows("SELECT event_id, count(*) FROM pushed_events GROUP BY event_id")
        assert len(stored) == sum(made.values())
        assert {count for _event, count in stored} == {1}
        assert hub.scalar("SELECT count(*) FROM pushed_events WHERE status = 'applied'") == sum(made.values())
        assert hub.unexpected_errors() == ""
    finally:
        for station in stations:
            station.close()
        hub.close()
