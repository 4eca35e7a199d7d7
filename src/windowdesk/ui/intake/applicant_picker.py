"""Find or register the applicant."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QGridLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QWidget,
)

from windowdesk.domain.permissions import Permission
from windowdesk.i18n import _
from windowdesk.services import applicants
from windowdesk.services.applicants import ApplicantSummary
from windowdesk.services.authorization import may
from windowdesk.services.context import CounterContext, Database
from windowdesk.ui.errors import show_error
from windowdesk.ui.intake.applicant_dialogs import RegisterOrganisationDialog, RegisterResidentDialog
from windowdesk.ui.intake.search_keys import arrows_move_results
from windowdesk.ui.object_names import named

SUMMARY_ROLE = Qt.ItemDataRole.UserRole


class ApplicantPicker(QWidget):
    """Emits ``applicantChosen(ApplicantSummary | None)``."""

    applicantChosen = Signal(object)

    def __init__(self, db: Database, ctx: CounterContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db, self._ctx = db, ctx
        self.chosen: ApplicantSummary | None = None
        self.resident_radio = named(QRadioButton(), "residentKind")
        self.organisation_radio = named(QRadioButton(), "organisationKind")
        self.resident_radio.setChecked(True)
        kinds = QButtonGroup(self)
        kinds.addButton(self.resident_radio)
        kinds.addButton(self.organisation_radio)
        self.query_edit = named(QLineEdit(), "applicantQuery")
        self.query_edit.setClearButtonEnabled(True)
        self.register_button = named(QPushButton(), "registerApplicant")
        self.reveal_button = named(QPushButton(), "revealIdNumber")
        self.reveal_button.setEnabled(False)
        self.results = named(QListWidget(), "applicantResults")
        self.results.setMaximumHeight(110)
        self.chosen_label = named(QLabel(), "chosenApplicant")
        self.chosen_label.setWordWrap(True)  # a long name wraps; it never widens the window
        self.heading = QLabel()

        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(self.heading, 0, 0)
        grid.addWidget(self.resident_radio, 0, 1)
        grid.addWidget(self.organisation_radio, 0, 2)
        grid.addWidget(self.query_edit, 1, 0, 1, 2)
        grid.addWidget(self.register_button, 1, 2)
        grid.addWidget(self.results, 2, 0, 1, 3)
        grid.addWidget(self.chosen_label, 3, 0, 1, 2)
        grid.addWidget(self.reveal_button, 3, 2)

        arrows_move_results(self.query_edit, self.results)
        self.query_edit.textChanged.connect(self.refresh_results)
        self.query_edit.returnPressed.connect(self._choose_current_or_register)
        self.resident_radio.toggled.connect(lambda _checked: self.refresh_results())
        self.results.itemActivated.connect(self._choose)
        self.results.itemClicked.connect(self._choose)
        self.register_button.clicked.connect(self.register_new)
        self.reveal_button.clicked.connect(self.reveal_number)
        self.retranslate()
        self._show_chosen()

    def retranslate(self) -> None:
        self.heading.setText(_("A&pplicant:"))
        self.heading.setBuddy(self.query_edit)
        self.resident_radio.setText(_("Resident"))
        self.organisation_radio.setText(_("Organisation"))
        self.query_edit.setPlaceholderText(_("ID number, name or phone"))
        self.query_edit.setToolTip(_("F3: find the applicant"))
        self.register_button.setText(_("&Register new\u2026"))
        self.reveal_button.setText(_("Show whole number"))
        self.reveal_button.setToolTip(_("Supervisors only; every viewing is recorded in the audit log."))

    def _is_resident(self) -> bool:
        return self.resident_radio.isChecked()

    def refresh_results(self) -> None:
        query = self.query_edit.text()
        try:
            if self._is_resident():
                found = applicants.find_residents(self._db, self._ctx, query=query)
            else:
                found = applicants.find_organisations(self._db, self._ctx, query=query)
        except Exception as error:  # noqa: BLE001 - any failure is shown to the operator, never swallowed
            show_error(self, error)
            return
        self.results.clear()
        for summary in found:
            entry = QListWidgetItem(f"{summary.name}  {summary.masked_number}  {summary.phone}  {summary.detail}")
            entry.setData(SUMMARY_ROLE, summary)
            self.results.addItem(entry)
        if self.results.count():
            self.results.setCurrentRow(0)

    def _choose(self, entry: QListWidgetItem) -> None:
        self.set_chosen(entry.data(SUMMARY_ROLE))

    def _choose_current_or_register(self) -> None:
        if self.chosen is not None and self.query_edit.text() == self.chosen.masked_number:
            self.set_chosen(self.chosen)  # Enter again on the chosen one: go on to the materials
            return
        entry = self.results.currentItem()
        if entry is not None:
            self._choose(entry)
        elif self.query_edit.text().strip():
            self.register_new()

    def register_new(self) -> None:
        typed = self.query_edit.text().strip()
        looks_like_number = typed[:6].isdigit() or (typed[:2].isalnum() and typed.isascii())
        prefill = typed if looks_like_number else ""
        dialog: RegisterResidentDialog | RegisterOrganisationDialog
        if self._is_resident():
            dialog = RegisterResidentDialog(self._db, self._ctx, self, id_number=prefill)
        else:
            dialog = RegisterOrganisationDialog(self._db, self._ctx, self, credit_code=prefill)
        if not looks_like_number and self._is_resident():
            dialog.name_edit.setText(typed)
        try:
            if dialog.exec() == QDialog.DialogCode.Accepted and dialog.registered is not None:
                self.set_chosen(dialog.registered)
        except Exception as error:  # noqa: BLE001 - any failure is shown to the operator, never swallowed
            show_error(self, error)

    def set_chosen(self, summary: ApplicantSummary | None) -> None:
        self.chosen = summary
        if summary is not None:
            # The whole number typed (or read) must not stay on the screen once the
            # applicant is found: the box shows the masked number, like the label.
            self.query_edit.blockSignals(True)
            self.query_edit.setText(summary.masked_number)
            self.query_edit.blockSignals(False)
        self._show_chosen()
        self.applicantChosen.emit(summary)

    def reveal_number(self) -> None:
        if self.chosen is None:
            return
        try:
            number = applicants.reveal_id_number(self._db, self._ctx, applicant=self.chosen.ref)
        except Exception as error:  # noqa: BLE001 - any failure is shown to the operator, never swallowed
            show_error(self, error)
            return
        self.chosen_label.setText(_("Applicant: {name} ({number})").format(name=self.chosen.name, number=number))

    def _show_chosen(self) -> None:
        self.reveal_button.setEnabled(self.chosen is not None and may(self._db, self._ctx, Permission.VIEW_FULL_ID))
        if self.chosen is None:
            self.chosen_label.setText(_("No applicant chosen yet."))
        else:
            self.chosen_label.setText(
                _("Applicant: {name} ({number})").format(name=self.chosen.name, number=self.chosen.masked_number)
            )

    def set_context(self, ctx: CounterContext) -> None:
        self._ctx = ctx

    def reset(self) -> None:
        self.query_edit.clear()
        self.results.clear()
        self.set_chosen(None)
