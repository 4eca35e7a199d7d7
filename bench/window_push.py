"""The window's part of a push alone: reading its outbox, encoding the bodies, recording
the hub's answers.

    python bench/window_push.py --events 100000 [--rounds 3] [--work DIR] [--hub-us-per-event 0]

``bench/sync.py`` times a whole push (window, HTTP, hub) and gives each process's CPU.
This script runs the window's part in one process, without a hub process: a real
encrypted workstation whose outbox holds ``--events`` case acceptances (one case accepted
through the real services, then cloned as ``bench/sync.py`` clones it), pushed by the
real ``SyncRunner`` (its threads, its transactions and commits, in the protocol the hub
serves: 2) through a stand-in client that answers every event "applied" with the reply
the hub's route sends, read by the window's own parser (``HubClient._read_push_answer``
after ``json.loads``, as ``HubClient._request`` reads it). What it leaves out is the HTTP
itself (requests sending the body over loopback and reading the reply: ``bench/sync.py``
has it).

``--hub-us-per-event N`` makes the stand-in wait N µs an event before it answers (a
sleep: no CPU), as a hub busy applying the batch would: the push's wall time then shows
how much of the window's work is done while the hub works. 0 (the default) answers at
once, so the wall time is the window's alone.

Per round a fresh copy of the prepared workstation is pushed; ``push_cpu_seconds`` (this
process's CPU, user + system, every thread, less the stand-in's own reply building) and
``push_seconds`` (wall) are the medians of the rounds. Each round checks that nothing is
left pending afterwards and that every event is kept (in ``sent_events`` before migration
0025, marked sent in the outbox since). Compare two versions
of the window's code with alternating runs (``PYTHONPATH`` set to each one's ``src``, the
same ``--work``). The last stdout line is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import REPO_ROOT, ensure_importable, log

ensure_importable()
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))  # tests.sync: the workstation

CENTER, WINDOW = "CH", "01"


def prepare(folder: Path, events: int) -> bytes:
    """A workstation in ``folder`` whose outbox holds ``events`` pending events, closed;
    returns its key."""
    from tests.sync.hub_process import create_station

    from sync import make_events

    station = create_station(folder, CENTER, WINDOW)
    try:
        made = make_events(station, events)
        log(f"prepared {made['events']} events ({made['payload_bytes_avg']} bytes a payload)")
        return station.key
    finally:
        station.close()


class PushStandIn:
    """The hub as the runner sees it: every pushed event applied, the reply encoded as the
    hub's route encodes it and read by the window's parser; nothing to pull."""

    hub_generation = None
    base_url = "http://127.0.0.1:9"
    protocol = 2

    def __init__(self, hub_us_per_event: float) -> None:
        from windowdesk.sync.hub_pin import HubPin

        self.pin = HubPin()
        self.wait_per_event = hub_us_per_event / 1e6
        self.batches = 0
        self.events = 0
        self.bytes = 0
        self.own_cpu = 0.0  # the stand-in's reply building, not the window's work
        # Between an answer given and the next batch received: how long a hub would wait
        # for the window between two batches (its next batch read and encoded already or not).
        self.gaps: list[float] = []
        self._answered: float | None = None
        self._lock = threading.Lock()

    def health(self) -> bool:
        return True

    def waiting_applications(self) -> list[dict]:
        return []

    def changes(self, after: int, limit: int):
        from windowdesk.sync import protocol

        return protocol.ChangesPage((), after, False)

    def push_encoded(self, batch):
        from windowdesk.sync.client import HubClient

        assert batch.protocol == 2, batch.protocol
        arrived = time.perf_counter()
        started = time.thread_time()
        reply = json.dumps(
            {"results": [{"event_id": e, "status": "applied", "reason": ""} for e in batch.event_ids], "in_flight": 1}
        ).encode()
        spent = time.thread_time() - started
        with self._lock:
            self.own_cpu += spent
            self.batches += 1
            self.events += len(batch.event_ids)
            self.bytes += len(batch.body)
            if self._answered is not None:
                self.gaps.append(arrived - self._answered)
        if self.wait_per_event:
            time.sleep(self.wait_per_event * len(batch.event_ids))
        with self._lock:
            self._answered = time.perf_counter()
        return HubClient._read_push_answer(json.loads(reply), list(batch.event_ids))


class PartClocks:
    """The CPU time of the threads in the parts of the push (``--parts``), by wrapping the
    functions the runner calls, timed at their edges only (restored by ``close``)."""

    PARTS = (
        ("windowdesk.services.sync", "SyncRunner._next_batch", "read and encode"),
        ("windowdesk.storage.sync_queries", "pending_outbox_rows", "read: outbox rows"),
        ("windowdesk.services.sync", "_read_batch_v2", "encode: the body"),
        ("windowdesk.services.sync", "SyncRunner._record_results", "record"),
        ("windowdesk.storage.sent_events", "keep_confirmed", "record: keep_confirmed"),
        ("windowdesk.sync.client", "HubClient._read_push_answer", "answer parsed"),
    )

    def __init__(self) -> None:
        import importlib

        self.spent: dict[str, float] = {}
        self._restore: list[tuple[object, str, object]] = []
        for module_name, name, part in self.PARTS:
            owner: object = importlib.import_module(module_name)
            *path, attribute = name.split(".")
            for step in path:
                owner = getattr(owner, step)
            self._wrap(owner, attribute, part)

    def _wrap(self, owner: object, name: str, part: str) -> None:
        original = owner.__dict__[name]
        function = original.__func__ if isinstance(original, staticmethod) else original
        spent = self.spent
        lock = threading.Lock()

        def timed(*args, **kwargs):
            started = time.thread_time()
            try:
                return function(*args, **kwargs)
            finally:
                took = time.thread_time() - started
                with lock:
                    spent[part] = spent.get(part, 0.0) + took

        setattr(owner, name, staticmethod(timed) if isinstance(original, staticmethod) else timed)
        self._restore.append((owner, name, original))

    def close(self) -> None:
        for owner, name, original in self._restore:
            setattr(owner, name, original)


def push_round(
    template: Path, key: bytes, folder: Path, events: int, hub_us_per_event: float, parts: bool = False
) -> dict:
    from sqlalchemy import func, select
    from tests.sync.hub_process import Station, copy_database

    from windowdesk.services.sync import SyncRunner
    from windowdesk.storage import models as m
    from windowdesk.storage.migrate import migrate_to_head

    copy_database(template / "windowdesk.sqlite3", folder)
    # As the window does when it starts: the copy brought to this code's schema.
    migrate_to_head(folder / "windowdesk.sqlite3", folder / "backups", key=key)
    station = Station(CENTER, WINDOW, folder, key).open()
    try:
        stand_in = PushStandIn(hub_us_per_event)
        runner = SyncRunner(station.db, stand_in, retries=0)
        clocks = PartClocks() if parts else None
        cpu, wall = time.process_time(), time.perf_counter()
        try:
            report = runner.run()
        finally:
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
            if clocks is not None:
                clocks.close()
        assert report.ok, report.error
        assert report.applied == events, (report.applied, events)
        with station.db.read() as session:
            if hasattr(m, "SentEvent"):  # before 0025: the confirmed rows copied into sent_events
                left = session.scalar(select(func.count()).select_from(m.OutboxEvent))
                kept = session.scalar(select(func.count()).select_from(m.SentEvent))
            else:  # since 0025: marked sent in the outbox
                sent = m.OutboxEvent.state == "sent"
                left = session.scalar(select(func.count()).select_from(m.OutboxEvent).where(~sent))
                kept = session.scalar(select(func.count()).select_from(m.OutboxEvent).where(sent))
        assert left == 0 and kept >= events, (left, kept)
        return {
            "cpu": cpu - stand_in.own_cpu,
            "wall": wall,
            "batches": stand_in.batches,
            "body_bytes": stand_in.bytes,
            "gap": statistics.median(stand_in.gaps) if stand_in.gaps else 0.0,
            "parts": clocks.spent if clocks is not None else {},
        }
    finally:
        station.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=100_000, help="outbox events pushed (default 100,000)")
    parser.add_argument("--rounds", type=int, default=3, help="pushes, each from a fresh copy (default 3)")
    parser.add_argument(
        "--hub-us-per-event",
        type=float,
        default=0.0,
        help="the stand-in hub waits this many µs an event before answering (default 0)",
    )
    parser.add_argument("--parts", action="store_true", help="the CPU of the push's parts, µs an event")
    parser.add_argument(
        "--work", type=Path, default=None, help="keep the prepared workstation in this folder and use it again"
    )
    args = parser.parse_args(argv)
    from windowdesk.i18n import set_locale

    set_locale("en")
    with tempfile.TemporaryDirectory(prefix="wd-bench-wpush-") as tmp:
        work = args.work or Path(tmp) / "work"
        template = work / f"station-{args.events}"
        key_file = template / "bench.key"
        if key_file.exists():
            key = bytes.fromhex(key_file.read_text())
            log(f"using the workstation prepared in {template}")
        else:
            shutil.rmtree(template, ignore_errors=True)
            started = time.perf_counter()
            key = prepare(template, args.events)
            key_file.write_text(key.hex())
            log(f"prepared in {time.perf_counter() - started:.1f} s")
        rounds = []
        for index in range(args.rounds):
            folder = Path(tmp) / f"round-{index}"
            rounds.append(push_round(template, key, folder, args.events, args.hub_us_per_event, args.parts))
            shutil.rmtree(folder, ignore_errors=True)
            log(f"round {index + 1}: CPU {rounds[-1]['cpu']:.3f} s, wall {rounds[-1]['wall']:.3f} s")
    cpu = statistics.median(r["cpu"] for r in rounds)
    result = {
        "events": args.events,
        "hub_us_per_event": args.hub_us_per_event,
        "batches": rounds[0]["batches"],
        "body_bytes": rounds[0]["body_bytes"],
        "push_cpu_seconds": round(cpu, 3),
        "push_cpu_seconds_rounds": [round(r["cpu"], 3) for r in rounds],
        "push_cpu_us_per_event": round(cpu / args.events * 1e6, 1),
        "push_seconds": round(statistics.median(r["wall"] for r in rounds), 3),
        # --parts: each part's CPU (its thread's), µs an event, median of the rounds.
        "parts": {
            part: round(statistics.median(r["parts"].get(part, 0.0) for r in rounds) / args.events * 1e6, 1)
            for part in rounds[0]["parts"]
        },
        "push_seconds_rounds": [round(r["wall"], 3) for r in rounds],
        # The hub's wait for the window between its answer and the next batch, median, ms.
        "gap_ms": round(statistics.median(r["gap"] for r in rounds) * 1000, 2),
        "python": platform.python_version(),
        "machine": platform.machine(),
    }
    for key_name, value in result.items():
        log(f"{key_name:>24}  {value}")
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
