"""容缺受理 through the real widgets, offscreen, on a real SQLite file: accepting with
materials to follow from the intake screen and printing its papers, then the case watch
listing them, recording an arrival and applying the catalog's rule in one step."""

from __future__ import annotations

import dataclasses
import datetime as dt
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication

from tests.ui.every_window import SCREENS, client_room
from tests.ui.test_intake_window import _choose_item
from windowdesk.domain.deferral import DeferralTerms
from windowdesk.printing.data import DeferralCommitmentData, DeferralRefusalNoticeData, DeferredAcceptanceNoticeData
from windowdesk.services import applicants, deferrals, intake, worklist
from windowdesk.services.catalog import get_item_guide

DEMO_ID = "230902196210010496"  # 王建国
WAIT_MS = 5000
SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_an_item_that_allows_no_deferral_does_not_offer_it(qtbot, window):
    _choose_item(qtbot, window, "lnz", "老年证")
    assert window.intake.deferral_box.isHidden()


def test_a_case_accepted_with_materials_to_follow_prints_its_notice_and_commitment(qtbot, window, demo):
    view = window.intake
    _choose_item(qtbot, window, "医疗救助", "城市医疗救助")
    assert not view.deferral_box.isHidden()
    view.applicant_picker.query_edit.setFocus()
    qtbot.keyClicks(view.applicant_picker.query_edit, DEMO_ID)
    qtbot.keyClick(view.applicant_picker.query_edit, Qt.Key.Key_Return)
    view.materials.mark_all_received()
    view.materials.mark(4, "missing")  # M05 医保报销结算单: deferrable

    qtbot.keyClick(view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # not ticked: refused
    assert "one-time notification" in view.result_label.text()

    view.deferral_box.defer_check.setChecked(True)
    due = demo.ctx.local_today() + dt.timedelta(days=3)
    view.deferral_box.commitment_date.setDate(QDate(due.year, due.month, due.day))
    qtbot.keyClick(view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert "Accepted" in view.result_label.text()
    [entry] = worklist.list_day_work(demo.db, demo.ctx)
    assert [row.due_date for row in deferrals.materials_to_follow(demo.db, demo.ctx)] == [due]
    assert view.deferral_box.isHidden()  # the form is ready for the next applicant

    view.print_last_document()
    qtbot.waitUntil(lambda: view.print_dialog is not None and view.print_dialog.isVisible(), timeout=WAIT_MS)
    assert isinstance(view.print_dialog.request.data, DeferredAcceptanceNoticeData)
    view.print_dialog.close()
    assert view.commitment_action.isEnabled() and not view.attorney_action.isEnabled()
    view.commitment_action.trigger()
    qtbot.waitUntil(lambda: view.print_dialog is not None and view.print_dialog.isVisible(), timeout=WAIT_MS)
    assert isinstance(view.print_dialog.request.data, DeferralCommitmentData)
    assert view.print_dialog.request.number == entry.number
    view.print_dialog.close()


def _overdue_case(demo, item: str = "FC-001", code: str = "M05") -> intake.IntakeResult:
    """Accepted a week ago with one material to follow by the next day."""
    week_ago = dt.datetime.combine(demo.ctx.local_today() - dt.timedelta(days=7), dt.time(10), tzinfo=SHANGHAI)
    ctx = dataclasses.replace(demo.ctx, clock=lambda: week_ago)
    who = applicants.find_residents(demo.db, demo.ctx, query=DEMO_ID)[0].ref
    checks = [
        intake.MaterialCheck(mat.code, intake.MISSING if mat.code == code else intake.RECEIVED)
        for mat in get_item_guide(demo.db, item_code=item).materials
    ]
    return intake.accept_case(
        demo.db,
        ctx,
        item_code=item,
        applicant=who,
        checks=checks,
        shipped_calendar=demo.calendar,
        deferral=DeferralTerms(week_ago.date() + dt.timedelta(days=1)),
    )


def test_the_watch_lists_what_follows_and_applies_the_refusing_rule_in_one_step(qtbot, window, demo):
    case = _overdue_case(demo)
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    panel = window.late.to_follow
    window.late.refresh()
    assert not panel.isHidden() and panel.table.rowCount() == 1
    assert panel.table.item(0, 0).text() == case.number and "overdue" in panel.table.item(0, 4).text()
    assert not panel.rule_button.isEnabled()  # nothing chosen yet
    panel.table.selectRow(0)
    assert panel.rule_button.isEnabled()

    panel.rule_button.click()

    qtbot.waitUntil(lambda: panel.print_dialog is not None and panel.print_dialog.isVisible(), timeout=WAIT_MS)
    notice = panel.print_dialog.request.data
    assert isinstance(notice, DeferralRefusalNoticeData) and "第二十二条" in notice.legal_basis
    panel.print_dialog.close()
    assert panel.isHidden()  # decided: nothing awaited any more


def test_the_watch_records_an_arrival(qtbot, window, demo):
    _overdue_case(demo, item="MZ-002")
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)  # the watch reads as it shows
    panel = window.late.to_follow
    panel.table.selectRow(0)
    panel.arrived_button.click()
    assert panel.isHidden() and deferrals.materials_to_follow(demo.db, demo.ctx) == []


def test_at_1280x720_the_watch_with_materials_to_follow_still_fits(qtbot, window, demo):
    _overdue_case(demo)
    window.resize(*client_room(SCREENS["1280x720"]))
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    window.late.refresh()
    QApplication.processEvents()
    room = window.rect()
    for widget in (window.late.to_follow.rule_button, window.statusBar()):
        where = widget.rect().translated(widget.mapTo(window, widget.rect().topLeft()))
        assert room.contains(where), f"{widget.objectName()} is cut off at {where}"
