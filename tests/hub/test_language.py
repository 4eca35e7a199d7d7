"""The hub answers a window in the window's language (Accept-Language): its refusals
(titles and messages) and the reasons it rejects an event. Without the header it
answers in English; a reason is worded once and answered the same way when resent."""

from __future__ import annotations

import pytest

from tests.hub.conftest import VERSION_HEADERS
from windowdesk.hub.language import Text, negotiate
from windowdesk.i18n import N_
from windowdesk.sync.protocol import API_PREFIX

CHINESE = {"Accept-Language": "zh-CN"}


def _push(hub, workstation, events, language: dict[str, str]) -> list[dict]:
    reply = hub.client.post(f"{API_PREFIX}/push", json={"events": events}, headers={**workstation.headers, **language})
    assert reply.status_code == 200, reply.text
    return reply.json()["results"]


@pytest.mark.parametrize(
    ("header", "language"),
    [
        ("zh-CN", "zh_CN"),
        ("zh-CN,zh;q=0.9,en;q=0.8", "zh_CN"),
        ("zh", "zh_CN"),
        ("zh_CN", "zh_CN"),
        ("en-US,en;q=0.9", "en"),
        ("fr-FR, zh;q=0.5", "zh_CN"),
        ("en, zh-CN", "en"),  # equal weights: the first listed
        ("en;q=0.2, zh-CN;q=0.8", "zh_CN"),
        ("zh-CN;q=0, en", "en"),  # q=0: not this one
        ("zh-CN;q=abc", "en"),  # unreadable weight: that entry is ignored
        ("fr", "en"),
        ("", "en"),
        (None, "en"),
    ],
)
def test_the_language_a_window_asks_for(header, language) -> None:
    assert negotiate(header) == language


def test_words_inside_a_message_follow_its_language() -> None:
    text = Text(
        N_("The {kind} {record_id} is not on the hub: the event creating it never arrived."),
        kind=Text(N_("inquiry")),
        record_id="0193",
    )
    assert text.render() == "The inquiry 0193 is not on the hub: the event creating it never arrived."
    assert text.render("zh_CN") == "咨询 0193 不在市级平台上：创建它的变更一直没有送达。"


def test_a_rejection_reason_is_in_the_windows_language_and_stays_so_when_resent(
    hub, demo_catalog: None, events
) -> None:
    workstation = hub.enroll()
    resident = events.resident()
    unknown_item = events.case(resident["entity_id"], item="XX-999")
    batch = [resident, unknown_item]

    first = _push(hub, workstation, batch, CHINESE)
    assert [r["status"] for r in first] == ["applied", "rejected"]
    assert first[1]["reason"] == "事项 XX-999 不在市级平台发布的任何服务目录中。"

    # The reply was lost; the window sends the batch again (now even in English): the
    # hub answers as it answered the first time.
    again = _push(hub, workstation, batch, {"Accept-Language": "en"})
    assert [(r["status"], r["reason"]) for r in again] == [("duplicate", ""), ("rejected", first[1]["reason"])]

    # A later event that depends on the rejected one quotes it, in the same language.
    depending = events.status(unknown_item["entity_id"], "start_review")
    [answer] = _push(hub, workstation, [depending], CHINESE)
    assert answer["reason"] == (
        f"办件 {unknown_item['entity_id']} 不在市级平台上：其受理已被拒绝（{first[1]['reason']}）"
    )


def test_without_the_header_reasons_are_in_english(hub, demo_catalog: None, events) -> None:
    workstation = hub.enroll()
    resident = events.resident()
    case = events.case(resident["entity_id"], item="XX-999")
    assert hub.push_results(workstation, [resident, case])[1] == (
        "rejected",
        "Item XX-999 is not in any service catalog the hub has published.",
    )


def test_a_refused_step_names_the_status_and_action_in_the_windows_words(hub, demo_catalog: None, events) -> None:
    workstation = hub.enroll()
    resident = events.resident()
    case = events.case(resident["entity_id"])
    withdraw = events.status(case["entity_id"], "withdraw")
    late = events.status(case["entity_id"], "start_review")
    results = _push(hub, workstation, [resident, case, withdraw, late], CHINESE)
    assert [r["status"] for r in results] == ["applied", "applied", "applied", "rejected"]
    number = case["payload"]["number"]
    assert results[3]["reason"] == f"办件 {number}：该办件已处于“已撤回”状态，不能再更改（无法执行“开始审核”）。"


def test_refusals_are_in_the_windows_language(hub) -> None:
    # An unknown token, an old client, an unknown path: each in Chinese when asked for.
    unknown = hub.client.get(
        f"{API_PREFIX}/whoami", headers={**VERSION_HEADERS, "Authorization": "Bearer nope", **CHINESE}
    )
    assert unknown.status_code == 401
    assert unknown.json()["error"] == {
        "code": "unauthorized",
        "title": "未登录市级平台",
        "message": "市级平台不认识本工作站的令牌。请向管理员申请新的注册码，重新注册本工作站。",
    }
    too_old = hub.client.get(
        f"{API_PREFIX}/whoami", headers={**VERSION_HEADERS, "X-Windowdesk-Client": "windowdesk/0.0.1", **CHINESE}
    )
    assert too_old.status_code == 426
    error = too_old.json()["error"]
    assert (error["title"], error["message"].startswith("本窗口软件版本过旧")) == ("需要更新", True)
    assert "0.0.1" in error["message"]

    nowhere = hub.client.get(f"{API_PREFIX}/nowhere", headers=CHINESE)
    assert nowhere.status_code == 404
    assert nowhere.json()["error"]["message"] == f"市级平台没有 {API_PREFIX}/nowhere，请检查市级平台地址。"

    english = hub.client.get(f"{API_PREFIX}/whoami", headers={**VERSION_HEADERS, "Authorization": "Bearer nope"})
    assert english.json()["error"]["title"] == "Not signed in to the hub"


def test_a_wrong_center_batch_is_refused_in_the_windows_language(hub, demo_catalog: None, events) -> None:
    workstation = hub.enroll()
    other = events.resident(center="JD")
    reply = hub.client.post(f"{API_PREFIX}/push", json={"events": [other]}, headers={**workstation.headers, **CHINESE})
    assert reply.status_code == 403
    assert reply.json()["error"]["message"].startswith("本工作站注册在中心 CH，却发送了中心 JD 的业务。")


def test_times_in_a_refusal_are_on_the_centers_clock(hub) -> None:
    import datetime as dt

    from windowdesk.hub.services import enrollment

    hub.import_demo_catalog()
    workstation = hub.enroll()
    with hub.db.write() as session:
        enrollment.revoke_workstation(
            session, workstation_id=workstation.id, now=dt.datetime(2026, 12, 4, 9, 5, tzinfo=dt.UTC)
        )
    reply = hub.client.get(f"{API_PREFIX}/whoami", headers={**workstation.headers, **CHINESE})
    assert reply.status_code == 401
    # Center CH keeps Beijing time: 09:05 UTC is 17:05 at its windows.
    assert reply.json()["error"]["message"] == (
        "本工作站已于 2026-12-04 17:05 被停用，不能再同步。请向管理员申请新的注册码。"
    )
