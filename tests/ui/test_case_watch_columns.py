"""The case watch at 1366×768 on the real main window (issue 22): whom to call about a
late case (the applicant's name, the phone masked), every column but the item's as wide
as its words, the promised date in the screen's one date style."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.ui.helpers import accept_demo_case
from windowdesk.services import cases

SHANGHAI = ZoneInfo("Asia/Shanghai")
FIRST_DEMO_PHONE = "13904641021"  # 张秀英's, the resident accept_demo_case takes


def _watch_at_1366(qtbot, window, demo):
    case = accept_demo_case(demo, dt.datetime(2025, 1, 6, 9, tzinfo=SHANGHAI))
    window.showNormal()
    window.resize(1366, 768)
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    window.late.refresh()
    QApplication.processEvents()
    return case, window.late


def test_the_watch_names_the_applicant_and_masks_the_phone(qtbot, window, demo):
    case, late = _watch_at_1366(qtbot, window, demo)
    model = late.model
    headings = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headings[:4] == ["Case number", "Applicant", "Phone", "Item"]
    row = [model.index(0, c).data() for c in range(model.columnCount())]
    assert row[0] == case.number
    assert row[1] == "张秀英"
    assert row[2] == "139****1021" and FIRST_DEMO_PHONE not in "".join(row)
    # The printed list carries them too, the phone as masked.
    found = cases.late_cases(demo.db, demo.ctx, shipped_calendar=demo.calendar)
    assert (found[0].applicant_name, found[0].applicant_phone) == ("张秀英", "139****1021")


def test_the_watchs_columns_fit_their_words_at_1366_by_768(qtbot, window, demo):
    _case, late = _watch_at_1366(qtbot, window, demo)
    table = late.table
    assert table.viewport().width() <= 1366
    for column in range(late.model.columnCount()):
        if column == 3:  # the item: the column that takes the room left, and may be cut
            continue
        needed = max(table.sizeHintForColumn(column), table.horizontalHeader().sectionSizeHint(column))
        assert table.columnWidth(column) >= needed, (
            late.model.headerData(column, Qt.Orientation.Horizontal),
            table.columnWidth(column),
            needed,
        )


def test_the_watch_shows_the_promised_date_in_the_screens_style(qtbot, window, demo):
    _case, late = _watch_at_1366(qtbot, window, demo)
    promised = late.model.case(0).state.promised_due
    shown = late.model.index(0, 5).data()
    assert shown == promised.isoformat() and re.fullmatch(r"\d{4}-\d{2}-\d{2}", shown)
