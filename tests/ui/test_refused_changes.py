"""The sync window's list of changes the hub refused speaks a supervisor's words: what
was done, the record by the number people know (an ID number masked), and the hub's
reason; not the protocol's names and UUIDs. A supervisor marks one resolved there, at the
operator's window, and it leaves the list and the status bar's count."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QTextLayout, QTextOption
from PySide6.QtWidgets import QLabel, QStyle
from sqlalchemy import update

from tests.fees.conftest import DEMO_SUPERVISOR, make_operator
from tests.ui.helpers import accept_demo_case, open_main_window
from windowdesk.domain.case_state import CaseAction
from windowdesk.i18n import set_locale
from windowdesk.services import applicants, cases, refusals
from windowdesk.services.bootstrap import DEMO_OPERATOR
from windowdesk.storage import models as m
from windowdesk.sync import protocol
from windowdesk.sync.change_words import change_words

ID_NUMBER = "110101199003074514"
LONG_REASON = (
    "本工作站注册在中心 CH，却发送了中心 JD 的业务。什么也没有保存。请联系管理员为本工作站重新注册到正确的中心。"
)


def _refuse(demo, kind: str, entity_id: str, reason: str) -> None:
    with demo.db.write() as session:
        changed = session.execute(
            update(m.OutboxEvent)
            .where(m.OutboxEvent.kind == kind, m.OutboxEvent.entity_id == entity_id)
            .values(state="rejected", last_error=reason)
        )
        assert changed.rowcount == 1


def _three_refusals(demo):
    """A case's acceptance and its withdrawal, and a resident's registration, refused; the case."""
    case = accept_demo_case(demo)
    person = applicants.register_resident(demo.db, demo.ctx, id_number=ID_NUMBER, name="赵敏").ref
    _refuse(demo, "case.accepted", case.id, "事项 MZ-001 不在市级平台发布的任何服务目录中。")
    _refuse(demo, "resident.registered", person.id, LONG_REASON)
    cases.change_status(demo.db, demo.ctx, case_id=case.id, action=CaseAction.WITHDRAW, note="申请人撤回")
    _refuse(demo, "case.status", case.id, "办件状态不符")
    return case


def _rows(table) -> list[list[str]]:
    """The cells a person sees (the resolution's column shows only with the resolved ones)."""
    columns = [col for col in range(table.columnCount()) if not table.isColumnHidden(col)]
    return [[table.item(row, col).text() for col in columns] for row in range(table.rowCount())]


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_refused_changes_are_listed_in_words(qtbot, demo, language) -> None:
    case = _three_refusals(demo)
    set_locale(language)

    window = open_main_window(qtbot, demo)
    window.open_sync_window()
    table = window.sync_dialog.rejected_table
    qtbot.waitUntil(lambda: table.isVisible())
    rows = _rows(table)
    # The long reason is wrapped onto more lines, not cut off.
    assert table.rowHeight(1) > table.rowHeight(0)
    window.sync_dialog.close()

    changes = [row[1:] for row in rows]
    accepted, registered, status = (
        ("Case accepted", "Resident registered", "Case status changed")
        if language == "en"
        else ("受理办件", "居民登记", "办件状态变更")
    )
    assert changes == [
        [accepted, case.number, "事项 MZ-001 不在市级平台发布的任何服务目录中。"],
        [registered, "赵敏 110101********4514", LONG_REASON],
        [status, case.number, "办件状态不符"],  # its payload has no number: found among this window's cases
    ]
    assert not any(ID_NUMBER in cell or case.id in cell for row in rows for cell in row)


def test_every_kind_a_window_sends_has_words() -> None:
    assert [kind for kind in protocol.EVENT_KINDS if change_words(kind) == kind] == []
    assert change_words("something.new") == "something.new"  # from a newer version: as it is


def test_a_supervisor_marks_a_refused_change_resolved_at_the_operators_window(qtbot, demo) -> None:
    clerk = make_operator(demo, demo.ctx, login="clerk01", role="operator", password="Ledger2027x")
    case = _three_refusals(demo)
    set_locale("en")
    window = open_main_window(qtbot, demo, clerk)
    window.sync.refresh_status()
    assert window.unsent_label.text().endswith("(refused: 3)")
    window.open_sync_window()
    dialog = window.sync_dialog
    table = dialog.rejected_table
    qtbot.waitUntil(table.isVisible)
    assert not dialog.resolve_button.isEnabled()  # nothing chosen yet

    table.selectRow(0)
    # The supervisor first deals with it: the case's details open from here, and say why.
    qtbot.mouseClick(dialog.open_record_button, Qt.MouseButton.LeftButton)
    record = dialog.record_dialog
    qtbot.waitUntil(record.isVisible)
    shown = record.browser.toPlainText()
    assert case.number in shown and "Refused by the hub" in shown and "不在市级平台发布" in shown
    assert record.actions_bar is not None  # withdraw, for instance
    record.close()
    qtbot.mouseClick(dialog.resolve_button, Qt.MouseButton.LeftButton)
    resolve = dialog.resolve_dialog
    qtbot.waitUntil(resolve.isVisible)
    assert case.number in resolve.findChild(QLabel, "refusalSummary").text()
    # The case's status change was refused because its acceptance was: offered together.
    assert resolve.together_box.isVisible() and resolve.together_box.isChecked()
    assert "1 other refused change to this record (Case status changed)" in resolve.together_box.text()
    resolve.note_edit.setPlainText("已按 GA-001 重新受理")
    qtbot.mouseClick(resolve.resolve_button, Qt.MouseButton.LeftButton)  # no supervisor typed in
    assert resolve.isVisible() and "wrong" in resolve.error_label.text()
    assert resolve.note_edit.toPlainText() == "已按 GA-001 重新受理"  # nothing typed is lost
    resolve.approval.login_edit.setText(DEMO_SUPERVISOR.login)
    resolve.approval.password_edit.setText(DEMO_SUPERVISOR.password)
    qtbot.mouseClick(resolve.resolve_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not resolve.isVisible())
    # The row that held the resolved change now holds another: it is not left chosen.
    assert table.selectionModel().selectedRows() == [] and not dialog.resolve_button.isEnabled()

    assert [row[1:3] for row in _rows(table)] == [["Resident registered", "赵敏 110101********4514"]]
    assert window.unsent_label.text().endswith("(refused: 1)")
    dialog.show_resolved.setChecked(True)
    rows = _rows(table)
    assert [row[1] for row in rows] == ["Case accepted", "Resident registered", "Case status changed"]
    resolved, still_open, with_it = rows[0][-1], rows[1][-1], rows[2][-1]
    assert "已按 GA-001 重新受理" in resolved and DEMO_OPERATOR in resolved and still_open == ""
    assert with_it == resolved
    table.selectRow(0)
    assert not dialog.resolve_button.isEnabled()  # already resolved
    table.selectRow(1)
    assert dialog.resolve_button.isEnabled()
    assert not dialog.open_record_button.isEnabled()  # a resident has no details dialog of its own
    dialog.close()


def test_locking_the_window_closes_the_sync_window(qtbot, demo) -> None:
    window = open_main_window(qtbot, demo)
    window.open_sync_window()
    qtbot.waitUntil(window.sync_dialog.isVisible)
    window.lock()
    assert not window.sync_dialog.isVisible() and window.lock_dialog is not None


def test_a_resolution_ending_in_a_long_number_is_shown_whole(qtbot, demo) -> None:
    """Qt's own row height for wrapped text ends such a cell in "…" (one line too few)."""
    case = accept_demo_case(demo)
    _refuse(demo, "case.accepted", case.id, "事项 MZ-001 不在市级平台发布的任何服务目录中。")
    [refused] = refusals.refused_changes(demo.db)
    note = "已按 GA-001 重新受理，办件编号 CH-20261205-01-0002"
    refusals.resolve_refused_change(demo.db, demo.ctx, event_id=refused.event_id, note=note, supervisor=DEMO_SUPERVISOR)
    set_locale("zh_CN")
    window = open_main_window(qtbot, demo)
    window.open_sync_window()
    dialog = window.sync_dialog
    table = dialog.rejected_table
    qtbot.waitUntil(table.isVisible)
    dialog.show_resolved.setChecked(True)
    column = table.columnCount() - 1
    text = table.item(0, column).text()
    assert text.endswith("CH-20261205-01-0002")

    margin = table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, table) + 1

    def painted_height() -> float:
        """The text's height as the view lays it out to paint it (qcommonstyle.cpp)."""
        layout = QTextLayout(text, table.font())
        wrap = QTextOption()
        wrap.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        layout.setTextOption(wrap)
        layout.beginLayout()
        height = 0.0
        while (line := layout.createLine()).isValid():
            line.setLineWidth(table.columnWidth(column) - 2 * margin)
            line.setPosition(QPointF(0, height))
            height += line.height()
        layout.endLayout()
        return height

    # Its lines (three here), the grid line and a margin: a pixel short and Qt elides the last line.
    grid = 1 if table.showGrid() else 0
    qtbot.waitUntil(
        lambda: (
            table.rowHeight(0) - grid >= painted_height() + margin
            and painted_height() > 2 * table.fontMetrics().height()
        ),
        timeout=2000,
    )
    dialog.close()
