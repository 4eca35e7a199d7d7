"""The window's part of a pull alone: applying the hub's decision pages to its database.

    python bench/pull_apply.py --cases 50000 --changes 100000 [--rounds 3] [--work DIR]
    python bench/pull_apply.py ... --profile FILE

``bench/sync.py`` times a whole pull (hub, HTTP, window) and shows that the window's CPU
decides it. This script runs the window's part in one process, without a hub process:
a real encrypted workstation (migrations, shipped catalog, one case accepted through
the real services, then cloned ``--cases`` times as ``bench/sync.py`` clones it), and a
feed of ``--changes`` back-office decisions on those cases as the hub publishes them
("request materials" on each case, then "approve"), encoded as the hub's ``/changes``
replies. The real ``SyncRunner`` pulls them through a stand-in client that decodes each
reply with the window's own parser (``protocol.parse_changes_page``), in pages of the
runner's size, and applies them (its threads, its transactions and commits).

Per round a fresh copy of the prepared workstation is pulled into; ``pull_cpu_seconds``
(this process's CPU, user + system, every thread) and ``pull_seconds`` (wall) are the
medians of the rounds, ``changes_per_cpu_second`` the rate the CPU alone allows. Use it
to compare two versions of the window's code in alternating runs (``PYTHONPATH`` set to
each one's ``src``): the CPU time, not the wall time, is what a shared machine leaves
comparable. ``--work DIR`` keeps the prepared workstation there for the next run (the
same cases, the same key); ``--profile FILE`` writes a cProfile of the rounds' pulls, timed
by the CPU time of the thread that applies the pages.
The last stdout line is one JSON object.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import json
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import REPO_ROOT, ensure_importable, log

ensure_importable()
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))  # tests.sync: the workstation and the hub stand-in

ITEM = "MZ-002"
CENTER, WINDOW = "CH", "01"


def prepare(folder: Path, cases: int) -> tuple[Path, bytes, list[tuple[str, str]]]:
    """A workstation with ``cases`` cases of ``ITEM`` and an empty outbox, closed; returns
    its folder, key and the cases' (id, number)."""
    from sqlalchemy import insert, select
    from tests.sync.hub_process import _id_number, create_station

    from windowdesk.domain.uuid7 import new_uuid
    from windowdesk.services import applicants, intake
    from windowdesk.services import catalog as catalog_service
    from windowdesk.services.sync import SyncRunner
    from windowdesk.storage import models as m

    station = create_station(folder, CENTER, WINDOW)
    try:
        residents = [
            applicants.register_resident(station.db, station.ctx, id_number=_id_number(n), name=f"居民{n}").ref
            for n in range(1, 51)
        ]
        guide = catalog_service.get_item_guide(station.db, item_code=ITEM)
        checks = [intake.MaterialCheck(mat.code, intake.RECEIVED) for mat in guide.materials]
        first = intake.accept_case(
            station.db,
            station.ctx,
            item_code=ITEM,
            applicant=residents[0],
            checks=checks,
            shipped_calendar=station.calendar,
        )
        with station.db.read() as session:
            case = session.get(m.Case, first.id)
            case_row = {c.key: getattr(case, c.key) for c in m.Case.__table__.columns}
            material_rows = [
                {c.key: getattr(mat, c.key) for c in m.CaseMaterial.__table__.columns} for mat in case.materials
            ]
            event_row = {c.key: getattr(case.events[0], c.key) for c in m.CaseEvent.__table__.columns}
        made = [(case_row["id"], case_row["case_number"])]
        first_day = dt.date.today() - dt.timedelta(days=1)
        for start in range(1, cases, 5000):
            rows, materials, events = [], [], []
            for i in range(start, min(cases, start + 5000)):
                case_id = new_uuid()
                day = first_day - dt.timedelta(days=i // 9000)
                number = f"{CENTER}-{day:%Y%m%d}-{WINDOW}-{i % 9000 + 1:04d}"
                resident = residents[i % len(residents)]
                rows.append({**case_row, "id": case_id, "case_number": number, "resident_id": resident.id})
                materials += [{**row, "id": new_uuid(), "case_id": case_id} for row in material_rows]
                events.append({**event_row, "id": new_uuid(), "case_id": case_id})
                made.append((case_id, number))
            with station.db.write() as session:
                session.execute(insert(m.Case.__table__), rows)
                session.execute(insert(m.CaseMaterial.__table__), materials)
                session.execute(insert(m.CaseEvent.__table__), events)
        # The registrations and the first case's events go "to the hub": the outbox is empty.
        report = SyncRunner(station.db, FeedStandIn([]), retries=0).run()
        assert report.ok, report.error
        with station.db.read() as session:
            assert session.scalar(select(m.OutboxEvent.seq).where(m.OutboxEvent.state == "pending")) is None
        return folder, station.key, made
    finally:
        station.close()


def feed_bodies(cases: list[tuple[str, str]], changes: int, page: int) -> list[bytes]:
    """The hub's ``/changes`` replies for ``changes`` decisions, ``page`` to a reply (JSON
    as the hub's route builds it)."""
    assert changes <= 2 * len(cases), f"only {len(cases)} cases to decide on"
    at = dt.datetime.now(dt.UTC)
    work = [(case, "request_materials", "suspended", "请补充材料") for case in cases[:changes]]
    work += [(case, "approve", "approved", "准予办理") for case in cases[: changes - len(work)]]
    entries = []
    for seq, ((case_id, number), decision, status, note) in enumerate(work, start=1):
        when = (at + dt.timedelta(microseconds=seq)).isoformat()
        payload = {
            "case_id": case_id,
            "case_number": number,
            "decision": decision,
            "department": "MZJ",
            "note": note,
            "status": status,
            "at": when,
        }
        entries.append(
            {
                "seq": seq,
                "kind": "case.decision",
                "entity": "case",
                "entity_id": case_id,
                "payload": payload,
                "created_at": when,
            }
        )
    bodies = []
    for start in range(0, len(entries), page):
        chunk = entries[start : start + page]
        bodies.append(
            json.dumps(
                {"changes": chunk, "next_cursor": chunk[-1]["seq"], "has_more": start + page < len(entries)},
                ensure_ascii=False,
            ).encode()
        )
    return bodies


class FeedStandIn:
    """The hub as the runner sees it: pushes are applied, ``/changes`` answers with the
    prepared bodies, decoded as the real client decodes them."""

    hub_generation = None
    base_url = "http://127.0.0.1:9"
    protocol = 1  # the push's body as protocol 1 has it (the outbox is empty when timed)

    def __init__(self, bodies: list[bytes]) -> None:
        from windowdesk.sync.hub_pin import HubPin

        self.pin = HubPin()
        self.bodies = bodies
        self.replies = 0

    def health(self) -> bool:
        return True

    def waiting_applications(self) -> list[dict]:
        return []

    def push_encoded(self, batch):
        from windowdesk.sync import protocol

        return protocol.PushAnswer(
            [protocol.PushResult(event_id, protocol.APPLIED, "") for event_id in batch.event_ids], 1
        )

    def changes(self, after: int, limit: int):
        from windowdesk.sync import protocol

        if not self.bodies:
            return protocol.ChangesPage((), after, False)
        body = self.bodies[self.replies]
        self.replies += 1
        return protocol.parse_changes_page(json.loads(body), after)


def pull_round(
    template: Path, key: bytes, bodies: list[bytes], folder: Path, page: int, profiler: cProfile.Profile | None
) -> dict:
    from sqlalchemy import func, select
    from tests.sync.hub_process import Station, copy_database

    from windowdesk.services.sync import SyncRunner
    from windowdesk.storage import models as m
    from windowdesk.storage.migrate import migrate_to_head

    copy_database(template / "windowdesk.sqlite3", folder)
    # As the window does when it starts: the copy brought to this code's schema (a no-op
    # when it is there already), before the pull is timed.
    migrate_to_head(folder / "windowdesk.sqlite3", folder / "backups", key=key)
    station = Station(CENTER, WINDOW, folder, key).open()
    try:
        stand_in = FeedStandIn(bodies)
        runner = SyncRunner(station.db, stand_in, pull_page=page, retries=0)
        cpu, wall = time.process_time(), time.perf_counter()
        if profiler is not None:
            profiler.enable()
        report = runner.run()
        if profiler is not None:
            profiler.disable()
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        assert report.ok, report.error
        assert stand_in.replies == len(bodies), (stand_in.replies, len(bodies))
        with station.db.read() as session:
            steps = session.scalar(select(func.count()).select_from(m.CaseEvent).where(m.CaseEvent.source == "hub"))
            statuses = dict(session.execute(select(m.Case.status, func.count()).group_by(m.Case.status)).all())
            suspensions = session.scalar(select(func.sum(m.Case.suspensions)))
        return {
            "cpu": cpu,
            "wall": wall,
            "pulled": report.pulled,
            "steps": steps,
            "statuses": statuses,
            "suspensions": suspensions,
        }
    finally:
        station.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=50_000, help="cases of the workstation (default 50,000)")
    parser.add_argument(
        "--changes", type=int, default=100_000, help="decisions pulled, at most two per case (default 100,000)"
    )
    parser.add_argument("--page", type=int, default=None, help="changes per page (default: the runner's)")
    parser.add_argument("--rounds", type=int, default=3, help="pulls, each into a fresh copy (default 3)")
    parser.add_argument(
        "--work",
        type=Path,
        default=None,
        help="keep the prepared workstation in this folder and use it again when there",
    )
    parser.add_argument("--profile", type=Path, default=None, help="write a cProfile of the pulls (pstats format)")
    args = parser.parse_args(argv)

    from sync import private_keyring
    from windowdesk.i18n import set_locale
    from windowdesk.services.sync import PULL_PAGE

    set_locale("en")
    page = args.page or PULL_PAGE
    with tempfile.TemporaryDirectory(prefix="wd-bench-pull-") as tmp:
        folder = Path(tmp)
        private_keyring(folder)
        work = args.work or folder / "work"
        template = work / f"station-{args.cases}"
        cases_file = template / "cases.json"
        if cases_file.exists():
            key = bytes.fromhex((template / "key.hex").read_text())
            cases = [tuple(pair) for pair in json.loads(cases_file.read_text())]
            log(f"using the workstation prepared in {template}")
        else:
            shutil.rmtree(template, ignore_errors=True)
            started = time.perf_counter()
            _folder, key, cases = prepare(template, args.cases)
            (template / "key.hex").write_text(key.hex())
            cases_file.write_text(json.dumps(cases))
            log(f"prepared {len(cases)} cases in {time.perf_counter() - started:.1f} s")
        bodies = feed_bodies(cases, args.changes, page)
        # As the window's heap is once it stands (ui/launch.py): what was made before is set
        # aside from the collector; without it every full collection of the pull walked the
        # preparation's objects, which a window does not have.
        from windowdesk.heap import settle_startup_heap

        settle_startup_heap()
        # CPU time of the applying thread (the pages' fetch and decoding run on another).
        profiler = cProfile.Profile(time.thread_time) if args.profile else None
        rounds = []
        for index in range(args.rounds):
            result = pull_round(template, key, bodies, folder / f"round-{index}", page, profiler)
            assert result["pulled"] == args.changes and result["steps"] == args.changes, result
            # each "request materials" counted once in its case's suspensions, whoever counts it
            assert result["suspensions"] == min(args.changes, len(cases)), result["suspensions"]
            rounds.append(result)
            log(f"round {index + 1}: {args.changes} changes, CPU {result['cpu']:.2f} s, wall {result['wall']:.2f} s")
            shutil.rmtree(folder / f"round-{index}")
        if profiler is not None:
            profiler.dump_stats(args.profile)
    cpu = statistics.median(r["cpu"] for r in rounds)
    wall = statistics.median(r["wall"] for r in rounds)
    result = {
        "cases": len(cases),
        "changes": args.changes,
        "page": page,
        "rounds": args.rounds,
        "pull_cpu_seconds": round(cpu, 3),
        "pull_cpu_seconds_rounds": [round(r["cpu"], 3) for r in rounds],
        "pull_seconds": round(wall, 3),
        "pull_seconds_rounds": [round(r["wall"], 3) for r in rounds],
        "changes_per_cpu_second": round(args.changes / cpu) if cpu else None,
        "changes_per_second": round(args.changes / wall) if wall else None,
        "statuses": rounds[-1]["statuses"],
        "python": platform.python_version(),
    }
    for name, value in result.items():
        log(f"{name:>24}  {value}")
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
