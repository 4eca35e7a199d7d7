"""The online service hall's public pages under load, on a real hub process.

    python bench/online_hall.py [--cases 200000] [--hub sqlite|postgresql] [--seconds 60] [--rate 200]

Makes a hub database with a year of the city's cases (bench/hub_report.py's generator:
cases with their pushed acceptance and timeline, ratings, notifications; on PostgreSQL
through an adapter of the same SQL), gives ``--sample`` of those cases a query code, and
serves it with ``windowdesk-hub serve --workers 2`` on loopback. Then, over HTTP:

* ``code_check_p95_ms``: opening a case with its number and query code (POST /status: the
  throttle's counts, the case row, one scrypt hash), one request at a time;
* ``status_page_p95_ms``: the case's public status page (GET /case once opened: the case,
  its timeline, the accepted event's promised date, the rating state);
* ``guide_page_p95_ms``: a service guide (GET /guides/<code>);
* ``sustained_rps`` and ``errors``: ``--rate`` requests per second for ``--seconds`` from
  ``--clients`` threads (70 % guide pages, 20 % case pages, 10 % guide searches), with
  their p95 under that load.

The load generator runs on the same machine as the hub (two cores here): its own CPU is
part of what limits the rate. Last stdout line: one JSON object.
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
import threading
import time
from pathlib import Path

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
            text("UPDATE cases SET query_code_hash = :hash WHERE case_number IN :numbers")
            .bindparams(bindparam("numbers", expanding=True)), {"hash": code_hash, "numbers": numbers})
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
        ms, answer = _timed(lambda number=number: session.post(
            f"{base}/status", data={"csrf_token": token, "case_number": number, "query_code": QUERY_CODE},
            allow_redirects=False, timeout=10))
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


def _sustained(base: str, mix: list[tuple[str, dict]], *, rate: float, seconds: float, clients: int) -> dict:
    """``rate`` requests per second, paced, from ``clients`` threads."""
    lock = threading.Lock()
    times: list[float] = []
    errors: list[str] = []
    started = time.perf_counter()
    stop_at = started + seconds

    def client(index: int) -> None:
        session = requests.Session()
        rng = random.Random(index)
        interval = clients / rate
        next_at = started + index * interval / clients
        while True:
            now = time.perf_counter()
            if next_at >= stop_at:
                return
            if next_at > now:
                time.sleep(next_at - now)
            next_at += interval
            path, cookies = rng.choice(mix)
            try:
                ms, answer = _timed(lambda path=path, cookies=cookies: session.get(base + path, cookies=cookies,
                                                                                     timeout=10))
                ok = answer.status_code == 200
            except requests.RequestException as error:
                ms, ok = 0.0, False
                answer = error
            with lock:
                if ok:
                    times.append(ms)
                else:
                    errors.append(str(getattr(answer, "status_code", answer))[:80])

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return {"sustained_rps": round(len(times) / elapsed, 1), "errors": len(errors),
            "error_kinds": sorted(set(errors))[:5], "sustained_p95_ms": round(percentile(times, 95), 1),
            "sustained_requests": len(times), "sustained_seconds": round(elapsed, 1)}


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
    parser.add_argument("--clients", type=int, default=24)
    parser.add_argument("--workers", type=int, default=2, help="hub worker processes")
    args = parser.parse_args(argv)
    from windowdesk.i18n import set_locale

    set_locale("en")
    with tempfile.TemporaryDirectory(prefix="wd-bench-hall-") as tmp, _hub(args.hub, Path(tmp), args.database_url) as hub:
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
    result = {"hub": args.hub, "cases": args.cases, **result}
    print(json.dumps(result, ensure_ascii=False))
    return 0


def _measure(args: argparse.Namespace, hub, base: str, numbers: list[str]) -> dict:
    from windowdesk.paths import resources_dir

    items = [item["code"] for item in json.loads((resources_dir() / "catalog" / "items.json").read_text("utf-8"))["items"]]
    _warm_up(base, items, args.workers)
    code_times, cookies = _open_cases(base, numbers)
    case_paths = [("/case", {"wd_case": cookie}) for cookie in cookies.values()]
    guide_paths = [(f"/guides/{code}", {}) for code in items]
    status_times = _sequential(base, case_paths, args.runs)
    guide_times = _sequential(base, guide_paths, args.runs)
    searches = [(f"/guides?q={q}", {}) for q in ("lnz", "laonian", "hk", "低保", "yl", "cjz", "fc", "gs")]
    mix = guide_paths * 7 + case_paths[: len(guide_paths) * 2] + searches * max(1, len(guide_paths) // 8)
    log("sustained load ...")
    hub_cpu, own_cpu = _hub_cpu_seconds(hub.process.pid), time.process_time()
    load = _sustained(base, mix, rate=args.rate, seconds=args.seconds, clients=args.clients)
    hub_cpu, own_cpu = _hub_cpu_seconds(hub.process.pid) - hub_cpu, time.process_time() - own_cpu
    problems = hub.unexpected_errors()
    # uvicorn's supervisor logs each worker it killed (a missed health check) or lost.
    restarts = hub.log_path.read_text(encoding="utf-8", errors="replace").count("Child process [")
    return {
        "sampled_cases": len(numbers), "workers": args.workers,
        "code_check_p95_ms": round(percentile(code_times, 95), 1),
        "status_page_p95_ms": round(percentile(status_times, 95), 1),
        "status_page_p50_ms": round(percentile(status_times, 50), 1),
        "guide_page_p95_ms": round(percentile(guide_times, 95), 1),
        "guide_page_p50_ms": round(percentile(guide_times, 50), 1),
        "target_rps": args.rate, **load, "hub_errors_logged": bool(problems),
        # CPU of the sustained phase: the hub's processes (serving process and its live
        # workers), per request, and the load generator's own (the same two cores).
        "sustained_hub_cpu_s": round(hub_cpu, 2),
        "hub_cpu_ms_per_request": round(1000 * hub_cpu / max(1, load["sustained_requests"]), 2),
        "load_generator_cpu_s": round(own_cpu, 2), "workers_restarted": restarts,
        "python": platform.python_version(), "machine": platform.machine(),
    }


if __name__ == "__main__":
    sys.exit(main())
