"""A hall's day in small, all real: the service as a process, a kiosk issuing tickets,
several windows calling, skipping, transferring and finishing at the same time, a
resident coming back after 过号, and a display following the feed. Every ticket's life
is then checked step by step from the service's history."""

from __future__ import annotations

import collections
import itertools
import random
import threading
import time

from windowdesk.sync.hall_client import HallClient

TICKETS = 90
WINDOWS = 5
# What may follow what in a ticket's history (the service's own words for each step).
NEXT = {
    "issue": {"call"},
    "walk_in": {"done", "link_case", "transfer"},
    "call": {"recall", "no_show", "transfer", "done", "serve", "link_case"},
    "recall": {"recall", "no_show", "transfer", "done", "serve", "link_case"},
    "serve": {"done", "transfer", "link_case"},
    "link_case": {"done", "transfer", "link_case", "serve", "recall", "no_show"},
    "no_show": {"requeue"},
    "requeue": {"call"},
    "transfer": {"call"},
    "done": set(),
}


def test_a_day_kiosk_windows_and_display_every_ticket_lives_a_valid_life(hall_process) -> None:
    tokens = hall_process.setup_center(windows=WINDOWS)
    url = hall_process.start()
    kiosk_token, display_token = hall_process.token("kiosk"), hall_process.token("display")
    lock = threading.Lock()
    issued: list[str] = []
    skipped: list[str] = []
    heard: list[tuple[str, str, str]] = []
    kiosk_done = threading.Event()
    display_stop = threading.Event()

    def kiosk() -> None:
        client = HallClient(url, kiosk_token)
        try:
            for n in range(TICKETS):
                resident = {"name": f"王{n}", "id_number": f"2309021940010{n:05d}"} if n % 4 == 0 else None
                issued.append(client.issue(business="ABC"[n % 3], priority=n % 10 == 0, resident=resident)["number"])
                if n % 15 == 14:  # a resident back after 过号 asks the kiosk to put them in line again
                    with lock:
                        back = skipped.pop(0) if skipped else None
                    if back:
                        client.requeue(back)
        finally:
            client.close()
            kiosk_done.set()

    def window(code: str, seed: int) -> None:
        rng = random.Random(seed)
        client = HallClient(url, tokens[code])
        try:
            while True:
                ticket = client.call_next()
                if ticket is None:
                    if kiosk_done.is_set() and not any(client.window_status()["waiting"].values()):
                        return
                    time.sleep(0.05)
                    continue
                roll = rng.random()
                if roll < 0.1:
                    client.recall()
                if roll < 0.15:
                    client.skip()
                    with lock:
                        skipped.append(ticket["number"])
                elif roll < 0.25:
                    client.transfer(to_business=rng.choice("ABC"))
                elif roll < 0.3:
                    client.transfer(to_window=rng.choice([c for c in tokens if c != code]))
                else:
                    client.serve()
                    client.link_case(ticket_id=ticket["id"], case_id=f"CH-{ticket['number']}")
        finally:
            client.close()

    def display() -> None:
        client = HallClient(url, display_token)
        after = 0
        try:
            while not display_stop.is_set():
                feed = client.display(after=after, wait=1.0)
                heard.extend((c["kind"], c["number"], c["window"]) for c in feed["calls"])
                after = feed["last_seq"]
        finally:
            client.close()

    listener = threading.Thread(target=display)
    listener.start()
    threads = [threading.Thread(target=kiosk)]
    threads += [threading.Thread(target=window, args=(code, i)) for i, code in enumerate(tokens)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    # Whatever is left (a ticket transferred to a window that had gone home, a resident
    # put back in line at the end): every window calls until nobody waits, then finishes.
    for _round in range(5):
        for _code, token in tokens.items():
            client = HallClient(url, token)
            try:
                for _call in range(10_000):  # bounded: a hall that never empties fails below
                    if client.call_next() is None:
                        break
            finally:
                client.close()
    time.sleep(1.5)
    display_stop.set()
    listener.join(10)

    tickets = {t["id"]: t for t in hall_process.tickets()}
    events = hall_process.events()
    assert len(tickets) == TICKETS and sorted(t["number"] for t in tickets.values()) == sorted(issued)
    lives = collections.defaultdict(list)
    for event in events:
        lives[event["ticket_id"]].append(event)
    for ticket_id, life in lives.items():
        kinds = [e["kind"] for e in life]
        assert kinds[0] == "issue", kinds
        for before, after in itertools.pairwise(kinds):
            assert after in NEXT[before], f"{tickets[ticket_id]['number']}: {before} then {after} in {kinds}"
        final = tickets[ticket_id]["state"]
        assert final in ("done", "no_show"), (tickets[ticket_id]["number"], kinds)
        assert final == ("done" if kinds[-1] == "done" else "no_show")
        # A transfer to a window is called at that window.
        for step, following in itertools.pairwise(life):
            if step["kind"] == "transfer" and step["detail"].startswith("window:"):
                assert following["window_code"] == step["detail"].removeprefix("window:")
    called = [(e["kind"], e["number"], e["window_code"]) for e in events if e["kind"] in ("call", "recall")]
    assert heard == called  # the display heard every call and recall, in order
