"""网上申报 on a phone, in a real headless Chromium against a real hub process (issue 30):
from the guide page, apply online with two pages, get the number and the query code, open
the application with them; a real window of the chosen center syncs and returns it with
one missing material (网上预审, its own services), the resident sees the list, corrects and
sends it again, the window syncs and accepts it for the visit, and the resident reads that;
Bad uploads (a renamed executable, a PDF that is not one, a 200 MB file) are refused with
a clear message and nothing is stored.

At the visit, the number opens the intake pre-filled; the case accepted from it carries the
uploaded pages and completes the application at the hub."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from PIL import Image

from tests.sync.hub_process import HubProcess, create_station
from tests.web.browser import save_screenshot
from tests.web.human import answer_for
from windowdesk.domain.ids import resident_id_check_char
from windowdesk.services import catalog as catalog_service
from windowdesk.services import intake, material_pages, online_visit, prereview
from windowdesk.services.intake import MISSING, RECEIVED, MaterialCheck

ITEM = "MZ-003"
ID_NUMBER = "11010519491231002" + resident_id_check_char("11010519491231002")


@pytest.fixture(scope="module")
def apply_hub(tmp_path_factory: pytest.TempPathFactory):
    hub = HubProcess(tmp_path_factory.mktemp("apply-hub"))
    hub.import_catalog()
    hub.start()
    try:
        yield hub
    finally:
        hub.stop()


def _photo(path: Path, colour: str) -> Path:
    image = Image.new("RGB", (900, 1200), colour)
    out = io.BytesIO()
    image.save(out, "JPEG")
    path.write_bytes(out.getvalue())
    return path


def _fill(page, hub: HubProcess) -> None:
    page.fill("#f_applicant_name", "王建国")
    page.fill("#f_id_number", ID_NUMBER)
    page.fill("#f_phone", "13800138000")
    page.select_option("#f_hardship", "疾病")
    page.select_option("#center", "CH")
    page.fill("#human_answer", answer_for(hub.data_dir, page.get_attribute("input[name=human_token]", "value")))


@pytest.fixture
def window_ch01(apply_hub, tmp_path):
    """A real window of the center the resident chooses (CH), enrolled with the hub."""
    station = create_station(tmp_path / "CH-01", "CH", "01")
    station.enroll(apply_hub.url, apply_hub.enrollment_code("CH", "01"))
    try:
        yield station
    finally:
        station.close()


def _sync(station) -> None:
    client = station.hub_client()
    try:
        report = station.runner(client, retries=0).run()
    finally:
        client.close()
    assert report.ok and report.rejected == [], report


def _stored(hub: HubProcess) -> tuple[int, int]:
    return (
        hub.scalar("SELECT count(*) FROM online_applications"),
        hub.scalar("SELECT count(*) FROM online_application_pages"),
    )


def test_apply_online_from_a_phone_then_correct_what_the_window_returned(
    apply_hub, window_ch01, phone_page, tmp_path
) -> None:
    hub, page, window = apply_hub, phone_page, window_ch01
    page.goto(f"{hub.url}/guides/{ITEM}")
    page.click("#apply-online")
    page.wait_for_url(re.compile(rf"/apply/{ITEM}$"))
    _fill(page, hub)
    page.set_input_files("#file_M01", str(_photo(tmp_path / "身份证.jpg", "white")))
    page.set_input_files("#file_M02", str(_photo(tmp_path / "户口簿.jpg", "#eeeeee")))
    save_screenshot(page, "online-apply-phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.click("#apply button[type=submit]")
    number = page.inner_text("#application-number")
    code = page.inner_text("#query-code")
    assert re.fullmatch(r"SQ-\d{8}-[A-Z0-9]{6}", number) and re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}", code)
    save_screenshot(page, "online-applied-phone")
    assert _stored(hub) == (1, 2)

    # Another phone (no cookie): the number and the code open it.
    page.context.clear_cookies()
    page.goto(f"{hub.url}/application")
    page.fill("#number", number)
    page.fill("#query_code", code)
    page.click("form.panel button[type=submit]")
    page.wait_for_url(re.compile(r"/application/view"))
    assert page.get_attribute("#application-state", "data-state") == "submitted"
    assert "等待窗口预审" in page.inner_text("#application-state")

    # The window of CH syncs: the application waits for its pre-review with its two pages.
    _sync(window)
    [waiting] = prereview.waiting_applications(window.db, window.ctx)
    assert waiting.number == number and len(waiting.pages) == 2
    guide = catalog_service.get_item_guide(window.db, item_code=ITEM)
    checks = [
        MaterialCheck(mat.code, MISSING, "请上传填写完整的临时救助申请书")
        if mat.code == "M03"
        else MaterialCheck(mat.code, RECEIVED)
        for mat in guide.materials
    ]
    prereview.return_application(window.db, window.ctx, application_id=waiting.id, checks=checks)
    _sync(window)
    page.reload()
    assert page.get_attribute("#application-state", "data-state") == "returned"
    listed = page.inner_text("#returned-list")
    assert "临时救助申请书" in listed and "缺少" in listed and "请上传填写完整" in listed
    # The ID number is not shown back, only masked; left empty it keeps what was sent.
    assert page.input_value("#f_id_number") == "" and "110105********" in page.inner_text("#resubmit")
    page.set_input_files("#file_M03", str(_photo(tmp_path / "申请书.jpg", "white")))
    page.fill("#human_answer", answer_for(hub.data_dir, page.get_attribute("input[name=human_token]", "value")))
    save_screenshot(page, "online-application-returned-phone")
    page.click("#resubmit button[type=submit]")
    page.wait_for_url(re.compile(r"/application/view\?sent=1"))
    assert page.get_attribute("#application-state", "data-state") == "submitted"
    assert _stored(hub) == (1, 3)
    assert hub.rows("SELECT round, status FROM online_applications") == [(2, "submitted")]

    # The window syncs again: round 2 with the third page; accepted for the visit.
    _sync(window)
    [again] = prereview.waiting_applications(window.db, window.ctx)
    assert again.round == 2 and len(again.pages) == 3
    prereview.accept_for_visit(window.db, window.ctx, application_id=again.id)
    _sync(window)
    page.reload()
    assert page.get_attribute("#application-state", "data-state") == "accepted"
    assert "携带原件" in page.inner_text("#application-state")
    save_screenshot(page, "online-application-accepted-phone")

    # At the visit: the number opens the intake pre-filled; the case gets the three pages,
    # is online, and completes the application at the hub with its push.
    form = online_visit.open_for_visit(window.db, window.ctx, key=number)
    assert form.item_code == ITEM and form.applicant is not None and form.with_pages == {"M01", "M02", "M03"}
    case = intake.accept_case(
        window.db,
        window.ctx,
        item_code=ITEM,
        applicant=form.applicant.ref,
        checks=[MaterialCheck(mat.code, RECEIVED) for mat in guide.materials],
        shipped_calendar=window.calendar,
        online_application_id=form.application_id,
    )
    pages = material_pages.case_pages(window.db, window.ctx, case_id=case.id)
    assert sum(len(material.pages) for material in pages.materials) == 3
    _sync(window)
    assert hub.rows("SELECT status FROM online_applications") == [("completed",)]
    assert hub.rows("SELECT source FROM cases WHERE id = :c", c=case.id) == [("online",)]
    page.reload()
    assert page.get_attribute("#application-state", "data-state") == "completed"


def test_bad_uploads_are_refused_with_a_clear_message_and_nothing_is_stored(apply_hub, phone_page, tmp_path) -> None:
    hub, page = apply_hub, phone_page
    before = _stored(hub)
    renamed = tmp_path / "照片.jpg"
    renamed.write_bytes(b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 60 + b"This program cannot be run in DOS mode" * 50)
    fake_pdf = tmp_path / "申请书.pdf"
    fake_pdf.write_bytes(b"%PDF-1.7\n" + b"not really a pdf\n" * 200)
    for bad, words in ((renamed, "不是照片"), (fake_pdf, "无法作为 PDF 读取")):
        page.goto(f"{hub.url}/apply/{ITEM}")
        _fill(page, hub)
        page.set_input_files("#file_M01", str(_photo(tmp_path / "good.jpg", "white")))
        page.set_input_files("#file_M03", str(bad))
        page.click("#apply button[type=submit]")
        message = page.inner_text("#apply-error")
        assert bad.name in message and words in message and "未提交任何内容" in message
        assert _stored(hub) == before
    save_screenshot(page, "online-apply-refused-phone")

    huge = tmp_path / "扫描件.pdf"
    with huge.open("wb") as out:  # 200 MB, sparse on disk
        out.truncate(200 * 1024 * 1024)
    page.goto(f"{hub.url}/apply/{ITEM}")
    _fill(page, hub)
    page.set_input_files("#file_M01", str(huge))
    page.click("#apply button[type=submit]")
    message = page.inner_text(".flash.error.js-size")
    assert "扫描件.pdf" in message and "8 MB" in message and "未提交任何内容" in message
    assert page.url.endswith(f"/apply/{ITEM}") and _stored(hub) == before
