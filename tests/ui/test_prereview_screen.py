"""The pre-review screen (网上预审) in the real main window, offscreen: Ctrl+Shift+O opens
it from the intake, the waiting application is listed with what the resident typed and
its pages shown; marking the missing material and returning it leaves the list empty and
one application.decided event in the outbox; the lock closes it."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.sync.application_stand_in import ApplicationHub, bring_application, page_photo
from tests.ui.helpers import activate, open_main_window
from windowdesk.services.intake import MISSING
from windowdesk.storage import models as m


def _decided(demo) -> list[dict]:
    with demo.db.read() as session:
        return [e.payload for e in session.query(m.OutboxEvent) if e.kind == "application.decided"]


def test_the_pre_review_returns_an_application_with_the_missing_material(qtbot, demo) -> None:
    hub = ApplicationHub(
        "SQ-20261207-CCCCCC",
        {"applicant_name": "王建国", "phone": "13800138000"},
        {"M01": [page_photo(1)], "M02": [page_photo(2)]},
    )
    bring_application(demo.db, hub)
    window = open_main_window(qtbot, demo)
    qtbot.keyClick(window, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    dialog = window.prereview.dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.list.count() == 1 and "SQ-20261207-CCCCCC" in dialog.list.item(0).text()
    assert dialog.fields.rowCount() == 2 and dialog.pages.count() == 2
    # The form's label (in the window's language), not the field's code.
    assert dialog.fields.itemAt(0, dialog.fields.ItemRole.LabelRole).widget().text() in (
        "申请人姓名",
        "Applicant's name",
    )
    assert dialog.preview.pixmap() is not None and not dialog.preview.pixmap().isNull()
    dialog.pages.setCurrentRow(1)
    assert not dialog.preview.pixmap().isNull()
    # M01 and M02 have pages (received), M03 and M04 none (missing): M04 is optional here, received.
    dialog.set_check("M04", "received")
    assert [c.status for c in dialog.checks()] == ["received", "received", MISSING, "received"]
    activate(qtbot, dialog)
    qtbot.keyClick(dialog.list, Qt.Key.Key_T, Qt.KeyboardModifier.AltModifier)  # Re&turn with the list
    qtbot.waitUntil(lambda: dialog.list.count() == 0, timeout=3000)  # a button's shortcut clicks it a moment on
    assert dialog.empty.isVisibleTo(dialog)
    assert "SQ-20261207-CCCCCC" in dialog.message.text()
    [payload] = _decided(demo)
    assert payload["decision"] == "return" and [e["material"] for e in payload["returned"]] == ["M03"]
    window.lock()
    assert window.prereview.dialog is None


def test_at_the_visit_the_number_opens_the_intake_pre_filled_and_the_case_gets_the_pages(qtbot, demo) -> None:
    from windowdesk.domain.ids import resident_id_check_char
    from windowdesk.services import material_pages, prereview

    id_number = "11010519491231002" + resident_id_check_char("11010519491231002")
    hub = ApplicationHub(
        "SQ-20261207-FFFFFF",
        {"applicant_name": "李秀英", "id_number": id_number},
        {"M01": [page_photo(1)], "M02": [page_photo(2)]},
    )
    bring_application(demo.db, hub)
    prereview.accept_for_visit(demo.db, demo.ctx, application_id=hub.id)
    window = open_main_window(qtbot, demo)
    qtbot.keyClick(window, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    lookup = window.prereview.visit_dialog
    assert lookup is not None
    qtbot.waitUntil(lookup.isVisible)
    qtbot.keyClicks(lookup.key, "SQ-20261207-ZZZZZZ")
    qtbot.keyClick(lookup.key, Qt.Key.Key_Return)
    assert lookup.isVisible() and "SQ-20261207-ZZZZZZ" in lookup.message.text()  # said, not opened
    lookup.key.clear()
    qtbot.keyClicks(lookup.key, hub.number)
    qtbot.keyClick(lookup.key, Qt.Key.Key_Return)
    intake = window.intake
    qtbot.waitUntil(lambda: intake.online_application_id == hub.id)
    assert window.tabs.currentWidget() is intake and intake.guide.code == "MZ-003"
    assert intake.applicant_picker.chosen is not None and intake.applicant_picker.chosen.name == "李秀英"
    marked = {check.material_code: check.status for check in intake.materials.checks()}
    assert marked == {"M01": "received", "M02": "received"}  # the rest the clerk marks
    intake.materials.mark_all_received()
    with qtbot.waitSignal(intake.recordSaved) as saved:
        intake.accept_case()
    case_id = saved.args[0].id
    pages = material_pages.case_pages(demo.db, demo.ctx, case_id=case_id)
    assert [len(pages.material(code).pages) for code in ("M01", "M02")] == [1, 1]
    assert intake.online_application_id is None  # the next applicant starts blank
