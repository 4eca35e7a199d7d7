"""Switching the language from the menu: every screen speaks it at once, the tables are
worded again, and the counter keeps the choice for its next start."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.ui.helpers import accept_demo_case
from windowdesk import i18n
from windowdesk.services import preferences
from windowdesk.ui.application import apply_language, apply_saved_language

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def window(window):
    yield window
    apply_language(QApplication.instance(), "en")


def _overdue_case(demo):
    accept_demo_case(demo, dt.datetime(2025, 1, 6, 9, tzinfo=SHANGHAI))


def _header(view, column):
    return view.model().headerData(column, Qt.Orientation.Horizontal)


def test_the_language_menu_rewords_every_screen_and_is_kept(qtbot, window, demo):
    _overdue_case(demo)
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)  # the watch reads as it shows
    assert window.tabs.tabText(0) == "&Intake (Ctrl+1)"
    assert window.language_actions["en"].isChecked()

    window.language_actions["zh_CN"].trigger()

    assert i18n.current_locale() == "zh_CN"
    assert window.language_actions["zh_CN"].isChecked() and not window.language_actions["en"].isChecked()
    assert window.tabs.tabText(0) == i18n._("&Intake (Ctrl+1)") != "&Intake (Ctrl+1)"
    assert window.language_menu.title() == "语言(&L)"
    assert _header(window.late.table, 0) == "办件编号" and _header(window.today.table, 0) != "Time"
    assert window.late.model.index(0, 4).data() == "已受理"  # the status, worded again
    assert "超期（红灯）" in window.late.summary.text()
    assert window.service_quality.view.pages.tabText(1) == i18n._("First inquiries") != "First inquiries"
    assert preferences.saved_language(demo.db) == "zh_CN"

    window.language_actions["en"].trigger()
    assert window.tabs.tabText(0) == "&Intake (Ctrl+1)"
    assert window.late.model.index(0, 4).data() == "Accepted"
    assert preferences.saved_language(demo.db) == "en"


def test_the_saved_language_is_spoken_at_the_next_start(qapp, demo):
    assert preferences.saved_language(demo.db) is None
    apply_saved_language(qapp, demo.db)
    assert i18n.current_locale() == "en"  # nothing chosen: as started
    preferences.save_language(demo.db, "zh_CN")
    try:
        apply_saved_language(qapp, demo.db)
        assert i18n.current_locale() == "zh_CN"
        assert i18n._("Accepted") == "已受理"
    finally:
        apply_language(qapp, "en")


def test_an_unknown_language_is_refused_and_nothing_is_saved(demo):
    from windowdesk.errors import ValidationError

    with pytest.raises(ValidationError):
        preferences.save_language(demo.db, "fr")
    assert preferences.saved_language(demo.db) is None


def test_the_database_update_notice_says_why_start_up_waits(qapp):
    from windowdesk.ui.application import DatabaseUpdateNotice

    notice = DatabaseUpdateNotice(qapp)
    notice.close()  # nothing shown yet: closing is harmless
    notice.show()
    assert notice.label.isVisible() and "backups folder" in notice.label.text()
    notice.close()
    assert notice.label is None
