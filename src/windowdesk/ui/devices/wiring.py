"""The ID card reader in the main window: the thread that polls it (only where a reader
is set up), what a card does to the intake screen, the reader's state in the status
bar, and the administrator's settings under "Devices". Kept apart so the main window
only creates it, retranslates it and closes it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QApplication

from windowdesk.devices.idcard import IdCard, create_reader
from windowdesk.devices.idcard.watch import CardArrived, CardProblem, ReaderBack, ReaderDown
from windowdesk.domain.permissions import Permission
from windowdesk.i18n import _
from windowdesk.services import card_reader, online_visit
from windowdesk.services.authorization import may
from windowdesk.ui.application import qt_application
from windowdesk.ui.cases.handover_dialog import HandoverDialog
from windowdesk.ui.devices.reader_settings_dialog import ReaderSettingsDialog
from windowdesk.ui.devices.reader_thread import CardReaderThread
from windowdesk.ui.errors import show_error
from windowdesk.ui.intake.card_intake import CardRegisterResidentDialog, take_card
from windowdesk.ui.prereview.visit import VisitLookupDialog

if TYPE_CHECKING:
    from windowdesk.ui.main_window import MainWindow

READER_MESSAGE_MS = 30_000
CARD_MESSAGE_MS = 10_000


class CardReaderWiring(QObject):
    def __init__(self, window: MainWindow, settings: Mapping[str, str] | None = None) -> None:
        """``settings``: the reader's settings read already (card_reader.READER_KEYS)."""
        super().__init__(window)
        self.window = window
        self.reader_thread: CardReaderThread | None = None
        self.register_dialog: CardRegisterResidentDialog | None = None
        self.settings_dialog: ReaderSettingsDialog | None = None
        self.offered_card: IdCard | None = None  # held while its online application is offered
        self.menu = window.menuBar().addMenu("")
        self.settings_action = self.menu.addAction("")
        self.settings_action.triggered.connect(self.open_settings)
        # Who is logged in changes at the window: asked each time the menu opens.
        self.menu.aboutToShow.connect(self._update_actions)
        self.settings_action.setEnabled(window.rights.allows(Permission.CONFIGURE_DEVICES))  # read with the window
        qt_application().aboutToQuit.connect(self.close)
        self.start(settings)

    def retranslate(self) -> None:
        self.menu.setTitle(_("&Devices"))
        self.settings_action.setText(_("ID &card reader\u2026"))

    def _update_actions(self) -> None:
        self.settings_action.setEnabled(may(self.window.db, self.window.ctx, Permission.CONFIGURE_DEVICES))

    # --- the reader's thread ------------------------------------------------------------

    def start(self, settings: Mapping[str, str] | None = None) -> None:
        """Poll the reader set up at this workstation; where there is none, nothing runs.
        ``settings``: its settings read already (card_reader.READER_KEYS)."""
        reader = card_reader.reader_settings(self.window.db, settings)
        if reader is None or self.reader_thread is not None:
            return
        self.reader_thread = CardReaderThread(lambda: create_reader(reader))
        # Queued: the events are handled in the UI thread, never in the reader's.
        self.reader_thread.happened.connect(self._happened, Qt.ConnectionType.QueuedConnection)
        self.reader_thread.start()

    def close(self) -> None:
        thread, self.reader_thread = self.reader_thread, None
        if thread is not None:
            thread.happened.disconnect(self._happened)
            thread.stop()

    def _happened(self, event: object) -> None:
        status = self.window.statusBar()
        if isinstance(event, CardArrived):
            self.take(event.card)
        elif isinstance(event, ReaderDown):
            status.showMessage(
                _("{message} Cards cannot be read until it works again; windowdesk keeps trying.").format(
                    message=event.message
                ),
                READER_MESSAGE_MS,
            )
        elif isinstance(event, ReaderBack):
            status.showMessage(_("The ID card reader works again."), READER_MESSAGE_MS)
        elif isinstance(event, CardProblem):
            status.showMessage(event.message, CARD_MESSAGE_MS)

    # --- a card on the reader -----------------------------------------------------------

    def take(self, card: IdCard) -> None:
        window = self.window
        status = window.statusBar()
        if window.lock_dialog is not None:
            status.showMessage(
                _("The window is locked: unlock it, then lay the ID card on the reader again."), CARD_MESSAGE_MS
            )
            return
        modal = QApplication.activeModalWidget()
        if isinstance(modal, HandoverDialog):  # 送达: the collector shows their ID card
            modal.take_card(card)
            status.showMessage(_("ID card read."), CARD_MESSAGE_MS)
            return
        if isinstance(modal, VisitLookupDialog):  # 网上申报: the applicant's card finds their application
            modal.take_card(card)
            status.showMessage(_("ID card read."), CARD_MESSAGE_MS)
            return
        if modal is not None:
            status.showMessage(
                _("Finish the open dialog first, then lay the ID card on the reader again."), CARD_MESSAGE_MS
            )
            return
        window.tabs.setCurrentWidget(window.intake)
        try:
            if self._offer_online_application(card):
                status.showMessage(_("ID card read."), CARD_MESSAGE_MS)
                return
        except Exception as error:  # noqa: BLE001 - any failure is shown to the operator, never swallowed
            show_error(window, error)
            return
        self._take_into_intake(card)

    def _offer_online_application(self, card: IdCard) -> bool:
        """The applicant's card (not an agent's) with an online application waiting at this
        center opens the visit's lookup with its number: Enter finishes it at the window, Esc
        takes the card into the intake as any other."""
        intake = self.window.intake
        if intake.online_application_id is not None or (
            intake.proxy_box.isChecked() and intake.applicant_picker.chosen is not None
        ):
            return False
        number = online_visit.waiting_for(self.window.db, self.window.ctx, id_number=card.id_number)
        if number is None:
            return False
        self.offered_card = card
        lookup = self.window.prereview.open_visit()
        lookup.offer(number)
        lookup.rejected.connect(self._offer_declined)
        lookup.accepted.connect(self._offer_taken)
        return True

    def _offer_declined(self) -> None:
        card, self.offered_card = self.offered_card, None
        if card is not None:
            self._take_into_intake(card)

    def _offer_taken(self) -> None:
        self.offered_card = None

    def _take_into_intake(self, card: IdCard) -> None:
        window = self.window
        status = window.statusBar()
        try:
            self.register_dialog = take_card(window.intake, window.db, window.ctx, card, today=window.ctx.local_today())
        except Exception as error:  # noqa: BLE001 - any failure is shown to the operator, never swallowed
            show_error(window, error)
            return
        if self.register_dialog is not None:
            self.register_dialog.finished.connect(self._registration_closed)
        status.showMessage(_("ID card read."), CARD_MESSAGE_MS)

    def _registration_closed(self, _result: int) -> None:
        self.register_dialog = None

    # --- the administrator's settings -----------------------------------------------------

    def open_settings(self) -> None:
        self.settings_dialog = ReaderSettingsDialog(self.window.db, self.window.ctx, self.window)
        self.settings_dialog.accepted.connect(self._settings_changed)
        self.settings_dialog.open()

    def _settings_changed(self) -> None:
        self.close()
        self.start()
