"""Where the window's scanned pages come from, as the uploader sees them.

The window's page store (storage/page_store.PageStore, encrypted at rest) implements
this protocol; the uploader (services/page_upload.py) needs nothing more of it. Pages are
named by the SHA-256 of their stored bytes, the name the hub checks them by.
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol


class BlobSource(Protocol):
    def read(self, sha256: str, offset: int = 0, length: int | None = None) -> bytes:
        """``length`` bytes of the page from ``offset`` (to its end when None)."""

    def size(self, sha256: str) -> int: ...

    def unconfirmed(self, limit: int) -> list[tuple[str, int]]:
        """(sha256, size) of pages the hub has not confirmed whole, oldest first."""

    def mark_confirmed(self, sha256: str, at: dt.datetime) -> None:
        """The hub holds the whole page, checked by its hash: the window may let it go."""

    def pending(self) -> tuple[int, int]:
        """(pages, bytes) not yet confirmed by the hub."""
