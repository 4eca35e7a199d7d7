"""Running the hub under uvicorn, and saying when it is ready.

The ready line, ``windowdesk-hub listening on http://HOST:PORT``, is printed (and
flushed) once the socket is bound and accepting connections, so a supervisor or a test
can wait for it. With ``--port 0`` it names the port the system chose.

One process serves everything by default. With PostgreSQL, ``workers`` > 1 runs that
many processes on one socket (a burst of pushes from 200 windows is CPU work; one
Python process uses one core); SQLite accepts one writer at a time whatever the count.
"""

from __future__ import annotations

import logging
import os
import socket
import sys

import uvicorn
from fastapi import FastAPI
from uvicorn.supervisors import Multiprocess

from windowdesk.hub.app import create_app
from windowdesk.hub.settings import ENV_DATA_DIR, ENV_DATABASE_URL, ENV_MIN_CLIENT_VERSION, HubSettings

READY_PREFIX = "windowdesk-hub listening on "


def _announce(host: str, port: int) -> None:
    print(f"{READY_PREFIX}http://{host}:{port}", flush=True)


class _AnnouncingServer(uvicorn.Server):
    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets=sockets)
        if self.started:
            _announce(self.config.host, self.servers[0].sockets[0].getsockname()[1])


def app_from_environment() -> FastAPI:
    """The application of each worker process; ``serve`` hands the settings over in the
    environment, the only channel uvicorn's workers inherit."""
    return create_app(HubSettings.resolve())


def serve(settings: HubSettings, *, host: str, port: int, workers: int = 1, access_log: bool = False) -> int:
    """Serve until SIGINT/SIGTERM; returns the process exit code."""
    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    options = dict(
        host=host,
        port=port,
        access_log=access_log,
        log_level="info",
        # Pushes from 200 windows arrive together at the end of the day: let them queue.
        backlog=2048,
        timeout_keep_alive=30,
    )
    try:
        if workers <= 1:
            _AnnouncingServer(uvicorn.Config(create_app(settings), **options)).run()
            return 0
        os.environ.update({
            ENV_DATA_DIR: str(settings.data_dir),
            ENV_DATABASE_URL: settings.database_url,
            ENV_MIN_CLIENT_VERSION: settings.min_client_version,
        })
        config = uvicorn.Config(f"{__name__}:app_from_environment", factory=True, workers=workers, **options)
        listening = config.bind_socket()
        # Listening now, before the workers start: a connection made once the ready line
        # is out waits in the backlog for the first worker instead of being refused.
        listening.listen(config.backlog)
        _announce(host, listening.getsockname()[1])
        Multiprocess(config, sockets=[listening]).run()
        return 0
    except SystemExit as exit_:
        # uvicorn exits this way when it cannot bind or start; it has logged why.
        print(f"windowdesk-hub: could not serve on {host}:{port} (see the message above).", file=sys.stderr, flush=True)
        return exit_.code if isinstance(exit_.code, int) and exit_.code else 1
