"""How the payer pays: ``TenderBox`` shows only the fields the chosen way of payment needs
(cash received and the change, the terminal's reference, or the reason for a waiver) and
works the change out as the operator types."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QLineEdit, QWidget

from windowdesk.domain.fees import BANK_CARD, CASH, MOBILE, WAIVED, Tender, method_label, yuan_text
from windowdesk.domain.money import parse_yuan
from windowdesk.errors import ValidationError
from windowdesk.i18n import _
from windowdesk.ui.object_names import named


class TenderBox(QWidget):
    """``changed`` whenever the method or what goes with it changes."""

    changed = Signal()

    def __init__(self, *, allow_waiver: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._total: int | None = None
        self._methods = (CASH, BANK_CARD, MOBILE) + ((WAIVED,) if allow_waiver else ())
        self.method_combo = named(QComboBox(), "paymentMethod")
        for method in self._methods:
            self.method_combo.addItem(method_label(method), method)
        self.tendered_edit = named(QLineEdit(), "tenderedEdit")
        self.change_label = named(QLabel(), "changeLabel")
        self.change_label.setStyleSheet("font-size: 16pt; font-weight: bold")
        self.reference_edit = named(QLineEdit(), "referenceEdit")
        self.waiver_edit = named(QLineEdit(), "waiverReasonEdit")
        self.method_caption, self.tendered_caption = QLabel(), QLabel()
        self.reference_caption, self.waiver_caption = QLabel(), QLabel()
        self.change_caption = QLabel()
        self.form = QFormLayout(self)
        self.form.setContentsMargins(0, 0, 0, 0)
        for caption, field in (
            (self.method_caption, self.method_combo),
            (self.tendered_caption, self.tendered_edit),
            (self.change_caption, self.change_label),
            (self.reference_caption, self.reference_edit),
            (self.waiver_caption, self.waiver_edit),
        ):
            caption.setBuddy(field)
            self.form.addRow(caption, field)
        self.method_combo.currentIndexChanged.connect(self._method_changed)
        for edit in (self.tendered_edit, self.reference_edit, self.waiver_edit):
            edit.textChanged.connect(self._update)
        self.retranslate()
        self._method_changed()

    def retranslate(self) -> None:
        for index, method in enumerate(self._methods):
            self.method_combo.setItemText(index, method_label(method))
        self.method_caption.setText(_("Pa&yment method"))
        self.tendered_caption.setText(_("Cash recei&ved"))
        self.change_caption.setText(_("Change to give back"))
        self.reference_caption.setText(_("Terminal re&ference"))
        self.waiver_caption.setText(_("Wai&ved because"))
        self._update()

    def first_field(self) -> QWidget:
        """Where typing starts: the cash received when paying cash, else the method."""
        return self.tendered_edit if self.method() == CASH else self.method_combo

    def method(self) -> str:
        return self.method_combo.currentData()

    def set_method(self, method: str) -> None:
        self.method_combo.setCurrentIndex(self.method_combo.findData(method))

    def set_total(self, total_fen: int | None) -> None:
        self._total = total_fen
        self._update()

    def tender(self) -> Tender:
        """What the operator entered; a badly typed amount raises ValidationError."""
        method = self.method()
        if method == CASH:
            text = self.tendered_edit.text().strip()
            return Tender(CASH, tendered_fen=parse_yuan(text) if text else None)
        if method == WAIVED:
            return Tender(WAIVED, waiver_reason=self.waiver_edit.text())
        return Tender(method, reference=self.reference_edit.text())

    def clear(self) -> None:
        for edit in (self.tendered_edit, self.reference_edit, self.waiver_edit):
            edit.clear()
        self.set_method(CASH)

    def _method_changed(self) -> None:
        method = self.method()
        self.form.setRowVisible(self.tendered_edit, method == CASH)
        self.form.setRowVisible(self.change_label, method == CASH)
        self.form.setRowVisible(self.reference_edit, method in (BANK_CARD, MOBILE))
        self.form.setRowVisible(self.waiver_edit, method == WAIVED)
        self._update()

    def _update(self) -> None:
        self.change_label.setText(self._change_text())
        self.changed.emit()

    def _change_text(self) -> str:
        text = self.tendered_edit.text().strip()
        if self.method() != CASH or not text or self._total is None:
            return ""
        try:
            tendered = parse_yuan(text)
        except ValidationError as error:
            return error.message
        if tendered < self._total:
            return _("{amount} short").format(amount=yuan_text(self._total - tendered))
        return yuan_text(tendered - self._total)
