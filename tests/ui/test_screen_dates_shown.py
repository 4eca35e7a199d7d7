"""One date style on the real main window (issue 22): the day's list, a record's details
and the case watch show 2026-12-07 and 09:30 in the center's zone, never 2026年12月7日,
Dec 7, 2026 or 12/7/26 beside them."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt

from tests.ui.helpers import accept_demo_case
from windowdesk.screen_dates import on_screen
from windowdesk.services.worklist import get_record_detail

OTHER_STYLES = re.compile(
    r"\d{4}年|\d{1,2}/\d{1,2}/\d{2,4}|\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.? \d"
)


def test_the_days_list_and_a_records_details_show_one_date_style(qtbot, window, demo):
    case = accept_demo_case(demo)
    record = get_record_detail(demo.db, demo.ctx, kind="case", record_id=case.id)
    zone = demo.ctx.timezone
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    today = window.today
    today.refresh()
    model = today.table.model()
    cells = [model.index(0, c).data() for c in range(model.columnCount())]
    assert on_screen(record.at, zone, clock_only=True) in cells  # the day's list: the clock only
    today.table.setFocus()
    today.table.setCurrentIndex(model.index(0, 0))
    qtbot.keyClick(today.table, Qt.Key.Key_Return)
    dialog = today.last_dialog
    qtbot.waitUntil(lambda: dialog.isVisible())
    text = dialog.browser.toPlainText()
    assert on_screen(record.at, zone) in text  # 2026-12-07 09:30, in Shanghai
    assert on_screen(record.promised_date) in text and on_screen(record.legal_date) in text
    assert OTHER_STYLES.search(text) is None, OTHER_STYLES.search(text).group()
    dialog.close()
