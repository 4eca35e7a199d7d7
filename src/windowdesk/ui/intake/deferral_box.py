"""容缺受理 on the intake screen: one line beside "mark all received", shown only for
an item whose catalog entry allows materials to follow. Ticked, the missing deferrable
materials follow by the date the applicant commits to; the rules are the service's
(domain.deferral)."""

from __future__ import annotations

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QCheckBox, QDateEdit, QHBoxLayout, QWidget

from windowdesk.domain.deferral import DeferralTerms
from windowdesk.i18n import _
from windowdesk.screen_dates import QT_DATE_FORMAT
from windowdesk.services.context import CounterContext
from windowdesk.ui.object_names import named
from windowdesk.ui.qt_dates import python_date


class DeferralBox(QWidget):
    def __init__(self, ctx: CounterContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("deferralBox")
        self._today = ctx.local_today
        self.defer_check = named(QCheckBox(), "acceptWithMaterialsToFollow")
        self.commitment_date = named(QDateEdit(), "commitmentDate")
        self.commitment_date.setCalendarPopup(True)
        self.commitment_date.setDisplayFormat(QT_DATE_FORMAT)
        self.commitment_date.setEnabled(False)
        self.defer_check.toggled.connect(self.commitment_date.setEnabled)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.defer_check)
        layout.addWidget(self.commitment_date)
        self.retranslate()
        self.offer(allowed=False)

    def retranslate(self) -> None:
        self.defer_check.setText(_("Accept with materials to follow (容缺受理), brought by"))
        self.setToolTip(
            _("The applicant signs the commitment; the date is at the latest the promised completion date.")
        )

    def set_context(self, ctx: CounterContext) -> None:
        self._today = ctx.local_today

    def offer(self, *, allowed: bool) -> None:
        """Shown, unticked, for an item that allows deferral; hidden otherwise."""
        self.defer_check.setChecked(False)
        today = self._today()
        self.commitment_date.setDate(QDate(today.year, today.month, today.day))
        self.setVisible(allowed)

    def draft(self) -> dict:
        return {"on": self.defer_check.isChecked(), "date": python_date(self.commitment_date.date())}

    def restore(self, draft: dict) -> None:
        """Given back after ``offer`` for the same item."""
        day = draft["date"]
        self.commitment_date.setDate(QDate(day.year, day.month, day.day))
        self.defer_check.setChecked(draft["on"] and not self.isHidden())

    def terms(self) -> DeferralTerms | None:
        if self.isHidden() or not self.defer_check.isChecked():
            return None
        return DeferralTerms(python_date(self.commitment_date.date()))
