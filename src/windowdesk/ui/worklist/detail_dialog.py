"""One record's details and timeline."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from windowdesk.i18n import _
from windowdesk.screen_dates import on_screen
from windowdesk.services.context import CounterContext, Database
from windowdesk.services.worklist import RecordDetail
from windowdesk.ui.formatting import tag
from windowdesk.ui.object_names import named

if TYPE_CHECKING:
    from collections.abc import Callable

    from windowdesk.ui.materials.pages_dialog import MaterialPagesDialog
    from windowdesk.ui.printing.preview_dialog import PrintPreviewDialog
    from windowdesk.ui.workers import Workers


def detail_html(detail: RecordDetail, zone: str) -> str:
    rows = [
        (_("Number"), detail.number),
        (_("Item"), f"{detail.item_name} ({detail.item_code})"),
        (_("Applicant"), f"{detail.applicant_name} {detail.applicant_number}"),
        (_("Time"), on_screen(detail.at, zone)),
        (_("Status"), detail.state),
    ]
    if detail.promised_date:
        rows.append((_("Promised completion date"), on_screen(detail.promised_date)))
    if detail.legal_date:
        rows.append((_("Legal time limit ends"), on_screen(detail.legal_date)))
    if detail.reason:
        rows.append((_("Reason"), detail.reason))
    rows.append((_("Legal basis"), detail.legal_basis))
    table = "".join(f"<tr><th align='left'>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in rows)
    lines = "".join(
        f"<tr><td>{escape(name)}</td><td>{escape(status)}</td><td>{escape(note)}</td></tr>"
        for name, status, note in detail.lines
    )
    steps = "".join(
        f"<li>{escape(on_screen(step.at, zone))} \u2014 {escape(step.label)}"
        + (f": {escape(step.note)}" if step.note else "")
        + (f" ({escape(step.who)})" if step.who else "")
        + "</li>"
        for step in detail.timeline
    )
    html = _hub_refusals_html(detail, zone) + f"<table>{table}</table>"
    if lines:
        html += (
            tag("h3", _("Materials"))
            + "<table border='1' cellspacing='0' cellpadding='3'><tr>"
            + tag("th", _("Material"))
            + tag("th", _("Status"))
            + tag("th", _("Note"))
            + "</tr>"
            f"{lines}</table>"
        )
    if detail.parts:
        parts = "".join(
            f"<tr><td>{escape(name)}</td><td>{escape(status)}</td><td>{escape(note)}</td></tr>"
            for name, status, note in detail.parts
        )
        html += (
            tag("h3", _("Parallel approval"))
            + "<table border='1' cellspacing='0' cellpadding='3'><tr>"
            + tag("th", _("Department"))
            + tag("th", _("Decision"))
            + tag("th", _("Note"))
            + "</tr>"
            f"{parts}</table>"
        )
    html += tag("h3", _("Timeline")) + f"<ul>{steps}</ul>"
    return html


def _hub_refusals_html(detail: RecordDetail, zone: str) -> str:
    """First, in red while not dealt with: the hub does not have this record as it stands here."""
    if not detail.hub_refusals:
        return ""
    items = []
    for refusal in detail.hub_refusals:
        text = escape(_("{change}: {reason}").format(change=refusal.change, reason=refusal.reason))
        if refusal.resolution is None:
            text += "<br>" + escape(_("Not dealt with yet: a supervisor resolves it in the sync window."))
        else:
            text += "<br>" + escape(
                _("Resolved {time} by {supervisor}: {note}").format(
                    time=on_screen(refusal.resolution.at, zone),
                    supervisor=refusal.resolution.supervisor,
                    note=refusal.resolution.note,
                )
            )
        items.append(f"<li>{text}</li>")
    color = "#b00020" if any(r.resolution is None for r in detail.hub_refusals) else "#555555"
    return f"<div style='color: {color}'>" + tag("h3", _("Refused by the hub")) + f"<ul>{''.join(items)}</ul></div>"


class RecordDetailDialog(QDialog):
    def __init__(
        self,
        detail: RecordDetail,
        zone: str,
        parent: QWidget | None = None,
        *,
        db: Database | None = None,
        ctx: CounterContext | None = None,
        collect_fee: Callable[[str], None] | None = None,
        workers: Workers | None = None,
    ) -> None:
        super().__init__(parent)
        self._detail, self._db, self._ctx, self._workers = detail, db, ctx, workers
        self.print_dialog: PrintPreviewDialog | None = None
        self.setWindowTitle(_("Details of {number}").format(number=detail.number))
        self.browser = named(QTextBrowser(), "recordDetail")
        self.browser.setHtml(detail_html(detail, zone))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        # Reprint needs the database and the operator (for the audit entry); without them
        # the dialog only shows the record.
        self.reprint_button = None
        if db is not None and ctx is not None:
            self.reprint_button = buttons.addButton(_("&Reprint (Ctrl+P)"), QDialogButtonBox.ButtonRole.ActionRole)
            self.reprint_button.setObjectName("reprintButton")
            self.reprint_button.clicked.connect(self.reprint)
            QShortcut(QKeySequence("Ctrl+P"), self).activated.connect(self.reprint)
        self.collect_button = None
        if detail.kind == "case" and collect_fee is not None:
            self.collect_button = buttons.addButton(_("Collect the &fee\u2026"), QDialogButtonBox.ButtonRole.ActionRole)
            self.collect_button.setObjectName("collectFee")
            self.collect_button.clicked.connect(lambda: collect_fee(detail.id))
        self.pages_button = None
        self.pages_dialog: MaterialPagesDialog | None = None
        if detail.kind == "case" and db is not None and ctx is not None:
            self.pages_button = buttons.addButton(_("Scanned &pages\u2026"), QDialogButtonBox.ButtonRole.ActionRole)
            self.pages_button.setObjectName("scannedPages")
            self.pages_button.clicked.connect(self.open_pages)
        self.actions_bar = None
        if detail.kind == "case" and db is not None and ctx is not None:
            from windowdesk.services.worklist import case_status
            from windowdesk.ui.cases.actions import CaseActionsBar

            self.actions_bar = CaseActionsBar(
                db, ctx, case_id=detail.id, status=case_status(db, detail.id), case_number=detail.number, parent=self
            )
            self.actions_bar.changed.connect(lambda _status: self._reload(zone))
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        if self.actions_bar is not None:
            layout.addWidget(self.actions_bar)
        layout.addWidget(buttons)
        self.resize(680, 540)

    def _reach(self) -> tuple[Database, CounterContext]:
        """The database and operator the record's actions use: offered only when both were given."""
        if self._db is None or self._ctx is None:
            raise RuntimeError("a record's actions need its database and operator")
        return self._db, self._ctx

    def _reload(self, zone: str) -> None:
        from windowdesk.services.worklist import get_record_detail

        db, ctx = self._reach()
        self._detail = get_record_detail(db, ctx, kind=self._detail.kind, record_id=self._detail.id)
        self.browser.setHtml(detail_html(self._detail, zone))

    def open_pages(self) -> None:
        """The case's scanned pages, material by material."""
        from windowdesk.ui.materials.pages_dialog import MaterialPagesDialog

        db, ctx = self._reach()
        self.pages_dialog = MaterialPagesDialog(db, ctx, case_id=self._detail.id, workers=self._workers, parent=self)
        self.pages_dialog.show()

    def reprint(self) -> None:
        """The record's document again, marked 补打 (reprint); the copy is audited."""
        from windowdesk.ui.printing.actions import open_record_preview

        db, ctx = self._reach()
        self.print_dialog = open_record_preview(
            self, db, ctx, kind=self._detail.kind, record_id=self._detail.id, reprint=True
        )
