"""The console's pages on a year of the whole city: a department's queue, a case's page,
the supervision office's page, and the city-wide report for a year.

    python bench/console.py [--cases 300000] [--samples 100] [--keep PATH]
    python bench/console.py --hub postgresql [--postgres-url URL] --cases 2000000

The hub's data comes from ``bench/hub_report.py``'s generator (a year of every window of
every center: cases with their pushed ``case.accepted`` events and timelines, ratings,
notifications, refusals; the shipped catalog through ``windowdesk-hub import-catalog``),
written to SQLite. This script adds what the console reads and that generator does not
write: each case's promised date (the working-day calendar and the item's promised limit,
as the window prints it on the receipt), follow-ups of the bad ratings, complaints. With
``--hub postgresql`` the tables are then copied into a fresh PostgreSQL database (its
schema made by the hub's migrations); the pushed events keep their ids and kinds but not
their 1.5 KB of padding (the case page reads one of them by its index).

Timed through the services the pages call (the page's rendering is not in it):

* ``department_queue_p95_ms``: ``department_work.department_queue`` of a random
  department, its first page or a random later one;
* ``case_page_p95_ms``: ``department_work.case_record`` of a random open case;
* ``supervision_page_p95_ms``: the supervision page: ``time_cards.card_table`` (by center,
  department or item in turn) and ``supervision.quality_summary``;
* ``card_cases_p95_ms``: a drill-down (red cases of a random center);
* ``city_year_report_ms`` (the median), ``city_year_report_p50_ms``, ``_p95_ms`` and
  ``_cpu_ms`` (this process's CPU time, median): ``reports.city_report`` for the last 365
  days by center, ``--report-runs`` times (``--no-report`` skips it); after each run the
  same report counted from every case's and rating's row (``from_rows``, as before the
  day sums): ``rows_city_year_report_p50_ms``, ``_p95_ms``, ``_cpu_ms``. The report counts the
  cases' figures (``case_figures``), which the generator has the hub work out itself
  (``case_figures.rebuild``, as ``windowdesk-hub rebuild-case-figures`` does after an
  upgrade): ``case_figures_seconds``. ``--old-report`` also times, once and between the
  runs, the case-by-case report the hub had before (tests/hub/report_oracle.py):
  ``old_city_year_report_ms`` and ``_cpu_ms``.

Generating: 500,000 cases take about 4 minutes on SQLite, 2,000,000 about 16 (written
in bulk by SQL; the figures by the hub's own code).

``WINDOWDESK_BENCH_POSTGRES_URL`` (else ``WINDOWDESK_TEST_POSTGRES_URL``) names the server;
the database made there is dropped at the end, unless ``--postgres-database NAME`` names
it: then a database of that name that already holds cases is measured as it is (migrated
to the current schema first; nothing generated or copied), and one that does not exist is
made, filled and kept for the next run. Last stdout line: one JSON object.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import secrets
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

# The bench folder goes last on the path: its queue.py would shadow the standard library's
# queue, which psycopg imports.
BENCH_DIR = Path(__file__).resolve().parent
sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != BENCH_DIR] + [str(BENCH_DIR)]
import queue  # noqa: E402,F401 - the standard library's, before hub_report puts the bench folder first again

from _common import ensure_importable, log, percentile  # noqa: E402 - after the path is set

ensure_importable()

from hub_report import _fill, _make_hub  # noqa: E402 - after the import path is set

if TYPE_CHECKING:
    from collections.abc import Callable

    from sqlalchemy.orm import Session

    from windowdesk.hub.services.console_rights import ConsoleActor
    from windowdesk.hub.storage.database import HubDatabase

T = TypeVar("T")

SEED = 20261207
COPIED_TABLES = (
    "centers",
    "windows",
    "departments",
    "catalog_versions",
    "catalog_items",
    "calendar_years",
    "calendar_overrides",
    "operators",
    "workstations",
    "cases",
    "case_events",
    "pushed_events",
    "case_parts",
    "ratings",
    "complaints",
    "rectifications",
    "notifications",
    "refusals",
    "case_figures",
    "case_figure_days",
)


def _add_console_data(path: Path, today: dt.date) -> dict:
    """Promised dates, follow-ups of bad ratings, complaints and rectification tasks."""
    from windowdesk.hub.services.calendar_years import hub_calendar
    from windowdesk.hub.storage.database import HubDatabase

    url = f"sqlite:///{path}"
    db = HubDatabase(url)
    try:
        with db.read() as session:
            calendar = hub_calendar(session)
    finally:
        db.dispose()
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA synchronous=OFF")
    limits = {}
    for (documents,) in connection.execute("SELECT documents FROM catalog_versions ORDER BY imported_at"):
        for item in (json.loads(documents).get("items") or {}).get("items", []):
            limits[item["code"]] = int(item.get("promised_limit_days") or 0)
    days = [row[0] for row in connection.execute("SELECT DISTINCT substr(accepted_at, 1, 10) FROM cases")]
    connection.execute("BEGIN")
    connection.execute("CREATE TEMP TABLE due (day TEXT, item TEXT, promised TEXT, PRIMARY KEY (day, item))")
    connection.executemany(
        "INSERT INTO due VALUES (?, ?, ?)",
        [
            (day, item, calendar.add_working_days(dt.date.fromisoformat(day), limit).isoformat())
            for day in days
            for item, limit in limits.items()
        ],
    )
    connection.execute(
        "UPDATE cases SET promised_date = due.promised FROM due "
        "WHERE due.day = substr(cases.accepted_at, 1, 10) AND due.item = cases.item_code"
    )
    # A follow-up for every bad rating (回访 within 5 days), closed once 10 days old.
    connection.execute(
        "UPDATE ratings SET follow_up_id = lower(hex(randomblob(16))), follow_up_owner = operator_id, "
        "follow_up_deadline = date(rated_at, '+5 days'), "
        "follow_up_status = CASE WHEN rated_at < :closed THEN 'closed' ELSE 'open' END WHERE level <= 2",
        {"closed": (today - dt.timedelta(days=10)).isoformat()},
    )
    # A complaint for about one case in 200, replied once 15 days old; a task for one in four.
    connection.execute(
        "INSERT INTO complaints (id, number, center_code, window_id, operator_id, about_window_id, case_id, facts, "
        "owner_id, deadline, status, reply, replied_by, reply_source, received_at, stored_at) "
        "SELECT lower(hex(randomblob(16))), 'TS-' || case_number, center_code, window_id, coalesce(operator_id, id), window_id, "
        "id, '办理进度慢，多次往返', coalesce(operator_id, id), date(accepted_at, '+15 days'), "
        "CASE WHEN accepted_at < :replied THEN 'replied' ELSE 'open' END, '', '', '', accepted_at, accepted_at "
        "FROM cases WHERE abs(random()) % 200 = 0",
        {"replied": (today - dt.timedelta(days=15)).isoformat()},
    )
    connection.execute(
        "INSERT INTO rectifications (id, complaint_id, center_code, task, unit, responsible, deadline, done) "
        "SELECT lower(hex(randomblob(16))), id, center_code, '窗口服务规范培训', '综合窗口', '王晓燕', "
        "date(received_at, '+30 days'), status = 'replied' FROM complaints WHERE abs(random()) % 4 = 0"
    )
    connection.execute("COMMIT")
    counts = {
        name: connection.execute(sql).fetchone()[0]
        for name, sql in (
            ("open_cases", "SELECT count(*) FROM cases WHERE status IN ('accepted', 'in_progress', 'suspended')"),
            ("complaints", "SELECT count(*) FROM complaints"),
            ("open_follow_ups", "SELECT count(*) FROM ratings WHERE follow_up_status = 'open'"),
        )
    }
    connection.execute("ANALYZE")
    connection.close()
    return counts


def _add_case_figures(path: Path) -> float:
    """Every case's report figures, worked out by the hub (as after an upgrade); seconds."""
    from windowdesk.hub.services import case_figures
    from windowdesk.hub.storage.database import HubDatabase

    db = HubDatabase(f"sqlite:///{path}")
    started = time.perf_counter()
    try:
        count = db.run_write(case_figures.rebuild)
    finally:
        db.dispose()
    seconds = time.perf_counter() - started
    log(f"case figures of {count} cases in {seconds:.1f} s")
    with sqlite3.connect(path) as connection:
        connection.execute("ANALYZE")
    return seconds


def _copy_to_postgres(path: Path, url: str) -> None:
    """Every table the console reads, row for row (the pushed events without their padding)."""
    import psycopg
    from sqlalchemy.engine import make_url

    from windowdesk.hub.storage.migrate import migrate_to_head

    migrate_to_head(url)
    plain = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    source = sqlite3.connect(path)
    with psycopg.connect(plain) as target:
        for table in COPIED_TABLES:
            columns = [row[1] for row in source.execute(f"PRAGMA table_info({table})")]
            if not columns:  # a kept file from before the table: made on PostgreSQL below
                continue
            listed = ", ".join(columns)
            selected = (
                listed.replace("payload", "json_remove(payload, '$.materials') AS payload")
                if table == "pushed_events"
                else listed
            )
            started = time.perf_counter()
            with target.cursor() as cursor:
                cursor.execute(f"DELETE FROM {table}")  # the catalog's import made some of them already
                with cursor.copy(f"COPY {table} ({listed}) FROM STDIN") as copy:
                    for row in source.execute(f"SELECT {selected} FROM {table}"):
                        copy.write_row(row)
            target.commit()
            log(f"copied {table} in {time.perf_counter() - started:.1f} s")
        target.autocommit = True
        target.execute("ANALYZE")
    source.close()
    _sum_figures_if_missing(url)


def _sum_figures_if_missing(url: str) -> None:
    """The cases' figures and their day sums where they are missing (a kept file or
    database of an older version, or copied without figures), as ``windowdesk-hub
    migrate`` makes them after an upgrade."""
    from windowdesk.hub.services import case_figures, figure_days
    from windowdesk.hub.storage.database import HubDatabase

    db = HubDatabase(url)
    started = time.perf_counter()
    try:
        if db.run_write(case_figures.fill_if_missing):
            log(f"worked out the cases' figures in {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        if db.run_write(figure_days.sum_if_missing):
            log(f"summed the figures by day in {time.perf_counter() - started:.1f} s")
        with db.write() as session:  # the planner's statistics of the tables just filled
            session.connection().exec_driver_sql("ANALYZE")
    finally:
        db.dispose()


def _actor(role: str, department: str | None = None):
    from windowdesk.hub.services.console_rights import ConsoleActor

    return ConsoleActor("bench", "bench", "bench", role, department)


def _timed(times: list[float], work: Callable[..., T], **arguments: object) -> T:
    began = time.perf_counter()
    result = work(**arguments)
    times.append((time.perf_counter() - began) * 1000)
    return result


def _supervision_page(session: Session, *, actor: ConsoleActor, now: dt.datetime, by: str) -> None:
    """What GET /console/supervision asks of the services."""
    from windowdesk.hub.services import supervision, time_cards

    time_cards.card_table(session, actor=actor, now=now, by=by)
    supervision.quality_summary(session, actor=actor, now=now)


def _measure(url: str, samples: int, report_runs: int, old_report: bool) -> dict:
    from sqlalchemy import select

    from windowdesk.hub.services import department_work, time_cards
    from windowdesk.hub.storage.database import HubDatabase
    from windowdesk.hub.storage.models import Case, Center, Department

    rng = random.Random(SEED)
    db = HubDatabase(url)
    now = dt.datetime.now(dt.UTC)
    try:
        with db.read() as session:
            departments = list(session.scalars(select(Department.code)))
            centers = list(session.scalars(select(Center.code)))
            open_cases = list(
                session.scalars(select(Case.id).where(Case.status.in_(("accepted", "in_progress"))).limit(5000))
            )
        supervisor = _actor("supervisor")
        queue, case_page, cards, drill = [], [], [], []
        groupings = ("center", "department", "item")
        for n in range(samples + 3):  # the first 3 warm up
            actor = _actor("department", rng.choice(departments))
            with db.read() as session:
                first = _timed(queue, department_work.department_queue, session=session, actor=actor, now=now)
                if first.pages > 1 and n % 2:
                    _timed(
                        queue,
                        department_work.department_queue,
                        session=session,
                        actor=actor,
                        now=now,
                        page=rng.randint(2, first.pages),
                    )
            with db.read() as session:
                _timed(
                    case_page,
                    department_work.case_record,
                    session=session,
                    actor=supervisor,
                    case_ref=rng.choice(open_cases),
                    now=now,
                )
            with db.read() as session:
                _timed(cards, _supervision_page, session=session, actor=supervisor, now=now, by=groupings[n % 3])
            with db.read() as session:
                _timed(
                    drill,
                    time_cards.card_cases,
                    session=session,
                    actor=supervisor,
                    now=now,
                    light="red",
                    center=rng.choice(centers),
                )
            if n == 2:
                for times in (queue, case_page, cards, drill):
                    times.clear()
        result = {
            "department_queue_p95_ms": round(percentile(queue, 95), 1),
            "department_queue_p50_ms": round(percentile(queue, 50), 1),
            "case_page_p95_ms": round(percentile(case_page, 95), 1),
            "case_page_p50_ms": round(percentile(case_page, 50), 1),
            "supervision_page_p95_ms": round(percentile(cards, 95), 1),
            "supervision_page_p50_ms": round(percentile(cards, 50), 1),
            "card_cases_p95_ms": round(percentile(drill, 95), 1),
            "samples": samples,
        }
        if report_runs:
            result.update(_time_year_report(db, now.date(), report_runs, old_report))
        return result
    finally:
        db.dispose()


def _old_report() -> Callable[..., object]:
    """The case-by-case report the hub had before issue 26, kept as the tests' oracle."""
    sys.path.insert(0, str(BENCH_DIR.parent))
    from tests.hub.report_oracle import oracle_report

    return oracle_report


def _time_year_report(db: HubDatabase, today: dt.date, runs: int, old: bool) -> dict:
    """The year's report by center ``runs`` times (each in a session of its own), wall
    and CPU time; each run followed by the same report counted from every row
    (``from_rows``, as before the day sums), so the two are compared under the same load;
    with ``old``, the former case-by-case report once, half-way through the runs."""
    from windowdesk.hub.services import reports

    period = {"start": today - dt.timedelta(days=365), "end": today - dt.timedelta(days=1), "by": "center"}
    wall, cpu, found = [], [], {}
    rows_wall, rows_cpu = [], []
    for n in range(runs + 1):  # the first warms up
        with db.read() as session:
            began, began_cpu = time.perf_counter(), time.process_time()
            reports.city_report(session, **period, from_rows=True)  # type: ignore[arg-type]
            if n:
                rows_wall.append((time.perf_counter() - began) * 1000)
                rows_cpu.append((time.process_time() - began_cpu) * 1000)
        if old and n == runs // 2 + 1:
            with db.read() as session:
                began, began_cpu = time.perf_counter(), time.process_time()
                _old_report()(session, **period)
                found["old_city_year_report_ms"] = round((time.perf_counter() - began) * 1000)
                found["old_city_year_report_cpu_ms"] = round((time.process_time() - began_cpu) * 1000)
        with db.read() as session:
            began, began_cpu = time.perf_counter(), time.process_time()
            reports.city_report(session, **period)
            if n:
                wall.append((time.perf_counter() - began) * 1000)
                cpu.append((time.process_time() - began_cpu) * 1000)
    log(f"year report: wall {sorted(round(t) for t in wall)} ms, cpu {sorted(round(t) for t in cpu)} ms")
    log(f"from rows: wall {sorted(round(t) for t in rows_wall)} ms, cpu {sorted(round(t) for t in rows_cpu)} ms")
    found.update(
        rows_city_year_report_p50_ms=round(percentile(rows_wall, 50)),
        rows_city_year_report_p95_ms=round(percentile(rows_wall, 95)),
        rows_city_year_report_cpu_ms=round(percentile(rows_cpu, 50)),
    )
    return {
        "city_year_report_ms": round(percentile(wall, 50)),
        "city_year_report_p50_ms": round(percentile(wall, 50)),
        "city_year_report_p95_ms": round(percentile(wall, 95)),
        "city_year_report_cpu_ms": round(percentile(cpu, 50)),
        "city_year_report_runs": runs,
        **found,
    }


def _postgres_database(admin_url: str, kept: str | None = None):
    """(url, drop or None, whether it holds cases already): a fresh database dropped at
    the end, or the ``kept`` one (made when missing, never dropped)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url
    from sqlalchemy.pool import NullPool

    name = kept or f"wdbench_console_{secrets.token_hex(4)}"
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    admin = create_engine(make_url(admin_url), poolclass=NullPool, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        exists = connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name})
        if not exists:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    if kept:
        admin.dispose()
        return url, None, bool(exists) and _holds_cases(url)

    def drop() -> None:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return url, drop, False


def _holds_cases(url: str) -> bool:
    from sqlalchemy import create_engine, inspect, text
    from sqlalchemy.pool import NullPool

    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            return inspect(connection).has_table("cases") and connection.scalar(
                text("SELECT EXISTS (SELECT 1 FROM cases)")
            )
    finally:
        engine.dispose()


def _cases_in(url: str) -> int:
    from sqlalchemy import create_engine, text
    from sqlalchemy.pool import NullPool

    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            return connection.scalar(text("SELECT count(*) FROM cases"))
    finally:
        engine.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=300_000, help="cases of the whole city in the year")
    parser.add_argument("--samples", type=int, default=100, help="timed calls of each page")
    parser.add_argument("--hub", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("WINDOWDESK_BENCH_POSTGRES_URL") or os.environ.get("WINDOWDESK_TEST_POSTGRES_URL"),
    )
    parser.add_argument("--keep", type=Path, help="keep the generated SQLite hub here (reused if it exists)")
    parser.add_argument(
        "--postgres-database",
        metavar="NAME",
        help="with --hub postgresql: measure this database if it holds cases, else make it "
        "and keep it (e.g. windowdesk_bench_2m)",
    )
    parser.add_argument("--no-report", action="store_true", help="do not time the city-wide year report")
    parser.add_argument("--report-runs", type=int, default=10, help="timed runs of the year's report")
    parser.add_argument(
        "--old-report",
        action="store_true",
        help="also time once the case-by-case report of before (minutes at 500,000 cases)",
    )
    args = parser.parse_args(argv)
    if args.hub == "postgresql" and not args.postgres_url:
        parser.error("--hub postgresql needs --postgres-url or WINDOWDESK_BENCH_POSTGRES_URL")
    from windowdesk.i18n import set_locale

    set_locale("en")
    today = dt.date.today()
    url: str = ""
    drop, reused = None, False
    if args.hub == "postgresql":
        url, drop, reused = _postgres_database(args.postgres_url, args.postgres_database)
    if reused:
        from windowdesk.hub.storage.migrate import migrate_to_head

        migrate_to_head(url)
        _sum_figures_if_missing(url)
        result = {
            "hub": args.hub,
            "reused": args.postgres_database,
            "cases": _cases_in(url),
            **_measure(url, args.samples, 0 if args.no_report else args.report_runs, args.old_report),
        }
        result.update(python=platform.python_version(), machine=platform.machine())
        log(json.dumps(result, ensure_ascii=False, indent=2))
        print(json.dumps(result, ensure_ascii=False))
        return 0
    with tempfile.TemporaryDirectory(prefix="wd-bench-console-") as tmp:
        path = args.keep or Path(tmp) / "hub" / "hub.sqlite3"
        made: dict = {"reused": True}
        if path.exists():
            from windowdesk.hub.storage.migrate import migrate_to_head

            migrate_to_head(f"sqlite:///{path}")  # a kept file made by an older version
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            started = time.perf_counter()
            _make_hub(path)
            made = _fill(path, args.cases, today)
            made.update(_add_console_data(path, today))
            made["case_figures_seconds"] = round(_add_case_figures(path), 1)
            made["generate_seconds"] = round(time.perf_counter() - started, 1)
            log(f"made {made}")
        with sqlite3.connect(path) as counting:
            cases = counting.execute("SELECT count(*) FROM cases").fetchone()[0]
        if args.hub == "sqlite":
            url = f"sqlite:///{path}"
            _sum_figures_if_missing(url)
        else:
            started = time.perf_counter()
            _copy_to_postgres(path, url)
            made["copy_seconds"] = round(time.perf_counter() - started, 1)
        try:
            result = {
                "hub": args.hub,
                **made,
                "cases": cases,
                **_measure(url, args.samples, 0 if args.no_report else args.report_runs, args.old_report),
            }
        finally:
            if drop is not None:
                drop()
        if args.keep is None:
            shutil.rmtree(path.parent, ignore_errors=True)
    result.update(python=platform.python_version(), machine=platform.machine())
    log(json.dumps(result, ensure_ascii=False, indent=2))
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
