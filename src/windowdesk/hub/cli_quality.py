"""``windowdesk-hub`` commands of service quality: the city-wide performance report and
hub-side replies to complaints and bad ratings. Added to the parser by hub.cli."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from windowdesk.domain.assessment import GROUPINGS, Report
from windowdesk.hub.cli_common import parse_day as _day
from windowdesk.hub.cli_common import utc_now
from windowdesk.hub.cli_language import table_lines
from windowdesk.hub.errors import InvalidInput
from windowdesk.hub.language import Text
from windowdesk.hub.report_table import COLUMNS, GROUPING_HEADINGS, GROUPING_WORDS
from windowdesk.hub.report_table import lines as _lines
from windowdesk.hub.services import case_figures, queue_days, replies, reports
from windowdesk.hub.services.figure_catchup import current_figures
from windowdesk.i18n import N_, _
from windowdesk.spreadsheet import csv_writer

if TYPE_CHECKING:
    from typing import TextIO


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
    print(
        _("Performance {start} to {end}, by {by}").format(
            start=report.start.isoformat(), end=report.end.isoformat(), by=_(GROUPING_WORDS[report.by])
        ),
        file=out,
    )
    for line in table_lines([header, *_lines(report, _("TOTAL"))], right_from=1):
        print(line, file=out)


def cmd_report(args, settings, db) -> None:  # noqa: ANN001
    with current_figures(db) as session:  # the figures of every case pushed before
        report = reports.city_report(session, start=args.start, end=args.end, by=args.by, center=args.center)
    print_report(report, args.format)


def cmd_rebuild_case_figures(args, settings, db) -> None:  # noqa: ANN001
    count = db.run_write(case_figures.rebuild)
    print(_("The report's figures of {count} cases were worked out anew.").format(count=count))


def cmd_queue_report(args, settings, db) -> None:  # noqa: ANN001
    with db.read() as session:
        lines = queue_days.queue_lines(session, start=args.start, end=args.end, center=args.center)
    if args.format == "csv":
        writer = csv_writer(sys.stdout, lineterminator="\n")
        writer.writerow(queue_days.CSV_HEADINGS)
        writer.writerows(queue_days.csv_rows(lines))
        return
    print(_("The hall queues, {start} to {end}").format(start=args.start.isoformat(), end=args.end.isoformat()))
    if not lines:
        print(_("No queue day has reached the hub in this period."))
        return
    header = [_("CENTER"), _("DAY"), _("WHAT"), *(_(heading) for _name, heading in queue_days.COLUMNS)]
    rows = [
        [
            line.center,
            line.day.isoformat(),
            f"{_(queue_days.SCOPE_WORDS[line.scope])} {line.key}".strip(),
            *line.cells(),
        ]
        for line in lines
    ]
    for text in table_lines([header, *rows], right_from=3):
        print(text)


def cmd_complaint_reply(args, settings, db) -> None:  # noqa: ANN001
    seq = db.run_write(
        lambda session: replies.reply_to_complaint(
            session, complaint=args.complaint, reply=args.text, by=args.by, now=utc_now()
        ),
        feed=True,
    )
    print(
        _("Reply to complaint {complaint} published (change {seq}); the window learns it at its next sync.").format(
            complaint=args.complaint, seq=seq
        )
    )


def cmd_followup_outcome(args, settings, db) -> None:  # noqa: ANN001
    seq = db.run_write(
        lambda session: replies.record_follow_up_outcome(
            session, follow_up_id=args.follow_up_id, outcome=args.text, by=args.by, now=utc_now()
        ),
        feed=True,
    )
    print(_("Outcome of follow-up {follow_up} published (change {seq}).").format(follow_up=args.follow_up_id, seq=seq))


def cmd_export_province(args, settings, db) -> None:  # noqa: ANN001
    from windowdesk.hub.services.province_export import export_days

    out = Path(args.out).expanduser()
    try:
        with db.read() as session:
            written = export_days(session, start=args.start, end=args.end, out=out)
    except OSError as error:
        raise InvalidInput(
            Text(
                N_("The export cannot be written to {folder}: {reason}"),
                folder=str(out),
                reason=error.strerror or str(error),
            )
        ) from None
    for path, lines in written:
        print(_("{path}: {count} cases").format(path=path, count=lines))


def add_commands(command: Callable[[str, Callable, str], argparse.ArgumentParser]) -> None:
    sub = command("report", cmd_report, _("performance report (cases, time limits, ratings, complaints) for a period"))
    sub.add_argument(
        "--from", dest="start", type=_day, required=True, metavar="DATE", help=_("the first day, e.g. 2026-11-01")
    )
    sub.add_argument("--to", dest="end", type=_day, required=True, metavar="DATE", help=_("the last day, included"))
    sub.add_argument(
        "--by",
        choices=GROUPINGS,
        default="center",
        help=_("one line per center, window, operator or department (default center)"),
    )
    sub.add_argument("--center", default=None, help=_("one center only (default: the whole city)"))
    sub.add_argument(
        "--format",
        choices=("table", "csv", "json"),
        default="table",
        help=_("a table to read, or CSV or JSON for other programs"),
    )
    command(
        "rebuild-case-figures",
        cmd_rebuild_case_figures,
        _(
            "work out every case's figures for the performance report anew (after upgrading a hub that has "
            "cases, or changing a center's time zone)"
        ),
    )
    sub = command(
        "queue-report",
        cmd_queue_report,
        _("the hall queues' finished days: tickets and waiting times per center, business and window"),
    )
    sub.add_argument(
        "--from", dest="start", type=_day, required=True, metavar="DATE", help=_("the first day, e.g. 2026-11-01")
    )
    sub.add_argument("--to", dest="end", type=_day, required=True, metavar="DATE", help=_("the last day, included"))
    sub.add_argument("--center", default=None, help=_("one center only (default: the whole city)"))
    sub.add_argument(
        "--format", choices=("table", "csv"), default="table", help=_("a table to read, or CSV for other programs")
    )
    sub = command(
        "export-province",
        cmd_export_province,
        _(
            "the provincial record of every case that moved, one JSON-lines file per day "
            "(docs/province-case-record.schema.json)"
        ),
    )
    sub.add_argument(
        "--from", dest="start", type=_day, required=True, metavar="DATE", help=_("the first day, e.g. 2026-11-01")
    )
    sub.add_argument("--to", dest="end", type=_day, required=True, metavar="DATE", help=_("the last day, included"))
    sub.add_argument("--out", required=True, metavar="FOLDER", help=_("where the files are written"))
    sub = command(
        "complaint-reply", cmd_complaint_reply, _("reply to a complaint (by number or id) and publish it to its center")
    )
    sub.add_argument("complaint", help=_("the complaint's number or id"))
    sub.add_argument("--text", required=True, help=_("the reply, shown at the center"))
    sub.add_argument("--by", required=True, help=_("the name of the person replying"))
    sub = command("followup-outcome", cmd_followup_outcome, _("record the outcome of a bad rating's follow-up"))
    sub.add_argument("follow_up_id", help=_("the follow-up's id"))
    sub.add_argument("--text", required=True, help=_("the outcome, shown at the center"))
    sub.add_argument("--by", required=True, help=_("the name of the person recording it"))
