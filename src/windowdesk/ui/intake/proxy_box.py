"""帮办代办 on the intake screen: the box the operator ticks when an agent applies for the
applicant, with the agent (found, registered or read from their ID card like an
applicant) and the power of attorney (委托书): presented, and its date.

The rules are the service's (domain.proxy); this box only gathers what it checks.
"""

from __future__ import annotations

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QCheckBox, QDateEdit, QFormLayout, QGroupBox, QLabel, QVBoxLayout, QWidget

from windowdesk.domain.proxy import ProxyTerms
from windowdesk.i18n import _
from windowdesk.screen_dates import QT_DATE_FORMAT
from windowdesk.services.context import CounterContext, Database
from windowdesk.ui.intake.applicant_picker import ApplicantPicker
from windowdesk.ui.object_names import named
from windowdesk.ui.qt_dates import python_date


class AgentPicker(ApplicantPicker):
    """An applicant picker for the agent: a natural person, so residents only."""

    def __init__(self, db: Database, ctx: CounterContext, parent: QWidget | None = None) -> None:
        super().__init__(db, ctx, parent)
        self.setObjectName("agentPicker")
        self.query_edit.setObjectName("agentQuery")
        self.organisation_radio.hide()
        self.resident_radio.hide()

    def retranslate(self) -> None:
        super().retranslate()
        self.heading.setText(_("Agent:"))

    def _show_chosen(self) -> None:
        super()._show_chosen()
        if self.chosen is None:
            self.chosen_label.setText(_("No agent chosen yet."))
        else:
            self.chosen_label.setText(
                _("Agent: {name} ({number})").format(name=self.chosen.name, number=self.chosen.masked_number)
            )


class ProxyBox(QGroupBox):
    """Checkable: unticked, the applicant applies in person and ``terms()`` is None."""

    def __init__(self, db: Database, ctx: CounterContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("proxyBox")
        self.setCheckable(True)
        self.setChecked(False)
        self.agent_picker = AgentPicker(db, ctx)
        self.attorney_check = named(QCheckBox(), "powerOfAttorneyPresented")
        self.attorney_date = named(QDateEdit(), "powerOfAttorneyDate")
        self.attorney_date.setCalendarPopup(True)
        self.attorney_date.setDisplayFormat(QT_DATE_FORMAT)
        self._today = ctx.local_today
        # Unticked, only the title line shows: most applicants come in person, and the
        # intake screen must fit a 1280x720 counter screen.
        self.content = named(QWidget(), "proxyContent")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(6, 0, 6, 0)
        outer.addWidget(self.content)
        form = QFormLayout(self.content)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(self.agent_picker)
        form.addRow(self.attorney_check)
        self.attorney_date_label = QLabel(_("Dated"))
        form.addRow(self.attorney_date_label, self.attorney_date)
        self.toggled.connect(self.content.setVisible)
        self.retranslate()
        self.reset()

    def retranslate(self) -> None:
        self.setTitle(_("Applied for by an agent (帮办代办)"))
        self.attorney_check.setText(_("The applicant's signed power of attorney (委托书) is presented"))
        self.attorney_date_label.setText(_("Dated"))
        self.agent_picker.retranslate()

    def set_context(self, ctx: CounterContext) -> None:
        self._today = ctx.local_today
        self.agent_picker.set_context(ctx)

    def terms(self) -> ProxyTerms | None:
        if not self.isChecked():
            return None
        chosen = self.agent_picker.chosen
        return ProxyTerms(
            chosen.ref.id if chosen is not None else "",
            self.attorney_check.isChecked(),
            python_date(self.attorney_date.date()),
        )

    def draft(self) -> dict:
        """What is entered, to be given back to its operator (the agent as found)."""
        return {
            "on": self.isChecked(),
            "agent": self.agent_picker.chosen,
            "present": self.attorney_check.isChecked(),
            "date": python_date(self.attorney_date.date()),
        }

    def restore(self, draft: dict) -> None:
        self.setChecked(draft["on"])
        self.content.setVisible(draft["on"])
        if draft["agent"] is not None:
            self.agent_picker.set_chosen(draft["agent"])
        self.attorney_check.setChecked(draft["present"])
        day = draft["date"]
        self.attorney_date.setDate(QDate(day.year, day.month, day.day))

    def reset(self) -> None:
        self.setChecked(False)
        self.content.setVisible(False)
        self.agent_picker.reset()
        self.attorney_check.setChecked(False)
        today = self._today()
        self.attorney_date.setDate(QDate(today.year, today.month, today.day))
