"""容缺受理 end to end: a case accepted offline with materials to follow, and the arrival
of one of them, reach the real ``windowdesk-hub serve`` process on loopback."""

from __future__ import annotations

from windowdesk.domain.deferral import DeferralTerms
from windowdesk.services import catalog as catalog_service
from windowdesk.services import deferrals, intake

from .test_sync_with_hub import ITEM, blank_stations, enrolled, hub, new_station, resident, sync  # noqa: F401


def test_materials_to_follow_and_their_arrival_reach_the_hub(hub, new_station) -> None:  # noqa: F811
    station = new_station()
    applicant = resident(station, 1)
    guide = catalog_service.get_item_guide(station.db, item_code=ITEM)  # MZ-002 defers M05 and M07
    checks = [
        intake.MaterialCheck(mat.code, intake.MISSING if mat.code in ("M05", "M07") else intake.RECEIVED)
        for mat in guide.materials
    ]
    due = station.ctx.local_today()
    case = intake.accept_case(
        station.db,
        station.ctx,
        item_code=ITEM,
        applicant=applicant,
        checks=checks,
        shipped_calendar=station.calendar,
        deferral=DeferralTerms(due),
    )
    deferrals.record_arrival(station.db, station.ctx, case_id=case.id, material_code="M07")  # still offline

    hub.start()
    report = sync(enrolled(station, hub))

    assert report.ok and report.rejected == [], report
    rows = hub.rows(
        "SELECT material_code, due_date, arrived_at IS NOT NULL FROM case_deferred_materials "
        "WHERE case_id = :c ORDER BY material_code",
        c=case.id,
    )
    assert [(code, str(day), bool(arrived)) for code, day, arrived in rows] == [
        ("M05", due.isoformat(), False),
        ("M07", due.isoformat(), True),
    ]
