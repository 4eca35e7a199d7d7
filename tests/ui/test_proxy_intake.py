"""帮办代办 at the intake screen, offscreen on real widgets and a real SQLite file: the
agent box, the power of attorney, the 委托书 printed from the screen, and the agent's ID
card read into the agent box (the reader stand-in built from C)."""

from __future__ import annotations

import json

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication

from tests.ui.every_window import SCREENS, client_room
from tests.ui.helpers import accept_demo_case, fill_suspension
from tests.ui.test_card_reader import KNOWN, WAIT_MS, reader_control, reader_window, standin_library  # noqa: F401
from tests.ui.test_intake_window import _choose_item
from windowdesk.domain.proxy import ProxyTerms
from windowdesk.printing.data import PowerOfAttorneyData, ProxySuspensionNoticeData
from windowdesk.services import applicants, intake, worklist
from windowdesk.services.catalog import get_item_guide
from windowdesk.services.worklist import get_record_detail
from windowdesk.storage import models as m
from windowdesk.ui.worklist.detail_dialog import RecordDetailDialog

PRINCIPAL_ID = "230902194403180126"  # 张秀英
AGENT_ID = "23090319760509009X"  # 刘志强
AGENT_CARD = {
    "name": "刘志强",
    "id": AGENT_ID,
    "birth": "19760509",
    "sex": "1",
    "address": "七台河市桃山区桃南街道学府街8号",
}


def _find(qtbot, edit, text: str) -> None:
    edit.setFocus()
    qtbot.keyClicks(edit, text)
    qtbot.keyClick(edit, Qt.Key.Key_Return)


def test_an_agent_applies_with_the_power_of_attorney_and_prints_it(qtbot, window, demo):
    view = window.intake
    _choose_item(qtbot, window, "lnz", "老年证")
    _find(qtbot, view.applicant_picker.query_edit, PRINCIPAL_ID)
    assert view.applicant_picker.chosen.name == "张秀英"
    qtbot.keyClick(view, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)  # all received

    assert not view.proxy_box.agent_picker.isEnabled()  # unticked: applied for in person
    view.proxy_box.setChecked(True)
    _find(qtbot, view.proxy_box.agent_picker.query_edit, AGENT_ID)
    assert view.proxy_box.agent_picker.chosen.name == "刘志强"
    assert AGENT_ID not in view.proxy_box.agent_picker.query_edit.text()  # masked once found

    # Without the power of attorney: refused in plain words, nothing saved.
    qtbot.keyClick(view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert "power of attorney" in view.result_label.text()
    assert worklist.list_day_work(demo.db, demo.ctx) == []

    view.proxy_box.attorney_check.setChecked(True)
    qtbot.keyClick(view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert "Accepted" in view.result_label.text()
    [entry] = worklist.list_day_work(demo.db, demo.ctx)
    with demo.db.read() as session:
        proxy = session.get(m.Case, entry.id).proxy
        assert proxy.power_of_attorney_date == demo.ctx.local_today()
    # The form is ready for the next applicant, who may well come in person.
    assert not view.proxy_box.isChecked() and view.proxy_box.agent_picker.chosen is None

    assert view.papers_button.isEnabled() and view.attorney_action.isEnabled()
    assert not view.commitment_action.isEnabled()  # no materials follow
    view.attorney_action.trigger()
    qtbot.waitUntil(lambda: view.print_dialog is not None and view.print_dialog.isVisible(), timeout=WAIT_MS)
    assert isinstance(view.print_dialog.request.data, PowerOfAttorneyData)
    view.print_dialog.close()


def test_the_agents_id_card_goes_into_the_agent_box_once_the_applicant_is_chosen(qtbot, reader_window, reader_control):  # noqa: F811 - the fixtures imported above
    view = reader_window.intake
    reader_control.set("present", **KNOWN)  # the principal's own card, brought by the agent
    qtbot.waitUntil(lambda: view.applicant_picker.chosen is not None, timeout=WAIT_MS)
    assert view.applicant_picker.chosen.name == "张秀英"
    view.proxy_box.setChecked(True)
    reader_control.set("absent")
    qtbot.wait(1500)

    reader_control.set("present", **AGENT_CARD)

    qtbot.waitUntil(lambda: view.proxy_box.agent_picker.chosen is not None, timeout=WAIT_MS)
    assert view.proxy_box.agent_picker.chosen.name == "刘志强"
    assert view.applicant_picker.chosen.name == "张秀英"  # the applicant stays


def test_a_proxy_case_suspended_from_its_details_prints_the_agents_suspension_notice(qtbot, demo):
    principal = applicants.find_residents(demo.db, demo.ctx, query=PRINCIPAL_ID)[0].ref
    agent = applicants.find_residents(demo.db, demo.ctx, query=AGENT_ID)[0].ref
    guide = get_item_guide(demo.db, item_code="MZ-002")
    checks = [intake.MaterialCheck(mat.code, intake.RECEIVED) for mat in guide.materials]
    case = intake.accept_case(
        demo.db,
        demo.ctx,
        item_code="MZ-002",
        applicant=principal,
        checks=checks,
        shipped_calendar=demo.calendar,
        proxy=ProxyTerms(agent.id, True, demo.ctx.local_today()),
    )
    dialog = RecordDetailDialog(
        get_record_detail(demo.db, demo.ctx, kind="case", record_id=case.id), "Asia/Shanghai", db=demo.db, ctx=demo.ctx
    )
    qtbot.addWidget(dialog)
    bar = dialog.actions_bar
    assert not bar.agent_notice_button.isHidden() and not bar.agent_notice_button.isEnabled()  # nothing to tell yet

    fill_suspension(qtbot, "materials", "缺少收入证明原件")  # h23-clock's dialog: the kind and the reason
    bar.buttons["suspend"].click()
    bar.print_dialog.close()  # the applicant's own suspension notice, previewed first
    assert bar.agent_notice_button.isEnabled()
    bar.agent_notice_button.click()
    qtbot.waitUntil(lambda: bar.print_dialog is not None and bar.print_dialog.isVisible(), timeout=WAIT_MS)
    notice = bar.print_dialog.request.data
    assert isinstance(notice, ProxySuspensionNoticeData) and notice.note == "缺少收入证明原件"
    bar.print_dialog.close()


def test_a_case_applied_for_in_person_offers_no_agent_notice(qtbot, demo):
    case = accept_demo_case(demo)
    dialog = RecordDetailDialog(
        get_record_detail(demo.db, demo.ctx, kind="case", record_id=case.id), "Asia/Shanghai", db=demo.db, ctx=demo.ctx
    )
    qtbot.addWidget(dialog)
    assert dialog.actions_bar.agent_notice_button.isHidden()


def test_at_1280x720_the_ticked_agent_box_leaves_the_decisions_on_the_screen(qtbot, window):
    window.resize(*client_room(SCREENS["1280x720"]))
    window.intake.proxy_box.setChecked(True)
    QApplication.processEvents()
    room = window.rect()
    for widget in (window.intake.proxy_box.attorney_date, window.intake.accept_button, window.statusBar()):
        where = widget.rect().translated(widget.mapTo(window, widget.rect().topLeft()))
        assert room.contains(where), f"{widget.objectName() or widget} is cut off at {where}"
        assert not widget.visibleRegion().isEmpty()


def test_the_agent_box_and_the_deferral_are_kept_with_the_unsaved_form(qtbot, window, demo):
    view = window.intake
    _choose_item(qtbot, window, "医疗救助", "城市医疗救助")
    _find(qtbot, view.applicant_picker.query_edit, PRINCIPAL_ID)
    view.proxy_box.setChecked(True)
    _find(qtbot, view.proxy_box.agent_picker.query_edit, AGENT_ID)
    view.proxy_box.attorney_check.setChecked(True)
    view.proxy_box.attorney_date.setDate(QDate(2026, 1, 5))
    view.deferral_box.defer_check.setChecked(True)
    view.deferral_box.commitment_date.setDate(QDate(2026, 1, 9))

    record = json.loads(json.dumps(view.draft_record()))  # as the database keeps it
    view.reset()
    assert not view.proxy_box.isChecked()
    view.restore_draft_record(record)

    assert view.proxy_box.isChecked() and view.proxy_box.agent_picker.chosen.name == "刘志强"
    assert view.proxy_box.attorney_check.isChecked()
    assert view.proxy_box.attorney_date.date() == QDate(2026, 1, 5)
    assert view.deferral_box.defer_check.isChecked()
    assert view.deferral_box.commitment_date.date() == QDate(2026, 1, 9)
