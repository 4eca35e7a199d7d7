"""The performance report as a table: its columns and cells, shared by the command line's
table and CSV, and the console's page, CSV and PDF."""

from __future__ import annotations

from windowdesk.domain.assessment import Report
from windowdesk.i18n import N_

# Columns of the plain-text and CSV report (names of domain.assessment.Figures.as_dict()).
# The table's headings are worded in the terminal's language; a CSV file's stay as here
# in every language, for the programs and spreadsheets that read it by its headings.
COLUMNS = (
    ("accepted", N_("ACCEPTED")),
    ("proxy_accepted", N_("BY AGENTS")),
    ("deferred_accepted", N_("MATERIALS TO FOLLOW")),
    ("online_accepted", N_("APPLIED ONLINE")),
    ("commitment_accepted", N_("NOTIFY-AND-COMMIT")),
    ("verifications_due", N_("VERIFY DUE")),
    ("verifications_overdue", N_("VERIFY OVERDUE")),
    ("verifications_false", N_("FOUND FALSE")),
    ("completed", N_("COMPLETED")),
    ("on_time", N_("ON TIME")),
    ("overdue", N_("OVERDUE")),
    ("notifications", N_("NOTIFIED")),
    ("refusals", N_("REFUSED")),
    ("average_handling_days", N_("AVG DAYS")),
    ("rating_count", N_("RATINGS")),
    ("window_ratings", N_("AT WINDOW")),
    ("web_ratings", N_("ONLINE")),
    ("satisfaction_rate", N_("SATISFIED")),
    ("complaints", N_("COMPLAINTS")),
    ("window_complaints", N_("COMPLAINTS AT WINDOW")),
    ("web_complaints", N_("COMPLAINTS ONLINE")),
    ("complaints_resolved", N_("RESOLVED")),
    ("delivered", N_("DELIVERED")),
    ("delivery_overdue", N_("DELIVERY OVERDUE")),
)
GROUPING_HEADINGS = {
    "window": N_("WINDOW"),
    "operator": N_("OPERATOR"),
    "department": N_("DEPARTMENT"),
    "center": N_("CENTER"),
}
GROUPING_WORDS = {
    "window": N_("window"),
    "operator": N_("operator"),
    "department": N_("department"),
    "center": N_("center"),
}


def cell(name: str, value: float | None) -> str:
    if value is None:
        return "-"
    if name.endswith("_rate"):
        return f"{value * 100:.1f}%"
    return f"{value:.1f}" if isinstance(value, float) else str(value)


def lines(report: Report, total: str) -> list[list[str]]:
    rows = [(row.label, row.figures.as_dict()) for row in report.rows]
    rows.append((total, report.total.as_dict()))
    return [[label, *(cell(name, figures[name]) for name, _title in COLUMNS)] for label, figures in rows]
