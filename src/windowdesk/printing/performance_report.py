"""绩效考核报表: the performance report of a center for a period, as an A4 PDF — one
table of the cases' figures, one of ratings and complaints, a row per window, operator,
department or center and a total row, signed by the supervisor."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from windowdesk.i18n import _
from windowdesk.printing.blocks import Sheet, field_table, gap, list_table, long_date, para, signature_table
from windowdesk.printing.data import Issuer
from windowdesk.printing.layout import DocumentHead, build_pdf
from windowdesk.printing.paper import PaperFormat

# Column positions in the rows handed in (services.reports.report_table): the label, then
# accepted, completed, on time, overdue, notifications, refusals, average days, ratings,
# satisfaction rate, complaints, resolved, then the five rating levels best first.
CASE_COLUMNS = (0, 1, 2, 3, 4, 5, 6, 7, 8, 9)  # with 帮办代办 and 容缺受理 cases after the accepted
QUALITY_COLUMNS = (0, 10, 11, 14, 15, 16, 17, 18, 12, 13)


def performance_report_title() -> str:
    return _("Performance Assessment Report")


def render_performance_report(
    *,
    issuer: Issuer,
    start: dt.date,
    end: dt.date,
    grouping: str,
    headings: Sequence[str],
    rows: Sequence[Sequence[str]],
    paper: PaperFormat = PaperFormat.A4,
) -> bytes:
    sheet = Sheet.of(paper)
    styles = sheet.styles
    number = f"{start:%Y%m%d}-{end:%Y%m%d}"
    head = DocumentHead(performance_report_title(), _("Period"), number, issuer, False)

    def pick(columns: Sequence[int], row: Sequence[str]) -> list[str]:
        return [row[i] for i in columns]

    story = [
        para(performance_report_title(), styles.title),
        para(f"{issuer.center_name} \u00b7 {long_date(start)} \u2013 {long_date(end)}", styles.subtitle),
        field_table(sheet, [(_("Grouped by"), grouping), (_("Rows"), str(max(len(rows) - 1, 0)))]),
        para(_("Cases and time limits"), styles.heading),
        list_table(
            sheet,
            pick(CASE_COLUMNS, headings),
            [pick(CASE_COLUMNS, row) for row in rows],
            [3.2, 1, 1.1, 1.1, 1, 1, 1, 1.3, 1, 1.3],
            compact=True,
        ),
        para(_("Satisfaction and complaints"), styles.heading),
        list_table(
            sheet,
            pick(QUALITY_COLUMNS, headings),
            [pick(QUALITY_COLUMNS, row) for row in rows],
            [3.2, 1, 1.2, 1, 1, 1, 1, 1, 1.1, 1.1],
            compact=True,
        ),
        para(
            _(
                "On time: completed within the promised working days, without the days spent waiting for "
                "supplementary materials. Overdue: completed late, or still open and past the promised date at "
                "the end of the period. Satisfaction rate: ratings of basically satisfied or better."
            ),
            styles.small,
        ),
        gap(sheet, 1.5),
        signature_table(sheet, [_("Prepared by"), _("Supervisor")]),
    ]
    return build_pdf(head, story, sheet)
