"""A normal start loads neither Pillow nor requests: the window needs Pillow only when
pages are scanned or shown, requests only when it talks to a hub or to the hall's queue.
The main window imports the services that use them; those import them when they are
used. Loaded at start they cost every window about 12 MB it may never use (issue 29,
aim 7), as pypinyin's tables did (tests/integration/test_stored_search_keys.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import windowdesk

LOADED_ONLY_WHEN_USED = ("PIL", "requests", "urllib3")


def test_a_demo_start_loads_neither_pillow_nor_requests(tmp_path):
    src = str(Path(windowdesk.__file__).resolve().parents[1])
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([src, os.environ.get("PYTHONPATH", "")]),
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_DATA_HOME": str(tmp_path / "xdg"),
        "WINDOWDESK_LOCALE": "en",
    }
    done = subprocess.run(
        [
            sys.executable,
            "-X",
            "importtime",
            "-m",
            "windowdesk",
            "--data-dir",
            str(tmp_path / "data"),
            "--demo",
            "--smoke-test",
            str(tmp_path / "start.png"),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    imported = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")}
    # The import log is the real one: the window's services that use them were imported.
    assert {"windowdesk.services.material_pages", "windowdesk.services.queue", "windowdesk.services.sync"} <= imported
    assert sorted(name for name in imported if name.split(".")[0] in LOADED_ONLY_WHEN_USED) == []
