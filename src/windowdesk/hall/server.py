"""Serving the hall under uvicorn. The ready line, ``windowdesk-hall listening on
http://HOST:PORT``, is printed once the socket accepts connections (with ``--port 0`` it
names the port the system chose), so a supervisor or a test can wait for it."""

from __future__ import annotations

import logging
import sys
import threading
from pathlib import Path

import uvicorn

from windowdesk.hall.app import Bell, create_app
from windowdesk.hall.hub_link import keep_reading
from windowdesk.hall.service import HallService
from windowdesk.hall.storage.store import HallStore

READY_PREFIX = "windowdesk-hall listening on "


class _AnnouncingServer(uvicorn.Server):
    async def startup(self, sockets=None) -> None:  # noqa: ANN001 - uvicorn's own
        await super().startup(sockets=sockets)
        if self.started:
            port = self.servers[0].sockets[0].getsockname()[1]
            print(f"{READY_PREFIX}http://{self.config.host}:{port}", flush=True)


def serve(store_path: Path, *, host: str, port: int, timezone: str, hub_url: str = "", hub_token: str = "") -> int:
    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    store = HallStore(store_path)
    store.migrate()
    bell = Bell()
    service = HallService(store, timezone=timezone, on_event=bell.ring)
    stop_reading = threading.Event()
    if hub_url:
        keep_reading(service, hub_url=hub_url, token=hub_token, stop=stop_reading)
    # 40 windows and a few displays: keep-alive connections, a short backlog is plenty.
    config = uvicorn.Config(
        create_app(service, bell), host=host, port=port, access_log=False, log_level="info", timeout_keep_alive=60
    )
    try:
        _AnnouncingServer(config).run()
    except SystemExit as exit_:
        print(f"windowdesk-hall: could not serve on {host}:{port} (see the message above).", file=sys.stderr)
        return exit_.code if isinstance(exit_.code, int) and exit_.code else 1
    finally:
        stop_reading.set()
        store.close()
    return 0
