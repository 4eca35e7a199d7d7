"""Signing in to the console in a real browser, against a real hub process."""

from __future__ import annotations

import pytest

from tests.sync.hub_process import HubProcess
from tests.web.browser import save_screenshot

FIRST = "Harbour-Lamp-4821"
OWN = "Maple-Crown-7715"


@pytest.fixture(scope="module")
def console_hub(tmp_path_factory: pytest.TempPathFactory):
    hub = HubProcess(tmp_path_factory.mktemp("console-hub"))
    hub.import_catalog()
    hub.cli("create-console-user", "admin", "--name", "王管理", "--role", "administrator", "--password", FIRST)
    hub.start()
    try:
        yield hub
    finally:
        hub.stop()


def test_an_administrator_signs_in_chooses_a_password_and_signs_out(console_hub, desktop_page) -> None:
    page = desktop_page
    page.goto(console_hub.url + "/console/")
    assert page.url.startswith(console_hub.url + "/console/login")  # sent to the sign-in page
    save_screenshot(page, "console-login")
    page.fill("#login", "admin")
    page.fill("#password", "not-the-password-1")
    page.click("button[type=submit]")
    assert "登录名或密码不正确" in page.inner_text("[role=alert]")
    page.fill("#password", FIRST)
    page.click("button[type=submit]")
    page.wait_for_url("**/console/password")
    page.fill("#current", FIRST)
    page.fill("#new", OWN)
    page.fill("#again", OWN)
    page.click("form[action='/console/password'] button[type=submit]")
    page.wait_for_url("**/console/?changed=password")
    assert "王管理" in page.inner_text("header")
    save_screenshot(page, "console-start")
    page.click("header button[type=submit]")  # sign out
    page.wait_for_url("**/console/login")
    page.goto(console_hub.url + "/console/")
    assert "/console/login" in page.url


def test_a_form_posted_from_elsewhere_is_refused(console_hub, desktop_page) -> None:
    page = desktop_page
    page.set_content(
        f'<form method="post" action="{console_hub.url}/console/login">'
        '<input name="login" value="admin"><input name="password" value="x"><button>go</button></form>'
    )
    page.click("button")
    page.wait_for_load_state()
    assert "刷新页面" in page.inner_text("body")
    assert console_hub.unexpected_errors() == ""
