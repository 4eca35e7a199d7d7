"""The city-wide performance report (绩效考核) on a year of the whole city's work.

    python bench/hub_report.py [--cases 300000] [--runs 3] [--keep PATH]

Makes a hub database (SQLite, migrated by the hub itself, the shipped catalog imported
through ``windowdesk-hub import-catalog``) and fills it with a year of cases of every
window of every center, written straight into the tables as pushes leave them: each case
with its pushed ``case.accepted`` event (≈ 1.5 KB of JSON naming its operator) and its
timeline; most cases finished (mostly on time), the last weeks' still open; a
notification or a refusal for some, a rating for most. Then it times
``hub.services.reports.city_report`` as the report command and the API call it:

* ``month_<by>_seconds``: last month, by center, window and operator (median of ``--runs``);
* ``year_center_seconds``: the whole year, by center.

``--keep PATH`` keeps the generated database there (and reuses it when it exists).
Last stdout line: one JSON object.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import ensure_importable, log

ensure_importable()

SEED = 20261204
DAYS = 365
OPERATORS_PER_WINDOW = 3


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _text(moment: dt.datetime) -> str:
    """SQLite DATETIME as the hub stores it (UTC, no offset)."""
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f")


def _make_hub(path: Path) -> None:
    """Migrated and with the shipped catalog, by the administrator's own command."""
    import contextlib
    import io

    from windowdesk.hub.cli import main as hub_command
    from windowdesk.paths import resources_dir

    with contextlib.redirect_stdout(io.StringIO()):
        code = hub_command(
            [
                "import-catalog",
                str(resources_dir() / "catalog"),
                "--data-dir",
                str(path.parent),
                "--database-url",
                f"sqlite:///{path}",
            ]
        )
    if code != 0:
        raise SystemExit(f"windowdesk-hub import-catalog exited {code}")


def _fill(path: Path, cases: int, today: dt.date) -> dict:
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=OFF")
    try:
        return fill_connection(connection, cases, today)
    finally:
        connection.close()


def fill_connection(connection, cases: int, today: dt.date) -> dict:
    """The year of cases written through ``connection`` (``execute``/``executemany`` with
    ``?`` placeholders, as sqlite3's; bench/online_hall.py adapts a PostgreSQL one)."""
    rng = random.Random(SEED)
    windows = connection.execute("SELECT id, center_code FROM windows ORDER BY id").fetchall()
    items = [row[0] for row in connection.execute("SELECT code FROM catalog_items ORDER BY code")]
    operators = {window: [_uuid(rng) for _ in range(OPERATORS_PER_WINDOW)] for window, _center in windows}
    workstation = {window: _uuid(rng) for window, _center in windows}
    start_utc = dt.datetime.combine(today - dt.timedelta(days=DAYS), dt.time(1), tzinfo=dt.UTC)
    padding = "申请材料齐全，已核对原件。" * 40  # a case's materials make ≈ 1.5 KB of JSON
    connection.execute("BEGIN")
    connection.executemany(
        "INSERT INTO operators (id, login, display_name, role, center_code, active, updated_at, password_hash, "
        "must_change_password) "
        "VALUES (?, ?, ?, 'operator', ?, 1, ?, '', 0)",
        [
            (operator, f"op-{window}-{n}", f"窗口{window}-{n}", center, _text(start_utc))
            for window, center in windows
            for n, operator in enumerate(operators[window])
        ],
    )
    connection.executemany(
        "INSERT INTO workstations (id, center_code, window_id, token_sha256, client_version, enrolled_at) "
        "VALUES (?, ?, ?, ?, 'windowdesk/1.0', ?)",
        [(workstation[window], center, window, uuid.uuid4().hex * 2, _text(start_utc)) for window, center in windows],
    )
    counts = {"cases": 0, "finished": 0, "notifications": 0, "refusals": 0, "ratings": 0}
    seq_by_window: dict[str, int] = {}
    for chunk_start in range(0, cases, 20_000):
        case_rows, timeline_rows, pushed_rows, decision_rows, rating_rows = [], [], [], [], []
        for n in range(chunk_start, min(cases, chunk_start + 20_000)):
            window, center = windows[rng.randrange(len(windows))]
            operator = rng.choice(operators[window])
            accepted = start_utc + dt.timedelta(days=DAYS * n / cases, minutes=rng.randrange(480))
            seq_by_window[window] = seq_by_window.get(window, 0) + 1
            case_id, event_id = _uuid(rng), _uuid(rng)
            number = f"{window}-{accepted:%Y%m%d}-{seq_by_window[window]:06d}"
            age_days = (today - accepted.date()).days
            finished = age_days > 25 or (age_days > 3 and rng.random() < 0.6)
            status = "delivered" if finished else rng.choice(("accepted", "in_progress"))
            case_rows.append(
                (
                    case_id,
                    number,
                    center,
                    window,
                    rng.choice(items),
                    "resident",
                    _uuid(rng),
                    status,
                    _text(accepted),
                    _text(accepted),
                    _text(accepted),
                )
            )
            timeline_rows.append(
                (
                    case_id,
                    "window",
                    "accepted",
                    None,
                    None,
                    "accepted",
                    event_id,
                    None,
                    "",
                    _text(accepted),
                    _text(accepted),
                )
            )
            if finished:
                done = accepted + dt.timedelta(days=min(age_days - 1, rng.choice((2, 5, 8, 12, 15, 25))))
                timeline_rows.append(
                    (
                        case_id,
                        "window",
                        "status",
                        "complete",
                        "accepted",
                        "completed",
                        _uuid(rng),
                        None,
                        "",
                        _text(done),
                        _text(done),
                    )
                )
                timeline_rows.append(
                    (
                        case_id,
                        "window",
                        "status",
                        "deliver",
                        "completed",
                        "delivered",
                        _uuid(rng),
                        None,
                        "",
                        _text(done + dt.timedelta(days=1)),
                        _text(done + dt.timedelta(days=1)),
                    )
                )
                counts["finished"] += 1
            payload = json.dumps(
                {
                    "id": case_id,
                    "number": number,
                    "center": center,
                    "window": window,
                    "operator": operator,
                    "accepted_at": accepted.isoformat(),
                    "materials": padding,
                },
                ensure_ascii=False,
                separators=(",", ":"),
            )
            pushed_rows.append(
                (
                    event_id,
                    workstation[window],
                    n,
                    "case.accepted",
                    "case",
                    case_id,
                    "applied",
                    "",
                    payload,
                    _text(accepted),
                    _text(accepted),
                )
            )
            if rng.random() < 0.08:
                kind = "notification" if rng.random() < 0.8 else "refusal"
                record_id = _uuid(rng)
                decision_rows.append(
                    (
                        kind,
                        (
                            record_id,
                            f"{kind[:2].upper()}-{number}",
                            center,
                            window,
                            rng.choice(items),
                            "resident",
                            _uuid(rng),
                            _text(accepted),
                            _text(accepted),
                        ),
                        (
                            _uuid(rng),
                            workstation[window],
                            n,
                            f"{kind}.given",
                            kind,
                            record_id,
                            "applied",
                            "",
                            json.dumps({"operator": operator}),
                            _text(accepted),
                            _text(accepted),
                        ),
                    )
                )
                counts[kind + "s"] += 1
            if rng.random() < 0.7:
                rating_rows.append(
                    (
                        _uuid(rng),
                        center,
                        window,
                        operator,
                        case_id,
                        None,
                        rng.choice((5, 5, 5, 4, 4, 3, 2, 1)),
                        _text(accepted),
                        _text(accepted),
                    )
                )
                counts["ratings"] += 1
            counts["cases"] += 1
        connection.executemany(
            "INSERT INTO cases (id, case_number, center_code, window_id, item_code, applicant_kind, "
            "applicant_id, status, accepted_at, received_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            case_rows,
        )
        connection.executemany(
            "INSERT INTO case_events (case_id, source, kind, action, from_status, to_status, "
            "event_id, department_code, note, client_at, recorded_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            timeline_rows,
        )
        pushed = (
            "INSERT INTO pushed_events (event_id, workstation_id, client_seq, kind, entity, entity_id, status, "
            "reason, payload, created_at, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        )
        connection.executemany(pushed, pushed_rows)
        for table in ("notification", "refusal"):
            rows = [record for kind, record, _event in decision_rows if kind == table]
            connection.executemany(
                f"INSERT INTO {table}s (id, number, center_code, window_id, item_code, applicant_kind, applicant_id, "
                "created_at, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                rows,
            )
        connection.executemany(pushed, [event for _kind, _record, event in decision_rows])
        connection.executemany(
            "INSERT INTO ratings (id, center_code, window_id, operator_id, case_id, item_code, "
            "level, rated_at, received_at, reason, channel, follow_up_outcome, follow_up_closed_by) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, '', 'pad', '', '')",
            rating_rows,
        )
    connection.execute("COMMIT")
    connection.execute("ANALYZE")
    return {**counts, "windows": len(windows)}


def _time_report(url: str, start: dt.date, end: dt.date, by: str, runs: int) -> tuple[float, int]:
    from windowdesk.hub.services.reports import city_report
    from windowdesk.hub.storage.database import HubDatabase

    seconds, rows = [], 0
    for _ in range(runs):
        db = HubDatabase(url)  # a fresh connection each run: nothing cached from the last
        try:
            began = time.perf_counter()
            with db.read() as session:
                report = city_report(session, start=start, end=end, by=by)
            seconds.append(time.perf_counter() - began)
            rows = len(report.rows)
        finally:
            db.dispose()
    return statistics.median(seconds), rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=300_000, help="cases of the whole city in the year")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="keep the generated hub database here (reused if it exists)")
    args = parser.parse_args(argv)
    from windowdesk.i18n import set_locale

    set_locale("en")
    today = dt.date.today()
    with tempfile.TemporaryDirectory(prefix="wd-bench-hub-report-") as tmp:
        path = args.keep or Path(tmp) / "hub" / "hub.sqlite3"
        made: dict = {"reused": True}
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            started = time.perf_counter()
            _make_hub(path)
            made = _fill(path, args.cases, today)
            made["generate_seconds"] = round(time.perf_counter() - started, 1)
            log(f"made {made}")
        url = f"sqlite:///{path}"
        from windowdesk.hub.storage.migrate import migrate_to_head

        migrate_to_head(url)  # a kept file made by an older version
        last_month_end = today.replace(day=1) - dt.timedelta(days=1)
        last_month_start = last_month_end.replace(day=1)
        result: dict = {"cases": args.cases, **made, "file_mb": round(path.stat().st_size / 1e6)}
        for by in ("center", "window", "operator"):
            seconds, rows = _time_report(url, last_month_start, last_month_end, by, args.runs)
            result[f"month_{by}_seconds"] = round(seconds, 2)
            result[f"month_{by}_rows"] = rows
            log(f"month by {by}: {seconds:.2f} s, {rows} rows")
        seconds, _rows = _time_report(url, today - dt.timedelta(days=DAYS), today - dt.timedelta(days=1), "center", 1)
        result["year_center_seconds"] = round(seconds, 2)
        if args.keep is None:
            shutil.rmtree(path.parent, ignore_errors=True)
    result.update(python=platform.python_version(), machine=platform.machine())
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
