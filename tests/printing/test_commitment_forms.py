"""告知承诺制's paper, rendered from a real case and read back: the 告知承诺书 in two
copies, with the item's conditions, the verification's department and date, what an
untrue commitment leads to, and the applicant's signed commitment."""

from __future__ import annotations

import dataclasses

import pytest

from windowdesk.domain.commitment import CommitmentTerms
from windowdesk.errors import NotFoundError
from windowdesk.printing.render import render_document
from windowdesk.services import applicants, documents, intake

from .conftest import DEMO_ID, DEMO_MASKED, MOMENT, _checks, page_texts, squash

ITEM = "JD-001"  # 居民家庭经济状况证明开具, 10 working days to verify


@pytest.fixture
def committed_case(demo):
    ctx = dataclasses.replace(demo.ctx, clock=lambda: MOMENT)
    who = applicants.find_residents(demo.db, ctx, query=DEMO_ID)[0].ref
    case = intake.accept_case(
        demo.db,
        ctx,
        item_code=ITEM,
        applicant=who,
        checks=_checks(demo.db, ITEM, {}),
        shipped_calendar=demo.calendar,
        commitment=CommitmentTerms(),
    )
    return demo, ctx, case


def test_the_notice_and_commitment_come_in_two_copies_with_the_conditions_and_the_verification(committed_case, chinese):
    demo, ctx, case = committed_case
    data = documents.commitment_notice_data(demo.db, ctx, case.id)
    pages = page_texts(render_document(data))
    assert len(pages) == 2
    assert "申请人留存联" in pages[0] and "存档联" in pages[1]
    due = f"{data.verify_due.year}年{data.verify_due.month}月{data.verify_due.day}日"
    for page in pages:
        for expected in (
            "告知承诺书",
            case.number,
            DEMO_MASKED,
            "居民家庭经济状况证明开具",
            due,
            "10个工作日",
            "失信标记",
            "撤销",
            "申请人（承诺人）:",
            "市政务服务中心（盖章）",
            data.conditions[0][:12],
        ):
            assert squash(expected) in page, expected
        assert DEMO_ID not in page


def test_a_case_accepted_otherwise_has_no_notice_and_commitment(decided):
    with pytest.raises(NotFoundError, match="notify-and-commit"):
        documents.commitment_notice_data(decided.db, decided.ctx, decided.case.id)
    assert not documents.is_commitment_case(decided.db, decided.ctx, decided.case.id)
