"""Where windowdesk's log goes: a rotating file a support person can read, one format.

The window logs into its data folder (``logs/windowdesk.log``); the hub into its data
folder (``logs/windowdesk-hub.log``) or to stderr, where systemd's journal keeps it
(``serve --log-to``). What is logged names records by their ids only: never a resident's
name, ID number or address (tests/conftest.py checks every log of the test session).
"""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

FORMAT = "%(asctime)s %(levelname)s %(process)d %(name)s: %(message)s"
# Five files of 5 MB: weeks of a window's sync lines, a few days of a busy hub's.
MAX_BYTES = 5 * 1024 * 1024
BACKUPS = 5


def rotating_file(path: Path, *, shared: bool = False) -> logging.Handler:
    """A handler writing ``path`` and rotating it at :data:`MAX_BYTES`. ``shared``: several
    processes write it (the hub's ``serve --workers N``), so they rotate it under a lock
    file instead of each renaming it under the others."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handler: logging.Handler
    if shared:
        from concurrent_log_handler import ConcurrentRotatingFileHandler

        handler = ConcurrentRotatingFileHandler(str(path), maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8")
    else:
        handler = logging.handlers.RotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8")
    handler.setFormatter(logging.Formatter(FORMAT))
    return handler


def log_windowdesk_to(handler: logging.Handler, *, level: int = logging.INFO) -> None:
    """Send what windowdesk's loggers (``windowdesk.*``) say at ``level`` and above to ``handler``."""
    if handler.formatter is None:
        handler.setFormatter(logging.Formatter(FORMAT))
    logger = logging.getLogger("windowdesk")
    logger.setLevel(level)
    logger.addHandler(handler)
