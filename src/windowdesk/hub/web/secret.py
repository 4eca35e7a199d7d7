"""The hub's web key: 32 random bytes that sign session cookies and CSRF tokens.

Made once, the first time any worker needs it, in the hub's data folder (``web.key``,
readable by the hub's user only), so every worker process and every restart signs and
checks with the same key. Deleting the file signs everyone out of the console.
"""

from __future__ import annotations

import functools
from pathlib import Path

from windowdesk.hub.settings import HubSettings
from windowdesk.hub.storage.private_files import random_key_file

KEY_FILE = "web.key"
KEY_BYTES = 32


@functools.cache
def web_key(data_dir: Path) -> bytes:
    path = data_dir / KEY_FILE
    key = random_key_file(path, KEY_BYTES)
    if len(key) != KEY_BYTES:
        raise RuntimeError(
            f"{path} is damaged ({len(key)} bytes, expected {KEY_BYTES}); delete it and restart the hub "
            "(everyone signed in to the console then signs in again)."
        )
    return key


def key_for(settings: HubSettings) -> bytes:
    """The web key of the hub whose settings these are (``HubSettings.data_dir``)."""
    return web_key(Path(settings.data_dir))
