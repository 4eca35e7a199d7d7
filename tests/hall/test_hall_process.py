"""The real ``windowdesk-hall`` process over loopback: many windows calling at once, and
a SIGKILL in the middle of the traffic."""

from __future__ import annotations

import collections
import threading
import time

import pytest

from windowdesk.sync.hall_client import HallClient, HallRefused, HallUnreachable

WINDOWS = 12


def _issue(url: str, token: str, count: int, business: str, issued: list, errors: list) -> None:
    client = HallClient(url, token)
    try:
        for n in range(count):
            issued.append(client.issue(business=business, priority=n % 7 == 0)["number"])
    except Exception as error:  # noqa: BLE001 - the test reports it
        errors.append(error)
    finally:
        client.close()


def test_many_windows_calling_at_once_never_get_the_same_ticket(hall_process) -> None:
    tokens = hall_process.setup_center(windows=WINDOWS)
    url = hall_process.start()
    kiosk = hall_process.token("kiosk")
    issued: list[str] = []
    errors: list = []
    issuers = [threading.Thread(target=_issue, args=(url, kiosk, 60, b, issued, errors)) for b in "ABC"]
    for thread in issuers:
        thread.start()
    for thread in issuers:
        thread.join()
    assert not errors and len(issued) == len(set(issued)) == 180
    calls: dict[str, list[str]] = collections.defaultdict(list)
    start = threading.Barrier(WINDOWS)

    def window(code: str) -> None:
        client = HallClient(url, tokens[code])
        start.wait()
        try:
            while (ticket := client.call_next()) is not None:
                calls[code].append(ticket["number"])
        finally:
            client.close()

    threads = [threading.Thread(target=window, args=(code,)) for code in tokens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    everything = [number for numbers in calls.values() for number in numbers]
    assert collections.Counter(everything).most_common(1)[0][1] == 1, "a ticket was called twice"
    assert sorted(everything) == sorted(issued)
    assert sum(1 for numbers in calls.values() if numbers) > 1  # the windows really raced


def test_a_window_token_acts_only_for_its_window_and_a_display_cannot_call(hall_process) -> None:
    tokens = hall_process.setup_center(windows=2)
    url = hall_process.start()
    display = HallClient(url, hall_process.token("display"))
    kiosk = HallClient(url, hall_process.token("kiosk"))
    stranger = HallClient(url, "made-up")
    try:
        kiosk.issue(business="B")
        with pytest.raises(HallRefused) as refused:
            display.call_next()
        assert refused.value.status == 403
        with pytest.raises(HallRefused) as refused:
            stranger.setup()
        assert refused.value.status == 401
        window = HallClient(url, tokens["01"])
        assert window.call_next()["window_code"] == "01"
        window.close()
        follow = HallClient(url).follow("B001")  # the ticket's QR code: no token, nothing personal
        assert follow["state"] == "called" and set(follow) == {
            "number",
            "business",
            "state",
            "window_code",
            "waiting_ahead",
        }
    finally:
        for client in (display, kiosk, stranger):
            client.close()


def test_kill_9_mid_traffic_loses_no_ticket_gives_no_number_twice_and_keeps_calls(hall_process) -> None:
    tokens = hall_process.setup_center(windows=6)
    url = hall_process.start()
    kiosk_token = hall_process.token("kiosk")
    issued: list[str] = []
    told_called: dict[str, list[str]] = collections.defaultdict(list)  # window -> numbers, in order
    stop = threading.Event()

    def kiosk(business: str) -> None:
        client = HallClient(url, kiosk_token, timeout=(1.0, 2.0))
        try:
            while not stop.is_set():
                try:
                    issued.append(client.issue(business=business)["number"])
                except HallUnreachable:
                    return
        finally:
            client.close()

    def window(code: str) -> None:
        client = HallClient(url, tokens[code], timeout=(1.0, 2.0))
        try:
            while not stop.is_set():
                try:
                    ticket = client.call_next()
                except HallUnreachable:
                    return
                if ticket is not None:
                    told_called[code].append(ticket["number"])
                else:
                    time.sleep(0.01)
        finally:
            client.close()

    threads = [threading.Thread(target=kiosk, args=(b,)) for b in "ABC"]
    threads += [threading.Thread(target=window, args=(code,)) for code in tokens]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 30
    while len(issued) < 150 and time.monotonic() < deadline:
        time.sleep(0.02)
    hall_process.kill()
    stop.set()
    for thread in threads:
        thread.join(10)
    assert len(issued) >= 150 and sum(map(len, told_called.values())) > 0

    stored = {t["number"]: t for t in hall_process.tickets()}
    assert set(issued) <= set(stored), "a ticket the kiosk printed is lost"
    for code, numbers in told_called.items():
        # A call answered is on disk: called at that window, the earlier ones finished by
        # the next call. The last may be finished too, by a call the kill left unanswered
        # (which finishes the current ticket, then calls whoever waits, if anyone).
        assert all(stored[n]["window_code"] == code and stored[n]["called_at"] for n in numbers)
        assert all(stored[n]["state"] == "done" for n in numbers[:-1])
        assert stored[numbers[-1]]["state"] in ("called", "done")
        called_now = [t["number"] for t in stored.values() if t["window_code"] == code and t["state"] == "called"]
        assert called_now in ([numbers[-1]], []) or (len(called_now) == 1 and called_now[0] not in numbers)

    hall_process.start()
    client = HallClient(hall_process.url, kiosk_token)
    try:
        after = {b: client.issue(business=b)["number"] for b in "ABC"}
    finally:
        client.close()
    for business, number in after.items():
        before = [n for n in stored if n.startswith(business)]
        assert number not in stored
        assert int(number[1:]) == max(int(n[1:]) for n in before) + 1 if before else number.endswith("001")
    window = HallClient(hall_process.url, tokens["01"])
    try:
        status = window.window_status()
    finally:
        window.close()
    if status["current"] is not None:  # the call made before the kill is still there
        assert status["current"]["state"] == "called"
        assert status["current"]["called_at"] >= stored[told_called["01"][-1]]["called_at"]


def test_every_button_of_a_window_works_over_http(hall_process) -> None:
    tokens = hall_process.setup_center(windows=2)
    url = hall_process.start()
    kiosk = HallClient(url, hall_process.token("kiosk"))
    window = HallClient(url, tokens["01"])  # window 01 serves B and C
    try:
        for _ in range(3):
            kiosk.issue(business="B")
        assert window.call_next()["number"] == "B001"
        assert window.recall()["calls"] == 2
        assert window.skip()["state"] == "no_show"
        assert kiosk.requeue("B001")["state"] == "waiting"
        assert window.call_next()["number"] == "B002"
        assert window.serve()["state"] == "serving"
        linked = window.link_case(ticket_id=window.window_status()["current"]["id"], case_id="CH-1")
        assert linked["case_id"] == "CH-1"
        assert window.finish()["state"] == "done"
        assert window.call_next()["number"] == "B003"
        assert window.transfer(to_window="02")["target_window"] == "02"
        assert window.pause(True)["paused"] is True
        with pytest.raises(HallRefused) as refused:
            window.call_next()
        assert refused.value.code == "paused"
        assert window.pause(False)["paused"] is False
        assert window.walk_in("C")["state"] == "serving"
        display = HallClient(url, hall_process.token("display"))
        feed = display.display(after=0)
        display.close()
        assert [c["kind"] for c in feed["calls"]] == ["call", "recall", "call", "call"]
    finally:
        kiosk.close()
        window.close()
