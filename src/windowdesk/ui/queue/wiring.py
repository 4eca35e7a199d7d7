"""The hall's queue at the window: the panel above the work, a Queue menu with its keys,
the queue's state in the status bar. Every request to the hall service runs on the
network lane; a window whose hall service does not answer keeps working and says so.

Keys (none clashes with the window's others): F11 call next, Shift+F11 recall, F12
no-show (过号), Shift+F12 finish, Ctrl+F11 the resident has come (serving),
Ctrl+Shift+T transfer, Ctrl+Shift+P pause / resume, Ctrl+Shift+W walk-in.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QInputDialog, QLabel, QToolBar

from windowdesk.domain.permissions import Permission
from windowdesk.errors import WindowdeskError
from windowdesk.i18n import _
from windowdesk.services import queue, queue_settings
from windowdesk.sync.credentials import TokenStore
from windowdesk.sync.hall_client import HallUnreachable
from windowdesk.ui.errors import show_error
from windowdesk.ui.lazy_tab import LazyTab
from windowdesk.ui.object_names import named
from windowdesk.ui.queue.dialogs import ChoiceDialog, ConnectHallDialog
from windowdesk.ui.queue.panel import QueuePanel, state_word

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from windowdesk.services.context import CounterContext
    from windowdesk.services.intake import IntakeResult
    from windowdesk.services.queue_settings import HallConnection
    from windowdesk.ui.main_window import MainWindow
    from windowdesk.ui.queue.figures_view import QueueFiguresView

REFRESH_MS = 5_000
MESSAGE_MS = 15_000
UNREACHABLE_STYLE = "color: #b00020"


class QueueWiring:
    def __init__(
        self,
        window: MainWindow,
        *,
        token_store_for: Callable[[str], TokenStore] = TokenStore,
        settings: Mapping[str, str] | None = None,
    ) -> None:
        """``settings``: the hall's address read already (queue_settings.KEY_HALL_URL)."""
        self.window = window
        self.token_store_for = token_store_for
        self.connection = queue_settings.hall_connection(window.db, token_store_for=token_store_for, settings=settings)
        self.state: queue.WindowState | None = None
        self.reachable: bool | None = None if self.connection is None else False
        self.busy = False
        self.waiting: list = []  # (work, on success, refresh after, key) waiting their turn
        self.dialog: QDialog | None = None
        self.panel = QueuePanel()
        self.toolbar = named(QToolBar(), "queueToolbar")
        self.toolbar.setMovable(False)
        self.toolbar.addWidget(self.panel)
        window.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.toolbar)
        self.status_label = named(QLabel(), "statusQueue")
        window.statusBar().addPermanentWidget(self.status_label)
        self.menu = window.menuBar().addMenu("")
        self.actions = {}
        for name, keys, slot in (
            ("call_next", "F11", lambda: self.act("call_next")),
            ("recall", "Shift+F11", lambda: self.act("recall")),
            ("skip", "F12", lambda: self.act("skip")),
            ("finish", "Shift+F12", lambda: self.act("finish")),
            ("serve", "Ctrl+F11", lambda: self.act("serve")),
            ("transfer", "Ctrl+Shift+T", self.transfer),
            ("pause", "Ctrl+Shift+P", self.toggle_pause),
            ("walk_in", "Ctrl+Shift+W", self.walk_in),
            ("requeue", None, self.requeue),
            ("booking", None, self.ask_booking),
            ("connect", None, self.open_connect),
        ):
            action = self.menu.addAction("")
            if keys:
                action.setShortcut(QKeySequence(keys))
            action.triggered.connect(slot)
            self.actions[name] = action
        window.addActions([a for a in self.actions.values() if not a.shortcut().isEmpty()])
        self.panel.call_button.clicked.connect(self.actions["call_next"].trigger)
        self.panel.recall_button.clicked.connect(self.actions["recall"].trigger)
        self.panel.skip_button.clicked.connect(self.actions["skip"].trigger)
        self.panel.finish_button.clicked.connect(self.actions["finish"].trigger)
        window.intake.recordSaved.connect(self._record_saved)
        # The supervisor's figures, as a tab beside the performance report (Ctrl+7).
        self.figures_tab = LazyTab(window.tabs, self._make_figures)  # made when first shown
        QShortcut(QKeySequence("Ctrl+7"), window).activated.connect(self._open_figures)
        window.tabs.currentChanged.connect(self._tab_changed)
        self._show_figures_tab()
        self.timer = QTimer(window)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.refresh)
        self.timer.start()
        self.retranslate()
        self.refresh()

    def retranslate(self) -> None:
        self.menu.setTitle(_("&Queue"))
        words = {
            "call_next": _("&Call next (F11)"),
            "recall": _("&Recall (Shift+F11)"),
            "skip": _("&No-show (F12)"),
            "finish": _("&Finish (Shift+F12)"),
            "serve": _("The resident has &arrived (Ctrl+F11)"),
            "transfer": _("&Transfer\u2026 (Ctrl+Shift+T)"),
            "pause": _("&Pause / resume the window (Ctrl+Shift+P)"),
            "walk_in": _("&Walk-in (Ctrl+Shift+W)"),
            "requeue": _("Put a no-show &back in line\u2026"),
            "booking": _("Look up a boo&king\u2026"),
            "connect": _("Connect to the hall's &queue\u2026"),
        }
        for name, text in words.items():
            self.actions[name].setText(text)
        tabs = self.window.tabs
        tabs.setTabText(tabs.indexOf(self.figures_tab.page), _("Queue &figures (Ctrl+7)"))
        if self.figures_tab.built:  # else worded as it is made
            self.figures.retranslate()
        self._show()

    def set_context(self, ctx: CounterContext) -> None:
        """Another operator at the same window: the window's queue stays as it is; the
        figures tab follows the new operator's permissions (window.rights, already theirs)."""
        self._show_figures_tab()

    def _show_figures_tab(self) -> None:
        tabs = self.window.tabs
        tabs.setTabVisible(tabs.indexOf(self.figures_tab.page), self.window.rights.allows(Permission.VIEW_REPORTS))

    def _open_figures(self) -> None:
        tabs = self.window.tabs
        if tabs.isTabVisible(tabs.indexOf(self.figures_tab.page)):
            tabs.setCurrentWidget(self.figures_tab.page)

    def _tab_changed(self, index: int) -> None:
        if self.figures_tab.built and self.window.tabs.widget(index) is self.figures:
            self.refresh_figures()

    def _make_figures(self) -> QueueFiguresView:
        from windowdesk.ui.queue.figures_view import QueueFiguresView  # imported when first shown

        figures = QueueFiguresView()
        figures.refresh_button.clicked.connect(self.refresh_figures)
        return figures

    @property
    def figures(self) -> QueueFiguresView:
        """The supervisor's figures tab, made now if it was not yet."""
        return self.figures_tab.widget

    def refresh_figures(self) -> None:
        self._run(queue.figures, self.figures.show_figures, key="figures")

    def close(self) -> None:
        self.timer.stop()

    # --- showing ----------------------------------------------------------------------

    def _show(self) -> None:
        if self.reachable and self.state is None:
            return  # the hall answered a link kept from before; its state is asked for next
        self.panel.show_state(self.state, reachable=self.reachable)
        if self.reachable is None:
            text, style = _("Queue: not set up"), ""
        elif not self.reachable:
            text, style = _("Queue unreachable"), UNREACHABLE_STYLE
        elif self.state is not None and self.state.current is not None:
            text, style = (
                _("Queue: {number} {state}").format(
                    number=self.state.current["number"], state=state_word(self.state.current["state"])
                ),
                "",
            )
        else:
            text, style = _("Queue: online"), ""
        self.status_label.setText(text)
        self.status_label.setStyleSheet(style)
        self.status_label.setToolTip(
            _("This window keeps working without the queue; it tries again every few seconds.")
            if self.reachable is False
            else ""
        )

    # --- talking to the hall service --------------------------------------------------

    def _run(
        self,
        work: Callable[[HallConnection], Any],
        on_success: Callable[[Any], None],
        *,
        refresh_after: bool = False,
        key: str = "",
    ) -> None:
        """Requests from this window go one after the other, in the order pressed; the
        same key pressed again while it waits its turn is taken once."""
        if self.connection is None:
            self.window.statusBar().showMessage(
                _("This window is not connected to the hall's queue: Queue \u2192 Connect to the hall's queue\u2026"),
                MESSAGE_MS,
            )
            return
        if key and any(waiting[3] == key for waiting in self.waiting):
            return
        self.waiting.append((work, on_success, refresh_after, key))
        self._next()

    def _next(self) -> None:
        if self.busy or not self.waiting:
            return
        work, on_success, refresh_after, _key = self.waiting.pop(0)
        self.busy = True
        connection = self.connection

        def done(result: Any) -> None:
            self.busy = False
            was_unreachable = self.reachable is False
            self.reachable = True
            on_success(result)
            if (refresh_after or was_unreachable) and not self.waiting:
                self.refresh()
            self._show()
            self._next()

        def failed(error: BaseException) -> None:
            self.busy = False
            if isinstance(error, HallUnreachable):
                self.reachable = False
                self.waiting.clear()  # the operator sees the queue is down and works on
                self.window.statusBar().showMessage(error.message, MESSAGE_MS)
            elif isinstance(error, WindowdeskError):
                self.window.statusBar().showMessage(error.message, MESSAGE_MS)
            else:
                show_error(self.window, error)
            self._show()
            self._next()

        self.window.workers.start(lambda _cancel, _progress: work(connection), on_success=done, on_failure=failed)

    def refresh(self) -> None:
        if self.connection is None:
            return
        links = queue.pending_links(self.window.db)
        if links:
            ticket_id, case_id = links[0]
            self._run(
                lambda c: queue.link_case(c, ticket_id=ticket_id, case_id=case_id),
                lambda _t: self._linked(ticket_id),
                refresh_after=True,
                key=f"link:{ticket_id}",
            )
            return
        self._run(queue.window_state, self._state_arrived, key="refresh")

    @property
    def pending_links(self) -> list[tuple[str, str]]:
        """(ticket id, case id) not yet told to the hall: kept in the database, so a hall
        that is down, or a window closed meanwhile, loses none."""
        return queue.pending_links(self.window.db)

    def _linked(self, ticket_id: str) -> None:
        queue.forget_link(self.window.db, ticket_id=ticket_id)

    def _state_arrived(self, state: queue.WindowState) -> None:
        before = self.state.current["id"] if self.state and self.state.current else None
        self.state = state
        if state.current is not None and state.current["id"] != before and state.current["state"] == "called":
            self._fill_intake(state.current)

    def act(self, action: str) -> None:
        self._run(lambda c: queue.act(c, action), self._state_arrived, key=action)

    # --- the intake screen ------------------------------------------------------------

    def _fill_intake(self, ticket: dict) -> None:
        """The called ticket's resident on the intake screen, unless an applicant is
        already there (an unsaved form is never overwritten)."""
        number, summary = queue.resident_of(self.window.db, self.window.ctx, ticket)
        if not number:
            return
        picker = self.window.intake.applicant_picker
        if picker.chosen is not None:
            self.window.statusBar().showMessage(
                _(
                    "Ticket {number}: the form already has an applicant; the ticket's resident was not filled in."
                ).format(number=ticket["number"]),
                MESSAGE_MS,
            )
            return
        self.window.tabs.setCurrentWidget(self.window.intake)
        picker.resident_radio.setChecked(True)
        if summary is not None:
            picker.set_chosen(summary)
        else:
            # Not registered at this window yet: Ctrl+Shift+N registers them, the number typed in.
            picker.query_edit.setText(number)
            picker.refresh_results()

    def _record_saved(self, result: IntakeResult | None) -> None:
        """The case accepted for the ticket at the window is linked to it."""
        if result is None or result.kind != "case" or self.state is None or self.state.current is None:
            return
        ticket = self.state.current
        if ticket.get("case_id"):
            return
        ticket["case_id"] = result.id
        queue.remember_link(self.window.db, ticket_id=ticket["id"], case_id=result.id)
        self.refresh()

    # --- dialogs ----------------------------------------------------------------------

    def transfer(self) -> None:
        if self.state is None or self.state.current is None:
            self.window.statusBar().showMessage(_("No ticket at this window to transfer."), MESSAGE_MS)
            return
        here = self.state.window["code"]
        choices = [
            (_("Window {code} {name}").format(code=w["code"], name=w["name"]).strip(), ("window", w["code"]))
            for w in self.state.setup["windows"]
            if w["code"] != here
        ]
        choices += [
            (_("Business {prefix} {name}").format(prefix=b["prefix"], name=b["name"]), ("business", b["prefix"]))
            for b in self.state.setup["businesses"]
        ]
        self._choose(
            _("Transfer ticket {number} to").format(number=self.state.current["number"]),
            choices,
            lambda choice: self._run(
                lambda c: queue.transfer(c, **{f"to_{choice[0]}": choice[1]}),
                lambda ticket: self.window.statusBar().showMessage(
                    _("Ticket {number} transferred.").format(number=ticket["number"]), MESSAGE_MS
                ),
                refresh_after=True,
            ),
        )

    def walk_in(self) -> None:
        if self.state is None:
            self.refresh()
            return
        served = self.state.window["businesses"]
        names = {b["prefix"]: b["name"] for b in self.state.setup["businesses"]}
        start = lambda prefix: self._run(lambda c: queue.walk_in(c, prefix), lambda _t: None, refresh_after=True)  # noqa: E731
        if len(served) == 1:
            start(served[0])
            return
        self._choose(_("Walk-in for which business?"), [(f"{p} {names.get(p, '')}", p) for p in served or names], start)

    def toggle_pause(self) -> None:
        paused = not (self.state is not None and self.state.window.get("paused"))
        self._run(lambda c: queue.set_paused(c, paused), lambda _w: None, refresh_after=True)

    def requeue(self) -> None:
        number, ok = QInputDialog.getText(self.window, _("Put a no-show back in line"), _("Ticket number"))
        if ok and number.strip():
            self._run(
                lambda c: queue.requeue(c, number.strip()),
                lambda ticket: self.window.statusBar().showMessage(
                    _("Ticket {number} is back in line.").format(number=ticket["number"]), MESSAGE_MS
                ),
            )

    def ask_booking(self) -> None:
        """The booking code a resident shows (typed, or read by a scanner into the box)."""
        dialog = QInputDialog(self.window)
        dialog.setWindowTitle(_("Look up a booking"))
        dialog.setLabelText(_("Booking code"))
        dialog.textValueSelected.connect(lambda code: self.look_up_booking(code) if code.strip() else None)
        self.dialog = dialog
        dialog.open()

    def look_up_booking(self, code: str) -> None:
        self._run(lambda c: queue.booking(c, code), self._show_booking)

    def _show_booking(self, booking: dict) -> None:
        half = _("morning") if booking["half_day"] == "am" else _("afternoon")
        if booking["status"] != "booked":
            state = _("cancelled")
        elif booking["ticket"]:
            state = _("checked in as {number}").format(number=booking["ticket"])
        else:
            state = _("not checked in yet")
        self.window.statusBar().showMessage(
            _("Booking {code}: {day} {half}, item {item}, {name}; {state}.").format(
                code=booking["code"],
                day=booking["day"],
                half=half,
                item=booking["item"],
                name=booking["name"],
                state=state,
            ),
            MESSAGE_MS,
        )

    def _choose(self, title: str, choices: Sequence[tuple[str, object]], then: Callable[[Any], None]) -> None:
        self.dialog = ChoiceDialog(title, choices, self.window)
        self.dialog.accepted.connect(lambda: then(self.dialog.chosen))
        self.dialog.open()

    def open_connect(self) -> None:
        dialog = ConnectHallDialog(self.window.db, self.window, token_store_for=self.token_store_for)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.connection = queue_settings.hall_connection(self.window.db, token_store_for=self.token_store_for)
            self.reachable = True
            self.state = dialog.status
            self._show()
