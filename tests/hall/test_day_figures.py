"""A finished day's figures as the hall gives them to a window (to carry to the hub):
counted and timed right on a known history, per business and per window, and served
read-only over HTTP to a window's token only, for finished days only."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.hall.conftest import Clock
from windowdesk.hall.errors import HallError
from windowdesk.hall.service import HallService
from windowdesk.hall.storage.store import HallStore
from windowdesk.sync.hall_client import HallClient, HallRefused

DAY = "2026-12-07"


def a_known_day(hall: HallService, clock: Clock) -> None:
    """Four A tickets and one B at 09:00; waits 60, 180, 480 and 600 s; services 100,
    300 and 200 s; A003 a no-show at window 02; A004 sent by 01 to business B, served at
    03 and linked to a case; B001 never called."""
    for business in "AAAAB":
        hall.issue(business=business)
    clock.advance(seconds=60)
    assert hall.call_next(window="01")["number"] == "A001"
    hall.start_serving(window="01")
    clock.advance(seconds=100)
    hall.finish(window="01")
    clock.advance(seconds=20)
    assert hall.call_next(window="01")["number"] == "A002"
    hall.start_serving(window="01")
    clock.advance(seconds=300)
    hall.finish(window="01")
    assert hall.call_next(window="02")["number"] == "A003"
    hall.skip(window="02")
    clock.advance(seconds=120)
    assert hall.call_next(window="01")["number"] == "A004"
    hall.transfer(window="01", to_business="B")
    clock.advance(seconds=60)
    ticket = hall.call_next(window="03")
    assert ticket["number"] == "A004"
    hall.start_serving(window="03")
    hall.link_case(window="03", ticket_id=ticket["id"], case_id="case-1")
    clock.advance(seconds=200)
    hall.finish(window="03")


def test_a_finished_days_figures_per_business_and_window(hall, clock) -> None:
    a_known_day(hall, clock)
    clock.advance(days=1)
    figures = hall.day_figures(day=DAY)
    assert figures["day"] == DAY
    assert figures["total"] == {
        "issued": 5,
        "called": 4,
        "served": 3,
        "no_shows": 1,
        "transferred": 1,
        "linked_to_case": 1,
        "wait_median_s": 330.0,
        "wait_p90_s": 600.0,
        "wait_max_s": 600.0,
        "service_median_s": 200.0,
    }
    a, b = figures["by_business"]["A"], figures["by_business"]["B"]
    assert (a["issued"], a["served"], a["no_shows"], a["transferred"], a["wait_median_s"]) == (4, 3, 1, 1, 330.0)
    assert (b["issued"], b["called"], b["wait_median_s"], b["wait_p90_s"], b["service_median_s"]) == (
        1,
        0,
        None,
        None,
        None,
    )
    windows = figures["by_window"]
    assert sorted(windows) == ["01", "02", "03"]
    assert (windows["01"]["called"], windows["01"]["served"], windows["01"]["transferred"]) == (2, 2, 1)
    assert (windows["01"]["wait_median_s"], windows["01"]["service_median_s"]) == (120.0, 200.0)
    assert (windows["02"]["no_shows"], windows["02"]["wait_max_s"]) == (1, 480.0)
    assert (windows["03"]["served"], windows["03"]["linked_to_case"], windows["03"]["wait_median_s"]) == (1, 1, 600.0)


def test_a_transfer_counts_for_the_window_that_sent_the_ticket_on(hall, clock) -> None:
    a_known_day(hall, clock)
    clock.advance(days=1)
    windows = hall.day_figures(day=DAY)["by_window"]
    assert {code: w["transferred"] for code, w in windows.items()} == {"01": 1, "02": 0, "03": 0}


def test_only_finished_days_are_given(hall, clock) -> None:
    a_known_day(hall, clock)
    assert hall.finished_days() == []
    with pytest.raises(HallError) as refused:
        hall.day_figures(day=DAY)
    assert refused.value.code == "day_not_finished"
    clock.advance(days=3)
    hall.issue(business="A")  # today's ticket: its day is not finished
    assert hall.finished_days() == [DAY]
    assert hall.finished_days(after=DAY) == []
    with pytest.raises(HallError) as refused:
        hall.day_figures(day="2026-02-30")
    assert refused.value.code == "bad_day"


def test_the_hall_process_serves_past_days_to_a_window_only(hall_process) -> None:
    tokens = hall_process.setup_center(windows=3, businesses="AB")
    kiosk = hall_process.token("kiosk")
    yesterday = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
    store = HallStore(hall_process.store_path)
    try:
        past = HallService(store, clock=lambda: yesterday)
        past.issue(business="A")
        past.call_next(window="02")  # window 02 serves B and A (setup_center's turns)
        day = past.figures()["day"]
    finally:
        store.close()
    hall_process.start()
    window = HallClient(hall_process.url, tokens["01"])
    try:
        assert window.finished_days() == [day]
        assert window.finished_days(after=day) == []
        figures = window.day_figures(day)
        assert (figures["day"], figures["total"]["issued"], figures["total"]["called"]) == (day, 1, 1)
        assert list(figures["by_window"]) == ["02"]
    finally:
        window.close()
    not_a_window = HallClient(hall_process.url, kiosk)
    try:
        with pytest.raises(HallRefused) as refused:
            not_a_window.day_figures(day)
        assert refused.value.status == 403
    finally:
        not_a_window.close()
