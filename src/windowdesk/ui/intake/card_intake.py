"""A resident ID card laid on the reader, taken into the intake screen: the card's holder
is chosen when registered, otherwise the registration opens filled in from the card.

Kept apart from the intake view: it uses the view's applicant picker and its message
line, nothing else.
"""

from __future__ import annotations

from datetime import date
from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QLabel, QWidget

from windowdesk.devices.idcard import IdCard
from windowdesk.i18n import _
from windowdesk.screen_dates import on_screen
from windowdesk.services import card_reader
from windowdesk.services.applicants import ApplicantSummary
from windowdesk.services.context import CounterContext, Database
from windowdesk.ui.intake.applicant_dialogs import RegisterResidentDialog
from windowdesk.ui.object_names import named

if TYPE_CHECKING:
    from windowdesk.ui.intake.view import IntakeView

NOTICE_STYLE = "QLabel { background: #e8f0fe; color: #174ea6; padding: 6px; }"
WARNING_STYLE = "QLabel { background: #fce8e6; color: #a50e0e; padding: 6px; font-weight: bold; }"


def expiry_warning(card: IdCard, today: date) -> str | None:
    """Plain words for a card past its validity, or None."""
    if card.valid_until is None or not card.is_expired(today):  # no end date: valid for life
        return None
    return _(
        "This ID card expired on {date}. Ask for a valid ID card or a temporary ID card "
        "before accepting an application."
    ).format(date=on_screen(card.valid_until))


def read_from_card_text(name: str) -> str:
    return _("Read from the ID card: {name}. The details come from the card.").format(name=name)


class CardRegisterResidentDialog(RegisterResidentDialog):
    """The registration of a resident, filled in from their ID card: the number and the
    name as the card has them (not editable), sex, ethnicity, birth date and validity
    shown, the address ready to save; only the phone is left to type."""

    def __init__(
        self, db: Database, ctx: CounterContext, card: IdCard, *, today: date, parent: QWidget | None = None
    ) -> None:
        super().__init__(db, ctx, parent, id_number=card.id_number)
        self.setObjectName("cardRegisterDialog")
        self.card = card  # the photo stays in memory, with this dialog only
        self.id_edit.setReadOnly(True)
        self.name_edit.setText(card.name)
        self.name_edit.setReadOnly(True)
        self.address_edit.setText(card.address)
        self.address_edit.setCursorPosition(0)
        self.source_label = named(
            QLabel(_("Read from the ID card: the details below come from the card.")), "readFromCard"
        )
        self.source_label.setStyleSheet(NOTICE_STYLE)
        self.source_label.setWordWrap(True)
        self.form.insertRow(0, self.source_label)
        warning = expiry_warning(card, today)
        self.expired_label = named(QLabel(warning or ""), "cardExpired")
        self.expired_label.setStyleSheet(WARNING_STYLE)
        self.expired_label.setWordWrap(True)
        self.expired_label.setVisible(warning is not None)
        self.form.insertRow(1, self.expired_label)
        details = _("{sex} \u00b7 {ethnicity} \u00b7 born {birth}").format(
            sex=card.sex, ethnicity=card.ethnicity, birth=on_screen(card.birth_date)
        )
        self.form.insertRow(4, _("On the card"), named(QLabel(details), "cardDetails"))
        until = on_screen(card.valid_until) if card.valid_until else _("long-term")
        validity = _("{start} to {end}, issued by {authority}").format(
            start=on_screen(card.valid_from), end=until, authority=card.issuing_authority
        )
        self.form.insertRow(5, _("Valid"), named(QLabel(validity), "cardValidity"))
        photo = QPixmap()
        # Most readers hand the photo over in the vendor's own compression (WLT), which
        # only their decoder opens; shown when it is an ordinary image.
        if card.photo and photo.loadFromData(card.photo):
            picture = named(QLabel(), "cardPhoto")
            picture.setPixmap(photo)
            self.form.insertRow(0, picture)
        self.phone_edit.setFocus()


def take_card(
    view: IntakeView, db: Database, ctx: CounterContext, card: IdCard, *, today: date
) -> CardRegisterResidentDialog | None:
    """Choose the card's holder in the intake ``view``, or open the registration filled in
    from the card (returned, open, window-modal).

    帮办代办: once the applicant is chosen and the agent box is ticked, the card laid on
    the reader is the agent's; before that it is the applicant's (the principal's own
    card, brought by the agent)."""
    picker = view.applicant_picker
    if view.proxy_box.isChecked() and picker.chosen is not None:
        picker = view.proxy_box.agent_picker
    picker.resident_radio.setChecked(True)
    picker.query_edit.clear()
    warning = expiry_warning(card, today)
    holder = card_reader.find_card_holder(db, ctx, card=card)
    if holder is not None:
        picker.set_chosen(holder)
        _tell(view, holder, warning)
        return None
    dialog = CardRegisterResidentDialog(db, ctx, card, today=today, parent=view)
    # Gone once closed: the card's data, its photo too, live no longer than the dialog.
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def registered() -> None:
        if dialog.registered is not None:
            picker.set_chosen(dialog.registered)
            _tell(view, dialog.registered, warning)

    dialog.accepted.connect(registered)
    dialog.open()
    return dialog


def _tell(view: IntakeView, holder: ApplicantSummary, warning: str | None) -> None:
    text = escape(read_from_card_text(f"{holder.name} {holder.masked_number}"))
    if warning:
        view.show_notice(f"{text}<br><b>{escape(warning)}</b>", ok=False)
    else:
        view.show_notice(text, ok=True)
