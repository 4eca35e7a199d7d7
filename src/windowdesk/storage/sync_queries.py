"""The queries of a sync pass that read many rows at once: an outbox batch as stored, and
what a page of the hub's changes needs, loaded for the whole page instead of per change."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Collection
from typing import Any, NamedTuple, cast

from sqlalchemy import (
    Connection,
    Dialect,
    Insert,
    Integer,
    LargeBinary,
    Select,
    SQLColumnExpression,
    Table,
    Text,
    Update,
    bindparam,
    func,
    insert,
    select,
    type_coerce,
    update,
)
from sqlalchemy import cast as sql_cast
from sqlalchemy.orm import Session

from windowdesk.domain.case_state import CaseStatus
from windowdesk.domain.case_steps import StepSource
from windowdesk.domain.outbox_state import OutboxState
from windowdesk.storage import models as m
from windowdesk.storage.column_types import TextEnum
from windowdesk.storage.models_quality import CasePart
from windowdesk.storage.sent_events import state_is
from windowdesk.stored_columns import ColumnProcessor, stored_columns


class OutboxRow(NamedTuple):
    """A pending outbox event as the push sends it: its columns as stored, not converted
    to Python values one by one (a push reads 500 at a time; SQLAlchemy's conversions of
    the kind, the time and the payload's text were a third of the window's CPU in a push,
    bench/window_push.py)."""

    seq: int
    event_id: str
    entity: str
    entity_id: str
    kind: str  # the stored word of its EventKind
    created_at: str  # the moment, UTC, as datetime.isoformat() writes it ("...+00:00")
    payload: bytes  # the payload's stored JSON text, UTF-8, as it is


# The columns as stored: no type's conversion per row (kind and state are TextEnums, the
# time a UTCDateTime, the payload a JSON column, read here as the bytes of its text).
_PENDING_OUTBOX = (
    select(
        m.OutboxEvent.seq,
        type_coerce(m.OutboxEvent.event_id, Text),
        type_coerce(m.OutboxEvent.entity, Text),
        type_coerce(m.OutboxEvent.entity_id, Text),
        type_coerce(m.OutboxEvent.kind, Text),
        type_coerce(m.OutboxEvent.created_at, Text),
        sql_cast(m.OutboxEvent.payload, LargeBinary),
    )
    # By ix_outbox_pending, which holds only the pending rows: not the confirmed ones kept.
    .where(state_is(OutboxState.PENDING), m.OutboxEvent.seq > bindparam("after_seq"))
    .order_by(m.OutboxEvent.seq)
    .limit(bindparam("limit"))
)


def _wire_time(stored: str) -> str:
    """A stored UTC time (SQLite's text of a naive datetime) as the push sends it."""
    return dt.datetime.fromisoformat(stored).replace(tzinfo=dt.UTC).isoformat()


def pending_outbox_rows(session: Session, *, after_seq: int, limit: int) -> list[OutboxRow]:
    """Pending events after ``after_seq`` in outbox order; the payloads are not decoded."""
    rows = session.execute(_PENDING_OUTBOX, {"after_seq": after_seq, "limit": limit})
    return [
        OutboxRow(seq, event_id, entity, entity_id, kind, _wire_time(created_at), payload or b"null")
        for seq, event_id, entity, entity_id, kind, created_at, payload in rows
    ]


# A page's ids bound as one JSON array: one statement text whatever their number, so
# SQLAlchemy renders it once and SQLite prepares it once (as IN lists, a placeholder per
# id, each page's four reads were rendered again: a fifth of a page's applying).
_JSON_IDS = func.json_each(bindparam("ids")).table_valued("value")
_CASES = cast(Table, m.Case.__table__)  # a declared model's table (typed as any FromClause)
_EVENTS = cast(Table, m.CaseEvent.__table__)


def _among(column: SQLColumnExpression[str]) -> SQLColumnExpression[bool]:
    return column.in_(select(_JSON_IDS.c.value))


def _json_ids(values: Collection[str]) -> str:
    return json.dumps(sorted(values))


def _bound_ids(values: Collection[str]) -> dict[str, str]:
    return {"ids": _json_ids(values)}


class PageCaseRow(NamedTuple):
    """A case a page of the hub's changes names, as stored: what its decisions and notes
    read (the case's other columns are not loaded)."""

    status: CaseStatus
    next_position: int  # where a step appended now goes on its timeline
    has_parts: bool  # 并联审批: whether it has parallel parts (parts_of_cases reads them)


_LAST_POSITION = (
    select(func.max(_EVENTS.c.position)).where(_EVENTS.c.case_id == _CASES.c.id).correlate(_CASES).scalar_subquery()
)
_HAS_PARTS = select(CasePart.case_id).where(CasePart.case_id == _CASES.c.id).correlate(_CASES).exists()
_PAGE_CASES = select(_CASES.c.id, _CASES.c.status, _LAST_POSITION, _HAS_PARTS).where(_among(_CASES.c.id))
_EXISTING_EVENTS = select(_EVENTS.c.id).where(_among(_EVENTS.c.id))
_CASE_STATUSES = {status.value: status for status in CaseStatus}
# By dialect name: the reads' texts, compiled once (a page's reads go to the driver as they
# are, their rows as stored: no result processing per row).
_READ_TEXTS: dict[tuple[Select[Any], str], str] = {}


def _read_text(statement: Select[Any], connection: Connection) -> str:
    key = (statement, connection.dialect.name)
    sql = _READ_TEXTS.get(key)
    if sql is None:
        sql = _READ_TEXTS[key] = str(statement.compile(connection))
    return sql


def page_case_rows(session: Session, case_ids: Collection[str]) -> dict[str, PageCaseRow]:
    """The cases among ``case_ids`` kept here, in one statement (plain rows, no ORM objects:
    a page of 1,000 decisions made 1,000 ``Case`` objects only to read their status; and
    no SQLAlchemy result: its processing of each row cost a third as much as SQLite's
    reading). The next position is as models.next_event_position computes it from a
    loaded timeline. A status outside CaseStatus fails as the column's type fails it."""
    connection = session.connection()
    rows = connection.exec_driver_sql(_read_text(_PAGE_CASES, connection), (_json_ids(case_ids),)).fetchall()
    statuses = _CASE_STATUSES
    return {
        case_id: PageCaseRow(
            statuses[word] if word in statuses else CaseStatus(word), 0 if last is None else last + 1, bool(parts)
        )
        for case_id, word, last, parts in rows
    }


def parts_of_cases(session: Session, case_ids: Collection[str]) -> dict[str, list[CasePart]]:
    """The parallel parts of each case, in position order (cases without parts: absent).
    ORM objects: a decision changes them (few: only parallel cases have parts)."""
    parts: dict[str, list[CasePart]] = defaultdict(list)
    for part in session.scalars(
        select(CasePart).where(_among(CasePart.case_id)).order_by(CasePart.case_id, CasePart.position),
        _bound_ids(case_ids),
    ):
        parts[part.case_id].append(part)
    return dict(parts)


def existing_case_event_ids(session: Session, event_ids: Collection[str]) -> set[str]:
    connection = session.connection()
    rows = connection.exec_driver_sql(_read_text(_EXISTING_EVENTS, connection), (_json_ids(event_ids),))
    return {event_id for (event_id,) in rows}


# A case's new status and what the page's steps add to its suspension count, in one
# write of its row (0023: 0007's triggers leave the pull's steps to it); with a finish
# time only for a case a step of the page finished (naming finished_at in the update
# would move every case in ix_cases_center_finished too).
_SET_CASE = (
    update(_CASES)
    .where(_CASES.c.id == bindparam("case_id"))
    .values(status=bindparam("new_status"), suspensions=_CASES.c.suspensions + bindparam("suspended", type_=Integer))
)
_SET_FINISHED_CASE = _SET_CASE.values(
    finished_at=func.coalesce(_CASES.c.finished_at, bindparam("finished", type_=_CASES.c.finished_at.type))
)


class _DriverStatement(NamedTuple):
    sql: str
    names: tuple[str, ...]  # the parameters in the statement's order
    processors: tuple[ColumnProcessor, ...]


# By statement, parameter names and dialect name: the text and the types' processors
# depend on the kind of database only, not on one engine's dialect object.
_DRIVER_STATEMENTS: dict[tuple[Insert | Update, frozenset[str], str], _DriverStatement] = {}


def _driver_statement(statement: Insert | Update, names: frozenset[str], dialect: Dialect) -> _DriverStatement:
    key = (statement, names, dialect.name)
    prepared = _DRIVER_STATEMENTS.get(key)
    if prepared is None:
        compiled = statement.compile(dialect=dialect, column_keys=sorted(names))
        order = tuple(compiled.positiontup or ())
        processors = []
        for i, name in enumerate(order):
            column_type = compiled.binds[name].type
            processor = column_type.dialect_impl(dialect).bind_processor(dialect)
            if processor is not None:
                processors.append((i, processor, isinstance(column_type, TextEnum)))
        prepared = _DRIVER_STATEMENTS[key] = _DriverStatement(str(compiled), order, tuple(processors))
    return prepared


def _execute_columns(session: Session, statement: Insert | Update, columns: dict[str, list[Any]]) -> None:
    """One statement for many rows, given a column at a time (each column's values by its
    name, equally long), their values put in the database's form by each column type's own
    processor and handed to the driver's executemany. Through SQLAlchemy's executemany the
    compiler built every row's parameters again (about 12 µs a row, a sixth of a page's
    applying); the statement's text and the values' stored form are the same. A
    fixed-value column's (TextEnum's) few words are processed once each, checked as always;
    no dict is built per row."""
    connection = session.connection()
    prepared = _driver_statement(statement, frozenset(columns), connection.dialect)
    ordered = [columns[name] for name in prepared.names]
    connection.exec_driver_sql(prepared.sql, stored_columns(ordered, prepared.processors))


# A hub step as a pulled page makes it (services/sync_apply.py): its columns in this
# order, its time already in its stored form ("stored_at": models.sqlite_utc_text_of);
# its source is "hub" and it has no operator.
HUB_STEP_COLUMNS = (
    *("id", "case_id", "position", "stored_at", "kind"),
    *("from_status", "to_status", "note", "suspension_kind"),
)
HubStep = tuple[str, str, int, str, str, str | None, str | None, str, str | None]
_INSERT_HUB_STEPS = insert(_EVENTS).values(at=bindparam("stored_at", type_=Text()))


def insert_hub_steps(session: Session, steps: list[HubStep]) -> None:
    """Add a page's hub steps (tuples in HUB_STEP_COLUMNS' order) in one statement, each
    value stored as its column's type stores it (the window's database is SQLite, whose
    text of a UTC time each step's ``stored_at`` is): a page of 1,000 hub decisions through
    the ORM's unit of work cost more in bookkeeping than in writes."""
    columns: dict[str, list[Any]] = dict(zip(HUB_STEP_COLUMNS, map(list, zip(*steps, strict=True)), strict=True))
    columns["source"] = [StepSource.HUB] * len(steps)
    columns["operator_id"] = [None] * len(steps)
    _execute_columns(session, _INSERT_HUB_STEPS, columns)


def store_case_changes(
    session: Session, statuses: dict[str, str], suspended: dict[str, int], finished: dict[str, dt.datetime]
) -> None:
    """Store each case's new status (by case id) with what a page's steps add to it, as
    every writer of steps counts them (services/cases.append_step): ``suspended``, how many went into
    "suspended"; ``finished``, when the first into a finishing status was taken (a finish
    time already set stays). One write of each case's row, in one statement (two when
    some cases were finished)."""
    plain = [case_id for case_id in statuses if case_id not in finished]
    if plain:
        _execute_columns(
            session,
            _SET_CASE,
            {
                "case_id": plain,
                "new_status": [statuses[case_id] for case_id in plain],
                "suspended": [suspended.get(case_id, 0) for case_id in plain],
            },
        )
    finishing = [case_id for case_id in statuses if case_id in finished]
    if finishing:
        _execute_columns(
            session,
            _SET_FINISHED_CASE,
            {
                "case_id": finishing,
                "new_status": [statuses[case_id] for case_id in finishing],
                "suspended": [suspended.get(case_id, 0) for case_id in finishing],
                "finished": [finished[case_id] for case_id in finishing],
            },
        )


def case_number_of(session: Session, case_id: str) -> str | None:
    """The number of a case kept here, None for a case this window does not keep."""
    return session.scalar(select(m.Case.case_number).where(m.Case.id == case_id))
