"""The online service hall's public pages under load, on a real hub process.

    python bench/online_hall.py [--cases 200000] [--hub sqlite|postgresql] [--seconds 60] [--rate 200]
                                [--workers 2] [--connections 16] [--hub-src OTHER/src]

Makes a hub database with a year of the city's cases (bench/hub_report.py's generator:
cases with their pushed acceptance and timeline, ratings, notifications; on PostgreSQL
through an adapter of the same SQL), gives ``--sample`` of those cases a query code, and
serves it with ``windowdesk-hub serve --workers 2`` on loopback. Then, over HTTP:

* ``code_check_p95_ms``: opening a case with its number and query code (POST /status: the
  throttle's counts, the case row, one scrypt hash), one request at a time;
* ``status_page_p95_ms``: the case's public status page (GET /case once opened: the case,
  its timeline, the accepted event's promised date, the rating state);
* ``guide_page_p95_ms``: a service guide (GET /guides/<code>);
* ``sustained_rps`` and ``errors``: ``--rate`` requests per second for ``--seconds`` over
  ``--connections`` kept-alive connections (70 % guide pages, 20 % case pages, 10 % guide
  searches; bench/lean_http.py), with the p95 of each kind under that load
  (``sustained_guide_p95_ms``, ``sustained_case_p95_ms``, ``sustained_search_p95_ms``);
* ``hub_cpu_ms_per_request``: the hub's processes' CPU over the sustained phase, per
  request answered; ``load_generator_cpu_ms_per_request``: the generator's own.

The load generator runs on the same machine as the hub (two cores here): its own CPU is
part of what limits the rate, so it is lean (one asyncio loop, raw HTTP/1.1). With
``--hub-src`` the hub serves another checkout's code (the generator stays this one):
run old and new one after the other to compare them. Last stdout line: one JSON object.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import random
import re
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

BENCH_DIR = str(Path(__file__).resolve().parent)
# bench/queue.py would shadow the standard library's queue, which requests' urllib3 needs:
# requests is imported before this folder is on the path.
sys.path[:] = [entry for entry in sys.path if entry not in ("", BENCH_DIR)]
import requests  # noqa: E402

sys.path.insert(0, BENCH_DIR)

from _common import REPO_ROOT, ensure_importable, log, percentile  # noqa: E402

ensure_importable()
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))  # tests.sync.hub_process: the hub process

import hub_report  # noqa: E402 - the hub data generator, after the paths above
from lean_http import Target, run_load  # noqa: E402

POSTGRES_ENV = "WINDOWDESK_TEST_POSTGRES_URL"
QUERY_CODE = "ACDE7KMN"


class PostgresFill:
    """sqlite3's ``execute``/``executemany`` with ``?`` placeholders, over psycopg, so the
    same generator fills a PostgreSQL hub."""

    def __init__(self, url: str) -> None:
        import psycopg

        self.connection = psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True)

    @staticmethod
    def _sql(sql: str) -> str:
        sql = sql.replace("?", "%s")
        return sql.replace("'operator', %s, 1, %s, '', 0)", "'operator', %s, true, %s, '', false)")

    def execute(self, sql: str, params: tuple = ()):
        if sql.startswith("PRAGMA"):
            return self.connection.execute("SELECT 1")
        return self.connection.execute(self._sql(sql), params)

    def executemany(self, sql: str, rows: list) -> None:
        if rows:
            with self.connection.cursor() as cursor:
                cursor.executemany(self._sql(sql), rows)

    def close(self) -> None:
        self.connection.close()


def _fill(hub, cases: int, sample: int) -> tuple[dict, list[str]]:
    """The year of cases, then a query code for ``sample`` of them; their numbers."""
    from windowdesk.domain.query_codes import hash_query_code

    today = dt.date.today()
    if hub.is_sqlite:
        hub.stop()
        made = hub_report._fill(Path(hub.database_url.removeprefix("sqlite:///")), cases, today)
    else:
        filler = PostgresFill(hub.database_url)
        try:
            made = hub_report.fill_connection(filler, cases, today)
        finally:
            filler.close()
    numbers = [row[0] for row in hub.rows("SELECT case_number FROM cases ORDER BY id LIMIT :n", n=sample * 20)]
    numbers = random.Random(7).sample(numbers, min(sample, len(numbers)))
    code_hash = hash_query_code(QUERY_CODE)  # one hash for all: each lookup still costs one scrypt
    with hub.engine.begin() as connection:
        from sqlalchemy import bindparam, text

        connection.execute(
            text("UPDATE cases SET query_code_hash = :hash WHERE case_number IN :numbers").bindparams(
                bindparam("numbers", expanding=True)
            ),
            {"hash": code_hash, "numbers": numbers},
        )
    return made, numbers


def _csrf(session, base: str) -> str:
    page = session.get(f"{base}/status", timeout=10)
    return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)


def _timed(call) -> tuple[float, object]:
    began = time.perf_counter()
    answer = call()
    return (time.perf_counter() - began) * 1000, answer


def _open_cases(base: str, numbers: list[str]) -> tuple[list[float], dict[str, str]]:
    """Each sampled case opened with its code (timed); the browser cookie of each."""
    session = requests.Session()
    token = _csrf(session, base)
    times, cookies = [], {}
    for number in numbers:
        ms, answer = _timed(
            lambda number=number: session.post(
                f"{base}/status",
                data={"csrf_token": token, "case_number": number, "query_code": QUERY_CODE},
                allow_redirects=False,
                timeout=10,
            )
        )
        if answer.status_code != 303:
            raise SystemExit(f"opening {number} answered {answer.status_code}: {answer.text[:300]}")
        times.append(ms)
        cookies[number] = answer.cookies["wd_case"]
    return times, cookies


def _sequential(base: str, paths: list[tuple[str, dict]], runs: int) -> list[float]:
    session = requests.Session()
    times = []
    for n in range(runs):
        path, cookies = paths[n % len(paths)]
        ms, answer = _timed(lambda path=path, cookies=cookies: session.get(base + path, cookies=cookies, timeout=10))
        if answer.status_code != 200:
            raise SystemExit(f"GET {path} answered {answer.status_code}")
        times.append(ms)
    return times


def _warm_up(base: str, items: list[str], workers: int) -> None:
    """Every worker answering, and each having parsed the catalog once (a worker that
    starts slowly under load may take a while: patience, not an error)."""
    session = requests.Session()
    deadline = time.monotonic() + 180
    answered = 0
    while answered < len(items) + 4 * workers:
        try:
            if session.get(f"{base}/guides/{items[answered % len(items)]}", timeout=30).status_code == 200:
                answered += 1
                continue
        except requests.RequestException:
            pass
        if time.monotonic() > deadline:
            raise SystemExit("the hub did not answer within 3 minutes")
        time.sleep(1)


def _hub_cpu_seconds(pid: int) -> float:
    """User and system CPU of the process ``pid`` and its live children (Linux /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # gone meanwhile
        if int(entry.name) == pid or int(fields[1]) == pid:  # fields[1]: the parent's pid
            total += (int(fields[11]) + int(fields[12])) / ticks
    return total


@contextlib.contextmanager
def _sampled_codes(hub, sample: int):
    """An existing database (another bench's, say 2,000,000 cases): ``sample`` of its cases
    given the bench's query code while it runs, their own codes put back afterwards."""
    from sqlalchemy import bindparam, text

    from windowdesk.domain.query_codes import hash_query_code

    rows = hub.rows("SELECT case_number, query_code_hash FROM cases ORDER BY id LIMIT :n", n=sample * 20)
    kept = dict(random.Random(7).sample(rows, min(sample, len(rows))))
    change = text("UPDATE cases SET query_code_hash = :hash WHERE case_number = :number")
    with hub.engine.begin() as connection:
        connection.execute(
            text("UPDATE cases SET query_code_hash = :hash WHERE case_number IN :numbers").bindparams(
                bindparam("numbers", expanding=True)
            ),
            {"hash": hash_query_code(QUERY_CODE), "numbers": list(kept)},
        )
    try:
        yield list(kept)
    finally:
        with hub.engine.begin() as connection:
            connection.execute(change, [{"hash": old, "number": number} for number, old in kept.items()])


@contextlib.contextmanager
def _hub(kind: str, folder: Path, url: str | None):
    from tests.sync.hub_process import HubProcess, fresh_postgres_database

    if kind == "sqlite":
        hub = HubProcess(folder / "hub")
        try:
            yield hub
        finally:
            hub.close()
        return
    admin = url or os.environ.get(POSTGRES_ENV)
    if not admin:
        raise SystemExit(f"--hub postgresql needs --database-url or {POSTGRES_ENV}")
    with fresh_postgres_database(admin, "bench_hall") as fresh:
        hub = HubProcess(folder / "hub", fresh)
        try:
            yield hub
        finally:
            hub.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--hub", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--database-url", default=None, help=f"PostgreSQL server (default ${POSTGRES_ENV})")
    parser.add_argument("--sample", type=int, default=200, help="cases given a query code and looked up")
    parser.add_argument("--runs", type=int, default=400, help="sequential requests per page kind")
    parser.add_argument("--rate", type=float, default=200.0)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--connections", type=int, default=16, help="kept-alive connections of the load")
    parser.add_argument("--workers", type=int, default=2, help="hub worker processes")
    parser.add_argument(
        "--existing",
        default=None,
        metavar="DATABASE_URL",
        help="serve this hub database as it is (made by another bench): nothing is generated, "
        "--sample of its cases get the bench's query code while it runs",
    )
    parser.add_argument(
        "--hub-src",
        type=Path,
        default=None,
        help="serve the hub from this source folder (another checkout's src/: before and after)",
    )
    args = parser.parse_args(argv)
    if args.hub_src is not None:  # the hub's child process finds windowdesk there first
        os.environ["PYTHONPATH"] = os.pathsep.join(
            filter(None, (str(args.hub_src.resolve()), os.environ.get("PYTHONPATH")))
        )
    from windowdesk.i18n import set_locale

    set_locale("en")
    if args.existing:
        return _on_existing(args)
    with (
        tempfile.TemporaryDirectory(prefix="wd-bench-hall-") as tmp,
        _hub(args.hub, Path(tmp), args.database_url) as hub,
    ):
        hub.import_catalog()  # migrates the new database too
        began = time.perf_counter()
        made, numbers = _fill(hub, args.cases, args.sample)
        log(f"made {made} in {time.perf_counter() - began:.0f} s")
        base = hub.start(serve_args=["--workers", str(args.workers)])
        try:
            result = _measure(args, hub, base, numbers)
        except BaseException:
            log(f"the hub's log: {hub.log_tail()}")
            raise
    result = {"hub": args.hub, "cases": args.cases, "hub_src": str(args.hub_src or "this checkout"), **result}
    print(json.dumps(result, ensure_ascii=False))
    return 0


def _on_existing(args: argparse.Namespace) -> int:
    from tests.sync.hub_process import HubProcess

    with tempfile.TemporaryDirectory(prefix="wd-bench-hall-") as tmp:
        hub = HubProcess(Path(tmp) / "hub", args.existing)
        try:
            if not hub.scalar("SELECT count(*) FROM catalog_versions"):
                hub.import_catalog()
            cases = hub.scalar("SELECT count(*) FROM cases")
            with _sampled_codes(hub, args.sample) as numbers:
                base = hub.start(serve_args=["--workers", str(args.workers)])
                try:
                    result = _measure(args, hub, base, numbers)
                except BaseException:
                    log(f"the hub's log: {hub.log_tail()}")
                    raise
                finally:
                    hub.stop()
        finally:
            hub.close()
    kind = "sqlite" if args.existing.startswith("sqlite") else "postgresql"
    print(
        json.dumps(
            {"hub": kind, "cases": cases, "existing": True, "hub_src": str(args.hub_src or "this checkout"), **result},
            ensure_ascii=False,
        )
    )
    return 0


def _measure(args: argparse.Namespace, hub, base: str, numbers: list[str]) -> dict:
    from windowdesk.paths import resources_dir

    items = [
        item["code"] for item in json.loads((resources_dir() / "catalog" / "items.json").read_text("utf-8"))["items"]
    ]
    _warm_up(base, items, args.workers)
    code_times, cookies = _open_cases(base, numbers)
    case_paths = [("/case", {"wd_case": cookie}) for cookie in cookies.values()]
    guide_paths = [(f"/guides/{code}", {}) for code in items]
    status_times = _sequential(base, case_paths, args.runs)
    guide_times = _sequential(base, guide_paths, args.runs)
    log(f"sustained load: {args.rate:g} requests/s for {args.seconds:g} s over {args.connections} connections ...")
    hub_cpu = _hub_cpu_seconds(hub.process.pid)
    load = run_load(
        "127.0.0.1",
        hub.port,
        _mix(items, list(cookies.values())),
        rate=args.rate,
        seconds=args.seconds,
        connections=args.connections,
    )
    hub_cpu = _hub_cpu_seconds(hub.process.pid) - hub_cpu
    problems = hub.unexpected_errors()
    # uvicorn's supervisor logs each worker it killed (a missed health check) or lost.
    restarts = hub.log_path.read_text(encoding="utf-8", errors="replace").count("Child process [")
    answered = max(1, load.answered)
    every = [ms for times in load.times_ms.values() for ms in times]
    return {
        "sampled_cases": len(numbers),
        "workers": args.workers,
        "code_check_p95_ms": round(percentile(code_times, 95), 1),
        "status_page_p95_ms": round(percentile(status_times, 95), 1),
        "status_page_p50_ms": round(percentile(status_times, 50), 1),
        "guide_page_p95_ms": round(percentile(guide_times, 95), 1),
        "guide_page_p50_ms": round(percentile(guide_times, 50), 1),
        "target_rps": args.rate,
        "sustained_rps": round(load.answered / load.seconds, 1),
        "errors": len(load.errors),
        "error_kinds": sorted(set(load.errors))[:5],
        "sustained_requests": load.answered,
        "sustained_seconds": round(load.seconds, 1),
        "sustained_p95_ms": round(percentile(every, 95), 1) if every else None,
        # Under the load, per page: the time from sending a request to its last byte.
        **{
            f"sustained_{kind}_p95_ms": round(percentile(times, 95), 1) for kind, times in sorted(load.times_ms.items())
        },
        # How late requests left (all connections busy): large means the hub fell behind.
        "send_lag_p95_ms": round(percentile(load.lag_ms, 95), 1) if load.lag_ms else None,
        "hub_errors_logged": bool(problems),
        # CPU of the sustained phase: the hub's processes (serving process and its live
        # workers), per request, and the load generator's own (the same two cores).
        "sustained_hub_cpu_s": round(hub_cpu, 2),
        "hub_cpu_ms_per_request": round(1000 * hub_cpu / answered, 3),
        "load_generator_cpu_s": round(load.cpu_seconds, 2),
        "load_generator_cpu_ms_per_request": round(1000 * load.cpu_seconds / answered, 3),
        "workers_restarted": restarts,
        "python": platform.python_version(),
        "machine": platform.machine(),
    }


def _mix(items: list[str], case_cookies: list[str]) -> list[Target]:
    """70 % guide pages, 20 % case pages, 10 % guide searches, shuffled."""
    searches = ("lnz", "laonian", "hk", "低保", "yl", "cjz", "fc", "gs")
    count = 1000
    rng = random.Random(11)
    targets = [Target("guide", f"/guides/{rng.choice(items)}") for _ in range(count * 7 // 10)]
    targets += [Target("case", "/case", f"wd_case={rng.choice(case_cookies)}") for _ in range(count * 2 // 10)]
    targets += [Target("search", "/guides?q=" + quote(rng.choice(searches))) for _ in range(count // 10)]
    rng.shuffle(targets)
    return targets


if __name__ == "__main__":
    sys.exit(main())
