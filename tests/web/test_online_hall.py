"""The online service hall in a real headless Chromium with a phone's screen (390x844),
against a real hub process, and a real window syncing with it (issues 23 and 27):
a guide found by its pinyin initials, a case accepted at the window followed from the
receipt's QR address with its query code, rated, the rating counted in the window's
report after its sync, and five wrong codes refused."""

from __future__ import annotations

import datetime as dt
import re

from tests.sync.test_sync_with_hub import accept, blank_stations, enrolled, hub, new_station, resident, sync  # noqa: F401
from tests.web.browser import save_screenshot
from tests.web.human import answer_for
from windowdesk.domain.query_codes import grouped
from windowdesk.services import documents, reports, service_quality
from windowdesk.sync import protocol


def test_a_guide_is_found_by_its_pinyin_initials_on_a_phone(hub, phone_page) -> None:  # noqa: F811
    hub.start()
    page = phone_page
    page.goto(f"{hub.url}/guides")
    page.fill("#q", "lnz")
    page.click("form.search button[type=submit]")
    page.wait_for_url(re.compile(r"/guides\?q=lnz"))
    link = page.locator(".guide-list a").first
    assert "老年证" in link.inner_text()
    save_screenshot(page, "online-hall-guides-phone")
    link.click()
    page.wait_for_url(re.compile(r"/guides/[A-Z]+-\d+$"))
    assert "办理时限" in page.inner_text("main") and "法定时限" in page.inner_text("main")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone
    save_screenshot(page, "online-hall-guide-phone")
    page.click("text=大字模式")
    page.wait_for_selector("body.large-text")
    page.goto(f"{hub.url}/guides")
    assert "large-text" in page.get_attribute("body", "class")  # remembered
    save_screenshot(page, "online-hall-guides-large-text-phone")


def test_a_case_accepted_at_a_window_is_followed_and_rated_from_a_phone(hub, new_station, phone_page) -> None:  # noqa: F811
    hub.start()
    hub.cli("status-page", f"{hub.url}/status")
    station = enrolled(new_station(), hub)
    case = accept(station, resident(station, 1))
    assert case.query_code
    report = sync(station)
    assert report.ok, report.error
    address = documents.acceptance_receipt_data(station.db, station.ctx, case.id).status_url
    assert address == f"{hub.url}/status/{case.number}"  # the receipt's QR code

    page = phone_page
    page.goto(address)
    assert page.input_value("#case_number") == case.number
    page.fill("#query_code", grouped(case.query_code))
    save_screenshot(page, "online-hall-status-form-phone")
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r"/case$"))
    text = page.inner_text("main")
    assert case.number in text and "已受理" in text and "居*1" in text and case.promised_date.isoformat() in text
    save_screenshot(page, "online-hall-case-phone")

    page.check("input[name=level][value='2']")
    for aspect in ("efficiency", "quality", "attitude"):
        page.check(f"input[name={aspect}][value='3']")
    page.fill("#comment", "排队时间太长")
    page.fill("#human_answer", answer_for(hub.data_dir, page.get_attribute("input[name=human_token]", "value")))
    page.click("section.rating button[type=submit]")
    page.wait_for_url(re.compile(r"/case\?rated=1$"))
    assert "您的评价已记录" in page.inner_text("main")
    save_screenshot(page, "online-hall-rated-phone")

    pulled = sync(station)
    assert pulled.ok, pulled.error
    assert protocol.CHANGE_WEB_RATING in pulled.changed_kinds
    today = dt.date.today()
    figures = reports.performance_report(
        station.db,
        station.ctx,
        start=today - dt.timedelta(days=1),
        end=today + dt.timedelta(days=1),
        by="window",
        shipped_calendar=station.calendar,
    ).total
    assert (figures.rating_count, figures.web_ratings, figures.window_ratings) == (1, 1, 0)
    (follow_up,) = service_quality.list_follow_ups(station.db, station.ctx)
    assert follow_up.case_number == case.number
    # Followed up at the window like its own ratings: the outcome reaches the hub's rating.
    service_quality.record_follow_up_outcome(
        station.db, station.ctx, follow_up_id=follow_up.id, outcome="已电话回访并致歉"
    )
    assert sync(station).ok
    assert hub.rows("SELECT channel, follow_up_status, follow_up_outcome FROM ratings") == [
        ("web", "closed", "已电话回访并致歉")
    ]


def test_five_wrong_codes_are_refused(hub, new_station, phone_page) -> None:  # noqa: F811
    hub.start()
    station = enrolled(new_station(), hub)
    case = accept(station, resident(station, 1))
    assert sync(station).ok
    page = phone_page
    for attempt in range(5):
        page.goto(f"{hub.url}/status/{case.number}")
        page.fill("#query_code", "AAAA-AAAA")
        page.click("main button[type=submit]")
        page.wait_for_selector(".flash.error")
        if attempt < 4:
            assert f"还可尝试 {4 - attempt} 次" in page.inner_text(".flash.error")
    assert "错误次数过多" in page.inner_text(".flash.error")
    save_screenshot(page, "online-hall-locked-phone")
    page.goto(f"{hub.url}/status/{case.number}")
    page.fill("#query_code", case.query_code)  # the right code, too late
    page.click("main button[type=submit]")
    page.wait_for_selector(".flash.error")
    assert "错误次数过多" in page.inner_text(".flash.error") and not page.url.endswith("/case")


def test_serve_public_only_serves_the_pages_without_the_sync_api(hub) -> None:  # noqa: F811
    import requests

    hub.start(serve_args=["--public-only"])
    assert requests.get(f"{hub.url}/guides/MZ-001", timeout=30).status_code == 200
    for hidden in ("/api/v1/health", "/api/v1/changes", "/docs", "/console/"):
        assert requests.get(f"{hub.url}{hidden}", timeout=30).status_code == 404, hidden
