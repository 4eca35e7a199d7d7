"""送达 at the window: how the result is handed over. In person the collector's ID is
checked (laid on the card reader where there is one, else typed) and an agent's power of
attorney recorded; by post the waybill is typed or scanned; into a locker with its code."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from windowdesk.devices.idcard import IdCard
from windowdesk.domain.delivery import DELIVERY_MODES, DeliveryMode, Handover, mode_label
from windowdesk.i18n import _
from windowdesk.ui.object_names import named


class HandoverDialog(QDialog):
    def __init__(self, chosen: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Deliver the result"))
        self.read_from_card = False
        self.mode_box = named(QComboBox(), "handoverMode")
        for mode in DELIVERY_MODES:
            self.mode_box.addItem(mode_label(mode), mode)
        self.mode_box.setCurrentIndex(max(0, self.mode_box.findData(chosen or DeliveryMode.WINDOW.value)))
        self.card_hint = named(QLabel(_("Lay the collector's ID card on the reader, or type the number.")), "cardHint")
        self.id_edit = named(QLineEdit(), "collectorIdNumber")
        self.name_edit = named(QLineEdit(), "collectorName")
        self.agent_box = named(QCheckBox(_("Collected by an agent for the applicant")), "collectorIsAgent")
        self.letter_edit = named(QLineEdit(), "powerOfAttorney")
        self.waybill_edit = named(QLineEdit(), "waybillNumber")
        self.locker_code_edit = named(QLineEdit(), "lockerCode")
        self.form = QFormLayout(self)
        self.form.addRow(_("How"), self.mode_box)
        self.form.addRow(self.card_hint)
        self.form.addRow(_("Collector's ID number"), self.id_edit)
        self.form.addRow(_("Collector's name"), self.name_edit)
        self.form.addRow(self.agent_box)
        self.form.addRow(_("Power of attorney (委托书)"), self.letter_edit)
        self.form.addRow(_("EMS waybill number"), self.waybill_edit)
        self.form.addRow(_("Locker pickup code"), self.locker_code_edit)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.form.addRow(buttons)
        self.mode_box.currentIndexChanged.connect(self._show_fields)
        self.agent_box.toggled.connect(self._show_fields)
        self._show_fields()

    def _show_fields(self) -> None:
        mode = self.mode_box.currentData()
        in_person = mode == DeliveryMode.WINDOW.value
        for widget in (self.card_hint, self.id_edit, self.name_edit, self.agent_box):
            self.form.setRowVisible(widget, in_person)
        self.form.setRowVisible(self.letter_edit, in_person and self.agent_box.isChecked())
        self.form.setRowVisible(self.waybill_edit, mode == DeliveryMode.POST.value)
        self.form.setRowVisible(self.locker_code_edit, mode == DeliveryMode.LOCKER.value)

    def take_card(self, card: IdCard) -> None:
        """The collector's card on the reader: number and name as the card has them."""
        self.mode_box.setCurrentIndex(self.mode_box.findData(DeliveryMode.WINDOW.value))
        self.id_edit.setText(card.id_number)
        self.name_edit.setText(card.name)
        for edit in (self.id_edit, self.name_edit):
            edit.setReadOnly(True)
        self.read_from_card = True
        self.card_hint.setText(
            _("Read from the ID card: {name} {number}.").format(name=card.name, number=card.masked_id_number)
        )

    def handover(self) -> Handover:
        return Handover(
            mode=self.mode_box.currentData(),
            collector_id_number=self.id_edit.text(),
            collector_name=self.name_edit.text(),
            agent=self.agent_box.isChecked(),
            power_of_attorney=self.letter_edit.text(),
            read_from_card=self.read_from_card,
            waybill=self.waybill_edit.text(),
            locker_code=self.locker_code_edit.text(),
        )
