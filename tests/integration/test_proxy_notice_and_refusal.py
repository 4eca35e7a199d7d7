"""帮办代办 beyond acceptance: a one-time notification or a refusal given to an agent who
came for the applicant names the agent (masked) and the power of attorney, is kept with
them, tells the hub, and breaks no proxy rule (otherwise nothing is saved)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from tests.printing.conftest import chinese, page_texts, squash  # noqa: F401 (chinese: a fixture)
from windowdesk.domain.proxy import ProxyTerms
from windowdesk.errors import ValidationError
from windowdesk.printing.render import render_document
from windowdesk.services import documents, intake
from windowdesk.storage import models as m

from .test_intake_service import ITEM, MISSING, at, checks, resident

ZHANG = "230902194403180126"  # 张秀英, 82: her son comes for her
LIU = "23090319760509009X"  # 刘志强, the agent
LIU_MASKED = "230903********009X"


def _terms(demo, signed: dt.date = dt.date(2026, 3, 2)) -> ProxyTerms:
    return ProxyTerms(resident(demo.db, LIU).id, True, signed)


def _sent(demo, record_id: str) -> dict:
    with demo.db.read() as session:
        return session.scalars(select(m.OutboxEvent.payload).where(m.OutboxEvent.entity_id == record_id)).one()


@pytest.mark.usefixtures("chinese")
def test_a_notification_given_to_an_agent_names_them_and_their_power_of_attorney(demo):
    ctx = at(demo.ctx, "2026-03-03 09:30")
    given = intake.notify_missing(
        demo.db,
        ctx,
        item_code=ITEM,
        applicant=resident(demo.db, ZHANG),
        checks=checks(except_={"M01": (MISSING, "")}),
        proxy=_terms(demo),
    )

    agent = resident(demo.db, LIU).id
    with demo.db.read() as session:
        row = session.get(m.OneTimeNotification, given.id)
        assert (row.agent_resident_id, row.power_of_attorney_date) == (agent, dt.date(2026, 3, 2))
    assert _sent(demo, given.id)["proxy"] == {
        "agent": {"kind": "resident", "id": agent},
        "power_of_attorney_date": "2026-03-02",
    }
    text = "".join(page_texts(render_document(documents.notification_slip_data(demo.db, ctx, given.id))))
    for expected in ("代办人", "刘志强", LIU_MASKED, "委托书日期", "2026年3月2日"):
        assert squash(expected) in text, expected
    assert LIU not in text


@pytest.mark.usefixtures("chinese")
def test_a_refusal_given_to_an_agent_names_them(demo):
    ctx = at(demo.ctx, "2026-03-03 09:30")
    refused = intake.refuse_application(
        demo.db,
        ctx,
        item_code=ITEM,
        applicant=resident(demo.db, ZHANG),
        reason="不属于本事项受理范围",
        legal_basis="《行政许可法》第三十二条",
        proxy=_terms(demo),
    )
    assert "proxy" in _sent(demo, refused.id)
    text = "".join(page_texts(render_document(documents.refusal_notice_data(demo.db, ctx, refused.id))))
    for expected in ("代办人", "刘志强", LIU_MASKED):
        assert squash(expected) in text, expected


@pytest.mark.usefixtures("chinese")
def test_in_person_no_agent_is_named(demo):
    ctx = at(demo.ctx, "2026-03-03 09:30")
    given = intake.notify_missing(
        demo.db, ctx, item_code=ITEM, applicant=resident(demo.db, ZHANG), checks=checks(except_={"M01": (MISSING, "")})
    )
    assert "proxy" not in _sent(demo, given.id)
    assert documents.notification_slip_data(demo.db, ctx, given.id).proxy is None


def test_a_proxy_rule_broken_on_a_refusal_saves_nothing(demo):
    ctx = at(demo.ctx, "2026-03-03 09:30")
    with pytest.raises(ValidationError):
        intake.refuse_application(
            demo.db,
            ctx,
            item_code=ITEM,
            applicant=resident(demo.db, ZHANG),
            reason="x",
            legal_basis="y",
            proxy=_terms(demo, signed=dt.date(2026, 3, 9)),
        )
    with demo.db.read() as session:
        assert session.scalars(select(m.Refusal)).all() == []
