"""Status inquiry, the late-case watch and case actions through the real widgets."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog

from tests.ui.helpers import accept_demo_case, fill_suspension
from windowdesk.services.worklist import get_record_detail
from windowdesk.ui.worklist.detail_dialog import RecordDetailDialog

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_scanned_case_number_is_answered_in_words(qtbot, window, demo):
    case = accept_demo_case(demo)
    qtbot.keyClick(window, Qt.Key.Key_F4)
    dialog = window.inquiry_dialog
    qtbot.keyClicks(dialog.number_edit, case.number)
    qtbot.keyClick(dialog.number_edit, Qt.Key.Key_Return)  # what a scanner sends
    assert case.number in dialog.answer.text() and "Accepted" in dialog.answer.text()
    dialog.number_edit.setText("CH-20200101-01-0042")
    qtbot.keyClick(dialog.number_edit, Qt.Key.Key_Return)
    assert "No case CH-20200101-01-0042" in dialog.answer.text()


def test_late_cases_tab_lists_an_overdue_case(qtbot, window, demo):
    long_ago = dt.datetime(2025, 1, 6, 9, tzinfo=SHANGHAI)
    case = accept_demo_case(demo, long_ago)
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentWidget() is window.late
    model = window.late.table.model()
    assert model.rowCount() == 1
    assert model.index(0, 0).data() == case.number
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Case number"
    assert model.index(0, 6).data().startswith("overdue ")  # past its date, in words (issue 22)
    assert model.index(0, 0).data(Qt.ItemDataRole.BackgroundRole).color().name() == "#fde2e1"  # red
    assert "1 overdue" in window.late.summary.text()
    assert window.late.whole_center.isVisible()  # the demo operator is a supervisor


def test_suspend_from_the_case_details(qtbot, demo, monkeypatch):
    case = accept_demo_case(demo)
    dialog = RecordDetailDialog(
        get_record_detail(demo.db, demo.ctx, kind="case", record_id=case.id), "Asia/Shanghai", db=demo.db, ctx=demo.ctx
    )
    qtbot.addWidget(dialog)
    bar = dialog.actions_bar
    assert bar.buttons["deliver"].isEnabled() is False and bar.buttons["suspend"].isEnabled()
    fill_suspension(qtbot, "materials", "缺少收入证明原件")
    bar.buttons["suspend"].click()
    bar.print_dialog.close()  # the notice to hand over
    assert "Waiting for supplementary materials" in dialog.browser.toPlainText()
    assert "缺少收入证明原件" in dialog.browser.toPlainText()
    assert bar.buttons["resume"].isEnabled() and not bar.buttons["suspend"].isEnabled()


def test_a_case_on_the_watch_opens_to_be_acted_on_and_the_watch_follows(qtbot, window, demo, monkeypatch):
    long_ago = dt.datetime(2025, 1, 6, 9, tzinfo=SHANGHAI)
    case = accept_demo_case(demo, long_ago)
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    late = window.late
    late.table.setFocus()
    late.table.setCurrentIndex(late.model.index(0, 0))
    qtbot.keyClick(late.table, Qt.Key.Key_Return)
    dialog = late.last_dialog
    assert dialog is not None and dialog.isVisible() and case.number in dialog.windowTitle()
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("申请人撤回", True))
    dialog.actions_bar.buttons["withdraw"].click()  # the applicant gave up: off the watch
    dialog.close()
    assert late.model.rowCount() == 0


def test_the_watch_is_saved_as_a_pdf_off_the_screens_thread(qtbot, window, demo, tmp_path, monkeypatch):
    import pypdf

    from windowdesk.ui.cases import late_view

    shown = []
    monkeypatch.setattr(late_view, "show_error", lambda parent, error: shown.append(error))

    long_ago = dt.datetime(2025, 1, 6, 9, tzinfo=SHANGHAI)
    case = accept_demo_case(demo, long_ago)
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    late = window.late
    target = tmp_path / "watch.pdf"
    late.save_pdf(str(target))
    assert not late.pdf_button.isEnabled()  # one at a time while it is written
    qtbot.waitUntil(lambda: late.pdf_button.isEnabled(), timeout=15_000)
    text = "".join(page.extract_text() or "" for page in pypdf.PdfReader(target).pages).replace(" ", "")
    assert case.number in text and "Window01" in text
    assert str(target) in late.summary.text()
    late.save_pdf(str(tmp_path / "no-such-folder" / "watch.pdf"))  # a folder that is not there
    qtbot.waitUntil(lambda: late.pdf_button.isEnabled(), timeout=15_000)
    assert [error.title for error in shown] == ["The file could not be saved"]


def test_a_supervisor_issues_a_new_query_code_from_the_case_details(qtbot, demo):
    from tests.fees.conftest import DEMO_SUPERVISOR
    from windowdesk.domain.query_codes import looks_like_code
    from windowdesk.ui.cases.query_code_dialog import QueryCodeDialog

    case = accept_demo_case(demo)
    details = RecordDetailDialog(
        get_record_detail(demo.db, demo.ctx, kind="case", record_id=case.id), "Asia/Shanghai", db=demo.db, ctx=demo.ctx
    )
    qtbot.addWidget(details)
    assert details.actions_bar.query_code_button.isEnabled()
    dialog = QueryCodeDialog(demo.db, demo.ctx, case_id=case.id, case_number=case.number)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.approval.login_edit, DEMO_SUPERVISOR.login)
    qtbot.keyClicks(dialog.approval.password_edit, "wrong-password")
    dialog.issue_button.click()
    assert dialog.new_code is None and dialog.error_label.text()
    qtbot.keyClicks(dialog.approval.password_edit, DEMO_SUPERVISOR.password)
    dialog.issue_button.click()
    assert dialog.new_code is not None and looks_like_code(dialog.new_code.code)
    assert dialog.new_code.code != case.query_code
