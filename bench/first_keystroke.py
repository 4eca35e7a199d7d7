"""What the first keystroke in the item search costs, in a fresh process.

    python bench/first_keystroke.py [--runs 7]

Makes a demo database once (migrations, the shipped catalog, the demo workstation,
encrypted like the application's) in a temporary folder, then for each run starts a
fresh interpreter that opens it, builds the search's index (``CatalogSearch.refresh``,
done at start-up) and times the first keystrokes (``l``, ``la``, ``lao``) through the
real ``CatalogSearch.search``, with the process's resident memory before and after.
Keys: ``first_keystroke_ms`` and ``rss_growth_mb`` (medians), ``pypinyin_loaded``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import REPO_ROOT, ensure_importable, log

ensure_importable()

CHILD = """
import json, sys, time
from windowdesk.services.catalog import CatalogSearch
from windowdesk.storage.db import Database

def rss_mb():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS")) / 1024

db = Database(sys.argv[1], key=bytes.fromhex(sys.argv[2]))
search = CatalogSearch(db)
search.refresh()
before = rss_mb()
times = []
for typed in ("l", "la", "lao"):
    t = time.perf_counter()
    search.search(typed)
    times.append((time.perf_counter() - t) * 1000)
print(json.dumps({"ms": times, "rss_growth_mb": rss_mb() - before,
                  "pypinyin": any(m.startswith("pypinyin") for m in sys.modules)}))
"""


def _make_database(folder: Path) -> tuple[Path, bytes]:
    from windowdesk.paths import resources_dir
    from windowdesk.services import bootstrap
    from windowdesk.storage.crypto import new_key
    from windowdesk.storage.db import Database
    from windowdesk.storage.migrate import migrate_to_head

    key = new_key()
    path = folder / "windowdesk.sqlite3"
    migrate_to_head(path, folder / "backups", key=key)
    db = Database(path, key=key)
    try:
        bootstrap.ensure_demo(db, resources_dir())
    finally:
        db.dispose()
    return path, key


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO_ROOT / "src"), os.environ.get("PYTHONPATH", "")])}
    with tempfile.TemporaryDirectory(prefix="windowdesk-keystroke-") as tmp:
        path, key = _make_database(Path(tmp))
        runs = []
        for _ in range(args.runs):
            done = subprocess.run(
                [sys.executable, "-c", CHILD, str(path), key.hex()], env=env, capture_output=True, text=True, check=True
            )
            runs.append(json.loads(done.stdout.splitlines()[-1]))
    first = [r["ms"][0] for r in runs]
    summary = {
        "runs": args.runs,
        "first_keystroke_ms": round(statistics.median(first), 2),
        "first_keystroke_range_ms": [round(min(first), 2), round(max(first), 2)],
        "second_keystroke_ms": round(statistics.median(r["ms"][1] for r in runs), 2),
        "rss_growth_mb": round(statistics.median(r["rss_growth_mb"] for r in runs), 1),
        "pypinyin_loaded": any(r["pypinyin"] for r in runs),
        "loadavg_1min": round(os.getloadavg()[0], 2),
    }
    log(json.dumps(summary))
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
