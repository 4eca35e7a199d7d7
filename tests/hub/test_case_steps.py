"""A case's steps (case_events) keep who took them and their kind as domain.case_steps'
StepSource and StepKind: the hub reads the members back, and refuses to write a value
outside the set instead of storing a spelling no page or report knows. On SQLite and
PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.exc import StatementError

from windowdesk.domain.case_steps import StepKind, StepSource
from windowdesk.hub.services import backoffice
from windowdesk.hub.storage.models import CaseEvent
from windowdesk.hub.web.console.words import STEP_WORDS

from .conftest import EventFactory, Hub, utc_now


def _accepted_case(hub: Hub) -> str:
    hub.import_demo_catalog()
    window = hub.enroll("CH", "01")
    events = EventFactory()
    resident = events.resident()
    case = events.case(resident["entity_id"])
    assert {status for status, _ in hub.push_results(window, [resident, case])} == {"applied"}
    return case["entity_id"]


def test_steps_read_back_as_members_of_the_domain_s_sets(hub: Hub) -> None:
    case_id = _accepted_case(hub)
    with hub.db.write(feed=True) as session:
        case = backoffice.find_case(session, case_id=case_id)
        backoffice.record_note(session, case=case, department="MZJ", note="材料已核", now=utc_now())
    with hub.db.read() as session:
        steps = session.execute(
            select(CaseEvent.source, CaseEvent.kind).where(CaseEvent.case_id == case_id).order_by(CaseEvent.seq)
        ).all()
    assert [tuple(step) for step in steps] == [(StepSource.WINDOW, StepKind.ACCEPTED), (StepSource.HUB, StepKind.NOTE)]
    assert all(type(source) is StepSource and type(kind) is StepKind for source, kind in steps)


def test_a_step_of_an_unknown_kind_is_refused_and_nothing_is_stored(hub: Hub) -> None:
    case_id = _accepted_case(hub)
    with pytest.raises(StatementError, match="'decided' is not a valid StepKind"), hub.db.write() as session:
        session.add(
            CaseEvent(
                case_id=case_id,
                source=StepSource.HUB,
                kind="decided",
                action=None,
                from_status="accepted",
                to_status="accepted",
                note="",
                recorded_at=utc_now(),
            )
        )
        session.flush()
    with hub.db.read() as session:
        assert session.scalars(select(CaseEvent.kind).where(CaseEvent.case_id == case_id)).all() == [StepKind.ACCEPTED]


def test_the_console_words_every_kind_of_step() -> None:
    assert set(STEP_WORDS) == set(StepKind)
