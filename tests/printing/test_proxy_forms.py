"""帮办代办's papers, rendered from a real proxy case and read back: the 受理单 names the
agent, the 委托书, the 中止单 and the 办结单 name both parties, ID numbers masked."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from windowdesk.domain.case_state import CaseAction
from windowdesk.domain.proxy import ProxyTerms
from windowdesk.errors import NotFoundError
from windowdesk.printing.render import render_document
from windowdesk.services import applicants, cases, documents, intake
from windowdesk.services.sync_apply import apply_change
from windowdesk.sync import protocol

from .conftest import ACCEPT_ITEM, MOMENT, _checks, all_text, squash

PRINCIPAL_ID, PRINCIPAL_MASKED = "230902194403180126", "230902********0126"  # 张秀英
AGENT_ID, AGENT_MASKED = "23090319760509009X", "230903********009X"  # 刘志强


def _later(ctx, minutes: int):
    moment = MOMENT + dt.timedelta(minutes=minutes)
    return dataclasses.replace(ctx, clock=lambda: moment)


@pytest.fixture
def proxy_case(demo):
    ctx = dataclasses.replace(demo.ctx, clock=lambda: MOMENT)
    principal = applicants.find_residents(demo.db, ctx, query=PRINCIPAL_ID)[0].ref
    agent = applicants.find_residents(demo.db, ctx, query=AGENT_ID)[0].ref
    case = intake.accept_case(
        demo.db,
        ctx,
        item_code=ACCEPT_ITEM,
        applicant=principal,
        checks=_checks(demo.db, ACCEPT_ITEM, {}),
        shipped_calendar=demo.calendar,
        proxy=ProxyTerms(agent.id, True, dt.date(2026, 11, 24)),
    )
    return demo, ctx, case


def _assert_parties(text: str) -> None:
    for expected in ("张秀英", PRINCIPAL_MASKED, "刘志强", AGENT_MASKED, "2026年11月24日"):
        assert squash(expected) in text, expected
    assert PRINCIPAL_ID not in text and AGENT_ID not in text


def test_the_acceptance_receipt_of_a_proxy_case_names_the_agent_who_signs_it(proxy_case, chinese):
    demo, ctx, case = proxy_case
    text = all_text(render_document(documents.acceptance_receipt_data(demo.db, ctx, case.id)))
    _assert_parties(text)
    assert "代办人:" in text and "委托书日期" in text


def test_a_receipt_of_a_case_applied_for_in_person_names_no_agent(decided, chinese):
    data = documents.acceptance_receipt_data(decided.db, decided.ctx, decided.case.id)
    assert data.proxy is None
    assert "代办人" not in all_text(render_document(data))


def test_the_power_of_attorney_names_both_parties_the_case_and_the_check_of_the_original(proxy_case, chinese):
    demo, ctx, case = proxy_case
    text = all_text(render_document(documents.power_of_attorney_data(demo.db, ctx, case.id)))
    _assert_parties(text)
    for expected in (
        "授权委托书",
        case.number,
        "房屋产权登记（住房）",
        "经与原件核对无误",
        "委托人:",
        "代办人:",
        "市政务服务中心（盖章）",
    ):
        assert squash(expected) in text, expected


def test_the_suspension_and_completion_notices_of_a_proxy_case(proxy_case, chinese):
    demo, ctx, case = proxy_case
    with pytest.raises(NotFoundError):
        documents.proxy_suspension_notice_data(demo.db, ctx, case.id)
    cases.change_status(demo.db, _later(ctx, 10), case_id=case.id, action=CaseAction.SUSPEND, note="待补充房屋测绘报告")
    suspension = all_text(render_document(documents.proxy_suspension_notice_data(demo.db, ctx, case.id)))
    _assert_parties(suspension)
    for expected in (
        "中止通知单（代办件）",
        case.number,
        "待补充房屋测绘报告",
        "不计入办理时限",
        "2026年11月25日10:40",
        "代办人签收",
    ):
        assert squash(expected) in suspension, expected

    with pytest.raises(NotFoundError):
        documents.proxy_completion_notice_data(demo.db, ctx, case.id)
    cases.change_status(demo.db, _later(ctx, 20), case_id=case.id, action=CaseAction.RESUME)
    approval = protocol.Change(
        1,
        protocol.CHANGE_DECISION,
        "case",
        case.id,
        {
            "case_id": case.id,
            "case_number": case.number,
            "decision": "approve",
            "department": "FCJ",
            "note": "",
            "status": "approved",
            "at": (MOMENT + dt.timedelta(minutes=30)).isoformat(),
        },
    )
    with demo.db.write() as session:
        apply_change(session, approval, now=dt.datetime.now(dt.UTC))
    cases.change_status(demo.db, _later(ctx, 40), case_id=case.id, action=CaseAction.COMPLETE, note="准予登记")
    completion = all_text(render_document(documents.proxy_completion_notice_data(demo.db, ctx, case.id)))
    _assert_parties(completion)
    for expected in ("办结通知单（代办件）", "准予登记", "2026年11月25日11:10", "凭本通知单、委托书和本人身份证领取"):
        assert squash(expected) in completion, expected


def test_a_case_applied_for_in_person_has_no_proxy_forms(decided):
    for loader in (
        documents.power_of_attorney_data,
        documents.proxy_suspension_notice_data,
        documents.proxy_completion_notice_data,
    ):
        with pytest.raises(NotFoundError) as refused:
            loader(decided.db, decided.ctx, decided.case.id)
        assert "applied for in person" in refused.value.message
