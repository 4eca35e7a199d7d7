"""Printing at once is the default (issue 22): a routine intake's receipt goes to the
default printer (the test machine's CUPS PDF queue) with the decision, no preview and no
key; the Printing menu turns it off, and the workstation keeps that choice."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.ui.helpers import open_main_window
from windowdesk.services import preferences
from windowdesk.storage import queries

DEMO_ID = "230902196210010496"  # 王建国


def _printed(db, number: str) -> bool:
    with db.read() as session:
        return any(
            e.action == "document.print" and e.detail.get("number") == number and e.detail.get("output") == "printer"
            for e in queries.audit_entries(session)
        )


def test_a_new_workstation_prints_the_receipt_with_the_decision(qtbot, window, demo):
    assert preferences.prints_at_once(demo.db) and window.print_at_once_action.isChecked()
    view = window.intake
    qtbot.keyClicks(view.item_picker.query_edit, "lnz")
    qtbot.keyClick(view.item_picker.query_edit, Qt.Key.Key_Return)
    qtbot.keyClicks(view.applicant_picker.query_edit, DEMO_ID)
    qtbot.waitUntil(lambda: view.applicant_picker.results.count() == 1)
    qtbot.keyClick(view.applicant_picker.query_edit, Qt.Key.Key_Return)
    view.all_received_button.click()
    view.accept_button.click()
    number = view.last_result.number
    qtbot.waitUntil(lambda: _printed(demo.db, number), timeout=60_000)
    assert view.print_dialog is None and view.print_job.preview is None  # straight out, no preview


def test_turning_it_off_is_kept_for_the_next_start(qtbot, window, demo):
    window.print_at_once_action.setChecked(False)
    assert not preferences.prints_at_once(demo.db)
    again = open_main_window(qtbot, demo)
    assert not again.print_at_once_action.isChecked()
    again.service_quality.close()
