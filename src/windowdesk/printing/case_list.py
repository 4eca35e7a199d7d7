"""The case list of a day at one window: every decision, one row each, for the
supervisor and the auditor. Hundreds of rows flow onto as many pages as they need, the
column headings repeated on each."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from windowdesk.i18n import _
from windowdesk.printing.blocks import Sheet, applicant_text, list_table, long_date, para, window_text
from windowdesk.printing.data import CaseListData
from windowdesk.printing.layout import DocumentHead, build_pdf
from windowdesk.printing.paper import PaperFormat, default_paper


def case_list_title() -> str:
    return _("Case List")


def render_case_list(data: CaseListData, *, paper: PaperFormat | None = None, reprint: bool = False) -> bytes:
    sheet = Sheet.of(paper or default_paper(data.KIND))
    styles = sheet.styles
    issuer = data.issuer
    head = DocumentHead(case_list_title(), _("Report"), data.number, issuer, reprint)
    story = [
        para(case_list_title(), styles.title),
        para(f"{issuer.center_name} {window_text(issuer)} \u00b7 {long_date(data.day)}", styles.subtitle),
        para(_("{count} records").format(count=len(data.rows)), styles.body),
    ]
    if data.rows:
        zone = ZoneInfo(issuer.zone)
        story.append(
            list_table(
                sheet,
                ["#", _("Number"), _("Time"), _("Decision"), _("Item"), _("Applicant"), _("Status")],
                [
                    [
                        str(i),
                        row.number,
                        row.at.astimezone(zone).strftime("%H:%M"),
                        row.decision,
                        row.item_name,
                        applicant_text(row.applicant),
                        row.state,
                    ]
                    for i, row in enumerate(data.rows, start=1)
                ],
                [0.6, 3.4, 0.9, 1.5, 3.6, 3.9, 1.4],
                compact=True,
            )
        )
    return build_pdf(head, story, sheet)
