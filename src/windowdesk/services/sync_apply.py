"""Applying the hub's change feed to the local database.

Every function runs inside the write transaction that also stores the new cursor, and
is idempotent: a page applied twice (after a crash between the hub's reply and our
commit, say) leaves the same result as once.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid

from windowdesk.domain.case_state import CaseStatus
from windowdesk.domain.catalog import parse_catalog
from windowdesk.services.case_parts import apply_part_decision
from windowdesk.services.catalog import import_catalog_into
from windowdesk.services.feedback_apply import FEEDBACK_HANDLERS
from windowdesk.storage import models as m
from windowdesk.storage import queries
from windowdesk.sync import protocol

log = logging.getLogger("windowdesk.sync")
_HUB_EVENTS = uuid.UUID("7f1c2b0e-3d4a-4e5f-9a6b-0c1d2e3f4a5b")


def apply_change(session, change: protocol.Change, *, now: dt.datetime) -> str | None:
    """Apply one change; returns the kind when it changed something the UI shows."""
    handler = _HANDLERS.get(change.kind)
    if handler is None:
        # A newer hub may publish kinds this client does not know: skip, never stall.
        log.warning("skipping unknown change kind %s (seq %s)", change.kind, change.seq)
        return None
    return handler(session, change, now)


def _catalog(session, change: protocol.Change, now: dt.datetime) -> str:
    payload = change.payload
    catalog = parse_catalog(payload["centers"], payload["departments"], payload["items"])
    import_catalog_into(session, catalog)
    return change.kind


def _calendar(session, change: protocol.Change, now: dt.datetime) -> str:
    payload = change.payload
    session.merge(
        m.CalendarOverride(
            day=dt.date.fromisoformat(payload["day"]),
            is_working_day=bool(payload["is_working_day"]),
            note=str(payload.get("note") or ""),
        )
    )
    return change.kind


def _operator(session, change: protocol.Change, now: dt.datetime) -> str:
    payload = change.payload
    row = session.get(m.Operator, payload["id"]) or queries.operator_by_login(session, payload["login"])
    if row is None:
        row = m.Operator(id=payload["id"], created_at=now)
        session.add(row)
    row.login = payload["login"]
    row.display_name = payload["display_name"]
    row.role = payload["role"]
    row.center_code = payload["center_code"]
    row.active = bool(payload.get("active", True))
    if "password_hash" in payload:
        # Only when the administrator set a password; otherwise the one chosen here stays.
        row.password_hash = payload["password_hash"]
        row.must_change_password = bool(payload.get("must_change_password", True))
    return change.kind


def _decision(session, change: protocol.Change, now: dt.datetime) -> str | None:
    payload = change.payload
    case = session.get(m.Case, payload["case_id"])
    if case is None:
        return None  # a case of another window of this center: not kept here
    status = CaseStatus(payload["status"]).value
    # 并联审批: a parallel case's part follows its department; the case is approved only
    # when every part is, and rejected as soon as one part is.
    from_parts = apply_part_decision(
        session, case, department=str(payload.get("department") or ""), decision=payload["decision"],
        note=str(payload.get("note") or ""),
        at=dt.datetime.fromisoformat(payload["at"]).astimezone(dt.timezone.utc), hub_status=status,
    )
    if from_parts is not None:
        status = from_parts
    event_id = str(uuid.uuid5(_HUB_EVENTS, f"change:{change.seq}"))
    if session.get(m.CaseEvent, event_id) is None:
        note = " ".join(p for p in (payload.get("department") or "", payload.get("note") or "") if p)
        case.events.append(
            m.CaseEvent(
                id=event_id, case_id=case.id, position=m.next_event_position(case),
                at=dt.datetime.fromisoformat(payload["at"]).astimezone(dt.timezone.utc),
                operator_id=None, kind=f"decision.{payload['decision']}", from_status=case.status,
                to_status=status, note=note, source="hub",
            )
        )
    case.status = status
    return change.kind


def _note(session, change: protocol.Change, now: dt.datetime) -> str | None:
    payload = change.payload
    case = session.get(m.Case, payload["case_id"])
    if case is None:
        return None
    event_id = str(uuid.uuid5(_HUB_EVENTS, f"change:{change.seq}"))
    if session.get(m.CaseEvent, event_id) is None:
        case.events.append(
            m.CaseEvent(
                id=event_id, case_id=case.id, position=m.next_event_position(case),
                at=dt.datetime.fromisoformat(payload["at"]).astimezone(dt.timezone.utc),
                operator_id=None, kind="note", from_status=None, to_status=None,
                note=str(payload.get("note") or ""), source="hub",
            )
        )
    return change.kind


_HANDLERS = {
    protocol.CHANGE_CATALOG: _catalog,
    protocol.CHANGE_CALENDAR: _calendar,
    protocol.CHANGE_OPERATOR: _operator,
    protocol.CHANGE_DECISION: _decision,
    protocol.CHANGE_NOTE: _note,
    **FEEDBACK_HANDLERS,  # complaint replies and follow-up outcomes recorded at the hub
}
