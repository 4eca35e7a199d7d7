"""The report's figures brought up to date after a push, off the push's path.

A push marks the cases it changed as due (:func:`mark_due`: one row a case in
``case_figures_due``, in the push's transaction) instead of working out their figures
(case_figures.refresh) before it is answered. The figures are worked out later:

- in the background (:class:`Catchup`, a thread of the hub's app), a chunk of at most
  :data:`CHUNK` cases a transaction, only once no push has been applied in this process
  for :data:`QUIET_SECONDS` (a push that arrives gets the writer after one chunk at most);
- by every reader of the figures before it reads (:func:`current_figures`): the reports,
  the supervision office's cards, a department's queue and a case's page. A reader never
  sees a case's figures older than the case: it reads in a snapshot with no case due.

Concurrency. SQLite has one writer at a time (storage.writer_lock), so a mark and a refresh
never overlap. On PostgreSQL a refresh claims its due rows ``FOR UPDATE SKIP LOCKED`` and
then locks their cases the same way, so two hub processes never work out one case at once,
and a refresh never waits for a push (nor a push for it, beyond one chunk). A mark is an
upsert that updates the row of a case already due (``marks + 1``): a push that marked a
case before the refresh claimed it holds that row's lock until it commits, so the refresh
skips it; one that marks it after waits for the refresh to commit and then writes the row
again. Either way a change the refresh did not read leaves its case due.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator

from sqlalchemy import delete, exists, func, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from windowdesk.hub.services import case_figures
from windowdesk.hub.services.id_lists import among_array, among_json, bound_ids, ids_as_json
from windowdesk.hub.storage.database import HubDatabase, is_retryable
from windowdesk.hub.storage.models import Case
from windowdesk.hub.storage.models_figures import CaseFigureDue

log = logging.getLogger("windowdesk.hub.figures")

# Cases a background transaction works out: about 25 ms of the writer on SQLite (one of
# refresh's chunks), so a push that arrives waits at most that long for it.
CHUNK = case_figures.CHUNK
# A reader's catch-up takes larger bites: it waits for them anyway.
READER_CHUNK = case_figures.CHUNK * 4
# The background starts this long after the last push of this process was answered: a
# window's next batch follows its last within a few milliseconds, and an end-of-day push is
# not slowed by a chunk worked out between two of its batches.
QUIET_SECONDS = 0.5
_SNAPSHOT_ATTEMPTS = 4

# One statement a batch whatever its size (the ids bound as one value, id_lists), sorted so
# that two pushes lock their cases' rows in one order.
_MARK_JSON = text(
    "INSERT INTO case_figures_due (case_id, marks) SELECT value, 1 FROM json_each(:ids) WHERE true "
    "ON CONFLICT (case_id) DO UPDATE SET marks = case_figures_due.marks + 1"
)
_MARK_ARRAY = text(
    "INSERT INTO case_figures_due (case_id, marks) SELECT unnest(CAST(:ids AS varchar[])), 1 "
    "ON CONFLICT (case_id) DO UPDATE SET marks = case_figures_due.marks + 1"
)
_FORGET_JSON = delete(CaseFigureDue).where(among_json(CaseFigureDue.case_id))
_FORGET_ARRAY = delete(CaseFigureDue).where(among_array(CaseFigureDue.case_id))
_ANY_DUE = select(exists().where(CaseFigureDue.case_id.is_not(None)))


def mark_due(session: Session, case_ids: Iterable[str]) -> int:
    """Mark these cases' figures as to be worked out again, in the caller's transaction."""
    ids = sorted(set(case_ids))
    if not ids:
        return 0
    connection = session.connection()
    as_json = ids_as_json(connection)
    connection.execute(_MARK_JSON if as_json else _MARK_ARRAY, {"ids": bound_ids(ids, as_json=as_json)})
    return len(ids)


def any_due(session: Session) -> bool:
    return bool(session.scalar(_ANY_DUE))


class FiguresBehind(RuntimeError):
    """A reader of the figures read in a transaction where some case's are behind it."""


def require_current(session: Session) -> None:
    """For the readers of the figures: refuse to read behind a push (a reader reads in
    :func:`current_figures`, which makes sure none is)."""
    if any_due(session):
        raise FiguresBehind("some cases' report figures are still to be worked out: read in current_figures")


def due_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(CaseFigureDue)) or 0


def refresh_due(session: Session, *, limit: int = CHUNK, wait: bool = False) -> int:
    """Work out the figures of up to ``limit`` due cases and take them off the list, in the
    caller's transaction; returns how many. ``wait=False`` (the background, a reader's
    catch-up): on PostgreSQL, due rows and cases another transaction holds are left for
    later; ``wait=True``: they are waited for (a reader's last resort, in a snapshot)."""
    claim = select(CaseFigureDue.case_id).order_by(CaseFigureDue.case_id).limit(limit)
    claimed = list(session.scalars(claim.with_for_update(skip_locked=not wait)))
    if not claimed:
        return 0
    connection = session.connection()
    ids = claimed
    if connection.dialect.name == "postgresql" and not wait:
        as_json = ids_as_json(connection)
        among = among_json if as_json else among_array
        bound = {"ids": bound_ids(claimed, as_json=as_json)}
        locked = set(
            connection.scalars(
                select(Case.id).where(among(Case.id)).order_by(Case.id).with_for_update(skip_locked=True), bound
            )
        )
        if len(locked) < len(claimed):  # held by a push or a decision now: next time (a gone case: now)
            held = set(connection.scalars(select(Case.id).where(among(Case.id)), bound)) - locked
            ids = [case_id for case_id in claimed if case_id not in held]
        if not ids:
            return 0
    case_figures.refresh(session, ids)
    # The rows claimed are locked by this transaction (PostgreSQL) or no one else writes
    # (SQLite): no mark came in since they were read, so they go as they are.
    connection = session.connection()
    as_json = ids_as_json(connection)
    connection.execute(_FORGET_JSON if as_json else _FORGET_ARRAY, {"ids": bound_ids(ids, as_json=as_json)})
    return len(ids)


def catch_up(db: HubDatabase, *, chunk: int = READER_CHUNK, keep_going: Callable[[], bool] = lambda: True) -> int:
    """Every due case's figures, a chunk a transaction (so that pushes get the writer in
    between), while ``keep_going()``; returns how many cases were worked out."""
    done = 0
    while keep_going():
        count = db.run_write(lambda session: refresh_due(session, limit=chunk))
        if count == 0:
            return done
        done += count
    return done


def _refresh_all_due(session: Session) -> None:
    while refresh_due(session, limit=READER_CHUNK, wait=True):
        pass


@contextlib.contextmanager
def current_figures(db: HubDatabase) -> Iterator[Session]:
    """A read of the figures in which none is older than its case: a snapshot with no case
    due. When a push left some, they are worked out first (chunk by chunk, pushes in
    between); if yet another push came in before the snapshot, the due figures are worked
    out and read in one transaction (SQLite: the writer's; PostgreSQL: a snapshot)."""
    for attempt in range(2):
        with db.read() as session:
            if not any_due(session):
                yield session
                return
        if attempt == 0:
            catch_up(db)
    for attempt in range(1, _SNAPSHOT_ATTEMPTS + 1):
        yielded = False
        try:
            with db.write(snapshot=True) as session:
                _refresh_all_due(session)
                session.flush()
                yielded = True
                yield session
            return
        except DBAPIError as exc:
            # Only the catch-up before the read is run again (PostgreSQL's serialization
            # failure or deadlock against a push); what the reader raised goes to it.
            if yielded or attempt == _SNAPSHOT_ATTEMPTS or not is_retryable(exc):
                raise


class Catchup:
    """The hub's background catch-up: wakes when a push was applied (:meth:`pushed`) or
    every ``interval`` seconds, and works out the due figures a chunk at a time while no
    push is being applied in this process (:meth:`push_started` / :meth:`push_ended`)."""

    def __init__(
        self, db: HubDatabase, *, interval: float = 5.0, chunk: int = CHUNK, quiet: float = QUIET_SECONDS
    ) -> None:
        self._db, self._interval, self._chunk, self._quiet = db, interval, chunk, quiet
        self._last_push = -quiet
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._pushing = 0
        self._thread: threading.Thread | None = None
        self.cases_done = 0

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="windowdesk-figures", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=30)

    def push_started(self) -> None:
        with self._lock:
            self._pushing += 1

    def push_ended(self) -> None:
        with self._lock:
            self._pushing -= 1
            self._last_push = time.monotonic()
        self._wake.set()

    def _quiet_for(self) -> float:
        """Seconds still to wait before a chunk (0: no push applied for QUIET_SECONDS)."""
        if self._pushing:
            return self._quiet
        return max(self._quiet - (time.monotonic() - self._last_push), 0.0)

    def _idle(self) -> bool:
        return self._quiet_for() == 0.0 and not self._stop.is_set()

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(self._interval)
            self._wake.clear()
            while not self._stop.is_set() and (pause := self._quiet_for()) > 0:
                self._stop.wait(pause)
            try:
                self.cases_done += catch_up(self._db, chunk=self._chunk, keep_going=self._idle)
            except Exception:
                log.exception("working out the report's figures of the cases pushed failed; trying again later")
                time.sleep(self._interval)
