"""Screenshots of every tab and dialog of the counter, as a 1366×768 screen shows them.

    python bench/screenshots.py [--out DIR] [--locale zh_CN|en] [--screen 1366x768]

Runs offscreen on a fresh demo database in a temporary folder. The main window is laid
out at what a maximised window has of the screen (the taskbar and title bar taken
away); dialogs at the size they open with. One PNG per window in DIR (default
bench/data/screenshots-<screen>-<locale>), and, as the last stdout line, a JSON object
listing each file with its size and whether it fits the screen.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

from _common import DATA_DIR, REPO_ROOT


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path)
    parser.add_argument("--locale", default="zh_CN", choices=("zh_CN", "en"))
    parser.add_argument("--screen", default="1366x768", choices=("1366x768", "1280x720"))
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    # This checkout's code (not an installed copy), and tests.ui.every_window: the same
    # windows the fit test checks.
    sys.path[:0] = [str(REPO_ROOT / "src"), str(REPO_ROOT)]

    from dataclasses import dataclass

    from PySide6.QtWidgets import QApplication
    from tests.ui.every_window import SCREENS, client_room, every_window

    from windowdesk.i18n import set_locale
    from windowdesk.paths import resources_dir
    from windowdesk.services import bootstrap, working_days
    from windowdesk.storage.crypto import new_key
    from windowdesk.storage.db import Database
    from windowdesk.storage.migrate import migrate_to_head
    from windowdesk.ui.application import apply_language
    from windowdesk.ui.printing.jobs import wait_for_jobs

    out = args.out or DATA_DIR / f"screenshots-{args.screen}-{args.locale}"
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication([])
    set_locale(args.locale)
    apply_language(app, args.locale)
    room = client_room(SCREENS[args.screen])

    @dataclass(frozen=True)
    class Demo:
        db: Database
        ctx: object
        calendar: object

    shots = []
    with tempfile.TemporaryDirectory() as folder:
        key = new_key()
        path = Path(folder) / "windowdesk.sqlite3"
        migrate_to_head(path, Path(folder) / "backups", key=key)
        db = Database(path, key=key)
        try:
            ctx = bootstrap.ensure_demo(db, resources_dir())
            demo = Demo(db, ctx, working_days.load_shipped_calendar(resources_dir()))
            for name, widget in every_window(demo):
                if name.startswith("main"):
                    widget.resize(*room)
                    app.processEvents()
                target = out / f"{name}.png"
                widget.grab().save(str(target))
                fits = widget.width() <= room[0] and widget.height() <= room[1]
                shots.append(
                    {
                        "name": name,
                        "file": str(target),
                        "width": widget.width(),
                        "height": widget.height(),
                        "fits": fits,
                    }
                )
                print(
                    f"{name:28} {widget.width():5}×{widget.height():<5} {'fits' if fits else 'TOO LARGE'}",
                    file=sys.stderr,
                )
            wait_for_jobs()
        finally:
            db.dispose()
    print(json.dumps({"screen": args.screen, "locale": args.locale, "shots": shots}, ensure_ascii=False))
    return 0 if all(shot["fits"] for shot in shots) else 1


if __name__ == "__main__":
    sys.exit(main())
