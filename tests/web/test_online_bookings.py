"""Booking a visit (预约) in a real headless Chromium, against a real hub process (issue 27):
an administrator sets a half-day's places in the console; two residents on phones book
its last place at the same moment and only one gets it; the winner sees the code and its
QR, cancels, and the place is free again."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest

from tests.sync.hub_process import HubProcess
from tests.web.browser import PHONE_VIEWPORT, new_page, save_screenshot
from tests.web.human import answer_for
from tests.web.test_console_administration import FIRST, _sign_in

ITEM = "MZ-002"


@pytest.fixture(scope="module")
def booking_hub(tmp_path_factory: pytest.TempPathFactory):
    hub = HubProcess(tmp_path_factory.mktemp("booking-hub"))
    hub.import_catalog()
    hub.cli("create-console-user", "admin", "--name", "王管理", "--role", "administrator", "--password", FIRST)
    hub.start()
    try:
        yield hub
    finally:
        hub.stop()


def _fill_booking(page, hub: HubProcess, phone: str, day: dt.date) -> None:
    page.goto(f"{hub.url}/book?center=JD01&item={ITEM}")
    page.check(f"input[name=slot][value='{day.isoformat()}.am']")
    page.fill("#name", "王建国")
    page.fill("#phone", phone)
    page.fill("#human_answer", answer_for(hub.data_dir, page.get_attribute("input[name=human_token]", "value")))


def test_the_last_place_booked_from_two_phones_at_once_goes_to_one(booking_hub, chromium, desktop_page) -> None:
    hub = booking_hub
    day = dt.datetime.now(ZoneInfo("Asia/Shanghai")).date() + dt.timedelta(days=1)

    _sign_in(desktop_page, hub, "admin")
    desktop_page.goto(f"{hub.url}/console/admin/bookings?center=JD01")
    desktop_page.select_option("#item", ITEM)
    desktop_page.fill("#day", day.isoformat())
    desktop_page.select_option("#half_day", "am")
    desktop_page.fill("#capacity", "1")
    desktop_page.click("#capacity-form button[type=submit]")
    desktop_page.wait_for_url(re.compile(r"done=capacity"))
    assert day.isoformat() in desktop_page.inner_text("#slots")
    save_screenshot(desktop_page, "console-booking-places")

    first, second = (new_page(chromium, viewport=PHONE_VIEWPORT) for _ in range(2))
    try:
        _fill_booking(first, hub, "13800138001", day)
        _fill_booking(second, hub, "13800138002", day)
        save_screenshot(first, "online-hall-book-phone")
        # Both sent before either answer is read.
        first.click("#book button[type=submit]", no_wait_after=True)
        second.click("#book button[type=submit]", no_wait_after=True)
        for page in (first, second):
            page.wait_for_selector("#booking-code, .flash.error")
        winners = [page for page in (first, second) if "/booking/" in page.url]
        losers = [page for page in (first, second) if page not in winners]
        assert len(winners) == 1 and len(losers) == 1
        (winner,), (loser,) = winners, losers
        assert "已约满" in loser.inner_text(".flash.error")
        save_screenshot(loser, "online-hall-book-full-phone")
        code = winner.inner_text("#booking-code")
        assert re.fullmatch(r"[2-9A-HJ-NP-Z]{10}", code)
        assert winner.get_attribute("img.booking-qr", "src").startswith("data:image/svg+xml;base64,")
        assert "王*国" in winner.inner_text("main") and "138****8001" in winner.inner_text("main")
        assert winner.evaluate("document.documentElement.scrollWidth") <= 390
        save_screenshot(winner, "online-hall-booked-phone")
        assert hub.rows("SELECT booked, capacity FROM booking_slots") == [(1, 1)]

        # Nothing left to choose for the other resident until the winner cancels.
        loser.goto(f"{hub.url}/book?center=JD01&item={ITEM}")
        assert loser.locator("input[name=slot]").count() == 0
        loser.goto(f"{hub.url}/booking")
        loser.fill("#code", code.lower())  # a code typed in lower case finds it too
        loser.click("main button[type=submit]")
        loser.wait_for_url(re.compile(rf"/booking/{code}$"))
        loser.click("#cancel button[type=submit]")
        loser.wait_for_url(re.compile(r"cancelled=1$"))
        assert "已取消" in loser.inner_text("main") and loser.locator("img.booking-qr").count() == 0
        save_screenshot(loser, "online-hall-booking-cancelled-phone")
        assert hub.rows("SELECT booked FROM booking_slots") == [(0,)]
        _fill_booking(loser, hub, "13800138002", day)  # the place is free again
        loser.click("#book button[type=submit]")
        loser.wait_for_selector("#booking-code")
    finally:
        for page in (first, second):
            page.context.close()
    assert hub.unexpected_errors() == ""
