"""A real headless Chromium for the tests of the hub's web pages (console, public pages).

Playwright's Python client drives Debian's ``chromium`` (``/usr/bin/chromium``, installed
by ``installer/install.sh --dev``); Playwright never downloads a browser of its own here.
The flags keep Chromium from reaching for Google's services, which a closed network refuses.

Screenshots go to ``test-artifacts/screenshots/`` (kept by CI as the test run's artifacts).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOT_DIR = REPO_ROOT / "test-artifacts" / "screenshots"
DESKTOP_VIEWPORT = {"width": 1366, "height": 768}
PHONE_VIEWPORT = {"width": 390, "height": 844}
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
]


def chromium_path() -> str:
    found = os.environ.get("WINDOWDESK_TEST_CHROMIUM") or shutil.which("chromium")
    if found:
        return found
    if os.environ.get("CI"):
        pytest.fail("CI must provide Chromium: run `bash installer/install.sh --dev`.")
    pytest.skip("no Chromium on this machine (install Debian's `chromium` package)")


@pytest.fixture(scope="session")
def chromium() -> Iterator[object]:
    """One browser process for the whole run; each test gets its own context (cookies)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_FLAGS)
        try:
            yield browser
        finally:
            browser.close()


def new_page(chromium: object, *, viewport: dict[str, int] | None = None, locale: str = "zh-CN"):
    """A fresh context (no cookies shared with other tests) and its page."""
    context = chromium.new_context(  # type: ignore[attr-defined]
        viewport=viewport or DESKTOP_VIEWPORT, locale=locale
    )
    context.set_default_timeout(15_000)
    return context.new_page()


@pytest.fixture
def desktop_page(chromium: object) -> Iterator[object]:
    page = new_page(chromium, viewport=DESKTOP_VIEWPORT)
    try:
        yield page
    finally:
        page.context.close()


@pytest.fixture
def phone_page(chromium: object) -> Iterator[object]:
    page = new_page(chromium, viewport=PHONE_VIEWPORT)
    try:
        yield page
    finally:
        page.context.close()


def save_screenshot(page: object, name: str) -> Path:
    """Keeps a full-page screenshot as a test artifact and returns its path."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)  # type: ignore[attr-defined]
    return path


FIRST_PASSWORD = "Harbour-Lamp-4821"  # what create-console-user is given in the tests
OWN_PASSWORD = "Maple-Crown-7715"  # what the account's holder then chooses


def first_sign_in(page: object, hub_url: str, login: str) -> None:
    """A console account's first sign-in: its first password, then its own chosen."""
    page.goto(hub_url + "/console/login")  # type: ignore[attr-defined]
    page.fill("#login", login)  # type: ignore[attr-defined]
    page.fill("#password", FIRST_PASSWORD)  # type: ignore[attr-defined]
    page.click("button[type=submit]")  # type: ignore[attr-defined]
    page.wait_for_url("**/console/password")  # type: ignore[attr-defined]
    page.fill("#current", FIRST_PASSWORD)  # type: ignore[attr-defined]
    page.fill("#new", OWN_PASSWORD)  # type: ignore[attr-defined]
    page.fill("#again", OWN_PASSWORD)  # type: ignore[attr-defined]
    page.click("form[action='/console/password'] button[type=submit]")  # type: ignore[attr-defined]
    page.wait_for_url("**/console/?changed=password")  # type: ignore[attr-defined]
