"""The pages of online applications: sealed files beside the database.

``<data_dir>/applications/<application id>/<page id>``, each the page's bytes sealed
(hub/storage/sealing.py) with the page's own name as context, every file and folder
private to the hub's user. Files, not rows, like the case pages (architecture.md): the
database and its backups stay small. A file is written before its row is committed;
a file without a row (a failed submission) is never served and goes with its folder when
the application is deleted or, for a submission that never committed, at the purge
(:meth:`ApplicationFiles.folders` against the table).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from windowdesk.hub.storage.private_files import private_folder, write_private_file
from windowdesk.hub.storage.sealing import Sealer

FOLDER = "applications"


class ApplicationFiles:
    def __init__(self, data_dir: Path, sealer: Sealer) -> None:
        self.root = Path(data_dir) / FOLDER
        self.sealer = sealer

    def _path(self, application_id: str, page_id: str) -> Path:
        return self.root / application_id / page_id

    @staticmethod
    def _context(application_id: str, page_id: str) -> str:
        return f"application-page:{application_id}:{page_id}"

    def write(self, application_id: str, page_id: str, data: bytes) -> None:
        private_folder(self.root / application_id)
        sealed = self.sealer.seal(data, context=self._context(application_id, page_id))
        write_private_file(self._path(application_id, page_id), sealed, replace=True)

    def read(self, application_id: str, page_id: str) -> bytes:
        sealed = self._path(application_id, page_id).read_bytes()
        return self.sealer.open(sealed, context=self._context(application_id, page_id))

    def delete_page(self, application_id: str, page_id: str) -> None:
        self._path(application_id, page_id).unlink(missing_ok=True)

    def delete_application(self, application_id: str) -> None:
        shutil.rmtree(self.root / application_id, ignore_errors=True)

    def folders(self) -> list[str]:
        """The application ids that have a folder here."""
        return sorted(entry.name for entry in self.root.iterdir() if entry.is_dir()) if self.root.exists() else []
