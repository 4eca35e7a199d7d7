"""`windowdesk --data-dir DIR --demo --smoke-test FILE.png`: the real program, as CI and an
installer would run it."""

from __future__ import annotations

import os
import struct
import subprocess
import sys
from pathlib import Path


def _run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_DATA_HOME": str(tmp_path / "xdg"),
        "WINDOWDESK_LOCALE": "en",
    }
    return subprocess.run(
        [sys.executable, "-m", "windowdesk", *args], env=env, capture_output=True, timeout=120, check=False
    )


def _png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", header[16:24])


def test_smoke_test_renders_the_main_window_on_first_and_later_starts(tmp_path):
    data = tmp_path / "data"
    for attempt in ("first", "again"):
        shot = tmp_path / f"{attempt}.png"
        done = _run(tmp_path, "--data-dir", str(data), "--demo", "--smoke-test", str(shot))
        assert done.returncode == 0, done.stderr.decode()
        width, height = _png_size(shot)
        assert width >= 1000 and height >= 600  # the main window, not the log-in dialog
    assert (data / "windowdesk.sqlite3").exists() and (data / "logs" / "windowdesk.log").exists()


def test_a_damaged_database_stops_start_up_in_plain_words(tmp_path):
    data = tmp_path / "data"
    assert _run(tmp_path, "--data-dir", str(data), "--demo", "--smoke-test", str(tmp_path / "ok.png")).returncode == 0
    for leftover in data.glob("windowdesk.sqlite3-*"):  # the WAL beside it
        leftover.unlink()
    (data / "windowdesk.sqlite3").write_bytes(os.urandom(8192))  # its key is still in the keyring
    done = _run(tmp_path, "--data-dir", str(data), "--demo", "--smoke-test", str(tmp_path / "x.png"))
    assert done.returncode == 2
    message = done.stderr.decode()
    assert "cannot be read" in message and "backups" in message and "Traceback" not in message
    assert not (tmp_path / "x.png").exists()


def test_a_demo_folder_refuses_a_normal_start_in_plain_words(tmp_path):
    """Issue 21, finding 2: told apart by the marker stored in the folder's database."""
    data = tmp_path / "data"
    assert _run(tmp_path, "--data-dir", str(data), "--demo", "--smoke-test", str(tmp_path / "ok.png")).returncode == 0
    done = _run(tmp_path, "--data-dir", str(data), "--smoke-test", str(tmp_path / "real.png"))
    assert done.returncode == 2
    message = done.stderr.decode()
    assert "This is a demo data folder" in message and "--demo" in message and "Traceback" not in message
    assert not (tmp_path / "real.png").exists()
