"""并联审批 at the hub: on a parallel item's case each department decides its own part;
the case follows its parts (domain.case_parts) through the ordinary case machine.

Called by backoffice.record_decision inside its write transaction (the case row is
already locked there), so two departments deciding at once are applied one after the
other and the second sees the first's part.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from windowdesk.domain.case_parts import (
    DECISION_PART_STATUS,
    PartNotDecidable,
    PartStatus,
    case_path,
    case_target,
    decide_part,
    part_departments,
)
from windowdesk.domain.case_state import CaseAction
from windowdesk.hub.errors import Conflict, InvalidInput
from windowdesk.hub.language import Text
from windowdesk.hub.storage.models import Case, CatalogItem
from windowdesk.hub.storage.models_quality import CasePart
from windowdesk.i18n import N_
from windowdesk.sync.protocol import DECISIONS


@dataclass(frozen=True)
class PartDecision:
    actions: tuple[CaseAction, ...]  # the case's steps (none while other parts are open)
    payload: dict[str, Any]  # added to the case.decision change


def item_departments(session: Session, case: Case) -> list[str]:
    """The departments of the case's parts; empty for an ordinary (not parallel) item."""
    item = session.get(CatalogItem, case.item_code)
    if item is None or len(set(item.parallel_departments or ())) < 2:
        return []
    return part_departments(item.department_code, item.parallel_departments)


def parts_of(session: Session, case_id: str) -> list[CasePart]:
    return list(session.scalars(select(CasePart).where(CasePart.case_id == case_id).order_by(CasePart.seq)))


def decide(
    session: Session, *, case: Case, decision: str, department: str, note: str, now: dt.datetime
) -> PartDecision | None:
    """Record ``department``'s decision on its part; None when the case has no parts."""
    departments = item_departments(session, case)
    if not departments:
        return None
    if decision not in DECISION_PART_STATUS:
        raise InvalidInput(Text(N_("The decision must be one of: {choices}."), choices=", ".join(DECISIONS)))
    parts = {part.department_code: part for part in parts_of(session, case.id)}
    for code in departments:
        if code not in parts:  # made on the first decision: the window's push carries none
            parts[code] = CasePart(
                case_id=case.id, department_code=code, status=PartStatus.PENDING, decided_at=None, note=""
            )
            session.add(parts[code])
    part = parts.get(department)
    if part is None:
        raise Conflict(
            Text(
                N_("Case {number} has no part for department {department}."),
                number=case.case_number,
                department=department,
            )
        )
    try:
        new = decide_part(part.status, decision)
        statuses = {code: (new.value if code == department else p.status) for code, p in parts.items()}
        actions = case_path(case.status, case_target(statuses.values()))
    except PartNotDecidable as refusal:
        raise Conflict(
            Text(
                N_("Case {number}, department {department}: {message}"),
                number=case.case_number,
                department=department,
                message=refusal.message,
            )
        ) from None
    part.status, part.decided_at, part.note = new, now, note
    session.flush()
    return PartDecision(tuple(actions), {"part_status": new.value, "parts": statuses})
