"""并联审批 at the window: the parts of a parallel case are made when it is accepted and
follow the departments' decisions that the hub sends back (services/sync_apply.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from windowdesk.domain.case_parts import (
    DECISION_PART_STATUS,
    PartStatus,
    case_target,
    is_parallel,
    part_departments,
    part_label,
)
from windowdesk.domain.case_state import CaseStatus
from windowdesk.domain.uuid7 import new_uuid
from windowdesk.storage import models as m
from windowdesk.storage import queries_quality as q
from windowdesk.storage.db import Session
from windowdesk.storage.models_quality import CasePart


@dataclass(frozen=True)
class PartView:
    department_code: str
    department_name: str
    status: str
    status_words: str
    decided_at: dt.datetime | None
    note: str


def create_parts(session: Session, case: m.Case, item: m.CatalogItem) -> list[CasePart]:
    """One pending part per department of a parallel item (none for an ordinary item);
    inside the acceptance's own transaction."""
    if not is_parallel(item.parallel, item.parallel_departments or ()):
        return []
    parts = [
        CasePart(
            id=new_uuid(),
            case_id=case.id,
            position=pos,
            department_code=code,
            status=PartStatus.PENDING,
            decided_at=None,
            note="",
        )
        for pos, code in enumerate(part_departments(item.department_code, item.parallel_departments))
    ]
    session.add_all(parts)
    return parts


def parts_of(session: Session, case_id: str) -> list[CasePart]:
    return q.parts_of_case(session, case_id)


def part_views(session: Session, case_id: str) -> tuple[PartView, ...]:
    names = q.department_names(session)
    return tuple(
        PartView(
            p.department_code,
            names.get(p.department_code, p.department_code),
            p.status,
            part_label(p.status),
            p.decided_at,
            p.note,
        )
        for p in parts_of(session, case_id)
    )


def apply_part_decision(
    session: Session,
    case_id: str,
    *,
    department: str,
    decision: str,
    note: str,
    at: dt.datetime,
    hub_status: str,
    parts: list[CasePart] | None = None,
) -> CaseStatus | None:
    """The hub decided ``department``'s part of case ``case_id``: update it and return the
    case status the parts lead to, or None when the case has no parts (an ordinary case).

    The case is approved only when every part is approved, and rejected as soon as one
    part is; between those it keeps the hub's word (under review or suspended).
    ``parts``: the case's parts already loaded (a part added here is appended to it).
    """
    if parts is None:
        parts = parts_of(session, case_id)
    if not parts or not department:
        return None
    part = next((p for p in parts if p.department_code == department), None)
    if part is None:  # the catalog changed after acceptance: keep the department's word
        part = CasePart(
            id=new_uuid(),
            case_id=case_id,
            position=len(parts),
            department_code=department,
            status=PartStatus.PENDING,
            decided_at=None,
            note="",
        )
        session.add(part)
        parts.append(part)
    part.status = DECISION_PART_STATUS[decision]
    part.decided_at = at
    part.note = note
    target = case_target(p.status for p in parts)
    if target in (CaseStatus.APPROVED, CaseStatus.REJECTED):
        return target
    hub = CaseStatus(hub_status)
    if hub in (CaseStatus.APPROVED, CaseStatus.REJECTED):
        # The hub's parts and ours disagree (should not happen): never approve early.
        return target
    return hub
