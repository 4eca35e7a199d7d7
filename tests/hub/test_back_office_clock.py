"""The back office stops a case's clock and starts it again (SQLite and PostgreSQL): a
deciding department's staff in the console (or the command line) suspend a case for a
hearing, an inspection or an expert review with the reason, the step keeps its kind on
the timeline, the window is told by the feed, a hearing ends only with its outcome, and
every refusal is in words. Each step is audited."""

from __future__ import annotations

import pytest

from windowdesk.hub.errors import Conflict, Forbidden, InvalidInput
from windowdesk.hub.services import console_accounts as accounts
from windowdesk.hub.services import console_rights as rights
from windowdesk.hub.services import department_work as work
from windowdesk.hub.services import hub_audit
from windowdesk.hub.services.figure_catchup import current_figures
from windowdesk.hub.storage.models import Case
from windowdesk.sync import protocol

from .conftest import EventFactory, Hub, Workstation, utc_now

FIRST = "Harbour-Lamp-4821"


def _actor(hub: Hub, login: str, department: str) -> rights.ConsoleActor:
    with hub.db.write() as session:
        user = accounts.create_user(
            session,
            by=None,
            login=login,
            display_name=login.title(),
            role=rights.DEPARTMENT,
            department_code=department,
            password=FIRST,
            now=utc_now(),
        )
        return accounts.actor_of(user)


@pytest.fixture
def window(hub: Hub, demo_catalog: None) -> Workstation:
    return hub.enroll("CH", "01")


@pytest.fixture
def case_id(hub: Hub, window: Workstation) -> str:
    events = EventFactory()
    resident = events.resident()
    case = events.case(resident["entity_id"], item="MZ-002")
    assert {status for status, _ in hub.push_results(window, [resident, case])} == {"applied"}
    return case["entity_id"]


def _stop(hub: Hub, actor, case_id: str, kind: str = "inspection", reason: str = "委托第三方检测房屋安全"):
    return hub.db.run_write(
        lambda s: work.stop_clock(s, actor=actor, case_id=case_id, kind=kind, reason=reason, now=utc_now()), feed=True
    )


def _restart(hub: Hub, actor, case_id: str, outcome: str = ""):
    return hub.db.run_write(
        lambda s: work.restart_clock(s, actor=actor, case_id=case_id, outcome=outcome, now=utc_now()), feed=True
    )


def test_a_department_stops_the_clock_with_its_kind_and_starts_it_again_with_the_outcome(
    hub: Hub, window: Workstation, case_id: str
) -> None:
    civil = _actor(hub, "mz.clerk", "MZJ")
    with current_figures(hub.db) as session:
        record = work.case_record(session, actor=civil, case_ref=case_id, now=utc_now())
    assert (record.may_stop_clock, record.may_restart_clock) == (True, False)

    stopped = _stop(hub, civil, case_id)
    assert stopped.status == "suspended"
    with current_figures(hub.db) as session:
        record = work.case_record(session, actor=civil, case_ref=case_id, now=utc_now())
    assert (record.may_stop_clock, record.may_restart_clock) == (False, True)
    assert (record.steps[-1].suspension_kind, record.steps[-1].note) == ("inspection", "委托第三方检测房屋安全")

    with pytest.raises(InvalidInput):  # an inspection ends with what it found
        _restart(hub, civil, case_id)
    with pytest.raises(Conflict):  # already suspended
        _stop(hub, civil, case_id, kind="hearing")
    assert _restart(hub, civil, case_id, "检测结论：房屋结构安全").status == "in_progress"

    changes = [c["payload"] for c in hub.changes(window)["changes"] if c["kind"] == protocol.CHANGE_DECISION]
    assert [(c["decision"], c.get("suspension_kind"), c["status"]) for c in changes] == [
        ("suspend", "inspection", "suspended"),
        ("resume", None, "in_progress"),
    ]
    with current_figures(hub.db) as session:
        assert session.get(Case, case_id).status == "in_progress"
        assert [e.action for e in hub_audit.entries_for(session, entity="case", entity_id=case_id)] == [
            "case.suspend",
            "case.resume",
        ]


@pytest.mark.parametrize(
    ("kind", "reason", "error"),
    [
        ("materials", "缺材料", InvalidInput),  # the wait for materials is the decision "request_materials"
        ("weather", "x", InvalidInput),
        ("hearing", "  ", InvalidInput),
    ],
)
def test_a_suspension_the_rules_do_not_allow_is_refused(hub: Hub, case_id: str, kind, reason, error) -> None:
    civil = _actor(hub, "mz.clerk", "MZJ")
    with pytest.raises(error):
        _stop(hub, civil, case_id, kind=kind, reason=reason)
    with current_figures(hub.db) as session:
        assert session.get(Case, case_id).status == "accepted"


def test_another_department_may_not_stop_the_clock(hub: Hub, case_id: str) -> None:
    police = _actor(hub, "ga.clerk", "GAJ")
    with pytest.raises(Forbidden):
        _stop(hub, police, case_id)
