"""Appointment check-in (预约签到) end to end (issues 25 and 27): a visit booked at a real
hub; the center's real hall service (``windowdesk-hall serve --hub``) reads the day's
bookings with its hall token; at the kiosk the resident's scanner types the booking code
and Enter; the kiosk prints a priority ticket marked as booked, once."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt

from tests.hall.hall_process import HallProcess
from tests.sync.hub_process import HubProcess
from tests.ui.test_kiosk import WAIT_MS, FakePrinter, _raster
from windowdesk.hall.hub_link import ENV_HUB_TOKEN
from windowdesk.hub.services import public_bookings
from windowdesk.hub.services.console_rights import ADMINISTRATOR, ConsoleActor
from windowdesk.hub.storage.database import HubDatabase
from windowdesk.ui.queue.kiosk import KioskWindow

ITEM = "MZ-002"
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def hub(tmp_path):
    process = HubProcess(tmp_path / "hub")
    process.import_catalog()
    process.start()
    yield process
    process.close()


def _book_today(hub: HubProcess) -> str:
    """A booking of this morning, made at 08:00 on the center's clock (the service is the
    seam the public page uses; tests/web/test_online_bookings.py books through the page)."""
    today = dt.datetime.now(SHANGHAI).date()
    early = dt.datetime.combine(today, dt.time(8, 0), SHANGHAI)
    db = HubDatabase(hub.database_url)
    try:
        with db.write() as session:
            public_bookings.set_capacity(
                session,
                by=ConsoleActor("1", "admin", "Admin", ADMINISTRATOR),
                center_code="JD01",
                item_code=ITEM,
                day=today,
                half_day="am",
                capacity=5,
                now=early,
            )
        return public_bookings.book(
            db,
            center_code="JD01",
            item_code=ITEM,
            day=today,
            half_day="am",
            name="王建国",
            phone="13800138000",
            address="10.0.0.1",
            now=early,
        )
    finally:
        db.dispose()


def test_a_scanned_booking_code_checks_in_at_the_kiosk_with_a_real_hall_and_hub(
    qtbot, hub, tmp_path, monkeypatch
) -> None:
    code = _book_today(hub)
    hall_token = hub.cli("hall-token", "JD01").strip().splitlines()[-1]
    hall = HallProcess(tmp_path / "hall")
    hall.cli("business", "A", "民政救助", "--items", ITEM)
    hall.cli("business", "B", "户籍证照")
    hall.cli("window", "01", "--businesses", "A,B")
    monkeypatch.setenv(ENV_HUB_TOKEN, hall_token)  # the hall service's environment
    hall.start(serve_args=("--hub", hub.url))
    printer = FakePrinter()
    kiosk = KioskWindow(
        hall.url, hall.token("kiosk"), printer=f"network:127.0.0.1:{printer.port}", center_name="新兴街道便民服务中心"
    )
    qtbot.addWidget(kiosk)
    kiosk.show()
    try:
        qtbot.waitUntil(
            lambda: [b["code"] for b in hall._rows("SELECT code FROM bookings")] == [code], timeout=WAIT_MS
        )  # read from the hub at the start
        qtbot.waitUntil(lambda: "A" in kiosk.business_buttons, timeout=WAIT_MS)
        kiosk.business_buttons["B"].click()  # a walk-in of another business first
        qtbot.waitUntil(lambda: kiosk.last_ticket is not None and not kiosk.busy, timeout=WAIT_MS)

        qtbot.keyClicks(kiosk.booking_code, code.lower())  # what the scanner types
        qtbot.keyClick(kiosk.booking_code, Qt.Key.Key_Return)
        qtbot.waitUntil(
            lambda: kiosk.last_ticket is not None and kiosk.last_ticket.get("booking_code") == code, timeout=WAIT_MS
        )
        ticket = kiosk.last_ticket
        assert (ticket["number"], ticket["business"], ticket["priority"]) == ("A001", "A", True)
        assert "A001" in kiosk.message.text()
        qtbot.waitUntil(lambda: len(printer.jobs) == 2, timeout=WAIT_MS)
        assert _raster(printer.jobs[1]).size[1] > 0
        rows = {t["number"]: t for t in hall.tickets()}
        assert rows["A001"]["booking_code"] == code and rows["A001"]["priority"] == 1
        assert any(e["detail"] == f"booking:{code}" for e in hall.events())

        qtbot.waitUntil(lambda: not kiosk.busy, timeout=WAIT_MS)
        qtbot.keyClicks(kiosk.booking_code, code)  # the same code again
        qtbot.keyClick(kiosk.booking_code, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: "A001" in kiosk.message.text() and code in kiosk.message.text(), timeout=WAIT_MS)
        assert len(hall.tickets()) == 2
    finally:
        kiosk.close()
        printer.close()
        hall.stop()
