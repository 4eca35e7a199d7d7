"""One record's details and timeline."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from windowdesk.i18n import _, format_date
from windowdesk.services.worklist import RecordDetail
from windowdesk.ui.formatting import local_time, tag


def detail_html(detail: RecordDetail, zone: str) -> str:
    rows = [
        (_("Number"), detail.number),
        (_("Item"), f"{detail.item_name} ({detail.item_code})"),
        (_("Applicant"), f"{detail.applicant_name} {detail.applicant_number}"),
        (_("Time"), local_time(detail.at, zone)),
        (_("Status"), detail.state),
    ]
    if detail.promised_date:
        rows.append((_("Promised completion date"), format_date(detail.promised_date, "long")))
    if detail.legal_date:
        rows.append((_("Legal time limit ends"), format_date(detail.legal_date, "long")))
    if detail.reason:
        rows.append((_("Reason"), detail.reason))
    rows.append((_("Legal basis"), detail.legal_basis))
    table = "".join(f"<tr><th align='left'>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in rows)
    lines = "".join(
        f"<tr><td>{escape(name)}</td><td>{escape(status)}</td><td>{escape(note)}</td></tr>"
        for name, status, note in detail.lines
    )
    steps = "".join(
        f"<li>{escape(local_time(step.at, zone))} \u2014 {escape(step.label)}"
        + (f": {escape(step.note)}" if step.note else "") + "</li>"
        for step in detail.timeline
    )
    html = f"<table>{table}</table>"
    if lines:
        html += (
            tag("h3", _("Materials")) + "<table border='1' cellspacing='0' cellpadding='3'><tr>"
            + tag("th", _("Material")) + tag("th", _("Status")) + tag("th", _("Note")) + "</tr>"
            f"{lines}</table>"
        )
    html += tag("h3", _("Timeline")) + f"<ul>{steps}</ul>"
    return html


class RecordDetailDialog(QDialog):
    def __init__(self, detail: RecordDetail, zone: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Details of {number}").format(number=detail.number))
        self.browser = QTextBrowser(objectName="recordDetail")
        self.browser.setHtml(detail_html(detail, zone))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
        self.resize(640, 520)
