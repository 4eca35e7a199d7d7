"""The performance report in the console, in a real browser, from work a real window synced."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader

from tests.sync.hub_process import HubProcess, create_station, make_offline_work
from tests.web.browser import FIRST_PASSWORD as PASSWORD
from tests.web.browser import first_sign_in, save_screenshot


@pytest.fixture(scope="module")
def synced_hub(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("reports-hub")
    hub = HubProcess(folder / "hub")
    hub.import_catalog()
    for login, role, department in (("sup", "supervisor", None), ("mz", "department", "MZJ")):
        extra = ["--department", department] if department else []
        hub.cli("create-console-user", login, "--name", login, "--role", role, "--password", PASSWORD, *extra)
    hub.start()
    station = create_station(folder / "ws", "CH", "01")
    try:
        station.enroll(hub.url, hub.enrollment_code("CH", "01"))
        done = make_offline_work(station, 30, seed=7)
        with contextlib.closing(station.hub_client()) as client:
            station.runner(client).run()
        assert not station.outbox()
        yield hub, done
    finally:
        station.close()
        hub.stop()


def test_a_supervisor_reads_charts_and_downloads_the_same_figures(synced_hub, desktop_page) -> None:
    hub, done = synced_hub
    page = desktop_page
    first_sign_in(page, hub.url, "sup")
    page.click("nav.sections >> text=绩效报表")
    today = dt.datetime.now(ZoneInfo("Asia/Shanghai")).date()
    page.fill("#start", (today - dt.timedelta(days=1)).isoformat())
    page.fill("#end", (today + dt.timedelta(days=1)).isoformat())
    page.click("form.filters button[type=submit]")
    total = page.locator("#report-table tr.total td")
    assert total.nth(1).inner_text() == str(done.cases)  # accepted, as the window accepted them
    assert page.locator("svg.chart").count() == 2
    save_screenshot(page, "console-reports")

    with page.expect_download() as csv_download:
        page.click("#download-csv")
    with open(csv_download.value.path(), encoding="utf-8-sig") as handle:
        rows = list(csv.reader(io.StringIO(handle.read())))
    assert rows[0][:2] == ["CENTER", "ACCEPTED"] and rows[-1][:2] == ["TOTAL", str(done.cases)]

    with page.expect_download() as pdf_download:
        page.click("#download-pdf")
    text = "".join(p.extract_text() for p in PdfReader(pdf_download.value.path()).pages)
    assert "合计" in text and str(done.cases) in text


def test_department_staff_see_their_department_and_cannot_ask_for_another(synced_hub, desktop_page) -> None:
    hub, _done = synced_hub
    page = desktop_page
    first_sign_in(page, hub.url, "mz")
    assert page.locator("#department").count() == 0  # no choice of department
    page.goto(hub.url + "/console/reports?by=department&department=LBJ")
    assert "其他部门" in page.inner_text("main")
    assert hub.unexpected_errors() == ""
