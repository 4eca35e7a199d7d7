"""``windowdesk-hub`` commands of service quality: the city-wide performance report and
hub-side replies to complaints and bad ratings. Added to the parser by hub.cli."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from windowdesk.domain.assessment import GROUPINGS, Report
from windowdesk.hub.cli_common import parse_day as _day
from windowdesk.hub.cli_common import utc_now
from windowdesk.hub.cli_language import table_lines
from windowdesk.hub.services import replies, reports
from windowdesk.i18n import N_, _
from windowdesk.spreadsheet import csv_writer

if TYPE_CHECKING:
    from typing import TextIO

# Columns of the plain-text and CSV report (names of domain.assessment.Figures.as_dict()).
# The table's headings are worded in the terminal's language; a CSV file's stay as here
# in every language, for the programs and spreadsheets that read it by its headings.
COLUMNS = (
    ("accepted", N_("ACCEPTED")), ("proxy_accepted", N_("BY AGENTS")),
    ("deferred_accepted", N_("MATERIALS TO FOLLOW")), ("completed", N_("COMPLETED")), ("on_time", N_("ON TIME")),
    ("overdue", N_("OVERDUE")), ("notifications", N_("NOTIFIED")), ("refusals", N_("REFUSED")),
    ("average_handling_days", N_("AVG DAYS")), ("rating_count", N_("RATINGS")),
    ("satisfaction_rate", N_("SATISFIED")), ("complaints", N_("COMPLAINTS")),
    ("complaints_resolved", N_("RESOLVED")),
)
GROUPING_HEADINGS = {"window": N_("WINDOW"), "operator": N_("OPERATOR"), "department": N_("DEPARTMENT"),
                     "center": N_("CENTER")}
GROUPING_WORDS = {"window": N_("window"), "operator": N_("operator"), "department": N_("department"),
                  "center": N_("center")}


def _cell(name: str, value: float | None) -> str:
    if value is None:
        return "-"
    if name.endswith("_rate"):
        return f"{value * 100:.1f}%"
    return f"{value:.1f}" if isinstance(value, float) else str(value)


def _lines(report: Report, total: str) -> list[list[str]]:
    rows = [(row.label, row.figures.as_dict()) for row in report.rows]
    rows.append((total, report.total.as_dict()))
    return [[label, *(_cell(name, figures[name]) for name, _title in COLUMNS)] for label, figures in rows]


def print_report(report: Report, fmt: str, out: TextIO | None = None) -> None:
    out = out or sys.stdout
    if fmt == "json":
        print(json.dumps(reports.report_json(report), ensure_ascii=False, indent=2), file=out)
        return
    if fmt == "csv":
        writer = csv_writer(out, lineterminator="\n")
        writer.writerow([report.by.upper(), *(title for _name, title in COLUMNS)])
        writer.writerows(_lines(report, "TOTAL"))
        return
    header = [_(GROUPING_HEADINGS[report.by]), *(_(title) for _name, title in COLUMNS)]
    print(_("Performance {start} to {end}, by {by}").format(
        start=report.start.isoformat(), end=report.end.isoformat(), by=_(GROUPING_WORDS[report.by])), file=out)
    for line in table_lines([header, *_lines(report, _("TOTAL"))], right_from=1):
        print(line, file=out)


def cmd_report(args, settings, db) -> None:  # noqa: ANN001
    with db.read() as session:
        report = reports.city_report(session, start=args.start, end=args.end, by=args.by, center=args.center)
    print_report(report, args.format)


def cmd_complaint_reply(args, settings, db) -> None:  # noqa: ANN001
    seq = db.run_write(lambda session: replies.reply_to_complaint(
        session, complaint=args.complaint, reply=args.text, by=args.by, now=utc_now()), feed=True)
    print(_("Reply to complaint {complaint} published (change {seq}); the window learns it at its next sync.").format(
        complaint=args.complaint, seq=seq))


def cmd_followup_outcome(args, settings, db) -> None:  # noqa: ANN001
    seq = db.run_write(lambda session: replies.record_follow_up_outcome(
        session, follow_up_id=args.follow_up_id, outcome=args.text, by=args.by, now=utc_now()), feed=True)
    print(_("Outcome of follow-up {follow_up} published (change {seq}).").format(follow_up=args.follow_up_id, seq=seq))


def add_commands(command: Callable[[str, Callable, str], argparse.ArgumentParser]) -> None:
    sub = command("report", cmd_report, _("performance report (cases, time limits, ratings, complaints) for a period"))
    sub.add_argument("--from", dest="start", type=_day, required=True, metavar="DATE", help=_("the first day, e.g. 2026-11-01"))
    sub.add_argument("--to", dest="end", type=_day, required=True, metavar="DATE", help=_("the last day, included"))
    sub.add_argument("--by", choices=GROUPINGS, default="center", help=_("one line per center, window, operator or department (default center)"))
    sub.add_argument("--center", default=None, help=_("one center only (default: the whole city)"))
    sub.add_argument("--format", choices=("table", "csv", "json"), default="table", help=_("a table to read, or CSV or JSON for other programs"))
    sub = command("complaint-reply", cmd_complaint_reply, _("reply to a complaint (by number or id) and publish it to its center"))
    sub.add_argument("complaint", help=_("the complaint's number or id"))
    sub.add_argument("--text", required=True, help=_("the reply, shown at the center"))
    sub.add_argument("--by", required=True, help=_("the name of the person replying"))
    sub = command("followup-outcome", cmd_followup_outcome, _("record the outcome of a bad rating's follow-up"))
    sub.add_argument("follow_up_id", help=_("the follow-up's id"))
    sub.add_argument("--text", required=True, help=_("the outcome, shown at the center"))
    sub.add_argument("--by", required=True, help=_("the name of the person recording it"))
