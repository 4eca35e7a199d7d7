"""The status bar and the sync window against a real hub process: online, unsent
changes, last sync; offline when the hub goes away; work goes on meanwhile."""

from __future__ import annotations

import pytest

from tests.sync.hub_process import serving_hub
from tests.ui.helpers import open_main_window
from windowdesk.services import applicants, intake
from windowdesk.services import sync as sync_service
from windowdesk.services.catalog import get_item_guide
from windowdesk.sync.client import HubClient
from windowdesk.sync.credentials import TokenStore


@pytest.fixture
def hub(tmp_path):
    with serving_hub(tmp_path / "hub") as hub:
        yield hub


def _accept_one(demo) -> None:
    who = applicants.find_residents(demo.db, demo.ctx, query="2309")[0].ref
    guide = get_item_guide(demo.db, item_code="LL-001")
    intake.accept_case(demo.db, demo.ctx, item_code="LL-001", applicant=who,
                       checks=[intake.MaterialCheck(m.code, "received") for m in guide.materials],
                       shipped_calendar=demo.calendar)


def test_status_bar_follows_the_hub(qtbot, demo, hub):
    client = HubClient(hub.url)
    try:
        sync_service.enroll_workstation(demo.db, hub_url=hub.url, code=hub.enrollment_code("CH", "01"),
                                        client=client, token_store_for=TokenStore)
    finally:
        client.close()
    window = open_main_window(qtbot, demo)
    assert "Unsent:" in window.unsent_label.text() and "Last sync: never" in window.last_sync_label.text()

    with qtbot.waitSignal(window.sync.finished, timeout=30_000) as finished:
        window.sync.check()  # the hub answers: a background sync starts by itself
    assert finished.args[0].ok, finished.args[0].error
    assert window.network_label.text() == "Online"
    assert window.unsent_label.text() == "Unsent: 0"
    assert "never" not in window.last_sync_label.text()

    window.open_sync_window()
    dialog = window.sync_dialog
    assert "applied" in dialog.log.toPlainText() and dialog.rejected_table.rowCount() == 0

    hub.kill()
    _accept_one(demo)  # the counter keeps working while the hub is gone
    window.sync.check()
    qtbot.waitUntil(lambda: window.network_label.text() == "Offline", timeout=15_000)
    window.sync.refresh_status()
    assert window.unsent_label.text() not in ("Unsent: 0", "")
    dialog.close()
