"""A normal start loads neither Pillow nor requests: the window needs Pillow only when
pages are scanned or shown, requests only when it talks to a hub or to the hall's queue.
The main window imports the services that use them; those import them when they are
used. Loaded at start they cost every window about 12 MB it may never use (issue 29,
aim 7), as pypinyin's tables did (tests/integration/test_stored_search_keys.py).

A window of real data stands at its login screen (or its first-run set-up) until someone
logs in: that screen does not wait for the main window's modules, and the storage layer is
imported before PySide6, whose import hook reads the source of every module imported after
it (issue 29, aim 6). Nor does it wait for keyring's discovery of every backend: the
window loads the backend it remembered (storage/keyring_choice.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from keyrings.alt.file import PlaintextKeyring

import windowdesk
from windowdesk.storage.keyring_choice import REMEMBERED_FILE
from windowdesk.storage.keys import KEYRING_SERVICE, keyring_account

LOADED_ONLY_WHEN_USED = ("PIL", "requests", "urllib3", "pypdfium2", "pypdfium2_raw")


# What only the main window needs: itself, its views, the PDF reader of its print preview.
MAIN_WINDOW_ONLY = (
    "windowdesk.ui.main_window",
    "windowdesk.ui.intake.view",
    "windowdesk.ui.fees.view",
    "windowdesk.ui.cases.late_view",
    "windowdesk.ui.printing.preview_dialog",
    "windowdesk.ui.sync.controller",
    "pypdfium2",
)

# Imported before PySide6 by a start (windowdesk/app.py).
STORAGE_LAYER = ("windowdesk.storage.", "windowdesk.services.", "windowdesk.domain.")

# The keyring this machine offers (keyrings.alt's file, in XDG_DATA_HOME), and backends
# keyring's discovery imports on Linux besides the one it picks.
FILE_KEYRING = "keyrings.alt.file.PlaintextKeyring"
OTHER_BACKENDS = ("keyring.backends.macOS", "keyring.backends.kwallet", "keyring.backends.Windows")


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    src = str(Path(windowdesk.__file__).resolve().parents[1])
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([src, os.environ.get("PYTHONPATH", "")]),
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_DATA_HOME": str(tmp_path / "xdg"),  # the file keyring this machine offers lives here
        "XDG_CONFIG_HOME": str(tmp_path / "config"),  # no keyringrc.cfg naming a backend
        "WINDOWDESK_LOCALE": "en",
    }
    env.pop("PYTHON_KEYRING_BACKEND", None)
    return {**env, **extra}


def _start(tmp_path: Path, *args: str, shot: Path, **extra_env: str) -> list[str]:
    """The modules a start imported, in the order their imports ended."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "windowdesk", *args, "--smoke-test", str(shot)],
        env=_env(tmp_path, **extra_env),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert shot.stat().st_size > 0
    return [line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")]


def _configure_workstation(tmp_path: Path, data: Path) -> None:
    """What the first-run dialog does, in a process of its own (the keyring of _env)."""
    script = f"""
from windowdesk.app import prepare_storage
from windowdesk.paths import resolve_data_paths
from windowdesk.services import workstation

db, _calendar = prepare_storage(resolve_data_paths({str(data)!r}), demo=False)
center = workstation.list_centers(db)[0]
window = workstation.list_windows(db, center_code=center.code)[0]
workstation.configure_workstation(
    db, center_code=center.code, window_code=window.code, operator_name="Wang Fang",
    operator_login="wangfang", password="Ledger2027x", role="administrator",
)
db.dispose()
"""
    done = subprocess.run(
        [sys.executable, "-c", script], env=_env(tmp_path), capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]


def test_a_demo_start_loads_neither_pillow_nor_requests_nor_the_pdf_reader(tmp_path):
    imported = set(_start(tmp_path, "--data-dir", str(tmp_path / "data"), "--demo", shot=tmp_path / "start.png"))
    # The import log is the real one: the window's services that use them were imported.
    assert {"windowdesk.services.material_pages", "windowdesk.services.queue", "windowdesk.services.sync"} <= imported
    assert sorted(name for name in imported if name.split(".")[0] in LOADED_ONLY_WHEN_USED) == []


def test_a_real_window_shows_its_first_run_and_its_login_screen_without_the_main_windows_modules(tmp_path):
    data = tmp_path / "data"
    first_run = _start(tmp_path, "--data-dir", str(data), shot=tmp_path / "first-run.png")
    _configure_workstation(tmp_path, data)
    login = _start(tmp_path, "--data-dir", str(data), shot=tmp_path / "login.png")
    for imported in (first_run, login):
        assert [name for name in imported if name.split(".")[0] == "pypdfium2" or name in MAIN_WINDOW_ONLY] == []
    # The import logs are the real ones: each start made its own screen, and only it.
    assert "windowdesk.ui.first_run" in first_run and "windowdesk.ui.auth.login_dialog" not in first_run
    assert "windowdesk.ui.auth.login_dialog" in login and "windowdesk.ui.first_run" not in login
    after_qt = login[login.index("PySide6") + 1 :]
    assert "sqlalchemy.orm" in login and "windowdesk.storage.models" in login
    assert [name for name in after_qt if name.split(".")[0] == "sqlalchemy" or name.startswith(STORAGE_LAYER)] == []


def _stored_key(tmp_path: Path, data: Path) -> str | None:
    ring = PlaintextKeyring()
    ring.file_path = str(tmp_path / "xdg" / "python_keyring" / "keyring_pass.cfg")
    return ring.get_password(KEYRING_SERVICE, keyring_account(data / "windowdesk.sqlite3"))


def _discovered(imported: list[str]) -> list[str]:
    return [name for name in imported if name.startswith(OTHER_BACKENDS)]


def test_the_next_start_reads_the_key_from_the_remembered_keyring_without_searching_the_others(tmp_path):
    data = tmp_path / "data"
    first = _start(tmp_path, "--data-dir", str(data), shot=tmp_path / "first.png")
    key = _stored_key(tmp_path, data)
    assert key is not None and len(key) == 64  # made and stored in this machine's keyring
    assert (data / REMEMBERED_FILE).read_text().strip() == FILE_KEYRING
    assert _discovered(first) != []  # the first start searched keyring's backends

    again = _start(tmp_path, "--data-dir", str(data), shot=tmp_path / "again.png")  # the file exists: its key was found
    assert _discovered(again) == []
    assert "keyrings.alt.file" in again
    assert _stored_key(tmp_path, data) == key  # read, not made anew
    # keyring and the backend are imported before PySide6 (its import hook reads sources).
    after_qt = again[again.index("PySide6") + 1 :]
    assert [name for name in after_qt if name.split(".")[0] in ("keyring", "keyrings")] == []


def test_a_remembered_keyring_that_does_not_work_here_is_searched_for_again(tmp_path):
    data = tmp_path / "data"
    _start(tmp_path, "--data-dir", str(data), shot=tmp_path / "first.png")
    key = _stored_key(tmp_path, data)
    (data / REMEMBERED_FILE).write_text("keyring.backends.macOS.Keyring\n")  # not viable on Linux
    imported = _start(tmp_path, "--data-dir", str(data), shot=tmp_path / "again.png")
    assert _discovered(imported) != []
    assert _stored_key(tmp_path, data) == key
    assert (data / REMEMBERED_FILE).read_text().strip() == FILE_KEYRING


def test_a_keyring_named_by_the_deployment_wins_and_nothing_is_remembered(tmp_path):
    data = tmp_path / "data"
    imported = _start(
        tmp_path, "--data-dir", str(data), shot=tmp_path / "first.png", PYTHON_KEYRING_BACKEND=FILE_KEYRING
    )
    assert _discovered(imported) == []
    assert _stored_key(tmp_path, data) is not None
    assert not (data / REMEMBERED_FILE).exists()
