"""Back-office decisions: through the API and the command line, onto the change feed."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from windowdesk.hub.cli import main
from windowdesk.hub.storage.models import Case, CaseEvent
from windowdesk.sync.protocol import API_PREFIX

from .conftest import VERSION_HEADERS, EventFactory, Hub, Workstation

# MZ-002 (城市医疗救助申请) is decided by MZJ, the civil affairs bureau.
ITEM, DEPARTMENT = "MZ-002", "MZJ"


@pytest.fixture
def window(hub: Hub, demo_catalog: None) -> Workstation:
    return hub.enroll("JD01", "01")


@pytest.fixture
def case_id(hub: Hub, window: Workstation) -> str:
    factory = EventFactory(center="JD01", window="JD01-01")
    resident = factory.resident()
    case = factory.case(resident["entity_id"], item=ITEM, number="JD01-20261125-01-0007")
    assert [s for s, _ in hub.push_results(window, [resident, case])] == ["applied", "applied"]
    return case["entity_id"]


def _decide(hub: Hub, case_id: str, token: str | None, **body: str):
    headers = dict(VERSION_HEADERS)
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return hub.client.post(f"{API_PREFIX}/cases/{case_id}/decisions", json=body, headers=headers)


def test_a_decision_reaches_the_window_through_the_feed(hub: Hub, window: Workstation, case_id: str) -> None:
    token = hub.staff_token(DEPARTMENT)
    cursor = hub.changes(window)["next_cursor"]

    reply = _decide(hub, case_id, token, decision="approve", department=DEPARTMENT, note="材料齐全，同意")

    assert reply.status_code == 200, reply.text
    decided = reply.json()
    assert (decided["status"], decided["case_number"]) == ("approved", "JD01-20261125-01-0007")
    [change] = hub.changes(window, after=cursor)["changes"]
    assert change["seq"] == decided["seq"]
    assert (change["kind"], change["entity"], change["entity_id"]) == ("case.decision", "case", case_id)
    payload = change["payload"]
    assert {k: payload[k] for k in ("case_id", "case_number", "decision", "department", "note", "status")} == {
        "case_id": case_id,
        "case_number": "JD01-20261125-01-0007",
        "decision": "approve",
        "department": DEPARTMENT,
        "note": "材料齐全，同意",
        "status": "approved",
    }
    assert payload["at"]
    # Only the case's center hears of it.
    other = hub.enroll("JD02", "01")
    assert all(c["kind"] != "case.decision" for c in hub.changes(other)["changes"])
    with hub.db.read() as session:
        steps = session.execute(
            select(CaseEvent.action, CaseEvent.to_status, CaseEvent.source)
            .where(CaseEvent.case_id == case_id)
            .order_by(CaseEvent.seq)
        ).all()
    assert [tuple(step) for step in steps] == [
        (None, "accepted", "window"),
        ("start_review", "in_progress", "hub"),
        ("approve", "approved", "hub"),
    ]


def test_asking_for_materials_then_approving_resumes_the_review(hub: Hub, case_id: str) -> None:
    token = hub.staff_token(DEPARTMENT)
    asked = _decide(hub, case_id, token, decision="request_materials", department=DEPARTMENT, note="缺户口簿")
    approved = _decide(hub, case_id, token, decision="approve", department=DEPARTMENT)
    again = _decide(hub, case_id, token, decision="reject", department=DEPARTMENT)

    assert asked.json()["status"] == "suspended"
    assert approved.json()["status"] == "approved"
    assert again.status_code == 409
    assert "JD01-20261125-01-0007" in again.json()["error"]["message"]


def test_decisions_need_the_right_department_s_token(hub: Hub, window: Workstation, case_id: str) -> None:
    civil_affairs = hub.staff_token(DEPARTMENT)
    police = hub.staff_token("GAJ")

    no_token = _decide(hub, case_id, None, decision="approve", department=DEPARTMENT)
    workstation_token = _decide(hub, case_id, window.token, decision="approve", department=DEPARTMENT)
    other_department = _decide(hub, case_id, police, decision="approve", department=DEPARTMENT)
    not_theirs = _decide(hub, case_id, police, decision="approve", department="GAJ")
    unknown_case = _decide(
        hub, "01a00000-0000-7000-8000-00000000000f", civil_affairs, decision="approve", department=DEPARTMENT
    )
    bad_decision = _decide(hub, case_id, civil_affairs, decision="maybe", department=DEPARTMENT)

    assert no_token.status_code == workstation_token.status_code == 401
    assert other_department.status_code == 403
    assert not_theirs.status_code == 403 and "does not decide item MZ-002" in not_theirs.json()["error"]["message"]
    assert unknown_case.status_code == 404
    assert bad_decision.status_code == 422
    with hub.db.read() as session:
        assert session.get(Case, case_id).status == "accepted"


def test_the_decide_command_does_the_same(
    hub: Hub, window: Workstation, case_id: str, capsys: pytest.CaptureFixture[str]
) -> None:
    cursor = hub.changes(window)["next_cursor"]

    code = main(
        hub.cli_args(
            "decide",
            "JD01-20261125-01-0007",
            "--decision",
            "reject",
            "--department",
            DEPARTMENT,
            "--note",
            "不符合条件",
        )
    )
    note = main(hub.cli_args("note", "JD01-20261125-01-0007", "--department", DEPARTMENT, "--text", "已电话告知申请人"))
    refused = main(hub.cli_args("decide", "JD01-20261125-01-0007", "--decision", "approve", "--department", DEPARTMENT))

    out = capsys.readouterr()
    assert (code, note, refused) == (0, 0, 2)
    assert "status now “Not approved”" in out.out
    assert "is not possible while the case is" in out.err
    kinds = [(c["kind"], c["payload"].get("status")) for c in hub.changes(window, after=cursor)["changes"]]
    assert kinds == [("case.decision", "rejected"), ("case.note", None)]
