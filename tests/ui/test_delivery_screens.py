"""出件 / 送达 through the real widgets: the choice at acceptance on the intake screen, and
the pickup at the window with the collector's ID card read by the real reader thread
(the sdtapi plug-in on the stand-in library) into the handover dialog."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from tests.ui.helpers import type_text
from tests.ui.test_card_reader import KNOWN, WAIT_MS, reader_control, reader_window, standin_library  # noqa: F401
from tests.ui.test_intake_window import _choose_item
from windowdesk.domain.case_state import CaseAction
from windowdesk.services import applicants, cases, intake, worklist
from windowdesk.services.catalog import get_item_guide
from windowdesk.services.sync_apply import apply_change
from windowdesk.storage.models_delivery import CaseDelivery
from windowdesk.sync import protocol
from windowdesk.ui.cases.handover_dialog import HandoverDialog
from windowdesk.ui.worklist.detail_dialog import RecordDetailDialog

ADDRESS = "黑龙江省七台河市新兴区兴华路12号"


def test_the_applicant_asks_for_the_result_by_post_at_acceptance(qtbot, window, demo):
    view = window.intake
    _choose_item(qtbot, window, "lnz", "老年证")
    view.applicant_picker.set_chosen(applicants.find_residents(demo.db, demo.ctx, query=KNOWN["id"])[0])
    qtbot.keyClick(view, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)  # all received
    box = view.delivery_box
    assert not box.address_edit.isVisible()
    box.mode_box.setCurrentIndex(box.mode_box.findData("post"))
    assert box.address_edit.isVisible()
    type_text(qtbot, box.address_edit, ADDRESS)
    qtbot.keyClick(view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert "Accepted" in view.result_label.text()
    [entry] = worklist.list_day_work(demo.db, demo.ctx)
    with demo.db.read() as session:
        row = session.get(CaseDelivery, entry.id)
        assert (row.mode, row.address) == ("post", ADDRESS)
    assert box.mode_box.currentData() == "window" and box.address_edit.text() == ""  # ready for the next


def _completed_case_of_the_card_holder(demo) -> str:
    who = applicants.find_residents(demo.db, demo.ctx, query=KNOWN["id"])[0].ref
    guide = get_item_guide(demo.db, item_code="MZ-001")
    case = intake.accept_case(
        demo.db,
        demo.ctx,
        item_code="MZ-001",
        applicant=who,
        checks=[intake.MaterialCheck(m.code, "received") for m in guide.materials],
        shipped_calendar=demo.calendar,
    )
    change = protocol.Change(
        1,
        protocol.CHANGE_DECISION,
        "case",
        case.id,
        {
            "case_id": case.id,
            "case_number": case.number,
            "decision": "approve",
            "department": "MZJ",
            "note": "",
            "status": "approved",
            "at": dt.datetime.now(dt.UTC).isoformat(),
        },
    )
    with demo.db.write() as session:
        apply_change(session, change, now=dt.datetime.now(dt.UTC))
    cases.change_status(demo.db, demo.ctx, case_id=case.id, action=CaseAction.COMPLETE)
    return case.id


def test_the_collectors_id_card_fills_the_handover_and_the_case_is_delivered(
    qtbot,
    demo,
    reader_window,  # noqa: F811
    reader_control,  # noqa: F811
):
    case_id = _completed_case_of_the_card_holder(demo)
    dialog = RecordDetailDialog(
        worklist.get_record_detail(demo.db, demo.ctx, kind="case", record_id=case_id),
        "Asia/Shanghai",
        reader_window,
        db=demo.db,
        ctx=demo.ctx,
    )
    qtbot.addWidget(dialog)
    dialog.show()
    seen = {}

    def on_the_reader() -> None:
        handover = QApplication.activeModalWidget()
        assert isinstance(handover, HandoverDialog), handover
        reader_control.set("present", **KNOWN)
        qtbot.waitUntil(lambda: handover.read_from_card, timeout=WAIT_MS)
        seen["id"], seen["read_only"] = handover.id_edit.text(), handover.id_edit.isReadOnly()
        seen["hint"] = handover.card_hint.text()
        handover.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()

    QTimer.singleShot(0, on_the_reader)
    dialog.actions_bar.buttons["deliver"].click()
    assert seen["id"] == KNOWN["id"] and seen["read_only"]
    assert KNOWN["id"] not in seen["hint"] and "230902********0126" in seen["hint"]
    assert worklist.case_status(demo.db, case_id) == "delivered"
    assert "Collected at the window by the applicant 张秀英 (230902********0126)" in dialog.browser.toPlainText()
    with demo.db.read() as session:
        assert session.get(CaseDelivery, case_id).read_from_card
