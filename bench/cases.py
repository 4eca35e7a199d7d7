"""Supervision and reports on the big data set (issue 7, "Speed, in bench/").

    python bench/cases.py [--data bench/data/bench-500000r-200000c.sqlite3] [--runs 20]

Works on a copy of the generated database (``python bench/generate.py`` makes it). The
generator leaves every case "accepted"; a real year is mostly finished, so the copy first
marks 97% of the cases past their promised date as completed (92% of those on time) and
then delivered, with both steps on their timelines, leaving a tail of late ones; of the
cases still open, about half are under review at the hub and some of those waited, or
still wait, for supplementary materials. Then it times, as the center's supervisor:

* ``overdue_list_p95_ms``: the yellow and red cases of the whole center (target < 50 ms);
* ``month_report_p95_ms``: a month's performance report of the center (target < 500 ms).

``*_first_ms``: the first call of each, on a freshly opened database (nothing decrypted
in memory yet, statements not yet compiled); p50/p95 over ``--runs`` calls after it.

Last stdout line: one JSON object.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (
    DEFAULT_CASES,
    DEFAULT_RESIDENTS,
    connect,
    default_data_path,
    ensure_importable,
    log,
    percentile,
    read_key,
)

ensure_importable()


def _finish_most_old_cases(path: Path, key: bytes | None) -> tuple[int, int]:
    """Most cases past their promised date were completed (mostly on time, some late)
    and delivered a few days later, every step on their timelines."""
    connection = connect(path, key)
    try:
        connection.execute(
            "CREATE TEMP TABLE finishing (id TEXT PRIMARY KEY, operator_id TEXT, accepted_day TEXT, done TEXT)"
        )
        # 92% on or up to 3 days before the promised date, 8% one to five days late;
        # never on or before the acceptance day, never after yesterday.
        connection.execute(
            "INSERT INTO finishing SELECT id, operator_id, accepted_day, min(date('now', '-1 day'), max(date(accepted_day, '+1 day'), "
            "CASE WHEN abs(random()) % 100 < 92 THEN date(promised_date, '-' || (abs(random()) % 4) || ' day') "
            "ELSE date(promised_date, '+' || (1 + abs(random()) % 5) || ' day') END)) "
            "FROM cases WHERE promised_date < date('now', '-3 day') AND abs(random()) % 100 < 97"
        )
        connection.execute("UPDATE cases SET status = 'delivered' WHERE id IN (SELECT id FROM finishing)")
        # The whole way as the state machine allows it: the hub starts the review and
        # approves (decisions synced back), the window completes and delivers.
        for kind, position, before, after, when, source in (
            (
                "start_review",
                1,
                "accepted",
                "in_progress",
                "min(done, date(accepted_day, '+1 day')) || ' 08:00:00.000000'",
                "hub",
            ),
            ("approve", 2, "in_progress", "approved", "done || ' 09:00:00.000000'", "hub"),
            ("complete", 3, "approved", "completed", "done || ' 09:30:00.000000'", "window"),
            (
                "deliver",
                4,
                "completed",
                "delivered",
                "min(date('now', '-1 day'), date(done, '+' || (abs(random()) % 4) || ' day')) || ' 15:00:00.000000'",
                "window",
            ),
        ):
            connection.execute(
                "INSERT INTO case_events (id, case_id, at, operator_id, kind, position, from_status, to_status, "
                f"note, source) SELECT lower(hex(randomblob(18))), id, {when}, operator_id, '{kind}', {position}, "
                f"'{before}', '{after}', '', '{source}' FROM finishing"
            )
        _move_open_cases(connection)
        # What the window's services count as they record steps (services/cases.append_step;
        # no trigger does since client migration 0024): counted here from the steps written.
        connection.execute(
            "UPDATE cases SET suspensions = (SELECT count(*) FROM case_events e WHERE e.case_id = cases.id "
            "AND e.to_status = 'suspended'), finished_at = (SELECT min(e.at) FROM case_events e "
            "WHERE e.case_id = cases.id AND e.to_status IN ('completed', 'withdrawn')) "
            "WHERE id IN (SELECT id FROM finishing UNION SELECT id FROM reviewed)"
        )
        connection.commit()
        open_count = connection.execute(
            "SELECT count(*) FROM cases WHERE status NOT IN ('completed', 'delivered', 'withdrawn')"
        ).fetchone()[0]
        total = connection.execute("SELECT count(*) FROM cases").fetchone()[0]
        return open_count, total
    finally:
        connection.close()


def _move_open_cases(connection) -> None:
    """Open cases are not all untouched: the back office started reviewing about half
    (a hub step), and some of those waited for supplementary materials — a few still do,
    others got them two days later — so their clocks have suspensions to subtract."""
    connection.execute(
        "CREATE TEMP TABLE reviewed AS SELECT id, operator_id, accepted_day, abs(random()) % 100 AS dice "
        "FROM cases WHERE status = 'accepted' AND abs(random()) % 100 < 55"
    )
    steps = (
        ("start_review", 1, "accepted", "in_progress", "date(accepted_day, '+1 day')", "hub", "1 = 1"),
        ("suspend", 2, "in_progress", "suspended", "date(accepted_day, '+2 day')", "window", "dice < 18"),
        ("resume", 3, "suspended", "in_progress", "date(accepted_day, '+4 day')", "window", "dice < 10"),
    )
    for kind, position, before, after, day, source, which in steps:
        connection.execute(
            "INSERT INTO case_events (id, case_id, at, operator_id, kind, position, from_status, to_status, "
            f"note, source) SELECT lower(hex(randomblob(18))), id, min(date('now', '-1 day'), {day}) || ' 08:00:00.000000', "
            f"operator_id, '{kind}', {position}, '{before}', '{after}', '', '{source}' FROM reviewed WHERE {which}"
        )
    connection.execute(
        "UPDATE cases SET status = 'in_progress' WHERE id IN (SELECT id FROM reviewed WHERE dice < 10 OR dice >= 18)"
    )
    connection.execute(
        "UPDATE cases SET status = 'suspended' WHERE id IN (SELECT id FROM reviewed WHERE dice >= 10 AND dice < 18)"
    )


def _time(fn, runs: int) -> tuple[float, list[float]]:
    """(the first call, cold: nothing of the file decrypted in memory yet; the next ``runs``)."""
    start = time.perf_counter()
    fn()
    first = (time.perf_counter() - start) * 1000
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return first, times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=default_data_path(DEFAULT_RESIDENTS, DEFAULT_CASES))
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    if not args.data.exists():
        log(f"{args.data} is missing: run `python bench/generate.py` first")
        return 2

    from windowdesk.heap import settle_startup_heap
    from windowdesk.paths import resources_dir
    from windowdesk.services import cases, reports, workstation
    from windowdesk.services.working_days import load_shipped_calendar
    from windowdesk.storage.db import Database
    from windowdesk.storage.migrate import migrate_to_head

    key = read_key(args.data)
    with tempfile.TemporaryDirectory(prefix="wd-bench-cases-") as folder:
        copy = Path(folder) / "cases.sqlite3"
        shutil.copy(args.data, copy)
        migrate_to_head(copy, Path(folder) / "backups", key=key)
        open_cases, total = _finish_most_old_cases(copy, key)
        log(f"[cases] {total:,} cases, {open_cases:,} still open after marking finished ones")
        db = Database(copy, key=key)
        calendar = load_shipped_calendar(resources_dir())
        ctx = workstation.current_context(db)
        today = ctx.local_today()
        settle_startup_heap()  # as the application does once its main window stands
        overdue_first, overdue = _time(
            lambda: cases.late_cases(db, ctx, shipped_calendar=calendar, whole_center=True), args.runs
        )
        late = cases.late_cases(db, ctx, shipped_calendar=calendar, whole_center=True)
        month_start = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
        month_end = today.replace(day=1) - dt.timedelta(days=1)
        report_first, report = _time(
            lambda: reports.performance_report(
                db, ctx, start=month_start, end=month_end, by="window", shipped_calendar=calendar
            ),
            max(5, args.runs // 4),
        )
        db.dispose()
    result = {
        "cases": total,
        "open_cases": open_cases,
        "late_cases_of_center": len(late),
        "overdue_list_first_ms": round(overdue_first, 2),
        "overdue_list_p50_ms": round(percentile(overdue, 50), 2),
        "overdue_list_p95_ms": round(percentile(overdue, 95), 2),
        "month_report_first_ms": round(report_first, 2),
        "month_report_p50_ms": round(percentile(report, 50), 2),
        "month_report_p95_ms": round(percentile(report, 95), 2),
        "month": month_start.strftime("%Y-%m"),
    }
    log(
        f"[cases] overdue list p95 {result['overdue_list_p95_ms']} ms (target < 50), "
        f"month report p95 {result['month_report_p95_ms']} ms (target < 500)"
    )
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
