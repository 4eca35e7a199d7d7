"""Shared helpers of the bench scripts: import path, percentiles, default file names."""

from __future__ import annotations

import math
import sys
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
DATA_DIR = BENCH_DIR / "data"

DEFAULT_RESIDENTS = 500_000
DEFAULT_CASES = 200_000
DEFAULT_SEED = 20261125


def ensure_importable() -> None:
    """Let ``python bench/x.py`` work from a plain checkout (package not installed)."""
    try:
        import windowdesk  # noqa: F401
    except ImportError:
        sys.path.insert(0, str(REPO_ROOT / "src"))


def default_data_path(residents: int, cases: int, *, plain: bool = False) -> Path:
    """One file per size (and per encryption), so that different sizes never collide."""
    return DATA_DIR / f"bench-{residents}r-{cases}c{'-plain' if plain else ''}.sqlite3"


# --- encryption at rest (SQLCipher; windowdesk.storage.crypto) -------------------------


def encryption_available() -> bool:
    """True when this version of windowdesk encrypts its database."""
    try:
        from windowdesk.storage import crypto  # noqa: F401
    except ImportError:
        return False
    return True


def key_path(database: Path) -> Path:
    """The bench keeps a generated database's key beside it: ``<file>.key`` (hex)."""
    return database.with_name(database.name + ".key")


def read_key(database: Path) -> bytes | None:
    """The key of a generated database, or None for a plain SQLite file."""
    path = key_path(database)
    return bytes.fromhex(path.read_text().strip()) if path.exists() else None


def write_key(database: Path, key: bytes | None) -> None:
    path = key_path(database)
    if key is None:
        path.unlink(missing_ok=True)
    else:
        path.write_text(key.hex())


def connect(database: Path, key: bytes | None):
    """A DB-API connection to the file, keyed like the application's (autocommit)."""
    if key is None:
        import sqlite3

        return sqlite3.connect(database, isolation_level=None)
    from windowdesk.storage.crypto import connect_raw

    conn = connect_raw(database, key)
    conn.isolation_level = None
    return conn


def keyword_if_supported(func, name: str, value) -> dict:
    """``{name: value}`` when ``func`` takes that keyword (the code base moves under us)."""
    import inspect

    try:
        return {name: value} if name in inspect.signature(func).parameters else {}
    except (TypeError, ValueError):
        return {}


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile (p95 of 300 samples is the 285th smallest)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100.0 * len(ordered)))
    return ordered[rank - 1]


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)
