"""Cold start of the real application, as a user (or an install check) sees it.

    python bench/startup.py [--runs 5] [--bench-data [FILE]]

Runs ``python -m windowdesk --data-dir <tmp> --demo --smoke-test <tmp>/shot.png`` in a
fresh process with ``QT_QPA_PLATFORM=offscreen``: the first run on an empty data folder
(new database, catalog import, demo workstation: ``first_start_seconds``), then the other
runs on the same, existing folder (``smoke_start_p50_seconds`` / ``_max_seconds``), each
with its CPU time (``_cpu_``); before them a real window's first start, an empty folder
without ``--demo`` up to the first-run set-up (``real_first_start_seconds``). Each
run must exit 0 and leave a non-empty PNG. ``--bench-data`` also times warm starts on a
copy of a large generated database (default: the 500,000-resident one), wall and CPU time.
That copy holds real data (no demo marker), which the window refuses to start with
``--demo``: it is started as a real window is, without ``--demo``, its key in the keyring,
up to the login screen (what a window shows at start until the operator logs in).

Every start is timed twice: up to its screen (``_to_screen_`` keys: the child marks the
moment its main returns, having drawn and saved the screen, with the CPU spent so far), and
as the whole process, its exit included (the other keys; the exit is no part of a start,
and how long it takes depends on how many objects the collector still watches then).

A ``python -X importtime`` run then shows, on stderr, the ten imports that cost the most
(cumulative and self), i.e. where start-up time goes. The last stdout line is JSON.

``--frozen DIR/windowdesk`` times the frozen build instead (PyInstaller's one folder, as
the packages install it), the same starts without the import breakdown; the load average
before and after says how busy the machine was.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (
    DEFAULT_CASES,
    DEFAULT_RESIDENTS,
    REPO_ROOT,
    default_data_path,
    encryption_available,
    ensure_importable,
    log,
    read_key,
)

TARGET_SECONDS = 1.5

# A start is timed to its screen: the child runs the window as ``python -m windowdesk``
# does and, once its main returns (the screen drawn and saved by --smoke-test), writes on
# stderr when (time.time()) and after how much CPU (its own and its children's). The
# interpreter's exit comes after that mark and is no part of a start: a window exits when
# its operator closes it, and a smoke test's exit tears down every object the collector
# still watches (≈ 0.5 s of CPU on the 2,000,000-resident copy when nothing was frozen).
SCREEN_MARK = "windowdesk-bench-screen"
_RUN_TO_SCREEN = f"""
import resource, runpy, sys, time
sys.argv[0] = "windowdesk"
try:
    runpy.run_module("windowdesk", run_name="__main__", alter_sys=True)
    code = 0
except SystemExit as done:
    code = done.code
usage = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
print("{SCREEN_MARK}", time.time(), sum(u.ru_utime + u.ru_stime for u in usage), file=sys.stderr, flush=True)
sys.exit(code)
"""


class Start(NamedTuple):
    """One start: the whole process (wall, CPU: user + system, its exit included) and up to
    its screen (None for a frozen build, which runs no wrapper); stderr for the import log."""

    seconds: float
    cpu: float
    screen_seconds: float | None
    screen_cpu: float | None
    stderr: str


def _screen_mark(stderr: str, spawned_at: float) -> tuple[float | None, float | None]:
    for line in reversed(stderr.splitlines()):
        if line.startswith(SCREEN_MARK + " "):
            _mark, at, cpu = line.split()
            return float(at) - spawned_at, float(cpu)
    return None, None


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env.pop("WINDOWDESK_DATA_DIR", None)
    probe = subprocess.run([sys.executable, "-c", "import windowdesk"], env=env, capture_output=True)
    if probe.returncode != 0:  # a plain checkout: run the sources
        src = str(REPO_ROOT / "src")
        env["PYTHONPATH"] = src + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env


def _smoke(
    data_dir: Path,
    env: dict[str, str],
    *,
    timeout: float,
    extra: tuple[str, ...] = (),
    frozen: Path | None = None,
    demo: bool = True,
) -> Start:
    """One start. Raises SystemExit on a failed start.
    ``demo=False``: as a real window starts (a folder of real data refuses ``--demo``)."""
    shot = data_dir / "shot.png"
    shot.unlink(missing_ok=True)
    program = [str(frozen)] if frozen is not None else [sys.executable, *extra, "-c", _RUN_TO_SCREEN]
    cmd = [*program, "--data-dir", str(data_dir), *(["--demo"] if demo else []), "--smoke-test", str(shot)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    spawned_at = time.time()
    t = time.perf_counter()
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout, cwd=REPO_ROOT)
    seconds = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0 or not shot.exists() or shot.stat().st_size == 0:
        log(f"[startup] FAILED (exit {proc.returncode}, png {'ok' if shot.exists() else 'missing'}): {' '.join(cmd)}")
        log(proc.stdout[-2000:])
        log(proc.stderr[-4000:])
        raise SystemExit(1)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Start(seconds, cpu, *_screen_mark(proc.stderr, spawned_at), proc.stderr)


def _p50(values: list[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return round(statistics.median(known), 3) if known else None


def _shown(start: Start) -> str:
    """How a start reads in the log: to its screen first, the whole process after."""
    screen = (
        f"{start.screen_seconds:.3f} s ({start.screen_cpu:.3f} s CPU) to the screen, "
        if start.screen_seconds is not None and start.screen_cpu is not None
        else ""
    )
    return f"{screen}{start.seconds:.3f} s ({start.cpu:.3f} s CPU) with the exit"


def _importtime(stderr: str) -> list[tuple[int, int, str]]:
    """(self us, cumulative us, name) of every ``import time:`` line."""
    rows = []
    for line in stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        try:
            parts = line[len("import time:") :].split("|")
            rows.append((int(parts[0]), int(parts[1]), parts[2].rstrip()))
        except (ValueError, IndexError):
            continue
    return rows


def _report_imports(rows: list[tuple[int, int, str]]) -> dict:
    top_level = [r for r in rows if not r[2].startswith("  ")]
    total_us = sum(r[1] for r in top_level)
    log(f"\n[startup] imports: {total_us / 1e6:.3f} s in total (python -X importtime, warm start)")
    log("  top 10 by cumulative time:")
    for self_us, cum_us, name in sorted(rows, key=lambda r: -r[1])[:10]:
        log(f"    {cum_us / 1000:8.1f} ms  (self {self_us / 1000:6.1f})  {name.strip()}")
    log("  top 10 by self time:")
    for self_us, _cum_us, name in sorted(rows, key=lambda r: -r[0])[:10]:
        log(f"    {self_us / 1000:8.1f} ms  {name.strip()}")
    packages: dict[str, int] = {}
    for self_us, _cum, name in rows:
        root = name.strip().split(".")[0]
        packages[root] = packages.get(root, 0) + self_us
    log("  self time by top-level package:")
    for root, us in sorted(packages.items(), key=lambda kv: -kv[1])[:10]:
        log(f"    {us / 1000:8.1f} ms  {root}")
    return {
        "import_seconds": round(total_us / 1e6, 3),
        "import_top_cumulative": [
            {"module": name.strip(), "ms": round(cum / 1000, 1)}
            for _s, cum, name in sorted(rows, key=lambda r: -r[1])[:10]
        ],
        "import_by_package_ms": {
            root: round(us / 1000, 1) for root, us in sorted(packages.items(), key=lambda kv: -kv[1])[:10]
        },
    }


def _keyring_entry(database: Path):
    """(service, account) under which the application looks for this file's key, or None."""
    ensure_importable()
    try:
        from windowdesk.storage import keys
    except ImportError:
        return None
    return keys.KEYRING_SERVICE, str(Path(database).resolve())


def _forget_key(database: Path) -> None:
    """Remove the key the application (or we) stored for a throw-away database."""
    entry = _keyring_entry(database)
    if entry is None:
        return
    try:
        import keyring

        if keyring.get_password(*entry) is not None:
            keyring.delete_password(*entry)
    except Exception:  # noqa: BLE001 - hygiene only; never fail the measurement for it
        pass


def _give_key(database: Path, key: bytes) -> None:
    """Make the key findable the way the application looks for it: in the keyring, and
    beside the file as the demo key (used with --demo when there is no keyring)."""
    from windowdesk.storage import keys

    (database.parent / getattr(keys, "DEMO_KEY_FILE", "demo-database.key")).write_text(key.hex())
    import keyring
    from keyring.backends import fail

    if not isinstance(keyring.get_keyring(), fail.Keyring):
        keyring.set_password(*_keyring_entry(database), key.hex())


def _bench_data_starts(source: Path, work: Path, env: dict[str, str], args) -> dict:
    """Starts on a copy of a large generated database; the first may migrate it (with a backup)."""
    if not source.exists():
        log(f"[startup] {source} missing: run bench/generate.py (or bench/intake.py) first")
        raise SystemExit(1)
    big = work / "bigdata"
    big.mkdir()
    shutil.copyfile(source, big / "windowdesk.sqlite3")
    fd = os.open(big / "windowdesk.sqlite3", os.O_RDONLY)
    os.fsync(fd)
    os.close(fd)
    key = read_key(source)
    if key is not None:
        _give_key(big / "windowdesk.sqlite3", key)

    def start() -> Start:
        """One start as a real window (no --demo), to its login screen."""
        return _smoke(big, env, timeout=args.timeout, demo=False)

    first = start()
    runs = [start() for _ in range(args.runs - 1)]
    log(f"[startup] first start on {source.name}: {_shown(first)}; warm: " + "; ".join(_shown(r) for r in runs))
    return {
        "bench_data": source.name,
        "bench_data_first_start_seconds": round(first.seconds, 3),
        "bench_data_first_start_cpu_seconds": round(first.cpu, 3),
        "bench_data_start_p50_seconds": round(statistics.median(r.seconds for r in runs), 3),
        "bench_data_start_cpu_p50_seconds": round(statistics.median(r.cpu for r in runs), 3),
        "bench_data_start_max_seconds": round(max(r.seconds for r in runs), 3),
        # To the login screen, the exit left out (SCREEN_MARK): what the aim is about.
        "bench_data_start_to_screen_p50_seconds": _p50([r.screen_seconds for r in runs]),
        "bench_data_start_to_screen_cpu_p50_seconds": _p50([r.screen_cpu for r in runs]),
    }


def _frozen_starts(args) -> int:
    """The frozen build's starts: one on a fresh folder, the others warm."""
    if not os.access(args.frozen, os.X_OK):
        log(f"[startup] {args.frozen} is not a program")
        return 1
    env = _child_env()
    env.pop("PYTHONPATH", None)  # the bundle carries its own Python and packages
    work = Path(tempfile.mkdtemp(prefix="windowdesk-startup-frozen-"))
    summary: dict = {
        "program": str(args.frozen),
        "loadavg_1min_at_start": round(os.getloadavg()[0], 2),
        "cpus": os.cpu_count(),
    }

    def start() -> tuple[float, float]:
        """(wall seconds, CPU seconds): the CPU time barely depends on how busy the machine is."""
        done = _smoke(work / "data", env, timeout=args.timeout, frozen=args.frozen)
        return done.seconds, done.cpu

    try:
        first, first_cpu = start()
        log(f"[startup] frozen, first start (fresh folder): {first:.3f} s ({first_cpu:.3f} s CPU)")
        warm, warm_cpu = [], []
        for i in range(args.runs - 1):
            seconds, cpu = start()
            warm.append(seconds)
            warm_cpu.append(cpu)
            log(f"[startup] frozen, warm start {i + 1}: {seconds:.3f} s ({cpu:.3f} s CPU)")
    finally:
        _forget_key(work / "data" / "windowdesk.sqlite3")
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    summary.update(
        {
            "frozen_first_start_seconds": round(first, 3),
            "frozen_start_p50_seconds": round(statistics.median(warm), 3),
            "frozen_start_min_seconds": round(min(warm), 3),
            "frozen_start_max_seconds": round(max(warm), 3),
            "frozen_first_start_cpu_seconds": round(first_cpu, 3),
            "frozen_start_cpu_p50_seconds": round(statistics.median(warm_cpu), 3),
            "runs": args.runs,
            "target_seconds": TARGET_SECONDS,
            "target_met": max(warm) < TARGET_SECONDS,
            "loadavg_1min_at_end": round(os.getloadavg()[0], 2),
        }
    )
    log(
        f"frozen: first start {first:.3f} s, warm p50 {summary['frozen_start_p50_seconds']:.3f} s, "
        f"max {summary['frozen_start_max_seconds']:.3f} s (load {summary['loadavg_1min_at_start']} -> "
        f"{summary['loadavg_1min_at_end']} on {summary['cpus']} CPUs)"
    )
    print(json.dumps(summary, ensure_ascii=False))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="starts in all, the first on a fresh folder")
    parser.add_argument("--timeout", type=float, default=120.0)
    parser.add_argument(
        "--bench-data",
        nargs="?",
        type=Path,
        default=None,
        const=default_data_path(DEFAULT_RESIDENTS, DEFAULT_CASES),
        help="also time warm starts on a copy of this generated database",
    )
    parser.add_argument("--keep", action="store_true", help="keep the data folders")
    parser.add_argument(
        "--frozen",
        type=Path,
        default=None,
        metavar="PROGRAM",
        help="time this frozen windowdesk (e.g. dist/windowdesk/windowdesk) instead of python -m windowdesk",
    )
    args = parser.parse_args(argv)
    if args.runs < 2:
        parser.error("--runs must be at least 2 (one fresh start, one warm start)")
    if args.frozen is not None:
        return _frozen_starts(args)

    env = _child_env()
    work = Path(tempfile.mkdtemp(prefix="windowdesk-startup-"))
    summary: dict = {}
    try:
        # The floor: an interpreter that does nothing.
        bare = []
        for _ in range(3):
            t = time.perf_counter()
            subprocess.run([sys.executable, "-c", "pass"], env=env, check=True)
            bare.append(time.perf_counter() - t)
        summary["python_bare_seconds"] = round(min(bare), 3)

        def timed(folder: Path, *, demo: bool = True) -> Start:
            return _smoke(folder, env, timeout=args.timeout, demo=demo)

        # A real window's first start: an empty folder, no --demo, up to the first-run set-up.
        try:  # needs the keyring a real window needs (the demo starts do without)
            real_first = timed(work / "real", demo=False)
            log(f"[startup] first start of a real window (fresh folder, first-run set-up): {_shown(real_first)}")
            summary["real_first_start_seconds"] = round(real_first.seconds, 3)
            summary["real_first_start_cpu_seconds"] = round(real_first.cpu, 3)
            summary["real_first_start_to_screen_seconds"] = _p50([real_first.screen_seconds])
            summary["real_first_start_to_screen_cpu_seconds"] = _p50([real_first.screen_cpu])
        except SystemExit:
            summary["real_first_start_error"] = "a real window's first start failed (see stderr)"
        data_dir = work / "data"
        first = timed(data_dir)
        log(f"[startup] first start (fresh folder, --demo to the main window): {_shown(first)}")
        warm = []
        for i in range(args.runs - 1):
            warm.append(timed(data_dir))
            log(f"[startup] warm start {i + 1}: {_shown(warm[-1])}")
        summary.update(
            {
                "first_start_seconds": round(first.seconds, 3),
                "first_start_cpu_seconds": round(first.cpu, 3),
                "first_start_to_screen_seconds": _p50([first.screen_seconds]),
                "first_start_to_screen_cpu_seconds": _p50([first.screen_cpu]),
                "smoke_start_cpu_p50_seconds": round(statistics.median(w.cpu for w in warm), 3),
                "smoke_start_p50_seconds": round(statistics.median(w.seconds for w in warm), 3),
                "smoke_start_max_seconds": round(max(w.seconds for w in warm), 3),
                "smoke_start_min_seconds": round(min(w.seconds for w in warm), 3),
                "smoke_start_to_screen_p50_seconds": _p50([w.screen_seconds for w in warm]),
                "smoke_start_to_screen_cpu_p50_seconds": _p50([w.screen_cpu for w in warm]),
                "runs": args.runs,
                "target_seconds": TARGET_SECONDS,
                "target_met": max(w.seconds for w in warm) < TARGET_SECONDS,
                "first_start_within_target": first.seconds < TARGET_SECONDS,
            }
        )

        if args.bench_data is not None:
            try:
                summary.update(_bench_data_starts(args.bench_data, work, env, args))
            except SystemExit:
                summary["bench_data_error"] = "a start on the large database failed (see stderr)"

        profiled = _smoke(data_dir, env, timeout=args.timeout, extra=("-X", "importtime"))
        summary["importtime_run_seconds"] = round(profiled.seconds, 3)
        summary.update(_report_imports(_importtime(profiled.stderr)))
    finally:
        if args.keep:
            log(f"[startup] kept {work} (database keys left in the keyring)")
        else:
            for database in (
                work / "real" / "windowdesk.sqlite3",
                work / "data" / "windowdesk.sqlite3",
                work / "bigdata" / "windowdesk.sqlite3",
            ):
                _forget_key(database)
            shutil.rmtree(work, ignore_errors=True)

    summary["encrypted_database"] = encryption_available()
    summary["loadavg_1min_at_end"] = round(os.getloadavg()[0], 2)
    log("")
    log(
        f"first start {summary['first_start_seconds']:.3f} s, warm p50 {summary['smoke_start_p50_seconds']:.3f} s, "
        f"max {summary['smoke_start_max_seconds']:.3f} s (target < {TARGET_SECONDS} s; "
        f"bare python {summary['python_bare_seconds']:.3f} s)"
    )
    print(json.dumps(summary, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
