"""The hall queues' page in the console, in a real browser: a day a real window carried
from a real hall service, read by a supervisor per business and window and downloaded as
CSV; department staff neither see it in the menu nor open it."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io

import pytest

from tests.hall.hall_process import HallProcess, yesterdays_tickets
from tests.sync.hub_process import HubProcess, create_station
from tests.web.browser import FIRST_PASSWORD as PASSWORD
from tests.web.browser import first_sign_in, save_screenshot
from windowdesk.services.queue_settings import HallConnection


@pytest.fixture(scope="module")
def queue_hub(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("queue-hub")
    hub = HubProcess(folder / "hub")
    hub.import_catalog()
    for login, role, department in (("sup", "supervisor", None), ("mz", "department", "MZJ")):
        extra = ["--department", department] if department else []
        hub.cli("create-console-user", login, "--name", login, "--role", role, "--password", PASSWORD, *extra)
    hub.start()
    hall = HallProcess(folder / "hall")
    station = create_station(folder / "ws", "CH", "01")
    try:
        tokens = hall.setup_center(windows=2, businesses="A")
        day = yesterdays_tickets(hall)
        hall.start()
        station.enroll(hub.url, hub.enrollment_code("CH", "01"))
        with contextlib.closing(station.hub_client()) as client:
            assert station.runner(client, hall=HallConnection(hall.url, tokens["01"])).run().ok
        yield hub, day
    finally:
        station.close()
        hall.stop()
        hub.stop()


def test_a_supervisor_reads_a_centers_queue_day_and_downloads_it(queue_hub, desktop_page) -> None:
    hub, day = queue_hub
    page = desktop_page
    first_sign_in(page, hub.url, "sup")
    page.click("nav.sections >> text=排队叫号")
    page.wait_for_url("**/console/hall-queues")
    start = (dt.date.fromisoformat(day) - dt.timedelta(days=2)).isoformat()
    page.fill("#start", start)
    page.fill("#end", day)
    page.select_option("#center", "CH")
    page.click("form.filters button[type=submit]")
    rows = page.locator("#queue-table tbody tr")
    assert rows.count() == 4  # the whole center, business A, windows 01 and 02
    total = [cell.strip() for cell in rows.nth(0).locator("td").all_inner_texts()]
    assert total[:6] == ["CH", day, "全中心", "3", "3", "2"]  # issued, called, served
    assert [rows.nth(i).locator("td").nth(2).inner_text() for i in (1, 2, 3)] == ["业务 A", "窗口 01", "窗口 02"]
    assert "等候中位数（秒）" in page.inner_text("#queue-table thead")
    save_screenshot(page, "console-queue")

    with page.expect_download() as download:
        page.click("#download-csv")
    text = download.value.path().read_text(encoding="utf-8-sig")
    lines = list(csv.reader(io.StringIO(text)))
    assert lines[0][:5] == ["CENTER", "DAY", "SCOPE", "KEY", "ISSUED"]
    assert [line[:5] for line in lines[1:]] == [
        ["CH", day, "total", "", "3"],
        ["CH", day, "business", "A", "3"],
        ["CH", day, "window", "01", "2"],
        ["CH", day, "window", "02", "1"],
    ]
    assert hub.unexpected_errors() == ""


def test_department_staff_do_not_get_the_queue_page(queue_hub, desktop_page) -> None:
    hub, _day = queue_hub
    page = desktop_page
    first_sign_in(page, hub.url, "mz")
    assert page.locator("nav.sections >> text=排队叫号").count() == 0
    response = page.goto(hub.url + "/console/hall-queues")
    assert response.status == 403
    assert page.locator("#queue-table").count() == 0
