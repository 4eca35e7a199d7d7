"""From the login screen to the main window.

A window stands at the login screen until its operator logs in, so that screen comes
first and needs only its own dialog: the main window's modules (its views, printing,
the PDF reader, the sync controller: about a third of the start's CPU) are imported once
someone has logged in (issue 29, aim 6; tests/integration/test_start_imports.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QApplication, QDialog

from windowdesk.heap import resume_collection, settle_startup_heap
from windowdesk.services import auth, workstation

if TYPE_CHECKING:
    from pathlib import Path

    from PySide6.QtWidgets import QWidget

    from windowdesk.domain.calendar import WorkingCalendar
    from windowdesk.services.context import CounterContext, Database
    from windowdesk.ui.auth.login_dialog import LoginDialog
    from windowdesk.ui.first_run import FirstRunDialog


def render(widget: QWidget, target: Path) -> bool:
    """Show ``widget`` and save what it draws (``--smoke-test``)."""
    widget.show()
    QApplication.processEvents()
    target.parent.mkdir(parents=True, exist_ok=True)
    return widget.grab().save(str(target))


def _operators_turn(dialog: FirstRunDialog | LoginDialog, *, smoke_test: Path | None) -> CounterContext | None:
    """The start's screen stands and waits for its operator: the garbage collector, held
    during the start, resumes (windowdesk/heap.py)."""
    resume_collection()
    if smoke_test is not None:
        render(dialog, smoke_test)
        dialog.close()  # a smoke test ends here: nothing stays on screen
        return None
    return dialog.context if dialog.exec() == QDialog.DialogCode.Accepted else None


def _log_in(db: Database, *, demo: bool, demo_made_now: bool, smoke_test: Path | None) -> CounterContext | None:
    """Who works at this window now: the first-run set-up, the demo account, or a login.
    A demo folder made at this start has the published demo password: checking it first
    would be a second scrypt hash of it beside the login's own (issue 29, aim 6)."""
    if not workstation.is_configured(db):
        from windowdesk.ui.first_run import FirstRunDialog

        return _operators_turn(FirstRunDialog(db), smoke_test=smoke_test)
    if demo:
        from windowdesk.services import bootstrap

        if demo_made_now or bootstrap.demo_password_in_use(db):
            return auth.log_in(db, login=bootstrap.DEMO_LOGIN, password=bootstrap.DEMO_PASSWORD).ctx
    from windowdesk.ui.auth.login_dialog import LoginDialog

    return _operators_turn(LoginDialog(db), smoke_test=smoke_test)  # also --demo once the demo password was changed


def launch(
    app: QApplication,
    *,
    db: Database,
    shipped_calendar: WorkingCalendar,
    demo: bool = False,
    smoke_test: Path | None = None,
    demo_made_now: bool = False,
) -> int:
    """``demo_made_now``: the demo folder was made at this start (windowdesk/app.py)."""
    ctx = _log_in(db, demo=demo, demo_made_now=demo_made_now, smoke_test=smoke_test)
    if ctx is None:
        return 0 if smoke_test is None or smoke_test.exists() else 1
    from windowdesk.ui.main_window import MainWindow

    window = MainWindow(db, ctx, shipped_calendar)
    if smoke_test is not None:
        drawn = render(window, smoke_test)
        window.close_without_keeping()
        return 0 if drawn else 1
    settle_startup_heap()
    window.restore_geometry()
    window.show()
    window.sync.start()
    return app.exec()
