"""电子监察 list: the open cases of a center (or a window) near or past their promised
date, oldest first, for the supervisor's review meeting. Thousands of rows flow onto as
many pages as they need, the column headings repeated on each."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from windowdesk.i18n import _
from windowdesk.printing.blocks import Sheet, field_table, gap, list_table, long_date, para, signature_table
from windowdesk.printing.data import Issuer
from windowdesk.printing.layout import DocumentHead, build_pdf
from windowdesk.printing.paper import PaperFormat


def late_list_title() -> str:
    return _("Cases Near or Past Their Promised Date")


def render_late_list(
    *,
    issuer: Issuer,
    day: dt.date,
    scope: str,
    headings: Sequence[str],
    rows: Sequence[Sequence[str]],
    overdue: int,
    paper: PaperFormat = PaperFormat.A4,
) -> bytes:
    sheet = Sheet.of(paper)
    styles = sheet.styles
    head = DocumentHead(late_list_title(), _("Date"), f"{day:%Y%m%d}", issuer, False)
    story = [
        para(late_list_title(), styles.title),
        para(f"{issuer.center_name} \u00b7 {scope} \u00b7 {long_date(day)}", styles.subtitle),
        field_table(sheet, [(_("Overdue (red)"), str(overdue)), (_("Due soon (yellow)"), str(len(rows) - overdue))]),
        list_table(
            sheet,
            ["#", *headings],
            [[str(i), *row] for i, row in enumerate(rows, start=1)],
            [0.7, 3.6, 1.2, 1.2, 4.0, 1.6, 2.6, 1.4, 1.4],
            compact=True,
        ),
        para(
            _(
                "Working days left: against the promised limit, without the days spent waiting for "
                "supplementary materials; a negative number is working days past the promised date."
            ),
            styles.small,
        ),
        gap(sheet, 1.5),
        signature_table(sheet, [_("Prepared by"), _("Supervisor")]),
    ]
    return build_pdf(head, story, sheet)
