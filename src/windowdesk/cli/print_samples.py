"""``windowdesk print-samples --out DIR [--data-dir DIR]``: one PDF of every document.

Without ``--data-dir`` it builds a throw-away demo database (migrations, the demo
workstation and residents, and one accept / notify / refuse decision). With
``--data-dir`` — meant for a demo data folder made by ``windowdesk --demo`` — it prints
today's latest records of that workstation, and makes the demo decisions only for the
kinds it has none of yet.

A command, not a document: it drives the services, so it lives above them, not in
``printing``.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from windowdesk import i18n
from windowdesk.errors import WindowdeskError
from windowdesk.printing.render import render_document
from windowdesk.printing.samples import (
    sample_deferral_refusal_notice,
    sample_fee_receipt,
    sample_proxy_completion_notice,
    sample_ticket,
    sample_utility_receipt,
    sample_void_slip,
)
from windowdesk.storage.db import Database

if TYPE_CHECKING:
    from argparse import Namespace

    from windowdesk.domain.calendar import WorkingCalendar
    from windowdesk.domain.material_status import MaterialStatus
    from windowdesk.printing.data import DocumentData
    from windowdesk.services.context import CounterContext
    from windowdesk.services.intake import MaterialCheck

# Demo decisions: a fee-charging item to accept (its receipt shows a real fee), an item
# with many materials for the notification, and one with refusal grounds.
ACCEPT_ITEM = "FC-001"
NOTIFY_ITEM = "MZ-002"
REFUSE_ITEM = "MZ-001"
DEMO_ID_NUMBER = "230902196210010496"
# 帮办代办: 刘志强 applies for 张秀英 (82), who cannot come; the case then waits for a survey.
PROXY_PRINCIPAL_ID = "230902194403180126"
PROXY_AGENT_ID = "23090319760509009X"
PROXY_SUSPENSION_REASON = "待申请人补充房屋测绘报告（测绘机构出具后送达窗口）"
PROXY_DECISION = "准予登记，核发不动产权证书。"
# 容缺受理: FC-001 accepted without its 契税完税凭证 (M05), to follow within the promised time.
DEFERRED_MATERIAL = "M05"
# 告知承诺制: JD-001 (居民家庭经济状况证明开具), verified by the street office within 10 working days.
COMMITMENT_ITEM = "JD-001"


def _checks(db: Database, item_code: str, problems: dict[int, tuple[MaterialStatus, str]]) -> list[MaterialCheck]:
    from windowdesk.services.catalog import get_item_guide
    from windowdesk.services.intake import RECEIVED, MaterialCheck

    guide = get_item_guide(db, item_code=item_code)
    return [MaterialCheck(mat.code, *problems.get(index, (RECEIVED, ""))) for index, mat in enumerate(guide.materials)]


def _decide_missing(db: Database, ctx: CounterContext, calendar: WorkingCalendar, have: set[str]) -> None:
    """The demo decisions for the kinds of record today's work lacks."""
    from windowdesk.services import applicants, intake, worklist
    from windowdesk.services.catalog import get_item_guide

    applicant = applicants.find_residents(db, ctx, query=DEMO_ID_NUMBER)[0].ref
    if worklist.CASE not in have:
        intake.accept_case(
            db,
            ctx,
            item_code=ACCEPT_ITEM,
            applicant=applicant,
            checks=_checks(db, ACCEPT_ITEM, {}),
            shipped_calendar=calendar,
        )
    if worklist.NOTIFICATION not in have:
        problems = {0: (intake.MISSING, ""), 3: (intake.CORRECTION, "收入证明未加盖单位公章")}
        intake.notify_missing(
            db, ctx, item_code=NOTIFY_ITEM, applicant=applicant, checks=_checks(db, NOTIFY_ITEM, problems)
        )
    if worklist.REFUSAL not in have:
        guide = get_item_guide(db, item_code=REFUSE_ITEM)
        intake.refuse_application(
            db,
            ctx,
            item_code=REFUSE_ITEM,
            applicant=applicant,
            reason=guide.refusal_grounds[0],
            legal_basis=guide.legal_basis,
        )


def _suspended_for_a_hearing(db: Database, ctx: CounterContext, case_id: str) -> str:
    """The case, suspended for a hearing unless it has been suspended before (a data
    folder's case from an earlier run)."""
    from windowdesk.domain.case_state import CaseAction
    from windowdesk.services import cases, documents

    try:
        documents.suspension_notice_data(db, ctx, case_id)
    except WindowdeskError:
        cases.change_status(
            db,
            ctx,
            case_id=case_id,
            action=CaseAction.SUSPEND,
            suspension_kind="hearing",
            note="申请事项直接涉及他人重大利益，依申请人要求举行听证，听证会定于十个工作日内召开",
        )
    return case_id


def _suspended_proxy_case(db: Database, ctx: CounterContext, calendar: WorkingCalendar) -> str:
    """Today's suspended proxy case of this window (made when there is none): the case
    whose 委托书 and 中止单 are printed."""
    from windowdesk.domain.case_state import CaseAction
    from windowdesk.domain.proxy import ProxyTerms
    from windowdesk.errors import NotFoundError
    from windowdesk.services import applicants, cases, documents, intake, worklist

    for entry in worklist.list_day_work(db, ctx, day=ctx.local_today()):
        if entry.kind == worklist.CASE:
            try:
                documents.proxy_suspension_notice_data(db, ctx, entry.id)
            except NotFoundError:
                continue
            return entry.id
    principal = applicants.find_residents(db, ctx, query=PROXY_PRINCIPAL_ID)[0].ref
    agent = applicants.find_residents(db, ctx, query=PROXY_AGENT_ID)[0].ref
    case = intake.accept_case(
        db,
        ctx,
        item_code=ACCEPT_ITEM,
        applicant=principal,
        checks=_checks(db, ACCEPT_ITEM, {}),
        shipped_calendar=calendar,
        proxy=ProxyTerms(agent.id, True, ctx.local_today()),
    )
    cases.change_status(db, ctx, case_id=case.id, action=CaseAction.SUSPEND, note=PROXY_SUSPENSION_REASON)
    return case.id


def _deferred_case(db: Database, ctx: CounterContext, calendar: WorkingCalendar) -> str:
    """Today's case of this window accepted with materials to follow (made when there is none)."""
    from windowdesk.domain.deferral import DeferralTerms
    from windowdesk.errors import NotFoundError
    from windowdesk.services import applicants, documents, intake, worklist
    from windowdesk.services.intake import MISSING

    for entry in worklist.list_day_work(db, ctx, day=ctx.local_today()):
        if entry.kind == worklist.CASE:
            try:
                documents.deferred_acceptance_notice_data(db, ctx, entry.id)
            except NotFoundError:
                continue
            return entry.id
    applicant = applicants.find_residents(db, ctx, query=DEMO_ID_NUMBER)[0].ref
    guide_codes = [check.material_code for check in _checks(db, ACCEPT_ITEM, {})]
    missing = {guide_codes.index(DEFERRED_MATERIAL): (MISSING, "")}
    case = intake.accept_case(
        db,
        ctx,
        item_code=ACCEPT_ITEM,
        applicant=applicant,
        checks=_checks(db, ACCEPT_ITEM, missing),
        shipped_calendar=calendar,
        deferral=DeferralTerms(ctx.local_today()),
    )
    return case.id


def _committed_case(db: Database, ctx: CounterContext, calendar: WorkingCalendar) -> str:
    """Today's case of this window accepted under notify-and-commit (made, and decided on
    the spot, when there is none)."""
    from windowdesk.domain.commitment import CommitmentTerms
    from windowdesk.services import applicants, documents, intake, worklist

    for entry in worklist.list_day_work(db, ctx, day=ctx.local_today()):
        if entry.kind == worklist.CASE and documents.is_commitment_case(db, ctx, entry.id):
            return entry.id
    applicant = applicants.find_residents(db, ctx, query=DEMO_ID_NUMBER)[0].ref
    case = intake.accept_case(
        db,
        ctx,
        item_code=COMMITMENT_ITEM,
        applicant=applicant,
        checks=_checks(db, COMMITMENT_ITEM, {}),
        shipped_calendar=calendar,
        commitment=CommitmentTerms(),
    )
    return case.id


def demo_documents(db: Database, ctx: CounterContext, calendar: WorkingCalendar) -> dict[str, DocumentData]:
    """One document of every kind, by ``DocumentKind`` value, from the data in ``db``."""
    from windowdesk.domain.query_codes import new_query_code
    from windowdesk.services import documents, worklist

    today = ctx.local_today()

    def latest_records() -> dict:
        # The case decided on the spot under notify-and-commit (a data folder's, from an
        # earlier run) is not the one the receipt and the hearing's notice are printed for.
        return {
            e.kind: e
            for e in worklist.list_day_work(db, ctx, day=today)
            if e.kind != worklist.CASE or not documents.is_commitment_case(db, ctx, e.id)
        }

    latest = latest_records()
    if len(latest) < 3:
        _decide_missing(db, ctx, calendar, set(latest))
        latest = latest_records()
    # As first printed: with a query code (a sample one; the case's own was printed once and is not kept).
    case = documents.acceptance_receipt_data(db, ctx, latest[worklist.CASE].id, query_code=new_query_code())
    suspended = _suspended_for_a_hearing(db, ctx, latest[worklist.CASE].id)
    proxy_case = _suspended_proxy_case(db, ctx, calendar)
    suspension = documents.proxy_suspension_notice_data(db, ctx, proxy_case)
    deferred_case = _deferred_case(db, ctx, calendar)
    deferred_notice = documents.deferred_acceptance_notice_data(db, ctx, deferred_case)
    committed_case = _committed_case(db, ctx, calendar)  # before the day's lists, which count it
    now = ctx.now()
    fee_receipt = sample_fee_receipt(
        case.issuer,
        payer=case.applicant,
        case_number=case.case_number,
        item_name=case.item_name,
        department_name=case.department_name,
        paid_at=now,
    )
    return {
        "acceptance_receipt": case,
        "notification_slip": documents.notification_slip_data(db, ctx, latest[worklist.NOTIFICATION].id),
        "refusal_notice": documents.refusal_notice_data(db, ctx, latest[worklist.REFUSAL].id),
        "fee_receipt": fee_receipt,
        "void_slip": sample_void_slip(case.issuer, payer=case.applicant, receipt=fee_receipt, voided_at=now),
        "utility_receipt": sample_utility_receipt(case.issuer, payer=case.applicant, paid_at=now),
        "service_guide": documents.service_guide_data(db, ctx, NOTIFY_ITEM),
        "day_report": documents.day_report_data(db, ctx, today),
        "case_list": documents.case_list_data(db, ctx, today),
        "queue_ticket": sample_ticket(case.issuer, taken_at=now),
        "suspension_notice": documents.suspension_notice_data(db, ctx, suspended),
        "power_of_attorney": documents.power_of_attorney_data(db, ctx, proxy_case),
        "proxy_suspension_notice": suspension,
        "proxy_completion_notice": sample_proxy_completion_notice(
            suspension, completed_at=now, decision=PROXY_DECISION
        ),
        "deferred_acceptance_notice": deferred_notice,
        "deferral_commitment": documents.deferral_commitment_data(db, ctx, deferred_case),
        "deferral_refusal_notice": sample_deferral_refusal_notice(deferred_notice, refused_at=now),
        "commitment_notice": documents.commitment_notice_data(db, ctx, committed_case),
    }


def write_samples(db: Database, ctx: CounterContext, calendar: WorkingCalendar, out: Path) -> list[Path]:
    """Render every document from the data in ``db`` into ``out``; the files written."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, document in demo_documents(db, ctx, calendar).items():
        path = out / f"{name}.pdf"
        path.write_bytes(render_document(document))
        written.append(path)
    return written


def open_demo(data_dir: Path) -> tuple[Database, CounterContext, WorkingCalendar]:
    """The demo workstation's database in ``data_dir`` (made or migrated), its context and calendar."""
    from windowdesk.paths import resources_dir
    from windowdesk.services import bootstrap, working_days
    from windowdesk.storage.db import Database
    from windowdesk.storage.migrate import migrate_to_head

    database = data_dir / "windowdesk.sqlite3"
    migrate_to_head(database, data_dir / "backups")
    db = Database(database)
    ctx = bootstrap.ensure_demo(db, resources_dir())
    return db, ctx, working_days.load_shipped_calendar(resources_dir())


def run_print_samples(args: Namespace) -> int:
    """The command: exit code 0 when every PDF was written."""
    i18n.set_locale(getattr(args, "locale", None) or os.environ.get("WINDOWDESK_LOCALE") or i18n.DEFAULT_LOCALE)
    out = Path(args.out).expanduser().resolve()
    try:
        with tempfile.TemporaryDirectory(prefix="windowdesk-samples-") as scratch:
            data_dir = Path(args.data_dir).expanduser().resolve() if args.data_dir else Path(scratch)
            data_dir.mkdir(parents=True, exist_ok=True)
            db, ctx, calendar = open_demo(data_dir)
            try:
                written = write_samples(db, ctx, calendar, out)
            finally:
                db.dispose()
    except WindowdeskError as error:
        print(f"{error.title}\n{error.message}", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"{out}: {error.strerror or error}", file=sys.stderr)
        return 1
    for path in written:
        print(path)
    return 0
