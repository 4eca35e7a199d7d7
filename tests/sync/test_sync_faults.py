"""Nothing done offline is lost or duplicated, whatever the network and the processes do.

10,000 events made offline on three workstations (CH/01, CH/02 with its clock 7 hours
ahead, JD01/01 with its clock 9 hours behind) through the real services, synced with
the real hub process through a fault-injecting proxy of the tests' own
(tests/sync/faultproxy.py): connections cut mid-request and mid-reply, replies lost
after the hub committed, truncated, malformed and garbage replies, 500/503 answers,
slow links and stalls past the client's timeout, the same batch delivered twice (one
after the other and at the same time), the hub SIGKILLed mid-push and restarted, and
CH/01 syncing in a child process that is SIGKILLed mid-push, mid-pull and at a random
moment, then started again. Meanwhile the hub publishes calendar overrides,
back-office decisions (``windowdesk-hub decide``) on cases already pushed and a new
catalog version.

While it runs, nothing may leave a client's outbox that the hub does not hold. After
the network heals and sync completes: every event is on the hub exactly once, every
change is applied on every client exactly once, and the cursors agree with the hub.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import datetime as dt
import json
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import keyring
import pytest

from windowdesk.paths import resources_dir
from windowdesk.services import sync as sync_service
from windowdesk.storage import models as m
from windowdesk.storage.crypto import new_key

from .faultproxy import Fault, FaultPlan, FaultProxy, Request
from .hub_process import (
    REPO_ROOT,
    HubProcess,
    Station,
    child_env,
    copy_station,
    fresh_postgres_database,
    postgres_admin_url,
)

# (center, window, clock offset in hours, events in the big set): 10,000 in all.
WORKSTATIONS = (("CH", "01", 0.0, 3334), ("CH", "02", 7.0, 3333), ("JD01", "01", -9.0, 3333))
SMALL_EVENTS = 400  # per workstation, for the PostgreSQL run
NEW_CATALOG_VERSION = "2026.12-sync-faults"
RENAMED_ITEM = "MZ-002"
CHILD = "CH-01"  # the workstation that syncs in a child process, killed on purpose

# Every fault the plan injects at least once, in this order, then at random.
SCRIPTED = [
    Fault.DROP_REQUEST,
    Fault.LOSE_REPLY,
    Fault.DROP_REPLY,
    Fault.TRUNCATE,
    Fault.GARBAGE,
    Fault.BAD_JSON,
    Fault.ERROR_500,
    Fault.ERROR_503,
    Fault.ERROR_503_AFTER,
    Fault.DUPLICATE,
    Fault.DUPLICATE_CONCURRENT,
    Fault.SLOW,
    Fault.STALL,
    Fault.LOSE_REPLY,
    Fault.DUPLICATE_CONCURRENT,
    Fault.TRUNCATE,
]
RANDOM = (
    Fault.DROP_REQUEST,
    Fault.LOSE_REPLY,
    Fault.DROP_REPLY,
    Fault.TRUNCATE,
    Fault.GARBAGE,
    Fault.BAD_JSON,
    Fault.ERROR_500,
    Fault.ERROR_503,
    Fault.ERROR_503_AFTER,
    Fault.DUPLICATE,
    Fault.DUPLICATE_CONCURRENT,
    Fault.SLOW,
    Fault.SLOW,
    Fault.SLOW,
)
CLIENT_TIMEOUT = (2.0, 3.0)
STALL_SECONDS = 3.5


# --- offline work, made once per session in three child processes -------------------


@dataclass(frozen=True)
class Templates:
    big: tuple[Station, ...]
    small: tuple[Station, ...]
    counts: dict[str, dict]


@pytest.fixture(scope="session")
def offline_work(tmp_path_factory: pytest.TempPathFactory) -> Templates:
    """The three workstations' databases with their offline work (closed templates,
    copied by each test), generated in parallel through the real services."""
    root = tmp_path_factory.mktemp("offline-work")
    jobs = []
    for index, (center, window, offset, events) in enumerate(WORKSTATIONS):
        key = new_key()
        folder = root / f"{center}-{window}"
        command = [
            sys.executable,
            "-m",
            "tests.sync.hub_process",
            "generate",
            "--folder",
            str(folder),
            "--key-hex",
            key.hex(),
            "--center",
            center,
            "--window",
            window,
            "--clock-offset-hours",
            str(offset),
            "--events",
            str(events),
            "--snapshot-after",
            str(SMALL_EVENTS),
            "--seed",
            str(100 + index),
        ]
        process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=child_env(), cwd=REPO_ROOT
        )
        jobs.append((center, window, offset, key, folder, process))
    big, small, counts = [], [], {}
    try:
        for center, window, offset, key, folder, process in jobs:
            out, err = process.communicate(timeout=240)
            assert process.returncode == 0, err[-3000:]
            counts[f"{center}-{window}"] = json.loads(out.strip().splitlines()[-1])
            big.append(Station(center, window, folder / "work", key, offset))
            small.append(Station(center, window, folder / "snapshot", key, offset))
    finally:
        for *_rest, process in jobs:
            if process.poll() is None:
                process.kill()
                process.wait()
    assert 10_000 <= sum(c["events"] for c in counts.values()) < 10_010
    return Templates(tuple(big), tuple(small), counts)


# --- the scenario -----------------------------------------------------------------------


@dataclass
class Scenario:
    hub: HubProcess
    proxy: FaultProxy
    stations: dict[str, Station]
    created: dict[str, list[str]]  # station -> every event id it made, in outbox order
    tokens: dict[str, str]  # token -> station
    folder: Path
    seed: int
    violations: list[str] = field(default_factory=list)
    invariant_checks: int = 0
    reports: Counter = field(default_factory=Counter)
    child_kills: int = 0
    child_starts: int = 0
    published: Counter = field(default_factory=Counter)
    restarter: threading.Thread | None = None
    hub_down: threading.Event = field(default_factory=threading.Event)
    abort: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def confirmed(self, station: Station) -> dict[str, str]:
        return dict(
            self.hub.rows(
                "SELECT event_id, status FROM pushed_events WHERE workstation_id = :ws",
                ws=station.workstation_id,
            )
        )

    def check_nothing_deleted_unconfirmed(self) -> None:
        """Read each outbox first, then the hub: an event gone from the outbox must be
        there (it can only have been deleted after the hub's answer)."""
        for name, station in self.stations.items():
            outbox = station.outbox()
            hub_has = self.confirmed(station)
            gone = [e for e in self.created[name] if e not in outbox]
            missing = [e for e in gone if e not in hub_has]
            if missing:
                self.violations.append(f"{name}: {len(missing)} events deleted but not on the hub, e.g. {missing[:3]}")
            self.invariant_checks += 1


def _new_catalog(folder: Path) -> Path:
    target = folder / "catalog-next"
    shutil.copytree(resources_dir() / "catalog", target)
    items_path = target / "items.json"
    items = json.loads(items_path.read_text(encoding="utf-8"))
    items["version"] = NEW_CATALOG_VERSION
    items["published_at"] = "2026-12-01"
    for item in items["items"]:
        if item["code"] == RENAMED_ITEM:
            item["name"] = item["name"] + "（2026年12月版）"
    items_path.write_text(json.dumps(items, ensure_ascii=False, indent=1), encoding="utf-8")
    return target


def _publisher_actions(scenario: Scenario, catalog_folder: Path) -> list:
    """What the hub publishes while the windows sync: (label, callable -> bool done)."""
    hub = scenario.hub
    actions: list = []
    start = dt.date(2027, 1, 4)
    for offset, working in ((0, False), (1, True), (2, False), (0, True), (3, False)):
        day = start + dt.timedelta(days=offset)
        flag = "--working" if working else "--holiday"

        def override(day=day, flag=flag, n=len(actions)) -> bool:  # noqa: B008 - binds this action's number
            hub.cli("calendar-override", day.isoformat(), flag, "--note", f"sync-faults #{n}")
            return True

        actions.append(("calendar", override))
    decided: set[str] = set()
    plans = {
        "CH-01": ["approve", "reject", "request_materials", "approve", "request_materials+approve"],
        "CH-02": ["approve", "request_materials+approve", "reject", "approve"],
        "JD01-01": ["approve", "reject", "request_materials+approve"],
    }
    for window, decisions in plans.items():
        for decision in decisions:

            def decide(window=window, decision=decision) -> bool:
                rows = hub.rows(
                    "SELECT c.case_number, i.department_code FROM cases c JOIN catalog_items i ON i.code = c.item_code "
                    "WHERE c.window_id = :w AND c.status = 'accepted' ORDER BY c.received_at LIMIT 50",
                    w=window,
                )
                rows = [r for r in rows if r[0] not in decided]
                if not rows:
                    return False  # nothing of that window pushed yet: try again later
                number, department = rows[0]
                decided.add(number)
                for step in decision.split("+"):
                    hub.cli(
                        "decide", number, "--decision", step, "--department", department, "--note", f"{step} (test)"
                    )
                    scenario.published["decision"] += 1
                return True

            actions.append((f"decide {window}", decide))
    actions.insert(4, ("catalog", lambda: bool(hub.import_catalog(catalog_folder))))
    return actions


def _start_child(scenario: Scenario, station: Station, keyring_file: str) -> subprocess.Popen:
    command = [
        sys.executable,
        "-m",
        "tests.sync.hub_process",
        "sync",
        "--folder",
        str(station.folder),
        "--key-hex",
        station.key.hex(),
        "--center",
        station.center,
        "--window",
        station.window,
        "--clock-offset-hours",
        str(station.clock_offset_hours),
        "--keyring-file",
        keyring_file,
        "--push-batch",
        "100",
        "--pull-page",
        "7",
        "--retries",
        "3",
        "--backoff",
        "0.02",
        "--connect-timeout",
        str(CLIENT_TIMEOUT[0]),
        "--read-timeout",
        str(CLIENT_TIMEOUT[1]),
        "--deadline",
        "120",
    ]
    scenario.child_starts += 1
    log = (scenario.folder / f"child-{scenario.child_starts}.out").open("w")
    try:
        return subprocess.Popen(
            command, stdout=log, stderr=subprocess.STDOUT, text=True, env=child_env(), cwd=REPO_ROOT
        )
    finally:
        log.close()


def _sync_until_done(scenario: Scenario, station: Station, stop: threading.Event, deadline: float) -> None:
    """The background sync of one in-process workstation: a pass, a short pause, again,
    until its outbox is empty and the test says the hub has stopped publishing."""
    while time.monotonic() < deadline and not scenario.abort.is_set():
        client = station.hub_client(timeout=CLIENT_TIMEOUT)
        try:
            report = station.runner(client, retries=3, backoff_base=0.02, backoff_cap=0.2, pull_page=7).run()
        finally:
            client.close()
        with scenario.lock:
            scenario.reports["applied"] += report.applied
            scenario.reports["duplicates"] += report.duplicates
            scenario.reports["rejected"] += len(report.rejected)
            scenario.reports["failed passes"] += 0 if report.ok else 1
        if report.ok and stop.is_set() and sync_service.sync_status(station.db).pending == 0:
            return
        stop.wait(0.1)
    raise AssertionError(f"{station.name} did not finish syncing in time (or the test gave up)")


def run_fault_scenario(
    tmp_path: Path, hub: HubProcess, templates: tuple[Station, ...], *, seed: int, deadline_s: float, in_flight: int = 1
) -> Scenario:
    """``in_flight``: batches the hub lets each window keep on the wire (its --push-in-flight)."""
    deadline = time.monotonic() + deadline_s
    rng = random.Random(seed)
    hub.import_catalog()
    codes = {f"{t.center}-{t.window}": hub.enrollment_code(t.center, t.window) for t in templates}
    hub.start(serve_args=["--push-in-flight", str(in_flight)])
    proxy = FaultProxy(hub.port, stall_seconds=STALL_SECONDS)
    stations: dict[str, Station] = {}
    try:
        for template in templates:
            station = copy_station(template, tmp_path / template.name)
            stations[station.name] = station
            station.enroll(proxy.url, codes[station.name])
        created = {}
        for name, station in stations.items():
            with station.db.read() as session:
                created[name] = [e for (e,) in session.query(m.OutboxEvent.event_id).order_by(m.OutboxEvent.seq)]
        scenario = Scenario(hub, proxy, stations, created, {s.token(): n for n, s in stations.items()}, tmp_path, seed)
        _run(scenario, rng, deadline)
        return scenario
    finally:
        proxy.close()
        for station in stations.values():
            station.close()


def _child_totals(scenario: Scenario) -> Counter:
    totals: Counter = Counter()
    for output in scenario.folder.glob("child-*.out"):
        for line in output.read_text(errors="replace").splitlines():
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            if "round" in entry:
                totals["applied"] += entry["applied"]
                totals["duplicates"] += entry["duplicates"]
    return totals


def _run(scenario: Scenario, rng: random.Random, deadline: float) -> None:
    hub, proxy, stations = scenario.hub, scenario.proxy, scenario.stations
    child_station = stations[CHILD]
    child_token = child_station.token()
    keyring_file = keyring.get_keyring().file_path
    plan = FaultPlan(script=list(SCRIPTED), random_faults=RANDOM, rate=0.3, seed=scenario.seed)
    seen = Counter()
    child: dict[str, subprocess.Popen | None] = {"process": None}

    def restart_hub() -> None:
        try:
            time.sleep(0.3)  # the hub stays down a moment: the windows find it gone
            proxy.set_upstream_port(int(hub.restart().rsplit(":", 1)[1]))
        finally:
            scenario.hub_down.clear()

    def kill_hub(request: Request) -> None:
        time.sleep(rng.uniform(0.0, 0.03))  # somewhere while it applies the batch
        hub.kill()
        scenario.restarter = threading.Thread(target=restart_hub, name="hub-restarter")
        scenario.restarter.start()

    def kill_client(request: Request) -> None:
        if request.number:  # killed while it records the answer or applies the page
            time.sleep(rng.uniform(0.0, 0.03))
        process = child["process"]
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=10)
            scenario.child_kills += 1

    proxy.hooks = {Fault.KILL_HUB: kill_hub, Fault.KILL_CLIENT: kill_client, Fault.KILL_CLIENT_AFTER: kill_client}

    def decide(request: Request) -> Fault:
        if not request.path.endswith(("/push", "/changes")):
            return Fault.NONE
        kind = "push" if request.path.endswith("/push") else "pull"
        if request.token == child_token and not scenario.hub_down.is_set():
            start = scenario.child_starts
            seen[(start, kind)] += 1
            if (start, kind, seen[(start, kind)]) == (1, "push", 3):
                return Fault.KILL_CLIENT  # the hub committed; the child never reads the answer
            if (start, kind, seen[(start, kind)]) == (2, "push", 2):
                return Fault.KILL_CLIENT_AFTER  # killed while it records the answer
            if (start, kind, seen[(start, kind)]) == (3, "pull", 1):
                return Fault.KILL_CLIENT_AFTER  # killed while it applies a page of changes
        elif kind == "push":
            seen["push"] += 1
            if seen["push"] in (4, 30) and not scenario.hub_down.is_set():
                scenario.hub_down.set()
                return Fault.KILL_HUB
        if scenario.hub_down.is_set():
            return Fault.NONE
        return plan(request)

    proxy.decide = decide
    catalog_folder = _new_catalog(scenario.folder)
    actions = _publisher_actions(scenario, catalog_folder)
    stop = threading.Event()
    in_process = [s for n, s in stations.items() if n != CHILD]
    with concurrent.futures.ThreadPoolExecutor(max_workers=len(in_process)) as pool:
        futures = [pool.submit(_sync_until_done, scenario, s, stop, deadline) for s in in_process]
        try:
            child["process"] = _start_child(scenario, child_station, keyring_file)
            while time.monotonic() < deadline:
                process = child["process"]
                if process is not None and process.poll() is not None:
                    output = (scenario.folder / f"child-{scenario.child_starts}.out").read_text(errors="replace")
                    if process.returncode == 0:
                        child["process"] = None
                    else:
                        assert process.returncode == -signal.SIGKILL, f"the sync child failed: {output[-2000:]}"
                        scenario.check_nothing_deleted_unconfirmed()
                        child["process"] = _start_child(scenario, child_station, keyring_file)
                if actions:
                    label, action = actions[0]
                    if action():
                        actions.pop(0)
                        scenario.published[label.split()[0]] += 1
                    else:
                        actions.append(actions.pop(0))
                scenario.check_nothing_deleted_unconfirmed()
                assert not hub.unexpected_errors(), hub.unexpected_errors()
                for future in futures:
                    if future.done():
                        future.result()  # a worker that failed fails the test now
                if not actions and child["process"] is None and plan.script_done:
                    break
                time.sleep(0.2)
            else:
                raise AssertionError(
                    f"the scenario did not finish in time; still to publish: {[a[0] for a in actions]}, "
                    f"child starts {scenario.child_starts}, script done {plan.script_done}"
                )
            # The network heals: the windows finish their passes without faults.
            proxy.heal()
            if scenario.restarter is not None:
                scenario.restarter.join(timeout=60)
            assert hub.alive(), hub.log_tail()
            stop.set()
            for future in futures:
                future.result(timeout=max(1.0, deadline - time.monotonic()))
        except BaseException:
            scenario.abort.set()
            raise
        finally:
            stop.set()
            process = child["process"]
            if process is not None and process.poll() is None:
                process.kill()
                process.wait()
            if scenario.restarter is not None:
                scenario.restarter.join(timeout=60)
    scenario.check_nothing_deleted_unconfirmed()
    scenario.reports.update(_child_totals(scenario))
    # Last passes, in this process, on the healed network: the first catches up, the
    # second must find nothing to send or apply and moves each cursor to the hub's last seq.
    for final in (1, 2):
        for station in stations.values():
            client = station.hub_client()
            try:
                report = station.runner(client).run()
            finally:
                client.close()
            assert report.ok, report.error
            if final == 2:
                assert (report.applied, report.duplicates, report.pulled, report.rejected) == (0, 0, 0, []), (
                    station.name
                )


def _utc(value) -> dt.datetime:
    return dt.datetime.fromisoformat(value) if isinstance(value, str) else value


def verify(scenario: Scenario) -> None:
    hub, stations = scenario.hub, scenario.stations
    assert not scenario.violations, scenario.violations
    assert scenario.invariant_checks > 20

    # Every event is on the hub exactly once, and nothing is left on the clients.
    assert hub.scalar("SELECT count(*) FROM pushed_events") == sum(len(ids) for ids in scenario.created.values())
    for name, station in stations.items():
        on_hub = scenario.confirmed(station)
        assert set(on_hub) == set(scenario.created[name]), name
        assert set(on_hub.values()) == {"applied"}, f"{name}: {Counter(on_hub.values())}"
        assert station.outbox() == {}, f"{name} still holds {len(station.outbox())} events"
        with station.db.read() as session:
            local = {
                "cases": session.query(m.Case).count(),
                "notifications": session.query(m.OneTimeNotification).count(),
                "refusals": session.query(m.Refusal).count(),
            }
        for table, count in local.items():
            assert hub.scalar(f"SELECT count(*) FROM {table} WHERE window_id = :w", w=name) == count, (name, table)
    assert (
        hub.rows("SELECT case_id FROM case_events WHERE kind = 'accepted' GROUP BY case_id HAVING count(*) > 1") == []
    )
    assert hub.scalar("SELECT count(*) FROM case_events WHERE kind = 'accepted'") == hub.scalar(
        "SELECT count(*) FROM cases"
    )

    # The client clocks were hours off: the hub kept their times and ordered by arrival.
    for name, station in stations.items():
        skews = [
            (_utc(received) - _utc(created)).total_seconds() / 3600
            for created, received in hub.rows(
                "SELECT created_at, received_at FROM pushed_events WHERE workstation_id = :ws",
                ws=station.workstation_id,
            )
        ]
        assert all(abs(skew + station.clock_offset_hours) < 1.0 for skew in skews), name

    # Every change is applied on every client exactly once.
    calendar = {
        day if isinstance(day, dt.date) else dt.date.fromisoformat(day): (bool(w), note)
        for day, w, note in hub.rows("SELECT day, is_working_day, note FROM calendar_overrides")
    }
    assert len(calendar) == 4
    decisions = Counter(e for (e,) in hub.rows("SELECT entity_id FROM changes WHERE kind = 'case.decision'"))
    assert sum(decisions.values()) == scenario.published["decision"] >= 12
    hub_status = dict(hub.rows("SELECT id, status FROM cases"))
    last_seq = hub.scalar("SELECT max(seq) FROM changes")
    cursors = set()
    for name, station in stations.items():
        with station.db.read() as session:
            local_calendar = {r.day: (r.is_working_day, r.note) for r in session.query(m.CalendarOverride)}
            assert local_calendar == calendar, name
            local_decisions = Counter(
                case_id
                for (case_id,) in session.query(m.CaseEvent.case_id).filter(
                    m.CaseEvent.source == "hub", m.CaseEvent.kind.like("decision.%")
                )
            )
            cases = dict(session.query(m.Case.id, m.Case.status))
            items = {
                code: (name, version)
                for code, name, version in session.query(
                    m.CatalogItem.code, m.CatalogItem.name, m.CatalogItem.catalog_version
                ).filter_by(active=True)
            }
        assert local_decisions == Counter({c: n for c, n in decisions.items() if c in cases}), name
        assert local_decisions, f"{name} received no decision"
        assert {c: hub_status[c] for c in cases} == cases, f"{name}: case statuses differ from the hub's"
        assert {version for _name, version in items.values()} == {NEW_CATALOG_VERSION}, name
        assert items[RENAMED_ITEM][0].endswith("（2026年12月版）")
        cursor = sync_service.sync_status(station.db).cursor
        visible = hub.scalar(
            "SELECT max(seq) FROM changes WHERE center_code IS NULL OR center_code = :c", c=station.center
        )
        assert visible <= cursor <= last_seq, (name, visible, cursor, last_seq)
        cursors.add(cursor)
    # Cursors agree: each client's last pass saw an empty page and moved to the hub's last seq.
    assert cursors == {last_seq}

    # The faults really happened.
    counts = scenario.proxy.counts()
    print(
        f"faults injected: {dict(sorted((f.value, n) for f, n in counts.items()))}; hub kills {hub.kills}, "
        f"client kills {scenario.child_kills}; passes {dict(scenario.reports)}; "
        f"invariant checks {scenario.invariant_checks}; published {dict(scenario.published)}"
    )
    assert set(SCRIPTED) <= set(counts), f"not injected: {set(SCRIPTED) - set(counts)}"
    assert counts[Fault.KILL_CLIENT] == 1 and counts[Fault.KILL_CLIENT_AFTER] == 2
    assert scenario.child_kills == 3 and scenario.child_starts == 4
    assert hub.kills >= 1 and hub.starts >= 2
    assert scenario.reports["duplicates"] > 0  # a resend after a lost reply was answered "duplicate"
    assert scenario.reports["rejected"] == 0


@pytest.mark.slow  # about a minute, most of it making the 10,000 events; part of the default run
def test_ten_thousand_offline_events_survive_every_fault_on_the_sqlite_hub(
    offline_work: Templates, tmp_path: Path
) -> None:
    hub = HubProcess(tmp_path / "hub")
    try:
        # Two batches on the wire, as with several hub processes: the faults also reorder them.
        scenario = run_fault_scenario(tmp_path, hub, offline_work.big, seed=20261125, deadline_s=150, in_flight=2)
        for station in scenario.stations.values():
            station.open()
        try:
            verify(scenario)
        finally:
            for station in scenario.stations.values():
                station.close()
    finally:
        hub.close()


@pytest.fixture(scope="session")
def postgres_admin() -> str:
    """The server's URL; skips (or fails in CI) before any offline work is made."""
    return postgres_admin_url()


@pytest.fixture
def postgres_url(postgres_admin: str):
    with fresh_postgres_database(postgres_admin, "faults") as url:
        yield url


def test_offline_events_survive_every_fault_on_the_postgresql_hub(
    postgres_admin: str, offline_work: Templates, tmp_path: Path, postgres_url: str
) -> None:
    hub = HubProcess(tmp_path / "hub", postgres_url)
    try:
        scenario = run_fault_scenario(tmp_path, hub, offline_work.small, seed=7, deadline_s=100)
        for station in scenario.stations.values():
            station.open()
        try:
            verify(scenario)
        finally:
            for station in scenario.stations.values():
                station.close()
    finally:
        hub.close()


@contextlib.contextmanager
def _one_window_behind_a_proxy(tmp_path: Path):
    """A hub with the catalog, a fault proxy before it, and window CH-01 not yet enrolled."""
    from .hub_process import create_station

    hub = HubProcess(tmp_path / "hub")
    proxy = station = None
    try:
        hub.import_catalog()
        code = hub.enrollment_code("CH", "01")
        hub.start()
        proxy = FaultProxy(hub.port)
        station = create_station(tmp_path / "ws", "CH", "01")
        yield hub, proxy, station, code
    finally:
        if proxy is not None:
            proxy.close()
        if station is not None:
            station.close()
        hub.close()


def test_a_page_that_promises_more_but_brings_nothing_does_not_make_the_client_loop(tmp_path: Path) -> None:
    from urllib.parse import parse_qs

    from windowdesk.sync.client import HubUnreachable

    with _one_window_behind_a_proxy(tmp_path) as (_hub, proxy, station, code):
        station.enroll(proxy.url, code)

        def forge(request: Request, _hub_body: bytes) -> bytes:
            after = int(parse_qs(request.query).get("after", ["0"])[0])
            return json.dumps({"changes": [], "next_cursor": after, "has_more": True}).encode()

        proxy.hooks[Fault.FORGED] = forge
        proxy.decide = lambda request: Fault.FORGED if request.path.endswith("/changes") else Fault.NONE
        cancel = threading.Event()
        outcome: dict = {}
        client = station.hub_client()
        try:
            runner = station.runner(client, retries=2, backoff_base=0.01)
            worker = threading.Thread(target=lambda: outcome.setdefault("report", runner.run(cancel)))
            worker.start()
            worker.join(timeout=5)
            looping = worker.is_alive()
            cancel.set()  # the pass is stopped from outside, as the UI's "Stop" would
            worker.join(timeout=30)
        finally:
            client.close()
        assert not worker.is_alive()
        requests_made = proxy.counts()[Fault.FORGED]
        assert not looping, f"the pass was still pulling after 5 s ({requests_made} requests for empty pages)"
        assert isinstance(outcome["report"].error, HubUnreachable)
        assert sync_service.sync_status(station.db).cursor == 0


def test_an_enrollment_whose_answer_is_lost_succeeds_when_asked_again(tmp_path: Path) -> None:
    """The hub enrolls the workstation, then the line is cut before its answer (with the
    only copy of the token) arrives. Asking again with the same code, as the administrator
    would, gets this workstation its token; no second workstation appears at the hub."""
    from windowdesk.errors import WindowdeskError

    from .faultproxy import FaultPlan

    with _one_window_behind_a_proxy(tmp_path) as (hub, proxy, station, code):
        proxy.decide = FaultPlan(script=[Fault.DROP_REPLY], paths=("/enroll",))
        answers = []
        for _attempt in range(3):  # the client may retry by itself; the administrator does
            try:
                answers.append(station.enroll(proxy.url, code))
                break
            except WindowdeskError:
                continue
        assert proxy.counts()[Fault.DROP_REPLY] == 1 and answers
        client = station.hub_client()
        try:  # the token it now holds works: a whole sync pass goes through
            report = station.runner(client, retries=0).run(threading.Event())
        finally:
            client.close()
        assert report.error is None
        listed = hub.cli("list-workstations", "--center", "CH")
        assert listed.count(answers[-1]["workstation_id"]) == 1
        assert len([line for line in listed.splitlines() if "CH-01" in line]) == 1
