"""How fast the counter's everyday actions are on a large database.

    python bench/intake.py [--residents N] [--cases M] [--data FILE] [--samples 300]

Generates the data first when the file is missing (``bench/generate.py``), copies it to
a temporary file (the original is never written to) and measures, through the real
services and the real ``windowdesk.storage.db.Database`` (WAL, ``synchronous=FULL``):

* resident lookup by full ID number, by name (full name or 2-character prefix), by phone
* catalog search as you type, one keystroke at a time
* an intake commit (``accept_case``: case, materials, event, number, audit, outbox)
* a one-time notification commit (``notify_missing``)
* and, for information, ID-prefix and 1-character-name lookups, today's worklist and
  one record's detail.

Each figure is taken with ``time.perf_counter`` over ``--samples`` calls after a few
warm-ups; the very first call of each kind (cold statement caches) is reported apart.
The database is encrypted (SQLCipher, key in ``<file>.key``) like the application's
unless ``--plain`` is given. A table goes to stderr; the last stdout line is one JSON
object.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (
    DEFAULT_CASES,
    DEFAULT_RESIDENTS,
    DEFAULT_SEED,
    connect,
    default_data_path,
    encryption_available,
    ensure_importable,
    keyword_if_supported,
    log,
    percentile,
    read_key,
)

ensure_importable()

TARGETS_MS = {
    "lookup_id": 5.0,
    "lookup_name": 5.0,
    "lookup_phone": 5.0,
    "catalog_search": 10.0,
    "intake_commit": 10.0,
    "notify_commit": 10.0,
}

# What an operator types into the item search, one key at a time.
CATALOG_TERMS = (
    "lnz",
    "laonian",
    "老年证",
    "hukou",
    "户口",
    "低保",
    "dibao",
    "fangwu",
    "房屋",
    "结婚",
    "jiehun",
    "shebao",
    "社保",
    "yibao",
    "医保",
    "失业",
    "shiye",
    "营业执照",
    "yyzz",
    "canji",
    "残疾",
    "lnzbl",
    "sfz",
    "身份证",
    "qianyi",
    "户口迁移",
    "tuixiu",
    "养老",
    "gsdj",
    "jiuzhu",
)

WARMUP = 5


def _time_calls(fn: Callable, inputs: Sequence, warmup: int = WARMUP) -> tuple[float, list[float], list[float]]:
    """(first call ms, list of ms for the calls after ``warmup`` warm-ups, and the same
    calls' CPU ms: on a machine shared with other work the wall time mostly measures the
    wait for a core, the CPU time what the call itself costs)."""
    t = time.perf_counter()
    fn(inputs[0])
    first = (time.perf_counter() - t) * 1000
    for arg in inputs[1 : 1 + warmup]:
        fn(arg)
    times = []
    cpu = []
    for arg in inputs[1 + warmup :]:
        t, c = time.perf_counter(), time.thread_time()
        fn(arg)
        times.append((time.perf_counter() - t) * 1000)
        cpu.append((time.thread_time() - c) * 1000)
    return first, times, cpu


def _copy_database(source: Path, folder: Path, key: bytes | None) -> Path:
    target = folder / source.name
    conn = connect(source, key)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    shutil.copyfile(source, target)
    # Flush the fresh copy now: otherwise the first WAL checkpoint's fsync of the
    # database file would pay for writing all of it to disk and show up as a
    # ~250 ms "commit" that no real workstation ever sees.
    fd = os.open(target, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    return target


def run(data: Path, *, samples: int, seed: int, keep: bool, tmpdir: str | None) -> dict:
    """Measure on a copy of ``data`` in a temporary folder (removed unless ``keep``)."""
    work = Path(tempfile.mkdtemp(prefix="windowdesk-bench-", dir=tmpdir))
    try:
        return _run(data, work, samples=samples, seed=seed)
    finally:
        if keep:
            log(f"[intake] kept the written copy in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


def _run(data: Path, work: Path, *, samples: int, seed: int) -> dict:
    from windowdesk import i18n
    from windowdesk.paths import resources_dir
    from windowdesk.services import applicants, catalog, intake, worklist, workstation
    from windowdesk.services.applicants import ApplicantRef
    from windowdesk.services.intake import MaterialCheck
    from windowdesk.services.working_days import load_shipped_calendar
    from windowdesk.storage.db import Database

    i18n.set_locale(i18n.DEFAULT_LOCALE)
    rng = random.Random(seed)
    t = time.perf_counter()
    key = read_key(data)
    keyed = keyword_if_supported(Database, "key", key)
    if key is not None and not keyed:
        raise SystemExit(f"{data} is encrypted but this windowdesk cannot open encrypted files")
    path = _copy_database(data, work, key)
    log(f"[intake] copied {data.name} to {path} in {time.perf_counter() - t:.1f}s")
    # A file generated before a newer migration is brought up to date the way the app
    # does it at start-up (backup first, into the temporary folder).
    from windowdesk.storage.migrate import current_revision, migrate_to_head

    revision = current_revision(path, **keyword_if_supported(current_revision, "key", key))
    t = time.perf_counter()
    migrated = migrate_to_head(path, work / "backups", **keyword_if_supported(migrate_to_head, "key", key)) is not None
    migrate_seconds = time.perf_counter() - t
    shutil.rmtree(work / "backups", ignore_errors=True)
    if migrated:
        log(f"[intake] migrated the copy from {revision} in {migrate_seconds:.1f}s (backup included)")

    raw = connect(path, key)
    sqlite_version = raw.execute("SELECT sqlite_version()").fetchone()[0]
    cipher = raw.execute("PRAGMA cipher_version").fetchone()
    cipher_version = cipher[0] if cipher else None
    residents = raw.execute("SELECT count(*) FROM residents").fetchone()[0]
    cases = raw.execute("SELECT count(*) FROM cases").fetchone()[0]
    max_rowid = raw.execute("SELECT max(rowid) FROM residents").fetchone()[0]
    n = samples + WARMUP + 1

    def random_residents(count: int, where: str = "1") -> list[tuple]:
        rows: list[tuple] = []
        while len(rows) < count:
            rowid = rng.randint(1, max_rowid)
            row = raw.execute(
                f"SELECT id, id_number, name, phone FROM residents WHERE rowid = ? AND {where}", (rowid,)
            ).fetchone()
            if row:
                rows.append(row)
        return rows

    people = random_residents(n)
    with_phone = random_residents(n, "phone != ''")
    people_for_writes = random_residents(2 * n)
    case_ids = (
        [
            r[0]
            for r in raw.execute(
                "SELECT id FROM cases WHERE rowid IN ({})".format(
                    ",".join(str(rng.randint(1, cases)) for _ in range(n))
                )
            )
        ]
        if cases
        else []
    )
    items = {}
    for code, mat_code, required in raw.execute(
        "SELECT i.code, m.code, m.required FROM catalog_items i JOIN item_materials m ON m.item_code = i.code "
        "WHERE i.active = 1 ORDER BY i.code, m.position"
    ):
        items.setdefault(code, []).append((mat_code, bool(required)))
    raw.close()
    item_codes = sorted(items)
    log(f"[intake] {residents:,} residents, {cases:,} cases, {len(item_codes)} items; {samples} samples each")

    db = Database(path, **keyed)
    results: dict[str, dict] = {}

    def record(name: str, first: float, times: list[float], cpu: list[float], **extra) -> None:
        results[name] = {
            "p50": percentile(times, 50),
            "p95": percentile(times, 95),
            "max": max(times),
            "first": first,
            "count": len(times),
            "cpu_p50": percentile(cpu, 50),
            "cpu_p95": percentile(cpu, 95),
            **extra,
        }

    ctx = workstation.current_context(db)
    assert ctx is not None, "the bench database has no configured workstation"

    def find(query: str) -> None:
        applicants.find_residents(db, ctx, query=query)

    # --- lookups -----------------------------------------------------------------
    record("lookup_id", *_time_calls(find, [p[1] for p in people]))
    full_names = [p[2] for p in people]
    prefixes = [p[2][:2] for p in people]
    mixed = [name if i % 2 else prefix for i, (name, prefix) in enumerate(zip(full_names, prefixes, strict=True))]
    record("lookup_name", *_time_calls(find, mixed))
    record("lookup_name_full", *_time_calls(find, full_names))
    record("lookup_name_prefix2", *_time_calls(find, prefixes))
    record("lookup_name_1char", *_time_calls(find, [p[2][:1] for p in people]))
    record("lookup_phone", *_time_calls(find, [p[3] for p in with_phone]))
    record("lookup_id_prefix", *_time_calls(find, [p[1][: rng.choice((6, 10, 14))] for p in people]))

    # --- catalog search as you type ---------------------------------------------
    keystrokes = [term[:k] for term in CATALOG_TERMS for k in range(1, len(term) + 1)]
    typed = [keystrokes[i % len(keystrokes)] for i in range(n)]
    search = catalog.CatalogSearch(db)
    hits: dict[str, int] = {}

    def search_once(prefix: str) -> None:
        hits[prefix] = len(search.search(prefix))

    record("catalog_search", *_time_calls(search_once, typed), keystrokes=len(set(typed)))
    t = time.perf_counter()
    search.refresh()
    results["catalog_search"]["refresh_ms"] = (time.perf_counter() - t) * 1000
    no_hit = sorted(p for p, count in hits.items() if count == 0)

    # --- reads of the day's work ---------------------------------------------------
    today_entries = len(worklist.list_day_work(db, ctx))
    worklist_runs = max(WARMUP + 2, min(samples, 50))
    record(
        "worklist_today",
        *_time_calls(lambda _x: worklist.list_day_work(db, ctx), list(range(worklist_runs))),
        entries=today_entries,
    )
    if case_ids:
        record(
            "case_detail",
            *_time_calls(lambda cid: worklist.get_record_detail(db, ctx, kind=worklist.CASE, record_id=cid), case_ids),
        )

    # --- writes with the real durability settings ---------------------------------
    calendar = load_shipped_calendar(resources_dir())
    writers = iter(people_for_writes)
    numbers: list[str] = []

    def accept(_i: int) -> None:
        code = rng.choice(item_codes)
        checks = [MaterialCheck(mat, "received") for mat, _required in items[code]]
        result = intake.accept_case(
            db,
            ctx,
            item_code=code,
            applicant=ApplicantRef(applicants.RESIDENT, next(writers)[0]),
            checks=checks,
            shipped_calendar=calendar,
        )
        numbers.append(result.number)

    def notify(_i: int) -> None:
        code = rng.choice(item_codes)
        mats = items[code]
        missing = rng.randrange(len(mats))
        checks = []
        for k, (mat, _required) in enumerate(mats):
            if k == missing:
                checks.append(MaterialCheck(mat, "missing"))
            elif rng.random() < 0.2:
                checks.append(MaterialCheck(mat, "correction", note="复印件不清晰，请重新复印"))
            else:
                checks.append(MaterialCheck(mat, "received"))
        intake.notify_missing(
            db,
            ctx,
            item_code=code,
            applicant=ApplicantRef(applicants.RESIDENT, next(writers)[0]),
            checks=checks,
        )

    record("intake_commit", *_time_calls(accept, list(range(n))))
    record("notify_commit", *_time_calls(notify, list(range(n))))
    wal = Path(f"{path}-wal")
    wal_mb = wal.stat().st_size / 1e6 if wal.exists() else 0.0
    db.dispose()

    summary: dict = {"residents": residents, "cases": cases, "samples": samples, "encrypted": key is not None}
    if migrated:
        summary["migrated_from"] = revision
        summary["migrate_with_backup_seconds"] = round(migrate_seconds, 2)
    for name, r in results.items():
        summary[f"{name}_p50_ms"] = round(r["p50"], 3)
        summary[f"{name}_p95_ms"] = round(r["p95"], 3)
        summary[f"{name}_max_ms"] = round(r["max"], 3)
        summary[f"{name}_first_ms"] = round(r["first"], 3)
        summary[f"{name}_cpu_p50_ms"] = round(r["cpu_p50"], 3)
        summary[f"{name}_cpu_p95_ms"] = round(r["cpu_p95"], 3)
        summary[f"{name}_count"] = r["count"]
    summary["catalog_refresh_ms"] = round(results["catalog_search"]["refresh_ms"], 3)
    summary["catalog_keystrokes"] = results["catalog_search"]["keystrokes"]
    summary["catalog_prefixes_without_hits"] = no_hit
    summary["worklist_today_entries"] = today_entries
    summary["last_case_number"] = numbers[-1] if numbers else None
    summary["wal_mb_after_writes"] = round(wal_mb, 1)
    summary["targets_met"] = {
        name: results[name]["p95"] < limit for name, limit in TARGETS_MS.items() if name in results
    }
    summary["environment"] = {
        "python": platform.python_version(),
        "sqlite": sqlite_version,
        "sqlcipher": cipher_version,
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "data": str(data),
        "loadavg_1min_at_end": round(os.getloadavg()[0], 2),
    }
    _print_table(results)
    return summary


def _print_table(results: dict[str, dict]) -> None:
    log("")
    log(f"{'measure':<22}{'count':>7}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}{'first ms':>10}{'target':>9}")
    for name, r in results.items():
        target = TARGETS_MS.get(name)
        mark = "" if target is None else (f"<{target:g} ok" if r["p95"] < target else f"<{target:g} NO")
        log(f"{name:<22}{r['count']:>7}{r['p50']:>10.2f}{r['p95']:>10.2f}{r['max']:>10.2f}{r['first']:>10.2f}{mark:>9}")
    log("")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--residents", type=int, default=DEFAULT_RESIDENTS)
    parser.add_argument(
        "--cases",
        type=int,
        default=None,
        help=f"default {DEFAULT_CASES:,} (scaled down with --residents below the default)",
    )
    parser.add_argument(
        "--data",
        type=Path,
        default=None,
        help="database file (key in <file>.key if encrypted); "
        "default bench/data/bench-<residents>r-<cases>c[-plain].sqlite3",
    )
    parser.add_argument("--samples", type=int, default=300)
    parser.add_argument(
        "--plain", action="store_true", help="use (and generate) the unencrypted file, to see what encryption costs"
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--tmpdir", default=None, help="where the written copy goes (default: system temp)")
    parser.add_argument("--keep", action="store_true", help="keep the written copy for inspection")
    args = parser.parse_args(argv)
    if args.samples < 1:
        parser.error("--samples must be at least 1")
    cases = args.cases
    if cases is None:
        cases = DEFAULT_CASES if args.residents >= DEFAULT_RESIDENTS else max(1, args.residents * 2 // 5)
    plain = args.plain or not encryption_available()
    data = args.data or default_data_path(args.residents, cases, plain=plain)
    if not data.exists():
        from generate import generate

        log(f"[intake] {data} is missing: generating {args.residents:,} residents, {cases:,} cases")
        summary = generate(data, residents=args.residents, cases=cases, seed=args.seed, plain=plain)
        log(f"[intake] generated in {summary['seconds']}s")
    print(
        json.dumps(
            run(data, samples=args.samples, seed=args.seed, keep=args.keep, tmpdir=args.tmpdir), ensure_ascii=False
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
