"""The queries of a sync pass that read many rows at once: an outbox batch as stored, and
what a page of the hub's changes needs, loaded for the whole page instead of per change."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Sequence
from typing import NamedTuple, cast

from sqlalchemy import Table, Text, bindparam, func, insert, select, type_coerce, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from windowdesk.storage import models as m
from windowdesk.storage.models_quality import CasePart

_CHUNK = 500


class OutboxRow(NamedTuple):
    seq: int
    event_id: str
    entity: str
    entity_id: str
    kind: str
    created_at: dt.datetime
    payload_json: str | None  # the payload as the JSON text it is stored as


def pending_outbox_rows(session: Session, *, after_seq: int, limit: int) -> list[OutboxRow]:
    """Pending events after ``after_seq`` in outbox order; the payloads are not decoded."""
    rows = session.execute(
        select(m.OutboxEvent.seq, m.OutboxEvent.event_id, m.OutboxEvent.entity, m.OutboxEvent.entity_id,
               m.OutboxEvent.kind, m.OutboxEvent.created_at, type_coerce(m.OutboxEvent.payload, Text))
        .where(m.OutboxEvent.state == "pending", m.OutboxEvent.seq > after_seq)
        .order_by(m.OutboxEvent.seq)
        .limit(limit)
    )
    return [OutboxRow(*row) for row in rows]


def _chunks(values: Collection[str]) -> list[list[str]]:
    ordered = sorted(values)
    return [ordered[i:i + _CHUNK] for i in range(0, len(ordered), _CHUNK)]


def cases_by_id(session: Session, case_ids: Collection[str]) -> dict[str, m.Case]:
    """The cases among ``case_ids`` kept here (their timelines are not loaded)."""
    found: dict[str, m.Case] = {}
    for chunk in _chunks(case_ids):
        for case in session.scalars(select(m.Case).where(m.Case.id.in_(chunk))):
            found[case.id] = case
    return found


def next_step_positions(session: Session, case_ids: Collection[str]) -> dict[str, int]:
    """The position a step appended now takes on each case's timeline (as
    models.next_event_position computes it from a loaded timeline)."""
    positions = dict.fromkeys(case_ids, 0)
    for chunk in _chunks(case_ids):
        for case_id, last in session.execute(
            select(m.CaseEvent.case_id, func.max(m.CaseEvent.position))
            .where(m.CaseEvent.case_id.in_(chunk)).group_by(m.CaseEvent.case_id)
        ):
            positions[case_id] = last + 1
    return positions


def parts_of_cases(session: Session, case_ids: Collection[str]) -> dict[str, list[CasePart]]:
    """The parallel parts of each case, in position order (cases without parts: absent)."""
    parts: dict[str, list[CasePart]] = defaultdict(list)
    for chunk in _chunks(case_ids):
        for part in session.scalars(
            select(CasePart).where(CasePart.case_id.in_(chunk)).order_by(CasePart.case_id, CasePart.position)
        ):
            parts[part.case_id].append(part)
    return dict(parts)


def existing_case_event_ids(session: Session, event_ids: Sequence[str]) -> set[str]:
    found: set[str] = set()
    for chunk in _chunks(event_ids):
        found.update(session.scalars(select(m.CaseEvent.id).where(m.CaseEvent.id.in_(chunk))))
    return found


_CASES = cast(Table, m.Case.__table__)  # a declared model's table (typed as any FromClause)
_SET_CASE_STATUS = update(_CASES).where(_CASES.c.id == bindparam("case_id")).values(status=bindparam("new_status"))


def insert_case_steps(session: Session, steps: list[dict[str, object]]) -> None:
    """Add timeline steps (column values by name) in one statement: through the ORM's unit
    of work, the bookkeeping of a page of 1,000 hub decisions cost more than its writes."""
    session.execute(insert(cast(Table, m.CaseEvent.__table__)), steps)


def set_case_statuses(session: Session, statuses: dict[str, str]) -> None:
    """Store each case's new status (by case id) in one statement."""
    session.execute(_SET_CASE_STATUS, [{"case_id": case_id, "new_status": status}
                                       for case_id, status in statuses.items()])


def set_loaded_status(case: m.Case, status: str) -> None:
    """Give a loaded case its new status as if read from the database, so that the ORM's
    flush never writes it (:func:`set_case_statuses` does)."""
    set_committed_value(case, "status", status)


def case_number_of(session: Session, case_id: str) -> str | None:
    """The number of a case kept here, None for a case this window does not keep."""
    return session.scalar(select(m.Case.case_number).where(m.Case.id == case_id))
