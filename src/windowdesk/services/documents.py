"""What a printed document says, loaded from the database; and the audit of printing.

Each ``*_data`` function reads one record (by id or by day) into the plain dataclasses of
``printing.data``; ``printing`` turns those into PDF bytes. Nothing here knows Qt or
reportlab, so the same data feeds the preview, the printer, ``print-samples`` and tests.

A record's document shows the center, window and operator that handled the record; the
copy's own print time and printer-person come from the context of whoever prints it,
which is what a reprint must show.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from collections.abc import Callable
from typing import Any

from windowdesk.domain.case_state import CaseStatus
from windowdesk.domain.fees import MONEY_METHODS, WAIVED, ReceiptKind, utility_label
from windowdesk.domain.material_status import MaterialStatus
from windowdesk.domain.permissions import Permission
from windowdesk.domain.status_page import case_status_url
from windowdesk.domain.suspensions import suspension_kind
from windowdesk.errors import NotFoundError
from windowdesk.i18n import _
from windowdesk.printing.data import (
    AcceptanceReceiptData,
    Applicant,
    CaseListData,
    CollectionLine,
    CommitmentNoticeData,
    DayReportData,
    DeferralCommitmentData,
    DeferralRefusalNoticeData,
    DeferredAcceptanceNoticeData,
    DocumentData,
    FeeReceiptData,
    GuideFee,
    Issuer,
    ItemCount,
    MaterialLine,
    NotificationSlipData,
    PowerOfAttorneyData,
    ProxyCompletionNoticeData,
    ProxyDetails,
    ProxySuspensionNoticeData,
    ReceiptLine,
    RefusalNoticeData,
    ServiceGuideData,
    SuspensionNoticeData,
    UtilityReceiptData,
    VoidSlipData,
    WorkRow,
)
from windowdesk.printing.paper import DocumentKind, kind_label
from windowdesk.services import catalog, worklist
from windowdesk.services.applicants import RESIDENT, ApplicantRef, applicant_of, applicant_summary
from windowdesk.services.audit import record_action
from windowdesk.services.authorization import authorize
from windowdesk.services.context import CounterContext
from windowdesk.services.delivery import delivery_words
from windowdesk.services.sync_apply import STATUS_PAGE_SETTING
from windowdesk.storage import models as m
from windowdesk.storage import queries
from windowdesk.storage.db import Database, Session

PRINT_ACTION = "document.print"
REPRINT_ACTION = "document.reprint"


def record_print(
    db: Database, ctx: CounterContext, *, document: str, number: str, reprint: bool, output: str = "printer"
) -> None:
    """Audit that a copy of a document was made: who (the context's operator), when,
    which document, whether it was a reprint, and whether it went to a printer or a PDF file.

    The detail carries the document kind and its number only, never personal data.
    """
    kind = DocumentKind(document)
    with db.write() as session:
        authorize(session, ctx, Permission.PRINT_DOCUMENT)
        record_action(
            session,
            ctx,
            action=REPRINT_ACTION if reprint else PRINT_ACTION,
            entity="document",
            entity_id=number,
            detail={"document": kind.value, "number": number, "output": output},
        )


# --- shared pieces ------------------------------------------------------------------


def _issuer(session: Session, ctx: CounterContext, *, center_code: str, window_id: str, operator_id: str) -> Issuer:
    center = session.get(m.Center, center_code)
    window = session.get(m.Window, window_id)
    operator = session.get(m.Operator, operator_id)
    return Issuer(
        center_name=center.name if center else center_code,
        center_address=center.address if center else "",
        center_phone=center.phone if center else "",
        center_hours=center.hours if center else "",
        window_code=window.code if window else window_id,
        window_name=window.name if window else "",
        window_phone=window.phone if window else "",
        operator_name=operator.display_name if operator else "",
        printed_by=ctx.operator_name,
        printed_at=ctx.now(),
        zone=center.timezone if center else ctx.timezone,
    )


def _context_issuer(session: Session, ctx: CounterContext) -> Issuer:
    """The current window as issuer, once the operator is known to be allowed to print."""
    authorize(session, ctx, Permission.PRINT_DOCUMENT)
    return _issuer(session, ctx, center_code=ctx.center_code, window_id=ctx.window_id, operator_id=ctx.operator_id)


def _applicant(session: Session, row: m.Case | m.OneTimeNotification | m.Refusal) -> Applicant:
    summary = applicant_summary(session, applicant_of(row))
    return Applicant(summary.name, summary.masked_number)


def _item(session: Session, code: str) -> tuple[m.CatalogItem, str]:
    item = queries.item_with_details(session, code)
    if item is None:
        raise NotFoundError(_("Item not found"), _("No item with code {code} is in the catalog.").format(code=code))
    department = session.get(m.Department, item.department_code)
    return item, department.name if department else item.department_code


def _status_url(session: Session, case_number: str) -> str:
    """The case's page under the status page address the hub published; "" without one."""
    return case_status_url(queries.local_setting(session, STATUS_PAGE_SETTING) or "", case_number)


def _requirement(material: m.ItemMaterial) -> str:
    return catalog.MaterialLine(
        material.code,
        material.name,
        material.form,
        material.originals,
        material.copies,
        material.required,
        material.note,
    ).requirement


# --- the three decisions --------------------------------------------------------------


def acceptance_receipt_data(
    db: Database, ctx: CounterContext, case_id: str, *, query_code: str = ""
) -> AcceptanceReceiptData:
    """``query_code``: the code just made (IntakeResult.query_code, NewQueryCode.code), for
    the one copy that shows it; nothing here can read it back."""
    with db.read() as session:
        authorize(session, ctx, Permission.PRINT_DOCUMENT)
        case = queries.case_with_details(session, case_id)
        if case is None:
            raise NotFoundError(_("Not found"), _("This case is not on this workstation."))
        item, department = _item(session, case.item_code)
        requirements = {mat.code: _requirement(mat) for mat in item.materials}
        return AcceptanceReceiptData(
            issuer=_issuer(
                session, ctx, center_code=case.center_code, window_id=case.window_id, operator_id=case.operator_id
            ),
            case_number=case.case_number,
            applicant=_applicant(session, case),
            item_code=item.code,
            item_name=item.name,
            department_name=department,
            accepted_at=case.accepted_at,
            promised_date=case.promised_date,
            legal_date=case.legal_date,
            promised_days=item.promised_limit_days,
            materials=tuple(
                MaterialLine(mat.name, requirements.get(mat.material_code, ""))
                for mat in case.materials
                if mat.status == MaterialStatus.RECEIVED
            ),
            where=item.where,
            status_url=_status_url(session, case.case_number),
            delivery=delivery_words(session, case.id),
            query_code=query_code,
            has_query_code=case.query_code_issued_at is not None,
            proxy=_proxy_details(session, case),
        )


# --- 帮办代办: the forms of a case an agent applied for ----------------------------------


def _proxy_details(session: Session, case: m.Case) -> ProxyDetails | None:
    if case.proxy is None:
        return None
    agent = applicant_summary(session, ApplicantRef(RESIDENT, case.proxy.agent_resident_id))
    return ProxyDetails(Applicant(agent.name, agent.masked_number), case.proxy.power_of_attorney_date)


def _record_agent(session: Session, record: m.OneTimeNotification | m.Refusal) -> ProxyDetails | None:
    """帮办代办: the agent a one-time notification or a refusal was given to (None: in person)."""
    if record.agent_resident_id is None or record.power_of_attorney_date is None:
        return None
    agent = applicant_summary(session, ApplicantRef(RESIDENT, record.agent_resident_id))
    return ProxyDetails(Applicant(agent.name, agent.masked_number), record.power_of_attorney_date)


def _proxy_case(session: Session, ctx: CounterContext, case_id: str) -> tuple[m.Case, ProxyDetails]:
    authorize(session, ctx, Permission.PRINT_DOCUMENT)
    case = queries.case_with_details(session, case_id)
    if case is None:
        raise NotFoundError(_("Not found"), _("This case is not on this workstation."))
    proxy = _proxy_details(session, case)
    if proxy is None:
        raise NotFoundError(
            _("Not a proxy case"),
            _("Case {number} was applied for in person: it has no agent and no power of attorney.").format(
                number=case.case_number
            ),
        )
    return case, proxy


def _proxy_fields(session: Session, ctx: CounterContext, case: m.Case, proxy: ProxyDetails) -> dict:
    item, department = _item(session, case.item_code)
    return dict(
        issuer=_issuer(
            session, ctx, center_code=case.center_code, window_id=case.window_id, operator_id=case.operator_id
        ),
        case_number=case.case_number,
        principal=_applicant(session, case),
        proxy=proxy,
        item_code=item.code,
        item_name=item.name,
        department_name=department,
        accepted_at=case.accepted_at,
    )


def power_of_attorney_data(db: Database, ctx: CounterContext, case_id: str) -> PowerOfAttorneyData:
    """委托书 of a proxy case."""
    with db.read() as session:
        case, proxy = _proxy_case(session, ctx, case_id)
        return PowerOfAttorneyData(**_proxy_fields(session, ctx, case, proxy))


def _latest_step(case: m.Case, status: str, missing: str) -> m.CaseEvent:
    steps = [event for event in case.events if event.to_status == status]
    if not steps:
        raise NotFoundError(_("Not found"), missing.format(number=case.case_number))
    return steps[-1]


def proxy_suspension_notice_data(db: Database, ctx: CounterContext, case_id: str) -> ProxySuspensionNoticeData:
    """中止单 of a proxy case: its latest suspension and why."""
    with db.read() as session:
        case, proxy = _proxy_case(session, ctx, case_id)
        step = _latest_step(case, CaseStatus.SUSPENDED, _("Case {number} has not been suspended."))
        return ProxySuspensionNoticeData(**_proxy_fields(session, ctx, case, proxy), step_at=step.at, note=step.note)


def proxy_completion_notice_data(db: Database, ctx: CounterContext, case_id: str) -> ProxyCompletionNoticeData:
    """办结单 of a proxy case: when it was completed, and the note of that step."""
    with db.read() as session:
        case, proxy = _proxy_case(session, ctx, case_id)
        step = _latest_step(case, CaseStatus.COMPLETED, _("Case {number} has not been completed yet."))
        return ProxyCompletionNoticeData(**_proxy_fields(session, ctx, case, proxy), step_at=step.at, note=step.note)


def suspension_notice_data(db: Database, ctx: CounterContext, case_id: str) -> SuspensionNoticeData:
    """The notice of the case's latest suspension (the one it is in, or was last in);
    once the case runs again, the notice also says when and why."""
    with db.read() as session:
        authorize(session, ctx, Permission.PRINT_DOCUMENT)
        case = queries.case_with_details(session, case_id)
        if case is None:
            raise NotFoundError(_("Not found"), _("This case is not on this workstation."))
        steps = sorted(case.events, key=lambda ev: ev.position)
        start = next((i for i in range(len(steps) - 1, -1, -1) if steps[i].to_status == CaseStatus.SUSPENDED), None)
        if start is None:
            raise NotFoundError(
                _("Not suspended"),
                _("Case {number} has never been suspended: there is no notice to print.").format(
                    number=case.case_number
                ),
            )
        began = steps[start]
        ended = steps[start + 1] if start + 1 < len(steps) else None
        item, department = _item(session, case.item_code)
        issuer = _issuer(
            session,
            ctx,
            center_code=case.center_code,
            window_id=case.window_id,
            operator_id=began.operator_id or case.operator_id,
        )
        if began.operator_id is None:  # suspended by the back office
            issuer = dataclasses.replace(issuer, operator_name=department)
        return SuspensionNoticeData(
            issuer=issuer,
            case_number=case.case_number,
            applicant=_applicant(session, case),
            item_code=item.code,
            item_name=item.name,
            department_name=department,
            kind=suspension_kind(began.suspension_kind).value,
            started_at=began.at,
            reason=began.note,
            ended_at=ended.at if ended else None,
            outcome=ended.note if ended else "",
            ended_by=_step_author(session, ended, department) if ended else "",
        )


def _step_author(session: Session, step: m.CaseEvent, department: str) -> str:
    operator = session.get(m.Operator, step.operator_id) if step.operator_id else None
    return operator.display_name if operator else department


def notification_slip_data(db: Database, ctx: CounterContext, notification_id: str) -> NotificationSlipData:
    with db.read() as session:
        authorize(session, ctx, Permission.PRINT_DOCUMENT)
        note = queries.notification_with_entries(session, notification_id)
        if note is None:
            raise NotFoundError(_("Not found"), _("This notification is not on this workstation."))
        item, department = _item(session, note.item_code)
        return NotificationSlipData(
            issuer=_issuer(
                session, ctx, center_code=note.center_code, window_id=note.window_id, operator_id=note.operator_id
            ),
            notification_number=note.number,
            applicant=_applicant(session, note),
            item_code=item.code,
            item_name=item.name,
            department_name=department,
            given_at=note.created_at,
            entries=tuple(MaterialLine(e.name, e.requirement, e.problem, e.note) for e in note.entries),
            legal_basis=item.legal_basis,
            where=item.where,
            note=note.note,
            proxy=_record_agent(session, note),
        )


def refusal_notice_data(db: Database, ctx: CounterContext, refusal_id: str) -> RefusalNoticeData:
    with db.read() as session:
        authorize(session, ctx, Permission.PRINT_DOCUMENT)
        refusal = session.get(m.Refusal, refusal_id)
        if refusal is None:
            raise NotFoundError(_("Not found"), _("This refusal is not on this workstation."))
        item, department = _item(session, refusal.item_code)
        return RefusalNoticeData(
            issuer=_issuer(
                session,
                ctx,
                center_code=refusal.center_code,
                window_id=refusal.window_id,
                operator_id=refusal.operator_id,
            ),
            refusal_number=refusal.number,
            applicant=_applicant(session, refusal),
            item_code=item.code,
            item_name=item.name,
            department_name=department,
            refused_at=refusal.created_at,
            reason=refusal.reason,
            legal_basis=refusal.legal_basis,
            proxy=_record_agent(session, refusal),
        )


# --- 容缺受理: the papers of a case accepted with materials to follow ---------------------


def _deferral_fields(session: Session, ctx: CounterContext, case_id: str) -> tuple[dict[str, Any], m.Case]:
    """The fields the deferral notice and the commitment share, and the case they are of."""
    authorize(session, ctx, Permission.PRINT_DOCUMENT)
    case = queries.case_with_details(session, case_id)
    if case is None:
        raise NotFoundError(_("Not found"), _("This case is not on this workstation."))
    due = [mat for mat in case.materials if mat.due_date is not None]
    if not due:
        raise NotFoundError(
            _("No materials to follow"),
            _("Case {number} was accepted with every material in.").format(number=case.case_number),
        )
    item, department = _item(session, case.item_code)
    requirements = {mat.code: _requirement(mat) for mat in item.materials}
    return dict(
        issuer=_issuer(
            session, ctx, center_code=case.center_code, window_id=case.window_id, operator_id=case.operator_id
        ),
        case_number=case.case_number,
        applicant=_applicant(session, case),
        item_code=item.code,
        item_name=item.name,
        department_name=department,
        accepted_at=case.accepted_at,
        promised_date=case.promised_date,
        commitment_date=due[0].due_date,
        to_follow=tuple(MaterialLine(mat.name, requirements.get(mat.material_code, "")) for mat in due),
        when_missed=item.deferral_rule,
        legal_basis=item.deferral_basis,
    ), case


def deferred_acceptance_notice_data(db: Database, ctx: CounterContext, case_id: str) -> DeferredAcceptanceNoticeData:
    """容缺受理通知书 (two copies)."""
    with db.read() as session:
        fields, case = _deferral_fields(session, ctx, case_id)
        return DeferredAcceptanceNoticeData(**fields, status_url=_status_url(session, case.case_number))


def deferral_commitment_data(db: Database, ctx: CounterContext, case_id: str) -> DeferralCommitmentData:
    """承诺书 of a case accepted with materials to follow."""
    with db.read() as session:
        return DeferralCommitmentData(**_deferral_fields(session, ctx, case_id)[0])


def deferral_refusal_notice_data(db: Database, ctx: CounterContext, case_id: str) -> DeferralRefusalNoticeData:
    """The refusal of a case whose materials to follow did not come (the rule "refuse")."""
    with db.read() as session:
        fields, case = _deferral_fields(session, ctx, case_id)
        refusal = next((event for event in reversed(case.events) if event.to_status == CaseStatus.REJECTED), None)
        if refusal is None:
            raise NotFoundError(
                _("Not found"), _("Case {number} has not been refused.").format(number=case.case_number)
            )
        return DeferralRefusalNoticeData(**fields, refused_at=refusal.at)


def commitment_notice_data(db: Database, ctx: CounterContext, case_id: str) -> CommitmentNoticeData:
    """告知承诺书 of a case accepted under notify-and-commit (two copies)."""
    with db.read() as session:
        authorize(session, ctx, Permission.PRINT_DOCUMENT)
        case = queries.case_with_details(session, case_id)
        if case is None:
            raise NotFoundError(_("Not found"), _("This case is not on this workstation."))
        if case.commitment is None:
            raise NotFoundError(
                _("Not under notify-and-commit"),
                _("Case {number} was not accepted under notify-and-commit.").format(number=case.case_number),
            )
        item, department = _item(session, case.item_code)
        return CommitmentNoticeData(
            issuer=_issuer(
                session, ctx, center_code=case.center_code, window_id=case.window_id, operator_id=case.operator_id
            ),
            case_number=case.case_number,
            applicant=_applicant(session, case),
            item_code=item.code,
            item_name=item.name,
            department_name=department,
            accepted_at=case.accepted_at,
            conditions=tuple(str(text) for text in item.preconditions),
            materials=tuple(mat.name for mat in case.materials if mat.status == MaterialStatus.RECEIVED),
            legal_basis=item.legal_basis,
            verify_days=item.commitment_verify_days,
            verify_due=case.commitment.verify_due,
            status_url=_status_url(session, case.case_number),
        )


def is_commitment_case(db: Database, ctx: CounterContext, case_id: str) -> bool:
    """Whether the case was accepted under notify-and-commit: its screen offers the 告知承诺书."""
    with db.read() as session:
        authorize(session, ctx, Permission.PRINT_DOCUMENT)
        return session.get(m.CaseCommitment, case_id) is not None


def is_proxy_case(db: Database, ctx: CounterContext, case_id: str) -> bool:
    """Whether an agent applied for the case (帮办代办): its screen offers the agent's notices."""
    with db.read() as session:
        authorize(session, ctx, Permission.PRINT_DOCUMENT)
        return session.get(m.CaseProxy, case_id) is not None


def proxy_notice_data(
    db: Database, ctx: CounterContext, case_id: str
) -> ProxySuspensionNoticeData | ProxyCompletionNoticeData:
    """The notice a proxy case's agent takes now: the 中止单 while it is suspended, the
    办结单 once it is completed."""
    with db.read() as session:
        case = session.get(m.Case, case_id)
        status = case.status if case is not None else None
    if status == CaseStatus.SUSPENDED:
        return proxy_suspension_notice_data(db, ctx, case_id)
    if status in (CaseStatus.COMPLETED, CaseStatus.DELIVERED):
        return proxy_completion_notice_data(db, ctx, case_id)
    raise NotFoundError(
        _("Nothing to print"),
        _("A proxy case has a notice for its agent while it is suspended and once it is completed."),
    )


def case_receipt_data(
    db: Database, ctx: CounterContext, case_id: str, *, query_code: str = ""
) -> AcceptanceReceiptData | DeferredAcceptanceNoticeData:
    """The paper that proves a case's acceptance: the 容缺受理通知书 (two copies) for a case
    accepted with materials to follow, the acceptance receipt for any other; ``query_code``
    only for the copy printed at acceptance (or at a supervisor's re-issue)."""
    with db.read() as session:
        deferred = queries.case_has_materials_to_follow(session, case_id)
    if deferred:
        notice = deferred_acceptance_notice_data(db, ctx, case_id)
        return dataclasses.replace(notice, query_code=query_code) if query_code else notice
    return acceptance_receipt_data(db, ctx, case_id, query_code=query_code)


def record_document(
    db: Database, ctx: CounterContext, *, kind: str, record_id: str, query_code: str = ""
) -> DocumentData:
    """The document handed out for a record of today's work (worklist kind and id);
    ``query_code`` only for the first copy of an acceptance receipt."""
    if kind == worklist.CASE:
        return case_receipt_data(db, ctx, record_id, query_code=query_code)
    loaders: dict[str, Callable[[Database, CounterContext, str], DocumentData]] = {
        worklist.CASE: case_receipt_data,
        worklist.NOTIFICATION: notification_slip_data,
        worklist.REFUSAL: refusal_notice_data,
    }
    if kind not in loaders:
        raise NotFoundError(_("Not found"), _("Unknown kind of record."))
    return loaders[kind](db, ctx, record_id)


# --- guide and reports ------------------------------------------------------------------


def service_guide_data(db: Database, ctx: CounterContext, item_code: str) -> ServiceGuideData:
    with db.read() as session:
        issuer = _context_issuer(session, ctx)
    guide = catalog.get_item_guide(db, item_code=item_code)
    return ServiceGuideData(
        issuer=issuer,
        item_code=guide.code,
        item_name=guide.name,
        department_name=guide.department_name,
        category=guide.category,
        preconditions=guide.preconditions,
        materials=tuple((MaterialLine(mat.name, mat.requirement), mat.required) for mat in guide.materials),
        procedure=guide.procedure,
        legal_limit_days=guide.legal_limit_days,
        promised_limit_days=guide.promised_limit_days,
        fee_summary=guide.fee_summary,
        fees=tuple(
            GuideFee(fee.department_name, fee.description, fee.amount_fen, fee.unit, fee.exemptions)
            for fee in guide.fees
        ),
        legal_basis=guide.legal_basis,
        where=guide.where,
        parallel_departments=guide.parallel_departments if guide.parallel else (),
        catalog_version=guide.catalog_version,
    )


def _work_rows(entries: list[worklist.WorkEntry]) -> tuple[WorkRow, ...]:
    return tuple(
        WorkRow(
            number=e.number,
            at=e.at,
            decision=worklist.kind_label(e.kind),
            item_name=e.item_name,
            applicant=Applicant(e.applicant_name, e.applicant_number),
            state=e.state,
        )
        for e in entries
    )


def case_list_data(db: Database, ctx: CounterContext, day: dt.date) -> CaseListData:
    with db.read() as session:
        issuer = _context_issuer(session, ctx)
    entries = worklist.list_day_work(db, ctx, day=day)
    return CaseListData(issuer=issuer, day=day, rows=_work_rows(entries))


def day_report_data(db: Database, ctx: CounterContext, day: dt.date) -> DayReportData:
    with db.read() as session:
        issuer = _context_issuer(session, ctx)
    entries = worklist.list_day_work(db, ctx, day=day)
    counts = Counter((e.item_name, e.kind) for e in entries)
    items = sorted({e.item_name for e in entries})
    case_numbers = sorted(e.number for e in entries if e.kind == worklist.CASE)
    summary = worklist.summarize(entries)
    return DayReportData(
        issuer=issuer,
        day=day,
        accepted=summary.accepted,
        notified=summary.notified,
        refused=summary.refused,
        by_item=tuple(
            ItemCount(
                name,
                counts[(name, worklist.CASE)],
                counts[(name, worklist.NOTIFICATION)],
                counts[(name, worklist.REFUSAL)],
            )
            for name in items
        ),
        first_number=case_numbers[0] if case_numbers else "",
        last_number=case_numbers[-1] if case_numbers else "",
        **_cash_part(db, ctx, day),
    )


# --- money: receipts, void slips, the cash part of the day report -----------------------


def _receipt_payer(session: Session, receipt: m.Receipt) -> Applicant:
    if receipt.case_id:
        return _applicant(session, session.get_one(m.Case, receipt.case_id))
    return Applicant(receipt.payer_name, "")


def _payment_fields(receipt: m.Receipt) -> dict:
    return dict(
        receipt_number=receipt.number,
        payment_method=receipt.method,
        paid_at=receipt.paid_at,
        tendered_fen=receipt.tendered_fen,
        change_fen=receipt.change_fen,
        reference=receipt.reference,
        waiver_reason=receipt.waiver_reason,
    )


def _fee_receipt(session: Session, receipt: m.Receipt, issuer: Issuer) -> FeeReceiptData:
    case = session.get_one(m.Case, receipt.case_id)  # a fee receipt is of a case
    item, _department = _item(session, case.item_code)
    names = {d.code: d.name for d in queries.all_departments(session)}
    departments = list(dict.fromkeys(line.department_code for line in receipt.lines))
    many = len(departments) > 1
    return FeeReceiptData(
        issuer=issuer,
        payer=_receipt_payer(session, receipt),
        **_payment_fields(receipt),
        lines=tuple(
            ReceiptLine(
                # A parallel item's receipt names the department behind each amount.
                _("{department}: {description}").format(
                    department=names.get(line.department_code, line.department_code), description=line.description
                )
                if many
                else line.description,
                line.amount_fen,
                line.quantity,
                line.unit,
            )
            for line in receipt.lines
        ),
        case_number=case.case_number,
        item_name=item.name,
        department_name=_(", ").join(names.get(code, code) for code in departments),
        status_url=_status_url(session, case.case_number),
    )


def _utility_receipt(receipt: m.Receipt, issuer: Issuer) -> UtilityReceiptData:
    return UtilityReceiptData(
        issuer=issuer,
        payer=Applicant(receipt.payer_name, ""),
        **_payment_fields(receipt),
        lines=tuple(ReceiptLine(line.description, line.amount_fen, line.quantity, line.unit) for line in receipt.lines),
        utility=receipt.utility,
        account_number=receipt.account_number,
        period=receipt.period,
        payee=receipt.payee,
    )


def _load_receipt(session: Session, ctx: CounterContext, receipt_id: str) -> tuple[m.Receipt, Issuer]:
    authorize(session, ctx, Permission.PRINT_DOCUMENT)
    receipt = queries.receipt_with_lines(session, receipt_id)
    if receipt is None:
        raise NotFoundError(_("Not found"), _("This receipt is not on this workstation."))
    issuer = _issuer(
        session, ctx, center_code=receipt.center_code, window_id=receipt.window_id, operator_id=receipt.operator_id
    )
    return receipt, issuer


def receipt_data(db: Database, ctx: CounterContext, receipt_id: str) -> FeeReceiptData | UtilityReceiptData:
    """The fee receipt or utility payment receipt, as it was issued."""
    with db.read() as session:
        receipt, issuer = _load_receipt(session, ctx, receipt_id)
        if receipt.kind == ReceiptKind.UTILITY:
            return _utility_receipt(receipt, issuer)
        return _fee_receipt(session, receipt, issuer)


def void_slip_data(db: Database, ctx: CounterContext, void_id: str) -> VoidSlipData:
    with db.read() as session:
        void = session.get(m.ReceiptVoid, void_id)
        if void is None:
            raise NotFoundError(_("Not found"), _("This void is not on this workstation."))
        receipt, _issued_by = _load_receipt(session, ctx, void.receipt_id)
        supervisor = session.get(m.Operator, void.supervisor_id)
        if receipt.kind == ReceiptKind.UTILITY:
            title, what = (
                kind_label(DocumentKind.UTILITY_RECEIPT),
                f"{utility_label(receipt.utility)} {receipt.account_number}",
            )
        else:
            case = session.get_one(m.Case, receipt.case_id)  # a fee receipt is of a case
            item = session.get(m.CatalogItem, case.item_code)
            title, what = (
                kind_label(DocumentKind.FEE_RECEIPT),
                f"{case.case_number} {item.name if item else ''}".strip(),
            )
        return VoidSlipData(
            issuer=_issuer(
                session, ctx, center_code=void.center_code, window_id=void.window_id, operator_id=void.operator_id
            ),
            void_number=void.number,
            receipt_number=receipt.number,
            receipt_paid_at=receipt.paid_at,
            receipt_title=title,
            payer=_receipt_payer(session, receipt),
            amount_fen=receipt.amount_fen,
            payment_method=receipt.method,
            what=what,
            voided_at=void.voided_at,
            reason=void.reason,
            approved_by=supervisor.display_name if supervisor else "",
        )


def _cash_part(db: Database, ctx: CounterContext, day: dt.date) -> dict:
    """The money fields of the day report: the till's totals and, once closed, the count."""
    from windowdesk.services.dayclose import day_close_record, day_totals

    totals = day_totals(db, ctx, day=day)
    close = day_close_record(db, ctx, day=day)
    waived = totals.method(WAIVED)
    return dict(
        collections=tuple(
            CollectionLine(t.method, t.receipts, t.amount_fen)
            for t in totals.by_method
            if t.method in MONEY_METHODS and t.receipts
        ),
        waived=CollectionLine(WAIVED, waived.receipts, waived.amount_fen),
        voided=CollectionLine("voided", totals.voided_receipts, totals.voided_fen),
        first_receipt=totals.first_number,
        last_receipt=totals.last_number,
        expected_cash_fen=totals.expected_cash_fen,
        counted_cash_fen=close.counted_cash_fen if close else None,
        difference_fen=close.difference_fen if close else 0,
        explanation=close.explanation if close else "",
        closed_at=close.closed_at if close else None,
        supervisor_name=close.supervisor_name if close else "",
    )
