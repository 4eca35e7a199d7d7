"""绩效考核 at the window: the center's performance for a period, from local data only
(works offline), grouped by window, operator, department or center. The counting rules
are domain.assessment's, shared with the hub's city-wide report.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import TYPE_CHECKING

from windowdesk.domain.assessment import (
    GROUPINGS,
    CaseFact,
    ComplaintFact,
    DecisionFact,
    Figures,
    Keys,
    RatingFact,
    Report,
    build_report,
)
from windowdesk.domain.calendar import WorkingCalendar
from windowdesk.domain.case_state import CaseStatus
from windowdesk.domain.complaints import ComplaintSource
from windowdesk.domain.permissions import Permission
from windowdesk.domain.service_quality import LEVELS_BEST_FIRST, WEB_CHANNEL, level_label
from windowdesk.domain.time_limits import suspensions_from
from windowdesk.errors import ValidationError
from windowdesk.i18n import _
from windowdesk.printing.data import Issuer
from windowdesk.services.authorization import authorize
from windowdesk.services.context import CounterContext
from windowdesk.services.working_days import calendar_in_force
from windowdesk.spreadsheet import csv_writer
from windowdesk.storage import models as m
from windowdesk.storage import queries_quality as q
from windowdesk.storage import refusal_queries
from windowdesk.storage.db import Database, Session
from windowdesk.sync.protocol import EventKind

if TYPE_CHECKING:
    from collections.abc import Callable


def grouping_label(by: str) -> str:
    return {
        "window": _("Window"),
        "operator": _("Operator"),
        "department": _("Department"),
        "center": _("Center"),
    }[by]


def column_labels() -> dict[str, str]:
    """Headings of the report's figures, for tables, CSV files and the PDF."""
    return {
        "accepted": _("Accepted"),
        "proxy_accepted": _("Of which by agents"),
        "deferred_accepted": _("Of which with materials to follow"),
        "online_accepted": _("Of which applied online"),
        "commitment_accepted": _("Of which under notify-and-commit"),
        "verifications_due": _("Verifications due"),
        "verifications_overdue": _("Verifications overdue"),
        "verifications_false": _("Commitments found false"),
        "completed": _("Completed"),
        "on_time": _("On time"),
        "overdue": _("Overdue"),
        "notifications": _("One-time notifications"),
        "refusals": _("Refusals"),
        "average_handling_days": _("Average handling (working days)"),
        "rating_count": _("Ratings"),
        "window_ratings": _("Ratings at the window"),
        "web_ratings": _("Ratings online"),
        "satisfaction_rate": _("Satisfaction rate"),
        "complaints": _("Complaints"),
        "window_complaints": _("Complaints at the window"),
        "web_complaints": _("Complaints online"),
        "complaints_resolved": _("Complaints resolved"),
    }


def _labels(session: Session, ctx: CounterContext, by: str) -> Callable[[str | None], str]:
    names = {
        "window": lambda: q.window_labels(session, ctx.center_code),
        "operator": lambda: q.operator_names(session),
        "department": lambda: q.department_names(session),
        "center": lambda: q.center_names(session),
    }[by]()
    unknown = _("(not specified)")
    return lambda key: names.get(key, key) if key else unknown


def _case_facts(session: Session, ctx: CounterContext, start: dt.date, end: dt.date, items: dict) -> list[CaseFact]:
    """The cases that can change a figure of the period, as facts for the counting rules."""
    low, _ignored = ctx.day_bounds_utc(start)
    _ignored, high = ctx.day_bounds_utc(end)
    zone = ctx.zone
    facts = []
    # A case whose acceptance the hub refused is not counted: the hub's city-wide report
    # does not have it, and the two must agree (the day's work still lists it, marked).
    refused = refusal_queries.refused_creations(session, EventKind.CASE_ACCEPTED)
    for case in q.report_cases(session, ctx.center_code, start, end, low, high):
        if case.id in refused:
            continue
        department, promised = items.get(case.item_code, (None, 0))
        finished_day = case.finished_at.astimezone(zone).date() if case.finished_at else None
        withdrawn = case.status == CaseStatus.WITHDRAWN
        facts.append(
            CaseFact(
                Keys(case.window_id, case.operator_id, department, ctx.center_code),
                case.accepted_day,
                promised,
                completed_day=None if withdrawn else finished_day,
                withdrawn_day=finished_day if withdrawn else None,
                suspensions=tuple(
                    suspensions_from([(at.astimezone(zone).date(), status) for at, status in case.steps])
                ),
                proxy=case.proxy,
                deferred=case.deferred,
                verify_due=case.verify_due,
                verified=case.verified,
                online=case.online,
            )
        )
    return facts


def performance_report(
    db: Database, ctx: CounterContext, *, start: dt.date, end: dt.date, by: str, shipped_calendar: WorkingCalendar
) -> Report:
    """The center's figures for the local days start..end (both included)."""
    if by not in GROUPINGS:
        raise ValidationError(_("Unknown grouping."), field="by")
    if end < start:
        raise ValidationError(_("The period ends before it starts."), field="end")
    if (end - start).days > 366 * 5:
        raise ValidationError(_("Please choose a period of at most five years."), field="start")
    zone = ctx.zone
    with db.read() as session:
        authorize(session, ctx, Permission.VIEW_REPORTS)
        calendar = calendar_in_force(session, shipped_calendar)
        items = q.item_limits(session)
        low, _ignored = ctx.day_bounds_utc(start)
        _ignored, high = ctx.day_bounds_utc(end)

        def day(value: dt.datetime) -> dt.date:
            return value.astimezone(zone).date()

        def keys(
            window: str | None, operator: str | None, item_code: str | None, department: str | None = None
        ) -> Keys:
            return Keys(
                window,
                operator,
                department or (items[item_code][0] if item_code and item_code in items else None),
                ctx.center_code,
            )

        # Like a case whose acceptance was refused, a notification or refusal the hub refused
        # is not on the hub's report: not on this one either.
        refused = refusal_queries.refused_creations(
            session, EventKind.NOTIFICATION_GIVEN
        ) | refusal_queries.refused_creations(session, EventKind.REFUSAL_GIVEN)
        decisions = [
            DecisionFact(keys(w, o, item), day(at), kind)
            for kind, w, o, item, at in q.report_decisions(session, ctx.center_code, low, high, refused)
        ]
        ratings = [
            RatingFact(keys(w, o, item), day(at), level, channel == WEB_CHANNEL)
            for w, o, item, at, level, channel in q.report_ratings(session, ctx.center_code, low, high)
        ]
        complaints = [
            ComplaintFact(
                keys(c.about_window_id or c.window_id, c.about_operator_id, c.about_item_code, c.about_department_code),
                day(c.received_at),
                c.deadline,
                day(c.replied_at) if c.replied_at else None,
                c.source is ComplaintSource.WEB,
            )
            for c in q.report_complaints(session, ctx.center_code, low, high)
        ]
        return build_report(
            start=start,
            end=end,
            by=by,
            calendar=calendar,
            cases=_case_facts(session, ctx, start, end, items),
            decisions=decisions,
            ratings=ratings,
            complaints=complaints,
            label=_labels(session, ctx, by),
        )


def format_figure(name: str, value: float | None) -> str:
    if value is None:
        return "-"
    if name.endswith("_rate"):
        return f"{value * 100:.1f}%"
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


def report_table(report: Report) -> tuple[list[str], list[list[str]]]:
    """Headings and rows (the groups, then the total) as text for a table, CSV or PDF."""
    columns = column_labels()
    headings = [grouping_label(report.by), *columns.values(), *(level_label(level) for level in LEVELS_BEST_FIRST)]

    def line(label: str, figures: Figures) -> list[str]:
        values = figures.as_dict()
        return [
            label,
            *(format_figure(name, values[name]) for name in columns),
            *(str(figures.ratings.get(int(level), 0)) for level in LEVELS_BEST_FIRST),
        ]

    rows = [line(row.label, row.figures) for row in report.rows]
    rows.append(line(_("Total"), report.total))
    return headings, rows


def report_csv(report: Report) -> str:
    """The report as CSV text (UTF-8 with a byte-order mark, so spreadsheet programs
    on Windows read the Chinese headings right)."""
    headings, rows = report_table(report)
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv_writer(buffer, lineterminator="\r\n")
    writer.writerow([_("Period"), report.start.isoformat(), report.end.isoformat()])
    writer.writerow(headings)
    writer.writerows(rows)
    return buffer.getvalue()


def report_issuer(db: Database, ctx: CounterContext) -> Issuer:
    """Who prints the report, for its header and footer."""
    with db.read() as session:
        center = session.get(m.Center, ctx.center_code)
        window = session.get(m.Window, ctx.window_id)
        return Issuer(
            center_name=center.name if center else ctx.center_name,
            center_address=center.address if center else "",
            center_phone=center.phone if center else "",
            center_hours=center.hours if center else "",
            window_code=ctx.window_code,
            window_name=window.name if window else ctx.window_name,
            window_phone=window.phone if window else "",
            operator_name=ctx.operator_name,
            printed_by=ctx.operator_name,
            printed_at=ctx.now(),
            zone=ctx.timezone,
        )
