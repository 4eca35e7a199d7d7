"""Where the hall service keeps its store: ``--data-dir``, else ``WINDOWDESK_HALL_DATA_DIR``,
else the platform's data folder. Resolved once, when a command starts."""

from __future__ import annotations

import os
from pathlib import Path

ENV_DATA_DIR = "WINDOWDESK_HALL_DATA_DIR"
ENV_TIMEZONE = "WINDOWDESK_HALL_TIMEZONE"
STORE_NAME = "hall.sqlite3"


def data_dir(given: str | None) -> Path:
    if given:
        return Path(given).expanduser().resolve()
    if os.environ.get(ENV_DATA_DIR):
        return Path(os.environ[ENV_DATA_DIR]).expanduser().resolve()
    import platformdirs

    return Path(platformdirs.user_data_dir("windowdesk-hall", appauthor=False))


def store_path(folder: Path) -> Path:
    return folder / STORE_NAME
