"""The routine intake with the ID card reader, counted key by key (issue 22, section 2):
a known resident's card laid on the reader, a street item found by its pinyin initials,
every material received, accepted, the receipt printed at once: at most 12 keys in all."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.devices.standin import CONTROL_VARIABLE, ReaderControl, build_standin
from tests.ui.helpers import open_main_window
from tests.ui.keystrokes import KeyCounter
from windowdesk.services import card_reader, preferences, worklist
from windowdesk.storage import queries
from windowdesk.storage.models import Operator
from windowdesk.ui.printing.jobs import wait_for_jobs

CTRL = Qt.KeyboardModifier.ControlModifier
WITH_READER_AT_MOST = 12
ZHANG = {
    "name": "张秀英",
    "id": "230902194403180126",
    "birth": "19440318",
    "sex": "2",
    "address": "七台河市新兴区兴华街道兴华路12号3单元201室",
}  # a demo resident


@pytest.fixture(scope="module")
def standin_library(tmp_path_factory):
    return build_standin(tmp_path_factory.mktemp("sdtapi"))


@pytest.fixture
def reader_control(tmp_path, monkeypatch) -> ReaderControl:
    path = tmp_path / "reader-control.txt"
    monkeypatch.setenv(CONTROL_VARIABLE, str(path))
    return ReaderControl(path)


@pytest.fixture
def counter_with_reader(qtbot, demo, standin_library, reader_control):
    with demo.db.write() as session:
        session.get(Operator, demo.ctx.operator_id).role = "administrator"  # who may set up the reader
    card_reader.save_reader_settings(demo.db, demo.ctx, library_path=str(standin_library), port=1001)
    preferences.save_print_at_once(demo.db, True)
    main = open_main_window(qtbot, demo)
    main.print_at_once_action.setChecked(True)
    yield main
    main.service_quality.close()
    assert wait_for_jobs(30_000)


def _printed(db, number: str) -> bool:
    with db.read() as session:
        return any(
            e.action == "document.print" and e.detail.get("number") == number and e.detail.get("output") == "printer"
            for e in queries.audit_entries(session)
        )


def test_routine_intake_with_the_card_reader_takes_at_most_twelve_keys(
    qtbot, counter_with_reader, demo, reader_control
):
    window = counter_with_reader
    view = window.intake
    keys = KeyCounter(qtbot)
    keys.card_read(lambda: reader_control.set("present", **ZHANG))
    qtbot.waitUntil(lambda: view.applicant_picker.chosen is not None, timeout=5000)
    assert view.applicant_picker.chosen.name == "张秀英"
    assert QApplication.focusWidget() is view.item_picker.query_edit, "the card leaves the keys on the item search"
    keys.type("sydj")
    assert "失业登记" in view.item_picker.results.currentItem().text()
    keys.press(Qt.Key.Key_Return)
    assert view.guide is not None and "失业登记" in view.guide.name
    assert view.applicant_picker.chosen.name == "张秀英"  # choosing the item keeps the card's resident
    keys.press(Qt.Key.Key_M, CTRL)  # every material received
    keys.press(Qt.Key.Key_Return, CTRL)  # accept; the receipt prints by itself
    case = [e for e in worklist.list_day_work(demo.db, demo.ctx) if e.kind == "case"][-1]
    qtbot.waitUntil(lambda: _printed(demo.db, case.number), timeout=30_000)
    print(keys.summary())
    assert keys.reads == 1
    assert keys.total <= WITH_READER_AT_MOST, keys.summary()
