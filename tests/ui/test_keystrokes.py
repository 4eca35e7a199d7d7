"""The routine intake, counted key by key on the real main window (issue 22, section 2).

Every key goes to the focused widget as a keyboard sends it; characters typed (pinyin
initials, the end of the ID number, the cash received) are counted apart from the other
keys. The workstation prints at once on its default printer (the CUPS PDF queue of the
test machine): set once in Printing → Print each document at once, never per intake.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from shiboken6 import isValid

from tests.ui.keystrokes import KeyCounter
from windowdesk.services import applicants, intake, preferences, worklist
from windowdesk.services.catalog import get_item_guide
from windowdesk.storage import queries
from windowdesk.ui.printing.jobs import wait_for_jobs

CTRL = Qt.KeyboardModifier.ControlModifier
ROUTINE_EXTRA = 4  # keys beyond the characters for the routine intake (it was 7)
MORE_FOR_NOTIFICATION_OR_CASH = 8
WANG = "230902196210010496"  # 王建国, a demo resident; no fee exemption
ZHANG = "230902194403180126"  # 张秀英


@pytest.fixture
def counter(qtbot, window, demo):
    """The main window of a workstation that prints at once, where 王建国 and 张秀英 were
    served last week (so the end of their ID number finds them)."""
    preferences.save_print_at_once(demo.db, True)
    window.print_at_once_action.setChecked(True)
    last_week = dataclasses.replace(demo.ctx, clock=lambda: demo.ctx.now() - dt.timedelta(days=6))
    for number in (WANG, ZHANG):
        who = applicants.find_residents(demo.db, demo.ctx, query=number)[0].ref
        guide = get_item_guide(demo.db, item_code="LB-003")
        intake.accept_case(
            demo.db,
            last_week,
            item_code="LB-003",
            applicant=who,
            checks=[intake.MaterialCheck(m.code, "received") for m in guide.materials],
            shipped_calendar=demo.calendar,
        )
    yield window
    assert wait_for_jobs(30_000)


def _printed(db, number: str) -> bool:
    with db.read() as session:
        return any(
            e.action == "document.print" and e.detail.get("number") == number and e.detail.get("output") == "printer"
            for e in queries.audit_entries(session)
        )


def _last_record(demo, kind: str):
    return [e for e in worklist.list_day_work(demo.db, demo.ctx) if e.kind == kind][-1]


def _find_item_and_applicant(keys: KeyCounter, window, initials: str, item_name: str, id_tail: str, name: str):
    assert QApplication.focusWidget() is window.intake.item_picker.query_edit, "the window opens on the item search"
    keys.type(initials)
    assert item_name in window.intake.item_picker.results.currentItem().text()
    keys.press(Qt.Key.Key_Return)
    assert window.intake.guide is not None and item_name in window.intake.guide.name
    keys.type(id_tail)
    keys.press(Qt.Key.Key_Return)
    assert window.intake.applicant_picker.chosen.name == name


def test_routine_intake_takes_four_keys_beyond_the_characters(qtbot, counter, demo):
    keys = KeyCounter(qtbot)
    _find_item_and_applicant(keys, counter, "sydj", "失业登记", "0496", "王建国")
    keys.press(Qt.Key.Key_M, CTRL)  # every material received
    keys.press(Qt.Key.Key_Return, CTRL)  # accept; the receipt prints by itself
    case = _last_record(demo, "case")
    qtbot.waitUntil(lambda: _printed(demo.db, case.number), timeout=30_000)
    print(keys.summary())
    assert keys.characters == 8
    assert keys.extra <= ROUTINE_EXTRA, keys.summary()


def test_two_missing_materials_take_at_most_eight_keys_more(qtbot, counter, demo):
    keys = KeyCounter(qtbot)
    _find_item_and_applicant(keys, counter, "lsjz", "临时救助", "0126", "张秀英")
    materials = counter.intake.materials
    assert QApplication.focusWidget() is materials.status_box(0), "the first material's status has the focus"
    keys.press(Qt.Key.Key_Down)  # the first one is here: on to the second
    assert QApplication.focusWidget() is materials.status_box(1)
    assert materials.status_box(0).currentData() is None, "moving never changes a status"
    keys.press(Qt.Key.Key_2)  # missing, and on to the next
    keys.press(Qt.Key.Key_2)
    keys.press(Qt.Key.Key_M, CTRL)  # the rest received
    keys.press(Qt.Key.Key_N, CTRL)  # the one-time notification; its slip prints by itself
    notification = _last_record(demo, "notification")
    qtbot.waitUntil(lambda: _printed(demo.db, notification.number), timeout=30_000)
    detail = worklist.get_record_detail(demo.db, demo.ctx, kind="notification", record_id=notification.id)
    assert [line[1] for line in detail.lines] == ["Missing", "Missing"]
    print(keys.summary())
    assert keys.extra - ROUTINE_EXTRA <= MORE_FOR_NOTIFICATION_OR_CASH, keys.summary()


def test_a_paid_item_with_cash_and_change_takes_at_most_eight_keys_more(qtbot, counter, demo):
    keys = KeyCounter(qtbot)
    _find_item_and_applicant(keys, counter, "lnz", "老年证", "0496", "王建国")
    keys.press(Qt.Key.Key_M, CTRL)
    keys.press(Qt.Key.Key_Return, CTRL)
    case = _last_record(demo, "case")
    qtbot.waitUntil(lambda: _printed(demo.db, case.number), timeout=30_000)
    keys.press(Qt.Key.Key_F8)  # collect the fee (¥5.00)
    dialog = counter.fees.payment_dialog
    assert QApplication.focusWidget() is dialog.tender_box.tendered_edit, "the cash field has the focus"
    keys.press(Qt.Key.Key_1, name="1")  # ¥10 received: cash typed, counted as keys of the payment
    keys.press(Qt.Key.Key_0, name="0")
    assert dialog.tender_box.change_label.text() == "¥5.00"
    keys.press(Qt.Key.Key_Return)  # collect; the receipt prints by itself
    receipt = dialog.payment
    assert receipt is not None
    qtbot.waitUntil(lambda: _printed(demo.db, receipt.number), timeout=30_000)
    print(keys.summary())
    routine_chars = len("lnz") + len("0496")
    assert keys.total - routine_chars - ROUTINE_EXTRA <= MORE_FOR_NOTIFICATION_OR_CASH, keys.summary()


def test_printing_from_the_preview_takes_two_keys(qtbot, window, demo):
    """Without "print at once": Ctrl+P opens the preview, Enter prints on the default
    printer and closes it (it took Ctrl+P, Alt+D and Escape)."""
    preferences.save_print_at_once(demo.db, False)
    window.print_at_once_action.setChecked(False)
    keys = KeyCounter(qtbot)
    result = _accept_through_the_service(demo)
    window.intake._remember_for_print(result)
    keys.press(Qt.Key.Key_P, CTRL)
    preview = window.intake.print_dialog
    qtbot.waitUntil(lambda: preview.pdf is not None and preview.default_button.isEnabled(), timeout=30_000)
    keys.press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: _printed(demo.db, result.number), timeout=30_000)
    qtbot.waitUntil(lambda: not isValid(preview) or not preview.isVisible(), timeout=5000)
    assert keys.total == 2


def _accept_through_the_service(demo):
    who = applicants.find_residents(demo.db, demo.ctx, query=WANG)[0].ref
    guide = get_item_guide(demo.db, item_code="LB-002")
    return intake.accept_case(
        demo.db,
        demo.ctx,
        item_code="LB-002",
        applicant=who,
        checks=[intake.MaterialCheck(m.code, "received") for m in guide.materials],
        shipped_calendar=demo.calendar,
    )


def test_arrows_in_the_item_search_move_the_highlight(qtbot, window):
    keys = KeyCounter(qtbot)
    keys.type("dj")
    results = window.intake.item_picker.results
    assert results.count() >= 2 and results.currentRow() == 0
    keys.press(Qt.Key.Key_Down)
    assert results.currentRow() == 1
    assert QApplication.focusWidget() is window.intake.item_picker.query_edit
    second = results.currentItem().data(Qt.ItemDataRole.UserRole)
    keys.press(Qt.Key.Key_Return)
    assert window.intake.guide.code == second


def test_the_end_of_the_id_number_finds_recent_applicants_only(demo):
    """Four to six digits find residents served or registered in the last 30 days, by
    the end of the ID number; the others are found by the whole number as before."""
    later = dataclasses.replace(demo.ctx, clock=lambda: demo.ctx.now() + dt.timedelta(days=40))
    assert [s.name for s in applicants.find_residents(demo.db, demo.ctx, query="0496")] == ["王建国"], (
        "registered today"
    )
    assert applicants.find_residents(demo.db, later, query="0496") == [], "40 days later, not served since"
    who = applicants.find_residents(demo.db, later, query=WANG)[0].ref
    guide = get_item_guide(demo.db, item_code="LB-002")
    intake.accept_case(
        demo.db,
        later,
        item_code="LB-002",
        applicant=who,
        checks=[intake.MaterialCheck(m.code, "received") for m in guide.materials],
        shipped_calendar=demo.calendar,
    )
    assert [s.name for s in applicants.find_residents(demo.db, later, query="0496")] == ["王建国"]
    assert [s.name for s in applicants.find_residents(demo.db, later, query="10496")] == ["王建国"]
    assert [s.name for s in applicants.find_residents(demo.db, later, query="078x")] == []
    # Four digits still find by the start of the number too, after the recent ones.
    assert len(applicants.find_residents(demo.db, later, query="2309")) > 1
