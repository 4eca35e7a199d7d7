"""The case watch at 1366×768 on the real main window (issue 22): whom to call about a
late case (the applicant's name, the phone masked), every column but the item's as wide
as its words, the promised date in the screen's one date style; the applicants read only
for the rows shown (issue 29, aim 7)."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from sqlalchemy import event, insert, select

from tests.printing.conftest import all_text
from tests.ui.helpers import accept_demo_case
from windowdesk.domain.uuid7 import new_uuid
from windowdesk.services import cases
from windowdesk.storage import models as m
from windowdesk.storage.db import PASSING_CACHE_KIB
from windowdesk.ui.cases import late_view

SHANGHAI = ZoneInfo("Asia/Shanghai")
FIRST_DEMO_PHONE = "13904641021"  # 张秀英's, the resident accept_demo_case takes


def _watch_at_1366(qtbot, window, demo):
    case = accept_demo_case(demo, dt.datetime(2025, 1, 6, 9, tzinfo=SHANGHAI))
    window.showNormal()
    window.resize(1366, 768)
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    window.late.refresh()
    QApplication.processEvents()
    return case, window.late


def test_the_watch_names_the_applicant_and_masks_the_phone(qtbot, window, demo):
    case, late = _watch_at_1366(qtbot, window, demo)
    model = late.model
    headings = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headings[:4] == ["Case number", "Applicant", "Phone", "Item"]
    row = [model.index(0, c).data() for c in range(model.columnCount())]
    assert row[0] == case.number
    assert row[1] == "张秀英"
    assert row[2] == "139****1021" and FIRST_DEMO_PHONE not in "".join(row)
    # The printed list carries them too (named there for every row), the phone as masked.
    found = cases.late_cases(demo.db, demo.ctx, shipped_calendar=demo.calendar)
    printed = all_text(cases.late_list_pdf(demo.db, demo.ctx, found, whole_center=False))
    assert "张秀英" in printed and "139****1021" in printed and FIRST_DEMO_PHONE not in printed


def _late_copies_of(demo, case_id: str, count: int, **changes) -> list[str]:
    """``count`` more cases like ``case_id`` (same applicant, item and days, so as late),
    written straight to the cases table as a large center's year would have them."""
    table = m.Case.__table__
    with demo.db.write() as session:
        row = dict(session.execute(select(table).where(table.c.id == case_id)).mappings().one())
        copies = [
            {**row, "id": new_uuid(), "case_number": f"{row['case_number']}-{n:04d}", **changes} for n in range(count)
        ]
        session.execute(insert(table), copies)
    return [copy["id"] for copy in copies]


def test_the_watch_reads_the_applicants_only_of_the_rows_it_shows(qtbot, window, demo, monkeypatch):
    # Naming every late case of a large center up front read each one's applicant among
    # millions of residents: 44 MB of scattered pages held in the read cache on 200,000
    # cases (issue 29, aim 7), for names nobody scrolled to. Rows are named as shown.
    case, late = _watch_at_1366(qtbot, window, demo)
    _late_copies_of(demo, case.id, 3 * (late_view.FIT_SAMPLE_ROWS + late_view.NAMED_BLOCK_ROWS))
    late.refresh()
    QApplication.processEvents()
    model, table = late.model, late.table
    rows = model.rowCount()
    assert rows == 1 + 3 * (late_view.FIT_SAMPLE_ROWS + late_view.NAMED_BLOCK_ROWS)

    def named() -> set[int]:
        return {row for row in range(rows) if model.case(row).applicant_name}

    def shown() -> range:
        bottom = table.rowAt(table.viewport().height() - 1)
        return range(table.rowAt(0), (rows - 1 if bottom < 0 else bottom) + 1)

    assert shown() and all(model.case(row).applicant_name == "张秀英" for row in shown())
    # What the table measured to fit the columns and shows, in whole blocks; not the rest.
    assert len(named()) <= late_view.FIT_SAMPLE_ROWS + 2 * late_view.NAMED_BLOCK_ROWS, len(named())
    assert rows - 1 not in named()
    table.scrollToBottom()
    QApplication.processEvents()
    assert rows - 1 in shown() and all(model.case(row).applicant_name == "张秀英" for row in shown())
    assert len(named()) < rows

    # A failure to read them (here the operator disabled meanwhile) is shown once, after
    # the painting, and those rows stay without names.
    errors = []
    monkeypatch.setattr(late_view, "show_error", lambda _parent, error: errors.append(error.title))
    with demo.db.write() as session:
        session.get(m.Operator, demo.ctx.operator_id).active = False
    unnamed = min(set(range(rows)) - named())
    table.scrollTo(model.index(unnamed, 0))
    QApplication.processEvents()
    qtbot.waitUntil(lambda: errors == ["Not logged in"])
    assert unnamed in shown() and model.index(unnamed, 1).data() == ""


def test_the_applicants_are_read_by_each_cases_id_and_only_in_the_watchs_scope(demo):
    case = accept_demo_case(demo, dt.datetime(2025, 1, 6, 9, tzinfo=SHANGHAI))
    with demo.db.read() as session:
        other_window = session.scalars(
            select(m.Window.id).where(m.Window.center_code == demo.ctx.center_code, m.Window.id != demo.ctx.window_id)
        ).first()
    assert other_window is not None
    [elsewhere] = _late_copies_of(demo, case.id, 1, window_id=other_window)
    whole = cases.late_cases(demo.db, demo.ctx, shipped_calendar=demo.calendar, whole_center=True)
    assert {c.case_id for c in whole} == {case.id, elsewhere}
    statements = {demo.db.read_engine: [], demo.db.passing_engine: []}

    def _seen(conn, _cursor, statement, parameters, _context, _many):
        if "FROM cases" in statement and "residents" in statement:
            statements[conn.engine].append((statement, parameters))

    for engine in statements:
        event.listen(engine, "before_cursor_execute", _seen)
    try:
        own_scope = cases.with_applicants(demo.db, demo.ctx, whole)
        center_scope = cases.with_applicants(demo.db, demo.ctx, whole, whole_center=True)
    finally:
        for engine in statements:
            event.remove(engine, "before_cursor_execute", _seen)

    # The window's own watch names its own cases only; the center's, all of them.
    assert {c.case_id: c.applicant_name for c in own_scope} == {case.id: "张秀英", elsewhere: ""}
    assert {c.applicant_name for c in center_scope} == {"张秀英"}
    assert [c.case_id for c in center_scope] == [c.case_id for c in whole]  # in the watch's order
    # Read by the passing reader, whose small cache does not keep the applicants' scattered
    # pages (44 MB on 200,000 cases) beside the pages the watch reads again at every look.
    assert not statements[demo.db.read_engine] and len(statements[demo.db.passing_engine]) == 2
    statement, parameters = statements[demo.db.passing_engine][0]
    with demo.db.passing_engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA cache_size").scalar() == -PASSING_CACHE_KIB
        plan = [row[-1] for row in connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)]
    # Each case sought by its id, never the center's cases walked by a center index.
    assert "sqlite_autoindex_cases_1 (id=?)" in plan[0], plan
    assert not any("ix_cases_center" in step or step.startswith("SCAN cases") for step in plan), plan


def test_the_watchs_columns_fit_their_words_at_1366_by_768(qtbot, window, demo):
    _case, late = _watch_at_1366(qtbot, window, demo)
    table = late.table
    assert table.viewport().width() <= 1366
    for column in range(late.model.columnCount()):
        if column == 3:  # the item: the column that takes the room left, and may be cut
            continue
        needed = max(table.sizeHintForColumn(column), table.horizontalHeader().sectionSizeHint(column))
        assert table.columnWidth(column) >= needed, (
            late.model.headerData(column, Qt.Orientation.Horizontal),
            table.columnWidth(column),
            needed,
        )


def test_the_watch_shows_the_promised_date_in_the_screens_style(qtbot, window, demo):
    _case, late = _watch_at_1366(qtbot, window, demo)
    promised = late.model.case(0).state.promised_due
    shown = late.model.index(0, 5).data()
    assert shown == promised.isoformat() and re.fullmatch(r"\d{4}-\d{2}-\d{2}", shown)
