"""The first-inquiry register (首问登记) and complaints (投诉) with rectification tasks
(整改), through the real widgets: the forms are filled as an operator would, the
answers come from the services, and what the tables show is read back."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QInputDialog

from windowdesk.services import auth, complaints, service_quality
from windowdesk.ui.service_quality import quality_view


@pytest.fixture
def colleague(demo):
    auth.create_operator(
        demo.db, demo.ctx, login="zhao", display_name="赵磊", role="operator", initial_password="Start2026x"
    )
    return "赵磊"


def _filled(dialog_class, monkeypatch, fill):
    """The dialog as the operator fills it and presses OK."""

    def exec_filled(dialog):
        fill(dialog)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(dialog_class, "exec", exec_filled)


def _cells(table, row):
    return [table.item(row, column).text() for column in range(table.columnCount())]


def _open_quality_page(qtbot, window, page):
    qtbot.keyClick(window, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    view = window.service_quality.view
    view.pages.setCurrentIndex(page)
    return view


def test_a_first_inquiry_is_registered_handed_over_and_answered(qtbot, window, demo, colleague, monkeypatch):
    view = _open_quality_page(qtbot, window, 1)
    _filled(
        quality_view.InquiryFormDialog,
        monkeypatch,
        lambda d: (
            d.question.setPlainText("老年证丢了怎么补办？"),
            d.name.setText("孙大爷"),
            d.phone.setText("13945678901"),
        ),
    )
    view.new_inquiry_button.click()
    assert view.inquiry_table.rowCount() == 1
    assert _cells(view.inquiry_table, 0)[1:4] == ["老年证丢了怎么补办？", "孙大爷", "王晓燕"]

    view.inquiry_table.selectRow(0)
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: (colleague, True))
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("他负责老龄业务", True))
    view.hand_over_button.click()
    assert _cells(view.inquiry_table, 0)[3] == colleague
    [handed] = service_quality.list_inquiries(demo.db, demo.ctx)
    assert [(source, target, note) for _at, source, target, note in handed.handovers] == [
        ("王晓燕", colleague, "他负责老龄业务")
    ]

    view.inquiry_table.selectRow(0)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("携身份证到3号窗口补办，当场取证", True))
    view.answer_button.click()
    assert view.inquiry_table.rowCount() == 0  # answered: off the open list
    [answered] = service_quality.list_inquiries(demo.db, demo.ctx, open_only=False)
    assert (answered.status, answered.answer) == ("answered", "携身份证到3号窗口补办，当场取证")


def test_an_empty_inquiry_is_refused_in_words_and_nothing_is_saved(qtbot, window, demo, monkeypatch):
    view = _open_quality_page(qtbot, window, 1)
    shown = []
    monkeypatch.setattr(quality_view, "show_error", lambda parent, error: shown.append(error))
    _filled(quality_view.InquiryFormDialog, monkeypatch, lambda d: d.question.setPlainText("   "))
    view.new_inquiry_button.click()
    assert [type(error).__name__ for error in shown] == ["ValidationError"]
    assert view.inquiry_table.rowCount() == 0
    assert service_quality.list_inquiries(demo.db, demo.ctx, open_only=False) == []


def test_a_complaint_gets_a_reply_and_a_rectification_done(qtbot, window, demo, colleague, monkeypatch):
    view = _open_quality_page(qtbot, window, 2)

    def fill(dialog):
        dialog.name.setText("周女士")
        dialog.phone.setText("13800001111")
        dialog.about_operator.setCurrentIndex(dialog.about_operator.findText(colleague))
        dialog.facts.setPlainText("窗口工作人员态度生硬，未一次性告知所需材料")
        dialog.owner.setCurrentIndex(dialog.owner.findText("王晓燕"))

    _filled(quality_view.ComplaintFormDialog, monkeypatch, fill)
    view.new_complaint_button.click()
    assert view.complaint_table.rowCount() == 1
    cells = _cells(view.complaint_table, 0)
    assert colleague in cells[2] and cells[3] == "窗口工作人员态度生硬，未一次性告知所需材料"
    assert (cells[4], cells[7]) == ("王晓燕", "0 of 0 done")

    view.complaint_table.selectRow(0)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("已核实并向周女士致歉", True))
    view.reply_button.click()
    assert _cells(view.complaint_table, 0)[6] == "已核实并向周女士致歉"

    view.complaint_table.selectRow(0)
    _filled(
        quality_view.RectificationFormDialog,
        monkeypatch,
        lambda d: (d.task.setText("一次性告知培训"), d.unit.setText("综合窗口"), d.responsible.setText("王晓燕")),
    )
    view.rectification_button.click()
    assert _cells(view.complaint_table, 0)[7] == "0 of 1 done"

    view.complaint_table.selectRow(0)
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: ("一次性告知培训", True))
    view.done_button.click()
    assert _cells(view.complaint_table, 0)[7] == "1 of 1 done"
    [complaint] = complaints.list_complaints(demo.db, demo.ctx)
    assert complaint.status == "replied" and complaint.about.operator_id is not None
    assert [(task.task, task.done) for task in complaint.rectifications] == [("一次性告知培训", True)]
