"""帮办代办 at the window: an agent applies for someone else, on a real SQLite file.

The rules (domain.proxy): the agent is a registered resident other than the applicant,
the power of attorney (委托书) is presented and dated, not after the day of acceptance.
A proxy case is recorded in the acceptance's one transaction (case, agent, audit, outbox)
and the reports count it apart.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from windowdesk.domain.proxy import ProxyTerms
from windowdesk.errors import ValidationError
from windowdesk.services import applicants, intake, reports
from windowdesk.storage import models as m

from .test_applicants_service import ORG_CODE
from .test_intake_service import ITEM, accept, at, checks, resident

ZHANG = "230902194403180126"  # 张秀英, 82: her son applies for her
LIU = "23090319760509009X"  # 刘志强, the agent


def _terms(demo, *, agent: str = LIU, present: bool = True, signed: dt.date | None = dt.date(2026, 3, 2)):
    return ProxyTerms(resident(demo.db, agent).id, present, signed)


def _counts(demo) -> tuple[int, int, int]:
    with demo.db.read() as session:
        return tuple(
            session.scalar(select(func.count()).select_from(model)) for model in (m.Case, m.CaseProxy, m.OutboxEvent)
        )


def test_a_proxy_case_records_the_agent_and_the_power_of_attorney_with_the_case(demo):
    ctx = at(demo.ctx, "2026-03-03 09:30")

    agent = resident(demo.db, LIU).id

    result = accept(demo, ctx, proxy=_terms(demo))

    with demo.db.read() as session:
        case = session.get(m.Case, result.id)
        assert (case.proxy.agent_resident_id, case.proxy.power_of_attorney_date) == (agent, dt.date(2026, 3, 2))
        sent = session.scalars(select(m.OutboxEvent.payload).where(m.OutboxEvent.entity_id == result.id)).one()
        audit = session.scalars(select(m.AuditEntry.detail).where(m.AuditEntry.entity_id == result.id)).one()
    assert sent["proxy"] == {"agent": {"kind": "resident", "id": agent}, "power_of_attorney_date": "2026-03-02"}
    assert audit["proxy"] is True


def test_a_case_applied_for_in_person_has_no_agent(demo):
    result = accept(demo, at(demo.ctx, "2026-03-03 09:30"))
    with demo.db.read() as session:
        assert session.get(m.Case, result.id).proxy is None
        assert (
            "proxy"
            not in session.scalars(select(m.OutboxEvent.payload).where(m.OutboxEvent.entity_id == result.id)).one()
        )


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"agent": "230902196210010496"}, "same person"),  # the demo applicant is 王建国
        ({"present": False}, "power of attorney"),
        ({"signed": None}, "date of the power of attorney"),
        ({"signed": dt.date(2026, 3, 4)}, "after today"),
    ],
)
def test_a_proxy_case_that_breaks_a_rule_is_refused_and_nothing_is_saved(demo, change, words):
    ctx = at(demo.ctx, "2026-03-03 23:30")  # late in the day: "today" is the center's local day
    before = _counts(demo)

    with pytest.raises(ValidationError) as refused:
        accept(demo, ctx, proxy=_terms(demo, **change))

    assert words in refused.value.message
    assert _counts(demo) == before


def test_an_agent_who_is_not_registered_is_refused(demo):
    with pytest.raises(ValidationError) as refused:
        accept(
            demo,
            at(demo.ctx, "2026-03-03 09:30"),
            proxy=ProxyTerms("01a00000-0000-7000-8000-000000000000", True, dt.date(2026, 3, 1)),
        )
    assert refused.value.field == "agent"


def test_an_organisation_applies_through_its_agent(demo):
    ctx = at(demo.ctx, "2026-03-03 09:30")
    company = applicants.register_organisation(demo.db, ctx, credit_code=ORG_CODE, name="七台河市兴业商贸有限公司")

    result = intake.accept_case(
        demo.db,
        ctx,
        item_code=ITEM,
        applicant=company.ref,
        checks=checks(),
        shipped_calendar=demo.calendar,
        proxy=_terms(demo),
    )

    agent = resident(demo.db, LIU).id
    with demo.db.read() as session:
        case = session.get(m.Case, result.id)
        assert (case.organisation_id, case.proxy.agent_resident_id) == (company.ref.id, agent)


def test_the_window_report_counts_proxy_cases_apart(demo):
    ctx = at(demo.ctx, "2026-03-03 09:30")
    accept(demo, ctx)
    accept(demo, ctx, proxy=_terms(demo))
    accept(demo, ctx, proxy=_terms(demo, agent=ZHANG))

    report = reports.performance_report(
        demo.db, ctx, start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31), by="window", shipped_calendar=demo.calendar
    )

    assert (report.total.accepted, report.total.proxy_accepted) == (3, 2)
    headings, rows = reports.report_table(report)
    assert headings[2] == "Of which by agents" and rows[-1][1:4] == ["3", "2", "0"]
