"""Applying a pushed batch: one transaction, one answer per event.

Idempotency: the event id is the key. An event seen before is never applied again; it
is answered "duplicate" if it had been applied, and "rejected" with its first reason if
it had been rejected, however often it is resent.

Order: events are applied in the order received, and a batch is processed against the
state left by the events before it (the client's ``created_at`` is stored, never used to
order anything: client clocks may be hours off). A rejected event records the ids it
would have created, so a later event that depends on it is rejected with a reason that
says why; events that do not depend on it are applied as usual.

Speed, then isolation: the rules decide every event against a view read up front
(push_view), so the database should refuse nothing; the batch's rows are then written
grouped, one executemany per statement, inside one savepoint. Only if the database
refuses anyway (another transaction committed a conflicting id or number after the view
was read) is that savepoint rolled back and the batch applied again event by event,
each event in its own savepoint, so that only the conflicting events are rejected.

Concurrency (PostgreSQL): the batch first locks its workstation's row, so two pushes
from one workstation (a resend while the first is still running) run one after the
other; then the cases it changes, in id order, so pushes from different windows cannot
deadlock on them. Pushes do not append to the change feed and so run in parallel; the
one exception, a batch that answers a web complaint (complaint_reply_relay: the center's
other windows are told), runs in the feed's transaction, ``write(feed=True)``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, bindparam, insert, update
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm import Session

from windowdesk.domain.catalog_model import CENTER_CODE
from windowdesk.hub.errors import Forbidden
from windowdesk.hub.language import SOURCE_LANGUAGE, Text, translate
from windowdesk.hub.services import figure_catchup, figure_days
from windowdesk.hub.services.complaint_reply_relay import relay_replies
from windowdesk.hub.services.push_rules import (
    CREATING_KINDS,
    STATEMENT_ORDER,
    BatchView,
    IncomingEvent,
    Pusher,
    Rejected,
    plan_event,
    same_content,
    utc_instant,
)
from windowdesk.hub.services.push_view import KnownEvent, known_events, load_view, stored_content
from windowdesk.hub.storage.bulk import execute_many
from windowdesk.hub.storage.models import PushedEvent, Workstation
from windowdesk.i18n import N_
from windowdesk.sync.protocol import (
    APPLIED,
    DUPLICATE,
    ERROR_WRONG_CENTER,
    REJECTED,
    EventEntity,
    EventKind,
    PushedEventStatus,
)
from windowdesk.text import as_unicode_text

INSERT_PUSHED_EVENT = insert(PushedEvent.__table__)
# Built once (a push of one event paid more for building it than for running it).
NOTE_LAST_PUSH = (
    update(Workstation.__table__)
    .where(Workstation.__table__.c.id == bindparam("workstation_id"))
    .values(last_push_at=bindparam("last_push_at"))
)
CONFLICT_REASON = N_(
    "It conflicts with a record the hub already has (the same id or number was sent by another event)."
)
UNSTORABLE_REASON = N_("The hub's database cannot store a value in this event.")


@dataclass  # not frozen: one per event (see push_rules.IncomingEvent)
class PushOutcome:
    event_id: str
    status: str
    reason: str = ""


def check_centers(pusher: Pusher, events: Sequence[IncomingEvent]) -> None:
    """A batch naming another center is refused whole (403), nothing stored.

    Not a per-event rejection on purpose: rejections are final, yet such a batch means
    the workstation is enrolled for the wrong center, not that its work is wrong. Once an
    administrator enrolls it again for the right center, the same events go through.
    """
    for event in events:
        center = event.payload.get("center")
        # A value that is no center code at all names no center: its event alone is
        # rejected by the rules, and this answer never repeats it.
        if isinstance(center, str) and CENTER_CODE.fullmatch(center) and center != pusher.center_code:
            raise Forbidden(
                Text(
                    N_(
                        "This workstation is enrolled for center {own_center}, but it sends work "
                        "of center {center}. Nothing was stored. Ask your administrator to "
                        "enroll this workstation again for the right center."
                    ),
                    own_center=pusher.center_code,
                    center=center,
                ),
                code=ERROR_WRONG_CENTER,
            )


def apply_push(
    session: Session,
    *,
    pusher: Pusher,
    events: Sequence[IncomingEvent],
    now: dt.datetime,
    language: str = SOURCE_LANGUAGE,
) -> list[PushOutcome]:
    """Reasons of new rejections are worded in ``language`` (the window's) and stored so."""
    check_centers(pusher, events)
    connection = session.connection()
    connection.execute(NOTE_LAST_PUSH, {"workstation_id": pusher.workstation_id, "last_push_at": now})
    try:
        with connection.begin_nested():
            outcomes = _apply_grouped(connection, session, pusher, events, now, language)
    except (IntegrityError, DataError):
        outcomes = _apply_one_by_one(connection, session, pusher, events, now, language)
    # The cases whose report figures this push changed, marked due in the same
    # transaction: worked out later, before any reader of the figures reads (figure_catchup).
    figure_catchup.mark_due(
        session,
        [
            event.entity_id
            for event, outcome in zip(events, outcomes, strict=True)
            if outcome.status == APPLIED and event.entity == EventEntity.CASE
        ],
    )
    figure_days.add_ratings(
        session,
        [
            event.entity_id
            for event, outcome in zip(events, outcomes, strict=True)
            if outcome.status == APPLIED and event.kind == EventKind.RATING_GIVEN
        ],
    )
    # A reply to a web complaint, told to the center's other windows (complaint_reply_relay).
    relay_replies(session, events, [outcome.status for outcome in outcomes], now)
    return outcomes


REUSED_ID_REASON = N_(
    "The hub already has an event with this id, with other content. An event id is sent again only "
    "with the same change; this change was not applied."
)


@dataclass
class _Batch:
    """The state of one pass over a batch: what the rules see, what was answered."""

    view: BatchView
    known: dict[str, KnownEvent]  # event id -> how it was answered (stored, or earlier in this batch)
    language: str
    session: Session
    window_id: str  # the pusher's: ids are looked up in its scope
    received: dict[str, IncomingEvent] = field(default_factory=dict)  # this batch's events answered so far

    def answer_again(self, event: IncomingEvent) -> PushOutcome:
        """An id answered before: the same answer if it is the same change from the same
        window; else a rejection of this one event, which changes nothing stored (the
        reason is the same whoever used the id first: it tells nothing about them)."""
        known = self.known[event.event_id]
        if known.window_id != self.window_id or not self._same_content(event, known):
            return PushOutcome(event.event_id, REJECTED, translate(REUSED_ID_REASON, self.language))
        return (
            PushOutcome(event.event_id, DUPLICATE)
            if known.status is PushedEventStatus.APPLIED
            else PushOutcome(event.event_id, REJECTED, known.reason)
        )

    def _same_content(self, event: IncomingEvent, known: KnownEvent) -> bool:
        if known.content_sha256 == event.content_sha256:
            return True
        first = self.received.get(event.event_id)
        if first is not None:
            return same_content(event, first.kind, first.entity, first.entity_id, first.payload)
        stored = stored_content(self.session, event.event_id)
        return stored is not None and same_content(event, *stored)

    def note(self, event: IncomingEvent, status: PushedEventStatus, reason: str) -> None:
        self.known[event.event_id] = KnownEvent(status, reason, event.content_sha256, self.window_id)
        self.received[event.event_id] = event

    def note_rejection(self, event: IncomingEvent, reason: str) -> PushOutcome:
        self.note(event, PushedEventStatus.REJECTED, reason)
        if event.kind in CREATING_KINDS:
            self.view.rejected.setdefault(event.entity_id, reason)
        return PushOutcome(event.event_id, REJECTED, reason)


def _start(session: Session, pusher: Pusher, events: Sequence[IncomingEvent], language: str) -> _Batch:
    return _Batch(
        load_view(session, events, pusher),
        known_events(session, [event.event_id for event in events]),
        language,
        session,
        pusher.window_id,
    )


def _apply_grouped(
    connection: Connection,
    session: Session,
    pusher: Pusher,
    events: Sequence[IncomingEvent],
    now: dt.datetime,
    language: str,
) -> list[PushOutcome]:
    batch = _start(session, pusher, events, language)
    outcomes: list[PushOutcome] = []
    event_rows: list[dict[str, Any]] = []
    rows_by_statement: dict[object, list[dict[str, Any]]] = {statement: [] for statement in STATEMENT_ORDER}
    for event in events:
        if event.event_id in batch.known:
            outcomes.append(batch.answer_again(event))
            continue
        try:
            plan = plan_event(event, pusher, batch.view, now)
        except Rejected as rejection:
            reason = rejection.worded(batch.language)
            outcomes.append(batch.note_rejection(event, reason))
            event_rows.append(_event_row(pusher, event, PushedEventStatus.REJECTED, reason, now))
            continue
        for statement, parameters in plan.statements:
            rows_by_statement[statement].append(parameters)
        plan.remember(batch.view)
        batch.note(event, PushedEventStatus.APPLIED, "")
        outcomes.append(PushOutcome(event.event_id, APPLIED))
        event_rows.append(_event_row(pusher, event, PushedEventStatus.APPLIED, "", now))
    if event_rows:
        execute_many(connection, INSERT_PUSHED_EVENT, event_rows)
    for statement in STATEMENT_ORDER:
        if rows_by_statement[statement]:
            execute_many(connection, statement, rows_by_statement[statement])
    return outcomes


def _apply_one_by_one(
    connection: Connection,
    session: Session,
    pusher: Pusher,
    events: Sequence[IncomingEvent],
    now: dt.datetime,
    language: str,
) -> list[PushOutcome]:
    batch = _start(session, pusher, events, language)
    return [_apply_alone(connection, session, batch, pusher, event, now) for event in events]


def _apply_alone(
    connection: Connection, session: Session, batch: _Batch, pusher: Pusher, event: IncomingEvent, now: dt.datetime
) -> PushOutcome:
    if event.event_id in batch.known:
        return batch.answer_again(event)
    try:
        plan = plan_event(event, pusher, batch.view, now)
    except Rejected as rejection:
        return _store_rejection(connection, session, batch, pusher, event, rejection.worded(batch.language), now)
    try:
        with connection.begin_nested():
            connection.execute(INSERT_PUSHED_EVENT, _event_row(pusher, event, PushedEventStatus.APPLIED, "", now))
            for statement, parameters in plan.statements:
                connection.execute(statement, parameters)
    except (IntegrityError, DataError) as refusal:
        # A concurrent push stored the same event id first, or an id or number that was
        # not in the view yet: answer as stored, or reject this one event.
        stored = known_events(session, [event.event_id]).get(event.event_id)
        if stored is not None:
            batch.known[event.event_id] = stored
            return batch.answer_again(event)
        reason = CONFLICT_REASON if isinstance(refusal, IntegrityError) else UNSTORABLE_REASON
        return _store_rejection(connection, session, batch, pusher, event, translate(reason, batch.language), now)
    plan.remember(batch.view)
    batch.note(event, PushedEventStatus.APPLIED, "")
    return PushOutcome(event.event_id, APPLIED)


def _store_rejection(
    connection: Connection,
    session: Session,
    batch: _Batch,
    pusher: Pusher,
    event: IncomingEvent,
    reason: str,
    now: dt.datetime,
) -> PushOutcome:
    row = _event_row(pusher, event, PushedEventStatus.REJECTED, reason, now)
    try:
        with connection.begin_nested():
            connection.execute(INSERT_PUSHED_EVENT, row)
    except DataError:
        # The payload itself cannot be stored: the rejection is kept without it.
        with connection.begin_nested():
            connection.execute(INSERT_PUSHED_EVENT, {**row, "payload": {}})
    except IntegrityError:
        stored = known_events(session, [event.event_id]).get(event.event_id)
        if stored is None:
            raise
        batch.known[event.event_id] = stored
        return batch.answer_again(event)
    return batch.note_rejection(event, reason)


def _stored_text(text: str) -> str:
    """As close to ``text`` as either database can store (a rejected event's kind and
    entity may hold anything; its row must still be written to answer resends)."""
    return as_unicode_text(text.replace("\x00", "\ufffd"))


def _event_row(
    pusher: Pusher, event: IncomingEvent, status: PushedEventStatus, reason: str, now: dt.datetime
) -> dict[str, Any]:
    kind, entity, entity_id = event.kind, event.entity, event.entity_id
    if status is not PushedEventStatus.APPLIED:  # an applied event's texts were found storable already
        kind, entity, entity_id = _stored_text(kind), _stored_text(entity), _stored_text(entity_id)
    return dict(
        event_id=event.event_id,
        workstation_id=pusher.workstation_id,
        client_seq=event.seq,
        kind=kind,
        entity=entity,
        entity_id=entity_id,
        status=status,
        reason=reason,
        payload=event.stored_payload if event.stored_payload is not None else {},
        created_at=_storable_created_at(event.created_at),
        received_at=now,
        content_sha256=event.content_sha256,
    )


def _storable_created_at(value: dt.datetime) -> dt.datetime:
    """The client's clock as stored: a time beyond UTC's years (its event is rejected for it,
    plan_event) is kept as the nearest one that is, so the rejection itself is stored."""
    in_utc = utc_instant(value)
    if in_utc is not None:
        return in_utc
    edge = dt.datetime.min if value.year == dt.MINYEAR else dt.datetime.max
    return edge.replace(tzinfo=dt.UTC)
