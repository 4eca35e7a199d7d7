"""并联审批 per department, service quality pushed by windows, hub-side replies, and the
city-wide performance report (command and API), on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from sqlalchemy import select

from windowdesk.domain.uuid7 import new_uuid
from windowdesk.hub.cli import main
from windowdesk.hub.services.figure_catchup import current_figures
from windowdesk.hub.storage.models import Case
from windowdesk.hub.storage.models_quality import CasePart, Complaint, Inquiry, Rating, Rectification
from windowdesk.sync.protocol import API_PREFIX

from .conftest import VERSION_HEADERS, EventFactory, Hub, Workstation

# GS-003 企业设立登记: 工商 (GSJ), 质监 (ZJJ) and 税务 (SWJ) decide in parallel.
PARALLEL_ITEM = "GS-003"


@pytest.fixture
def window(hub: Hub, demo_catalog: None) -> Workstation:
    return hub.enroll("CH", "01")


def _decide(hub: Hub, case_id: str, department: str, decision: str, note: str = ""):
    headers = {**VERSION_HEADERS, "Authorization": f"Bearer {hub.staff_token(department)}"}
    return hub.client.post(
        f"{API_PREFIX}/cases/{case_id}/decisions",
        headers=headers,
        json={"decision": decision, "department": department, "note": note},
    )


@pytest.fixture
def parallel_case(hub: Hub, window: Workstation, events: EventFactory) -> str:
    resident = events.resident()
    case = events.case(resident["entity_id"], item=PARALLEL_ITEM)
    assert [s for s, _ in hub.push_results(window, [resident, case])] == ["applied", "applied"]
    return case["entity_id"]


def _parts(hub: Hub, case_id: str) -> dict[str, str]:
    with current_figures(hub.db) as session:
        return dict(
            session.execute(select(CasePart.department_code, CasePart.status).where(CasePart.case_id == case_id)).all()
        )


def test_each_department_decides_its_own_part(hub: Hub, window: Workstation, parallel_case: str) -> None:
    cursor = hub.changes(window)["next_cursor"]
    first = _decide(hub, parallel_case, "GSJ", "approve")
    second = _decide(hub, parallel_case, "ZJJ", "request_materials", "缺少计量器具检定证书")
    assert (first.status_code, first.json()["status"]) == (200, "in_progress")
    assert second.json()["status"] == "suspended"
    again = _decide(hub, parallel_case, "GSJ", "reject")
    assert again.status_code == 409 and "already" in again.json()["error"]["message"]
    assert _decide(hub, parallel_case, "ZJJ", "approve").json()["status"] == "in_progress"
    assert _parts(hub, parallel_case) == {"GSJ": "approved", "ZJJ": "approved", "SWJ": "pending"}
    last = _decide(hub, parallel_case, "SWJ", "approve")
    assert last.json()["status"] == "approved"
    changes = [c["payload"] for c in hub.changes(window, after=cursor)["changes"]]
    assert [(p["department"], p["part_status"], p["status"]) for p in changes] == [
        ("GSJ", "approved", "in_progress"),
        ("ZJJ", "needs_materials", "suspended"),
        ("ZJJ", "approved", "in_progress"),
        ("SWJ", "approved", "approved"),
    ]
    assert changes[-1]["parts"] == {"GSJ": "approved", "ZJJ": "approved", "SWJ": "approved"}


def test_one_refused_part_refuses_the_case(hub: Hub, parallel_case: str) -> None:
    assert _decide(hub, parallel_case, "SWJ", "reject", "税务登记信息不符").json()["status"] == "rejected"
    late = _decide(hub, parallel_case, "GSJ", "approve")
    assert late.status_code == 409
    with current_figures(hub.db) as session:
        assert session.get(Case, parallel_case).status == "rejected"
    assert _parts(hub, parallel_case)["SWJ"] == "rejected"


# --- service quality ------------------------------------------------------------------


def _rating(events: EventFactory, window: Workstation, level: int, **extra: Any) -> dict[str, Any]:
    rating_id = new_uuid()
    payload = {
        "id": rating_id,
        "center": "CH",
        "window": window.window_id,
        "operator": new_uuid(),
        "level": level,
        "reason": "",
        "channel": "applicant_screen",
        "rated_at": events.clock.isoformat(),
        "case_id": None,
        "item": "MZ-001",
        "follow_up": None,
        **extra,
    }
    return events.event("rating.given", "rating", rating_id, payload)


def _complaint(events: EventFactory, window: Workstation, number: str) -> dict[str, Any]:
    complaint_id = new_uuid()
    payload = {
        "id": complaint_id,
        "number": number,
        "center": "CH",
        "window": window.window_id,
        "operator": new_uuid(),
        "complainant_name": "周女士",
        "complainant_phone": "13900000000",
        "about": {"window": window.window_id, "operator": None, "department": "MZJ", "item": None, "case_id": None},
        "facts": "态度生硬",
        "owner": new_uuid(),
        "deadline": "2026-12-09",
        "received_at": events.clock.isoformat(),
    }
    return events.event("complaint.received", "complaint", complaint_id, payload)


def test_ratings_inquiries_and_complaints_are_stored(hub: Hub, window: Workstation, events: EventFactory) -> None:
    follow_up_id = new_uuid()
    bad = _rating(events, window, 2, follow_up={"id": follow_up_id, "owner": new_uuid(), "deadline": "2026-12-03"})
    closed = events.event(
        "followup.closed",
        "follow_up",
        follow_up_id,
        {
            "id": follow_up_id,
            "rating_id": bad["entity_id"],
            "center": "CH",
            "outcome": "已回访",
            "closed_at": events.clock.isoformat(),
            "closed_by": new_uuid(),
        },
    )
    unknown = events.event(
        "followup.closed",
        "follow_up",
        new_uuid(),
        {"rating_id": bad["entity_id"], "center": "CH", "outcome": "x", "closed_at": events.clock.isoformat()},
    )
    unknown["payload"]["id"] = unknown["entity_id"]
    inquiry_id = new_uuid()
    logged = events.event(
        "inquiry.logged",
        "inquiry",
        inquiry_id,
        {
            "id": inquiry_id,
            "center": "CH",
            "window": window.window_id,
            "operator": "op-1",
            "owner": "op-1",
            "question": "老年证怎么办",
            "asked_at": events.clock.isoformat(),
        },
    )
    handed = events.event(
        "inquiry.handed_over",
        "inquiry",
        inquiry_id,
        {
            "id": inquiry_id,
            "center": "CH",
            "from": "op-1",
            "to": "op-2",
            "note": "转负责人",
            "at": events.clock.isoformat(),
        },
    )
    answered = events.event(
        "inquiry.answered",
        "inquiry",
        inquiry_id,
        {"id": inquiry_id, "center": "CH", "answer": "带身份证", "answered_at": events.clock.isoformat()},
    )
    complaint = _complaint(events, window, "TS-CH-01-2026-0001")
    task_id = new_uuid()
    task = events.event(
        "rectification.set",
        "rectification",
        task_id,
        {
            "id": task_id,
            "complaint_id": complaint["entity_id"],
            "center": "CH",
            "task": "培训",
            "unit": "综合窗口",
            "responsible": "王晓燕",
            "deadline": "2026-12-31",
        },
    )
    done = events.event(
        "rectification.done",
        "rectification",
        task_id,
        {"id": task_id, "complaint_id": complaint["entity_id"], "center": "CH", "done_at": events.clock.isoformat()},
    )
    batch = [bad, closed, unknown, logged, handed, answered, complaint, task, done]

    results = hub.push_results(window, batch)

    assert [s for s, _ in results] == ["applied", "applied", "rejected", *["applied"] * 6]
    assert "never arrived" in results[2][1]
    assert [s for s, _ in hub.push_results(window, batch)] == ["duplicate", "duplicate", "rejected", *["duplicate"] * 6]
    with current_figures(hub.db) as session:
        rating = session.get(Rating, bad["entity_id"])
        assert (rating.level, rating.follow_up_status, rating.follow_up_outcome) == (2, "closed", "已回访")
        inquiry = session.get(Inquiry, inquiry_id)
        assert (inquiry.owner_id, inquiry.status) == ("op-2", "answered")
        assert session.get(Complaint, complaint["entity_id"]).about_department_code == "MZJ"
        assert session.get(Rectification, task_id).done is True
    # A second answer to the same inquiry is refused, with a reason.
    again = events.event(
        "inquiry.answered",
        "inquiry",
        inquiry_id,
        {"id": inquiry_id, "center": "CH", "answer": "x", "answered_at": events.clock.isoformat()},
    )
    assert hub.push_results(window, [again])[0][0] == "rejected"


def test_hub_replies_reach_the_window(hub: Hub, window: Workstation, events: EventFactory, capsys) -> None:
    follow_up_id = new_uuid()
    complaint = _complaint(events, window, "TS-CH-01-2026-0002")
    bad = _rating(events, window, 1, follow_up={"id": follow_up_id, "owner": new_uuid(), "deadline": "2026-12-03"})
    hub.push_results(window, [complaint, bad])
    cursor = hub.changes(window)["next_cursor"]

    assert (
        main(hub.cli_args("complaint-reply", "TS-CH-01-2026-0002", "--text", "已核实并整改", "--by", "市电子政务办"))
        == 0
    )
    assert main(hub.cli_args("followup-outcome", follow_up_id, "--text", "已回访致歉", "--by", "张主任")) == 0
    assert main(hub.cli_args("complaint-reply", "TS-CH-01-2026-0002", "--text", "again", "--by", "x")) == 2

    changes = hub.changes(window, after=cursor)["changes"]
    assert [(c["kind"], c["entity_id"]) for c in changes] == [
        ("complaint.reply", complaint["entity_id"]),
        ("followup.outcome", follow_up_id),
    ]
    assert changes[0]["payload"]["reply"] == "已核实并整改"
    assert "already has its reply" in capsys.readouterr().err
    # The window's own reply arriving afterwards is refused: the hub's reply stands.
    late = events.event(
        "complaint.replied",
        "complaint",
        complaint["entity_id"],
        {"id": complaint["entity_id"], "center": "CH", "reply": "x", "replied_at": events.clock.isoformat()},
    )
    assert hub.push_results(window, [late])[0][0] == "rejected"


# --- 绩效考核 --------------------------------------------------------------------------------


def test_city_report_command_and_api(hub: Hub, window: Workstation, capsys) -> None:
    clock = dt.datetime(2025, 10, 9, 2, 0, tzinfo=dt.UTC)  # 10:00 in Shanghai
    events = EventFactory(clock=clock)
    resident = events.resident()
    case = events.case(resident["entity_id"], item="LB-002", number="CH-20251009-01-0001")  # promised: 1 day
    hub.push_results(
        window,
        [
            resident,
            case,
            _rating(events, window, 5),
            _rating(events, window, 2),
            _complaint(events, window, "TS-CH-01-2025-0001"),
        ],
    )
    capsys.readouterr()

    assert main(hub.cli_args("report", "--from", "2025-10-01", "--to", "2025-10-17", "--format", "json")) == 0
    body = json.loads(capsys.readouterr().out)
    [row] = body["rows"]
    assert (
        row["key"],
        row["accepted"],
        row["overdue"],
        row["rating_count"],
        row["satisfaction_rate"],
        row["complaints"],
    ) == ("CH", 1, 1, 2, 0.5, 1)
    assert main(hub.cli_args("report", "--from", "2025-10-01", "--to", "2025-10-17", "--by", "window")) == 0
    table = capsys.readouterr().out
    assert "CH 01" in table and "TOTAL" in table

    url = f"{API_PREFIX}/reports/performance"
    params = {"from": "2025-10-01", "to": "2025-10-17", "by": "department"}
    refused = hub.client.get(url, params=params, headers={**VERSION_HEADERS, "Authorization": f"Bearer {window.token}"})
    assert refused.status_code == 401
    staff = {**VERSION_HEADERS, "Authorization": f"Bearer {hub.staff_token('LBJ')}"}
    reply = hub.client.get(url, params=params, headers=staff)
    assert reply.status_code == 200, reply.text
    # A department's token reads its own rows only (issue 21, finding 11): the complaint
    # is about MZJ, not about the labour bureau.
    [labour] = reply.json()["rows"]
    assert labour["key"] == "LBJ" and (labour["accepted"], labour["open_overdue"]) == (1, 1)
    assert reply.json()["total"]["complaints"] == 0


def _at(day: str, hour: int = 2) -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T{hour:02d}:00:00+00:00")


def _window_record(events: EventFactory, kind: str, series: str, resident_id: str, operator: str) -> dict[str, Any]:
    record_id = new_uuid()
    entity = kind.split(".")[0]
    return events.event(
        kind,
        entity,
        record_id,
        {
            "id": record_id,
            "number": f"{series}-CH-{events.clock:%Y%m%d}-01-{events.seq + 1:04d}",
            "center": "CH",
            "window": "CH-01",
            "operator": operator,
            "item": "MZ-002",
            "applicant": {"kind": "resident", "id": resident_id},
            "created_at": events.clock.isoformat(),
            "reason": "材料不全",
            "legal_basis": "第三十二条",
        },
    )


def test_city_report_counts_the_cases_of_its_period_by_their_operators(hub: Hub, window: Workstation) -> None:
    """Which cases count in October 2025: not one finished in September; one finished
    in October though accepted in September; one still open; one withdrawn in October.
    Each counts for the operator its window named, as do notifications and refusals."""
    events = EventFactory(clock=_at("2025-09-01"))
    resident = events.resident()
    early, late, kept = new_uuid(), new_uuid(), new_uuid()

    def case(day: str, operator: str, number: str) -> dict[str, Any]:
        events.clock = _at(day)
        return events.case(resident["entity_id"], item="LB-002", number=number, operator=operator)

    def step(case_event: dict[str, Any], action: str, day: str) -> dict[str, Any]:
        events.clock = _at(day)
        return events.status(case_event["entity_id"], action)

    finished_in_september = case("2025-09-01", early, "CH-20250901-01-0001")
    finished_in_october = case("2025-09-25", late, "CH-20250925-01-0001")
    still_open = case("2025-10-09", kept, "CH-20251009-01-0001")
    withdrawn = case("2025-10-13", kept, "CH-20251013-01-0001")
    batch = [resident, finished_in_september, finished_in_october, still_open, withdrawn]
    for done, day in ((finished_in_september, "2025-09-05"), (finished_in_october, "2025-10-10")):
        batch += [step(done, "start_review", day), step(done, "approve", day), step(done, "complete", day)]
    batch.append(step(withdrawn, "withdraw", "2025-10-14"))
    events.clock = _at("2025-10-15")
    batch += [
        _window_record(events, "notification.given", "GZ", resident["entity_id"], late),
        _window_record(events, "refusal.given", "BY", resident["entity_id"], early),
    ]
    assert {status for status, _reason in hub.push_results(window, batch)} == {"applied"}

    with current_figures(hub.db) as session:
        from windowdesk.hub.services.reports import city_report, report_json

        assert session.get(Case, still_open["entity_id"]).operator_id == kept  # kept at push time
        body = report_json(city_report(session, start=dt.date(2025, 10, 1), end=dt.date(2025, 10, 31), by="operator"))
    rows = {row["key"]: row for row in body["rows"]}
    assert set(rows) == {early, late, kept}
    figures = {
        key: (row["accepted"], row["completed"], row["open_overdue"], row["notifications"], row["refusals"])
        for key, row in rows.items()
    }
    assert figures == {
        early: (0, 0, 0, 0, 1),  # finished in September: not counted; its refusal is
        late: (0, 1, 0, 1, 0),  # accepted in September, finished in October
        kept: (2, 0, 1, 0, 0),  # one open past its one-day promise, one withdrawn
    }


def test_a_finished_case_never_leaves_the_finished_statuses() -> None:
    """The report finds open cases by status and finished ones by their finishing step:
    that holds only while the case state machine enters a finished status by such a step
    and never leads out of one."""
    from windowdesk.domain.case_state import TRANSITIONS

    from .report_oracle import FINISHED_STATUSES, FINISHING

    assert set(FINISHING) <= set(FINISHED_STATUSES)
    for (status, _action), new_status in TRANSITIONS.items():
        if status.value in FINISHED_STATUSES:
            assert new_status.value in FINISHED_STATUSES, (status, new_status)
        elif new_status.value in FINISHED_STATUSES:  # entered only by a finishing step
            assert new_status.value in FINISHING, (status, new_status)
