"""容缺受理's papers, rendered from a real case and read back: the notice in two copies,
the commitment, and the refusal with its legal basis once the date passed."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from windowdesk.domain.deferral import DeferralTerms
from windowdesk.errors import NotFoundError
from windowdesk.printing.render import render_document
from windowdesk.services import applicants, deferrals, documents, intake
from windowdesk.services.intake import MISSING

from .conftest import ACCEPT_ITEM, DEMO_ID, DEMO_MASKED, MOMENT, _checks, page_texts, squash

COMMITTED = dt.date(2026, 11, 27)


@pytest.fixture
def deferred_case(demo):
    ctx = dataclasses.replace(demo.ctx, clock=lambda: MOMENT)
    who = applicants.find_residents(demo.db, ctx, query=DEMO_ID)[0].ref
    case = intake.accept_case(
        demo.db,
        ctx,
        item_code=ACCEPT_ITEM,
        applicant=who,
        checks=_checks(demo.db, ACCEPT_ITEM, {4: (MISSING, "")}),  # M05 契税完税凭证
        shipped_calendar=demo.calendar,
        deferral=DeferralTerms(COMMITTED),
    )
    return demo, ctx, case


def _common(text: str, number: str) -> None:
    for expected in (
        number,
        DEMO_MASKED,
        "房屋产权登记（住房）",
        "契税完税凭证",
        "2026年11月27日",
        "不予受理",
        "市政务服务中心（盖章）",
    ):
        assert squash(expected) in text, expected
    assert DEMO_ID not in text


def test_the_notice_comes_in_two_copies_naming_what_follows_by_when_and_the_rule(deferred_case, chinese):
    demo, ctx, case = deferred_case
    pages = page_texts(render_document(documents.deferred_acceptance_notice_data(demo.db, ctx, case.id)))
    assert len(pages) == 2
    assert "申请人留存联" in pages[0] and "存档联" in pages[1]
    for page in pages:
        assert "容缺受理通知书" in page
        _common(page, case.number)
        assert "第二十二条" in page


def test_the_commitment_is_signed_by_the_applicant(deferred_case, chinese):
    demo, ctx, case = deferred_case
    text = "".join(page_texts(render_document(documents.deferral_commitment_data(demo.db, ctx, case.id))))
    assert "承诺书" in text and "申请人（承诺人）:" in text and "王建国" in text
    _common(text, case.number)


def test_the_refusal_after_the_date_gives_the_legal_basis_and_the_remedies(deferred_case, chinese):
    demo, ctx, case = deferred_case
    with pytest.raises(NotFoundError):
        documents.deferral_refusal_notice_data(demo.db, ctx, case.id)
    later = dataclasses.replace(ctx, clock=lambda: MOMENT + dt.timedelta(days=3))
    deferrals.apply_deferral_rule(demo.db, later, case_id=case.id)
    text = "".join(page_texts(render_document(documents.deferral_refusal_notice_data(demo.db, ctx, case.id))))
    for expected in ("逾期未补齐材料不予受理通知书", "第二十二条", "行政复议", "2026年11月28日10:30"):
        assert squash(expected) in text, expected


def test_a_case_accepted_with_everything_in_has_no_deferral_papers(decided):
    for loader in (
        documents.deferred_acceptance_notice_data,
        documents.deferral_commitment_data,
        documents.deferral_refusal_notice_data,
    ):
        with pytest.raises(NotFoundError, match="every material in"):
            loader(decided.db, decided.ctx, decided.case.id)
