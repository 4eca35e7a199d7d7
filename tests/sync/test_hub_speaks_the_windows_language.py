"""A window that shows Chinese reads the hub's refusals and reasons in Chinese: the
window says its language with every request (the Language menu may change it at any
time), and the real hub process words its answers in it."""

from __future__ import annotations

from windowdesk.domain.case_state import CaseAction
from windowdesk.i18n import set_locale
from windowdesk.services import cases, intake, refusals
from windowdesk.services import catalog as catalog_service

from .hub_process import HubProcess, Station
from .test_sync_with_hub import resident, sync

ITEM, DEPARTMENT = "MZ-002", "MZJ"


def _accept(station: Station) -> intake.IntakeResult:
    guide = catalog_service.get_item_guide(station.db, item_code=ITEM)
    return intake.accept_case(
        station.db,
        station.ctx,
        item_code=ITEM,
        applicant=resident(station, 1),
        checks=[intake.MaterialCheck(material.code, intake.RECEIVED) for material in guide.materials],
        shipped_calendar=station.calendar,
    )


def test_a_conflict_with_the_back_office_is_explained_in_the_windows_language(
    serving_hub: HubProcess, enrolled_station: Station
) -> None:
    station = enrolled_station
    case = _accept(station)
    assert sync(station).ok
    # The department turns the case down at the hub while the window, before its next
    # sync, records that the applicant withdrew it.
    serving_hub.cli("decide", case.number, "--decision", "reject", "--department", DEPARTMENT, "--note", "材料不符")
    cases.change_status(station.db, station.ctx, case_id=case.id, action=CaseAction.WITHDRAW, note="申请人撤回")

    set_locale("zh_CN")
    report = sync(station)

    assert report.ok, report.error
    [refused] = refusals.refused_changes(station.db)
    assert (refused.kind, refused.entity_id) == ("case.status", case.id)
    assert refused.reason == f"办件 {case.number}：办件处于“审批未通过”状态时，不能执行“撤回”。"
    assert report.rejected == [("case.status", refused.reason)]


def test_a_refusal_follows_the_language_the_window_shows_now(
    serving_hub: HubProcess, enrolled_station: Station
) -> None:
    station = enrolled_station
    serving_hub.cli("revoke", station.workstation_id)

    set_locale("zh_CN")
    chinese = sync(station)
    set_locale("en")
    english = sync(station)

    assert (chinese.error.title, english.error.title) == ("未登录市级平台", "Not signed in to the hub")
    assert chinese.error.message.startswith("本工作站已于 ") and "被停用，不能再同步" in chinese.error.message
    assert english.error.message.startswith("This workstation was revoked at ")
