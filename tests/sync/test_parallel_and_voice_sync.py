"""并联审批 and service quality end to end: a real workstation and the real
``windowdesk-hub serve`` process. The back office decides two parts of a parallel case
and answers a complaint while the window is offline; the window then syncs."""

from __future__ import annotations

import pytest
import requests

from windowdesk.domain.case_state import CaseAction
from windowdesk.domain.ids import resident_id_check_char
from windowdesk.services import applicants, cases, complaints, intake, service_quality, worklist
from windowdesk.services.catalog import get_item_guide
from windowdesk.storage import models as m
from windowdesk.sync.protocol import API_PREFIX, HEADER_CLIENT, HEADER_PROTOCOL, PROTOCOL_VERSION

from .hub_process import HubProcess, Station

PARALLEL_ITEM = "GS-003"  # 工商 GSJ, 质监 ZJJ, 税务 SWJ


@pytest.fixture
def hub(serving_hub: HubProcess) -> HubProcess:
    return serving_hub


@pytest.fixture
def station(enrolled_station: Station) -> Station:
    return enrolled_station


def sync(station: Station):
    client = station.hub_client()
    try:
        report = station.runner(client, retries=0).run()
    finally:
        client.close()
    assert report.ok and not report.rejected, (report.error, report.rejected)
    return report


def decide(hub: HubProcess, case_id: str, department: str, decision: str, note: str = "") -> dict:
    token = hub.cli("staff-token", department).strip().splitlines()[-1]
    reply = requests.post(
        f"{hub.url}{API_PREFIX}/cases/{case_id}/decisions",
        timeout=10,
        json={"decision": decision, "department": department, "note": note},
        headers={
            HEADER_PROTOCOL: str(PROTOCOL_VERSION),
            HEADER_CLIENT: "windowdesk/0.1.0",
            "Authorization": f"Bearer {token}",
        },
    )
    assert reply.status_code == 200, reply.text
    return reply.json()


def parts(station: Station, case_id: str) -> list[tuple[str, str, str]]:
    return list(worklist.get_record_detail(station.db, station.ctx, kind="case", record_id=case_id).parts)


def case_status(station: Station, case_id: str) -> str:
    with station.db.read() as session:
        return session.get(m.Case, case_id).status


def test_parts_decided_while_offline_reach_the_window(hub: HubProcess, station: Station) -> None:
    first17 = "23090219700101123"
    resident = applicants.register_resident(
        station.db, station.ctx, id_number=first17 + resident_id_check_char(first17), name="刘企业", phone="13900000001"
    )
    guide = get_item_guide(station.db, item_code=PARALLEL_ITEM)
    case = intake.accept_case(
        station.db,
        station.ctx,
        item_code=PARALLEL_ITEM,
        applicant=resident.ref,
        checks=[intake.MaterialCheck(mat.code, "received") for mat in guide.materials],
        shipped_calendar=station.calendar,
    )
    rating = service_quality.rate_service(
        station.db, station.ctx, level=1, reason="窗口少、排队久", case_id=case.id, shipped_calendar=station.calendar
    )
    complaint_id, number = complaints.receive_complaint(
        station.db,
        station.ctx,
        complainant_name="刘先生",
        facts="并联审批进度不透明",
        about=complaints.ComplaintAbout(case_id=case.id),
        shipped_calendar=station.calendar,
    )
    sync(station)
    assert hub.scalar("SELECT count(*) FROM ratings WHERE follow_up_id = :f", f=rating.follow_up_id) == 1

    # The window goes offline; the back office decides two parts and answers the complaint.
    decide(hub, case.id, "GSJ", "approve", "名称核准通过")
    assert decide(hub, case.id, "ZJJ", "approve")["status"] == "in_progress"
    hub.cli("complaint-reply", number, "--text", "已告知各部门办理进度", "--by", "市电子政务办")
    # Meanwhile the window works on: a first inquiry, still in its outbox.
    service_quality.log_inquiry(station.db, station.ctx, question="税务部分还要多久？")
    assert parts(station, case.id)[0][1] == "Waiting for the department"

    report = sync(station)

    assert {"case.decision", "complaint.reply"} <= report.changed_kinds
    assert [(status, note) for _name, status, note in parts(station, case.id)] == [
        ("Approved", "名称核准通过"),
        ("Approved", ""),
        ("Waiting for the department", ""),
    ]
    assert case_status(station, case.id) == "in_progress"
    [view] = complaints.list_complaints(station.db, station.ctx)
    assert (view.status, view.reply, view.replied_by) == ("replied", "已告知各部门办理进度", "市电子政务办")
    assert hub.scalar("SELECT count(*) FROM inquiries") == 1

    # The last part: now the case is approved, completed at the window, and the hub agrees.
    decide(hub, case.id, "SWJ", "approve")
    sync(station)
    assert case_status(station, case.id) == "approved"
    cases.change_status(
        station.db, station.ctx, case_id=case.id, action=CaseAction.COMPLETE, certificate_number="91230900MA1C2D3E4F"
    )  # GS-003 issues a business licence
    service_quality.record_follow_up_outcome(
        station.db, station.ctx, follow_up_id=rating.follow_up_id, outcome="已增设并联审批咨询窗口"
    )
    sync(station)
    assert hub.scalar("SELECT status FROM cases WHERE id = :c", c=case.id) == "completed"
    assert hub.scalar("SELECT follow_up_status FROM ratings WHERE id = :r", r=rating.rating_id) == "closed"
    assert hub.rows(
        "SELECT department_code, status FROM case_parts WHERE case_id = :c ORDER BY department_code", c=case.id
    ) == [("GSJ", "approved"), ("SWJ", "approved"), ("ZJJ", "approved")]
    assert complaint_id


def test_a_rejected_part_rejects_the_case_at_the_window(hub: HubProcess, station: Station) -> None:
    first17 = "23090219700101124"
    resident = applicants.register_resident(
        station.db, station.ctx, id_number=first17 + resident_id_check_char(first17), name="陈企业"
    )
    guide = get_item_guide(station.db, item_code=PARALLEL_ITEM)
    case = intake.accept_case(
        station.db,
        station.ctx,
        item_code=PARALLEL_ITEM,
        applicant=resident.ref,
        checks=[intake.MaterialCheck(mat.code, "received") for mat in guide.materials],
        shipped_calendar=station.calendar,
    )
    sync(station)
    decide(hub, case.id, "GSJ", "approve")
    assert decide(hub, case.id, "SWJ", "reject", "纳税人信息与工商登记不一致")["status"] == "rejected"
    sync(station)
    assert case_status(station, case.id) == "rejected"
    assert ("Not approved", "纳税人信息与工商登记不一致") in [(s, n) for _d, s, n in parts(station, case.id)]
