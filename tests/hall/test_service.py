"""The queue's rules on a real SQLite store, with a stepped clock."""

from __future__ import annotations

import pytest

from windowdesk.hall.errors import HallError
from windowdesk.hall.service import HallService
from windowdesk.hall.storage.store import HallStore


def test_numbers_run_per_business_and_start_again_the_next_local_day(hall, clock) -> None:
    assert [hall.issue(business="A")["number"] for _ in range(3)] == ["A001", "A002", "A003"]
    assert hall.issue(business="b")["number"] == "B001"
    clock.advance(hours=15)  # 00:00 the next day in Shanghai (UTC+8)
    assert hall.issue(business="A")["number"] == "A001"


def test_a_number_is_never_given_twice_in_a_day_even_after_its_ticket_is_gone(hall, tmp_path) -> None:
    hall.issue(business="A")
    with hall.store.write() as db:
        db.execute("DELETE FROM tickets")  # a number's counter does not depend on its ticket
    assert hall.issue(business="A")["number"] == "A002"


def test_call_next_takes_priority_first_then_the_longest_waiting(hall, clock) -> None:
    hall.issue(business="A")
    clock.advance(minutes=1)
    hall.issue(business="A")
    clock.advance(minutes=1)
    hall.issue(business="A", priority=True)
    assert [hall.call_next(window="01")["number"] for _ in range(3)] == ["A003", "A001", "A002"]
    assert hall.call_next(window="01") is None


def test_a_window_calls_only_the_businesses_it_serves(hall) -> None:
    hall.issue(business="B")
    assert hall.call_next(window="01") is None
    assert hall.call_next(window="03")["number"] == "B001"


def test_calling_next_finishes_the_windows_current_ticket(hall) -> None:
    hall.issue(business="A")
    hall.issue(business="A")
    first = hall.call_next(window="01")
    hall.call_next(window="01")
    assert hall.ticket(number=first["number"])["state"] == "done"


def test_recall_calls_the_same_ticket_again_and_the_display_hears_both(hall) -> None:
    hall.issue(business="A")
    called = hall.call_next(window="01")
    recalled = hall.recall(window="01")
    assert recalled["id"] == called["id"] and recalled["calls"] == 2
    feed = hall.display(after=0)
    assert [(c["kind"], c["number"], c["window"]) for c in feed["calls"]] == [
        ("call", "A001", "01"),
        ("recall", "A001", "01"),
    ]
    assert hall.display(after=feed["last_seq"])["calls"] == []


def test_a_skipped_ticket_can_come_back_at_the_end_of_the_line(hall, clock) -> None:
    hall.issue(business="A")
    hall.issue(business="A")
    hall.call_next(window="01")
    assert hall.skip(window="01")["state"] == "no_show"
    clock.advance(minutes=5)
    back = hall.requeue(number="a001")
    assert back["state"] == "waiting"
    assert [hall.call_next(window="01")["number"] for _ in range(2)] == ["A002", "A001"]


def test_only_a_skipped_ticket_can_be_put_back_in_line(hall) -> None:
    hall.issue(business="A")
    with pytest.raises(HallError) as refused:
        hall.requeue(number="A001")
    assert refused.value.code == "not_no_show"


def test_a_transfer_to_a_window_is_called_there_before_its_own_line(hall, clock) -> None:
    hall.issue(business="B")
    clock.advance(minutes=1)
    hall.issue(business="A")
    hall.call_next(window="01")  # A001: window 01 serves A only
    moved = hall.transfer(window="01", to_window="03")
    assert moved["state"] == "transferred" and moved["target_window"] == "03"
    assert hall.call_next(window="02")["number"] == "B001"  # a transfer to 03 is not 02's
    assert hall.call_next(window="03")["number"] == "A001"


def test_a_transfer_to_a_business_keeps_the_number_and_its_place(hall, clock) -> None:
    hall.issue(business="A")
    clock.advance(minutes=1)
    hall.issue(business="B")
    hall.call_next(window="01")
    hall.transfer(window="01", to_business="B")
    assert [hall.call_next(window="03")["number"] for _ in range(2)] == ["A001", "B001"]


def test_a_paused_window_calls_nobody_until_resumed(hall) -> None:
    hall.issue(business="A")
    hall.set_paused(window="01", paused=True)
    with pytest.raises(HallError) as refused:
        hall.call_next(window="01")
    assert refused.value.code == "paused"
    hall.set_paused(window="01", paused=False)
    assert hall.call_next(window="01")["number"] == "A001"


def test_a_walk_in_gets_a_number_and_is_served_at_once(hall) -> None:
    walk_in = hall.walk_in(window="02", business="B")
    assert (walk_in["number"], walk_in["state"], walk_in["window_code"]) == ("B001", "serving", "02")
    assert hall.finish(window="02")["state"] == "done"


def test_serving_then_finishing_records_each_time_and_the_case(hall, clock) -> None:
    issued = hall.issue(business="A", resident={"name": "王芳", "id_number": "230902194001010012"})
    clock.advance(minutes=7)
    called = hall.call_next(window="01")
    assert called["resident"] == {"name": "王芳", "id_number": "230902194001010012"}
    clock.advance(minutes=1)
    hall.start_serving(window="01")
    hall.link_case(window="01", ticket_id=issued["id"], case_id="CH-20261207-01-0001")
    clock.advance(minutes=12)
    done = hall.finish(window="01")
    assert done["case_id"] == "CH-20261207-01-0001"
    assert (done["issued_at"], done["called_at"], done["serving_at"], done["finished_at"]) == (
        "2026-12-07T01:00:00.000000+00:00",
        "2026-12-07T01:07:00.000000+00:00",
        "2026-12-07T01:08:00.000000+00:00",
        "2026-12-07T01:20:00.000000+00:00",
    )


def test_the_display_masks_names_and_counts_the_waiting_per_business(hall) -> None:
    hall.issue(business="A", resident={"name": "欧阳娜娜", "id_number": "230902194001010012"})
    hall.issue(business="A")
    hall.issue(business="B")
    hall.call_next(window="01")
    feed = hall.display(after=0)
    assert feed["calls"][0]["name"] == "欧***"
    assert "230902194001010012" not in str(feed)
    assert {w["prefix"]: w["count"] for w in feed["waiting"]} == {"A": 1, "B": 1}


def test_the_kiosk_is_told_how_many_wait_ahead(hall) -> None:
    assert hall.issue(business="A")["waiting_ahead"] == 0
    assert hall.issue(business="A")["waiting_ahead"] == 1
    assert hall.ticket(number="A002")["waiting_ahead"] == 1


def test_nothing_to_recall_or_skip_says_so(hall) -> None:
    for action in (hall.recall, hall.skip, hall.finish):
        with pytest.raises(HallError) as refused:
            action(window="01")
        assert refused.value.code == "no_current"


def test_unknown_business_window_and_bad_prefix_are_refused(hall) -> None:
    with pytest.raises(HallError, match="no business Z"):
        hall.issue(business="Z")
    with pytest.raises(HallError, match="no window 99"):
        hall.call_next(window="99")
    with pytest.raises(HallError, match="one letter"):
        hall.set_business(prefix="AB", name="x")


def test_a_token_is_kept_only_as_its_hash_and_names_its_window(hall) -> None:
    token = hall.add_token(role="window", window="02")
    assert hall.who(token)["window_code"] == "02"
    assert hall.who("not-a-token") is None
    with hall.store.read() as db:
        assert token not in str([tuple(r) for r in db.execute("SELECT * FROM tokens")])
    assert hall.revoke_tokens(label="window-02") == 1
    assert hall.who(token) is None


def test_the_store_is_wal_with_full_sync(hall) -> None:
    with hall.store.read() as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL


def test_two_services_on_one_file_never_call_the_same_ticket(tmp_path, clock) -> None:
    """BEGIN IMMEDIATE holds across connections: 8 threads, each its own connection."""
    import threading

    store = HallStore(tmp_path / "shared.sqlite3")
    store.migrate()
    service = HallService(store, clock=clock)
    service.set_business(prefix="A", name="a")
    for n in range(8):
        service.set_window(code=f"{n:02d}", businesses=["A"])
    for _ in range(200):
        service.issue(business="A")
    called: list[str] = []
    lock = threading.Lock()

    def window(code: str) -> None:
        while (ticket := service.call_next(window=code)) is not None:
            with lock:
                called.append(ticket["number"])

    threads = [threading.Thread(target=window, args=(f"{n:02d}",)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    store.close()
    assert sorted(called) == [f"A{n:03d}" for n in range(1, 201)]


def test_the_days_figures_wait_handling_no_shows_and_the_longest_wait_now(hall, clock) -> None:
    hall.issue(business="A")  # 09:00
    clock.advance(minutes=1)
    hall.issue(business="A")  # 09:01
    clock.advance(minutes=1)
    hall.issue(business="B")  # 09:02
    clock.advance(minutes=3)
    hall.call_next(window="01")  # A001 waited 5 min
    clock.advance(minutes=1)
    hall.start_serving(window="01")
    clock.advance(minutes=10)
    hall.finish(window="01")  # handled 10 min at 01
    clock.advance(minutes=1)
    hall.call_next(window="01")  # A002 waited 16 min
    hall.skip(window="01")
    clock.advance(minutes=3)
    hall.call_next(window="03")  # B001 waited 18 min
    clock.advance(minutes=5)
    hall.finish(window="03")  # called, then done: handled 5 min at 03
    clock.advance(minutes=1)
    hall.walk_in(window="02", business="B")
    clock.advance(minutes=2)
    hall.issue(business="A")  # A003 at 09:28, still waiting
    clock.advance(minutes=2)
    hall.finish(window="02")  # the walk-in: handled 4 min at 02, no wait
    clock.advance(minutes=10)  # now 09:40
    figures = hall.figures()
    assert figures["day"] == "2026-12-07"
    assert (figures["tickets"], figures["served"], figures["no_shows"]) == (5, 3, 1)
    assert figures["average_wait_s"] == round((300 + 960 + 1080) / 3, 1)
    assert figures["p90_wait_s"] == 1080
    assert figures["handling_by_window"] == {
        "01": {"served": 1, "average_s": 600},
        "02": {"served": 1, "average_s": 240},
        "03": {"served": 1, "average_s": 300},
    }
    assert figures["handling_by_business"] == {
        "A": {"served": 1, "average_s": 600},
        "B": {"served": 2, "average_s": 270},
    }
    assert figures["waiting_now"] == {"A": 1}
    assert figures["longest_wait_now_s"] == 720
    assert hall.figures(day="2026-12-06")["tickets"] == 0


def test_the_display_feed_pages_through_many_calls_without_skipping_one(hall) -> None:
    """More calls than one answer holds (a display that was slow, or just started)."""
    from windowdesk.hall.service import FEED_PAGE

    count = FEED_PAGE + 10
    for _ in range(count):
        hall.issue(business="A")
    for _ in range(count):
        hall.call_next(window="01")
    heard, after = [], 0
    while calls := (feed := hall.display(after=after))["calls"]:
        heard += [call["number"] for call in calls]
        after = feed["last_seq"]
    assert heard == [f"A{n:03d}" for n in range(1, count + 1)]
