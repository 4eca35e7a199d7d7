"""The real ``windowdesk-hub serve`` process, spoken to over HTTP with requests."""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import sys
import threading
from pathlib import Path

import requests
import uvicorn

from windowdesk.hub.cli import main
from windowdesk.hub.server import EVENT_LOOP_AND_PARSER, READY_PREFIX
from windowdesk.paths import resources_dir
from windowdesk.sync.protocol import API_PREFIX, parse_changes_page, parse_push_reply

from .conftest import VERSION_HEADERS, EventFactory, Hub

READY_TIMEOUT_S = 30


def hub_command() -> list[str]:
    """The installed entry point next to this Python, as an administrator runs it."""
    script = Path(sys.executable).with_name("windowdesk-hub")
    return [str(script)] if script.exists() else [sys.executable, "-m", "windowdesk.hub.cli"]


def wait_until_ready(process: subprocess.Popen[str]) -> str:
    """The base URL from the ready line; fails if the hub exits or stays silent."""
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in process.stdout], daemon=True).start()
    try:
        line = lines.get(timeout=READY_TIMEOUT_S)
    except queue.Empty:
        raise AssertionError(f"the hub printed nothing in {READY_TIMEOUT_S} s") from None
    match = re.fullmatch(re.escape(READY_PREFIX) + r"(https?://\S+)\n", line)
    assert match, f"unexpected first line: {line!r}"
    return match.group(1)


def test_the_real_server_serves_a_workstation(hub: Hub, tmp_path: Path, capsys) -> None:
    assert main(hub.cli_args("import-catalog", str(resources_dir() / "catalog"))) == 0
    assert main(hub.cli_args("enroll-code", "CH", "02")) == 0
    code = re.search(r"CH-02: (\S+)", capsys.readouterr().out).group(1)
    hub.db.dispose()  # the server process is the only user from here on

    log_path = tmp_path / "hub.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [*hub_command(), *hub.cli_args("serve", "--host", "127.0.0.1", "--port", "0")],
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
    try:
        base = wait_until_ready(process) + API_PREFIX
        with requests.Session() as http:
            http.headers.update(VERSION_HEADERS)
            assert http.get(f"{base}/health", timeout=10).json()["status"] == "ok"
            enrolled = http.post(f"{base}/enroll", json={"code": code, "client_version": "0.1.0"}, timeout=10)
            assert enrolled.status_code == 200, enrolled.text
            http.headers["Authorization"] = f"Bearer {enrolled.json()['token']}"

            factory = EventFactory(window="CH-02")
            resident = factory.resident()
            batch = [resident, factory.case(resident["entity_id"])]
            pushed = http.post(f"{base}/push", json={"events": batch}, timeout=10)
            results = parse_push_reply(pushed.json(), [e["event_id"] for e in batch])
            assert [r.status for r in results] == ["applied", "applied"]

            page = parse_changes_page(http.get(f"{base}/changes", params={"after": 0}, timeout=10).json(), 0)
            assert [c.kind for c in page.changes] == ["catalog.published"]
            refused = http.get(f"{base}/whoami", headers={"X-Windowdesk-Client": "windowdesk/0.0.1"}, timeout=10)
            assert refused.status_code == 426 and refused.json()["error"]["code"] == "version_refused"
    finally:
        process.send_signal(signal.SIGTERM)
        exit_code = process.wait(timeout=30)
        process.stdout.close()
    # uvicorn shuts down gracefully, then re-raises the signal so a supervisor sees it.
    assert exit_code in (0, -signal.SIGTERM), log_path.read_text()
    assert "Finished server process" in log_path.read_text()


def test_the_workers_import_a_light_main_module_before_their_health_check_answers() -> None:
    """uvicorn spawns ``serve --workers N``'s workers: each imports the main module the
    preparation data names, and only then starts the thread answering its supervisor's
    5-second health check. The script's main module imported the whole hub first (7 s on
    a loaded machine: the supervisor killed the workers as they started)."""
    from multiprocessing import spawn

    from windowdesk.hub import server

    with server.light_worker_main():
        prepared = spawn.get_preparation_data("worker")
    assert prepared.get("init_main_from_name") == server.WORKER_MAIN and "init_main_from_path" not in prepared
    assert sys.modules["__main__"] is not sys.modules[server.WORKER_MAIN]  # given back afterwards
    # What a worker has imported when its health check thread starts: its main module and
    # what its pickled target needs (uvicorn's supervisor), not the hub.
    code = (
        "import runpy, sys; runpy.run_module(sys.argv[1], run_name='__mp_main__', alter_sys=True); "
        "import uvicorn.supervisors.multiprocess; "
        "print(' '.join(m for m in sys.modules if m.split('.')[0] in ('windowdesk', 'fastapi', 'sqlalchemy')))"
    )
    imported = subprocess.run(
        [sys.executable, "-c", code, server.WORKER_MAIN], capture_output=True, text=True, check=True, timeout=120
    ).stdout.split()
    assert sorted(imported) == ["windowdesk", "windowdesk.hub"]


def test_the_hub_is_served_on_libuv_s_event_loop_with_the_c_http_parser() -> None:
    """Named, not left to uvicorn's "auto", which would fall back to the pure-Python loop
    and parser without a word if the hub's package lacked them."""

    async def app(scope, receive, send) -> None:
        raise AssertionError("not called")

    config = uvicorn.Config(app, **EVENT_LOOP_AND_PARSER)
    config.load()
    assert config.http_protocol_class.__name__ == "HttpToolsProtocol"
    loop = config.get_loop_factory()()
    try:
        assert type(loop).__module__.startswith("uvloop")
    finally:
        loop.close()
