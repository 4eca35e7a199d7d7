"""Where the hub's CPU goes when it applies a window's end-of-day push, phase by phase.

    python bench/hub_push.py --events 10000 --rounds 5 [--protocol 1|2]
    python bench/hub_push.py --hub postgresql --database-url postgresql+psycopg://postgres@127.0.0.1:PORT/postgres

``bench/sync.py`` times the whole push (window, HTTP, hub) and shows that the hub's CPU
decides it. This script runs the hub's part alone, in one process and one thread, with
the same request bodies the window sends (a real workstation's outbox, filled as
``bench/sync.py`` fills it, cut into batches by the window's own code), against a real
SQLite hub file seeded with the administrator's commands. For every batch it runs what
the push route runs, in order, and adds up each phase's CPU time (``time.thread_time``):

- ``read``: the request body to the rules' event objects (``push_body.read_push_body``, as
  the route: in protocol 1 the hub's JSON parser and the request model; in protocol 2 the
  head's model and each payload's strict parse; the older ``parse`` plus ``validate``);
- ``apply``: ``apply_push`` in a write transaction, ``commit`` the commit itself
  (the WAL write and fsync; a checkpoint when one falls due);
- ``reply``: the reply model, encoded as JSON.

``catchup_seconds`` (h29-figlater): after each round, outside its figures, the report
figures its push left due worked out as the hub's background catch-up does
(``figure_catchup.catch_up``, its chunks), the thread's CPU; ``catchup_us_per_case`` that
per case. 0 on a tree from before the push left them due (it worked them out inside).

``gc_seconds`` is the part of those spent in the garbage collector. The collector is set
as the hub sets it once its app is made: the objects made before a round are frozen out
of its sight, and its youngest generation has the hub's threshold (``windowdesk.heap``).

``wall_seconds`` is the rounds' wall-clock time: on PostgreSQL (``--hub postgresql``, a
fresh database on ``--database-url`` or ``$WINDOWDESK_TEST_POSTGRES_URL``, dropped after)
it holds the server's work and the waits for it, which the thread's CPU time does not.
``--profile FILE`` writes a cProfile of the rounds (pstats format). Its per-call costs
are inflated (the profiler's own work on each of millions of calls): many small calls
(type processors, a rule's checks) look several times as large beside SQLite's inserts
as they are. ``--parts`` instead times the parts of ``apply`` by the thread's CPU
clock only at their edges (a few calls per batch, one ``plan_event`` per event): the
view, the rules, the writes by table, the figures, and the rest (``apply_other``); in
microseconds per event, medians over the rounds (``parts`` in the JSON).

``--protocol`` (default 2, what a window of this version sends): the version of the bodies.
Each round pushes ``--events`` new events (new residents, cases, numbers) to the same
hub file; the figures are medians over the rounds. Steadier than ``bench/sync.py``
because nothing else runs beside it, so use it to compare two versions of the hub's code.
The last stdout line is one JSON object.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import gc
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import REPO_ROOT, ensure_importable, log

ensure_importable()
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))  # tests.sync.hub_process

PHASES = ("read", "apply", "commit", "reply")


def window_bodies(station, events: int, round_index: int, protocol_version: int) -> list[tuple[bytes, str]]:
    """The push bodies the window would send for ``events`` new outbox events, then the
    outbox emptied as if the hub had confirmed them all; each with its Content-Type."""
    from sqlalchemy import delete

    from sync import make_events
    from windowdesk.services.sync import PUSH_BATCH, PUSH_BYTES, _read_batch
    from windowdesk.storage import models as m
    from windowdesk.sync.protocol import PUSH_V2_CONTENT_TYPE

    make_events(station, events, round_index)
    content_type = PUSH_V2_CONTENT_TYPE if protocol_version >= 2 else "application/json"
    bodies: list[tuple[bytes, str]] = []
    with station.db.read() as session:
        batch = _read_batch(session, 0, PUSH_BATCH, PUSH_BYTES, protocol_version=protocol_version)
        while batch is not None:
            bodies.append((batch.push.body, content_type))
            batch = _read_batch(
                session,
                batch.last_seq,
                PUSH_BATCH,
                PUSH_BYTES,
                batch.last_event_id,
                protocol_version=protocol_version,
            )
    with station.db.write() as session:
        session.execute(delete(m.OutboxEvent))
    return bodies


class CollectorClock:
    """CPU time spent in the garbage collector (it runs inside whichever phase allocates)."""

    def __init__(self) -> None:
        self.spent = 0.0
        self._since = 0.0

    def __call__(self, stage: str, _info: dict) -> None:
        if stage == "start":
            self._since = time.thread_time()
        else:
            self.spent += time.thread_time() - self._since


class PhaseClock:
    def __init__(self) -> None:
        self.spent = dict.fromkeys(PHASES, 0.0)
        self._phase: str | None = None
        self._since = 0.0

    def enter(self, phase: str | None) -> None:
        now = time.thread_time()
        if self._phase is not None:
            self.spent[self._phase] += now - self._since
        self._phase, self._since = phase, now


class PartClocks:
    """The thread's CPU time in the parts of apply_push, by wrapping the functions that
    push.py calls (restored by ``close``)."""

    def __init__(self) -> None:
        from windowdesk.hub.services import case_figures, figure_days, push

        self.spent: dict[str, float] = {}
        self._restore: list[tuple[object, str, object]] = []
        for name, part in (
            ("load_view", "view"),
            ("known_events", "view"),
            ("plan_event", "rules"),
            ("relay_replies", "relay"),
        ):
            self._wrap(push, name, lambda *_args, part=part: part)
        self._wrap(push, "execute_many", lambda _connection, statement, _rows: f"write {statement.table.name}")
        # push.py calls these through their modules: wrapped there. Since h29-figlater the
        # push marks its cases due (figure_catchup.mark_due) instead of refreshing them.
        self._wrap(case_figures, "refresh", lambda *_args: "figures")
        self._wrap(figure_days, "add_ratings", lambda *_args: "figures")
        catchup = _figure_catchup()
        if catchup is not None:
            self._wrap(catchup, "mark_due", lambda *_args: "figures")

    def _wrap(self, module: object, name: str, part_of) -> None:
        original = getattr(module, name)
        spent = self.spent

        def timed(*args, **kwargs):
            started = time.thread_time()
            try:
                return original(*args, **kwargs)
            finally:
                part = part_of(*args)
                spent[part] = spent.get(part, 0.0) + time.thread_time() - started

        setattr(module, name, timed)
        self._restore.append((module, name, original))

    def close(self) -> None:
        for module, name, original in self._restore:
            setattr(module, name, original)


def _figure_catchup():
    """hub/services/figure_catchup (h29-figlater), or None on a tree from before it."""
    try:
        from windowdesk.hub.services import figure_catchup
    except ImportError:
        return None
    return figure_catchup


def catch_up_figures(db) -> tuple[float, int]:
    """The figures a round's push left due, worked out as the hub's background catch-up
    does (its chunks, a transaction each): the thread's CPU seconds and the cases."""
    catchup = _figure_catchup()
    if catchup is None:
        return 0.0, 0
    started = time.thread_time()
    cases = catchup.catch_up(db, chunk=catchup.CHUNK)
    return time.thread_time() - started, cases


def apply_bodies(db, pusher, bodies: list[tuple[bytes, str]]) -> tuple[dict[str, float], int]:
    """What the push route does with each body, in this thread, timed by phase."""
    from windowdesk.hub.api.push_body import read_push_body
    from windowdesk.hub.schemas import PushReply, PushResult
    from windowdesk.hub.services.push import apply_push

    clock = PhaseClock()
    applied = 0
    for body, content_type in bodies:
        clock.enter("read")
        _after, events = read_push_body(body, content_type)
        clock.enter("apply")
        now = dt.datetime.now(dt.UTC)
        with db.write() as session:
            outcomes = apply_push(session, pusher=pusher, events=events, now=now)
            clock.enter("commit")
            session.commit()  # write() commits again: nothing left by then
        clock.enter("reply")
        reply = PushReply(results=[PushResult(event_id=o.event_id, status=o.status, reason=o.reason) for o in outcomes])
        reply.model_dump_json()  # the route's reply, as FastAPI encodes it
        clock.enter(None)
        applied += sum(o.status == "applied" for o in outcomes)
    return clock.spent, applied


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=10_000, help="events per round (default 10,000)")
    parser.add_argument("--rounds", type=int, default=5, help="rounds on the same hub file (default 5)")
    parser.add_argument("--hub", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument(
        "--database-url",
        default=None,
        help="PostgreSQL server to make a fresh database on (default $WINDOWDESK_TEST_POSTGRES_URL)",
    )
    parser.add_argument(
        "--protocol", type=int, choices=(1, 2), default=2, help="the bodies' protocol version (default 2)"
    )
    parser.add_argument(
        "--parts", action="store_true", help="time the parts of apply (view, rules, writes by table, figures)"
    )
    parser.add_argument(
        "--profile", type=Path, default=None, help="write a cProfile of the rounds' apply to this file (pstats format)"
    )
    args = parser.parse_args(argv)

    from sync import enrolled_workstation, hub_database
    from windowdesk.heap import settle_startup_heap
    from windowdesk.hub.server import YOUNG_GC_THRESHOLD
    from windowdesk.hub.services.push_rules import Pusher
    from windowdesk.hub.storage.database import HubDatabase
    from windowdesk.i18n import set_locale

    set_locale("en")
    with (
        tempfile.TemporaryDirectory(prefix="wd-bench-hub-push-") as tmp,
        hub_database(args.hub, args.database_url) as database_url,
    ):
        folder = Path(tmp)
        hub, station, identity = enrolled_workstation(folder, database_url)
        db = HubDatabase(hub.database_url)
        pusher = Pusher(identity["workstation_id"], "CH", "CH-01")
        rounds: list[dict[str, float]] = []
        collector = CollectorClock()
        gc.callbacks.append(collector)
        # The thread's CPU time: the default wall clock charges a loaded machine's waits to whatever runs.
        profiler = cProfile.Profile(time.thread_time) if args.profile else None
        parts = PartClocks() if args.parts else None
        part_rounds: list[dict[str, float]] = []
        try:
            for round_index in range(args.rounds):
                bodies = window_bodies(station, args.events, round_index, args.protocol)
                settle_startup_heap(young_threshold=YOUNG_GC_THRESHOLD)  # as the hub does once its app is made
                collector.spent = 0.0
                if profiler is not None:
                    profiler.enable()
                if parts is not None:
                    parts.spent.clear()
                wall_started = time.perf_counter()
                spent, applied = apply_bodies(db, pusher, bodies)
                wall = time.perf_counter() - wall_started
                if parts is not None:
                    apply_parts = {part: seconds / args.events * 1e6 for part, seconds in parts.spent.items()}
                    apply_parts["apply_other"] = spent["apply"] / args.events * 1e6 - sum(apply_parts.values())
                    part_rounds.append(apply_parts)
                if profiler is not None:
                    profiler.disable()
                spent["total"] = sum(spent.values())
                if parts is not None:
                    parts.close()  # the catch-up's own refreshes are not the push's
                spent["catchup"], caught_up = catch_up_figures(db)
                spent["catchup_cases"] = caught_up
                if parts is not None:
                    parts = PartClocks()
                spent["gc"] = collector.spent
                spent["wall"] = wall  # with the database server's work and the waits for it
                rounds.append(spent)
                log(
                    f"round {round_index + 1}: {applied} applied in {len(bodies)} batches, "
                    + ", ".join(f"{k} {v:.3f}" for k, v in spent.items())
                )
        finally:
            if parts is not None:
                parts.close()
            db.dispose()
            station.close()
            hub.close()
    if profiler is not None:
        profiler.dump_stats(args.profile)
    result = {
        "hub": args.hub,
        "protocol": args.protocol,
        "events": args.events,
        "rounds": args.rounds,
        "batches": len(bodies),
    }
    for phase in (*PHASES, "total", "gc", "wall", "catchup"):
        result[f"{phase}_seconds"] = round(statistics.median(r[phase] for r in rounds), 3)
    # The background catch-up of the figures a round left due (h29-figlater; 0 before it),
    # CPU per case worked out, off the push's path.
    cases = statistics.median(r["catchup_cases"] for r in rounds)
    result["catchup_cases"] = cases
    result["catchup_us_per_case"] = round(result["catchup_seconds"] / cases * 1e6, 1) if cases else 0.0
    result["total_seconds_rounds"] = [round(r["total"], 3) for r in rounds]
    if part_rounds:
        names = sorted({name for r in part_rounds for name in r}, key=lambda name: -part_rounds[0].get(name, 0.0))
        result["parts"] = {name: round(statistics.median(r.get(name, 0.0) for r in part_rounds), 1) for name in names}
    result.update(python=platform.python_version(), cpus=os.cpu_count(), machine=platform.machine())
    for key, value in result.items():
        log(f"{key:>22}  {value}")
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
