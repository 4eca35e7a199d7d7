"""告知承诺制 through the real widgets, offscreen, on a real SQLite file: the intake screen
offers it only for a marked item, accepts and decides the case on the spot from one tick
and prints its 告知承诺书; an applicant with a credit flag (from the hub's feed) is told
in plain words, and nothing is saved; the tick is kept with the unsaved form."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from tests.ui.test_intake_window import _choose_item
from windowdesk.domain.commitment import credit_key_hash
from windowdesk.printing.data import CommitmentNoticeData
from windowdesk.services import worklist
from windowdesk.services.sync_apply import apply_change
from windowdesk.storage import models as m
from windowdesk.sync import protocol

DEMO_ID = "230902196210010496"  # 王建国
WAIT_MS = 5000
KEY = "cd" * 32


def _fill(qtbot, view) -> None:
    view.applicant_picker.query_edit.setFocus()
    qtbot.keyClicks(view.applicant_picker.query_edit, DEMO_ID)
    qtbot.keyClick(view.applicant_picker.query_edit, Qt.Key.Key_Return)
    view.materials.mark_all_received()


def test_an_item_not_marked_does_not_offer_notify_and_commit(qtbot, window):
    _choose_item(qtbot, window, "lnz", "老年证")
    assert window.intake.commitment_box.isHidden()


def test_a_case_under_notify_and_commit_is_decided_at_once_and_prints_its_notice(qtbot, window, demo):
    view = window.intake
    _choose_item(qtbot, window, "经济状况证明", "居民家庭经济状况证明")
    assert not view.commitment_box.isHidden() and view.commitment_box.certificate_edit.isHidden()
    _fill(qtbot, view)
    view.commitment_box.commit_check.setChecked(True)
    record = view.draft_record()  # kept over a restart, and given back
    assert record["commitment"] == {"on": True, "certificate": ""}
    view.reset()
    view.restore_draft_record(record)
    assert view.commitment_box.commit_check.isChecked()

    qtbot.keyClick(view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    assert "Accepted" in view.result_label.text()
    [entry] = worklist.list_day_work(demo.db, demo.ctx)
    with demo.db.read() as session:
        case = session.get(m.Case, entry.id)
        assert case.status == "completed" and case.commitment is not None
    assert view.commitment_box.isHidden()  # the form is ready for the next applicant
    assert view.notice_action.isEnabled() and not view.commitment_action.isEnabled()
    view.notice_action.trigger()
    qtbot.waitUntil(lambda: view.print_dialog is not None and view.print_dialog.isVisible(), timeout=WAIT_MS)
    assert isinstance(view.print_dialog.request.data, CommitmentNoticeData)
    assert view.print_dialog.request.number == entry.number
    view.print_dialog.close()


def test_a_flagged_applicant_is_told_plainly_and_nothing_is_saved(qtbot, window, demo):
    with demo.db.write() as session:
        now = dt.datetime.now(dt.UTC)
        apply_change(session, protocol.Change(1, protocol.CHANGE_CREDIT_KEY, "credit_key", "1", {"key": KEY}), now=now)
        apply_change(
            session,
            protocol.Change(
                2,
                protocol.CHANGE_CREDIT_FLAG,
                "credit_flag",
                "f",
                {
                    "id": "0190a0a0-0000-7000-8000-0000000000aa",
                    "key_hash": credit_key_hash(bytes.fromhex(KEY), DEMO_ID),
                    "case_number": "CH-20260101-01-0001",
                    "flagged_at": now.isoformat(),
                    "reason": "不实",
                    "lifted_at": None,
                    "lift_reason": "",
                },
            ),
            now=now,
        )
    view = window.intake
    _choose_item(qtbot, window, "经济状况证明", "居民家庭经济状况证明")
    _fill(qtbot, view)
    view.commitment_box.commit_check.setChecked(True)

    qtbot.keyClick(view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    assert "credit flag" in view.result_label.text()
    assert worklist.list_day_work(demo.db, demo.ctx) == []
    assert view.commitment_box.commit_check.isChecked()  # nothing typed is lost
