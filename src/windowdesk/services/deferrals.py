"""容缺受理 after acceptance: the materials to follow on the case watch, recording their
arrival, and applying the catalog's rule in one step once their committed day has passed
(suspend the case until they come, or refuse it on the item's legal basis).

Each action is one write transaction: the case, its materials, its timeline steps, the
audit entries and the outbox events commit together or not at all.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from windowdesk.domain.case_state import CaseAction, CaseStatus
from windowdesk.domain.catalog_model import DeferralRule
from windowdesk.domain.deferral import DEFERRED, is_overdue
from windowdesk.domain.material_status import MaterialStatus
from windowdesk.domain.permissions import Permission
from windowdesk.errors import NotFoundError, ValidationError
from windowdesk.i18n import _
from windowdesk.services.audit import record_action
from windowdesk.services.authorization import authorize
from windowdesk.services.cases import append_step
from windowdesk.services.context import CounterContext
from windowdesk.storage import models as m
from windowdesk.storage import queries
from windowdesk.storage.db import Database, Session
from windowdesk.sync.outbox import enqueue
from windowdesk.sync.protocol import EventEntity, EventKind

RECEIVED = MaterialStatus.RECEIVED
SUSPEND, REFUSE = DeferralRule.SUSPEND, DeferralRule.REFUSE
# The steps from each open status to a refusal the window records for the catalog's
# rule: the case is decided (rejected) and that decision is its completion (办结).
_TO_REFUSAL = {
    CaseStatus.ACCEPTED: (CaseAction.START_REVIEW, CaseAction.REJECT, CaseAction.COMPLETE),
    CaseStatus.IN_PROGRESS: (CaseAction.REJECT, CaseAction.COMPLETE),
    CaseStatus.SUSPENDED: (CaseAction.RESUME, CaseAction.REJECT, CaseAction.COMPLETE),
}


@dataclass(frozen=True)
class MaterialToFollow:
    """A deferred material not yet arrived, as the case watch lists it."""

    case_id: str
    case_number: str
    item_name: str
    material_code: str
    name: str
    due_date: dt.date
    overdue: bool
    rule: DeferralRule  # suspend / refuse: what "apply the rule" does


def _due(material: m.CaseMaterial) -> dt.date:
    """A deferred material's committed day, written with it at the intake (intake.accept)."""
    if material.due_date is None:
        raise ValueError(f"deferred material {material.id} has no committed day")
    return material.due_date


def materials_to_follow(db: Database, ctx: CounterContext) -> list[MaterialToFollow]:
    """Every deferred material of the center's open cases not arrived yet, the earliest
    due first, overdue ones marked."""
    today = ctx.local_today()
    with db.read() as session:
        authorize(session, ctx, Permission.DECIDE_INTAKE)
        return [
            MaterialToFollow(
                case.id,
                case.case_number,
                item.name,
                mat.material_code,
                mat.name,
                _due(mat),
                is_overdue(_due(mat), today),
                item.deferral_rule,
            )
            for mat, case, item in queries.materials_to_follow(session, ctx.center_code)
        ]


def _case_here(session: Session, ctx: CounterContext, case_id: str) -> m.Case:
    authorize(session, ctx, Permission.DECIDE_INTAKE)
    case = queries.case_with_details(session, case_id)
    if case is None or case.center_code != ctx.center_code:
        raise NotFoundError(_("Not found"), _("This case is not on this workstation."))
    return case


def record_arrival(db: Database, ctx: CounterContext, *, case_id: str, material_code: str) -> None:
    """A deferred material was brought: it is received, with the time it came."""
    with db.write() as session:
        case = _case_here(session, ctx, case_id)
        material = next((mat for mat in case.materials if mat.material_code == material_code), None)
        if material is None or material.status != DEFERRED:
            raise ValidationError(_("This material is not one the case waits for."), field="material")
        now = ctx.now()
        material.status, material.arrived_at = RECEIVED, now
        record_action(
            session,
            ctx,
            action=EventKind.CASE_MATERIAL_ARRIVED,
            entity="case",
            entity_id=case.id,
            detail={"number": case.case_number, "material": material_code},
        )
        enqueue(
            session,
            entity=EventEntity.CASE,
            entity_id=case.id,
            kind=EventKind.CASE_MATERIAL_ARRIVED,
            now=now,
            payload={"case_id": case.id, "material": material_code, "arrived_at": now.isoformat()},
        )


def apply_deferral_rule(db: Database, ctx: CounterContext, *, case_id: str) -> str:
    """The committed day has passed without a deferred material: the catalog's rule, in
    one step. Returns the case's new status (suspended, or completed with a refusal)."""
    with db.write() as session:
        case = _case_here(session, ctx, case_id)
        item = session.get_one(m.CatalogItem, case.item_code)
        now = ctx.now()
        today = now.astimezone(ctx.zone).date()
        late = [mat for mat in case.materials if mat.status == DEFERRED and is_overdue(_due(mat), today)]
        if not late:
            raise ValidationError(
                _("No material of this case is past the date the applicant committed to."), field="case"
            )
        names = _(", ").join(mat.name for mat in late)
        committed = _due(late[0]).isoformat()
        rule = item.deferral_rule if item is not None else DeferralRule.NONE
        if rule is SUSPEND:
            if case.status == CaseStatus.SUSPENDED:
                raise ValidationError(_("The case is already suspended."), field="case")
            note = _(
                "Materials to follow not brought by {date} as committed: {names}. Suspended until they are brought."
            ).format(date=committed, names=names)
            if item.deferral_basis:
                note += " " + _("Legal basis: {basis}").format(basis=item.deferral_basis)
            return append_step(session, ctx, case, CaseAction.SUSPEND, note, now)
        if rule is REFUSE and case.status in _TO_REFUSAL:
            note = _(
                "Refused: materials to follow not brought by {date} as committed: {names}. Legal basis: {basis}"
            ).format(date=committed, names=names, basis=item.deferral_basis)
            status = case.status
            for action in _TO_REFUSAL[case.status]:
                status = append_step(
                    session, ctx, case, action, note if action is not CaseAction.START_REVIEW else "", now
                )
            return status
        raise ValidationError(_("The catalog's rule cannot be applied to this case any more."), field="case")
