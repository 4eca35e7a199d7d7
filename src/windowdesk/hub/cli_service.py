"""``windowdesk-hub`` commands of service quality: the city-wide performance report and
hub-side replies to complaints and bad ratings. Added to the parser by hub.cli."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Callable

from windowdesk.domain.assessment import GROUPINGS, Report
from windowdesk.hub.services import replies, reports
from windowdesk.hub.cli_common import parse_day as _day
from windowdesk.hub.cli_common import utc_now

# Columns of the plain-text and CSV report (names of domain.assessment.Figures.as_dict()).
COLUMNS = (
    ("accepted", "ACCEPTED"), ("completed", "COMPLETED"), ("on_time", "ON TIME"), ("overdue", "OVERDUE"),
    ("notifications", "NOTIFIED"), ("refusals", "REFUSED"), ("average_handling_days", "AVG DAYS"),
    ("rating_count", "RATINGS"), ("satisfaction_rate", "SATISFIED"), ("complaints", "COMPLAINTS"),
    ("complaints_resolved", "RESOLVED"),
)


def _cell(name: str, value) -> str:
    if value is None:
        return "-"
    if name.endswith("_rate"):
        return f"{value * 100:.1f}%"
    return f"{value:.1f}" if isinstance(value, float) else str(value)


def _lines(report: Report) -> list[list[str]]:
    rows = [(row.label, row.figures.as_dict()) for row in report.rows]
    rows.append(("TOTAL", report.total.as_dict()))
    return [[label, *(_cell(name, figures[name]) for name, _title in COLUMNS)] for label, figures in rows]


def print_report(report: Report, fmt: str, out=None) -> None:
    out = out or sys.stdout
    if fmt == "json":
        print(json.dumps(reports.report_json(report), ensure_ascii=False, indent=2), file=out)
        return
    header = [report.by.upper(), *(title for _name, title in COLUMNS)]
    lines = _lines(report)
    if fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(lines)
        return
    print(f"Performance {report.start.isoformat()} to {report.end.isoformat()}, by {report.by}", file=out)
    widths = [max(len(row[i]) for row in [header, *lines]) for i in range(len(header))]
    for row in [header, *lines]:
        print("  ".join(cell.ljust(width) if i == 0 else cell.rjust(width)
                        for i, (cell, width) in enumerate(zip(row, widths))).rstrip(), file=out)


def cmd_report(args, settings, db) -> None:  # noqa: ANN001
    with db.read() as session:
        report = reports.city_report(session, start=args.start, end=args.end, by=args.by, center=args.center)
    print_report(report, args.format)


def cmd_complaint_reply(args, settings, db) -> None:  # noqa: ANN001
    seq = db.run_write(lambda session: replies.reply_to_complaint(
        session, complaint=args.complaint, reply=args.text, by=args.by, now=utc_now()), feed=True)
    print(f"Reply to complaint {args.complaint} published (change {seq}); the window learns it at its next sync.")


def cmd_followup_outcome(args, settings, db) -> None:  # noqa: ANN001
    seq = db.run_write(lambda session: replies.record_follow_up_outcome(
        session, follow_up_id=args.follow_up_id, outcome=args.text, by=args.by, now=utc_now()), feed=True)
    print(f"Outcome of follow-up {args.follow_up_id} published (change {seq}).")


def add_commands(command: Callable[[str, Callable, str], argparse.ArgumentParser]) -> None:
    sub = command("report", cmd_report, "performance report (cases, time limits, ratings, complaints) for a period")
    sub.add_argument("--from", dest="start", type=_day, required=True, metavar="DATE")
    sub.add_argument("--to", dest="end", type=_day, required=True, metavar="DATE")
    sub.add_argument("--by", choices=GROUPINGS, default="center")
    sub.add_argument("--center", default=None, help="one center only (default: the whole city)")
    sub.add_argument("--format", choices=("table", "csv", "json"), default="table")
    sub = command("complaint-reply", cmd_complaint_reply, "reply to a complaint (by number or id) and publish it to its center")
    sub.add_argument("complaint")
    sub.add_argument("--text", required=True)
    sub.add_argument("--by", required=True, help="the name of the person replying")
    sub = command("followup-outcome", cmd_followup_outcome, "record the outcome of a bad rating's follow-up")
    sub.add_argument("follow_up_id")
    sub.add_argument("--text", required=True)
    sub.add_argument("--by", required=True, help="the name of the person recording it")
