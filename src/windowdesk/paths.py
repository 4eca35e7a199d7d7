"""Where things live. Resolved once at start-up and passed down; nothing here runs at import.

Order for the data folder: ``--data-dir``, then ``WINDOWDESK_DATA_DIR``, then the
platform's user data folder.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path


def _shipped_root() -> Path:
    """The folder holding resources/ and translations/: the bundle's own folder in a frozen
    (PyInstaller) build, which has no source tree; else see :func:`shipped_root_of`."""
    bundle = getattr(sys, "_MEIPASS", None)
    if getattr(sys, "frozen", False) and bundle:
        return Path(bundle)
    return shipped_root_of(Path(__file__).resolve(), Path(sys.prefix))


def shipped_root_of(module_file: Path, prefix: Path) -> Path:
    """The checkout of a source (editable) install; or, installed from a wheel, which
    carries only the Python package, ``<prefix>/share/windowdesk`` where the hub's package
    puts them (installer/build-hub-deb.sh): without it the hub would speak no Chinese."""
    checkout = module_file.parents[2]
    installed = prefix / "share" / "windowdesk"
    if not (checkout / "resources").is_dir() and installed.is_dir():
        return installed
    return checkout


_REPO_ROOT = _shipped_root()


def resources_dir() -> Path:
    """The shipped data: demo catalog, calendar, fonts."""
    override = os.environ.get("WINDOWDESK_RESOURCES")
    return Path(override) if override else _REPO_ROOT / "resources"


def translations_dir() -> Path:
    override = os.environ.get("WINDOWDESK_TRANSLATIONS")
    return Path(override) if override else _REPO_ROOT / "translations"


@dataclass(frozen=True)
class DataPaths:
    root: Path

    @property
    def database(self) -> Path:
        return self.root / "windowdesk.sqlite3"

    @property
    def backups(self) -> Path:
        return self.root / "backups"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    def ensure(self) -> None:
        for folder in (self.root, self.backups, self.logs):
            folder.mkdir(parents=True, exist_ok=True)


def resolve_data_paths(cli_data_dir: str | None) -> DataPaths:
    if cli_data_dir:
        return DataPaths(Path(cli_data_dir).expanduser().resolve())
    env = os.environ.get("WINDOWDESK_DATA_DIR")
    if env:
        return DataPaths(Path(env).expanduser().resolve())
    import platformdirs

    return DataPaths(Path(platformdirs.user_data_dir("windowdesk", appauthor=False)))
