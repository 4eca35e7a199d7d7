"""The counter's three decisions on an application: accept (受理), one-time notification
of everything missing (一次性告知), or refusal (不予受理).

Each decision is one write transaction: the record, its number, its materials, its
timeline event, the audit entry and the outbox event commit together or not at all.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from windowdesk.domain.calendar import WorkingCalendar
from windowdesk.domain.case_sources import CaseSource
from windowdesk.domain.case_state import CaseAction, CaseStatus
from windowdesk.domain.case_steps import StepSource
from windowdesk.domain.commitment import CommitmentTerms, check_commitment
from windowdesk.domain.deferral import DEFERRED, DeferralTerms, Gap, check_deferral
from windowdesk.domain.delivery import DeliveryChoice
from windowdesk.domain.material_status import MaterialStatus
from windowdesk.domain.numbering import DocumentSeries, format_number, sequence_scope
from windowdesk.domain.online_application_status import ApplicationStatus
from windowdesk.domain.permissions import Permission
from windowdesk.domain.proxy import ProxyTerms, check_proxy_terms
from windowdesk.domain.query_codes import hash_query_code, new_query_code
from windowdesk.domain.text_rules import LEGAL_BASIS, REASON, SHORT_NOTE, checked_text
from windowdesk.domain.uuid7 import new_uuid
from windowdesk.errors import ValidationError, WindowdeskError
from windowdesk.i18n import _
from windowdesk.services import online_visit
from windowdesk.services.applicants import ORGANISATION, RESIDENT, ApplicantRef, applicant_summary
from windowdesk.services.audit import record_action
from windowdesk.services.authorization import authorize
from windowdesk.services.case_parts import create_parts
from windowdesk.services.cases import append_step, certificate_at_completion
from windowdesk.services.catalog import MaterialLine
from windowdesk.services.context import CounterContext
from windowdesk.services.credit_flags import refuse_if_flagged
from windowdesk.services.delivery import record_choice
from windowdesk.services.working_days import calendar_in_force
from windowdesk.storage import models as m
from windowdesk.storage import queries
from windowdesk.storage.db import Database, Session
from windowdesk.sync.outbox import enqueue
from windowdesk.sync.protocol import EventEntity, EventKind

RECEIVED, MISSING, CORRECTION = MaterialStatus.RECEIVED, MaterialStatus.MISSING, MaterialStatus.CORRECTION
MATERIAL_STATUSES = (RECEIVED, MISSING, CORRECTION)


@dataclass(frozen=True)
class MaterialCheck:
    material_code: str
    status: str  # received / missing / correction
    note: str = ""


@dataclass(frozen=True)
class IntakeResult:
    kind: str  # case / notification / refusal
    id: str
    number: str
    warnings: tuple[str, ...] = ()
    promised_date: dt.date | None = None  # cases: told to the applicant at once
    # A case's query code (查询密码), for its first printed receipt only: nothing on this
    # workstation can show it again (only its hash is kept, and at the hub). Never in a repr.
    query_code: str = field(default="", repr=False)
    proxy: bool = False  # cases: an agent applied (帮办代办); its 委托书 is printed too
    deferred: bool = False  # cases: materials to follow (容缺受理); its notice and 承诺书 are printed too
    committed: bool = False  # cases: notify-and-commit (告知承诺制); its 告知承诺书 is printed too


def _checked_materials(
    item: m.CatalogItem, checks: Sequence[MaterialCheck]
) -> list[tuple[m.ItemMaterial, MaterialCheck]]:
    """Pair every material of the item with its check; refuse gaps and strangers."""
    by_code = {}
    for check in checks:
        if check.status not in MATERIAL_STATUSES:
            raise ValidationError(_("Unknown material status: {status}").format(status=check.status))
        if check.material_code in by_code:
            raise ValidationError(_("Material {code} was checked twice.").format(code=check.material_code))
        by_code[check.material_code] = check
    known = {mat.code for mat in item.materials}
    strangers = sorted(set(by_code) - known)
    if strangers:
        raise ValidationError(
            _("These materials do not belong to this item: {codes}").format(codes=", ".join(strangers))
        )
    unchecked = [mat.name for mat in item.materials if mat.code not in by_code]
    if unchecked:
        raise ValidationError(
            _("Please mark every material. Not yet marked: {names}").format(names=_(", ").join(unchecked)),
            field="materials",
        )
    for check in checks:
        checked_text(check.note, SHORT_NOTE, field="materials", label=_("The note on a material"))
        if check.status == CORRECTION and not check.note.strip():
            name = next(mat.name for mat in item.materials if mat.code == check.material_code)
            raise ValidationError(
                _("Please say what must be corrected in \u201c{name}\u201d.").format(name=name),
                field="materials",
            )
    return [(mat, by_code[mat.code]) for mat in item.materials]


def _load_item(session: Session, item_code: str) -> m.CatalogItem:
    item = queries.item_with_details(session, item_code)
    if item is None or not item.active:
        raise ValidationError(_("Please choose an item from the catalog first."), field="item")
    return item


def _item_and_materials(
    session: Session, ctx: CounterContext, item_code: str, applicant: ApplicantRef, checks: Sequence[MaterialCheck]
) -> tuple[m.CatalogItem, list[tuple[m.ItemMaterial, MaterialCheck]]]:
    """Inside the decision's transaction: the operator may decide, the item and the
    applicant exist, and every material of the item is marked once."""
    authorize(session, ctx, Permission.DECIDE_INTAKE)
    item = _load_item(session, item_code)
    applicant_summary(session, applicant)
    return item, _checked_materials(item, checks)


def _applicant_columns(ref: ApplicantRef) -> dict[str, str | None]:
    return {
        "resident_id": ref.id if ref.kind == RESIDENT else None,
        "organisation_id": ref.id if ref.kind == ORGANISATION else None,
    }


def _next_number(session: Session, ctx: CounterContext, series: DocumentSeries, day: dt.date) -> str:
    seq = queries.next_sequence_value(session, sequence_scope(series, ctx.center_code, day, ctx.window_code))
    return format_number(series, ctx.center_code, day, ctx.window_code, seq)


def accept_case(
    db: Database,
    ctx: CounterContext,
    *,
    item_code: str,
    applicant: ApplicantRef,
    checks: Sequence[MaterialCheck],
    shipped_calendar: WorkingCalendar,
    note: str = "",
    delivery: DeliveryChoice | None = None,
    proxy: ProxyTerms | None = None,
    deferral: DeferralTerms | None = None,
    commitment: CommitmentTerms | None = None,
    online_application_id: str | None = None,
) -> IntakeResult:
    """受理: every required material is in; the case gets its number, its dates and its
    query code (查询密码, returned for the receipt, sent to the hub as a hash only).

    ``delivery``: how the applicant wants the result (none: at the window).

    ``proxy`` (帮办代办): the agent applying for ``applicant`` and the power of attorney
    the window saw; recorded with the case, or nothing is.
    ``deferral`` (容缺受理): the missing deferrable materials follow by the committed date;
    the case is accepted with its clock running and each of them due on that date.
    ``commitment`` (告知承诺制): the applicant signed the commitment for an item the
    catalog marks; the case gets its verification due date and, if asked, is decided on
    the spot (approved and completed in this same transaction).
    An applicant with a credit flag may use neither of the last two.
    ``online_application_id`` (网上申报): the online application this visit finishes; the
    case's source is online, the application completed, its pages become the case's."""
    # Hashed before the write transaction: the slow hash must not hold the write lock.
    query_code = new_query_code()
    query_code_hash = hash_query_code(query_code)
    with db.write() as session:
        item, pairs = _item_and_materials(session, ctx, item_code, applicant, checks)
        online = (
            online_visit.application_for_case(session, application_id=online_application_id, item_code=item.code)
            if online_application_id
            else None
        )
        gaps = [(mat, check) for mat, check in pairs if mat.required and check.status != RECEIVED]
        incomplete = [mat.name for mat, _check in gaps]
        if incomplete and deferral is None:
            raise ValidationError(
                _(
                    "The application cannot be accepted while materials are missing or need "
                    "correction: {names}. Give the applicant a one-time notification instead."
                ).format(names=_(", ").join(incomplete)),
                field="materials",
            )
        # One reading of the clock: at midnight the time, the day and the number agree.
        now = ctx.now()
        today = now.astimezone(ctx.zone).date()
        if proxy is not None:
            _check_agent(session, proxy, applicant, today)
        if deferral is not None and commitment is not None:
            raise ValidationError(
                _("A case is accepted either with materials to follow or under notify-and-commit, not both."),
                field="commitment",
            )
        if deferral is not None or commitment is not None:
            refuse_if_flagged(session, applicant)
        if commitment is not None:
            check_commitment(commitment, verify_days=item.commitment_verify_days)
        calendar = calendar_in_force(session, shipped_calendar)
        promised_date = calendar.add_working_days(today, item.promised_limit_days)
        deferred: set[str] = set()
        if deferral is not None:
            check_deferral(
                deferral,
                rule=item.deferral_rule,
                today=today,
                promised_date=promised_date,
                gaps=[Gap(mat.name, mat.deferrable, check.status == MISSING) for mat, check in gaps],
            )
            deferred = {mat.code for mat, _check in gaps}
        case = m.Case(
            id=new_uuid(),
            case_number=_next_number(session, ctx, DocumentSeries.CASE, today),
            center_code=ctx.center_code,
            window_id=ctx.window_id,
            operator_id=ctx.operator_id,
            item_code=item.code,
            status=CaseStatus.ACCEPTED,
            accepted_at=now,
            accepted_day=today,
            promised_date=promised_date,
            legal_date=calendar.add_working_days(today, item.legal_limit_days),
            note=note.strip(),
            query_code_issued_at=now,
            **_applicant_columns(applicant),
            source=CaseSource.ONLINE if online is not None else CaseSource.WINDOW,
            online_application_id=online.id if online is not None else None,
        )
        if online is not None:
            online.status = ApplicationStatus.COMPLETED
        case.materials = [
            m.CaseMaterial(
                id=new_uuid(),
                position=pos,
                material_code=mat.code,
                name=mat.name,
                status=DEFERRED if mat.code in deferred else check.status,
                note=check.note.strip(),
                due_date=deferral.commitment_date if deferral is not None and mat.code in deferred else None,
            )
            for pos, (mat, check) in enumerate(pairs)
        ]
        case.events = [
            m.CaseEvent(
                id=new_uuid(),
                position=0,
                at=now,
                operator_id=ctx.operator_id,
                kind="accepted",
                from_status=None,
                to_status=CaseStatus.ACCEPTED,
                note="",
                source=StepSource.WINDOW,
            )
        ]
        verify_due = calendar.add_working_days(today, item.commitment_verify_days) if commitment else None
        if verify_due is not None:
            case.commitment = m.CaseCommitment(verify_due=verify_due)
        if proxy is not None:
            case.proxy = m.CaseProxy(
                agent_resident_id=proxy.agent_resident_id,
                power_of_attorney_date=proxy.power_of_attorney_date,
            )
        session.add(case)
        session.flush()
        delivery_payload = record_choice(session, case, delivery)
        create_parts(session, case, item)  # 并联审批: one part per department
        record_action(
            session,
            ctx,
            action="case.accept",
            entity="case",
            entity_id=case.id,
            detail={
                "number": case.case_number,
                "item": item.code,
                "proxy": proxy is not None,
                "deferred": sorted(deferred),
                "commitment": commitment is not None,
            },
        )
        enqueue(
            session,
            entity=EventEntity.CASE,
            entity_id=case.id,
            kind=EventKind.CASE_ACCEPTED,
            now=now,
            payload={
                **_case_payload(case, applicant),
                "delivery": delivery_payload,
                "query_code_hash": query_code_hash,
                **({"source": CaseSource.ONLINE.value, "online_application": online.id} if online is not None else {}),
            },
        )
        if commitment is not None and verify_due is not None and commitment.decide_on_the_spot:
            _decide_on_the_spot(session, ctx, case, commitment, verify_due, now)
        warnings: tuple[str, ...] = ()
        if not calendar.covers(case.legal_date):
            warnings = (
                _(
                    "The holiday calendar on this computer does not cover {year} yet: the dates "
                    "were counted with weekends only. They will be right once the hub publishes "
                    "that year's calendar."
                ).format(year=case.legal_date.year),
            )
        result = IntakeResult(
            "case",
            case.id,
            case.case_number,
            warnings,
            case.promised_date,
            query_code,
            proxy is not None,
            bool(deferred),
            commitment is not None,
        )
    if online_application_id:
        # After the case is saved: a page that cannot be added is said, the case stands.
        try:
            online_visit.attach_pages(db, ctx, case_id=result.id, application_id=online_application_id)
        except WindowdeskError as error:
            result = dataclasses.replace(result, warnings=(*result.warnings, error.message))
    return result


def _decide_on_the_spot(
    session: Session,
    ctx: CounterContext,
    case: m.Case,
    commitment: CommitmentTerms,
    verify_due: dt.date,
    now: dt.datetime,
) -> None:
    """告知承诺制: the conditions are met on the applicant's word, so the window approves and
    completes the case at once, each step on the timeline and in the outbox as usual."""
    note = _("Decided on the spot on the applicant's signed commitment (告知承诺制); verification due {date}.").format(
        date=verify_due.isoformat()
    )
    append_step(session, ctx, case, CaseAction.START_REVIEW, "", now)
    append_step(session, ctx, case, CaseAction.APPROVE, note, now)
    certificate = certificate_at_completion(session, case, CaseAction.COMPLETE, commitment.certificate_number)
    append_step(session, ctx, case, CaseAction.COMPLETE, note, now, certificate=certificate)


def _check_agent(session: Session, proxy: ProxyTerms, principal: ApplicantRef, today: dt.date) -> None:
    """The proxy rules (domain.proxy), and the agent is a resident registered here."""
    principal_resident = principal.id if principal.kind == RESIDENT else None
    check_proxy_terms(proxy, principal_resident_id=principal_resident, accepted_day=today)
    if session.get(m.Resident, proxy.agent_resident_id) is None:
        raise ValidationError(_("Please choose or register the agent first."), field="agent")


def _agent_columns(proxy: ProxyTerms | None) -> dict[str, object]:
    """帮办代办 on a one-time notification or a refusal: the agent and the power of attorney."""
    if proxy is None:
        return {}
    return {"agent_resident_id": proxy.agent_resident_id, "power_of_attorney_date": proxy.power_of_attorney_date}


def _agent_payload(proxy: ProxyTerms | None) -> dict[str, object]:
    """The ``proxy`` member of notification.given and refusal.given, as case.accepted has it."""
    if proxy is None:
        return {}
    signed = proxy.power_of_attorney_date  # checked by _check_agent: a date
    return {
        "proxy": {
            "agent": {"kind": RESIDENT, "id": proxy.agent_resident_id},
            "power_of_attorney_date": signed.isoformat() if signed else None,
        }
    }


def _case_payload(case: m.Case, applicant: ApplicantRef) -> dict:
    payload = _plain_case_payload(case, applicant)
    if case.proxy is not None:
        payload["proxy"] = {
            "agent": {"kind": RESIDENT, "id": case.proxy.agent_resident_id},
            "power_of_attorney_date": case.proxy.power_of_attorney_date.isoformat(),
        }
    if case.commitment is not None:
        payload["commitment"] = {"verify_due": case.commitment.verify_due.isoformat()}
    due = [(mat.material_code, mat.due_date) for mat in case.materials if mat.due_date is not None]
    if due:
        payload["deferral"] = {
            "commitment_date": due[0][1].isoformat(),
            "materials": [code for code, _due_date in due],
        }
    return payload


def _plain_case_payload(case: m.Case, applicant: ApplicantRef) -> dict:
    return {
        "id": case.id,
        "number": case.case_number,
        "center": case.center_code,
        "window": case.window_id,
        "operator": case.operator_id,
        "item": case.item_code,
        "applicant": {"kind": applicant.kind, "id": applicant.id},
        "status": case.status,
        "accepted_at": case.accepted_at.isoformat(),
        "promised_date": case.promised_date.isoformat(),
        "legal_date": case.legal_date.isoformat(),
        "note": case.note,
        "materials": [
            {"id": mat.id, "code": mat.material_code, "name": mat.name, "status": mat.status, "note": mat.note}
            for mat in case.materials
        ],
        "events": [{"id": ev.id, "at": ev.at.isoformat(), "kind": ev.kind, "to": ev.to_status} for ev in case.events],
    }


def notify_missing(
    db: Database,
    ctx: CounterContext,
    *,
    item_code: str,
    applicant: ApplicantRef,
    checks: Sequence[MaterialCheck],
    note: str = "",
    proxy: ProxyTerms | None = None,
) -> IntakeResult:
    """一次性告知: record the visit with the complete list of what is missing or wrong.
    ``proxy`` (帮办代办): the agent who came for the applicant is named on it."""
    with db.write() as session:
        item, pairs = _item_and_materials(session, ctx, item_code, applicant, checks)
        problems = [(mat, check) for mat, check in pairs if check.status != RECEIVED]
        if not problems:
            raise ValidationError(
                _("Every material is marked as received: accept the application instead."),
                field="materials",
            )
        now = ctx.now()
        if proxy is not None:
            _check_agent(session, proxy, applicant, now.astimezone(ctx.zone).date())
        notification = m.OneTimeNotification(
            id=new_uuid(),
            number=_next_number(session, ctx, DocumentSeries.NOTIFICATION, now.astimezone(ctx.zone).date()),
            center_code=ctx.center_code,
            window_id=ctx.window_id,
            operator_id=ctx.operator_id,
            item_code=item.code,
            created_at=now,
            note=note.strip(),
            **_applicant_columns(applicant),
            **_agent_columns(proxy),
        )
        notification.entries = [
            m.NotificationEntry(
                id=new_uuid(),
                position=pos,
                material_code=mat.code,
                name=mat.name,
                problem=check.status,
                requirement=MaterialLine(
                    mat.code, mat.name, mat.form, mat.originals, mat.copies, mat.required, mat.note
                ).requirement,
                note=check.note.strip(),
            )
            for pos, (mat, check) in enumerate(problems)
        ]
        session.add(notification)
        session.flush()
        record_action(
            session,
            ctx,
            action="notification.give",
            entity="notification",
            entity_id=notification.id,
            detail={"number": notification.number, "item": item.code, "entries": len(problems)},
        )
        enqueue(
            session,
            entity=EventEntity.NOTIFICATION,
            entity_id=notification.id,
            kind=EventKind.NOTIFICATION_GIVEN,
            now=now,
            payload={
                "id": notification.id,
                "number": notification.number,
                "center": ctx.center_code,
                "window": ctx.window_id,
                "operator": ctx.operator_id,
                "item": item.code,
                "applicant": {"kind": applicant.kind, "id": applicant.id},
                "created_at": now.isoformat(),
                "note": notification.note,
                **_agent_payload(proxy),
                "entries": [
                    {
                        "code": e.material_code,
                        "name": e.name,
                        "problem": e.problem,
                        "requirement": e.requirement,
                        "note": e.note,
                    }
                    for e in notification.entries
                ],
            },
        )
        return IntakeResult("notification", notification.id, notification.number)


def refuse_application(
    db: Database,
    ctx: CounterContext,
    *,
    item_code: str,
    applicant: ApplicantRef,
    reason: str,
    legal_basis: str,
    proxy: ProxyTerms | None = None,
) -> IntakeResult:
    """不予受理: the item cannot be accepted, with the reason and its legal basis.
    ``proxy`` (帮办代办): the agent who came for the applicant is named on it."""
    reason = (reason or "").strip()
    legal_basis = (legal_basis or "").strip()
    if not reason:
        raise ValidationError(_("Please give the reason for the refusal."), field="reason")
    if not legal_basis:
        raise ValidationError(_("Please give the legal basis for the refusal."), field="legal_basis")
    reason = checked_text(reason, REASON, field="reason", label=_("The reason"))
    legal_basis = checked_text(legal_basis, LEGAL_BASIS, field="legal_basis", label=_("The legal basis"))
    with db.write() as session:
        authorize(session, ctx, Permission.DECIDE_INTAKE)
        item = _load_item(session, item_code)
        applicant_summary(session, applicant)
        now = ctx.now()
        if proxy is not None:
            _check_agent(session, proxy, applicant, now.astimezone(ctx.zone).date())
        refusal = m.Refusal(
            id=new_uuid(),
            number=_next_number(session, ctx, DocumentSeries.REFUSAL, now.astimezone(ctx.zone).date()),
            center_code=ctx.center_code,
            window_id=ctx.window_id,
            operator_id=ctx.operator_id,
            item_code=item.code,
            created_at=now,
            reason=reason,
            legal_basis=legal_basis,
            **_applicant_columns(applicant),
            **_agent_columns(proxy),
        )
        session.add(refusal)
        session.flush()
        record_action(
            session,
            ctx,
            action="refusal.give",
            entity="refusal",
            entity_id=refusal.id,
            detail={"number": refusal.number, "item": item.code},
        )
        enqueue(
            session,
            entity=EventEntity.REFUSAL,
            entity_id=refusal.id,
            kind=EventKind.REFUSAL_GIVEN,
            now=now,
            payload={
                "id": refusal.id,
                "number": refusal.number,
                "center": ctx.center_code,
                "window": ctx.window_id,
                "operator": ctx.operator_id,
                "item": item.code,
                "applicant": {"kind": applicant.kind, "id": applicant.id},
                "created_at": now.isoformat(),
                "reason": reason,
                "legal_basis": legal_basis,
                **_agent_payload(proxy),
            },
        )
        return IntakeResult("refusal", refusal.id, refusal.number)
