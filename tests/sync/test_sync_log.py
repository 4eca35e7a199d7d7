"""What a support person reads when a window's sync goes wrong: the window's log names
each attempt, push, wait for a turn and refusal, the hub's log each push batch, both by
ids and counts only. The session-wide guard (tests/conftest.py) scans these lines too;
here the resident's ID number and name are looked for in them directly."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from windowdesk.app import LOG_FILE_NAME
from windowdesk.logs import MAX_BYTES, rotating_file
from windowdesk.services import applicants, intake
from windowdesk.services import catalog as catalog_service

from .hub_process import HubProcess, Station, _id_number, create_station

ITEM = "MZ-002"


@pytest.fixture
def hub_logging_to_file(tmp_path: Path) -> Iterator[HubProcess]:
    hub = HubProcess(tmp_path / "hub")
    try:
        hub.import_catalog()
        hub.start(serve_args=["--log-to", "file"])
        yield hub
    finally:
        hub.close()


@pytest.fixture
def station(tmp_path: Path, hub_logging_to_file: HubProcess) -> Iterator[Station]:
    station = create_station(tmp_path / "ws", "CH", "01")
    station.enroll(hub_logging_to_file.url, hub_logging_to_file.enrollment_code("CH", "01"))
    yield station
    station.close()


def _accept_for_a_resident(station: Station) -> tuple[str, str, str]:
    """A case accepted for a resident; (case id, ID number, name)."""
    id_number, name = _id_number(7), "李秀英"
    who = applicants.register_resident(station.db, station.ctx, id_number=id_number, name=name).ref
    guide = catalog_service.get_item_guide(station.db, item_code=ITEM)
    checks = [intake.MaterialCheck(mat.code, intake.RECEIVED) for mat in guide.materials]
    result = intake.accept_case(
        station.db, station.ctx, item_code=ITEM, applicant=who, checks=checks, shipped_calendar=station.calendar
    )
    return result.id, id_number, name


def test_a_sync_is_logged_by_ids_at_the_window_and_at_the_hub(station, hub_logging_to_file, caplog):
    case_id, id_number, name = _accept_for_a_resident(station)
    outbox = station.outbox()
    client = station.hub_client()
    try:
        with caplog.at_level(logging.DEBUG, logger="windowdesk"):
            report = station.runner(client, retries=0).run()
    finally:
        client.close()
    assert report.ok and report.applied == len(outbox)

    window_log = "\n".join(r.getMessage() for r in caplog.records if r.name == "windowdesk.sync")
    assert f"sync started: workstation {station.workstation_id}, {len(outbox)} events to push" in window_log
    assert re.search(
        rf"pushed {len(outbox)} events \(\S+ to \S+\): {len(outbox)} applied, 0 duplicates, 0 refused", window_log
    )
    assert f"sync finished: {len(outbox)} applied" in window_log

    hub_log = hub_logging_to_file.data_dir / "logs" / "windowdesk-hub.log"
    hub_text = hub_log.read_text(encoding="utf-8")
    assert re.search(
        rf"push from workstation {station.workstation_id}: {len(outbox)} events, \d+ bytes, "
        rf"{len(outbox)} applied, 0 duplicates, 0 rejected, \d+ ms",
        hub_text,
    )

    for text in (window_log, hub_text):
        assert id_number not in text and name not in text
    assert case_id not in window_log  # events are named by their own ids, not by the records they carry


def test_the_retries_and_the_failure_of_a_sync_are_logged_by_ids(station, hub_logging_to_file, caplog):
    from windowdesk.sync.client import HubClient

    _accept_for_a_resident(station)
    unreachable = HubClient("http://127.0.0.1:9", station.token(), timeout=(0.5, 0.5))  # the discard port
    try:
        with caplog.at_level(logging.INFO, logger="windowdesk"):
            report = station.runner(unreachable, retries=1, backoff_base=0.01).run()
    finally:
        unreachable.close()
    assert not report.ok
    lines = [r.getMessage() for r in caplog.records if r.name == "windowdesk.sync"]
    assert any(line.startswith("hub unreachable (HubUnreachable): retry 1 of 1") for line in lines)
    assert any(line.startswith("push of events ") and "failed: HubUnreachable" in line for line in lines)
    assert lines[-1] == "sync failed: HubUnreachable"


def test_the_windows_log_file_rotates_in_its_data_folder(tmp_path: Path):
    handler = rotating_file(tmp_path / "logs" / LOG_FILE_NAME)
    try:
        assert (tmp_path / "logs" / LOG_FILE_NAME).exists()
        assert handler.maxBytes == MAX_BYTES and handler.backupCount >= 1
        record = logging.LogRecord("windowdesk.sync", logging.INFO, __file__, 1, "x" * 1000, None, None)
        handler.maxBytes = 4000  # a small file, to see it rotate
        for _ in range(10):
            handler.emit(record)
    finally:
        handler.close()
    assert (tmp_path / "logs" / f"{LOG_FILE_NAME}.1").exists()
