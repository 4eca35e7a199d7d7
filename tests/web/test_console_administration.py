"""The administrators' console (issue 26) in a real browser, against a real hub process, with
real windows: an enrollment code issued in the console enrolls a workstation that then
syncs; an operator made in the console reaches the window and can log in there, and
disabling them reaches it too; every page works at 1366x768; the other roles are refused."""

from __future__ import annotations

import contextlib
import re
from pathlib import Path

import pytest

from tests.sync.conftest import temp_keyring  # noqa: F401  (fixture)
from tests.sync.hub_process import HubProcess, Station, create_station
from tests.web.browser import save_screenshot
from windowdesk.paths import resources_dir

pytestmark = pytest.mark.usefixtures("temp_keyring")

FIRST = "Harbour-Lamp-4821"
OWN = "Maple-Crown-7715"
OPERATOR_FIRST = "Lotus-Path-5527"


@pytest.fixture(scope="module")
def console_hub(tmp_path_factory: pytest.TempPathFactory):
    hub = HubProcess(tmp_path_factory.mktemp("admin-console-hub"))
    hub.import_catalog()
    hub.cli("create-console-user", "admin", "--name", "王管理", "--role", "administrator", "--password", FIRST)
    hub.cli("create-console-user", "jiancha", "--name", "李监察", "--role", "supervisor", "--password", FIRST)
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


def _sign_in(page, hub: HubProcess, login: str) -> None:
    """Signs in; the first time, chooses the account's own password (every later time, uses it)."""
    page.goto(hub.url + "/console/login")
    page.fill("#login", login)
    page.fill("#password", FIRST)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    if "/console/password" in page.url:
        page.fill("#current", FIRST)
        page.fill("#new", OWN)
        page.fill("#again", OWN)
        page.click("form[action='/console/password'] button[type=submit]")
        page.wait_for_url("**/console/?changed=password")
    elif "/console/login" in page.url:  # the password was changed by an earlier test
        page.fill("#login", login)
        page.fill("#password", OWN)
        page.click("button[type=submit]")
        page.wait_for_url("**/console/")


def _sync(station: Station) -> None:
    with contextlib.closing(station.hub_client()) as client:
        report = station.runner(client).run()
    assert report.ok, report.error


@pytest.fixture
def station(tmp_path: Path) -> Station:
    station = create_station(tmp_path / "ws", "CH", "02")
    try:
        yield station
    finally:
        station.close()


def test_an_enrollment_code_from_the_console_enrolls_a_real_window_that_syncs(
    console_hub, desktop_page, station: Station
) -> None:
    page = desktop_page
    _sign_in(page, console_hub, "admin")
    page.click("nav.sections >> text=工作站")
    page.select_option("#enroll-window", "CH-02")
    page.fill("#enroll-hours", "4")
    page.click("#enroll-form button[type=submit]")
    code = page.inner_text("#issued-code .secret code").strip()
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", code), code
    assert "CH-02" in page.inner_text("#issued-code")
    save_screenshot(page, "console-admin-workstations-code")

    answer = station.enroll(console_hub.url, code)  # typed at the window, as its administrator does
    _sync(station)
    page.goto(console_hub.url + "/console/admin/workstations")
    row = page.locator("#workstations tr[data-window='CH-02']")
    assert answer["workstation_id"] in row.inner_text()
    assert page.locator("#issued-code").count() == 0  # shown once only
    row.locator("button.danger").click()  # revoke
    page.wait_for_url("**/console/admin/workstations?done=revoked")
    assert "吊销" in page.inner_text("#workstations tr[data-window='CH-02']")
    with contextlib.closing(station.hub_client()) as client:
        assert not station.runner(client).run().ok  # its token is refused from now on
    assert console_hub.unexpected_errors() == ""


def test_an_operator_made_in_the_console_reaches_the_window_and_disabling_them_too(
    console_hub, desktop_page, station: Station
) -> None:
    from windowdesk.services import auth
    from windowdesk.storage import queries

    station.enroll(console_hub.url, console_hub.enrollment_code("CH", "02"))
    page = desktop_page
    _sign_in(page, console_hub, "admin")
    page.goto(console_hub.url + "/console/admin/operators")
    page.fill("#op-login", "wangwu")
    page.fill("#op-name", "王五")
    page.select_option("#op-center", "CH")
    page.fill("#op-password", "12345678")  # too weak: refused, what was typed is kept
    page.click("#operator-form button[type=submit]")
    assert "同时包含字母和数字" in page.inner_text("[role=alert]")  # the password rules, in the page's language
    assert page.input_value("#op-name") == "王五"
    page.fill("#op-password", OPERATOR_FIRST)
    page.click("#operator-form button[type=submit]")
    page.wait_for_url("**/console/admin/operators?done=operator")
    assert "王五" in page.inner_text("#operators tr[data-login='wangwu']")
    save_screenshot(page, "console-admin-operators")

    _sync(station)
    result = auth.log_in(station.db, login="wangwu", password=OPERATOR_FIRST)
    assert result.must_change_password  # a first password, changed at the window

    page.locator("#operators tr[data-login='wangwu'] button.danger").click()  # disable
    page.wait_for_url("**/console/admin/operators?done=operator-disabled")
    _sync(station)
    with station.db.read() as session:
        assert not queries.operator_by_login(session, "wangwu").active
    with pytest.raises(auth.LoginFailed):
        auth.log_in(station.db, login="wangwu", password=OPERATOR_FIRST)
    assert console_hub.unexpected_errors() == ""


def test_an_administrator_works_every_page(console_hub, desktop_page) -> None:
    page = desktop_page
    _sign_in(page, console_hub, "admin")
    console_hub.cli("backup")

    page.goto(console_hub.url + "/console/admin/city")
    page.fill("#department-code", "XXJ")
    page.fill("#department-name", "信息化办公室")
    page.click("#department-form button[type=submit]")
    page.wait_for_url("**/console/admin/city?done=department")
    assert "信息化办公室" in page.inner_text("main")
    save_screenshot(page, "console-admin-city")

    page.goto(console_hub.url + "/console/admin/accounts")
    page.fill("#acc-login", "gs.clerk")
    page.fill("#acc-name", "钱工商")
    page.select_option("#acc-role", "department")
    page.select_option("#acc-department", "MZJ")
    page.fill("#acc-password", "Cedar-Field-3390")
    page.click("#account-form button[type=submit]")
    page.wait_for_url("**/console/admin/accounts?done=account")
    page.select_option("#token-department", "MZJ")
    page.click("#token-form button[type=submit]")
    assert len(page.inner_text("#issued-token .secret code").strip()) > 20
    save_screenshot(page, "console-admin-accounts")

    page.goto(console_hub.url + "/console/admin/catalog")
    save_screenshot(page, "console-admin-catalog")
    page.click("#items tr[data-code='MZ-001'] a")
    page.fill("#promised_limit_days", "40")  # longer than the legal limit: the catalog's own rule refuses
    page.click("#item-form button[type=submit]")
    assert "承诺时限 promised_limit_days（40）长于法定时限" in page.inner_text("[role=alert]")
    assert page.input_value("#promised_limit_days") == "40"  # what was typed stays on the form
    page.fill("#promised_limit_days", "15")
    page.fill("#version", "2026.12-console")
    save_screenshot(page, "console-admin-item")
    page.click("#item-form button[type=submit]")
    page.wait_for_url("**/console/admin/catalog?done=item")
    assert "2026.12-console" in page.inner_text("main")
    assert (
        console_hub.scalar("SELECT version FROM catalog_versions ORDER BY imported_at DESC LIMIT 1")
        == "2026.12-console"
    )

    page.goto(console_hub.url + "/console/admin/calendar")
    # The shipped calendar file (28 KB): more than the hub's small-form limit.
    page.set_input_files("#calendar-file", str(resources_dir() / "calendar" / "cn_working_calendar.json"))
    page.click("#year-form button[type=submit]")
    page.wait_for_url("**/console/admin/calendar?done=year")
    page.fill("#day", "2027-02-06")
    page.select_option("#day-kind", "working")
    page.fill("#day-note", "春节调休")
    page.click("#day-form button[type=submit]")
    page.wait_for_url("**/console/admin/calendar?done=day")
    assert "春节调休" in page.inner_text("#days")
    save_screenshot(page, "console-admin-calendar")

    page.goto(console_hub.url + "/console/admin/backups")
    assert ".sqlite3" in page.inner_text("#newest-backup")
    page.click("#backup-check button[type=submit]")
    page.wait_for_url("**/console/admin/backups?done=check")
    for _attempt in range(20):
        if "完整" in page.inner_text("#backup-check"):
            break
        page.wait_for_timeout(250)
        page.reload()
    assert "完整" in page.inner_text("#backup-check")
    save_screenshot(page, "console-admin-backups")
    assert console_hub.unexpected_errors() == ""


@pytest.mark.parametrize("login", ["jiancha", "mz.clerk"])
def test_the_other_roles_are_refused_the_administrators_pages(console_hub, desktop_page, login: str) -> None:
    page = desktop_page
    _sign_in(page, console_hub, login)
    assert "/console/admin/" not in page.inner_html("nav.sections")  # not offered...
    for path in (
        "/console/admin/operators",
        "/console/admin/workstations",
        "/console/admin/catalog",
        "/console/admin/backups",
    ):
        reply = page.goto(console_hub.url + path)
        assert reply.status == 403  # ...and refused when asked for
        assert "无权更改全市的基础设置" in page.inner_text("main")
    if login == "jiancha":
        save_screenshot(page, "console-admin-refused")
