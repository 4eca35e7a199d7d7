"""The sync window's list of changes the hub refused speaks a supervisor's words: what
was done, the record by the number people know (an ID number masked), and the hub's
reason; not the protocol's names and UUIDs."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from tests.ui.helpers import accept_demo_case, open_main_window
from windowdesk.i18n import set_locale
from windowdesk.domain.case_state import CaseAction
from windowdesk.services import applicants, cases
from windowdesk.storage import models as m
from windowdesk.sync import protocol
from windowdesk.ui.sync.change_words import change_words

ID_NUMBER = "110101199003074514"
LONG_REASON = (
    "本工作站注册在中心 CH，却发送了中心 JD 的业务。什么也没有保存。请联系管理员为本工作站重新注册到正确的中心。"
)


def _refuse(demo, kind: str, entity_id: str, reason: str) -> None:
    with demo.db.write() as session:
        changed = session.execute(
            update(m.OutboxEvent).where(m.OutboxEvent.kind == kind, m.OutboxEvent.entity_id == entity_id)
            .values(state="rejected", last_error=reason)
        )
        assert changed.rowcount == 1


def _rows(table) -> list[list[str]]:
    return [[table.item(row, col).text() for col in range(table.columnCount())] for row in range(table.rowCount())]


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_refused_changes_are_listed_in_words(qtbot, demo, language) -> None:
    case = accept_demo_case(demo)
    person = applicants.register_resident(demo.db, demo.ctx, id_number=ID_NUMBER, name="赵敏").ref
    _refuse(demo, "case.accepted", case.id, "事项 MZ-001 不在市级平台发布的任何服务目录中。")
    _refuse(demo, "resident.registered", person.id, LONG_REASON)
    cases.change_status(demo.db, demo.ctx, case_id=case.id, action=CaseAction.WITHDRAW, note="申请人撤回")
    _refuse(demo, "case.status", case.id, "办件状态不符")
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
        ("Case accepted", "Resident registered", "Case status changed") if language == "en"
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
