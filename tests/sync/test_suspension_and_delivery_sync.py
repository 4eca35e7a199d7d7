"""A suspension for an inspection, and a result sent by post, reach the real hub process
through the window's real sync (an encrypted workstation database, the real
``windowdesk-hub serve`` on loopback)."""

from __future__ import annotations

import subprocess

from windowdesk.domain.case_state import CaseAction
from windowdesk.domain.delivery import DeliveryChoice, Handover
from windowdesk.services import cases, intake
from windowdesk.services import catalog as catalog_service

from .hub_process import child_env, hub_command
from .test_sync_with_hub import ITEM, accept, blank_stations, enrolled, hub, new_station, resident, sync  # noqa: F401


def test_an_inspection_reaches_the_hub_with_its_kind_reason_and_end(hub, new_station) -> None:  # noqa: F811
    hub.start()
    station = enrolled(new_station(), hub)
    case = accept(station, resident(station, 1))
    cases.change_status(
        station.db,
        station.ctx,
        case_id=case.id,
        action=CaseAction.SUSPEND,
        suspension_kind="inspection",
        note="送市质检院检测",
    )
    report = sync(station)
    assert report.ok and not report.rejected, report.rejected
    assert hub.rows("SELECT status FROM cases WHERE id = :c", c=case.id) == [("suspended",)]
    steps = "SELECT action, to_status, suspension_kind, note FROM case_events WHERE case_id = :c ORDER BY seq"
    assert hub.rows(steps, c=case.id)[-1] == ("suspend", "suspended", "inspection", "送市质检院检测")

    cases.change_status(station.db, station.ctx, case_id=case.id, action=CaseAction.RESUME, note="检测合格")
    report = sync(station)
    assert report.ok and not report.rejected, report.rejected
    assert hub.rows("SELECT status FROM cases WHERE id = :c", c=case.id) == [("in_progress",)]
    assert hub.rows(steps, c=case.id)[-1] == ("resume", "in_progress", None, "检测合格")
    assert sync(station).applied == 0  # nothing sent twice


def test_a_result_by_post_reaches_the_hub_with_its_masked_address_and_waybill(hub, new_station) -> None:  # noqa: F811
    hub.start()
    station = enrolled(new_station(), hub)
    guide = catalog_service.get_item_guide(station.db, item_code=ITEM)
    case = intake.accept_case(
        station.db,
        station.ctx,
        item_code=ITEM,
        applicant=resident(station, 2),
        checks=[intake.MaterialCheck(mat.code, intake.RECEIVED) for mat in guide.materials],
        shipped_calendar=station.calendar,
        delivery=DeliveryChoice("post", address="黑龙江省七台河市桃山区学府街12号3单元501"),
    )
    assert sync(station).ok
    assert hub.rows("SELECT mode, address_masked FROM case_deliveries WHERE case_id = :c", c=case.id) == [
        ("post", "黑龙江省七台河市桃山区****")
    ]
    department = hub.scalar(
        "SELECT i.department_code FROM cases c JOIN catalog_items i ON i.code = c.item_code WHERE c.id = :c", c=case.id
    )
    decided = subprocess.run(
        [*hub_command(), *hub.args("decide", case.number, "--decision", "approve", "--department", department)],
        capture_output=True,
        text=True,
        env=child_env(),
        timeout=60,
    )
    assert decided.returncode == 0, decided.stderr
    assert sync(station).ok  # the decision comes down
    cases.change_status(station.db, station.ctx, case_id=case.id, action=CaseAction.COMPLETE)
    cases.change_status(
        station.db,
        station.ctx,
        case_id=case.id,
        action=CaseAction.DELIVER,
        delivery=Handover("post", waybill="EA123456789CN"),
    )
    report = sync(station)
    assert report.ok and not report.rejected, report.rejected
    assert hub.rows("SELECT status FROM cases WHERE id = :c", c=case.id) == [("delivered",)]
    assert hub.rows("SELECT mode, waybill FROM case_handovers WHERE case_id = :c", c=case.id) == [
        ("post", "EA123456789CN")
    ]
