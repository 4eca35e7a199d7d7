"""Small forms of service quality: a first inquiry, a complaint, a rectification task."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from windowdesk.i18n import _
from windowdesk.screen_dates import QT_DATE_FORMAT
from windowdesk.services import complaints
from windowdesk.services.service_quality import StaffMember
from windowdesk.ui.object_names import named
from windowdesk.ui.qt_dates import python_date


def _buttons(dialog: QDialog, form: QFormLayout) -> None:
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    form.addRow(buttons)


class InquiryFormDialog(QDialog):
    """首问登记: what was asked, and by whom (optional)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Register a first inquiry"))
        self.question = named(QPlainTextEdit(), "inquiryQuestion")
        self.name = named(QLineEdit(), "inquirerName")
        self.phone = named(QLineEdit(), "inquirerPhone")
        form = QFormLayout(self)
        form.addRow(_("Question"), self.question)
        form.addRow(_("Name (optional)"), self.name)
        form.addRow(_("Phone (optional)"), self.phone)
        _buttons(self, form)


class ComplaintFormDialog(QDialog):
    """投诉: the complainant, what it is about, the facts, the owner."""

    def __init__(
        self,
        staff: list[StaffMember],
        windows: list[tuple[str, str]],
        departments: list[tuple[str, str]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Register a complaint"))
        self.name = named(QLineEdit(), "complainantName")
        self.phone = named(QLineEdit(), "complainantPhone")
        self.about_window = named(QComboBox(), "aboutWindow")
        self.about_operator = named(QComboBox(), "aboutOperator")
        self.about_department = named(QComboBox(), "aboutDepartment")
        for box in (self.about_window, self.about_operator, self.about_department):
            box.addItem(_("(none)"), None)
        for code, label in windows:
            self.about_window.addItem(label, code)
        for member in staff:
            self.about_operator.addItem(member.name, member.id)
        for code, label in departments:
            self.about_department.addItem(label, code)
        self.facts = named(QPlainTextEdit(), "complaintFacts")
        self.owner = named(QComboBox(), "complaintOwner")
        for member in staff:
            if member.role in ("supervisor", "administrator"):
                self.owner.addItem(member.name, member.id)
        form = QFormLayout(self)
        form.addRow(_("Complainant"), self.name)
        form.addRow(_("Phone"), self.phone)
        form.addRow(_("About the window"), self.about_window)
        form.addRow(_("About the staff member"), self.about_operator)
        form.addRow(_("About the department"), self.about_department)
        form.addRow(_("Facts"), self.facts)
        form.addRow(_("Owner"), self.owner)
        _buttons(self, form)

    def about(self) -> complaints.ComplaintAbout:
        return complaints.ComplaintAbout(
            self.about_window.currentData(), self.about_operator.currentData(), self.about_department.currentData()
        )


class RectificationFormDialog(QDialog):
    """整改: the task, the unit, the person responsible, the deadline."""

    def __init__(self, today: dt.date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Add a rectification task"))
        self.task = named(QLineEdit(), "rectificationTask")
        self.unit = named(QLineEdit(), "rectificationUnit")
        self.responsible = named(QLineEdit(), "rectificationResponsible")
        self.deadline = named(QDateEdit(QDate(today.year, today.month, today.day).addDays(14)), "rectificationDeadline")
        self.deadline.setCalendarPopup(True)
        self.deadline.setDisplayFormat(QT_DATE_FORMAT)
        form = QFormLayout(self)
        form.addRow(_("Task"), self.task)
        form.addRow(_("Unit"), self.unit)
        form.addRow(_("Responsible person"), self.responsible)
        form.addRow(_("Deadline"), self.deadline)
        _buttons(self, form)

    def value(self) -> complaints.RectificationTask:
        return complaints.RectificationTask(
            self.task.text(), self.unit.text(), self.responsible.text(), python_date(self.deadline.date())
        )
