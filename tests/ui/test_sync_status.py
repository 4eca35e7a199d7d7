"""The status bar and the sync window against a real hub process: online, unsent
changes, last sync; offline when the hub goes away; work goes on meanwhile."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tests.administrators import administrator_of, leave_the_demo_password
from tests.sync.hub_process import HubProcess, catalog_without, serving_hub
from tests.ui.helpers import open_main_window
from windowdesk.services import applicants, intake
from windowdesk.services import sync as sync_service
from windowdesk.services.catalog import get_item_guide
from windowdesk.services.hub_enrollment import enroll_workstation
from windowdesk.sync.client import HubClient
from windowdesk.sync.credentials import TokenStore


@pytest.fixture
def hub(tmp_path):
    with serving_hub(tmp_path / "hub") as hub:
        yield hub


def _accept_one(demo) -> None:
    who = applicants.find_residents(demo.db, demo.ctx, query="2309")[0].ref
    guide = get_item_guide(demo.db, item_code="LL-001")
    intake.accept_case(
        demo.db,
        demo.ctx,
        item_code="LL-001",
        applicant=who,
        checks=[intake.MaterialCheck(m.code, "received") for m in guide.materials],
        shipped_calendar=demo.calendar,
    )


def _enroll(demo, hub) -> None:
    leave_the_demo_password(demo.db)  # a demo folder syncs nothing with its published password
    admin_ctx, credentials = administrator_of(demo.db, demo.ctx)
    client = HubClient(hub.url)
    try:
        enroll_workstation(
            demo.db,
            admin_ctx,
            administrator=credentials,
            hub_url=hub.url,
            code=hub.enrollment_code("CH", "01"),
            client=client,
            token_store_for=TokenStore,
        )
    finally:
        client.close()


def test_status_bar_follows_the_hub(qtbot, demo, hub):
    _enroll(demo, hub)
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


def test_the_sync_window_says_how_many_changes_were_sent_again_after_a_hub_restore(qtbot, demo, hub, tmp_path):
    import re
    from pathlib import Path

    _enroll(demo, hub)
    window = open_main_window(qtbot, demo)
    with qtbot.waitSignal(window.sync.finished, timeout=30_000) as finished:
        window.sync.check()
    assert finished.args[0].ok, finished.args[0].error
    copy = Path(re.search(r"Backed up the hub to (.+) \(", hub.cli("backup", "--to", str(tmp_path))).group(1))

    _accept_one(demo)  # confirmed after the copy was taken
    with qtbot.waitSignal(window.sync.finished, timeout=30_000) as finished:
        assert window.sync.sync_now()
    assert finished.args[0].ok and finished.args[0].applied > 0
    hub.stop()
    hub.cli("restore", str(copy))
    hub.start(port=hub.port)

    with qtbot.waitSignal(window.sync.finished, timeout=30_000) as finished:
        assert window.sync.sync_now()
    report = finished.args[0]
    assert report.ok, report.error
    assert report.sent_again > 0 and report.applied > 0  # what the copy lacked is on the hub again
    window.open_sync_window()
    text = window.sync_dialog.log.toPlainText()
    assert (
        f"The hub was restored from a backup: {report.sent_again} changes it had already confirmed were sent "
        "again." in text
    ), text
    window.sync_dialog.close()


def test_a_refusal_is_told_at_once_and_the_count_turns_red(qtbot, demo, tmp_path):
    """The hub no longer publishes 老年证 (LL-001), and this window has not synced since: the
    case it accepts for it is refused at the next sync, while the applicant may still be
    at the counter."""
    hub = HubProcess(tmp_path / "hub-without-ll001")
    try:
        hub.import_catalog(catalog_without("LL-001", tmp_path / "catalog"))
        hub.start()
        _enroll(demo, hub)
        _accept_one(demo)
        window = open_main_window(qtbot, demo)
        assert window.unsent_label.styleSheet() == ""
        with qtbot.waitSignal(window.sync.finished, timeout=30_000) as finished:
            window.sync.sync_now()
        assert [kind for kind, _reason in finished.args[0].rejected] == ["case.accepted"]
        assert window.statusBar().currentMessage().startswith("The hub refused 1 change just sent.")
        assert window.unsent_label.text().endswith("(refused: 1)")
        assert "#b00020" in window.unsent_label.styleSheet()
        # The red count opens the sync window, where the refused change is listed.
        qtbot.mouseClick(window.unsent_label, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: window.sync_dialog is not None and window.sync_dialog.isVisible())
        assert window.sync_dialog.rejected_table.rowCount() == 1
        window.sync_dialog.close()
    finally:
        hub.close()


def test_the_sync_window_says_when_a_busy_hub_gives_this_window_its_turn(qtbot, demo):
    window = open_main_window(qtbot, demo)
    window.open_sync_window()
    dialog = window.sync_dialog
    window.sync.progressed.emit(sync_service.SyncProgress("push", pushed=40, to_push=120, turn_in=2.4))
    assert dialog.progress.text() == (
        "Sent 40 of 120. The hub is busy with other windows; this window's turn comes in 3 s"
    )
    window.sync.progressed.emit(sync_service.SyncProgress("push", pushed=60, to_push=120))
    assert dialog.progress.text() == "Sending 60 of 120"
    dialog.close()


def test_the_sync_window_shows_pages_waiting_and_their_progress_in_bytes(qtbot, demo, hub, tmp_path):
    from tests.sync.folder_blobs import FolderBlobs

    _enroll(demo, hub)
    window = open_main_window(qtbot, demo)
    blobs = FolderBlobs(tmp_path / "pages")
    blobs.add_random(2, 250_000)
    window.sync.blobs = blobs
    window.open_sync_window()
    dialog = window.sync_dialog
    dialog.refresh()
    assert "pages waiting: 2 (0.5 MB)" in dialog.status_label.text()
    shown: list[str] = []
    window.sync.progressed.connect(lambda p: p.phase == "pages" and shown.append(dialog.progress.text()))

    with qtbot.waitSignal(window.sync.finished, timeout=30_000) as finished:
        dialog.sync_button.click()

    assert finished.args[0].ok and finished.args[0].pages_confirmed == 2, finished.args[0].error
    assert "Sending pages: 0.5 of 0.5 MB" in shown
    assert "Pages: 2 now on the hub, 0 refused by it" in dialog.log.toPlainText()
    assert "pages waiting: 0 (0.0 MB)" in dialog.status_label.text()
    dialog.close()
