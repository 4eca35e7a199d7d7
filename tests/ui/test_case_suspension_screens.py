"""Suspending a case for a hearing through the real widgets: the kind is chosen, the
notice opens in the print preview, the timeline says why, and the hearing ends only with
its outcome."""

from __future__ import annotations

from PySide6.QtWidgets import QInputDialog

from tests.ui.helpers import accept_demo_case, fill_suspension
from windowdesk.printing.paper import DocumentKind
from windowdesk.services.worklist import get_record_detail
from windowdesk.ui.printing.preview_dialog import PrintPreviewDialog
from windowdesk.ui.worklist.detail_dialog import RecordDetailDialog


def test_a_hearing_is_chosen_its_notice_previewed_and_its_outcome_asked(qtbot, demo, monkeypatch):
    case = accept_demo_case(demo)
    dialog = RecordDetailDialog(
        get_record_detail(demo.db, demo.ctx, kind="case", record_id=case.id), "Asia/Shanghai", db=demo.db, ctx=demo.ctx
    )
    qtbot.addWidget(dialog)
    bar = dialog.actions_bar
    fill_suspension(qtbot, "hearing", "申请人申请听证")
    bar.buttons["suspend"].click()
    preview = bar.print_dialog
    assert isinstance(preview, PrintPreviewDialog) and preview.request.kind is DocumentKind.SUSPENSION_NOTICE
    assert preview.request.number == case.number
    preview.close()
    shown = dialog.browser.toPlainText()
    assert "Suspended for a hearing: 申请人申请听证 (王晓燕)" in shown
    assert bar.buttons["resume"].isEnabled() and not bar.buttons["suspend"].isEnabled()
    bar.notice_button.click()  # handed over again, marked as a reprint
    assert bar.print_dialog.request.reprint and bar.print_dialog.request.kind is DocumentKind.SUSPENSION_NOTICE
    bar.print_dialog.close()

    asked = []

    def answer(parent, title, prompt, *rest, **named):
        asked.append(prompt)
        return ("", True)  # no outcome typed: refused, the case stays suspended

    monkeypatch.setattr(QInputDialog, "getText", answer)
    errors = []
    monkeypatch.setattr("windowdesk.ui.cases.actions.show_error", lambda parent, error: errors.append(error))
    bar.buttons["resume"].click()
    assert asked == ["How did the hearing end?"] and "outcome" in errors[0].message
    assert bar.buttons["resume"].isEnabled()
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("听证已举行", True))
    bar.buttons["resume"].click()
    assert not bar.buttons["resume"].isEnabled() and not bar.notice_button.isEnabled()
    assert "Under review: 听证已举行" in dialog.browser.toPlainText()
