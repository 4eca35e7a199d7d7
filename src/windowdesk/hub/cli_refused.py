"""``windowdesk-hub refused``: the changes the hub refused, newest first, each with its
reason and whether a supervisor at its window has resolved it. Added to the parser by
hub.cli."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from windowdesk.hub.cli_common import at_least_one, clock_text
from windowdesk.hub.services.refused_changes import RefusedChange, refused_changes
from windowdesk.i18n import _, ngettext
from windowdesk.spreadsheet import csv_writer
from windowdesk.sync.change_words import change_words

# A CSV file's headings stay in English in every language, for the programs that read it.
CSV_COLUMNS = (
    "received_at",
    "center",
    "window",
    "kind",
    "record",
    "reason",
    "resolved_at",
    "resolved_by",
    "resolution_note",
)
INDENT = "    "


def _csv_row(change: RefusedChange) -> list[str]:
    # A resolution whose audit chain does not verify is not one: its cells stay empty.
    resolution = change.resolution if change.resolution and change.resolution.verified else None
    return [
        change.received_at.isoformat(timespec="seconds"),
        change.center_code,
        change.window_id,
        change.kind,
        change.record,
        change.reason,
        resolution.at.isoformat(timespec="seconds") if resolution and resolution.at else "",
        resolution.supervisor if resolution else "",
        resolution.note if resolution else "",
    ]


def _text_lines(change: RefusedChange) -> list[str]:
    lines = [
        "  ".join(
            part
            for part in (clock_text(change.received_at), change.window_id, change_words(change.kind), change.record)
            if part
        ),
        INDENT + _("Reason: {reason}").format(reason=change.reason),
    ]
    resolution = change.resolution
    if resolution is None:
        lines.append(INDENT + _("Not resolved at the window yet."))
    elif not resolution.verified:
        lines.append(
            INDENT
            + _(
                "Resolution not verified: the window says {supervisor} resolved it at {time}, "
                "but its audit log does not verify up to that entry (see audit-check)."
            ).format(time=clock_text(resolution.at) if resolution.at else "?", supervisor=resolution.supervisor or "?")
        )
    else:
        lines.append(
            INDENT
            + _("Resolved at the window {time} by {supervisor}: {note}").format(
                time=clock_text(resolution.at) if resolution.at else "?",
                supervisor=resolution.supervisor or "?",
                note=resolution.note,
            )
        )
    return lines


def cmd_refused(args, settings, db, out=None) -> None:  # noqa: ANN001
    out = out or sys.stdout
    with db.read() as session:
        found = refused_changes(session, center=args.center, unresolved_only=args.unresolved, limit=args.limit)
    if args.format == "csv":
        writer = csv_writer(out, lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
        writer.writerows(_csv_row(change) for change in found.changes)
        return
    if not found.changes:
        print(
            _("No refused change is waiting for a supervisor at its window.")
            if args.unresolved
            else _("The hub has refused no change."),
            file=out,
        )
        return
    print(
        _(
            "Changes the hub refused: {count}, of which {unresolved} not resolved at their window yet; "
            "newest first (times on the center's clock)."
        ).format(count=found.total, unresolved=found.unresolved),
        file=out,
    )
    for change in found.changes:
        print(file=out)
        for line in _text_lines(change):
            print(line, file=out)
    more = found.total - len(found.changes)
    if more:
        print(file=out)
        print(
            ngettext(
                "{more} older one is not shown (--limit).", "{more} older ones are not shown (--limit).", more
            ).format(more=more),
            file=out,
        )


def add_commands(command: Callable[[str, Callable, str], argparse.ArgumentParser]) -> None:
    sub = command("refused", cmd_refused, _("list the changes the hub refused and whether their windows resolved them"))
    sub.add_argument("--center", default=None, help=_("one center only (default: all)"))
    sub.add_argument(
        "--unresolved", action="store_true", help=_("only those no supervisor at their window has marked resolved yet")
    )
    sub.add_argument(
        "--limit", type=at_least_one, default=50, help=_("show at most this many, newest first (default 50)")
    )
    sub.add_argument(
        "--format",
        choices=("text", "csv"),
        default="text",
        help=_("text to read, or CSV for a spreadsheet (its headings stay English)"),
    )
