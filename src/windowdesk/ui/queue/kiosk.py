"""The ticket kiosk (取号机): full screen, touch-friendly, large type, zh_CN first.

The resident touches a business, optionally the priority lane (绿色通道: the elderly,
the disabled, the pregnant), and gets a printed ticket: the number, the business, how
many wait ahead, a QR code to follow the queue. The issue and the printing run on the
network lane; if the printer fails the number still stands and stays on the screen.

ID cards: ``read_card`` is the hook for the counter's ID-card reader (the counter issue's
``devices/idcard``, not on this branch): a callable returning ``{"name", "id_number"}``
or None. When given, a "Read ID card" button links the next ticket to the resident, so
the window that calls it has the resident on its intake screen.
Appointment check-in (预约签到): the booking code from the online hall, typed or read by
a scanner that acts as a keyboard (it types the code and Enter into the code box, which
keeps the focus), gives the booked resident a priority ticket (hall/service.check_in).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from windowdesk.errors import WindowdeskError
from windowdesk.i18n import _
from windowdesk.printing.ticket_image import KioskTicket, render_ticket_image
from windowdesk.sync.hall_client import HallClient
from windowdesk.ui.object_names import named
from windowdesk.ui.queue.ticket_printer import print_kiosk_ticket
from windowdesk.ui.workers import Workers

if TYPE_CHECKING:
    import threading

    from PySide6.QtGui import QCloseEvent

TITLE = "font-size: 48px; font-weight: bold"
BUTTON = "font-size: 40px; padding: 28px; min-height: 120px"
MESSAGE = "font-size: 40px"
ERROR = "font-size: 32px; color: #b00020"
SHOW_TICKET_MS = 8_000
RETRY_SETUP_MS = 5_000


class KioskWindow(QWidget):
    def __init__(
        self,
        url: str,
        token: str,
        *,
        printer: str,
        center_name: str,
        read_card: Callable[[], dict | None] | None = None,
    ) -> None:
        super().__init__()
        self.setObjectName("kiosk")
        self.url, self.token, self.printer, self.center_name = url, token, printer, center_name
        self.read_card = read_card
        self.resident: dict | None = None
        self.last_ticket: dict | None = None
        self.workers = Workers()
        self.busy = False
        self.setWindowTitle(_("Take a number"))
        self.title = named(QLabel(_("Please choose your business")), "kioskTitle")
        self.title.setStyleSheet(TITLE)
        self.grid = QGridLayout()
        self.business_buttons: dict[str, QPushButton] = {}
        self.priority_button = named(QPushButton(_("Priority lane (elderly, disabled, pregnant)")), "kioskPriority")
        self.priority_button.setCheckable(True)
        self.priority_button.setStyleSheet(BUTTON)
        self.card_button = named(QPushButton(_("Read ID card")), "kioskCard")
        self.card_button.setStyleSheet(BUTTON)
        self.card_button.setVisible(read_card is not None)
        self.card_button.clicked.connect(self._read_card)
        self.booking_code = named(QLineEdit(maxLength=20), "kioskBookingCode")
        self.booking_code.setPlaceholderText(_("Booked online? Scan or type your booking code"))
        self.booking_code.setStyleSheet(MESSAGE)
        self.booking_code.returnPressed.connect(self.check_in)
        self.check_in_button = named(QPushButton(_("Check in")), "kioskCheckIn")
        self.check_in_button.setStyleSheet(BUTTON)
        self.check_in_button.clicked.connect(self.check_in)
        self.message = named(QLabel(), "kioskMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(MESSAGE)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(self.grid, 1)
        layout.addWidget(self.priority_button)
        layout.addWidget(self.card_button)
        booked = QHBoxLayout()
        booked.addWidget(self.booking_code, 1)
        booked.addWidget(self.check_in_button)
        layout.addLayout(booked)
        layout.addWidget(self.message)
        self.reset_timer = QTimer(self, singleShot=True, interval=SHOW_TICKET_MS)
        self.reset_timer.timeout.connect(self._ready)
        self._load_setup()

    def _client(self) -> HallClient:
        return HallClient(self.url, self.token)

    def _load_setup(self) -> None:
        def work(_cancel: threading.Event, _progress: Callable[[Any], None]) -> dict:
            client = self._client()
            try:
                return client.setup()
            finally:
                client.close()

        def failed(error: BaseException) -> None:
            self.message.setText(getattr(error, "message", str(error)))
            self.message.setStyleSheet(ERROR)
            QTimer.singleShot(RETRY_SETUP_MS, self._load_setup)

        self.workers.start(work, on_success=self._show_businesses, on_failure=failed)

    def _show_businesses(self, setup: dict) -> None:
        for index, business in enumerate(setup["businesses"]):
            button = named(QPushButton(f"{business['prefix']}  {business['name']}"), f"kiosk{business['prefix']}")
            button.setStyleSheet(BUTTON)
            button.clicked.connect(lambda _checked=False, b=business: self.take(b))
            self.grid.addWidget(button, index // 2, index % 2)
            self.business_buttons[business["prefix"]] = button
        self._ready()

    def _ready(self) -> None:
        self.message.setStyleSheet(MESSAGE)
        self.message.setText(_("Touch your business to take a number."))
        self.priority_button.setChecked(False)
        self.resident = None
        self.booking_code.setFocus()  # where a scanner types

    def _read_card(self) -> None:
        if self.read_card is None:  # no reader: its button is hidden
            return
        try:
            self.resident = self.read_card()
        except WindowdeskError as error:
            self.message.setText(error.message)
            return
        if self.resident:
            self.message.setText(_("ID card read. Now touch your business."))

    def take(self, business: dict) -> None:
        if self.busy:
            return
        self.busy = True
        priority = self.priority_button.isChecked()
        resident = self.resident
        url, token, printer, center = self.url, self.token, self.printer, self.center_name

        def work(_cancel: threading.Event, _progress: Callable[[Any], None]) -> tuple[dict, WindowdeskError | None]:
            client = HallClient(url, token)
            try:
                ticket = client.issue(business=business["prefix"], priority=priority, resident=resident)
            finally:
                client.close()
            image = render_ticket_image(
                KioskTicket(
                    center_name=center,
                    business_name=business["name"],
                    number=ticket["number"],
                    waiting_ahead=ticket["waiting_ahead"],
                    issued_at=dt.datetime.fromisoformat(ticket["issued_at"]),
                    follow_url=f"{url}/follow/{ticket['number']}",
                    priority=priority,
                )
            )
            try:
                print_kiosk_ticket(image, target=printer, job_name=f"ticket-{ticket['number']}-{ticket['id'][:8]}")
            except WindowdeskError as error:
                return ticket, error
            return ticket, None

        self.message.setText(_("Printing your ticket\u2026"))
        self.workers.start(work, on_success=self._taken, on_failure=self._failed)

    def check_in(self) -> None:
        code = self.booking_code.text().strip()
        if self.busy or not code:
            return
        self.busy = True
        self.booking_code.clear()
        names = {prefix: button.text().split(maxsplit=1)[-1] for prefix, button in self.business_buttons.items()}
        url, token, printer, center = self.url, self.token, self.printer, self.center_name

        def work(_cancel: threading.Event, _progress: Callable[[Any], None]) -> tuple[dict, WindowdeskError | None]:
            client = HallClient(url, token)
            try:
                ticket = client.check_in(code)
            finally:
                client.close()
            image = render_ticket_image(
                KioskTicket(
                    center_name=center,
                    business_name=names.get(ticket["business"], ticket["business"]),
                    number=ticket["number"],
                    waiting_ahead=ticket["waiting_ahead"],
                    issued_at=dt.datetime.fromisoformat(ticket["issued_at"]),
                    follow_url=f"{url}/follow/{ticket['number']}",
                    priority=True,
                )
            )
            try:
                print_kiosk_ticket(image, target=printer, job_name=f"ticket-{ticket['number']}-{ticket['id'][:8]}")
            except WindowdeskError as error:
                return ticket, error
            return ticket, None

        self.message.setText(_("Checking your booking\u2026"))
        self.workers.start(work, on_success=self._taken, on_failure=self._failed)

    def _taken(self, result: tuple[dict, WindowdeskError | None]) -> None:
        self.busy = False
        ticket, printer_error = result
        self.last_ticket = ticket
        words = _("Your number is {number}; {count} waiting ahead of you.").format(
            number=ticket["number"], count=ticket["waiting_ahead"]
        )
        if printer_error is not None:
            words += "\n" + _("The printer did not print: please remember your number.")
            self.message.setStyleSheet(ERROR)
        self.message.setText(words)
        self.reset_timer.start()

    def _failed(self, error: BaseException) -> None:
        self.busy = False
        self.message.setStyleSheet(ERROR)
        self.message.setText(getattr(error, "message", str(error)))
        self.reset_timer.start()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt API
        self.workers.shutdown()
        super().closeEvent(event)


def run_kiosk(
    url: str, token: str, *, printer: str, center_name: str, fullscreen: bool = True, locale: str = "zh_CN"
) -> int:
    from windowdesk.ui.application import apply_language, qt_application

    app = qt_application()
    apply_language(app, locale)
    window = KioskWindow(url, token, printer=printer, center_name=center_name)
    if fullscreen:
        window.showFullScreen()
    else:
        window.resize(1080, 1920)
        window.show()
    return app.exec()
