"""The real hall service as a separate process (``windowdesk-hall serve``), set up with
the administrator's commands, killable with SIGKILL and restartable on the same store.
Used by the tests and by bench/hall_queue.py."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
READY_PREFIX = "windowdesk-hall listening on "
READY_TIMEOUT_S = 30.0


def hall_command() -> list[str]:
    script = Path(sys.executable).with_name("windowdesk-hall")
    return [str(script)] if script.exists() else [sys.executable, "-m", "windowdesk.hall.cli"]


class HallProcess:
    def __init__(self, data_dir: Path) -> None:
        self.data_dir = Path(data_dir)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.log_path = self.data_dir / "hall-serve.log"
        self.process: subprocess.Popen[str] | None = None
        self.port: int | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def store_path(self) -> Path:
        return self.data_dir / "hall.sqlite3"

    def cli(self, *args: str) -> str:
        """An administrator's command, in this process, its output in English."""
        from windowdesk.hall.cli import main

        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["--data-dir", str(self.data_dir), *args], environ={"LANGUAGE": "en"})
        if code != 0:
            raise AssertionError(f"windowdesk-hall {' '.join(args)} exited {code}: {err.getvalue()}")
        return out.getvalue()

    def token(self, role: str, window: str | None = None) -> str:
        return self.cli("token", role, *(["--window", window] if window else [])).strip()

    def setup_center(self, *, windows: int, businesses: str = "ABC") -> dict[str, str]:
        """Businesses A, B, C...; window i serves businesses by turns; a token per window."""
        for prefix in businesses:
            self.cli("business", prefix, f"业务{prefix}")
        tokens = {}
        for number in range(1, windows + 1):
            code = f"{number:02d}"
            served = ",".join(businesses[(number + k) % len(businesses)] for k in range(2))
            self.cli("window", code, "--businesses", served)
            tokens[code] = self.token("window", code)
        return tokens

    def start(self, *, port: int = 0, serve_args: tuple[str, ...] = ()) -> str:
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO_ROOT / "src"), env.get("PYTHONPATH", "")) if p)
        command = [
            *hall_command(),
            "--data-dir",
            str(self.data_dir),
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            *serve_args,
        ]
        with self.log_path.open("a") as log:
            self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=log, text=True, env=env)
        ready = threading.Event()
        lines: list[str] = []

        def read() -> None:
            for line in self.process.stdout:
                lines.append(line)
                if line.startswith(READY_PREFIX):
                    self.port = int(line.strip().rsplit(":", 1)[1])
                    ready.set()

        self._reader = threading.Thread(target=read, daemon=True)
        self._reader.start()
        deadline = time.monotonic() + READY_TIMEOUT_S
        while not ready.wait(0.05):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise AssertionError(f"windowdesk-hall did not start: {self.log_path.read_text()[-2000:]}")
        return self.url

    def kill(self) -> None:
        """SIGKILL: no chance to flush or close anything."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)
        self._close_pipe()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        if self.process is not None:
            self._close_pipe()
        self.process = None

    def _close_pipe(self) -> None:
        self._reader.join(10)  # the child is gone: its output ends
        self.process.stdout.close()

    def tickets(self) -> list[dict]:
        return self._rows("SELECT * FROM tickets ORDER BY day, number")

    def events(self) -> list[dict]:
        return self._rows("SELECT * FROM events ORDER BY seq")

    def _rows(self, sql: str) -> list[dict]:
        from windowdesk.hall.storage.store import HallStore

        store = HallStore(self.store_path)
        try:
            with store.read() as db:
                return [dict(r) for r in db.execute(sql)]
        finally:
            store.close()


def yesterdays_tickets(hall: HallProcess) -> str:
    """Three tickets yesterday (the service's own code on the hall's store): two served
    at window 01, one a no-show at window 02. Returns that day."""
    from windowdesk.hall.service import HallService
    from windowdesk.hall.storage.store import HallStore

    clock = {"now": dt.datetime.now(dt.UTC) - dt.timedelta(days=1)}
    store = HallStore(hall.store_path)
    try:
        past = HallService(store, clock=lambda: clock["now"])
        for _ in range(3):
            past.issue(business="A")
        for window, then in (("01", "finish"), ("01", "finish"), ("02", "skip")):
            clock["now"] += dt.timedelta(minutes=2)
            past.call_next(window=window)
            getattr(past, then)(window=window)
        return past.figures()["day"]
    finally:
        store.close()
