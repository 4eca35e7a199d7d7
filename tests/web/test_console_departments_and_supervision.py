"""The console's department and supervision pages in a real browser, against a real hub
process and a real window: what is done in the console reaches the window at its next
sync, and a department's staff cannot open another department's case."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.sync.hub_process import HubProcess, Station, create_station
from tests.web.browser import save_screenshot
from windowdesk.domain.ids import resident_id_check_char
from windowdesk.services import applicants, complaints, intake, worklist
from windowdesk.services.catalog import get_item_guide
from windowdesk.storage import models as m

FIRST = "Harbour-Lamp-4821"
OWN = "Maple-Crown-7715"
PARALLEL_ITEM = "GS-003"  # 工商 GSJ, 质监 ZJJ, 税务 SWJ
STAFF = {
    "gs.clerk": ("张工商", "department", "GSJ"),
    "ga.clerk": ("李公安", "department", "GAJ"),
    "jiancha": ("赵监察", "supervisor", None),
}


@pytest.fixture(scope="module")
def console_hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HubProcess]:
    hub = HubProcess(tmp_path_factory.mktemp("console-hub"))
    hub.import_catalog()
    for login, (name, role, department) in STAFF.items():
        extra = ("--department", department) if department else ()
        hub.cli("create-console-user", login, "--name", name, "--role", role, "--password", FIRST, *extra)
    hub.start()
    try:
        yield hub
    finally:
        hub.stop()


@pytest.fixture(scope="module")
def enrolled_window(
    console_hub: HubProcess, module_keyring, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Station, str]]:
    """Window CH-01, enrolled once for the module (its case numbers go on from test to
    test), and its hub token."""
    station = create_station(tmp_path_factory.mktemp("window"), "CH", "01")
    try:
        station.enroll(console_hub.url, console_hub.enrollment_code("CH", "01"))
        yield station, station.token()
    finally:
        station.close()


@pytest.fixture
def window(enrolled_window: tuple[Station, str]) -> Station:
    """The module's window, its token in this test's own keyring (tests/conftest.py)."""
    from windowdesk.services.sync import workstation_account
    from windowdesk.sync.credentials import TokenStore

    station, token = enrolled_window
    TokenStore(workstation_account(station.db)).set(token)
    return station


_passwords: dict[str, str] = {}


def sign_in(page, hub: HubProcess, login: str) -> None:
    """Signed in as ``login``; on the first time the account's own password is chosen."""
    page.context.clear_cookies()
    page.goto(hub.url + "/console/login")
    page.fill("#login", login)
    page.fill("#password", _passwords.get(login, FIRST))
    page.click("form[action='/console/login'] button[type=submit]")
    page.wait_for_load_state()
    if page.url.endswith("/console/password"):
        page.fill("#current", FIRST)
        page.fill("#new", OWN)
        page.fill("#again", OWN)
        page.click("form[action='/console/password'] button[type=submit]")
        page.wait_for_url("**/console/?changed=password")
        _passwords[login] = OWN


def sync(station: Station):
    client = station.hub_client()
    try:
        report = station.runner(client, retries=0).run()
    finally:
        client.close()
    assert report.ok and not report.rejected, (report.error, report.rejected)
    return report


def accept_parallel_case(station: Station, n: int):
    first17 = f"2309021970010112{n}"
    resident = applicants.register_resident(
        station.db, station.ctx, name="刘企业", id_number=first17 + resident_id_check_char(first17)
    )
    guide = get_item_guide(station.db, item_code=PARALLEL_ITEM)
    return intake.accept_case(
        station.db,
        station.ctx,
        item_code=PARALLEL_ITEM,
        applicant=resident.ref,
        checks=[intake.MaterialCheck(mat.code, "received") for mat in guide.materials],
        shipped_calendar=station.calendar,
    )


def test_a_department_approves_its_part_and_the_window_sees_it_after_sync(
    console_hub: HubProcess, window: Station, desktop_page
) -> None:
    case = accept_parallel_case(window, 1)
    sync(window)
    for department in ("ZJJ", "SWJ"):  # the other parts, decided at the terminal
        console_hub.cli("decide", case.number, "--decision", "approve", "--department", department)
    page = desktop_page

    sign_in(page, console_hub, "gs.clerk")
    page.click("nav.sections >> text=待审批办件")
    page.wait_for_url("**/console/queue")
    assert case.number in page.inner_text("table.cases")
    save_screenshot(page, "console-department-queue")
    page.click(f"text={case.number}")
    page.wait_for_url(f"**/console/cases/{case.id}")
    assert "并联审批各部门分项" in page.inner_text("body")
    save_screenshot(page, "console-case")
    page.fill("#approve-note", "名称核准通过")
    page.click("#approve")
    page.wait_for_url(f"**/console/cases/{case.id}?done=decided")
    assert "审批意见已记录" in page.inner_text("[role=status]")
    assert "本部门审批意见" not in page.inner_text("body")  # decided: no second decision offered
    save_screenshot(page, "console-case-decided")
    page.goto(console_hub.url + "/console/queue")
    assert case.number not in page.inner_text("body")

    sync(window)

    with window.db.read() as session:
        assert session.get(m.Case, case.id).status == "approved"
    detail = worklist.get_record_detail(window.db, window.ctx, kind="case", record_id=case.id)
    assert ("Approved", "名称核准通过") in [(status, note) for _name, status, note in detail.parts]
    assert console_hub.unexpected_errors() == ""


def test_a_supervisor_replies_to_a_complaint_and_the_window_sees_it_after_sync(
    console_hub: HubProcess, window: Station, desktop_page
) -> None:
    complaint_id, number = complaints.receive_complaint(
        window.db,
        window.ctx,
        complainant_name="周女士",
        facts="窗口工作人员态度生硬",
        about=complaints.ComplaintAbout(window_id="CH-01"),
        shipped_calendar=window.calendar,
    )
    sync(window)
    page = desktop_page

    sign_in(page, console_hub, "jiancha")
    page.click("nav.sections >> text=时限监察")
    page.wait_for_url("**/console/supervision")
    assert "全市红黄牌" in page.inner_text("h1")
    save_screenshot(page, "console-supervision-cards")
    page.click("text=按部门")
    save_screenshot(page, "console-supervision-cards-by-department")
    page.goto(console_hub.url + "/console/supervision/cases?light=yellow")
    save_screenshot(page, "console-supervision-card-cases")
    page.click("nav.sections >> text=投诉与评价")
    page.wait_for_url("**/console/voice")
    assert number in page.inner_text("section.work")
    page.click(f"form[action='/console/voice/complaints/{complaint_id}/reply'] button")  # empty: refused, kept
    assert "请填写" in page.inner_text("[role=alert]")
    page.fill(f"#reply-{complaint_id}", "已约谈窗口负责人，向您致歉")
    save_screenshot(page, "console-voice-complaints")
    page.click(f"form[action='/console/voice/complaints/{complaint_id}/reply'] button")
    page.wait_for_url("**/console/voice?show=complaints&done=replied")
    page.goto(console_hub.url + "/console/voice?show=follow_ups")
    save_screenshot(page, "console-voice-follow-ups")
    page.goto(console_hub.url + "/console/voice?show=rectifications")
    save_screenshot(page, "console-voice-rectifications")
    page.click("nav.sections >> text=被拒收的变更")
    page.wait_for_url("**/console/refused")
    save_screenshot(page, "console-refused")

    sync(window)

    [view] = [c for c in complaints.list_complaints(window.db, window.ctx) if c.id == complaint_id]
    assert (view.status, view.reply, view.replied_by) == ("replied", "已约谈窗口负责人，向您致歉", "赵监察")
    assert console_hub.unexpected_errors() == ""


def test_a_department_s_staff_cannot_open_another_department_s_case(
    console_hub: HubProcess, window: Station, desktop_page
) -> None:
    case = accept_parallel_case(window, 2)
    sync(window)
    page = desktop_page

    sign_in(page, console_hub, "ga.clerk")
    response = page.goto(f"{console_hub.url}/console/cases/{case.id}")

    assert response.status == 403
    assert "无权打开其他部门的办件" in page.inner_text("body")
    assert case.number not in page.inner_text("body")
    save_screenshot(page, "console-case-forbidden")
