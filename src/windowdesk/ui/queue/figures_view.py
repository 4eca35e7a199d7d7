"""The queue's figures for the supervisor (a tab of the main window): who waits and the
longest wait now; the day's tickets, served, no-shows, waiting average and 90th
percentile, handling time per window and per business. Read from the hall service."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from windowdesk.i18n import _
from windowdesk.screen_dates import on_screen
from windowdesk.ui.object_names import named


def minutes(seconds: float | None) -> str:
    return "\u2014" if seconds is None else _("{minutes:.1f} min").format(minutes=seconds / 60)


class QueueFiguresView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("queueFigures")
        self.figures: dict | None = None
        self.now_label = named(QLabel(), "queueFiguresNow")
        self.day_label = named(QLabel(), "queueFiguresDay")
        self.day_label.setWordWrap(True)
        self.refresh_button = named(QPushButton(), "queueFiguresRefresh")
        self.by_window = named(QTableWidget(0, 3), "queueFiguresWindows")
        self.by_business = named(QTableWidget(0, 3), "queueFiguresBusinesses")
        for table in (self.by_window, self.by_business):
            table.verticalHeader().hide()
            table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        top = QHBoxLayout()
        top.addWidget(self.now_label, 1)
        top.addWidget(self.refresh_button)
        tables = QHBoxLayout()
        tables.addWidget(self.by_window)
        tables.addWidget(self.by_business)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.day_label)
        layout.addLayout(tables, 1)
        self.retranslate()

    def retranslate(self) -> None:
        self.refresh_button.setText(_("Refresh"))
        self.by_window.setHorizontalHeaderLabels([_("Window"), _("Served"), _("Average handling")])
        self.by_business.setHorizontalHeaderLabels([_("Business"), _("Served"), _("Average handling")])
        self.show_figures(self.figures)

    def show_figures(self, figures: dict | None) -> None:
        self.figures = figures
        if figures is None:
            self.now_label.setText(_("The queue's figures come from the hall service."))
            self.day_label.setText("")
            return
        waiting = ", ".join(f"{prefix} {count}" for prefix, count in figures["waiting_now"].items()) or "0"
        self.now_label.setText(
            _("Waiting now: {counts}; longest wait now: {longest}").format(
                counts=waiting, longest=minutes(figures["longest_wait_now_s"])
            )
        )
        self.day_label.setText(
            _(
                "{day}: {tickets} tickets, {served} served, {no_shows} no-shows; wait "
                "{average} on average, {p90} for 9 in 10"
            ).format(
                day=on_screen(dt.date.fromisoformat(figures["day"])),
                tickets=figures["tickets"],
                served=figures["served"],
                no_shows=figures["no_shows"],
                average=minutes(figures["average_wait_s"]),
                p90=minutes(figures["p90_wait_s"]),
            )
        )
        for table, rows in (
            (self.by_window, figures["handling_by_window"]),
            (self.by_business, figures["handling_by_business"]),
        ):
            table.setRowCount(len(rows))
            for row, (key, entry) in enumerate(rows.items()):
                for column, text in enumerate((key, str(entry["served"]), minutes(entry["average_s"]))):
                    table.setItem(row, column, QTableWidgetItem(text))
