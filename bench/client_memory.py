"""The window's peak memory with the whole center's case watch open (issue 29, aim 7).

    python bench/client_memory.py [--data FILE] [--no-history] [--runs 3] [--work DIR]
                                  [--tracemalloc] [--every-page]

Prepares a copy of a generated database (``bench/generate.py``; default the 500,000
resident, 200,000 case file) once in ``--work`` (reused when it is there): migrated to
head by this code and, unless ``--no-history``, given the year's history of
``bench/cases.py`` (most old cases finished: a few thousand yellow and red cases at CH).
Without the history every case is still open and about 78,000 of them are late.

Each run then starts a fresh interpreter that does what ``windowdesk --demo`` does:
the Qt application (offscreen), the demo supervisor's login, the main window shown, the
start-up heap settled; then it types a few terms into the item search, keystroke by
keystroke, as on any working day (not with ``--no-search``), opens the case watch
(Ctrl+3), ticks "Whole center",
lets the table paint and scrolls it from top to bottom, fifty pages a step (with
``--every-page`` one page a step, so that every row is shown once: the most the watch
can read for its rows). It reports the peak resident memory of the process (``VmHWM``),
the memory at the end (``VmRSS``), the late rows, and the time from the tick to the
painted table (``open_s``), of the scroll (``scroll_s``) and of a refresh at the end
(``again_s``, the second look), wall and CPU (``*_cpu_s``, the process's: the machine
is shared, CPU is what compares).
``--tracemalloc`` also prints the 15 source lines holding the most Python memory at the
end (slower; the peak figures of that run are not comparable).
Last stdout line: JSON with the medians.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (
    DEFAULT_CASES,
    DEFAULT_RESIDENTS,
    REPO_ROOT,
    default_data_path,
    ensure_importable,
    log,
    read_key,
    write_key,
)

ensure_importable()

CHILD = r"""
import json, sys, time, tracemalloc
trace = sys.argv[3] == "1"
if trace:
    tracemalloc.start(1)
from pathlib import Path
from PySide6.QtWidgets import QApplication
from windowdesk import i18n
from windowdesk.heap import settle_startup_heap
from windowdesk.paths import resources_dir
from windowdesk.services import auth, bootstrap
from windowdesk.services.working_days import load_shipped_calendar
from windowdesk.storage.db import Database
from windowdesk.ui.main_window import MainWindow

def status(name):
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith(name)) / 1024

i18n.set_locale(i18n.DEFAULT_LOCALE)
app = QApplication([])
db = Database(Path(sys.argv[1]), key=bytes.fromhex(sys.argv[2]) if sys.argv[2] else None)
calendar = load_shipped_calendar(resources_dir())
ctx = auth.log_in(db, login=bootstrap.DEMO_LOGIN, password=bootstrap.DEMO_PASSWORD).ctx
window = MainWindow(db, ctx, calendar)
settle_startup_heap()
window.show()
app.processEvents()
started = status("VmRSS")
if sys.argv[4] == "1":  # the operator has used the item search, as on any working day
    query = window.intake.item_picker.query_edit
    for term in ("lnz", "laonian", "shebao", "户口"):
        for k in range(1, len(term) + 1):
            query.setText(term[:k])
            app.processEvents()
searched = status("VmRSS")
window.tabs.setCurrentWidget(window.late)
app.processEvents()
wall, cpu = time.perf_counter(), time.process_time()
window.late.whole_center.setChecked(True)
app.processEvents()
table = window.late.table
table.viewport().repaint()  # painted now, not when the offscreen platform gets to it
opened = time.perf_counter() - wall, time.process_time() - cpu
wall, cpu = time.perf_counter(), time.process_time()
bar = table.verticalScrollBar()
step = max(1, bar.pageStep())
for value in range(0, bar.maximum() + step, step * int(sys.argv[5])):
    bar.setValue(value)
    app.processEvents()
    table.viewport().repaint()
bar.setValue(bar.maximum())
app.processEvents()
table.viewport().repaint()
scrolled = time.perf_counter() - wall, time.process_time() - cpu
wall, cpu = time.perf_counter(), time.process_time()
window.late.refresh()  # the second look, as after closing a case opened from the watch
app.processEvents()
table.viewport().repaint()
again = time.perf_counter() - wall, time.process_time() - cpu
result = {"rows": window.late.model.rowCount(), "started_mb": started, "searched_mb": searched,
          "peak_mb": status("VmHWM"), "end_mb": status("VmRSS"), "open_s": opened[0], "open_cpu_s": opened[1],
          "scroll_s": scrolled[0], "scroll_cpu_s": scrolled[1], "again_s": again[0], "again_cpu_s": again[1]}
if trace:
    top = tracemalloc.take_snapshot().statistics("lineno")[:15]
    result["python_mb"] = sum(s.size for s in tracemalloc.take_snapshot().statistics("filename")) / 2**20
    for stat in top:
        print(f"{stat.size / 2**20:8.1f} MB {stat.count:9d} {stat.traceback}", file=sys.stderr)
print(json.dumps(result))
"""


def _prepare(data: Path, work: Path, *, history: bool) -> tuple[Path, bytes | None, bool]:
    """The copy, its key, and whether it was given the history (as it was prepared)."""
    copy = work / "memory.sqlite3"
    marker = work / "history.json"
    key = read_key(data)
    if copy.exists():
        return copy, read_key(copy), json.loads(marker.read_text()) if marker.exists() else history
    from windowdesk.storage.migrate import migrate_to_head

    work.mkdir(parents=True, exist_ok=True)
    partial = work / "memory.sqlite3.partial"
    shutil.copyfile(data, partial)
    migrate_to_head(partial, work / "backups", key=key)
    shutil.rmtree(work / "backups", ignore_errors=True)
    if history:
        from cases import _finish_most_old_cases

        open_cases, total = _finish_most_old_cases(partial, key)
        log(f"[memory] {total:,} cases, {open_cases:,} open after the history")
    partial.rename(copy)
    write_key(copy, key)
    marker.write_text(json.dumps(history))
    return copy, key, history


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=default_data_path(DEFAULT_RESIDENTS, DEFAULT_CASES))
    parser.add_argument("--no-history", action="store_true")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", type=Path, default=None, help="where the prepared copy is kept (reused)")
    parser.add_argument("--tracemalloc", action="store_true")
    parser.add_argument("--no-search", action="store_true", help="do not type in the item search first")
    parser.add_argument("--every-page", action="store_true", help="scroll the watch a page a step, not fifty")
    args = parser.parse_args(argv)
    work = args.work or (
        REPO_ROOT / "bench" / "data" / f"memory-{args.data.stem}{'-nohistory' if args.no_history else ''}"
    )
    copy, key, history = _prepare(args.data, work, history=not args.no_history)
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHONPATH": os.pathsep.join([str(REPO_ROOT / "src"), os.environ.get("PYTHONPATH", "")]),
    }
    runs = []
    for _ in range(args.runs):
        done = subprocess.run(
            [
                sys.executable,
                "-c",
                CHILD,
                str(copy),
                key.hex() if key else "",
                "1" if args.tracemalloc else "0",
                "0" if args.no_search else "1",
                "1" if args.every_page else "50",
            ],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            log(done.stderr[-3000:])
            return 1
        if args.tracemalloc:
            log(done.stderr)
        runs.append(json.loads(done.stdout.splitlines()[-1]))
        log(f"[memory] {runs[-1]}")
    summary = {
        "runs": len(runs),
        "late_rows": runs[0]["rows"],
        "peak_mb": round(statistics.median(r["peak_mb"] for r in runs), 1),
        "peak_range_mb": [round(min(r["peak_mb"] for r in runs), 1), round(max(r["peak_mb"] for r in runs), 1)],
        "end_mb": round(statistics.median(r["end_mb"] for r in runs), 1),
        "started_mb": round(statistics.median(r["started_mb"] for r in runs), 1),
        "after_search_mb": round(statistics.median(r["searched_mb"] for r in runs), 1),
        **{
            name: round(statistics.median(r[name] for r in runs), 3)
            for name in ("open_s", "open_cpu_s", "scroll_s", "scroll_cpu_s", "again_s", "again_cpu_s")
        },
        "history": history,
        "copy": str(copy),
        "loadavg_1min": round(os.getloadavg()[0], 2),
    }
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
