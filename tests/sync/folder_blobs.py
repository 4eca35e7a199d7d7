"""A small real BlobSource for the tests: page files in a folder (sync/blobs.py's protocol).

Each page is a file ``<n>-<sha256>`` (``n`` orders them oldest first); a confirmed page
gets a ``<sha256>.confirmed`` file beside it holding the time. Nothing is deleted here: a
test reads what the uploader confirmed and when."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from pathlib import Path


class FolderBlobs:
    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)

    def add(self, data: bytes) -> str:
        sha256 = hashlib.sha256(data).hexdigest()
        if self._path(sha256) is None:
            number = len(list(self.folder.glob("*-*")))
            (self.folder / f"{number:08d}-{sha256}").write_bytes(data)
        return sha256

    def add_random(self, count: int, size: int) -> list[str]:
        return [self.add(os.urandom(size)) for _ in range(count)]

    def _path(self, sha256: str) -> Path | None:
        found = list(self.folder.glob(f"*-{sha256}"))
        return found[0] if found else None

    def read(self, sha256: str, offset: int = 0, length: int | None = None) -> bytes:
        path = self._path(sha256)
        assert path is not None, sha256
        with path.open("rb") as source:
            source.seek(offset)
            return source.read() if length is None else source.read(length)

    def size(self, sha256: str) -> int:
        path = self._path(sha256)
        assert path is not None, sha256
        return path.stat().st_size

    def confirmed_at(self, sha256: str) -> str | None:
        marker = self.folder / f"{sha256}.confirmed"
        return marker.read_text() if marker.exists() else None

    def unconfirmed(self, limit: int) -> list[tuple[str, int]]:
        pages = sorted(self.folder.glob("*-*"))
        waiting = [
            (path.name.split("-", 1)[1], path.stat().st_size)
            for path in pages
            if not (self.folder / f"{path.name.split('-', 1)[1]}.confirmed").exists()
        ]
        return waiting[:limit]

    def mark_confirmed(self, sha256: str, at: dt.datetime) -> None:
        (self.folder / f"{sha256}.confirmed").write_text(at.isoformat())

    def pending(self) -> tuple[int, int]:
        waiting = self.unconfirmed(10**9)
        return len(waiting), sum(size for _sha, size in waiting)
