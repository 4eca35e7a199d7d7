"""投诉 / 办不成事反映 from a phone (390x844) in a real headless Chromium, against a real hub
process and a real window syncing with it (issue 27): the resident files a report about a
case, the center's window receives it at its next sync, the supervision office answers it
in the console, and the resident reads the answer on the public page with the number and
code; a second complaint answered at the window shows there too."""

from __future__ import annotations

import re

from tests.sync.test_sync_with_hub import accept, blank_stations, enrolled, hub, new_station, resident, sync  # noqa: F401
from tests.web.browser import FIRST_PASSWORD, first_sign_in, save_screenshot
from tests.web.human import answer_for
from windowdesk.services import complaints
from windowdesk.sync import protocol

FACTS = "上周来办老年证，窗口说材料不全，但没有一次性告知缺什么，跑了三趟还没办成。"


def _file_on_the_phone(
    page,
    hub,  # noqa: F811
    *,
    kind: str,
    case_number: str = "",
    window: str = "",
    facts: str = FACTS,
) -> tuple[str, str]:
    page.goto(f"{hub.url}/guides")
    page.click("nav.public-nav >> text=投诉")
    page.wait_for_url(re.compile(r"/complain$"))
    page.check(f"input[name=kind][value='{kind}']")
    page.select_option("#center", "CH")
    page.select_option("#window", window)
    page.fill("#case_number", case_number)
    page.fill("#facts", facts)
    page.fill("#phone", "13800138000")
    page.fill("#human_answer", answer_for(hub.data_dir, page.get_attribute("input[name=human_token]", "value")))
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone
    save_screenshot(page, f"online-complaint-form-{kind}-phone")
    page.click("#complain button[type=submit]")
    page.wait_for_selector("#complaint-number")
    save_screenshot(page, f"online-complaint-filed-{kind}-phone")
    return page.inner_text("#complaint-number"), page.inner_text("#complaint-code")


def _read_on_the_phone(page, number: str, code: str) -> str:
    page.click("text=查看投诉办理情况")  # from the filed page, or:
    page.wait_for_url(re.compile(r"/complaint\?number="))
    assert page.input_value("#number") == number
    page.fill("#code", code)
    page.click("main button[type=submit]")
    page.wait_for_selector("#answer")
    return page.inner_text("#answer")


def test_a_complaint_from_a_phone_reaches_the_window_is_answered_in_the_console_and_read_back(
    hub,  # noqa: F811
    new_station,  # noqa: F811
    phone_page,
    desktop_page,
) -> None:
    hub.cli("create-console-user", "jiancha", "--name", "赵监察", "--role", "supervisor", "--password", FIRST_PASSWORD)
    hub.start()
    station = enrolled(new_station(), hub)
    case = accept(station, resident(station, 1))
    assert sync(station).ok

    number, code = _file_on_the_phone(phone_page, hub, kind="not_done", case_number=case.number)
    assert number.startswith("WTS-CH-") and len(code) == 8
    assert "办理中" in _read_on_the_phone(phone_page, number, code)
    save_screenshot(phone_page, "online-complaint-open-phone")

    pulled = sync(station)
    assert pulled.ok, pulled.error
    assert protocol.CHANGE_WEB_COMPLAINT in pulled.changed_kinds
    [at_window] = [c for c in complaints.list_complaints(station.db, station.ctx) if c.number == number]
    assert (at_window.source, at_window.kind, at_window.status) == ("web", "not_done", "open")
    assert at_window.about.case_id == case.id and at_window.complainant_phone == "13800138000"

    page = desktop_page
    first_sign_in(page, hub.url, "jiancha")
    page.goto(hub.url + "/console/voice")
    work = page.inner_text("section.work")
    assert number in work and "网上" in work
    reply_field = page.locator("textarea[id^=reply-]")
    reply_field.fill("已约谈窗口负责人，缺少的材料清单已短信发送给您，向您致歉")
    save_screenshot(page, "console-voice-web-complaint")
    page.click("form[action^='/console/voice/complaints/'] button")
    page.wait_for_url("**/console/voice?show=complaints&done=replied")

    phone_page.goto(f"{hub.url}/complaint?number={number}")
    phone_page.fill("#code", code.lower())  # as typed
    phone_page.click("main button[type=submit]")
    phone_page.wait_for_selector("#answer")
    assert "缺少的材料清单已短信发送给您" in phone_page.inner_text("#answer")
    save_screenshot(phone_page, "online-complaint-answered-phone")

    # The window learns the console's answer; a second complaint is answered at the window.
    second, second_code = _file_on_the_phone(
        phone_page, hub, kind="complaint", window="CH-01", facts="取号后等了两个小时，窗口工作人员一直在玩手机。"
    )
    assert sync(station).ok
    views = {c.number: c for c in complaints.list_complaints(station.db, station.ctx)}
    assert (views[number].status, views[number].replied_by) == ("replied", "赵监察")
    assert views[second].about.window_id == "CH-01"
    complaints.reply_to_complaint(
        station.db, station.ctx, complaint_id=views[second].id, reply="已核实，对该工作人员批评教育并整改"
    )
    assert sync(station).ok
    assert "对该工作人员批评教育并整改" in _read_on_the_phone(phone_page, second, second_code)
    assert hub.unexpected_errors() == ""
