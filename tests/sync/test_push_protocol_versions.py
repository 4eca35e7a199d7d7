"""A window and a real hub process agree on the push protocol: a window of this version
pushes protocol 2 (its outbox's payload texts sent and stored as they are), and a window
still speaking protocol 1 pushes to the same hub as before. The requests are read on the
wire (tests/sync/faultproxy.py, passing everything through)."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from windowdesk.services import applicants, intake
from windowdesk.services import catalog as catalog_service
from windowdesk.storage import sync_queries
from windowdesk.sync import protocol

from .faultproxy import Fault, FaultProxy, Request
from .hub_process import HubProcess, Station, _id_number, create_station


@contextlib.contextmanager
def _window_behind_a_proxy(tmp_path: Path) -> Iterator[tuple[HubProcess, FaultProxy, Station]]:
    hub = HubProcess(tmp_path / "hub")
    proxy = station = None
    try:
        hub.import_catalog()
        code = hub.enrollment_code("CH", "01")
        hub.start()
        proxy = FaultProxy(hub.port)
        station = create_station(tmp_path / "ws", "CH", "01")
        station.enroll(proxy.url, code)
        yield hub, proxy, station
    finally:
        if proxy is not None:
            proxy.close()
        if station is not None:
            station.close()
        hub.close()


def _a_days_work(station: Station) -> dict[str, str]:
    """Residents and their cases, with Chinese text; event id -> the payload's text in the outbox."""
    guide = catalog_service.get_item_guide(station.db, item_code="MZ-002")
    for n in range(1, 4):
        applicant = applicants.register_resident(
            station.db, station.ctx, id_number=_id_number(n), name=f"居民{n}", address="龙沙区 3 号楼"
        ).ref
        checks = [intake.MaterialCheck(material.code, intake.RECEIVED) for material in guide.materials]
        intake.accept_case(
            station.db,
            station.ctx,
            item_code="MZ-002",
            applicant=applicant,
            checks=checks,
            shipped_calendar=station.calendar,
        )
    with station.db.read() as session:
        rows = sync_queries.pending_outbox_rows(session, after_seq=0, limit=1000)
    return {row.event_id: row.payload.decode() for row in rows}


def _sync(station: Station):
    client = station.hub_client()
    try:
        return station.runner(client, retries=0).run()
    finally:
        client.close()


def _pushes(proxy: FaultProxy) -> list[dict[str, str]]:
    """The headers of every push from now on, each passed on to the hub as it is."""
    seen: list[dict[str, str]] = []

    def decide(request: Request) -> Fault:
        if request.path.endswith("/push"):
            seen.append(request.headers)
        return Fault.NONE

    proxy.decide = decide
    return seen


def test_a_window_pushes_protocol_2_and_the_hub_stores_its_payload_texts_as_the_outbox_holds_them(
    tmp_path: Path,
) -> None:
    with _window_behind_a_proxy(tmp_path) as (hub, proxy, station):
        sent = _a_days_work(station)
        # The outbox keeps a payload as compact JSON with its Chinese as it is: what the hub stores.
        assert all(", " not in text and "\\u" not in text for text in sent.values())
        assert any("居民" in text for text in sent.values())

        pushes = _pushes(proxy)
        report = _sync(station)

        assert report.ok and report.applied == len(sent) and not report.rejected
        assert pushes
        for headers in pushes:
            assert headers["content-type"] == protocol.PUSH_V2_CONTENT_TYPE
            assert headers[protocol.HEADER_PROTOCOL.lower()] == "2"
        stored = dict(hub.rows("SELECT event_id, CAST(payload AS TEXT) FROM pushed_events"))
        assert stored == sent  # byte for byte


def test_a_window_still_speaking_protocol_1_pushes_to_the_new_hub_as_before(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with _window_behind_a_proxy(tmp_path) as (hub, proxy, station):
        sent = _a_days_work(station)
        # This window's code knows protocol 1 alone, as every window before protocol 2 did.
        monkeypatch.setattr(protocol, "SUPPORTED_PROTOCOLS", (1,))

        pushes = _pushes(proxy)
        report = _sync(station)

        assert report.ok and report.applied == len(sent) and not report.rejected
        assert pushes
        for headers in pushes:
            assert headers["content-type"] == "application/json"
            assert headers[protocol.HEADER_PROTOCOL.lower()] == "1"
        stored = {
            event_id: json.loads(text) for event_id, text in hub.rows("SELECT event_id, payload FROM pushed_events")
        }
        assert stored == {event_id: json.loads(text) for event_id, text in sent.items()}
