"""The ID card reader at the intake screen: the real main window, the real reader thread,
the sdtapi plug-in through ctypes, on the stand-in library built from C."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from tests.devices.standin import CONTROL_VARIABLE, ReaderControl, build_standin
from tests.ui.helpers import open_main_window
from windowdesk.services import applicants, card_reader
from windowdesk.storage.models import Operator
from windowdesk.ui.devices.reader_settings_dialog import ReaderSettingsDialog
from windowdesk.ui.intake.card_intake import CardRegisterResidentDialog

KNOWN = {
    "name": "张秀英",
    "id": "230902194403180126",
    "birth": "19440318",
    "sex": "2",
    "address": "七台河市新兴区兴华街道兴华路12号3单元201室",
}  # a demo resident
WAIT_MS = 5000


@pytest.fixture(scope="module")
def standin_library(tmp_path_factory):
    return build_standin(tmp_path_factory.mktemp("sdtapi"))


@pytest.fixture
def reader_control(tmp_path, monkeypatch) -> ReaderControl:
    path = tmp_path / "reader-control.txt"
    monkeypatch.setenv(CONTROL_VARIABLE, str(path))
    return ReaderControl(path)


def _as_administrator(demo):
    with demo.db.write() as session:
        session.get(Operator, demo.ctx.operator_id).role = "administrator"


@pytest.fixture
def reader_window(qtbot, demo, standin_library, reader_control):
    """The main window of a workstation whose administrator set up the reader."""
    _as_administrator(demo)
    card_reader.save_reader_settings(demo.db, demo.ctx, library_path=str(standin_library), port=1001)
    main = open_main_window(qtbot, demo)
    yield main
    main.service_quality.close()


def _status_messages(window) -> list[str]:
    # The reader's thread starts with the window: its first word may be shown already.
    messages: list[str] = [text] if (text := window.statusBar().currentMessage()) else []
    window.statusBar().messageChanged.connect(lambda text: text and messages.append(text))
    return messages


def _open_card_dialog(qtbot, window) -> CardRegisterResidentDialog:
    wiring = window.card_reader
    qtbot.waitUntil(lambda: wiring.register_dialog is not None and wiring.register_dialog.isVisible(), timeout=WAIT_MS)
    return wiring.register_dialog


def test_no_reader_set_up_starts_no_thread(qtbot, window):
    assert window.card_reader.reader_thread is None
    assert card_reader.reader_settings(window.db) is None
    # The demo supervisor does not set up devices; the menu is there, greyed.
    window.card_reader.menu.aboutToShow.emit()
    assert not window.card_reader.settings_action.isEnabled()


def test_the_card_of_a_registered_resident_chooses_them(qtbot, reader_window, reader_control):
    view = reader_window.intake
    assert reader_window.card_reader.reader_thread.isRunning()
    reader_control.set("present", **KNOWN)
    qtbot.waitUntil(lambda: view.applicant_picker.chosen is not None, timeout=WAIT_MS)
    assert view.applicant_picker.chosen.name == "张秀英"
    assert "Read from the ID card" in view.result_label.text() and view.result_label.isVisible()
    assert "230902194403180126" not in view.result_label.text()  # masked on the screen too
    assert QApplication.activeModalWidget() is None  # nothing to register, nothing opened

    # Left on the reader, the card does not choose them again.
    view.applicant_picker.reset()
    qtbot.wait(1500)
    assert view.applicant_picker.chosen is None
    # Taken away and laid again, it does.
    reader_control.set("absent")
    qtbot.wait(1500)
    reader_control.set("present", **KNOWN)
    qtbot.waitUntil(lambda: view.applicant_picker.chosen is not None, timeout=WAIT_MS)


def test_an_unknown_card_opens_the_registration_filled_in_and_saves_without_typing(
    qtbot, reader_window, reader_control
):
    view = reader_window.intake
    reader_window.tabs.setCurrentWidget(reader_window.today)
    reader_control.set("present")  # 王小明, not registered
    dialog = _open_card_dialog(qtbot, reader_window)
    assert reader_window.tabs.currentWidget() is view
    assert dialog.id_edit.text() == "110101198001010010" and dialog.id_edit.isReadOnly()
    assert dialog.name_edit.text() == "王小明"
    assert dialog.address_edit.text() == "北京市东城区东华门街道南池子大街1号"
    assert "男" in dialog.findChild(type(dialog.error_label), "cardDetails").text()
    assert dialog.findChild(type(dialog.error_label), "readFromCard").isVisible()
    assert not dialog.expired_label.isVisible()
    assert dialog.card.photo == b"WLT\x00\x01\x7f\x80\xff"

    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: view.applicant_picker.chosen is not None, timeout=WAIT_MS)
    assert view.applicant_picker.chosen.name == "王小明"
    assert "Read from the ID card" in view.result_label.text()
    found = applicants.find_residents(reader_window.db, reader_window.ctx, query="110101198001010010")
    assert [r.name for r in found] == ["王小明"]
    assert found[0].detail.startswith("Male 1980-01-01")
    with reader_window.db.read() as session:
        from windowdesk.storage.models import Resident

        row = session.query(Resident).filter_by(id_number="110101198001010010").one()
        assert row.address == "北京市东城区东华门街道南池子大街1号"


def test_an_expired_card_is_said_in_plain_words(qtbot, reader_window, reader_control):
    reader_control.set("expired")
    dialog = _open_card_dialog(qtbot, reader_window)
    assert dialog.expired_label.isVisible()
    assert "This ID card expired on" in dialog.expired_label.text()
    assert "2020" in dialog.expired_label.text()
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    view = reader_window.intake
    qtbot.waitUntil(lambda: view.applicant_picker.chosen is not None, timeout=WAIT_MS)
    assert "This ID card expired on" in view.result_label.text()


def test_an_expired_card_of_a_known_resident_warns_too(qtbot, reader_window, reader_control):
    reader_control.set("expired", **KNOWN)
    view = reader_window.intake
    qtbot.waitUntil(lambda: view.applicant_picker.chosen is not None, timeout=WAIT_MS)
    assert "This ID card expired on" in view.result_label.text()


def test_a_failing_reader_is_told_once_and_polled_on_until_it_works(qtbot, demo, standin_library, reader_control):
    reader_control.set("port_fail")
    _as_administrator(demo)
    card_reader.save_reader_settings(demo.db, demo.ctx, library_path=str(standin_library), port=1001)
    main = open_main_window(qtbot, demo)
    try:
        messages = _status_messages(main)
        qtbot.waitUntil(lambda: len(messages) == 1, timeout=WAIT_MS)
        assert "port 1001 cannot be used" in messages[0] and "keeps trying" in messages[0]
        qtbot.wait(2000)  # four more polls, all failing
        assert len(messages) == 1
        reader_control.set("present", **KNOWN)
        qtbot.waitUntil(lambda: main.intake.applicant_picker.chosen is not None, timeout=WAIT_MS)
        assert "The ID card reader works again." in messages
    finally:
        main.service_quality.close()


def test_an_administrator_sets_up_the_reader_and_it_starts(qtbot, demo, standin_library, reader_control):
    _as_administrator(demo)
    main = open_main_window(qtbot, demo)
    try:
        assert main.card_reader.reader_thread is None
        main.card_reader.menu.aboutToShow.emit()
        assert main.card_reader.settings_action.isEnabled()
        main.card_reader.settings_action.trigger()
        dialog = main.card_reader.settings_dialog
        assert isinstance(dialog, ReaderSettingsDialog) and dialog.isVisible()
        dialog.library_edit.setText(str(standin_library))
        dialog.port_box.setValue(1001)
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
        assert not dialog.isVisible()
        assert main.card_reader.reader_thread is not None
        reader_control.set("present", **KNOWN)
        qtbot.waitUntil(lambda: main.intake.applicant_picker.chosen is not None, timeout=WAIT_MS)

        # "No reader at this window": the thread stops.
        main.card_reader.settings_action.trigger()
        main.card_reader.settings_dialog.remove_button.click()
        assert main.card_reader.reader_thread is None
    finally:
        main.service_quality.close()


def test_the_expiry_is_said_in_chinese_at_a_chinese_counter(qtbot, reader_window, reader_control):
    from windowdesk.i18n import set_locale

    set_locale("zh_CN")  # the autouse fixture puts English back afterwards
    reader_control.set("expired", **KNOWN)
    view = reader_window.intake
    qtbot.waitUntil(lambda: view.applicant_picker.chosen is not None, timeout=WAIT_MS)
    assert "读卡成功" in view.result_label.text() and "信息来自身份证" in view.result_label.text()
    assert "此身份证已于 2020-01-01 过期" in view.result_label.text()  # the screen's one date style


def _waiting_online_application(demo, number: str) -> str:
    """An online application of the KNOWN card's holder, accepted for the visit here."""
    from tests.sync.application_stand_in import ApplicationHub, bring_application, page_photo
    from windowdesk.services import prereview

    hub = ApplicationHub(number, {"applicant_name": KNOWN["name"], "id_number": KNOWN["id"]}, {"M01": [page_photo(1)]})
    bring_application(demo.db, hub)
    prereview.accept_for_visit(demo.db, demo.ctx, application_id=hub.id)
    return hub.id


def test_the_card_of_a_resident_with_an_online_application_offers_it_and_enter_opens_it(
    qtbot, reader_window, reader_control, demo
):
    application_id = _waiting_online_application(demo, "SQ-20261207-CARD01")
    reader_control.set("present", **KNOWN)
    wiring = reader_window.prereview
    qtbot.waitUntil(lambda: wiring.visit_dialog is not None and wiring.visit_dialog.isVisible(), timeout=WAIT_MS)
    lookup = wiring.visit_dialog
    assert lookup.key.text() == "SQ-20261207-CARD01" and "SQ-20261207-CARD01" in lookup.message.text()
    assert reader_window.intake.applicant_picker.chosen is None  # offered first, not yet taken
    qtbot.keyClick(lookup.key, Qt.Key.Key_Return)
    intake = reader_window.intake
    qtbot.waitUntil(lambda: intake.online_application_id == application_id, timeout=WAIT_MS)
    assert intake.applicant_picker.chosen is not None and intake.applicant_picker.chosen.name == KNOWN["name"]
    assert intake.guide is not None and not lookup.isVisible()


def test_declining_the_offered_application_takes_the_card_into_the_intake_as_before(
    qtbot, reader_window, reader_control, demo
):
    _waiting_online_application(demo, "SQ-20261207-CARD02")
    reader_control.set("present", **KNOWN)
    wiring = reader_window.prereview
    qtbot.waitUntil(lambda: wiring.visit_dialog is not None and wiring.visit_dialog.isVisible(), timeout=WAIT_MS)
    qtbot.keyClick(wiring.visit_dialog.key, Qt.Key.Key_Escape)
    view = reader_window.intake
    qtbot.waitUntil(lambda: view.applicant_picker.chosen is not None, timeout=WAIT_MS)
    assert view.applicant_picker.chosen.name == KNOWN["name"] and view.online_application_id is None
    assert reader_window.card_reader.offered_card is None  # the card's data is not kept


def test_a_card_laid_while_the_visit_lookup_is_open_finds_the_application(qtbot, reader_window, reader_control, demo):
    application_id = _waiting_online_application(demo, "SQ-20261207-CARD03")
    lookup = reader_window.prereview.open_visit()
    qtbot.waitUntil(lookup.isVisible)
    reader_control.set("present", **KNOWN)
    qtbot.waitUntil(lambda: reader_window.intake.online_application_id == application_id, timeout=WAIT_MS)
    assert not lookup.isVisible()
