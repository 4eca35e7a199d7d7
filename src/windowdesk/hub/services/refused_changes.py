"""The changes the hub refused, for its administrators: which window sent what, why it was
refused, and whether a supervisor at that window has since resolved it.

A window keeps what the hub refused for its supervisor, who marks it resolved once it has
been dealt with; the window's audit log carries that to the hub
(protocol.AUDIT_REFUSAL_RESOLVED, its detail naming the refused event). When a supervisor
takes a refusal up with the hub's administrators, this is what they look at.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import literal, select
from sqlalchemy.orm import Session

from windowdesk.hub.services.audit_chain import find_breaks
from windowdesk.hub.services.clocks import center_time
from windowdesk.hub.storage.models import AuditRecord, Case, PushedEvent, Workstation
from windowdesk.sync.change_words import record_words, text_of
from windowdesk.sync.protocol import AUDIT_REFUSAL_RESOLVED, EventEntity, EventKind, PushedEventStatus


@dataclass(frozen=True)
class Resolution:
    at: dt.datetime | None  # on the center's clock; None if the window's clock text cannot be read
    supervisor: str
    note: str
    # Whether the window's audit chain verifies up to and with the entry that says so; an
    # entry that does not is only the window's word, and the change counts as unresolved.
    verified: bool = True


@dataclass(frozen=True)
class RefusedChange:
    event_id: str
    received_at: dt.datetime  # on the center's clock
    center_code: str
    window_id: str
    kind: str
    record: str  # as people know it; an ID number masked (sync/change_words.py)
    reason: str  # in the language of the window it was first given to
    resolution: Resolution | None


@dataclass(frozen=True)
class RefusedList:
    changes: list[RefusedChange]  # newest first, at most the limit asked for
    total: int  # all that match
    unresolved: int  # of those, not resolved at their window yet


def refused_changes(
    session: Session, *, center: str | None = None, unresolved_only: bool = False, limit: int | None = None
) -> RefusedList:
    """Newest first. Only the changes shown are put in words (their records looked up)."""
    query = (
        select(
            PushedEvent.event_id,
            PushedEvent.workstation_id,
            PushedEvent.kind,
            PushedEvent.entity,
            PushedEvent.entity_id,
            PushedEvent.reason,
            PushedEvent.received_at,
            Workstation.center_code,
            Workstation.window_id,
        )
        .join(Workstation, Workstation.id == PushedEvent.workstation_id)
        .where(PushedEvent.status == PushedEventStatus.REJECTED)
        .order_by(PushedEvent.received_at.desc(), PushedEvent.client_seq.desc())
    )
    if center is not None:
        query = query.where(Workstation.center_code == center)
    rows = session.execute(query).all()
    resolutions = _resolutions(session, {row.workstation_id for row in rows})
    verified = _verified_entries(session, {entry.window_id for entry in resolutions.values()})
    resolved = [(row, resolutions.get((row.workstation_id, row.event_id))) for row in rows]
    unresolved = sum(resolution is None or resolution.seq not in verified for _row, resolution in resolved)
    if unresolved_only:
        resolved = [
            (row, resolution) for row, resolution in resolved if resolution is None or resolution.seq not in verified
        ]
    shown = resolved if limit is None else resolved[:limit]
    payloads = _payloads(session, [row.event_id for row, _resolution in shown])
    changes = [
        RefusedChange(
            row.event_id,
            center_time(session, row.center_code, row.received_at),
            row.center_code,
            row.window_id,
            row.kind,
            record_words(
                row.kind,
                row.entity,
                row.entity_id,
                payloads.get(row.event_id),
                case_number=lambda case_id: _case_number(session, case_id),
            ),
            row.reason,
            None
            if resolution is None
            else _resolution(session, row.center_code, resolution, verified=resolution.seq in verified),
        )
        for row, resolution in shown
    ]
    return RefusedList(changes, len(resolved), unresolved)


def _payloads(session: Session, event_ids: list[str]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for start in range(0, len(event_ids), 500):
        chunk = event_ids[start : start + 500]
        found.update(
            (event_id, payload)
            for event_id, payload in session.execute(
                select(PushedEvent.event_id, PushedEvent.payload).where(PushedEvent.event_id.in_(chunk))
            )
        )
    return found


def _case_number(session: Session, case_id: str) -> str | None:
    """The hub's case, else the number its refused acceptance carried (a step on a case
    whose acceptance was refused is refused too, and names no number)."""
    number = session.scalar(select(Case.case_number).where(Case.id == case_id))
    if number:
        return number
    # No case: its acceptance, if the hub has it, was refused (an applied one made the
    # case, and cases are kept). Found among the rejected events by record.
    accepted = session.scalar(
        select(PushedEvent.payload)
        .where(
            # The status spelled out, not bound: only then may SQLite use the rejected
            # events' partial index (ix_pushed_events_rejected), which finds them by record.
            PushedEvent.status == literal(PushedEventStatus.REJECTED.value, literal_execute=True),
            PushedEvent.kind == EventKind.CASE_ACCEPTED,
            PushedEvent.entity == EventEntity.CASE,
            PushedEvent.entity_id == case_id,
        )
        .limit(1)
    )
    return text_of(accepted, "number") or None


def _resolutions(session: Session, workstation_ids: Iterable[str]) -> dict[tuple[str, str], AuditRecord]:
    """(workstation, refused event id) -> the audit entry of that workstation that resolved
    it (the first, should it have sent two); another window cannot resolve it."""
    ids = sorted(workstation_ids)
    if not ids:
        return {}
    entries = session.scalars(
        select(AuditRecord)
        .where(AuditRecord.action == AUDIT_REFUSAL_RESOLVED, AuditRecord.workstation_id.in_(ids))
        .order_by(AuditRecord.seq)
    )
    found: dict[tuple[str, str], AuditRecord] = {}
    for entry in entries:
        event_id = text_of(entry.detail, "event_id")
        if event_id:
            found.setdefault((entry.workstation_id, event_id), entry)
    return found


def _verified_entries(session: Session, window_ids: Iterable[str]) -> set[int]:
    """The seqs of the audit entries of these windows whose chain verifies up to and with
    them (audit_chain.find_breaks, as ``audit-check`` reads it): a workstation's entries
    from its first break on are not trusted, whatever they say."""
    windows = sorted(window_ids)
    if not windows:
        return set()
    records = session.scalars(
        select(AuditRecord)
        .where(AuditRecord.window_id.in_(windows))
        .order_by(AuditRecord.seq)
        .execution_options(yield_per=1000)
    )
    broken: set[str] = set()
    trusted: set[int] = set()
    for record, problems in find_breaks(records):
        if problems:
            broken.add(record.workstation_id)
        if record.workstation_id not in broken and record.action == AUDIT_REFUSAL_RESOLVED:
            trusted.add(record.seq)
    return trusted


def _resolution(session: Session, center_code: str, entry: AuditRecord, *, verified: bool) -> Resolution:
    try:
        at = dt.datetime.fromisoformat(entry.at)
    except ValueError:
        at = None
    if at is not None and at.tzinfo is None:
        at = at.replace(tzinfo=dt.UTC)
    return Resolution(
        center_time(session, center_code, at) if at is not None else None,
        text_of(entry.detail, "supervisor_name"),
        text_of(entry.detail, "note"),
        verified,
    )
