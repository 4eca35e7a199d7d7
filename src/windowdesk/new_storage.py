"""A new database prepared on a worker thread while the UI thread starts Qt.

On an empty data folder the start writes a whole database before its first screen: the
schema, the shipped catalog and, with ``--demo``, the demo workstation, its residents and
the demo operator's login (three scrypt hashes before: one made, two checked). That work
and the import of Qt and of the screen's modules each took about half of the ``--demo``
first start (issue 29, aim 6); the machine a window runs on has two cores or more, and
SQLite, scrypt and the keyring's discovery (its subprocesses) release the GIL, so they run
side by side. The UI thread waits for the database (``result``) before it needs it.

A new database only: an existing one may be backed up and updated first, which a notice on
the UI thread announces, so it is prepared there as before. A failure leaves no database
behind (the file held nothing but what this start wrote), so the next start begins afresh
rather than on half of the demo, and is reported on the UI thread as before.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from windowdesk.services import auth, bootstrap

if TYPE_CHECKING:
    from collections.abc import Callable

    from windowdesk.domain.calendar import WorkingCalendar
    from windowdesk.paths import DataPaths
    from windowdesk.services.context import CounterContext
    from windowdesk.storage.db import Database

log = logging.getLogger("windowdesk")

THREAD_NAME = "windowdesk-new-database"
# What SQLite keeps beside a database file in WAL mode.
SIDE_FILES = ("-wal", "-shm", "-journal")


@dataclass(frozen=True)
class NewStorage:
    db: Database
    calendar: WorkingCalendar
    # With --demo: the demo operator, logged in (a demo folder made at this start has the
    # published demo password, so the login screen is skipped as on every demo start).
    demo_login: CounterContext | None


class NewStoragePreparation:
    """``prepare`` (the folder made, the log opened, ``app.prepare_storage`` run) on a worker
    thread; ``result()`` joins it and returns the storage or raises what it raised."""

    def __init__(
        self, paths: DataPaths, *, demo: bool, prepare: Callable[[], tuple[Database, WorkingCalendar]]
    ) -> None:
        self._paths = paths
        self._demo = demo
        self._prepare = prepare
        self._storage: NewStorage | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name=THREAD_NAME, daemon=True)

    def start(self) -> NewStoragePreparation:
        self._thread.start()
        return self

    def result(self) -> NewStorage:
        self._thread.join()
        if self._error is not None:
            error, self._error = self._error, None
            raise error
        assert self._storage is not None
        return self._storage

    def _run(self) -> None:
        try:
            self._storage = self._prepare_whole()
        except BaseException as error:  # noqa: BLE001 - raised again on the UI thread by result()
            self._error = error
            return
        log.info("new database prepared off the UI thread (%.2f s of CPU)", time.thread_time())

    def _prepare_whole(self) -> NewStorage:
        db = None
        try:
            db, calendar = self._prepare()
            ctx = None
            if self._demo:
                ctx = auth.log_in(db, login=bootstrap.DEMO_LOGIN, password=bootstrap.DEMO_PASSWORD).ctx
            return NewStorage(db, calendar, ctx)
        except BaseException:
            if db is not None:
                db.dispose()
            self._remove_database()
            raise

    def _remove_database(self) -> None:
        database = self._paths.database
        for path in (database, *(database.with_name(database.name + side) for side in SIDE_FILES)):
            try:
                path.unlink(missing_ok=True)
            except OSError as error:  # reported with the start's own error; the next start sees the file
                log.warning("could not remove the unfinished database %s: %s", path, error)
