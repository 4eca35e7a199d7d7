"""The main window: intake first, today's work beside it, the counter's state below."""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QEvent, Qt
from PySide6.QtGui import QActionGroup, QKeySequence, QMouseEvent, QShortcut
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QMainWindow, QTabWidget
from shiboken6 import isValid

from windowdesk import i18n
from windowdesk.domain.calendar import WorkingCalendar
from windowdesk.domain.permissions import Permission
from windowdesk.errors import WindowdeskError
from windowdesk.i18n import _, ngettext
from windowdesk.screen_dates import on_screen
from windowdesk.services import auth, card_reader, catalog, material_pages, preferences, queue_settings
from windowdesk.services import sync as sync_service
from windowdesk.services.authorization import may, rights_of
from windowdesk.services.context import CounterContext, Database
from windowdesk.sync import protocol
from windowdesk.sync.credentials import TokenStore
from windowdesk.ui.application import apply_language, qt_application
from windowdesk.ui.auth.idle import IdleWatcher
from windowdesk.ui.auth.lock_cover import LockCover
from windowdesk.ui.auth.login_dialog import ChangePasswordDialog, LockDialog
from windowdesk.ui.cases.inquiry_dialog import InquiryDialog
from windowdesk.ui.devices.wiring import CardReaderWiring
from windowdesk.ui.errors import show_error
from windowdesk.ui.fees.view import FeesView
from windowdesk.ui.intake.view import IntakeView
from windowdesk.ui.lazy_tab import LazyTab
from windowdesk.ui.materials.wiring import LastCasePages
from windowdesk.ui.object_names import named
from windowdesk.ui.prereview.wiring import PreReviewWiring
from windowdesk.ui.queue.wiring import QueueWiring
from windowdesk.ui.screen_fit import fit_on_screen
from windowdesk.ui.service_quality.wiring import ServiceQualityWiring
from windowdesk.ui.sync.controller import SyncController
from windowdesk.ui.workers import Workers
from windowdesk.ui.worklist.view import TodayView

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Callable

    from PySide6.QtCore import QObject
    from PySide6.QtGui import QCloseEvent, QShowEvent
    from PySide6.QtWidgets import QWidget

    from windowdesk.services.intake import IntakeResult
    from windowdesk.services.payments import PaymentResult
    from windowdesk.services.sync import SyncReport
    from windowdesk.ui.cases.late_view import LateCasesView
    from windowdesk.ui.sync.sync_dialog import SyncDialog

REFUSED_STYLE = "color: #b00020; font-weight: bold"
REFUSAL_MESSAGE_MS = 60_000


class MainWindow(QMainWindow):
    def __init__(
        self,
        db: Database,
        ctx: CounterContext,
        shipped_calendar: WorkingCalendar,
        *,
        token_store_for: Callable[[str], TokenStore] = TokenStore,
    ) -> None:
        super().__init__()
        self.db = db
        self.ctx = ctx
        # The operator's row read once for the whole build: the tabs, menus and wirings show
        # or hide what this operator may use from it (the services still check every action).
        self.rights = rights_of(db, ctx)
        # The settings the build reads (the sync's status, printing at once, the card reader,
        # the hall, the operator's kept form), in one statement; later reads read them afresh.
        settings = preferences.read_settings(
            db,
            (
                *sync_service.STATUS_KEYS,
                preferences.KEY_PRINT_AT_ONCE,
                *card_reader.READER_KEYS,
                queue_settings.KEY_HALL_URL,
                preferences.draft_key(ctx.operator_id),
            ),
        )
        self.token_store_for = token_store_for
        self.workers = Workers()
        # The scanned pages' bytes go after the events at every sync (services/page_upload.py).
        self.sync = SyncController(
            db,
            self.workers,
            token_store_for=token_store_for,
            blobs=material_pages.open_page_store(db),
            settings=settings,
            parent=self,
        )
        self.search = catalog.CatalogSearch(db)
        self.intake = IntakeView(db, ctx, self.search, shipped_calendar)
        self.today = TodayView(db, ctx)
        self.shipped_calendar = shipped_calendar
        self.tabs = named(QTabWidget(), "mainTabs")
        self.tabs.addTab(self.intake, "")
        self.tabs.addTab(self.today, "")
        self.late_tab = LazyTab(self.tabs, self._make_late)  # the case watch, made when first shown
        self.fees = FeesView(db, ctx)
        self.today.collect_fee = self.fees.collect_fee
        self.today.workers = self.workers  # the scanned pages' jobs run on the window's lanes
        self.tabs.addTab(self.fees, "")
        self.setCentralWidget(self.tabs)
        self.center_label = named(QLabel(), "statusCenter")
        self.window_label = named(QLabel(), "statusWindow")
        self.operator_label = named(QLabel(), "statusOperator")
        self.network_label = named(QLabel(), "statusNetwork")
        self.unsent_label = named(QLabel(), "statusUnsent")
        self.last_sync_label = named(QLabel(), "statusLastSync")
        for label in (self.center_label, self.window_label, self.operator_label):
            self.statusBar().addWidget(label)
        for label in (self.unsent_label, self.last_sync_label, self.network_label):
            self.statusBar().addPermanentWidget(label)
        self.intake.recordSaved.connect(self._record_saved)
        self.sync.statusChanged.connect(self.show_sync_status)
        self.sync.dataChanged.connect(self._hub_data_changed)
        self.sync.finished.connect(self._tell_refusals)
        # The unsent count opens the sync window, where the refused changes are listed.
        self.unsent_label.setCursor(Qt.CursorShape.PointingHandCursor)
        self.unsent_label.installEventFilter(self)
        self._fee_reminder: str | None = None  # the status bar's "press F8" while it shows
        self.drafts: dict[str, dict] = {}  # operator id -> unsaved intake form
        self.sync_dialog: SyncDialog | None = None
        self.lock_dialog: LockDialog | None = None
        self._keeps_on_close = True  # the form and the size, for the next start (closeEvent)
        self.lock_cover = LockCover(self)
        self._focus_before_lock: QWidget | None = None
        self.idle = IdleWatcher(qt_application(), parent=self)
        self.idle.idle.connect(self.lock)
        self._build_menu(settings)
        self._build_fees_menu()
        self.service_quality = ServiceQualityWiring(self)  # ratings, inquiries, complaints, reports
        self.last_case_pages = LastCasePages(self)  # F7: the scanned pages of the case just accepted
        self.card_reader = CardReaderWiring(self, settings)  # the ID card reader, where one is set up
        self.queue = QueueWiring(
            self, token_store_for=token_store_for, settings=settings
        )  # the hall's queue (排队叫号)
        self.prereview = PreReviewWiring(self)  # 网上预审: the online applications (Ctrl+Shift+O)
        self.tabs.currentChanged.connect(self._tab_changed)
        for keys, index in (("Ctrl+1", 0), ("Ctrl+2", 1), ("Ctrl+3", 2)):
            QShortcut(QKeySequence(keys), self).activated.connect(lambda i=index: self.tabs.setCurrentIndex(i))
        # F2, F3 and Ctrl+Shift+N from any other screen bring the intake forward (the
        # intake's own shortcuts serve while it shows; both at once would be ambiguous).
        self._to_intake_shortcuts = []
        for keys, slot in (
            ("F2", self.intake.focus_item_search),
            ("F3", self.intake.focus_applicant_search),
            ("Ctrl+Shift+N", self.intake.applicant_picker.register_new),
        ):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.activated.connect(lambda slot=slot: self._on_intake(slot))
            shortcut.setEnabled(False)
            self._to_intake_shortcuts.append(shortcut)
        QShortcut(QKeySequence("F5"), self).activated.connect(self.today.refresh)
        QShortcut(QKeySequence("F4"), self).activated.connect(self.open_inquiry)
        self.retranslate()
        self._give_back_draft(settings)
        # Fits a 1280×720 screen with its taskbar; launch() then restores the last size.
        self.resize(1240, 640)

    @property
    def late(self) -> LateCasesView:
        """The case watch (Ctrl+3), made now if it was not yet."""
        return self.late_tab.widget

    def _make_late(self) -> LateCasesView:
        from windowdesk.ui.cases.late_view import LateCasesView  # imported when first shown

        return LateCasesView(self.db, self.ctx, self.shipped_calendar, self.rights, workers=self.workers)

    def retranslate(self) -> None:
        self.setWindowTitle(
            _("windowdesk \u2014 {center}, window {window}").format(
                center=self.ctx.center_name, window=self.ctx.window_code
            )
        )
        self.tabs.setTabText(0, _("&Intake (Ctrl+1)"))
        self.tabs.setTabText(1, _("&Today's work (Ctrl+2)"))
        self.tabs.setTabText(2, _("Case &watch (Ctrl+3)"))
        self.center_label.setText(_("Center: {name}").format(name=self.ctx.center_name))
        self.window_label.setText(
            _("Window: {code} {name}").format(code=self.ctx.window_code, name=self.ctx.window_name)
        )
        self.operator_label.setText(_("Operator: {name}").format(name=self.ctx.operator_name))
        self.sync_menu.setTitle(_("&Sync"))
        self.sync_now_action.setText(_("Sync &now (F9)"))
        self.end_of_day_action.setText(_("&End-of-day sync"))
        self.sync_window_action.setText(_("Sync &window…"))
        self.enroll_action.setText(_("&Enroll with the hub…"))
        self.account_menu.setTitle(_("&Account"))
        self.lock_action.setText(_("&Lock the window (Ctrl+L)"))
        self.password_action.setText(_("Change &password…"))
        self.print_menu.setTitle(_("P&rinting"))
        self.print_at_once_action.setText(_("Print each document &at once on the default printer"))
        self.language_menu.setTitle(_("&Language"))
        self.show_sync_status()
        self.intake.retranslate()
        self._retranslate_fees()
        self.service_quality.retranslate()
        self.card_reader.retranslate()
        self.queue.retranslate()
        if self.late_tab.built:  # else worded as it is made
            self.late.retranslate()
        self.prereview.retranslate()

    def _build_menu(self, settings: Mapping[str, str]) -> None:
        self.sync_menu = self.menuBar().addMenu("")
        self.sync_now_action = self.sync_menu.addAction("")
        self.sync_now_action.setShortcut(QKeySequence("F9"))
        self.sync_now_action.triggered.connect(self.sync_now)
        self.end_of_day_action = self.sync_menu.addAction("")
        self.end_of_day_action.triggered.connect(self.end_of_day_sync)
        self.sync_window_action = self.sync_menu.addAction("")
        self.sync_window_action.triggered.connect(self.open_sync_window)
        self.sync_menu.addSeparator()
        self.enroll_action = self.sync_menu.addAction("")
        self.enroll_action.triggered.connect(self.open_enroll)
        self._allow_enrolling()
        self.account_menu = self.menuBar().addMenu("")
        self.lock_action = self.account_menu.addAction("")
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.lock_action.triggered.connect(self.lock)
        self.password_action = self.account_menu.addAction("")
        self.password_action.triggered.connect(self.change_password)
        # Also on the window itself, so the shortcuts work wherever the focus is.
        self.addActions([self.sync_now_action, self.lock_action])
        self.print_menu = self.menuBar().addMenu("")
        self.print_at_once_action = self.print_menu.addAction("")
        self.print_at_once_action.setCheckable(True)
        self.print_at_once_action.setChecked(preferences.prints_at_once(self.db, settings))
        self.print_at_once_action.toggled.connect(self._set_print_at_once)
        self.language_menu = self.menuBar().addMenu("")
        languages = QActionGroup(self)
        self.language_actions = {}
        # Each language is named in itself, so whoever cannot read the current one finds theirs.
        for code, name in (("zh_CN", "中文（简体）"), ("en", "English")):
            action = self.language_menu.addAction(name)
            action.setCheckable(True)
            action.setChecked(code == i18n.current_locale())
            action.triggered.connect(lambda _checked, code=code: self.switch_language(code))
            languages.addAction(action)
            self.language_actions[code] = action

    def _set_print_at_once(self, at_once: bool) -> None:
        try:
            preferences.save_print_at_once(self.db, at_once)
        except WindowdeskError as error:
            show_error(self, error)

    def switch_language(self, locale_name: str) -> None:
        """Every screen speaks the chosen language at once, and this counter keeps it."""
        try:
            preferences.save_language(self.db, locale_name)
        except WindowdeskError as error:
            show_error(self, error)
            return
        apply_language(qt_application(), locale_name)
        self.language_actions[locale_name].setChecked(True)
        self.retranslate()
        # Tables word their dates and statuses as they are filled.
        self.today.refresh()
        if self.late_tab.built:
            self.late.refresh()
        self.fees.refresh()
        self.service_quality.refresh()

    # --- operators --------------------------------------------------------------------

    def lock(self) -> None:
        """Hide the work behind a login; the form stays as it is."""
        if self.lock_dialog is not None:
            return
        self.idle.pause()
        # Where the clerk was typing, to go back there after the unlock.
        focus = QApplication.focusWidget()
        self._focus_before_lock = focus if focus is not None and self.isAncestorOf(focus) else None
        self.tabs.setEnabled(False)  # the central widget
        self.menuBar().setEnabled(False)
        self.lock_cover.cover()
        if self.sync_dialog is not None:
            self.sync_dialog.close()  # its refused changes name residents; the sync itself goes on
        self.prereview.close()  # what residents typed online
        self.lock_dialog = LockDialog(self.db, self.ctx, self, login=self._login_name())
        self.lock_dialog.accepted.connect(self._unlocked)
        self.lock_dialog.open()

    def _login_name(self) -> str:
        return auth.login_of(self.db, self.ctx)

    def _unlocked(self) -> None:
        if self.lock_dialog is None:  # accepted once: it is the open lock's signal
            return
        new_ctx = self.lock_dialog.context
        self.lock_dialog = None
        self.lock_cover.hide()
        self.menuBar().setEnabled(True)
        self.tabs.setEnabled(True)
        focus, self._focus_before_lock = self._focus_before_lock, None
        if new_ctx is not None and new_ctx.operator_id != self.ctx.operator_id:
            self.switch_operator(new_ctx)
            focus = None  # the arriving operator starts at their own form
        self.activateWindow()
        if focus is not None and isValid(focus) and focus.isVisible() and focus.isEnabled():
            focus.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.tabs.setCurrentWidget(self.intake)
            self.intake.focus_item_search()
        self.idle.resume()

    def switch_operator(self, new_ctx: CounterContext) -> None:
        """Keep the leaving operator's unsaved form as their draft; give the arriving one theirs."""
        self.drafts[self.ctx.operator_id] = self.intake.draft()
        self.ctx = new_ctx
        self.rights = rights_of(self.db, new_ctx)
        self.intake.set_context(new_ctx)
        self.intake.restore_draft(self.drafts.pop(new_ctx.operator_id, None))
        self.today.set_context(new_ctx)
        if self.late_tab.built:  # else made for the operator there when first shown
            self.late.set_context(new_ctx, self.rights)
        self.fees.set_context(new_ctx)
        self.service_quality.set_context(new_ctx)
        self._allow_enrolling()
        self.queue.set_context(new_ctx)
        self.retranslate()

    def _allow_enrolling(self) -> None:
        """Only an administrator enrolls (the service checks it again, with their password)."""
        self.enroll_action.setEnabled(self.rights.allows(Permission.ENROLL_WORKSTATION))

    def change_password(self) -> None:
        ChangePasswordDialog(self.db, self.ctx, self).exec()

    def show_sync_status(self) -> None:
        status = self.sync.status
        if not status.enrolled:
            self.network_label.setText(_("Offline (no hub set up)"))
        elif self.sync.running is not None:
            self.network_label.setText(_("Syncing…"))
        else:
            self.network_label.setText(_("Online") if self.sync.online else _("Offline"))
        self.unsent_label.setText(
            _("Unsent: {count}").format(count=status.pending)
            + (_(" (refused: {count})").format(count=status.rejected) if status.rejected else "")
        )
        # Red while a refusal waits for a supervisor: a work-around may be needed while the
        # applicant is still at the counter.
        self.unsent_label.setStyleSheet(REFUSED_STYLE if status.rejected else "")
        self.unsent_label.setToolTip(
            _("Click to see why the hub refused them.") if status.rejected else _("Click to open the sync window.")
        )
        last = on_screen(status.last_success, self.ctx.timezone) if status.last_success else _("never")
        self.last_sync_label.setText(_("Last sync: {time}").format(time=last))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if (
            watched is self.unsent_label
            and event.type() == QEvent.Type.MouseButtonRelease
            and isinstance(event, QMouseEvent)  # what Qt hands over for a MouseButtonRelease
            and event.button() == Qt.MouseButton.LeftButton
        ):
            self.open_sync_window()
            return True
        return super().eventFilter(watched, event)

    def _tell_refusals(self, report: SyncReport) -> None:
        """Said at once: the change refused may be the one just made for the applicant at
        the counter."""
        if report.rejected:
            count = len(report.rejected)
            self.statusBar().showMessage(
                ngettext(
                    "The hub refused {count} change just sent. Sync \u2192 Sync window shows why; a supervisor "
                    "resolves it there.",
                    "The hub refused {count} changes just sent. Sync \u2192 Sync window shows why; a supervisor "
                    "resolves them there.",
                    count,
                ).format(count=count),
                REFUSAL_MESSAGE_MS,
            )

    def _record_saved(self, _result: IntakeResult | None) -> None:
        if _result is not None and _result.kind == "case" and self.fees.case_accepted(_result.id):
            self.statusBar().showMessage(_("This case has a fee: press F8 to collect it."), 30_000)
            self._fee_reminder = self.statusBar().currentMessage()
        self.today.refresh()
        self.sync.refresh_status()
        if self.sync.online:
            self.sync.sync_now()

    def _clear_fee_reminder(self, _result: PaymentResult) -> None:
        """Paid: the reminder to collect it goes."""
        if self._fee_reminder and self.statusBar().currentMessage() == self._fee_reminder:
            self.statusBar().clearMessage()
        self._fee_reminder = None

    def _hub_data_changed(self, kinds: set) -> None:
        if protocol.CHANGE_CATALOG in kinds:
            self.search.refresh()
            self.intake.item_picker.refresh_results()
        self.today.refresh()

    def sync_now(self) -> None:
        if not self.sync.sync_now():
            self.open_enroll()

    def end_of_day_sync(self) -> None:
        self.sync_now()
        self.open_sync_window()

    def open_sync_window(self) -> None:
        from windowdesk.ui.sync.sync_dialog import SyncDialog

        self.sync_dialog = SyncDialog(self.sync, lambda: self.ctx, self.db, self)
        self.sync_dialog.open()

    def open_enroll(self) -> None:
        from windowdesk.ui.sync.enroll_dialog import EnrollDialog

        if not may(self.db, self.ctx, Permission.ENROLL_WORKSTATION):
            self.statusBar().showMessage(_("Only an administrator can enroll this window with the hub."), 10_000)
            return
        dialog = EnrollDialog(self.db, self.ctx, self.workers, self, token_store_for=self.token_store_for)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.sync.check()

    def close_without_keeping(self) -> None:
        """Closed as a ``--smoke-test`` ends: its watchers stopped as at every close, but
        nothing kept (an unchosen size would stop the next real start opening maximised).
        Left open instead, the window of a start run in-process (tests) locked itself five
        minutes later, and its modal lock took every keystroke meant for later windows."""
        self._keeps_on_close = False
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt API
        if self._keeps_on_close:
            if self.intake.has_unsaved_form():
                self._keep_draft()
            self._keep_geometry()
        self.idle.detach()
        self.card_reader.close()
        self.service_quality.close()
        self.queue.close()
        self.sync.stop()
        self.workers.shutdown()
        super().closeEvent(event)

    def _keep_draft(self) -> None:
        """An application half entered when the window closes comes back at the next
        start for the same operator, as it does after a lock (nobody is asked anything
        while the computer shuts down)."""
        try:
            preferences.save_intake_draft(self.db, self.ctx.operator_id, self.intake.draft_record())
        except WindowdeskError as error:
            show_error(self, error)

    def _give_back_draft(self, settings: Mapping[str, str] | None = None) -> None:
        """``settings``: read already with the operator's ``preferences.draft_key``."""
        try:
            draft = preferences.take_intake_draft(self.db, self.ctx.operator_id, settings)
        except WindowdeskError as error:
            show_error(self, error)
            return
        if draft is not None:
            self.intake.restore_draft_record(draft)

    def _keep_geometry(self) -> None:
        with contextlib.suppress(WindowdeskError):  # the size is a comfort; closing must not fail for it
            preferences.save_window_geometry(
                self.db, geometry=bytes(self.saveGeometry().toHex().data()).decode(), maximised=self.isMaximized()
            )

    def restore_geometry(self) -> None:
        """The size and place of the last session, or maximised on first start; never
        larger than this screen."""
        geometry, maximised = preferences.window_geometry(self.db)
        if geometry:
            self.restoreGeometry(QByteArray.fromHex(geometry.encode()))
        fit_on_screen(self)
        if maximised or not geometry:
            self.setWindowState(self.windowState() | Qt.WindowState.WindowMaximized)

    def _on_intake(self, slot: Callable[[], object]) -> None:
        self.tabs.setCurrentWidget(self.intake)
        slot()

    def _tab_changed(self, index: int) -> None:
        for shortcut in self._to_intake_shortcuts:
            shortcut.setEnabled(self.tabs.widget(index) is not self.intake)
        # Each tab reads its lists as it comes into view (its showEvent), not here.
        if self.tabs.widget(index) is self.today:
            self.today.table.setFocus()

    # --- fees, receipts, day close ------------------------------------------------------

    def _build_fees_menu(self) -> None:
        self.fees_menu = self.menuBar().addMenu("")
        self.collect_fee_action = self.fees_menu.addAction("")
        self.collect_fee_action.setShortcut(QKeySequence("F8"))
        self.collect_fee_action.triggered.connect(self.fees.collect_last_case_fee)
        self.close_day_action = self.fees_menu.addAction("")
        self.close_day_action.triggered.connect(self.show_day_close)
        self.next_day_action = self.fees_menu.addAction("")
        self.next_day_action.triggered.connect(self.start_next_business_day)
        self.addActions([self.collect_fee_action])
        QShortcut(QKeySequence("Ctrl+4"), self).activated.connect(lambda: self.tabs.setCurrentWidget(self.fees))
        for signal in (self.fees.paymentTaken, self.fees.receiptVoided):
            signal.connect(lambda _result: self._record_saved(None))
        self.fees.paymentTaken.connect(self._clear_fee_reminder)
        self.fees.dayClosed.connect(self._day_closed)
        if self.fees.pending_day() is not None:
            # A day left open must be closed before the window takes money again.
            self.show_day_close()

    def _retranslate_fees(self) -> None:
        self.tabs.setTabText(self.tabs.indexOf(self.fees), _("F&ees (Ctrl+4)"))
        self.fees_menu.setTitle(_("Cas&hier"))
        self.collect_fee_action.setText(_("&Collect the fee of the last case (F8)"))
        self.close_day_action.setText(_("Close the &day\u2026"))
        self.next_day_action.setText(_("Start the &next business day\u2026"))
        self.fees.retranslate()

    def start_next_business_day(self) -> None:
        from windowdesk.ui.fees.next_day_dialog import NextBusinessDayDialog

        self.next_day_dialog = NextBusinessDayDialog(self.db, self.ctx, self.shipped_calendar, self)
        self.next_day_dialog.accepted.connect(self._business_day_started)
        self.next_day_dialog.open()

    def _business_day_started(self) -> None:
        day = self.next_day_dialog.started
        if day is None:  # accepted only once started
            return
        self.statusBar().showMessage(_("The till now takes money for {day}.").format(day=on_screen(day)), 30_000)
        self.fees.refresh()

    def show_day_close(self) -> None:
        self.tabs.setCurrentWidget(self.fees)
        self.fees.show_day_close()

    def _day_closed(self, _day: dt.date) -> None:
        """The end-of-day sync: ``check`` looks for the hub and pushes when it answers."""
        self.today.refresh()
        self.sync.check()

    def open_inquiry(self) -> None:
        """办件查询 (F4): for the applicant asking where their case is."""
        self.inquiry_dialog = InquiryDialog(self.db, self.ctx, self.shipped_calendar, self)
        self.inquiry_dialog.open()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        self.intake.focus_item_search()
