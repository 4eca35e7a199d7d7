"""What the main window reads from the database while it is built: each list once."""

from __future__ import annotations

import collections

from sqlalchemy import event

from windowdesk.ui.main_window import MainWindow


def test_the_window_reads_the_fees_receipts_and_day_close_once_while_it_is_built(qtbot, demo):
    statements: collections.Counter[str] = collections.Counter()

    def _seen(_conn, _cursor, statement, _parameters, _context, _many) -> None:
        statements[" ".join(statement.split())] += 1

    engines = (demo.db.read_engine, demo.db.write_engine, demo.db.passing_engine)
    for engine in engines:
        event.listen(engine, "before_cursor_execute", _seen)
    try:
        window = MainWindow(demo.db, demo.ctx, demo.calendar)
        qtbot.addWidget(window)
    finally:
        for engine in engines:
            event.remove(engine, "before_cursor_execute", _seen)
    try:
        # The fees still due, the day's receipts and the till's totals: read for the fees
        # tab as it is built, not read again when the window words its tabs (the fees view
        # refreshed in its own retranslate, and the window retranslates it at the start).
        fee_lists = {
            statement: count
            for statement, count in statements.items()
            if statement.startswith("SELECT receipts.id,") or "coalesce(sum(receipts.amount_fen)" in statement
        }
        assert fee_lists, statements
        assert all(count == 1 for count in fee_lists.values()), fee_lists
        assert window.fees.receipts_view.receipts_caption.text().startswith("Receipts issued today: 0")
        assert window.fees.dayclose_view.day_label.text().startswith("Day: ")
    finally:
        window.service_quality.close()
