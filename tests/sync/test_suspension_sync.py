"""A suspension for an inspection reaches the real hub process with its kind, reason and
end, through the window's real sync (an encrypted workstation database, the real
``windowdesk-hub serve`` on loopback)."""

from __future__ import annotations

from windowdesk.domain.case_state import CaseAction
from windowdesk.services import cases

from .test_sync_with_hub import accept, blank_stations, enrolled, hub, new_station, resident, sync  # noqa: F401 - fixtures


def test_an_inspection_reaches_the_hub_with_its_kind_reason_and_end(hub, new_station) -> None:  # noqa: F811
    hub.start()
    station = enrolled(new_station(), hub)
    case = accept(station, resident(station, 1))
    cases.change_status(station.db, station.ctx, case_id=case.id, action=CaseAction.SUSPEND,
                        suspension_kind="inspection", note="送市质检院检测")
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
