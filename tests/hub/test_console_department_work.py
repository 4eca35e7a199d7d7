"""A department's work in the console: its queue (parallel parts included, most urgent
first), a case's record, deciding its part and adding notes, each right checked in the
service and each change audited and published to the window. On SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest

from windowdesk.domain.time_limits import Light
from windowdesk.hub.errors import Forbidden, InvalidInput
from windowdesk.hub.services import console_accounts as accounts
from windowdesk.hub.services import console_rights as rights
from windowdesk.hub.services import department_work as work
from windowdesk.hub.services import hub_audit
from windowdesk.hub.services.figure_catchup import current_figures
from windowdesk.hub.services.time_cards import NoCard
from windowdesk.hub.storage.models import Case
from windowdesk.hub.web.console.words import LIGHT_WORDS, light_key

from .conftest import EventFactory, Hub, Workstation, center_today, utc_now

FIRST = "Harbour-Lamp-4821"
PARALLEL_ITEM = "GS-003"  # 工商 GSJ, 质监 ZJJ, 税务 SWJ
ORDINARY_ITEM = "MZ-002"  # 民政 MZJ


def _actor(hub: Hub, login: str, role: str, department: str | None = None) -> rights.ConsoleActor:
    with hub.db.write() as session:
        user = accounts.create_user(
            session,
            by=None,
            login=login,
            display_name=login.title(),
            role=role,
            department_code=department,
            password=FIRST,
            now=utc_now(),
        )
        return accounts.actor_of(user)


@pytest.fixture
def window(hub: Hub, demo_catalog: None) -> Workstation:
    return hub.enroll("CH", "01")


def _push_cases(hub: Hub, window: Workstation, *specs: tuple[str, str | None]) -> list[str]:
    """(item, promised date) each: their case ids, in order."""
    events = EventFactory()
    resident = events.resident()
    cases = [events.case(resident["entity_id"], item=item, promised_date=promised) for item, promised in specs]
    assert {status for status, _ in hub.push_results(window, [resident, *cases])} == {"applied"}
    return [case["entity_id"] for case in cases]


def test_the_queue_lists_the_department_s_open_parts_most_urgent_first(hub: Hub, window: Workstation) -> None:
    today = center_today()
    late, later, near = (
        (today - dt.timedelta(days=3)).isoformat(),
        (today + dt.timedelta(days=30)).isoformat(),
        today.isoformat(),
    )
    ordinary_late, parallel_later, parallel_near, ordinary_later = _push_cases(
        hub, window, (ORDINARY_ITEM, late), (PARALLEL_ITEM, later), (PARALLEL_ITEM, near), (ORDINARY_ITEM, later)
    )
    tax = _actor(hub, "sw.clerk", rights.DEPARTMENT, "SWJ")
    trade = _actor(hub, "gs.clerk", rights.DEPARTMENT, "GSJ")
    civil = _actor(hub, "mz.clerk", rights.DEPARTMENT, "MZJ")

    with current_figures(hub.db) as session:
        civil_queue = work.department_queue(session, actor=civil, now=utc_now())
        tax_queue = work.department_queue(session, actor=tax, now=utc_now())
    assert [(row.case_id, row.light) for row in civil_queue.rows] == [
        (ordinary_late, Light.RED),
        (ordinary_later, Light.GREEN),
    ]
    assert [(row.case_id, row.light) for row in tax_queue.rows] == [
        (parallel_near, Light.YELLOW),
        (parallel_later, Light.GREEN),
    ]

    # Once trade has approved its part it leaves trade's queue, and stays in tax's.
    with hub.db.write(feed=True) as session:
        work.decide(session, actor=trade, case_id=parallel_near, decision="approve", now=utc_now())
    with current_figures(hub.db) as session:
        assert [r.case_id for r in work.department_queue(session, actor=trade, now=utc_now()).rows] == [parallel_later]
        assert [r.case_id for r in work.department_queue(session, actor=tax, now=utc_now()).rows] == [
            parallel_near,
            parallel_later,
        ]
        paged = work.department_queue(session, actor=tax, now=utc_now(), page=2, page_size=1)
    assert (paged.total, paged.pages, paged.page, [r.case_id for r in paged.rows]) == (2, 2, 2, [parallel_later])


def test_a_case_without_a_promised_date_is_not_shown_as_a_stopped_clock(hub: Hub, window: Workstation) -> None:
    # A window may send no promised date (cases.promised_date is None): the case runs, with
    # nothing to be late against. Only a suspended case's clock is stopped.
    undated, suspended = _push_cases(hub, window, (ORDINARY_ITEM, None), (ORDINARY_ITEM, "2026-12-09"))
    civil = _actor(hub, "mz.clerk", rights.DEPARTMENT, "MZJ")
    with hub.db.write(feed=True) as session:
        work.decide(
            session, actor=civil, case_id=suspended, decision="request_materials", missing="户口簿复印件", now=utc_now()
        )
    with current_figures(hub.db) as session:
        queue = work.department_queue(session, actor=civil, now=utc_now())
        record = work.case_record(session, actor=civil, case_ref=undated, now=utc_now())
    assert {row.case_id: row.light for row in queue.rows} == {undated: NoCard.UNDATED, suspended: NoCard.STOPPED}
    assert record.light is NoCard.UNDATED
    assert LIGHT_WORDS[light_key(record.light)] == "No promised date"
    assert LIGHT_WORDS[light_key(NoCard.STOPPED)] == "Clock stopped"


def test_only_department_staff_have_a_queue(hub: Hub, window: Workstation) -> None:
    supervisor = _actor(hub, "sup", rights.SUPERVISOR)
    with current_figures(hub.db) as session, pytest.raises(Forbidden):
        work.department_queue(session, actor=supervisor, now=utc_now())


def test_a_department_decides_its_part_audited_and_published(hub: Hub, window: Workstation) -> None:
    [case_id] = _push_cases(hub, window, (PARALLEL_ITEM, "2026-12-09"))
    trade = _actor(hub, "gs.clerk", rights.DEPARTMENT, "GSJ")
    cursor = hub.changes(window)["next_cursor"]

    with hub.db.write(feed=True) as session:
        recorded = work.decide(
            session,
            actor=trade,
            case_id=case_id,
            decision="reject",
            reason="名称与他人重复",
            legal_basis="《企业名称登记管理规定》第九条",
            now=utc_now(),
            address="10.0.0.7",
        )

    assert recorded.status == "rejected"
    [change] = hub.changes(window, after=cursor)["changes"]
    assert change["kind"] == "case.decision"
    assert change["payload"]["note"] == "名称与他人重复（依据：《企业名称登记管理规定》第九条）"
    with current_figures(hub.db) as session:
        [entry] = [
            (e.actor, e.action, e.address, e.detail["decision"])
            for e in hub_audit.entries_for(session, entity="case", entity_id=case_id)
        ]
        record = work.case_record(session, actor=trade, case_ref=case_id, now=utc_now())
    assert entry == ("console:gs.clerk", "case.decided", "10.0.0.7", "reject")
    assert [(p.department, p.status) for p in record.parts] == [
        ("GSJ", "rejected"),
        ("ZJJ", "pending"),
        ("SWJ", "pending"),
    ]
    assert not record.may_decide


def test_a_refusal_needs_its_reason_and_legal_basis_and_a_request_its_list(hub: Hub, window: Workstation) -> None:
    [case_id] = _push_cases(hub, window, (ORDINARY_ITEM, "2026-12-09"))
    civil = _actor(hub, "mz.clerk", rights.DEPARTMENT, "MZJ")
    with hub.db.write(feed=True) as session:
        with pytest.raises(InvalidInput, match="legal basis"):
            work.decide(session, actor=civil, case_id=case_id, decision="reject", reason="不符合条件", now=utc_now())
        with pytest.raises(InvalidInput, match="materials"):
            work.decide(session, actor=civil, case_id=case_id, decision="request_materials", now=utc_now())
        asked = work.decide(
            session, actor=civil, case_id=case_id, decision="request_materials", missing="户口簿复印件", now=utc_now()
        )
    assert asked.status == "suspended"
    with current_figures(hub.db) as session:
        assert session.get(Case, case_id).status == "suspended"


def test_another_department_can_neither_open_nor_decide_nor_note_a_case(hub: Hub, window: Workstation) -> None:
    [case_id] = _push_cases(hub, window, (ORDINARY_ITEM, "2026-12-09"))
    police = _actor(hub, "ga.clerk", rights.DEPARTMENT, "GAJ")
    supervisor = _actor(hub, "sup", rights.SUPERVISOR)
    with current_figures(hub.db) as session:
        with pytest.raises(Forbidden, match="another department"):
            work.case_record(session, actor=police, case_ref=case_id, now=utc_now())
        # The supervision office reads every case, but decides none.
        assert work.case_record(session, actor=supervisor, case_ref=case_id, now=utc_now()).may_decide is False
    with hub.db.write(feed=True) as session:
        with pytest.raises(Forbidden):
            work.decide(session, actor=police, case_id=case_id, decision="approve", now=utc_now())
        with pytest.raises(Forbidden):
            work.decide(session, actor=supervisor, case_id=case_id, decision="approve", now=utc_now())
        with pytest.raises(Forbidden):
            work.add_note(session, actor=police, case_id=case_id, note="x", now=utc_now())
    with current_figures(hub.db) as session:
        assert session.get(Case, case_id).status == "accepted"
        assert hub_audit.entries_for(session, entity="case", entity_id=case_id) == []


def test_the_case_record_shows_materials_steps_and_notes_with_the_id_number_masked(
    hub: Hub, window: Workstation
) -> None:
    events = EventFactory()
    resident = events.resident()
    case = events.case(
        resident["entity_id"],
        item=ORDINARY_ITEM,
        materials=[{"id": "m1", "code": "M1", "name": "身份证", "status": "received", "note": ""}],
    )
    assert {status for status, _ in hub.push_results(window, [resident, case])} == {"applied"}
    civil = _actor(hub, "mz.clerk", rights.DEPARTMENT, "MZJ")
    with hub.db.write(feed=True) as session:
        work.add_note(session, actor=civil, case_id=case["entity_id"], note="已电话告知申请人", now=utc_now())
    with current_figures(hub.db) as session:
        record = work.case_record(session, actor=civil, case_ref=case["payload"]["number"], now=utc_now())
        [action] = [e.action for e in hub_audit.entries_for(session, entity="case", entity_id=case["entity_id"])]
    assert record.applicant_number == "230902********0496"
    assert [(m.name, m.status) for m in record.materials] == [("身份证", "received")]
    assert [(s.kind, s.note) for s in record.steps] == [("accepted", ""), ("note", "已电话告知申请人")]
    assert record.may_decide and record.pages == []
    assert action == "case.note_added"
