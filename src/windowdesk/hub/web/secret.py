"""The hub's web key: 32 random bytes that sign session cookies and CSRF tokens.

Made once, the first time any worker needs it, in the hub's data folder (``web.key``,
readable by the hub's user only), so every worker process and every restart signs and
checks with the same key. Deleting the file signs everyone out of the console.
"""

from __future__ import annotations

import functools
import os
import secrets
from pathlib import Path

from windowdesk.hub.settings import HubSettings
from windowdesk.hub.storage.private_files import FILE_MODE, private_folder

KEY_FILE = "web.key"
KEY_BYTES = 32


@functools.cache
def web_key(data_dir: Path) -> bytes:
    path = data_dir / KEY_FILE
    if not path.exists():
        _create(path)
    key = path.read_bytes()
    if len(key) != KEY_BYTES:
        raise RuntimeError(
            f"{path} is damaged ({len(key)} bytes, expected {KEY_BYTES}); delete it and restart the hub "
            "(everyone signed in to the console then signs in again)."
        )
    return key


def _create(path: Path) -> None:
    """Written whole under a temporary name, then linked in place: of two workers starting
    together one wins, and neither ever reads a half-written key."""
    private_folder(path.parent)
    temporary = path.with_name(f".{KEY_FILE}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    try:
        os.write(fd, secrets.token_bytes(KEY_BYTES))
        os.fsync(fd)
    finally:
        os.close(fd)
    try:
        os.link(temporary, path)
    except FileExistsError:
        pass
    finally:
        os.unlink(temporary)


def key_for(settings: HubSettings) -> bytes:
    """The web key of the hub whose settings these are (``HubSettings.data_dir``)."""
    return web_key(Path(settings.data_dir))
