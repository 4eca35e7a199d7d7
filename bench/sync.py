"""How fast a window's end-of-day push and its pull are, against the real hub process.

    python bench/sync.py --events 10000 --hub sqlite
    python bench/sync.py --events 100000 --hub postgresql [--database-url URL]
    python bench/sync.py --events 100000 --hub sqlite --pull-changes 100000
    python bench/sync.py --hub sqlite --workstations 200 --per-workstation 300
    python bench/sync.py --events 10000 --hub sqlite --rounds 5 --hub-workers 2

Starts ``windowdesk-hub serve`` as a separate process on loopback (SQLite in a temporary
folder, or a fresh PostgreSQL database created on the server of ``--database-url`` or
``WINDOWDESK_TEST_POSTGRES_URL`` and dropped afterwards) and seeds it with the
administrator's commands.

One window (default): a real encrypted workstation database (migrations with a key,
shipped catalog, ``configure_workstation``, enrollment with a real code, token in a
keyring), a few residents registered and one case accepted through the real services;
the case is then cloned (new ids and numbers, same shape: a case with its materials,
about 1.5 KB of JSON) into the outbox and the case tables until the outbox holds
``--events`` events. ``push_seconds``: the real ``SyncRunner`` pushing them all (its
batches, two on the wire once the hub allows it, its recording of the confirmed events); with
``--rounds R`` that is done R times on the same hub (new residents, cases and numbers
each round) and ``push_seconds`` is the median, ``push_seconds_rounds`` all of them.
``push_hub_cpu_seconds`` and ``push_client_cpu_seconds`` are the CPU the push cost the hub's
processes (from /proc, ``--hub-workers`` children included) and this process (the window),
medians over the rounds, and ``push_database_cpu_seconds`` that of a PostgreSQL server
running on this machine (its postmaster's process tree, when its data directory can be
read): steadier than wall time on a shared machine, and they tell which
side a push waits for. ``push_wal_bytes``: on PostgreSQL, the WAL a push wrote (median;
the server's whole WAL, so run nothing else on it), every byte synced before the push's
answers; ``--checkpoint`` forces a checkpoint before each round's push, as a hub that has
run a while has one between two pushes: each page's first change then writes its whole
page to the WAL (full-page images). ``status_seconds``: before each push, the status bar's count of
unsent and refused changes (what the window reads every 30 s), median over the rounds.
Then the hub publishes ``--pull-changes`` changes (back-office decisions on those cases,
through the hub's own services) and ``pull_seconds`` is the real ``SyncRunner`` pulling
and applying them (``pull_hub_cpu_seconds``, ``pull_client_cpu_seconds``: its CPU on
each side).

Burst (``--workstations W --per-workstation P``): W workstations are enrolled, then all
push P events each (residents and cases, batches of 200, each encoded once) at the same
moment with real ``HubClient`` instances, one thread per workstation, spread over a few
processes. A push the hub answers "busy" is sent again at the turn it names, as the window
does. Reports the p50/p99/max times of the pushes answered (``burst_p99_ms``), the busy
answers apart (``burst_busy_answers``, ``burst_busy_p99_ms``), when each window had all its
events stored (``burst_window_p50_seconds``, ``burst_window_p99_seconds``; the last one is
``burst_seconds``), the hub's CPU, and errors. ``--hub-push-room`` is passed to ``serve
--push-room`` (0: no turns, every push taken in at once).

A table goes to stderr; the last stdout line is one JSON object.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import datetime as dt
import json
import multiprocessing
import os
import platform
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import REPO_ROOT, ensure_importable, log, percentile

ensure_importable()
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))  # tests.sync.hub_process: the hub process and workstations

PUSH_BATCH = 200
ITEM = "MZ-002"
POSTGRES_ENV = "WINDOWDESK_TEST_POSTGRES_URL"


# --- the hub --------------------------------------------------------------------------


@contextlib.contextmanager
def hub_database(kind: str, url: str | None) -> Iterator[str | None]:
    if kind == "sqlite":
        yield None
        return
    from tests.sync.hub_process import fresh_postgres_database

    admin = url or os.environ.get(POSTGRES_ENV)
    if not admin:
        raise SystemExit(
            f"--hub postgresql needs --database-url or {POSTGRES_ENV} "
            '(eval "$(bash installer/ci-postgres.sh)" starts a server)'
        )
    with fresh_postgres_database(admin, "bench") as fresh:
        yield fresh


def database_server_pid(url: str | None) -> int | None:
    """The PostgreSQL server's postmaster, when it runs on this machine and its files can
    be read (its CPU and its backends' are then counted beside the hub's); else None."""
    if url is None:
        return None
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import DBAPIError

    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            data_directory = connection.scalar(text("SHOW data_directory"))
        return int((Path(data_directory) / "postmaster.pid").read_text().split()[0])
    except (DBAPIError, OSError, ValueError, IndexError):
        return None
    finally:
        engine.dispose()


def wal_position(hub) -> int | None:
    """Where the PostgreSQL server's WAL insert position is, in bytes (None on SQLite): the
    difference around a push is the WAL it wrote (the whole server's, so nothing else
    should run on it), all of it synced to the disk before the push's answers."""
    if hub.is_sqlite:
        return None
    return int(hub.scalar("SELECT pg_current_wal_insert_lsn() - '0/0'::pg_lsn"))


def checkpoint(hub) -> None:
    from sqlalchemy import text

    with hub.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("CHECKPOINT"))


def private_keyring(folder: Path) -> None:
    """The bench must not write into the user's keyring: a file keyring in the temp folder."""
    import keyring
    from keyrings.alt.file import PlaintextKeyring

    backend = PlaintextKeyring()
    backend.file_path = str(folder / "keyring.cfg")
    keyring.set_keyring(backend)


def enrolled_workstation(folder: Path, database_url: str | None) -> tuple[Any, Any, dict]:
    """A hub in ``folder / "hub"`` with the shipped catalog, and a workstation of center CH,
    window 01, enrolled in it through the real hub process (stopped again): the hub
    process (for its ``database_url``), the workstation and its enrollment's identity."""
    from tests.sync.hub_process import HubProcess, create_station

    private_keyring(folder)
    hub = HubProcess(folder / "hub", database_url)
    hub.import_catalog()
    code = hub.enrollment_code("CH", "01")
    hub.start()
    station = create_station(folder / "workstation", "CH", "01")
    try:
        identity = station.enroll(hub.url, code)
    finally:
        hub.stop()
    return hub, station, identity


def process_tree_cpu(pid: int) -> float | None:
    """CPU seconds (user + system) of a process and its children (the workers of
    ``serve --workers``), from /proc; None where there is no /proc."""
    tick = os.sysconf("SC_CLK_TCK")
    try:
        children = set()
        for task in Path(f"/proc/{pid}/task").iterdir():
            children.update(int(child) for child in (task / "children").read_text().split())
        total = 0.0
        for each in (pid, *children):
            fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
        return total
    except (OSError, ValueError, IndexError):
        return None


# --- one window: offline events -------------------------------------------------------


def make_events(station, count: int, round_index: int = 0) -> dict:
    """Real services for a few residents and one case, then clones of that case (new ids,
    numbers and applicants) in the outbox and the case tables, ``count`` events in all.
    Each round registers other residents and numbers its clones after the last round's."""
    from sqlalchemy import func, insert, select
    from tests.sync.hub_process import _id_number

    from windowdesk.domain.uuid7 import new_uuid
    from windowdesk.services import applicants, intake
    from windowdesk.services import catalog as catalog_service
    from windowdesk.storage import models as m

    pending = m.OutboxEvent.state == "pending"
    residents = [
        applicants.register_resident(station.db, station.ctx, id_number=_id_number(n), name=f"居民{n}").ref
        for n in range(200 * round_index + 1, 200 * round_index + max(5, min(200, count // 200)) + 1)
    ]
    guide = catalog_service.get_item_guide(station.db, item_code=ITEM)
    checks = [intake.MaterialCheck(mat.code, intake.RECEIVED) for mat in guide.materials]
    intake.accept_case(
        station.db,
        station.ctx,
        item_code=ITEM,
        applicant=residents[0],
        checks=checks,
        shipped_calendar=station.calendar,
    )
    with station.db.read() as session:
        # The pending ones: since client migration 0025 a round's confirmed events stay in
        # the outbox, marked sent, and the next round would count and copy them again.
        made = session.scalar(select(func.count()).select_from(m.OutboxEvent).where(pending))
        proto_event = session.scalars(select(m.OutboxEvent).where(m.OutboxEvent.kind == "case.accepted", pending)).one()
        proto = copy.deepcopy(proto_event.payload)
        case = session.get(m.Case, proto["id"])
        case_row = {c.key: getattr(case, c.key) for c in m.Case.__table__.columns}
        material_rows = [
            {c.key: getattr(mat, c.key) for c in m.CaseMaterial.__table__.columns} for mat in case.materials
        ]
        event_row = {c.key: getattr(case.events[0], c.key) for c in m.CaseEvent.__table__.columns}
    clones = max(0, count - made)
    first_clone = round_index * count
    now = dt.datetime.now(dt.UTC)
    first_day = dt.date.today() - dt.timedelta(days=1)
    sizes = []
    chunk = 5000
    for start in range(first_clone, first_clone + clones, chunk):
        outbox, cases, materials, events = [], [], [], []
        for i in range(start, min(first_clone + clones, start + chunk)):
            case_id = new_uuid()
            day = first_day - dt.timedelta(days=i // 9000)
            number = f"CH-{day:%Y%m%d}-01-{i % 9000 + 1:04d}"
            applicant = residents[i % len(residents)]
            payload = copy.deepcopy(proto)
            payload.update(id=case_id, number=number, applicant={"kind": applicant.kind, "id": applicant.id})
            for mat in payload["materials"]:
                mat["id"] = new_uuid()
            for ev in payload["events"]:
                ev["id"] = new_uuid()
            if i < first_clone + 200:
                sizes.append(len(json.dumps(payload, ensure_ascii=False).encode()))
            outbox.append(
                dict(
                    event_id=new_uuid(),
                    entity="case",
                    entity_id=case_id,
                    kind="case.accepted",
                    payload=payload,
                    created_at=now,
                    attempts=0,
                    state="pending",
                    last_error="",
                )
            )
            cases.append({**case_row, "id": case_id, "case_number": number, "resident_id": applicant.id})
            materials += [
                {**row, "id": mat["id"], "case_id": case_id}
                for row, mat in zip(material_rows, payload["materials"], strict=False)
            ]
            events.append({**event_row, "id": payload["events"][0]["id"], "case_id": case_id})
        with station.db.write() as session:
            session.execute(insert(m.Case.__table__), cases)
            session.execute(insert(m.CaseMaterial.__table__), materials)
            session.execute(insert(m.CaseEvent.__table__), events)
            session.execute(insert(m.OutboxEvent.__table__), outbox)
    with station.db.read() as session:
        total = session.scalar(select(func.count()).select_from(m.OutboxEvent).where(pending))
    return {
        "events": total,
        "cases": clones + 1,
        "residents": len(residents),
        "payload_bytes_avg": round(sum(sizes) / len(sizes)) if sizes else 0,
    }


def publish_decisions(hub, count: int) -> float:
    """``count`` back-office decisions on pushed cases, through the hub's own services,
    1,000 per transaction: first "request materials" on each case, then (when more are
    asked for than there are cases) "approve" on them. Returns the seconds it took."""
    from sqlalchemy import select

    from windowdesk.hub.services import backoffice
    from windowdesk.hub.storage.database import HubDatabase
    from windowdesk.hub.storage.models import Case, CatalogItem

    db = HubDatabase(hub.database_url)
    try:
        with db.read() as session:
            department = session.scalar(select(CatalogItem.department_code).where(CatalogItem.code == ITEM))
            case_ids = list(session.scalars(select(Case.id).where(Case.item_code == ITEM).order_by(Case.id)))
        assert count <= 2 * len(case_ids), f"only {len(case_ids)} cases to decide on"
        work = [(case_id, "request_materials") for case_id in case_ids[:count]]
        work += [(case_id, "approve") for case_id in case_ids[: count - len(work)]]
        started = time.perf_counter()
        now = dt.datetime.now(dt.UTC)
        for start in range(0, len(work), 1000):
            with db.write(feed=True) as session:
                for case_id, decision in work[start : start + 1000]:
                    backoffice.record_decision(
                        session,
                        case=backoffice.find_case(session, case_id=case_id),
                        decision=decision,
                        department=department,
                        note="请补充材料" if decision == "request_materials" else "准予办理",
                        now=now,
                    )
        return time.perf_counter() - started
    finally:
        db.dispose()


def hub_serve_args(args) -> list[str]:
    """``windowdesk-hub serve`` options for ``--hub-workers`` and ``--hub-push-room``."""
    workers = ["--workers", str(args.hub_workers)] if args.hub_workers > 1 else []
    room = ["--push-room", str(args.hub_push_room)] if args.hub_push_room is not None else []
    return workers + room


def run_window(args, folder: Path, hub) -> dict:
    from sqlalchemy import func, select
    from tests.sync.hub_process import create_station

    from windowdesk.services.sync import SyncRunner, sync_status
    from windowdesk.storage import models as m

    code = hub.enrollment_code("CH", "01")
    hub.start(serve_args=hub_serve_args(args))
    station = create_station(folder / "workstation", "CH", "01")
    try:
        station.enroll(hub.url, code)
        # When each phase began: (wall clock, the hub's CPU seconds, this process's CPU
        # seconds, the database server's CPU seconds when it can be read).
        marks: dict[str, tuple[float, float | None, float, float | None]] = {}
        server_pid = None if hub.is_sqlite else database_server_pid(hub.database_url)

        def reading() -> tuple[float, float | None, float, float | None]:
            return (
                time.perf_counter(),
                process_tree_cpu(hub.process.pid),
                time.process_time(),
                process_tree_cpu(server_pid) if server_pid is not None else None,
            )

        def progress(state) -> None:
            if state.phase not in marks:
                marks[state.phase] = reading()

        client = station.hub_client(timeout=(5.0, 120.0))
        try:
            pushes, cases, pushed = [], 0, 0
            hub_cpus: list[float] = []
            client_cpus: list[float] = []
            server_cpus: list[float] = []
            wal_bytes: list[int] = []
            statuses: list[float] = []
            for round_index in range(args.rounds):
                started = time.perf_counter()
                made = make_events(station, args.events, round_index)
                generate_seconds = time.perf_counter() - started
                log(f"made {made['events']} offline events in {generate_seconds:.1f} s")
                started = time.perf_counter()
                sync_status(station.db)  # what the status bar reads every 30 s
                statuses.append(time.perf_counter() - started)
                marks.clear()
                if args.checkpoint and not hub.is_sqlite:
                    # As on a hub that has run a while: the push's first change to each page
                    # since the last checkpoint writes the whole page to the WAL.
                    checkpoint(hub)
                wal_before = wal_position(hub)
                started, hub_cpu, client_cpu, server_cpu = reading()
                report = SyncRunner(station.db, client, retries=0).run(progress=progress)
                finished = time.perf_counter()
                assert report.ok, report.error
                assert report.applied == made["events"], report
                pushed_at, hub_after, client_after, server_after = marks["pull"]  # the push is over
                if wal_before is not None:  # the first pull (nothing to pull) writes next to no WAL
                    wal_bytes.append(wal_position(hub) - wal_before)
                    log(f"WAL {wal_bytes[-1] / 1e6:.1f} MB (from {wal_before:X})")
                pushes.append(pushed_at - started)
                if hub_cpu is not None and hub_after is not None:
                    hub_cpus.append(hub_after - hub_cpu)
                client_cpus.append(client_after - client_cpu)
                if server_cpu is not None and server_after is not None:
                    server_cpus.append(server_after - server_cpu)
                first_pull_seconds = finished - pushed_at
                cases += made["cases"]
                pushed += made["events"]
                log(f"pushed {report.applied} events in {pushes[-1]:.2f} s")
            push_seconds = statistics.median(pushes)

            changes = args.pull_changes if args.pull_changes is not None else made["cases"]
            changes = min(changes, 2 * cases)
            publish_seconds = publish_decisions(hub, changes)
            log(f"published {changes} decisions in {publish_seconds:.1f} s")
            marks.clear()
            started, hub_cpu, client_cpu, _server = reading()
            report = SyncRunner(station.db, client, retries=0).run(progress=progress)
            finished, hub_after, client_after, _server = reading()
            pull_seconds = finished - started
            pull_hub_cpu = hub_after - hub_cpu if hub_cpu is not None and hub_after is not None else None
            pull_client_cpu = client_after - client_cpu
            assert report.ok, report.error
            assert report.pulled == changes, report
        finally:
            client.close()
        with station.db.read() as session:
            applied = session.scalar(select(func.count()).select_from(m.CaseEvent).where(m.CaseEvent.source == "hub"))
        assert applied == changes, (applied, changes)
        on_hub = hub.scalar("SELECT count(*) FROM pushed_events")
        assert on_hub == pushed, (on_hub, pushed)
        return {
            "events": made["events"],
            "cases": made["cases"],
            "payload_bytes_avg": made["payload_bytes_avg"],
            "push_seconds": round(push_seconds, 3),
            "push_seconds_rounds": [round(seconds, 3) for seconds in pushes],
            # CPU seconds of the push, medians: the hub's processes and this (the window's) process.
            "push_hub_cpu_seconds": round(statistics.median(hub_cpus), 3) if hub_cpus else None,
            "push_client_cpu_seconds": round(statistics.median(client_cpus), 3),
            # PostgreSQL on this machine: its server's processes (backends, WAL writer, ...).
            "push_database_cpu_seconds": round(statistics.median(server_cpus), 3) if server_cpus else None,
            # PostgreSQL: the WAL a push wrote (bytes, median; every byte synced before its answer).
            "push_wal_bytes": round(statistics.median(wal_bytes)) if wal_bytes else None,
            "push_events_per_second": round(made["events"] / push_seconds),
            # The status bar's count of unsent and refused changes with the events unsent, median.
            "status_seconds": round(statistics.median(statuses), 4),
            "pull_changes": changes,
            "pull_seconds": round(pull_seconds, 3),
            "pull_changes_per_second": round(changes / pull_seconds) if pull_seconds else None,
            "pull_hub_cpu_seconds": round(pull_hub_cpu, 3) if pull_hub_cpu is not None else None,
            "pull_client_cpu_seconds": round(pull_client_cpu, 3),
            "first_pull_seconds": round(first_pull_seconds, 3),
            "generate_seconds": round(generate_seconds, 1),
            "publish_seconds": round(publish_seconds, 1),
        }
    finally:
        station.close()


# --- the burst: many windows at once ----------------------------------------------------


def _prototypes(folder: Path) -> tuple[dict, dict]:
    """A resident registration and a case acceptance payload, as the real services make them."""
    from tests.sync.hub_process import _id_number, create_station

    from windowdesk.services import applicants, intake
    from windowdesk.services import catalog as catalog_service
    from windowdesk.storage import models as m

    station = create_station(folder / "prototype", "CH", "01")
    try:
        person = applicants.register_resident(station.db, station.ctx, id_number=_id_number(1), name="居民1").ref
        guide = catalog_service.get_item_guide(station.db, item_code=ITEM)
        checks = [intake.MaterialCheck(mat.code, intake.RECEIVED) for mat in guide.materials]
        intake.accept_case(
            station.db, station.ctx, item_code=ITEM, applicant=person, checks=checks, shipped_calendar=station.calendar
        )
        with station.db.read() as session:
            rows = {r.kind: copy.deepcopy(r.payload) for r in session.query(m.OutboxEvent)}
        return rows["resident.registered"], rows["case.accepted"]
    finally:
        station.close()


def _events_of(slot: int, center: str, window_id: str, count: int, resident: dict, case: dict) -> list[dict]:
    from windowdesk.domain.uuid7 import new_uuid

    now = dt.datetime.now(dt.UTC).isoformat()
    day = dt.date.today() - dt.timedelta(days=1 + slot)
    events, people, seq = [], [], 0

    def event(kind: str, entity: str, entity_id: str, payload: dict) -> None:
        events.append(
            {
                "event_id": new_uuid(),
                "seq": len(events) + 1,
                "entity": entity,
                "entity_id": entity_id,
                "kind": kind,
                "payload": payload,
                "created_at": now,
            }
        )

    while len(events) < count:
        if len(events) % 5 == 0:
            payload = {**resident, "id": new_uuid(), "center": center}
            people.append(payload["id"])
            event("resident.registered", "resident", payload["id"], payload)
            continue
        seq += 1
        payload = copy.deepcopy(case)
        payload.update(
            id=new_uuid(),
            number=f"{window_id[:-3]}-{day:%Y%m%d}-{window_id[-2:]}-{seq:04d}",
            center=center,
            window=window_id,
            applicant={"kind": "resident", "id": people[-1]},
        )
        for mat in payload["materials"]:
            mat["id"] = new_uuid()
        event("case.accepted", "case", payload["id"], payload)
    return events


def _burst_worker(
    url: str, jobs: list[tuple], resident: dict, case: dict, per_workstation: int, start_at: float
) -> dict:
    """One process: one thread per workstation, all starting at ``start_at``."""
    import random

    import requests

    from windowdesk.services.sync import TURN_LATENESS
    from windowdesk.sync.client import HubBusy, HubClient
    from windowdesk.sync.protocol import EncodedPush

    prepared = [
        (token, _events_of(slot, center, window_id, per_workstation, resident, case))
        for slot, token, center, window_id in jobs
    ]
    latencies: list[float] = []
    busy: list[float] = []
    errors: list[str] = []
    finish: list[float] = []
    lock = threading.Lock()

    def work(token: str, events: list[dict]) -> None:
        session = requests.Session()
        adapter = requests.adapters.HTTPAdapter(pool_connections=1, pool_maxsize=1)
        session.mount("http://", adapter)
        client = HubClient(url, token, session=session, timeout=(10.0, 120.0))
        try:
            time.sleep(max(0.0, start_at - time.time()))
            for start in range(0, len(events), PUSH_BATCH):
                batch = events[start : start + PUSH_BATCH]
                # Encoded once, sent again as it is at its turn, as the window does.
                encoded = EncodedPush(
                    json.dumps({"events": batch}, ensure_ascii=False).encode(),
                    tuple(event["event_id"] for event in batch),
                )
                while True:
                    began = time.perf_counter()
                    try:
                        results = client.push_encoded(encoded).results
                    except HubBusy as turn:  # as the window does: the same batch again at its turn
                        with lock:
                            busy.append(time.perf_counter() - began)
                        time.sleep(turn.retry_after + random.uniform(0.0, TURN_LATENESS))
                        continue
                    except Exception as exc:  # noqa: BLE001 - counted and reported
                        with lock:
                            errors.append(f"{type(exc).__name__}: {getattr(exc, 'message', exc)}")
                        results = None
                    break
                if results is None:
                    continue
                took = time.perf_counter() - began
                bad = [r for r in results if r.status != "applied"]
                with lock:
                    latencies.append(took)
                    if bad:
                        errors.append(f"{len(bad)} not applied: {bad[0].status} {bad[0].reason[:100]}")
        finally:
            client.close()
            with lock:
                finish.append(time.time())

    threads = [threading.Thread(target=work, args=job) for job in prepared]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"latencies": latencies, "busy": busy, "errors": errors, "finishes": finish}


def run_burst(args, folder: Path, hub) -> dict:
    from windowdesk.domain.catalog import load_catalog
    from windowdesk.hub.services import enrollment
    from windowdesk.hub.storage.database import HubDatabase
    from windowdesk.paths import resources_dir
    from windowdesk.sync.client import HubClient

    windows = [
        (center.code, window.code)
        for center in load_catalog(resources_dir() / "catalog").centers
        for window in center.windows
    ]
    db = HubDatabase(hub.database_url)
    try:
        now = dt.datetime.now(dt.UTC)
        with db.write() as session:
            codes = [
                (slot, enrollment.issue_enrollment_code(session, center_code=c, window=w, now=now).code, c, f"{c}-{w}")
                for slot, (c, w) in enumerate(windows[i % len(windows)] for i in range(args.workstations))
            ]
    finally:
        db.dispose()
    # All windows enroll at once here.
    hub.start(serve_args=["--enroll-limit", f"{args.workstations + 10}/minute", *hub_serve_args(args)])
    client = HubClient(hub.url)
    try:
        jobs = [(slot, client.enroll(code)["token"], center, window_id) for slot, code, center, window_id in codes]
    finally:
        client.close()
    resident, case = _prototypes(folder)
    processes = max(1, min(args.processes, args.workstations))
    shares = [jobs[i::processes] for i in range(processes)]
    start_at = time.time() + 3.0 + 0.02 * args.workstations
    context = multiprocessing.get_context("spawn")
    with context.Pool(processes) as pool:
        pending = [
            pool.apply_async(_burst_worker, (hub.url, share, resident, case, args.per_workstation, start_at))
            for share in shares
        ]
        hub_cpu_before = process_tree_cpu(hub.process.pid)
        results = [p.get(timeout=1800) for p in pending]
        hub_cpu_after = process_tree_cpu(hub.process.pid)
    latencies = [x for r in results for x in r["latencies"]]
    busy = [x for r in results for x in r["busy"]]
    errors = [e for r in results for e in r["errors"]]
    windows = [finish - start_at for r in results for finish in r["finishes"]]
    seconds = max(windows)
    events = args.workstations * args.per_workstation
    on_hub = hub.scalar("SELECT count(*) FROM pushed_events WHERE status = 'applied'")
    return {
        "events": events,
        "workstations": args.workstations,
        "per_workstation": args.per_workstation,
        "burst_seconds": round(seconds, 3),
        "burst_events_per_second": round(events / seconds) if seconds > 0 else None,
        "burst_requests": len(latencies),
        "burst_errors": len(errors),
        "burst_error_samples": errors[:5],
        "burst_p50_ms": round(percentile(latencies, 50) * 1000, 1) if latencies else None,
        "burst_p99_ms": round(percentile(latencies, 99) * 1000, 1) if latencies else None,
        "burst_max_ms": round(max(latencies) * 1000, 1) if latencies else None,
        "burst_busy_answers": len(busy),
        "burst_busy_p99_ms": round(percentile(busy, 99) * 1000, 1) if busy else None,
        "burst_window_p50_seconds": round(percentile(windows, 50), 3),
        "burst_window_p99_seconds": round(percentile(windows, 99), 3),
        "burst_hub_cpu_seconds": (
            round(hub_cpu_after - hub_cpu_before, 2)
            if hub_cpu_before is not None and hub_cpu_after is not None
            else None
        ),
        "burst_applied_on_hub": on_hub,
        "client_processes": processes,
        # Push and pull of one window are not measured in this mode.
        "push_seconds": round(seconds, 3),
        "pull_seconds": None,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=10_000, help="offline events of one window (default 10,000)")
    parser.add_argument("--hub", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument(
        "--database-url", default=None, help=f"PostgreSQL server to make a fresh database on (default ${POSTGRES_ENV})"
    )
    parser.add_argument(
        "--pull-changes", type=int, default=None, help="changes the hub publishes for the pull (default: one per case)"
    )
    parser.add_argument("--workstations", type=int, default=0, help="burst mode: this many workstations push at once")
    parser.add_argument("--per-workstation", type=int, default=300, help="burst mode: events per workstation")
    parser.add_argument(
        "--processes", type=int, default=4, help="burst mode: client processes (threads spread over them)"
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="push that many times --events (new cases each round); push_seconds is their median",
    )
    parser.add_argument(
        "--checkpoint",
        action="store_true",
        help="PostgreSQL: a CHECKPOINT before each round's push (its pages' first changes then write full-page images)",
    )
    parser.add_argument("--hub-workers", type=int, default=1, help="hub processes (windowdesk-hub serve --workers)")
    parser.add_argument(
        "--hub-push-room",
        type=float,
        default=None,
        help="windowdesk-hub serve --push-room (default: the hub's; 0: no turns)",
    )
    args = parser.parse_args(argv)
    from tests.sync.hub_process import HubProcess

    from windowdesk.i18n import set_locale

    set_locale("en")
    with tempfile.TemporaryDirectory(prefix="wd-bench-sync-") as tmp, hub_database(args.hub, args.database_url) as url:
        folder = Path(tmp)
        private_keyring(folder)
        hub = HubProcess(folder / "hub", url)
        try:
            hub.import_catalog()
            result = run_burst(args, folder, hub) if args.workstations else run_window(args, folder, hub)
        finally:
            hub.close()
    result = {
        "hub": args.hub,
        "hub_workers": args.hub_workers,
        "hub_push_room": args.hub_push_room,
        **result,
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "machine": platform.machine(),
    }
    for key, value in result.items():
        log(f"{key:>26}  {value}")
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
