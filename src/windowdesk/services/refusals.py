"""Changes the hub refused: kept on this workstation with the hub's reason until a
supervisor has dealt with them, and after that for the record.

A refusal is final at the hub (the same event sent again gets the same answer), so what
is left to do is at the window: redo the work the right way, correct a record, or take
the reason up with the hub's administrators. The supervisor then marks the refusal
resolved, with what was done. It leaves the status bar's count and the sync window's
list (which can still show it), and the audit log, which the hub receives, names it.

Like a void, it is a supervisor's word typed in at the operator's workstation
(services/approval.py): the window stays logged in as the operator.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from windowdesk.domain.ids import mask_id_numbers_in
from windowdesk.domain.permissions import Permission
from windowdesk.errors import NotFoundError, ValidationError
from windowdesk.i18n import _
from windowdesk.screen_dates import on_screen
from windowdesk.services.approval import SupervisorCredentials, approve_as_supervisor, require_approver
from windowdesk.services.audit import record_action
from windowdesk.services.context import CounterContext
from windowdesk.services.record_words import record_words
from windowdesk.services.service_quality import checked_text
from windowdesk.storage import models as m
from windowdesk.storage import refusal_queries
from windowdesk.storage.db import Database, Session
from windowdesk.sync.protocol import AUDIT_REFUSAL_RESOLVED


@dataclass(frozen=True)
class Resolution:
    at: dt.datetime
    supervisor: str  # the supervisor's name when they resolved it
    note: str  # what was done about it


def resolution_of(row: m.RefusalResolution | None) -> Resolution | None:
    return None if row is None else Resolution(row.resolved_at, row.supervisor_name, row.note)


def marked_refused(state: str, *, resolved: bool = False) -> str:
    """A record's state in words, with the mark that the hub refused a change to it (the
    day's work, the case watch and its printed list say it alike)."""
    if resolved:
        return _("{state} \u00b7 refused by the hub, resolved").format(state=state)
    return _("{state} \u00b7 refused by the hub").format(state=state)


@dataclass(frozen=True)
class RefusedChange:
    seq: int
    event_id: str
    kind: str
    entity: str
    entity_id: str
    created_at: dt.datetime
    reason: str  # the hub's
    record: str = ""  # the record as people know it: a number, a masked ID (record_words)
    resolution: Resolution | None = None


def refused_changes(db: Database, *, include_resolved: bool = False) -> list[RefusedChange]:
    """Oldest first; those a supervisor resolved only when asked for."""
    with db.read() as session:
        return [
            RefusedChange(
                event.seq,
                event.event_id,
                event.kind,
                event.entity,
                event.entity_id,
                event.created_at,
                event.last_error,
                record_words(session, event),
                resolution_of(resolved),
            )
            for event, resolved in refusal_queries.refused_events(session, include_resolved=include_resolved)
        ]


def resolve_refused_change(
    db: Database,
    ctx: CounterContext,
    *,
    event_id: str,
    note: str,
    supervisor: SupervisorCredentials,
    together_with: Sequence[str] = (),
) -> Resolution:
    """Mark a refused change as dealt with: what was done (``note``), a supervisor's approval.

    ``together_with``: other refused changes dealt with by the same (a case's status change
    refused because its acceptance was): all are resolved, or none. One audit entry each,
    so that each names the event it resolves.
    """
    note = checked_text(note, "note", message=_("Please write what was done about this refused change."))
    event_ids = list(dict.fromkeys([event_id, *together_with]))
    with db.read() as session:
        # Refused before the supervisor's password is checked, so a pointless attempt
        # does not count towards their lockout.
        for each in event_ids:
            _unresolved(session, ctx, each)
    supervisor_id = approve_as_supervisor(
        db, ctx, login=supervisor.login, password=supervisor.password, permission=Permission.REVIEW_REJECTED_SYNC
    )
    with db.write() as session:
        approver = require_approver(session, ctx, supervisor_id, Permission.REVIEW_REJECTED_SYNC)
        now = ctx.now()
        for event in [_unresolved(session, ctx, each) for each in event_ids]:
            session.add(
                m.RefusalResolution(
                    event_id=event.event_id,
                    resolved_at=now,
                    supervisor_id=approver.id,
                    supervisor_name=approver.display_name,
                    note=note,
                )
            )
            # The audit log reaches the hub: the note goes with any ID number in it masked.
            record_action(
                session,
                ctx,
                action=AUDIT_REFUSAL_RESOLVED,
                entity=event.entity,
                entity_id=event.entity_id,
                detail={
                    "event_id": event.event_id,
                    "kind": event.kind,
                    "supervisor": approver.id,
                    "supervisor_name": approver.display_name,
                    "note": mask_id_numbers_in(note),
                },
            )
        return Resolution(now, approver.display_name, note)


def _unresolved(session: Session, ctx: CounterContext, event_id: str) -> m.OutboxEvent:
    event = refusal_queries.refused_event(session, event_id)
    if event is None:
        raise NotFoundError(
            _("Not a refused change"), _("This change is not among those the hub refused on this workstation.")
        )
    resolved = session.get(m.RefusalResolution, event.event_id)
    if resolved is not None:
        raise ValidationError(
            _("{name} already marked this change as resolved on {time}.").format(
                name=resolved.supervisor_name,
                time=on_screen(resolved.resolved_at, ctx.zone),
            ),
            field="note",
        )
    return event
