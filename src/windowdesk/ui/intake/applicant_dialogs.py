"""Register a new applicant: a resident with an ID number, or an organisation."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from windowdesk.errors import ValidationError
from windowdesk.i18n import _
from windowdesk.services import applicants
from windowdesk.services.applicants import ApplicantSummary
from windowdesk.services.context import CounterContext, Database
from windowdesk.ui.errors import show_error
from windowdesk.ui.object_names import named


class _RegisterDialog(QDialog):
    """Shared frame: a form, an error line under it, OK/Cancel; the result stays on
    ``registered`` after a successful save."""

    def __init__(self, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.registered: ApplicantSummary | None = None
        self.form = QFormLayout()
        self.error_label = named(QLabel(), "errorLabel")
        self.error_label.setStyleSheet("color: #b00020")
        self.error_label.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)

    def _field_widgets(self) -> dict[str, QWidget]:
        raise NotImplementedError

    def _register(self) -> ApplicantSummary:
        raise NotImplementedError

    def _save(self) -> None:
        try:
            self.registered = self._register()
        except ValidationError as error:
            self.error_label.setText(error.message)
            widget = self._field_widgets().get(error.field or "")
            if widget is not None:
                widget.setFocus()
            return
        except Exception as error:  # noqa: BLE001 - any failure is shown to the operator, never swallowed
            show_error(self, error)
            return
        self.accept()


class RegisterResidentDialog(_RegisterDialog):
    def __init__(
        self, db: Database, ctx: CounterContext, parent: QWidget | None = None, *, id_number: str = ""
    ) -> None:
        super().__init__(parent)
        self._db, self._ctx = db, ctx
        self.setWindowTitle(_("Register a resident"))
        self.id_edit = named(QLineEdit(id_number), "idNumber")
        self.id_edit.setMaxLength(22)
        self.name_edit = named(QLineEdit(), "residentName")
        self.phone_edit = named(QLineEdit(), "residentPhone")
        self.address_edit = named(QLineEdit(), "residentAddress")
        self.welfare_box = named(QComboBox(), "welfareStatus")
        self.welfare_box.addItem(_("None"), None)
        for code, label in (
            ("dibao", _("Minimum living allowance (dibao) household")),
            ("disabled", _("Person with a disability")),
            ("elderly_80", _("Aged 80 or over")),
            ("veteran", _("Veteran")),
            ("student", _("Student")),
        ):
            self.welfare_box.addItem(label, code)
        self.form.addRow(_("ID number"), self.id_edit)
        self.form.addRow(_("Name"), self.name_edit)
        self.form.addRow(_("Phone"), self.phone_edit)
        self.form.addRow(_("Address"), self.address_edit)
        self.form.addRow(_("Welfare status"), self.welfare_box)

    def _field_widgets(self) -> dict[str, QWidget]:
        return {"id_number": self.id_edit, "name": self.name_edit, "phone": self.phone_edit}

    def _register(self) -> ApplicantSummary:
        return applicants.register_resident(
            self._db,
            self._ctx,
            id_number=self.id_edit.text(),
            name=self.name_edit.text(),
            phone=self.phone_edit.text(),
            address=self.address_edit.text(),
            welfare_status=self.welfare_box.currentData(),
        )


class RegisterOrganisationDialog(_RegisterDialog):
    def __init__(
        self, db: Database, ctx: CounterContext, parent: QWidget | None = None, *, credit_code: str = ""
    ) -> None:
        super().__init__(parent)
        self._db, self._ctx = db, ctx
        self.setWindowTitle(_("Register an organisation"))
        self.code_edit = named(QLineEdit(credit_code), "creditCode")
        self.name_edit = named(QLineEdit(), "organisationName")
        self.rep_edit = named(QLineEdit(), "legalRepresentative")
        self.phone_edit = named(QLineEdit(), "organisationPhone")
        self.address_edit = named(QLineEdit(), "organisationAddress")
        self.form.addRow(_("Unified social credit code"), self.code_edit)
        self.form.addRow(_("Organisation name"), self.name_edit)
        self.form.addRow(_("Legal representative"), self.rep_edit)
        self.form.addRow(_("Phone"), self.phone_edit)
        self.form.addRow(_("Address"), self.address_edit)

    def _field_widgets(self) -> dict[str, QWidget]:
        return {"credit_code": self.code_edit, "name": self.name_edit}

    def _register(self) -> ApplicantSummary:
        return applicants.register_organisation(
            self._db,
            self._ctx,
            credit_code=self.code_edit.text(),
            name=self.name_edit.text(),
            legal_representative=self.rep_edit.text(),
            phone=self.phone_edit.text(),
            address=self.address_edit.text(),
        )
