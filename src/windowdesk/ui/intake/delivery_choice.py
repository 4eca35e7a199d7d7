"""How the applicant wants the result (出件): at the window, by post to an address, or
from a pickup locker; asked at acceptance, kept with the case."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QFormLayout, QGroupBox, QLabel, QLineEdit, QWidget

from windowdesk.domain.delivery import DELIVERY_MODES, DeliveryChoice, DeliveryMode, mode_label
from windowdesk.i18n import _
from windowdesk.ui.object_names import named


class DeliveryChoiceBox(QGroupBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("deliveryChoice")
        self.mode_box = named(QComboBox(), "deliveryMode")
        for mode in DELIVERY_MODES:
            self.mode_box.addItem("", mode)
        self.address_edit = named(QLineEdit(), "deliveryAddress")
        self.locker_edit = named(QLineEdit(), "deliveryLocker")
        self.mode_label, self.address_label, self.locker_label = QLabel(), QLabel(), QLabel()
        self.form = QFormLayout(self)
        self.form.addRow(self.mode_label, self.mode_box)
        self.form.addRow(self.address_label, self.address_edit)
        self.form.addRow(self.locker_label, self.locker_edit)
        self.mode_box.currentIndexChanged.connect(self._show_fields)
        self.retranslate()
        self._show_fields()

    def retranslate(self) -> None:
        self.setTitle(_("How the result reaches the applicant"))
        for index in range(self.mode_box.count()):
            self.mode_box.setItemText(index, mode_label(self.mode_box.itemData(index)))
        self.mode_label.setText(_("Way of delivery"))
        self.address_label.setText(_("Postal address"))
        self.locker_label.setText(_("Pickup locker"))

    def _show_fields(self) -> None:
        mode = self.mode_box.currentData()
        self.form.setRowVisible(self.address_edit, mode == DeliveryMode.POST.value)
        self.form.setRowVisible(self.locker_edit, mode == DeliveryMode.LOCKER.value)

    def choice(self) -> DeliveryChoice:
        return DeliveryChoice(self.mode_box.currentData(), self.address_edit.text(), self.locker_edit.text())

    def reset(self) -> None:
        self.mode_box.setCurrentIndex(0)
        self.address_edit.clear()
        self.locker_edit.clear()
