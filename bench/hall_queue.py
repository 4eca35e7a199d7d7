"""The hall's queue under a center's day: 40 windows and 3,000 tickets over loopback
against a real ``windowdesk-hall`` process (issue 25).

A kiosk issues the day's tickets at an even pace (``--seconds``), a priority ticket now
and then; 40 windows call next as soon as they are free, serve for a random short time,
mark some residents no-shows and transfer some tickets to another business; a hall
display follows the long poll. Measured: from a window sending "call next" to the display
receiving that call (``call_to_display_*``), the kiosk's and the windows' request times.
Checked: no ticket handed to two windows (a ticket may be called again only after a
transfer), none lost (every issued ticket ends done or no-show, numbers unique).

    python bench/hall_queue.py [--windows 40] [--tickets 3000] [--seconds 60]

Progress on stderr; one JSON object as the last stdout line.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Not bench/queue.py (as issue 25 named it): Python puts bench/ first on the path of every
# bench script, where a queue.py stands in for the standard library's ``queue`` that
# requests and uvicorn import, and bench/sync.py failed at its first request.
BENCH_DIR = Path(__file__).resolve().parent
import argparse  # noqa: E402
import collections  # noqa: E402
import datetime as dt  # noqa: E402
import importlib.util  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import resource  # noqa: E402
import shutil  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402

_spec = importlib.util.spec_from_file_location("_bench_common", BENCH_DIR / "_common.py")
_common = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_common)
REPO_ROOT, log, percentile = _common.REPO_ROOT, _common.log, _common.percentile

_common.ensure_importable()
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))  # tests.hall.hall_process

from tests.hall.hall_process import HallProcess  # noqa: E402

from windowdesk.sync.hall_client import HallClient, HallRefused, HallUnreachable  # noqa: E402

BUSINESSES = "ABCDEF"
NO_SHOW_SHARE = 0.04
TRANSFER_SHARE = 0.03
PRIORITY_SHARE = 0.05
# A free window with nobody to call: its operator presses "call next" again a moment later.
IDLE_S = 0.5


_requests_lock = threading.Lock()
requests = [0]  # every request made to the hall, for its CPU time per request


class CountingClient(HallClient):
    def _request(self, *args, **kwargs):
        with _requests_lock:
            requests[0] += 1
        return super()._request(*args, **kwargs)


def _ms(values: list[float], share: float) -> float | None:
    found = percentile(values, share * 100) if values else None
    return round(found * 1000, 1) if found is not None else None


def run(windows: int, tickets: int, seconds: float, seed: int) -> dict:
    rng = random.Random(seed)
    folder = Path(tempfile.mkdtemp(prefix="bench-queue-"))
    hall = HallProcess(folder / "hall")
    for prefix in BUSINESSES:
        hall.cli("business", prefix, f"业务{prefix}")
    tokens = {}
    covered: set[str] = set()
    for number in range(1, windows + 1):
        code = f"{number:02d}"
        served = [BUSINESSES[(number + k) % len(BUSINESSES)] for k in range(2)]
        covered.update(served)
        hall.cli("window", code, "--businesses", ",".join(served))
        tokens[code] = hall.token("window", code)
    # Tickets only for businesses some window serves (with fewer than 3 windows not all are).
    offered = "".join(sorted(covered))
    kiosk_token, display_token = hall.token("kiosk"), hall.token("display")
    # The hall process's CPU time is counted once it has exited and been waited for.
    children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    bench_cpu_before = time.process_time()
    load_at_start = os.getloadavg()[0]
    url = hall.start()
    log(f"hall serving at {url}: {windows} windows, {tickets} tickets over {seconds:.0f} s")

    lock = threading.Lock()
    issued: dict[str, str] = {}  # ticket id -> number
    issue_times: list[float] = []
    call_times: list[float] = []
    # Per window, when each "call next" that called someone was sent, in order: the
    # display's k-th call at a window is that window's k-th. Kept before the request
    # leaves (the display often hears the call before the window reads its answer).
    # (monotonic, wall clock): the wall clock meets the event's own time, taken by the
    # service when the call began there, which splits the latency in two.
    sends: dict[str, list[tuple[float, float]]] = collections.defaultdict(list)
    to_service: list[float] = []  # sent -> the service began the call (HTTP, token check, a free thread)
    service_to_display: list[float] = []  # began -> the display holds it (turn, write, fsync, wake, read)
    heard: collections.Counter = collections.Counter()
    unreachable = [0]  # requests a window timed out on (5 s) and tried again
    calls_per_ticket: collections.Counter = collections.Counter()
    transfers_per_ticket: collections.Counter = collections.Counter()
    latencies: list[float] = []
    kiosk_done = threading.Event()
    stop_display = threading.Event()
    # Mean service time that 40 windows can keep up with at this arrival rate.
    mean_service = max(0.02, 0.6 * windows * seconds / tickets)

    def kiosk() -> None:
        client = CountingClient(url, kiosk_token)
        start = time.monotonic()
        try:
            for n in range(tickets):
                wait = start + n * seconds / tickets - time.monotonic()
                if wait > 0:
                    time.sleep(wait)
                business = rng.choice(offered)
                began = time.monotonic()
                ticket = client.issue(business=business, priority=rng.random() < PRIORITY_SHARE)
                with lock:
                    issue_times.append(time.monotonic() - began)
                    issued[ticket["id"]] = ticket["number"]
        finally:
            client.close()
            kiosk_done.set()

    def window(code: str, seed_offset: int) -> None:
        local = random.Random(seed + seed_offset)
        client = CountingClient(url, tokens[code])
        try:
            while True:
                sent = time.monotonic()
                with lock:
                    sends[code].append((sent, time.time()))
                try:
                    ticket = client.call_next()
                except HallUnreachable:
                    # Its call may or may not have been made: like a real window, look again.
                    with lock:
                        sends[code].pop()
                        unreachable[0] += 1
                    time.sleep(1.0)
                    continue
                answered = time.monotonic()
                if ticket is None:
                    with lock:
                        sends[code].pop()
                    if kiosk_done.is_set() and not any(client.window_status()["waiting"].values()):
                        return
                    time.sleep(IDLE_S)
                    continue
                with lock:
                    call_times.append(answered - sent)
                    calls_per_ticket[ticket["id"]] += 1
                roll = local.random()
                if roll < NO_SHOW_SHARE:
                    client.skip()
                elif roll < NO_SHOW_SHARE + TRANSFER_SHARE and transfers_per_ticket[ticket["id"]] == 0:
                    other = local.choice([b for b in offered if b != ticket["business"]])
                    with lock:
                        transfers_per_ticket[ticket["id"]] += 1
                    client.transfer(to_business=other)
                else:
                    time.sleep(local.uniform(0, 2 * mean_service))
        finally:
            try:
                if client.window_status()["current"] is not None:
                    client.finish()
            except HallRefused:
                pass
            client.close()

    def display() -> None:
        client = CountingClient(url, display_token)
        after = client.display()["last_seq"]
        try:
            while not stop_display.is_set():
                snapshot = client.display(after=after, wait=2.0)
                received, received_wall = time.monotonic(), time.time()
                for call in snapshot["calls"]:
                    if call["kind"] != "call":
                        continue
                    began_wall = dt.datetime.fromisoformat(call["at"]).timestamp()
                    with lock:
                        index = heard[call["window"]]
                        heard[call["window"]] += 1
                        mine = sends[call["window"]]
                        if index < len(mine):
                            sent, sent_wall = mine[index]
                            latencies.append(received - sent)
                            to_service.append(began_wall - sent_wall)
                            service_to_display.append(received_wall - began_wall)
                after = snapshot["last_seq"]
        finally:
            client.close()

    display_thread = threading.Thread(target=display)
    display_thread.start()
    time.sleep(0.2)
    began = time.monotonic()
    threads = [threading.Thread(target=kiosk)]
    threads += [threading.Thread(target=window, args=(code, i)) for i, code in enumerate(tokens)]
    for thread in threads:
        thread.start()
    while any(t.is_alive() for t in threads):
        time.sleep(5)
        with lock:
            log(f"  {time.monotonic() - began:5.0f} s: {len(issued)} issued, {sum(calls_per_ticket.values())} calls")
    # A ticket transferred to a business whose windows had all gone home: the last
    # windows call until nobody waits anywhere.
    drained = 0
    while True:
        called = 0
        for _code, token in tokens.items():
            client = CountingClient(url, token)
            try:
                while (ticket := client.call_next()) is not None:
                    called += 1
                    with lock:
                        calls_per_ticket[ticket["id"]] += 1
                if client.window_status()["current"] is not None:
                    client.finish()
            except HallRefused:
                pass
            finally:
                client.close()
        drained += called
        if called == 0:
            break
    elapsed = time.monotonic() - began
    time.sleep(0.5)
    stop_display.set()
    display_thread.join()
    stored = hall.tickets()
    hall.stop()
    children_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    hall_cpu = (children_after.ru_utime - children_before.ru_utime) + (
        children_after.ru_stime - children_before.ru_stime
    )
    bench_cpu = time.process_time() - bench_cpu_before
    shutil.rmtree(folder, ignore_errors=True)

    by_id = {t["id"]: t for t in stored}
    lost = [i for i in issued if i not in by_id or by_id[i]["state"] not in ("done", "no_show")]
    numbers = collections.Counter((t["day"], t["number"]) for t in stored)
    called_twice = [i for i, n in calls_per_ticket.items() if n > 1 + transfers_per_ticket[i]]
    states = collections.Counter(t["state"] for t in stored)
    return {
        "benchmark": "queue",
        "windows": windows,
        "tickets": len(issued),
        "seconds": round(elapsed, 1),
        "calls": sum(calls_per_ticket.values()),
        "calls_seen_by_display": len(latencies),
        "call_to_display_p50_ms": _ms(latencies, 0.5),
        "call_to_display_p95_ms": _ms(latencies, 0.95),
        "call_to_display_max_ms": _ms(latencies, 1.0),
        "call_to_service_p50_ms": _ms(to_service, 0.5),
        "call_to_service_p95_ms": _ms(to_service, 0.95),
        "service_to_display_p50_ms": _ms(service_to_display, 0.5),
        "service_to_display_p95_ms": _ms(service_to_display, 0.95),
        "issue_p95_ms": _ms(issue_times, 0.95),
        "call_next_p95_ms": _ms(call_times, 0.95),
        "done": states["done"],
        "no_shows": states["no_show"],
        "transfers": sum(transfers_per_ticket.values()),
        "called_after_the_day": drained,
        "requests_timed_out": unreachable[0],
        "numbers_issued_twice": sum(1 for n in numbers.values() if n > 1),
        "tickets_called_twice": len(called_twice),
        "tickets_lost": len(lost),
        # CPU beside wall: on a shared machine the wall time is mostly the wait for a core.
        "hall_cpu_seconds": round(hall_cpu, 2),
        "hall_cpu_ms_per_request": round(1000 * hall_cpu / max(1, requests[0]), 2),
        "bench_cpu_seconds": round(bench_cpu, 2),
        "cpus": os.cpu_count(),
        "loadavg_1min_at_start": round(load_at_start, 2),
        "loadavg_1min_at_end": round(os.getloadavg()[0], 2),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--windows", type=int, default=40)
    parser.add_argument("--tickets", type=int, default=3000)
    parser.add_argument("--seconds", type=float, default=60.0, help="how long the kiosk takes to issue them")
    parser.add_argument("--seed", type=int, default=25)
    args = parser.parse_args()
    result = run(args.windows, args.tickets, args.seconds, args.seed)
    for key, value in result.items():
        log(f"{key:>24}: {value}")
    print(json.dumps(result))
    return 0 if result["tickets_called_twice"] == 0 and result["tickets_lost"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
