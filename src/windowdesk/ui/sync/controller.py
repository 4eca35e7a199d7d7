"""Keeps the counter in touch with the hub: a cheap periodic check, background syncs,
and the status the window shows (online / offline, unsent, last sync)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal

from windowdesk.errors import WindowdeskError
from windowdesk.services import queue_settings
from windowdesk.services import sync as sync_service
from windowdesk.services.context import Database
from windowdesk.sync.credentials import TokenStore
from windowdesk.ui.workers import Workers

if TYPE_CHECKING:
    import threading
    from collections.abc import Callable

    from windowdesk.sync.blobs import BlobSource
    from windowdesk.sync.client import HubClient
    from windowdesk.ui.workers import Operation

CHECK_INTERVAL_MS = 30_000
PULL_EVERY = dt.timedelta(minutes=5)


class SyncController(QObject):
    statusChanged = Signal()
    progressed = Signal(object)  # SyncProgress
    finished = Signal(object)  # SyncReport
    dataChanged = Signal(set)  # kinds of pulled changes the views should reload

    def __init__(
        self,
        db: Database,
        workers: Workers,
        *,
        token_store_for: Callable[[str], TokenStore] = TokenStore,
        blobs: BlobSource | None = None,
        settings: Mapping[str, str] | None = None,
        parent: QObject | None = None,
    ) -> None:
        """``blobs``: the window's scanned pages, sent after the events at every sync.
        ``settings``: the status's settings read already (sync_service.STATUS_KEYS)."""
        super().__init__(parent)
        self._db = db
        self.blobs = blobs
        self._workers = workers
        self._token_store_for = token_store_for
        self.online = False
        self.running: Operation | None = None
        self.last_report: sync_service.SyncReport | None = None
        self.status = sync_service.sync_status(db, settings)
        self._timer = QTimer(self)
        self._timer.setInterval(CHECK_INTERVAL_MS)
        self._timer.timeout.connect(self.check)

    def start(self) -> None:
        self._timer.start()
        self.check()

    def stop(self) -> None:
        self._timer.stop()
        if self.running is not None:
            self.running.cancel()

    def refresh_status(self) -> None:
        self.status = sync_service.sync_status(self._db)
        self.statusChanged.emit()

    def pages_waiting(self) -> tuple[int, int] | None:
        """(pages, bytes) the hub has not confirmed yet; None when this window keeps no pages."""
        return None if self.blobs is None else self.blobs.pending()

    def _client(self) -> HubClient:
        account = sync_service.workstation_account(self._db)
        if account is None:  # no longer enrolled: without a token the hub refuses, in words
            return sync_service.hub_client_for(self._db)
        return sync_service.hub_client_for(self._db, self._token_store_for(account).get())

    def check(self) -> None:
        """Is the hub there? If so and there is work, sync in the background."""
        self.refresh_status()
        if not self.status.enrolled or self.running is not None:
            return
        db = self._db

        def probe(_cancel: threading.Event, _progress: Callable[[Any], None]) -> bool:
            client = sync_service.hub_client_for(db)
            try:
                return client.health()
            finally:
                client.close()

        self._workers.start(probe, on_success=self._probed, on_failure=lambda _e: self._probed(False))

    def _probed(self, reachable: bool) -> None:
        changed = reachable != self.online
        self.online = reachable
        if changed:
            self.statusChanged.emit()
        due = self.status.last_success is None or dt.datetime.now(dt.UTC) - self.status.last_success > PULL_EVERY
        if reachable and (self.status.pending or due):
            self.sync_now()

    def sync_now(self) -> bool:
        """Start a sync unless one runs; False when there is no hub to talk to."""
        if self.running is not None:
            return True
        self.refresh_status()
        if not self.status.enrolled:
            return False
        db, make_client, blobs, token_store_for = self._db, self._client, self.blobs, self._token_store_for

        def work(cancel: threading.Event, progress: Callable[[Any], None]) -> sync_service.SyncReport:
            client = make_client()
            try:
                hall = queue_settings.hall_connection(db, token_store_for=token_store_for)  # keyring: off the UI
                return sync_service.SyncRunner(db, client, blobs=blobs, hall=hall).run(cancel, progress)
            finally:
                client.close()

        self.running = self._workers.start(
            work, on_success=self._done, on_failure=self._failed, on_progress=self.progressed.emit
        )
        self.statusChanged.emit()
        return True

    def cancel(self) -> None:
        if self.running is not None:
            self.running.cancel()

    def _done(self, report: sync_service.SyncReport) -> None:
        self.running = None
        self.last_report = report
        from windowdesk.sync.client import HubUnreachable

        if report.ok:
            self.online = True
        elif isinstance(report.error, HubUnreachable):
            self.online = False
        self.refresh_status()
        if report.changed_kinds:
            self.dataChanged.emit(report.changed_kinds)
        self.finished.emit(report)

    def _failed(self, error: BaseException) -> None:
        report = sync_service.SyncReport()
        report.error = (
            error if isinstance(error, WindowdeskError) else WindowdeskError(type(error).__name__, str(error))
        )
        self._done(report)
