"""Running the hub under uvicorn, and saying when it is ready.

The ready line, ``windowdesk-hub listening on http://HOST:PORT`` (https:// with a
certificate), is printed (and flushed) once the socket is bound and accepting
connections, so a supervisor or a test can wait for it. With ``--port 0`` it names the
port the system chose.

TLS: given a certificate and its key (PEM files), uvicorn serves HTTPS only; the
certificate file may hold the chain (server certificate first, then intermediates).
Workstations verify it against the system's CAs or a private CA bundle of their own.

One process serves everything by default. With PostgreSQL, ``workers`` > 1 runs that
many processes on one socket (a burst of pushes from 200 windows is CPU work; one
Python process uses one core); SQLite accepts one writer at a time whatever the count.
"""

from __future__ import annotations

import contextlib
import importlib
import ipaddress
import logging
import os
import socket
import ssl
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import uvicorn
from fastapi import FastAPI
from uvicorn.supervisors import Multiprocess

from windowdesk.heap import settle_startup_heap
from windowdesk.hub.app import create_app, create_public_app
from windowdesk.hub.errors import InvalidInput
from windowdesk.hub.language import Text
from windowdesk.hub.settings import (
    ENV_BAD_TOKEN_LIMIT,
    ENV_DATA_DIR,
    ENV_DATABASE_URL,
    ENV_ENROLL_LIMIT,
    ENV_LOG_TO,
    ENV_MIN_CLIENT_VERSION,
    ENV_PAGES_MIN_FREE,
    ENV_PUSH_IN_FLIGHT,
    ENV_PUSH_ROOM,
    ENV_TRUSTED_PROXIES,
    HubSettings,
)
from windowdesk.hub.storage import serving_lock
from windowdesk.i18n import N_
from windowdesk.logs import rotating_file

READY_PREFIX = "windowdesk-hub listening on "
# Set for the worker processes of ``serve --public-only``: each builds the public pages' app.
ENV_PUBLIC_ONLY = "WINDOWDESK_HUB_PUBLIC_ONLY"
# Start-up's objects are frozen out of the collector's full passes (a push of 500 events
# set off several over them), and its youngest generation is collected every 10,000 new
# objects instead of 700: a 10,000-event push spent 0.04-0.06 s of its ~1 s of hub CPU in
# the collector, now under 0.01 s (bench/hub_push.py, gc_seconds).
YOUNG_GC_THRESHOLD = 10_000
# uvicorn's production choices, named rather than left to "auto" (which quietly falls
# back to the pure-Python ones when they are missing): libuv's event loop and the C HTTP
# parser cost a public page about half of what asyncio's loop and h11 do (bench/README.md).
EVENT_LOOP_AND_PARSER = {"loop": "uvloop", "http": "httptools"}
# What the worker processes of ``serve --workers N`` import as their main module.
WORKER_MAIN = "windowdesk.hub.worker_main"


@dataclass(frozen=True)
class TlsFiles:
    certfile: Path
    keyfile: Path

    @classmethod
    def checked(cls, certfile: str | None, keyfile: str | None) -> TlsFiles | None:
        """Both or neither; refused at start-up with plain words, not a traceback from
        deep inside uvicorn on the first connection."""
        if not certfile and not keyfile:
            return None
        if not certfile or not keyfile:
            raise InvalidInput(N_("Serving HTTPS needs both --certfile and --keyfile."))
        files = cls(Path(certfile).expanduser().resolve(), Path(keyfile).expanduser().resolve())
        for path in (files.certfile, files.keyfile):
            if not path.is_file():
                raise InvalidInput(Text(N_("There is no file {path}."), path=path))
        try:
            ssl.create_default_context(ssl.Purpose.CLIENT_AUTH).load_cert_chain(files.certfile, files.keyfile)
        except (ssl.SSLError, OSError) as error:
            raise InvalidInput(
                Text(
                    N_(
                        "The certificate {certificate} and key {key} cannot be used together ({kind}): both must be "
                        "PEM files, the key unencrypted and matching the certificate."
                    ),
                    certificate=files.certfile.name,
                    key=files.keyfile.name,
                    kind=error.__class__.__name__,
                )
            ) from None
        return files


def refuse_plain_http_on_network(host: str) -> None:
    """Plain HTTP only on this computer's own (loopback) address: behind a TLS proxy on
    the same machine, or for tests. Elsewhere the windows' ID numbers and tokens would
    cross the network in clear, so ``serve`` refuses to start (``--allow-plain-http``
    overrides, for a network trusted entirely)."""
    try:
        loopback = ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        loopback = host.lower() == "localhost"
    if not loopback:
        raise InvalidInput(
            Text(
                N_(
                    "Serving plain HTTP on {host} would send the windows' ID numbers and tokens across the network in "
                    "clear. Give the hub a certificate (--certfile and --keyfile), or serve on 127.0.0.1 behind a TLS "
                    "proxy on this computer."
                ),
                host=host,
            )
        )


def _announce(scheme: str, host: str, port: int) -> None:
    print(f"{READY_PREFIX}{scheme}://{host}:{port}", flush=True)


class _AnnouncingServer(uvicorn.Server):
    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets=sockets)
        if self.started:
            scheme = "https" if self.config.is_ssl else "http"
            _announce(scheme, self.config.host, self.servers[0].sockets[0].getsockname()[1])


def worker_environment(settings: HubSettings, workers: int) -> dict[str, str]:
    """The settings each of ``workers`` processes resolves again (app_from_environment)."""
    return {
        ENV_DATA_DIR: str(settings.data_dir),
        ENV_DATABASE_URL: settings.database_url,
        ENV_MIN_CLIENT_VERSION: settings.min_client_version,
        ENV_ENROLL_LIMIT: str(settings.enroll_limit),
        ENV_BAD_TOKEN_LIMIT: str(settings.bad_token_limit),
        ENV_PUSH_IN_FLIGHT: str(settings.push_in_flight),
        # The room is the hub's: its processes share one database, so each takes its share
        # (with 0.3 s each, two processes kept a push inside for up to 1.35 s).
        ENV_PUSH_ROOM: str(settings.push_room / workers),
        ENV_TRUSTED_PROXIES: ",".join(settings.trusted_proxies),
        ENV_LOG_TO: settings.log_to,
        ENV_PAGES_MIN_FREE: str(settings.pages_min_free),
    }


def proxy_options(settings: HubSettings) -> dict:
    """uvicorn believes X-Forwarded-* from 127.0.0.1 unless told otherwise: here only from
    the proxies the administrator named, and from nobody when none is named."""
    if not settings.trusted_proxies:
        return {"proxy_headers": False}
    return {"proxy_headers": True, "forwarded_allow_ips": ",".join(settings.trusted_proxies)}


LOG_FILE_NAME = "windowdesk-hub.log"
STDERR_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def log_file(settings: HubSettings) -> Path:
    return settings.data_dir / "logs" / LOG_FILE_NAME


def configure_logging(settings: HubSettings) -> None:
    """The hub's log, in this process (the serving one and each worker): stderr, or the
    rotating file in the data folder that every process of the hub shares."""
    if settings.log_to == "file":
        handler = rotating_file(log_file(settings), shared=True)
    else:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter(STDERR_FORMAT))
    root = logging.getLogger()
    root.setLevel(logging.INFO)
    for old in [h for h in root.handlers if getattr(h, "windowdesk_hub", False)]:  # serve called again
        root.removeHandler(old)
        old.close()
    handler.windowdesk_hub = True  # type: ignore[attr-defined]
    root.addHandler(handler)


def app_from_environment() -> FastAPI:
    """The application of each worker process; ``serve`` hands the settings over in the
    environment, the only channel uvicorn's workers inherit."""
    settings = HubSettings.resolve()
    configure_logging(settings)
    app = create_public_app(settings) if os.environ.get(ENV_PUBLIC_ONLY) == "1" else create_app(settings)
    settle_startup_heap(young_threshold=YOUNG_GC_THRESHOLD)
    return app


@contextlib.contextmanager
def light_worker_main() -> Iterator[None]:
    """While it lasts, worker processes spawned from here import worker_main as their main
    module instead of this process's (see worker_main's docstring: the health check)."""
    real = sys.modules["__main__"]
    sys.modules["__main__"] = importlib.import_module(WORKER_MAIN)
    try:
        yield
    finally:
        sys.modules["__main__"] = real


def serve(
    settings: HubSettings,
    *,
    host: str,
    port: int,
    workers: int = 1,
    access_log: bool = False,
    tls: TlsFiles | None = None,
    public_only: bool = False,
) -> int:
    """Serve until SIGINT/SIGTERM; returns the process exit code. ``public_only``: the
    public pages alone (hub/app.py create_public_app)."""
    configure_logging(settings)
    options = dict(
        host=host,
        port=port,
        access_log=access_log,
        log_level="info",
        # Pushes from 200 windows arrive together at the end of the day: let them queue.
        backlog=2048,
        timeout_keep_alive=30,
        **EVENT_LOOP_AND_PARSER,
        **proxy_options(settings),
    )
    if tls is not None:
        options.update(ssl_certfile=str(tls.certfile), ssl_keyfile=str(tls.keyfile))
    # Held while serving: `restore` refuses to run beside it.
    with serving_lock.serving(serving_lock.lock_file(settings.data_dir, settings.database_url), settings.database_url):
        return _serve(settings, options, host=host, port=port, workers=workers, tls=tls, public_only=public_only)


def _serve(
    settings: HubSettings, options: dict, *, host: str, port: int, workers: int, tls: TlsFiles | None, public_only: bool
) -> int:
    try:
        if workers <= 1:
            app = create_public_app(settings) if public_only else create_app(settings)
            settle_startup_heap(young_threshold=YOUNG_GC_THRESHOLD)
            _AnnouncingServer(uvicorn.Config(app, **options)).run()
            return 0
        os.environ.update(worker_environment(settings, workers))
        os.environ[ENV_PUBLIC_ONLY] = "1" if public_only else "0"
        config = uvicorn.Config(f"{__name__}:app_from_environment", factory=True, workers=workers, **options)
        listening = config.bind_socket()
        # Listening now, before the workers start: a connection made once the ready line
        # is out waits in the backlog for the first worker instead of being refused.
        listening.listen(config.backlog)
        _announce("https" if tls is not None else "http", host, listening.getsockname()[1])
        with light_worker_main():
            Multiprocess(config, sockets=[listening]).run()
        return 0
    except SystemExit as exit_:
        # uvicorn exits this way when it cannot bind or start; it has logged why.
        print(f"windowdesk-hub: could not serve on {host}:{port} (see the message above).", file=sys.stderr, flush=True)
        return exit_.code if isinstance(exit_.code, int) and exit_.code else 1
