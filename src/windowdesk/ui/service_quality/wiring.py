"""Service quality and the performance report in the main window: two tabs, a
"Service" menu, the rating on the operator's screen (F6) or on the applicant's screen
(Shift+F6). Kept apart so the main window only creates it and passes context changes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QKeySequence, QShortcut

from windowdesk.domain.permissions import Permission
from windowdesk.i18n import _
from windowdesk.services.context import CounterContext
from windowdesk.ui.lazy_tab import LazyTab
from windowdesk.ui.service_quality.rating import ApplicantRatingWindow, RatingDialog

if TYPE_CHECKING:
    from windowdesk.services.intake import IntakeResult
    from windowdesk.ui.main_window import MainWindow
    from windowdesk.ui.reports.report_view import PerformanceReportView
    from windowdesk.ui.service_quality.quality_view import ServiceQualityView


class ServiceQualityWiring:
    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.last_case_id: str | None = None
        self.rating_dialog: RatingDialog | None = None
        self.applicant_window: ApplicantRatingWindow | None = None
        # Both tabs are made when first shown (ui/lazy_tab.py), with the window's context then;
        # their modules are imported then too.
        self.view_tab = LazyTab(window.tabs, self._make_view)
        self.reports_tab = LazyTab(window.tabs, self._make_reports)
        self.menu = window.menuBar().addMenu("")
        self.rate_action = self.menu.addAction("")
        self.rate_action.setShortcut(QKeySequence("F6"))
        self.rate_action.triggered.connect(self.ask_rating)
        self.applicant_action = self.menu.addAction("")
        self.applicant_action.setShortcut(QKeySequence("Shift+F6"))
        self.applicant_action.triggered.connect(self.ask_on_applicant_screen)
        window.addActions([self.rate_action, self.applicant_action])
        QShortcut(QKeySequence("Ctrl+5"), window).activated.connect(
            lambda: window.tabs.setCurrentWidget(self.view_tab.page)
        )
        QShortcut(QKeySequence("Ctrl+6"), window).activated.connect(
            lambda: window.tabs.setCurrentWidget(self.reports_tab.page)
        )
        window.intake.recordSaved.connect(self._record_saved)
        window.tabs.currentChanged.connect(self._tab_changed)
        self._show_reports_tab()

    def _make_view(self) -> ServiceQualityView:
        from windowdesk.ui.service_quality.quality_view import ServiceQualityView

        return ServiceQualityView(self.window.db, self.window.ctx, self.window.shipped_calendar)

    def _make_reports(self) -> PerformanceReportView:
        from windowdesk.ui.reports.report_view import PerformanceReportView

        window = self.window
        return PerformanceReportView(window.db, window.ctx, window.shipped_calendar, workers=window.workers)

    @property
    def view(self) -> ServiceQualityView:
        """The service quality tab, made now if it was not yet."""
        return self.view_tab.widget

    @property
    def reports(self) -> PerformanceReportView:
        """The performance report tab, made now if it was not yet."""
        return self.reports_tab.widget

    def _show_reports_tab(self) -> None:
        """As the window's operator may: read once per build or change of operator (window.rights)."""
        tabs = self.window.tabs
        tabs.setTabVisible(tabs.indexOf(self.reports_tab.page), self.window.rights.allows(Permission.VIEW_REPORTS))

    def retranslate(self) -> None:
        tabs = self.window.tabs
        tabs.setTabText(tabs.indexOf(self.view_tab.page), _("Service &quality (Ctrl+5)"))
        tabs.setTabText(tabs.indexOf(self.reports_tab.page), _("&Reports (Ctrl+6)"))
        self.menu.setTitle(_("Ser&vice"))
        self.rate_action.setText(_("Ask for a &rating (F6)"))
        self.applicant_action.setText(_("Rating on the &applicant's screen (Shift+F6)"))
        # A tab not made yet is worded as it is made.
        if self.view_tab.built:
            self.view.retranslate()
        if self.reports_tab.built:
            self.reports.retranslate()
        if self.applicant_window is not None:  # the applicant's screen follows the counter's language
            self.applicant_window.setWindowTitle(_("Rate our service"))
            self.applicant_window.set_context(self.window.ctx)

    def set_context(self, ctx: CounterContext) -> None:
        if self.view_tab.built:  # else made with the window's context when first shown
            self.view.set_context(ctx)
        if self.reports_tab.built:
            self.reports.set_context(ctx)
        if self.applicant_window is not None:
            self.applicant_window.set_context(ctx)
        self._show_reports_tab()

    def _record_saved(self, result: IntakeResult) -> None:
        if getattr(result, "kind", None) == "case":
            self.last_case_id = result.id
            if self.applicant_window is not None and self.applicant_window.isVisible():
                self.applicant_window.ask(result.id)

    def _tab_changed(self, index: int) -> None:
        if self.view_tab.built and self.window.tabs.widget(index) is self.view:
            self.view.refresh()

    def refresh(self) -> None:
        """The service quality lists read again, if the tab was made (else read when first shown)."""
        if self.view_tab.built:
            self.view.refresh()

    def ask_rating(self) -> RatingDialog:
        """On the operator's screen, for the case just handled (if any)."""
        self.rating_dialog = RatingDialog(
            self.window.db, self.window.ctx, self.window.shipped_calendar, case_id=self.last_case_id, parent=self.window
        )
        self.rating_dialog.panel.rated.connect(lambda _result: self.refresh())
        self.rating_dialog.open()
        return self.rating_dialog

    def ask_on_applicant_screen(self) -> ApplicantRatingWindow:
        if self.applicant_window is None:
            self.applicant_window = ApplicantRatingWindow(self.window.db, self.window.ctx, self.window.shipped_calendar)
            self.applicant_window.rated.connect(lambda _result: self.refresh())
        self.applicant_window.ask(self.last_case_id)
        self.applicant_window.show_on_applicant_screen()
        return self.applicant_window

    def close(self) -> None:
        if self.applicant_window is not None:
            self.applicant_window.close()
            self.applicant_window.deleteLater()
            self.applicant_window = None
