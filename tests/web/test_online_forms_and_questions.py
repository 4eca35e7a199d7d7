"""表格下载 and 网上咨询 in a real headless Chromium, against a real hub process (issue 30):
on a phone, a resident downloads a form from a guide page (the PDF read back) and asks a
question leaving a phone; at a desktop, the item's department answers it in the console
and publishes it; the resident reads the answer with the number and the short code, and
the guide page shows it as FAQ, the phone number nowhere."""

from __future__ import annotations

import re
from pathlib import Path

import pypdf
import pytest

from tests.sync.hub_process import HubProcess
from tests.web.browser import save_screenshot
from tests.web.human import answer_for
from tests.web.test_console_administration import FIRST, _sign_in
from windowdesk.paths import resources_dir

ITEM = "MZ-002"
QUESTION = "住院费用发票丢了，我的电话13800138000，还能申请医疗救助吗？"


@pytest.fixture(scope="module")
def forms_hub(tmp_path_factory: pytest.TempPathFactory):
    hub = HubProcess(tmp_path_factory.mktemp("forms-hub"))
    hub.import_catalog()
    hub.cli(
        "create-console-user",
        "mz.clerk",
        "--name",
        "赵民政",
        "--role",
        "department",
        "--department",
        "MZJ",
        "--password",
        FIRST,
    )
    hub.start()
    try:
        yield hub
    finally:
        hub.stop()


def _pdf_text(path: Path) -> str:
    return "".join("".join((page.extract_text() or "").split()) for page in pypdf.PdfReader(path).pages)


def test_a_form_downloaded_from_the_guide_page_is_the_published_pdf(forms_hub, phone_page) -> None:
    hub, page = forms_hub, phone_page
    page.goto(f"{hub.url}/guides/{ITEM}")
    assert "表格下载" in page.inner_text("main") and "容缺受理承诺书" in page.inner_text("#forms")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    save_screenshot(page, "online-hall-guide-forms-phone")
    with page.expect_download() as started:
        page.click("#forms a[data-form=F02]")
    download = started.value
    assert download.suggested_filename.endswith("-v1.pdf")
    saved = Path(download.path())
    assert saved.read_bytes() == (resources_dir() / "catalog" / "forms" / "MZ-002-F02.pdf").read_bytes()
    text = _pdf_text(saved)
    assert "承诺书" in text and "城市医疗救助申请" in text and "基本医疗保险报销结算单" in text


def test_a_question_asked_on_a_phone_is_answered_in_the_console_and_published_as_faq(
    forms_hub, chromium, phone_page, desktop_page
) -> None:
    hub, phone = forms_hub, phone_page
    phone.goto(f"{hub.url}/guides/{ITEM}")
    phone.fill("#question_text", QUESTION)
    phone.fill("#question_phone", "13800138000")
    phone.fill("#human_answer", answer_for(hub.data_dir, phone.get_attribute("#ask input[name=human_token]", "value")))
    save_screenshot(phone, "online-hall-ask-phone")
    phone.click("#ask button[type=submit]")
    phone.wait_for_selector("#question-number")
    number, code = phone.inner_text("#question-number"), phone.inner_text("#question-code")
    assert re.fullmatch(r"ZX[2-9A-HJ-NP-Z]{8}", number) and len(code) == 6
    save_screenshot(phone, "online-hall-question-sent-phone")
    phone.click("#question-link")
    phone.fill("#code", code)  # a phone was left: the number alone opens nothing
    phone.click("#find-question button[type=submit]")
    phone.wait_for_selector("#answer")
    assert "尚未答复" in phone.inner_text("#answer")

    console = desktop_page
    _sign_in(console, hub, "mz.clerk")
    console.goto(f"{hub.url}/console/questions")
    row = console.locator(f"#question-{number}")
    assert QUESTION in row.inner_text()
    row.locator("textarea[name=answer_text]").fill("可以。请到住院医院开具费用清单并加盖公章，代替发票。")
    row.locator("button[type=submit]").click()
    console.wait_for_url(re.compile(r"done=answered"))
    assert console.locator(f"#question-{number}").count() == 0
    mine = console.locator(f"#answered-{number}")
    offered = mine.locator("textarea[name=faq_question]").input_value()
    assert "13800138000" not in offered and "***" in offered  # the phone is taken out before publishing
    save_screenshot(console, "console-questions-answered")
    mine.locator("button[type=submit]").click()
    console.wait_for_url(re.compile(r"done=published"))
    save_screenshot(console, "console-questions-published")

    phone.reload()
    assert "费用清单" in phone.inner_text("#answer")
    save_screenshot(phone, "online-hall-question-answered-phone")
    phone.goto(f"{hub.url}/guides/{ITEM}")
    faq = phone.inner_text("#faq")
    assert "住院费用发票丢了" in faq and "费用清单" in faq and "13800138000" not in phone.content()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    save_screenshot(phone, "online-hall-guide-faq-phone")
    assert hub.unexpected_errors() == ""
