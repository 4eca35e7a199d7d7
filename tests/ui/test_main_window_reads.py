"""What the main window reads from the database: the first screen's data while it is built,
each other tab's lists when that tab first comes into view, once, and the operator's row
once for the whole build."""

from __future__ import annotations

import collections
import contextlib
import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import event

from tests.ui.helpers import accept_demo_case, open_main_window

SHANGHAI = ZoneInfo("Asia/Shanghai")

# Each tab's lists, told apart by a part of the SQL only that list's read sends.
TODAY_LIST = "SELECT notifications.id,"  # services.worklist.list_day_work: the day's one-time notifications
LATE_LIST = "min(case_events.at)"  # services.cases.late_cases
TO_FOLLOW = "SELECT case_materials."  # the watch's materials to follow (容缺受理)
RECEIPTS_LIST = "ORDER BY receipts.year, receipts.seq LIMIT"  # the fees tab's first receipt number of the day
TILL_TOTALS = "coalesce(sum(receipts.amount_fen)"  # the fees tab's day close
OPERATOR_ROW = "FROM operators WHERE operators.id"
TAB_LISTS = (TODAY_LIST, LATE_LIST, TO_FOLLOW, RECEIPTS_LIST, TILL_TOTALS)


@contextlib.contextmanager
def statements_sent(demo):
    """Every statement sent to the demo database's engines while the block runs, with its count."""
    sent: collections.Counter[str] = collections.Counter()

    def _seen(_conn, _cursor, statement, _parameters, _context, _many) -> None:
        sent[" ".join(statement.split())] += 1

    engines = (demo.db.read_engine, demo.db.write_engine, demo.db.passing_engine)
    for engine in engines:
        event.listen(engine, "before_cursor_execute", _seen)
    try:
        yield sent
    finally:
        for engine in engines:
            event.remove(engine, "before_cursor_execute", _seen)


def count(sent: collections.Counter[str], marker: str) -> int:
    return sum(times for statement, times in sent.items() if marker in statement)


def test_the_window_reads_no_other_tab_s_lists_and_the_operator_once_while_it_is_built(qtbot, demo):
    accept_demo_case(demo, dt.datetime(2025, 1, 6, 9, tzinfo=SHANGHAI))  # overdue: the watch has a row to read
    with statements_sent(demo) as sent:
        window = open_main_window(qtbot, demo)
    try:
        assert {marker: count(sent, marker) for marker in TAB_LISTS} == dict.fromkeys(TAB_LISTS, 0), sent
        assert count(sent, OPERATOR_ROW) == 1, sent
        assert window.tabs.currentWidget() is window.intake and window.intake.item_picker.query_edit.hasFocus()
    finally:
        window.service_quality.close()


def test_the_window_reads_the_settings_it_is_built_with_in_one_statement(qtbot, demo):
    """The sync's status, printing at once, the card reader, the hall and the operator's kept
    form: ten settings, read together (they were read one statement each)."""
    from windowdesk.services import preferences

    preferences.save_print_at_once(demo.db, False)
    with statements_sent(demo) as sent:
        window = open_main_window(qtbot, demo)
    try:
        assert count(sent, "FROM local_settings") == 1, sent
        assert not window.print_at_once_action.isChecked()  # the value read with the others
        assert window.sync.status.enrolled is False and window.queue.connection is None
    finally:
        window.service_quality.close()


def test_the_intake_screen_reads_the_departments_once_while_it_is_built(qtbot, demo):
    """Its department list, the search's index and the first item's guide share one read
    (they read them three times)."""
    with statements_sent(demo) as sent:
        window = open_main_window(qtbot, demo)
    try:
        assert count(sent, "FROM departments") == 1, sent
        picker = window.intake.item_picker
        names = dict(window.search.departments())
        assert picker.department_box.count() == len(names) + 1 > 1  # "All departments" first
        first = window.search.search("")[0]
        assert names[first.department_code] in picker.guide.toPlainText()  # the guide names it
    finally:
        window.service_quality.close()


def test_each_tab_s_shortcut_shows_its_lists_at_the_first_press_read_once_for_the_build(qtbot, demo):
    accept_demo_case(demo, dt.datetime(2025, 1, 6, 9, tzinfo=SHANGHAI))  # overdue, on the watch
    accept_demo_case(demo)  # today's, on today's list
    with statements_sent(demo) as sent:
        window = open_main_window(qtbot, demo)
        try:
            qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
            assert window.tabs.currentWidget() is window.today and window.today.model.rowCount() == 1
            assert window.today.summary_label.text().startswith("Today at this window: 1 accepted")
            qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
            assert window.tabs.currentWidget() is window.late and window.late.model.rowCount() == 1
            assert window.late.summary.text().startswith("1 overdue (red)")
            qtbot.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
            assert window.tabs.currentWidget() is window.fees
            assert window.fees.receipts_view.receipts_caption.text().startswith("Receipts issued today: 0")
            assert window.fees.dayclose_view.day_label.text().startswith("Day: ")
        finally:
            window.service_quality.close()
    assert {marker: count(sent, marker) for marker in TAB_LISTS} == dict.fromkeys(TAB_LISTS, 1), sent


def test_a_refresh_asked_for_a_hidden_tab_waits_until_it_is_shown(qtbot, window, demo):
    accept_demo_case(demo)
    with statements_sent(demo) as sent:
        window.today.refresh()  # as after a record saved at the intake, which stays on screen
        window.late.refresh()
        window.fees.refresh()
    assert {marker: count(sent, marker) for marker in TAB_LISTS} == dict.fromkeys(TAB_LISTS, 0), sent
    assert window.today.model.rowCount() == 0  # not read yet
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.today.model.rowCount() == 1


@pytest.mark.parametrize(
    ("role", "sees"),
    [
        ("supervisor", {"reports": True, "figures": True, "enroll": False, "devices": False, "whole center": True}),
        ("operator", {"reports": False, "figures": False, "enroll": False, "devices": False, "whole center": False}),
    ],
)
def test_the_rights_read_once_for_the_build_show_each_operator_what_they_may_use(qtbot, demo, role, sees):
    """The tabs, menus and check boxes an operator may not use stay hidden or disabled, as
    when each control read the operator's row itself (the demo operator is a supervisor)."""
    from tests.fees.conftest import CLERK_LOGIN, CLERK_PASSWORD, make_operator

    ctx = (
        demo.ctx
        if role == "supervisor"
        else make_operator(demo, demo.ctx, login=CLERK_LOGIN, role=role, password=CLERK_PASSWORD)
    )
    window = open_main_window(qtbot, demo, ctx)
    try:
        tabs = window.tabs
        assert {
            "reports": tabs.isTabVisible(tabs.indexOf(window.service_quality.reports_tab.page)),
            "figures": tabs.isTabVisible(tabs.indexOf(window.queue.figures_tab.page)),
            "enroll": window.enroll_action.isEnabled(),
            "devices": window.card_reader.settings_action.isEnabled(),
            "whole center": window.late.whole_center.isVisibleTo(window.late),
        } == sees
    finally:
        window.service_quality.close()


def test_the_tabs_not_shown_at_the_start_are_made_when_their_shortcut_first_shows_them(qtbot, window):
    """The case watch (Ctrl+3), service quality (Ctrl+5), the reports (Ctrl+6) and the
    queue's figures (Ctrl+7) are not made with the window; the first press of the shortcut makes the tab and shows it,
    under its title, in its place."""
    from windowdesk.ui.cases.late_view import LateCasesView
    from windowdesk.ui.queue.figures_view import QueueFiguresView
    from windowdesk.ui.reports.report_view import PerformanceReportView
    from windowdesk.ui.service_quality.quality_view import ServiceQualityView

    lazy = {
        Qt.Key.Key_3: (window.late_tab, LateCasesView, "Case &watch (Ctrl+3)"),
        Qt.Key.Key_5: (window.service_quality.view_tab, ServiceQualityView, "Service &quality (Ctrl+5)"),
        Qt.Key.Key_6: (window.service_quality.reports_tab, PerformanceReportView, "&Reports (Ctrl+6)"),
        Qt.Key.Key_7: (window.queue.figures_tab, QueueFiguresView, "Queue &figures (Ctrl+7)"),
    }
    tabs = window.tabs
    count = tabs.count()
    assert not any(tab.built for tab, _kind, _title in lazy.values())
    for key, (tab, kind, title) in lazy.items():
        index = tabs.indexOf(tab.page)
        qtbot.keyClick(window, key, Qt.KeyboardModifier.ControlModifier)
        assert tab.built and isinstance(tabs.currentWidget(), kind) and tabs.currentWidget().isVisible()
        assert tabs.currentIndex() == index and tabs.tabText(index) == title and tabs.count() == count
    assert window.service_quality.view.pages.count() == 3  # its lists' pages, read as it showed
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert tabs.currentWidget() is window.intake
