"""The back office stops a case's clock (听证, 检验检测鉴定, 专家评审) and starts it again
with the real ``windowdesk-hub serve`` process on loopback: the window learns each step at
its next sync and reads it with its own rules (the kind on its timeline, its clock
stopped, the suspension notice it prints)."""

from __future__ import annotations

import pytest

from windowdesk.services import cases, documents, worklist
from windowdesk.storage import models as m

from .test_sync_with_hub import accept, blank_stations, enrolled, hub, new_station, resident, sync  # noqa: F401


def test_a_hearing_set_at_the_hub_stops_the_windows_clock_until_the_hub_resumes_it(hub, new_station) -> None:  # noqa: F811
    hub.start()
    station = enrolled(new_station(), hub)
    case = accept(station, resident(station, 1))  # MZ-002, decided by MZJ
    assert sync(station).ok

    hub.cli(
        "suspend",
        case.number,
        "--department",
        "MZJ",
        "--kind",
        "hearing",
        "--reason",
        "申请事项涉及他人重大利益，定于12月18日举行听证",
        "--by",
        "民政局王科长",
    )
    assert sync(station).ok

    assert cases.suspension_in_force(station.db, station.ctx, case_id=case.id) == "hearing"
    notice = documents.suspension_notice_data(station.db, station.ctx, case.id)
    assert notice.kind == "hearing" and "听证" in notice.reason
    detail = worklist.get_record_detail(station.db, station.ctx, kind="case", record_id=case.id)
    assert detail.state == "Suspended for a hearing"
    assert "Suspended for a hearing" in [step.label for step in detail.timeline]

    with pytest.raises(AssertionError, match="outcome"):  # a hearing ends with its outcome on record
        hub.cli("resume", case.number, "--department", "MZJ", "--by", "民政局王科长")
    with pytest.raises(AssertionError, match="does not decide"):
        hub.cli("suspend", case.number, "--department", "GAJ", "--kind", "inspection", "--reason", "x", "--by", "x")
    hub.cli(
        "resume",
        case.number,
        "--department",
        "MZJ",
        "--outcome",
        "听证已举行，未发现不予许可的情形",
        "--by",
        "民政局王科长",
    )
    assert sync(station).ok

    with station.db.read() as session:
        steps = [(ev.to_status, ev.suspension_kind) for ev in session.get(m.Case, case.id).events]
        assert session.get(m.Case, case.id).status == "in_progress"
    assert steps[-2:] == [("suspended", "hearing"), ("in_progress", None)]
    assert cases.suspension_in_force(station.db, station.ctx, case_id=case.id) is None
    assert hub.rows(
        "SELECT suspension_kind FROM case_events WHERE case_id = :c AND to_status = 'suspended'", c=case.id
    ) == [("hearing",)]
