"""How fast money is taken and a day is closed.

    python bench/fees.py [--samples 300] [--receipts 2000] [--data FILE]

Through the real services and ``windowdesk.storage.db.Database`` (SQLCipher, WAL,
``synchronous=FULL``), on a fresh encrypted demo database in a temporary folder, or on
a copy of ``--data`` (a file made by ``bench/generate.py``, its key beside it):

* ``payment_commit``: ``payments.pay_case_fee`` of an accepted case, cash with change —
  the receipt, its lines, its number, the audit entry and the outbox event in one
  transaction (the cases are accepted beforehand, untimed);
* ``utility_commit``: ``payments.pay_utility`` at a street center's window;
* ``day_totals``: ``dayclose.day_totals`` of a window holding ``--receipts`` receipts of
  one day (1 % of them voided): what the day-close screen computes;
* ``day_close_ms``: ``dayclose.close_day`` of that day, once, including the supervisor's
  password check (a deliberately slow hash) and the commit.

Each measure has ``_p50_ms``, ``_p95_ms``, ``_max_ms``, ``_first_ms`` and ``_count``. A
table goes to stderr; the last stdout line is one JSON object.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import ensure_importable, log, percentile, read_key

ensure_importable()

TARGETS_MS = {"payment_commit_p95_ms": 10.0, "day_totals_p95_ms": 200.0}
WARMUP = 5
MOMENT = dt.datetime(2026, 11, 25, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
SUPERVISOR_LOGIN, SUPERVISOR_PASSWORD = "benchlead", "Closing2026x"


def _timed(fn, count: int) -> tuple[float, list[float]]:
    """(first call ms, ms of each call after the warm-ups)."""
    times = []
    for index in range(count + WARMUP + 1):
        started = time.perf_counter()
        fn(index)
        times.append((time.perf_counter() - started) * 1000)
    return times[0], times[1 + WARMUP :]


def _summary(name: str, first: float, times: list[float]) -> dict:
    return {
        f"{name}_p50_ms": round(percentile(times, 50), 3),
        f"{name}_p95_ms": round(percentile(times, 95), 3),
        f"{name}_max_ms": round(max(times), 3),
        f"{name}_first_ms": round(first, 3),
        f"{name}_count": len(times),
    }


def _open(work: Path, data: Path | None):
    """The database to write to, migrated, with a configured CH-01 workstation."""
    from windowdesk.paths import resources_dir
    from windowdesk.services import bootstrap
    from windowdesk.storage.crypto import new_key
    from windowdesk.storage.db import Database
    from windowdesk.storage.migrate import migrate_to_head

    path = work / "fees.sqlite3"
    if data is not None:
        key = read_key(data)
        shutil.copyfile(data, path)
    else:
        key = new_key()
    migrate_to_head(path, work / "backups", key=key)
    db = Database(path, key=key)
    ctx = bootstrap.ensure_demo(db, resources_dir())
    return db, dataclasses.replace(ctx, clock=lambda: MOMENT)


def _window(ctx, center: str, window: str):
    return dataclasses.replace(ctx, center_code=center, window_id=f"{center}-{window}", window_code=window)


def _run(work: Path, *, samples: int, receipts: int, data: Path | None) -> dict:
    from windowdesk import i18n
    from windowdesk.domain.fees import Tender
    from windowdesk.paths import resources_dir
    from windowdesk.services import auth, dayclose, intake, payments
    from windowdesk.services import receipts as receipt_service
    from windowdesk.services.applicants import ApplicantRef
    from windowdesk.services.approval import SupervisorCredentials
    from windowdesk.services.intake import MaterialCheck
    from windowdesk.services.working_days import load_shipped_calendar
    from windowdesk.storage import queries

    i18n.set_locale(i18n.DEFAULT_LOCALE)
    started = time.perf_counter()
    db, ctx = _open(work, data)
    calendar = load_shipped_calendar(resources_dir())
    with db.read() as session:
        who = ApplicantRef("resident", queries.resident_by_id_number(session, "230902196210010496").id)
        checks = [MaterialCheck(mat.code, "received") for mat in queries.item_with_details(session, "LL-001").materials]
    cases = [
        intake.accept_case(db, ctx, item_code="LL-001", applicant=who, checks=checks, shipped_calendar=calendar).id
        for _ in range(samples + WARMUP + 1)
    ]
    log(f"[fees] set up {len(cases)} accepted cases in {time.perf_counter() - started:.1f}s")
    summary: dict = {}
    cash = Tender("cash", tendered_fen=10_000)
    summary |= _summary(
        "payment_commit", *_timed(lambda i: payments.pay_case_fee(db, ctx, case_id=cases[i], tender=cash), samples)
    )

    street = _window(ctx, "JD01", "01")
    summary |= _summary(
        "utility_commit",
        *_timed(
            lambda i: payments.pay_utility(
                db,
                street,
                utility="water",
                account_number=f"W{i:06d}",
                payer_name="王建国",
                period="2026-10",
                amount_fen=3050 + i,
                tender=cash,
            ),
            samples,
        ),
    )

    # A busy street window: --receipts receipts on one day, every method, 1 % voided.
    closing = _window(ctx, "JD01", "02")
    auth.create_operator(
        db,
        street,
        login=SUPERVISOR_LOGIN,
        display_name="值班负责人",
        role="supervisor",
        initial_password=SUPERVISOR_PASSWORD,
    )
    supervisor = SupervisorCredentials(SUPERVISOR_LOGIN, SUPERVISOR_PASSWORD)
    tenders = (cash, Tender("bank_card", reference="POS"), Tender("mobile", reference="QR"))
    started = time.perf_counter()
    issued = [
        payments.pay_utility(
            db,
            closing,
            utility="electricity",
            account_number=f"E{i:06d}",
            payer_name="李桂兰",
            period="2026-10",
            amount_fen=500 + i % 900,
            tender=tenders[i % 3],
        ).receipt_id
        for i in range(receipts)
    ]
    for receipt_id in issued[::100]:
        receipt_service.void_receipt(db, closing, receipt_id=receipt_id, reason="bench", supervisor=supervisor)
    log(f"[fees] issued {receipts} receipts on one day in {time.perf_counter() - started:.1f}s")
    summary |= _summary("day_totals", *_timed(lambda _i: dayclose.day_totals(db, closing), 20))
    expected = dayclose.day_totals(db, closing).expected_cash_fen
    started = time.perf_counter()
    dayclose.close_day(db, closing, day=MOMENT.date(), counted_cash_fen=expected, supervisor=supervisor)
    summary["day_close_ms"] = round((time.perf_counter() - started) * 1000, 3)
    summary["receipts_in_closed_day"] = receipts
    db.dispose()
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--samples", type=int, default=300)
    parser.add_argument("--receipts", type=int, default=2000)
    parser.add_argument("--data", type=Path, help="a database made by bench/generate.py (copied, never written)")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="windowdesk-bench-fees-"))
    try:
        summary = _run(work, samples=args.samples, receipts=args.receipts, data=args.data)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    summary["targets_met"] = {key: summary[key] < limit for key, limit in TARGETS_MS.items()}
    summary["environment"] = {
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "data": str(args.data) if args.data else "fresh demo database",
    }
    for key, value in summary.items():
        if key.endswith("_ms"):
            log(f"  {key:<28} {value:>10.3f}")
    log(f"  targets met: {summary['targets_met']}")
    print(json.dumps(summary, ensure_ascii=False))
    return 0 if all(summary["targets_met"].values()) else 1


if __name__ == "__main__":
    sys.exit(main())
