"""The queue panel of the main window against a real ``windowdesk-hall`` process."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tests.hall.hall_process import HallProcess
from tests.ui.helpers import open_main_window, type_text
from windowdesk.services import applicants, queue, queue_settings
from windowdesk.sync.hall_client import HallClient

WAIT_MS = 10_000


@pytest.fixture
def hall(tmp_path):
    process = HallProcess(tmp_path / "hall")
    process.cli("business", "A", "民政")
    process.cli("business", "B", "户籍")
    process.cli("window", "01", "--businesses", "A")  # the demo workstation is window 01
    process.cli("window", "02", "--businesses", "B")
    process.start()
    yield process
    process.stop()


def _connected_window(qtbot, demo, hall):
    token = hall.token("window", "01")
    queue_settings.connect_to_hall(demo.db, url=hall.url, token=token, check=queue.window_state)
    window = open_main_window(qtbot, demo)
    qtbot.waitUntil(lambda: window.queue.reachable is True, timeout=WAIT_MS)
    return window


def _kiosk(hall) -> HallClient:
    return HallClient(hall.url, hall.token("kiosk"))


def _demo_resident(demo):
    summary = applicants.find_residents(demo.db, demo.ctx, query="2309")[0]
    return summary, applicants.reveal_id_number(demo.db, demo.ctx, applicant=summary.ref)


def test_calling_by_key_fills_the_intake_and_the_accepted_case_links_to_the_ticket(qtbot, demo, hall) -> None:
    summary, id_number = _demo_resident(demo)
    kiosk = _kiosk(hall)
    kiosk.issue(business="A", resident={"name": summary.name, "id_number": id_number})
    window = _connected_window(qtbot, demo, hall)
    try:
        qtbot.keyClick(window, Qt.Key.Key_F11)  # call next
        qtbot.waitUntil(lambda: "A001" in window.queue.panel.ticket_label.text(), timeout=WAIT_MS)
        assert "A001 called" in window.queue.status_label.text()
        assert window.intake.applicant_picker.chosen.ref == summary.ref

        view = window.intake
        view.item_picker.query_edit.setFocus()
        type_text(qtbot, view.item_picker.query_edit, "lnz")
        qtbot.keyClick(view.item_picker.query_edit, Qt.Key.Key_Return)
        qtbot.keyClick(view, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
        qtbot.keyClick(view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        assert "Accepted" in view.result_label.text()
        qtbot.waitUntil(lambda: not window.queue.pending_links and not window.queue.busy, timeout=WAIT_MS)
        ticket = next(t for t in hall.tickets() if t["number"] == "A001")
        assert ticket["case_id"] and ticket["state"] == "called" and ticket["window_code"] == "01"

        qtbot.keyClick(window, Qt.Key.Key_F12, Qt.KeyboardModifier.ShiftModifier)  # finish
        qtbot.waitUntil(
            lambda: next(t for t in hall.tickets() if t["number"] == "A001")["state"] == "done", timeout=WAIT_MS
        )
    finally:
        kiosk.close()


def test_recall_no_show_and_transfer_by_keyboard(qtbot, demo, hall) -> None:
    kiosk = _kiosk(hall)
    kiosk.issue(business="A")
    kiosk.issue(business="A")
    window = _connected_window(qtbot, demo, hall)
    try:
        qtbot.keyClick(window, Qt.Key.Key_F11)
        qtbot.waitUntil(lambda: "A001 called" in window.queue.panel.ticket_label.text(), timeout=WAIT_MS)
        qtbot.keyClick(window, Qt.Key.Key_F11, Qt.KeyboardModifier.ShiftModifier)  # recall
        qtbot.waitUntil(lambda: next(t for t in hall.tickets() if t["number"] == "A001")["calls"] == 2, timeout=WAIT_MS)
        qtbot.waitUntil(lambda: not window.queue.busy, timeout=WAIT_MS)
        qtbot.keyClick(window, Qt.Key.Key_F12)  # no-show
        qtbot.waitUntil(lambda: "No ticket" in window.queue.panel.ticket_label.text(), timeout=WAIT_MS)
        assert next(t for t in hall.tickets() if t["number"] == "A001")["state"] == "no_show"

        qtbot.keyClick(window, Qt.Key.Key_F11)
        qtbot.waitUntil(lambda: "A002 called" in window.queue.panel.ticket_label.text(), timeout=WAIT_MS)
        qtbot.keyClick(window, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
        qtbot.waitUntil(lambda: window.queue.dialog is not None and window.queue.dialog.isVisible(), timeout=WAIT_MS)
        choices = window.queue.dialog.choices
        row = next(i for i in range(choices.count()) if choices.item(i).text().startswith("Business B"))
        choices.setCurrentRow(row)
        qtbot.keyClick(choices, Qt.Key.Key_Return)
        qtbot.waitUntil(
            lambda: next(t for t in hall.tickets() if t["number"] == "A002")["state"] == "transferred", timeout=WAIT_MS
        )
        assert next(t for t in hall.tickets() if t["number"] == "A002")["business"] == "B"
    finally:
        kiosk.close()


def test_pause_and_walk_in(qtbot, demo, hall) -> None:
    window = _connected_window(qtbot, demo, hall)
    modifiers = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(window, Qt.Key.Key_P, modifiers)
    qtbot.waitUntil(lambda: "Paused" in window.queue.panel.waiting_label.text(), timeout=WAIT_MS)
    qtbot.keyClick(window, Qt.Key.Key_F11)
    qtbot.waitUntil(lambda: "paused" in window.statusBar().currentMessage(), timeout=WAIT_MS)
    qtbot.keyClick(window, Qt.Key.Key_P, modifiers)
    qtbot.waitUntil(lambda: "Paused" not in window.queue.panel.waiting_label.text(), timeout=WAIT_MS)
    qtbot.keyClick(window, Qt.Key.Key_W, modifiers)  # the window serves one business: no question
    qtbot.waitUntil(lambda: "A001 serving" in window.queue.panel.ticket_label.text(), timeout=WAIT_MS)


def test_a_window_whose_hall_service_is_down_keeps_working_and_says_so(qtbot, demo, hall) -> None:
    window = _connected_window(qtbot, demo, hall)
    hall.kill()
    qtbot.keyClick(window, Qt.Key.Key_F11)
    qtbot.waitUntil(lambda: window.queue.reachable is False, timeout=WAIT_MS)
    assert "Queue unreachable" in window.queue.status_label.text()
    assert "without the queue" in window.statusBar().currentMessage()
    assert window.intake.isEnabled() and window.intake.item_picker.query_edit.isEnabled()
    hall.start()  # back on another port: the window is told the new address
    queue_settings.connect_to_hall(demo.db, url=hall.url, token=window.queue.connection.token, check=queue.window_state)
    window.queue.connection = queue_settings.hall_connection(demo.db)
    window.queue.refresh()
    qtbot.waitUntil(lambda: window.queue.reachable is True, timeout=WAIT_MS)
    assert "Queue: online" in window.queue.status_label.text()


def test_a_window_never_connected_says_the_queue_is_not_set_up(qtbot, demo) -> None:
    window = open_main_window(qtbot, demo)
    assert "not set up" in window.queue.status_label.text()
    qtbot.keyClick(window, Qt.Key.Key_F11)
    assert "not connected" in window.statusBar().currentMessage()


def test_the_supervisor_sees_the_queues_figures_in_their_tab(qtbot, demo, hall) -> None:
    kiosk = _kiosk(hall)
    for business in "AAB":
        kiosk.issue(business=business)
    kiosk.close()
    window = _connected_window(qtbot, demo, hall)
    qtbot.keyClick(window, Qt.Key.Key_F11)
    qtbot.waitUntil(lambda: "A001 called" in window.queue.panel.ticket_label.text(), timeout=WAIT_MS)
    qtbot.keyClick(window, Qt.Key.Key_7, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentWidget() is window.queue.figures
    view = window.queue.figures
    qtbot.waitUntil(lambda: "Waiting now: A 1, B 1" in view.now_label.text(), timeout=WAIT_MS)
    assert "3 tickets, 0 served, 0 no-shows" in view.day_label.text()
    qtbot.keyClick(window, Qt.Key.Key_F12, Qt.KeyboardModifier.ShiftModifier)  # finish A001
    qtbot.waitUntil(lambda: not window.queue.busy, timeout=WAIT_MS)
    view.refresh_button.click()
    qtbot.waitUntil(lambda: view.by_window.rowCount() == 1, timeout=WAIT_MS)
    assert [view.by_window.item(0, c).text() for c in range(2)] == ["01", "1"]


def test_a_link_made_while_the_hall_is_down_survives_a_restart_of_the_window(qtbot, demo, hall) -> None:
    summary, id_number = _demo_resident(demo)
    kiosk = _kiosk(hall)
    kiosk.issue(business="A", resident={"name": summary.name, "id_number": id_number})
    kiosk.close()
    window = _connected_window(qtbot, demo, hall)
    qtbot.keyClick(window, Qt.Key.Key_F11)  # call next
    qtbot.waitUntil(lambda: "A001" in window.queue.panel.ticket_label.text(), timeout=WAIT_MS)
    port = hall.port
    hall.stop()  # the hall's computer goes down while the case is accepted
    view = window.intake
    view.item_picker.query_edit.setFocus()
    type_text(qtbot, view.item_picker.query_edit, "lnz")
    qtbot.keyClick(view.item_picker.query_edit, Qt.Key.Key_Return)
    qtbot.keyClick(view, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert "Accepted" in view.result_label.text()
    qtbot.waitUntil(lambda: not window.queue.busy, timeout=WAIT_MS)
    [(ticket_id, case_id)] = queue.pending_links(demo.db)
    window.close()  # the window is closed before the hall comes back: nothing is lost

    hall.start(port=port)
    window = _connected_window(qtbot, demo, hall)
    qtbot.waitUntil(lambda: not queue.pending_links(demo.db) and not window.queue.busy, timeout=WAIT_MS)
    ticket = next(t for t in hall.tickets() if t["id"] == ticket_id)
    assert ticket["case_id"] == case_id
