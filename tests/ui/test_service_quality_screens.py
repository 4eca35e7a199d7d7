"""A rating that opens a follow-up, the applicant's screen, and the report screen,
through the real widgets."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QInputDialog

from tests.ui.helpers import accept_demo_case
from windowdesk.services import service_quality

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_a_bad_rating_opens_a_follow_up_that_the_supervisor_closes(qtbot, window, demo, monkeypatch):
    qtbot.keyClick(window, Qt.Key.Key_F6)
    panel = window.service_quality.rating_dialog.panel
    assert next(b.text() for b in panel.buttons.values()) == "Very satisfied"
    panel.reason.insert("等候时间太长，窗口只开了一个")
    qtbot.mouseClick(panel.buttons[2], Qt.MouseButton.LeftButton)
    assert "王晓燕 will follow this up by" in panel.answer.text()
    assert not panel.buttons[5].isEnabled()  # one rating per ask
    window.service_quality.rating_dialog.close()

    qtbot.keyClick(window, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    view = window.service_quality.view
    assert window.tabs.currentWidget() is view
    table = view.follow_up_table
    assert table.rowCount() == 1
    assert (table.item(0, 1).text(), table.item(0, 2).text(), table.item(0, 5).text()) == (
        "Dissatisfied",
        "等候时间太长，窗口只开了一个",
        "王晓燕",
    )
    table.selectRow(0)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("已电话回访并致歉", True))
    view.outcome_button.click()
    assert table.rowCount() == 0
    [closed] = service_quality.list_follow_ups(demo.db, demo.ctx, open_only=False)
    assert (closed.status, closed.outcome) == ("closed", "已电话回访并致歉")


def test_the_applicant_screen_rates_the_case_just_accepted(qtbot, window, demo):
    case = accept_demo_case(demo)
    window.service_quality.last_case_id = case.id
    qtbot.keyClick(window, Qt.Key.Key_F6, Qt.KeyboardModifier.ShiftModifier)
    screen = window.service_quality.applicant_window
    assert screen.isVisible() and screen.isWindow()
    with qtbot.waitSignal(screen.rated) as rated:
        qtbot.mouseClick(screen.panel.buttons[5], Qt.MouseButton.LeftButton)
    assert rated.args[0].follow_up_id is None
    assert screen.panel.answer.text() == "Thank you for your rating."
    with demo.db.read() as session:
        from windowdesk.storage.models_quality import Rating

        [rating] = session.query(Rating).all()
        assert (rating.case_id, rating.channel, rating.level) == (case.id, "applicant_screen", 5)


def test_the_report_screen_shows_exports_and_charts(qtbot, window, demo, tmp_path):
    accept_demo_case(demo, dt.datetime(2025, 10, 9, 10, tzinfo=SHANGHAI))
    accept_demo_case(demo, dt.datetime(2025, 10, 13, 10, tzinfo=SHANGHAI))
    service_quality.rate_service(
        demo.db,
        dataclasses.replace(demo.ctx, clock=lambda: dt.datetime(2025, 10, 10, 9, tzinfo=SHANGHAI)),
        level=4,
        shipped_calendar=demo.calendar,
    )
    qtbot.keyClick(window, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)
    view = window.service_quality.reports
    assert window.tabs.currentWidget() is view
    assert not view.csv_button.isEnabled()
    view.start_edit.setDate(QDate(2025, 10, 1))
    view.end_edit.setDate(QDate(2025, 10, 17))
    view.by_box.setCurrentIndex(view.by_box.findData("operator"))
    qtbot.mouseClick(view.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.report is not None and view.table.rowCount() == 2, timeout=5000)

    headings = [view.table.horizontalHeaderItem(c).text() for c in range(view.table.columnCount())]
    assert headings[:2] == ["Operator", "Accepted"] and "Completed" in headings
    assert "Of which by agents" in headings  # 帮办代办 counted apart (issue 23)
    assert [view.table.item(r, 0).text() for r in range(2)] == ["王晓燕", "Total"]
    assert view.table.item(1, 1).text() == "2"
    assert view.table.item(1, headings.index("Satisfaction rate")).text() == "100.0%"
    assert "2 accepted" in view.summary.text()
    assert view.chart.categories == ["王晓燕"] and view.chart.series[0][1] == [2]

    saved_csv = view.export_csv(str(tmp_path / "report.csv"))
    rows = list(csv.reader(io.StringIO(saved_csv.read_text(encoding="utf-8").lstrip("\ufeff"))))
    assert rows[-1][:2] == ["Total", "2"]
    saved_pdf = view.export_pdf(str(tmp_path / "report.pdf"))
    assert saved_pdf.read_bytes().startswith(b"%PDF")
    from pypdf import PdfReader

    text = PdfReader(str(saved_pdf)).pages[0].extract_text()
    assert "Performance Assessment Report" in text and "王晓燕" in text
