"""全程网办 in a real headless Chromium against a real hub process: a resident applies online
for a fully-online item from a phone; the department's staff find it in the console,
open its values and uploaded page, and accept it (a form without its CSRF token is
refused); the case is numbered in the department's own series and waits in its queue; the
resident's application page names the case, the acceptance receipt downloads as a PDF
that reads back with the case's number, and the public status page opens the case with the
query code the resident got when applying. The resident never visits a window."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PIL import Image

from tests.sync.hub_process import HubProcess
from tests.web.browser import save_screenshot
from tests.web.human import answer_for
from tests.web.test_console_departments_and_supervision import FIRST, sign_in
from windowdesk.domain.ids import resident_id_check_char

ITEM = "LB-005"  # 社会保险登记（用人单位参保登记）: fully online, decided by LBJ
CREDIT_CODE = "91350100M000100Y43"
ID_NUMBER = "11010519491231002" + resident_id_check_char("11010519491231002")


@pytest.fixture(scope="module")
def online_hub(tmp_path_factory: pytest.TempPathFactory):
    hub = HubProcess(tmp_path_factory.mktemp("fully-online-hub"))
    hub.import_catalog()
    hub.cli(
        "create-console-user",
        "lb.online",
        "--name",
        "周人社",
        "--role",
        "department",
        "--password",
        FIRST,
        "--department",
        "LBJ",
    )
    hub.start()
    try:
        yield hub
    finally:
        hub.stop()


def _photo(path: Path) -> Path:
    out = io.BytesIO()
    Image.new("RGB", (900, 1200), "white").save(out, "JPEG")
    path.write_bytes(out.getvalue())
    return path


def _pdf_text(data: bytes) -> str:
    document = pdfium.PdfDocument(data)
    try:
        return "".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    finally:
        document.close()


def test_a_department_accepts_a_fully_online_application_and_the_resident_follows_the_case(
    online_hub: HubProcess, phone_page, desktop_page, tmp_path
) -> None:
    hub, phone, console = online_hub, phone_page, desktop_page
    phone.goto(f"{hub.url}/apply/{ITEM}")
    phone.fill("#f_credit_code", CREDIT_CODE)
    phone.fill("#f_organisation_name", "某某科技有限公司")
    phone.fill("#f_contact_name", "周明")
    phone.fill("#f_contact_id_number", ID_NUMBER)
    phone.fill("#f_phone", "13800138000")
    phone.select_option("#center", "CH")
    phone.set_input_files("#file_M01", str(_photo(tmp_path / "营业执照.jpg")))
    phone.fill("#human_answer", answer_for(hub.data_dir, phone.get_attribute("input[name=human_token]", "value")))
    phone.click("#apply button[type=submit]")
    number, code = phone.inner_text("#application-number"), phone.inner_text("#query-code")
    assert re.fullmatch(r"SQ-\d{8}-[A-Z0-9]{6}", number)

    sign_in(console, hub, "lb.online")
    console.click("nav.sections >> a[href='/console/online']")
    console.wait_for_url("**/console/online")
    console.click(f"#online-{number} a")
    assert CREDIT_CODE in console.inner_text("dl.facts") and "某某科技有限公司" in console.inner_text("dl.facts")
    with console.expect_popup() as opened:
        console.click("#application-pages a")
    page_image = opened.value
    page_image.wait_for_load_state()
    page_image.close()
    save_screenshot(console, "console-online-application")
    application_url = console.url
    # A form posted without the console's CSRF token changes nothing.
    forged = console.request.post(application_url + "/accept", form={"round": "1"})
    assert forged.status == 403
    assert hub.rows("SELECT status FROM online_applications") == [("submitted",)]

    console.click("#accept-form button[type=submit]")
    console.wait_for_url("**?done=accepted")
    year = dt.datetime.now(dt.UTC).year  # the center's year but on 31 December / 1 January (Beijing is ahead)
    case_number = re.search(r"WB-LBJ-\d{4}-\d{6}", console.inner_text("#accepted-as")).group(0)
    assert case_number in (f"WB-LBJ-{year}-000001", f"WB-LBJ-{year + 1}-000001")
    save_screenshot(console, "console-online-accepted")
    console.click("#accepted-as a")
    assert console.inner_text("#accepted-online").strip()
    console.click("#online-materials a")  # the case leads back to the form and pages sent
    assert CREDIT_CODE in console.inner_text("dl.facts") and console.inner_text("#accepted-as").strip()
    console.goto(hub.url + "/console/queue")
    assert case_number in console.inner_text("section.work")
    assert hub.rows("SELECT source, window_id, accepted_by_department FROM cases") == [("online", None, "LBJ")]

    # The resident's application page names the case and offers its receipt.
    phone.goto(f"{hub.url}/application/view")
    assert phone.inner_text("#case-number") == case_number
    promised = phone.inner_text("#case-promised")
    save_screenshot(phone, "online-accepted-by-department-phone")
    receipt = phone.request.get(f"{hub.url}/application/receipt.pdf")
    assert receipt.status == 200 and receipt.headers["content-type"] == "application/pdf"
    text = _pdf_text(receipt.body())
    assert case_number in text and "受理回执" in text and "某某科技有限公司" in text
    assert f"{int(promised[:4])}年{int(promised[5:7])}月{int(promised[8:10])}日" in text

    # The public status page opens the case with the query code from the application.
    phone.context.clear_cookies()
    phone.goto(f"{hub.url}/status/{case_number}")
    phone.fill("#query_code", code)
    phone.click("form.panel button[type=submit]")
    phone.wait_for_url(re.compile(r"/case$"))
    summary = phone.inner_text("section.case-summary")
    assert promised in summary and "已受理" in summary
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    save_screenshot(phone, "online-case-status-phone")
    assert hub.unexpected_errors() == ""
