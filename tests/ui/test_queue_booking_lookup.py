"""The window looks a booking up by its code at the hall's queue service (issues 25 and
27), against a real ``windowdesk-hall`` process whose store holds the day's bookings as
the hub gave them (tests/ui/test_kiosk_booking.py reads them from a real hub)."""

from __future__ import annotations

from tests.ui.test_queue_panel import WAIT_MS, _connected_window, _kiosk, hall  # noqa: F401  (fixture)
from windowdesk.hall.service import HallService
from windowdesk.hall.storage.store import HallStore


def _store_bookings(hall, bookings: list[dict]) -> str:  # noqa: F811
    store = HallStore(hall.store_path)  # as the hall's own read from the hub writes them
    try:
        service = HallService(store)
        service.store_bookings(bookings)
        return service.today()
    finally:
        store.close()


def test_the_window_looks_a_booking_up_by_its_code_and_sees_its_ticket(qtbot, demo, hall) -> None:  # noqa: F811
    today = _store_bookings(hall, [])
    _store_bookings(
        hall,
        [
            {
                "code": "K2E2SLEGLA",
                "day": today,
                "half_day": "am",
                "item": "LL-001",
                "name": "王*国",
                "status": "booked",
            },
            {
                "code": "CANCELLED2",
                "day": today,
                "half_day": "pm",
                "item": "LL-001",
                "name": "李*",
                "status": "cancelled",
            },
        ],
    )
    hall.cli("business", "A", "民政", "--items", "LL-001")
    window = _connected_window(qtbot, demo, hall)
    kiosk = _kiosk(hall)
    try:

        def look_up(code: str) -> str:
            window.statusBar().clearMessage()  # each look-up's answer is a new message
            window.queue.actions["booking"].trigger()
            dialog = window.queue.dialog
            dialog.setTextValue(code)  # typed, or read by the scanner
            dialog.accept()
            qtbot.waitUntil(lambda: window.statusBar().currentMessage() != "", timeout=WAIT_MS)
            return window.statusBar().currentMessage()

        words = look_up("k2e2-slegla")
        assert "K2E2SLEGLA" in words and "王*国" in words and "not checked in yet" in words
        assert kiosk.check_in("K2E2SLEGLA")["number"] == "A001"
        assert "checked in as A001" in look_up("K2E2SLEGLA")
        assert "cancelled" in look_up("CANCELLED2")
    finally:
        kiosk.close()
