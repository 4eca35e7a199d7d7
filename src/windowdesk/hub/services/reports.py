"""绩效考核 city-wide: the same figures as the window's report (domain.assessment), from
what every window pushed, for every center or one.

Counted by the database: the cases' figures from ``case_figures`` (one row a case, kept
with the case: hub/services/case_figures.py), notifications, refusals and ratings from
their tables with each center's local days as UTC bounds; complaints (few) are read.

Local days are each center's own (its time zone); times of window events are the
windows' clocks (``client_at``), hub decisions the hub's. The promised limits come from
the published catalogs (the latest version that lists the item). The operator of a
case, notification or refusal is the one its pushed event named (kept at push time).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, case, func, or_, select, true
from sqlalchemy.orm import Session

from windowdesk.domain.assessment import GROUPINGS, Figures, Keys, Report, ReportRow
from windowdesk.domain.commitment import VerificationResult
from windowdesk.domain.complaints import ComplaintSource
from windowdesk.domain.service_quality import WEB_CHANNEL
from windowdesk.hub.errors import InvalidInput
from windowdesk.hub.language import Text
from windowdesk.hub.services.case_figures import item_limits
from windowdesk.hub.services.figure_catchup import require_current
from windowdesk.hub.storage.models import CaseCommitment, Center, Department, Notification, Operator, Refusal, Window
from windowdesk.hub.storage.models_figures import CaseFigureDay, CaseFigures, RatingDay
from windowdesk.hub.storage.models_quality import Complaint, Rating
from windowdesk.i18n import N_

if TYPE_CHECKING:
    from collections.abc import Callable

    from sqlalchemy import ColumnElement, RowMapping

# A report covers at most this many days (a leap year), within these years: a period as
# long as the calendar (0001-01-01..9999-12-31) overflowed the day arithmetic and would
# walk millions of days.
MAX_REPORT_DAYS = 366
FIRST_REPORT_YEAR, LAST_REPORT_YEAR = 2000, 2099
RATED_LEVELS = (1, 2, 3, 4, 5)  # a rating's levels (the push and the public pages refuse others)


def labels(session: Session, by: str) -> Callable[[str | None], str]:
    """The names the report's rows are shown by, for its keys."""
    if by == "window":
        names = {
            w: f"{c} {code} {name}"
            for w, c, code, name in session.execute(select(Window.id, Window.center_code, Window.code, Window.name))
        }
    elif by == "operator":
        names = dict(session.execute(select(Operator.id, Operator.display_name)).all())
    elif by == "department":
        names = dict(session.execute(select(Department.code, Department.name)).all())
    else:
        names = dict(session.execute(select(Center.code, Center.name)).all())
    return lambda key: names.get(key, key) if key else "(not specified)"


def check_period(start: dt.date, end: dt.date) -> None:
    """A report's period, refused in plain words when it cannot be a report's."""
    if end < start:
        raise InvalidInput(N_("The period ends before it starts."))
    if start.year < FIRST_REPORT_YEAR or end.year > LAST_REPORT_YEAR:
        raise InvalidInput(
            Text(
                N_("A report's days must lie between {first}-01-01 and {last}-12-31."),
                first=FIRST_REPORT_YEAR,
                last=LAST_REPORT_YEAR,
            )
        )
    if (end - start).days + 1 > MAX_REPORT_DAYS:
        raise InvalidInput(
            Text(
                N_("A report covers at most {most} days; ask for a shorter period (one report a year, say)."),
                most=MAX_REPORT_DAYS,
            )
        )


def city_report(
    session: Session,
    *,
    start: dt.date,
    end: dt.date,
    by: str = "center",
    center: str | None = None,
    department: str | None = None,
    from_rows: bool = False,
) -> Report:
    """The figures of every center (or ``center``) for the local days start..end; with
    ``department``, of that department's items only (what its staff token may read).
    ``from_rows``: from every case's and rating's row even where their day sums serve
    (as before the sums; bench/console.py times the two ways side by side)."""
    require_current(session)  # no case's figures behind it (figure_catchup.current_figures)
    if by not in GROUPINGS:
        raise InvalidInput(Text(N_("--by must be one of: {choices}."), choices=", ".join(GROUPINGS)))
    check_period(start, end)
    zones = {code: ZoneInfo(zone) for code, zone in session.execute(select(Center.code, Center.timezone))}
    if center is not None and center not in zones:
        raise InvalidInput(Text(N_("There is no center {center} on the hub."), center=center))
    items = item_limits(session)
    period = _Period(start, end, zones, center)
    groups: dict[str | None, Figures] = defaultdict(Figures)
    _count_cases(session, period, by, department, groups, from_rows)
    departments = {code: terms[0] for code, terms in items.items()}
    _count_decisions(session, period, by, department, departments, groups)
    _count_ratings(session, period, by, department, departments, groups, from_rows)
    _count_complaints(session, period, by, department, departments, groups)
    counted = {key: figures for key, figures in groups.items() if figures != Figures()}
    total = Figures()
    for figures in counted.values():
        _add(total, figures)
    label = labels(session, by)
    rows = sorted(
        (ReportRow(key, label(key), figures) for key, figures in counted.items()),
        key=lambda row: (row.key is None, row.label),
    )
    return Report(start, end, by, tuple(rows), total)


class _Period:
    """The period's local days as UTC instants, center by center: a time of a center's
    row is on a day of the period when it lies in its center's [first midnight, midnight
    after the last day); rows of a center the hub does not know count in UTC."""

    def __init__(self, start: dt.date, end: dt.date, zones: dict[str, ZoneInfo], center: str | None) -> None:
        self.start, self.end, self.zones, self.center = start, end, zones, center

    def _bounds(self, zone: dt.tzinfo) -> tuple[dt.datetime, dt.datetime]:
        after = self.end + dt.timedelta(days=1)
        return (
            dt.datetime.combine(self.start, dt.time.min, tzinfo=zone).astimezone(dt.UTC),
            dt.datetime.combine(after, dt.time.min, tzinfo=zone).astimezone(dt.UTC),
        )

    def holds(self, center_column: Any, at: Any) -> ColumnElement[bool]:
        """``at`` falls on a day of the period in its row's center (and the row is of the
        asked-for center)."""
        if self.center is not None:
            low, high = self._bounds(self.zones[self.center])
            return and_(center_column == self.center, at >= low, at < high)
        low, high = self._bounds(dt.UTC)
        by_bounds: dict[tuple[dt.datetime, dt.datetime], list[str]] = defaultdict(list)
        for code, zone in self.zones.items():  # a city's centers mostly share one zone: one test for them all
            by_bounds[self._bounds(zone)].append(code)
        known = [and_(center_column.in_(codes), at >= bounds[0], at < bounds[1]) for bounds, codes in by_bounds.items()]
        return or_(*known, and_(center_column.not_in(list(self.zones)) if self.zones else true(), at >= low, at < high))

    def day(self, center: str, at: dt.datetime) -> dt.date:
        return at.astimezone(self.zones.get(center, dt.UTC)).date()


def _count_cases(
    session: Session,
    period: _Period,
    by: str,
    department: str | None,
    groups: dict[str | None, Figures],
    from_rows: bool,
) -> None:
    """The cases' figures: by center, window or operator from their sums per day
    (case_figure_days) and the few cases counted apart; by department, or for one
    department, from every case's row (a department's items are a part of the city's)."""
    if by == "department" or department is not None or from_rows:
        _count_case_rows(session, period, by, department, groups)
        return
    _count_day_sums(session, period, by, groups)
    _count_commitments(session, period, by, groups)
    _count_case_rows(session, period, by, department, groups, apart_only=True)


def _count(*conditions: Any) -> Any:  # conditions: expressions and boolean columns
    return func.sum(case((and_(*conditions), 1), else_=0))


def _count_day_sums(session: Session, period: _Period, by: str, groups: dict[str | None, Figures]) -> None:
    """The summed cases: event figures of the period's days, open ones up to its end."""
    d = CaseFigureDay
    start, end = period.start, period.end
    key = {"window": d.window_key, "operator": d.operator_key, "center": d.center_code}[by]
    in_period = d.day >= start  # and on or before the end: every row read is

    def summed(column: Any) -> Any:
        return func.sum(case((in_period, column), else_=0))

    where = [d.day <= end]
    if period.center is not None:
        where.append(d.center_code == period.center)
    counted = session.execute(
        select(
            key.label("group"),
            summed(d.accepted).label("accepted"),
            summed(d.proxy_accepted).label("proxy_accepted"),
            summed(d.deferred_accepted).label("deferred_accepted"),
            summed(d.online_accepted).label("online_accepted"),
            summed(d.completed).label("completed"),
            summed(d.on_time).label("on_time"),
            summed(d.handling_days).label("handling_days"),
            summed(d.delivered).label("delivered"),
            summed(d.delivered_late).label("delivered_late"),
            func.sum(d.open_overdue_change).label("open_overdue"),
            func.sum(d.delivery_overdue_change).label("delivery_overdue"),
        )
        .where(*where)
        .group_by(key)
    )
    for row in counted.mappings():
        _add_counted(groups[row["group"] or None], row)  # '' in the sums: no window or operator named


def _count_commitments(session: Session, period: _Period, by: str, groups: dict[str | None, Figures]) -> None:
    """告知承诺制 of the summed cases accepted in the period (few), with the verification as
    the department recorded it by now."""
    f, commitment = CaseFigures, CaseCommitment
    end = period.end
    key = {"window": f.window_id, "operator": f.operator_id, "center": f.center_code}[by]
    where = [f.accepted_day >= period.start, f.accepted_day <= end, ~f.counted_apart]
    if period.center is not None:
        where.append(f.center_code == period.center)
    unverified = commitment.result.is_(None)
    counted = session.execute(
        select(
            key.label("group"),
            func.count().label("commitment_accepted"),
            _count(unverified, commitment.verify_due >= end).label("verifications_due"),
            _count(unverified, commitment.verify_due < end).label("verifications_overdue"),
            _count(commitment.result == VerificationResult.FALSE).label("verifications_false"),
        )
        .join(f, f.case_id == commitment.case_id)
        .where(*where)
        .group_by(key)
    )
    for row in counted.mappings():
        _add_counted(groups[row["group"]], row)


def _count_case_rows(
    session: Session,
    period: _Period,
    by: str,
    department: str | None,
    groups: dict[str | None, Figures],
    *,
    apart_only: bool = False,
) -> None:
    """The cases' figures, counted by the database over case_figures (one row a case);
    ``apart_only``: of the cases the day sums leave out."""
    f = CaseFigures
    start, end = period.start, period.end
    count = _count

    accepted_in = f.accepted_day >= start  # and on or before the end: every row read is
    completed_in = and_(f.completed_day >= start, f.completed_day <= end)
    decided_by_end = f.decided_day <= end
    key = {"window": f.window_id, "operator": f.operator_id, "department": f.department_code, "center": f.center_code}[
        by
    ]
    where = [f.accepted_day <= end]
    if period.center is not None:
        where.append(f.center_code == period.center)
    if department is not None:
        where.append(f.department_code == department)
    if apart_only:
        where.append(f.counted_apart == true())
    # 告知承诺制: the verification as the department recorded it by now (not a figure kept
    # with the case: a verification is recorded at the hub, after the push).
    commitment = CaseCommitment
    committed = and_(accepted_in, commitment.case_id.is_not(None))
    unverified = and_(committed, commitment.result.is_(None))
    counted = session.execute(
        select(
            key.label("group"),
            count(accepted_in).label("accepted"),
            count(accepted_in, f.proxy).label("proxy_accepted"),
            count(accepted_in, f.deferred).label("deferred_accepted"),
            # 网上申报: the case finished an online application
            count(accepted_in, f.source == "online").label("online_accepted"),
            count(committed).label("commitment_accepted"),
            count(unverified, commitment.verify_due >= end).label("verifications_due"),
            count(unverified, commitment.verify_due < end).label("verifications_overdue"),
            count(committed, commitment.result == VerificationResult.FALSE).label("verifications_false"),
            count(completed_in).label("completed"),
            count(completed_in, f.on_time).label("on_time"),
            func.sum(case((completed_in, f.handling_days), else_=0)).label("handling_days"),
            count(or_(f.finished_day.is_(None), f.finished_day > end), f.overdue_day <= end).label("open_overdue"),
            count(decided_by_end, f.delivered_day >= start, f.delivered_day <= end).label("delivered"),
            count(
                decided_by_end, f.delivered_day >= start, f.delivered_day <= end, f.delivered_day >= f.delivery_due_day
            ).label("delivered_late"),
            count(
                decided_by_end,
                or_(f.delivered_day.is_(None), f.delivered_day > end),
                or_(f.withdrawn_day.is_(None), f.withdrawn_day > end),
                f.delivery_due_day <= end,
            ).label("delivery_overdue"),
        )
        .outerjoin(commitment, commitment.case_id == f.case_id)
        .where(*where)
        .group_by(key)
    )
    for row in counted.mappings():
        _add_counted(groups[row["group"]], row)


def _add_counted(figures: Figures, row: RowMapping) -> None:
    """Add a row of counts, each labelled with the name of the figure it adds to (and
    "group"); the late cases are the completed ones not on time."""
    for name, value in row.items():
        if name != "group":
            setattr(figures, name, getattr(figures, name) + int(value or 0))
    if "completed" in row:
        figures.late += int(row["completed"] or 0) - int(row["on_time"] or 0)


def _grouping(
    by: str, department: str | None, columns: dict[str, Any], item: Any, departments: dict[str, str | None]
) -> tuple[list[Any], list[ColumnElement[bool]]]:
    """(the columns to group by, the conditions) of a table whose rows belong to an item's
    department: by department, the item is grouped on and named its department after."""
    where: list[ColumnElement[bool]] = []
    if department is not None:
        where.append(item.in_([code for code, owner in departments.items() if owner == department]))
    return ([item] if by == "department" else [columns[by]]), where


def _group_of(by: str, value: Any, departments: dict[str, str | None]) -> str | None:
    return departments.get(value) if by == "department" else value


def _count_decisions(
    session: Session,
    period: _Period,
    by: str,
    department: str | None,
    departments: dict[str, str | None],
    groups: dict[str | None, Figures],
) -> None:
    for model, name in ((Notification, "notifications"), (Refusal, "refusals")):
        columns = {"window": model.window_id, "operator": model.operator_id, "center": model.center_code}
        grouped, where = _grouping(by, department, columns, model.item_code, departments)
        for row in session.execute(
            select(*grouped, func.count())
            .where(period.holds(model.center_code, model.created_at), *where)
            .group_by(*grouped)
        ):
            value, count = row[0], row[1]
            figures = groups[_group_of(by, value, departments)]
            setattr(figures, name, getattr(figures, name) + int(count))


def _count_ratings(
    session: Session,
    period: _Period,
    by: str,
    department: str | None,
    departments: dict[str, str | None],
    groups: dict[str | None, Figures],
    from_rows: bool,
) -> None:
    """From their sums per day (rating_days) by center, window or operator; by department,
    or for one department, from the ratings themselves (a rating names its item)."""
    if by == "department" or department is not None or from_rows:
        _count_rating_rows(session, period, by, department, departments, groups)
        return
    d = RatingDay
    key = {"window": d.window_key, "operator": d.operator_key, "center": d.center_code}[by]
    where = [d.day >= period.start, d.day <= period.end]
    if period.center is not None:
        where.append(d.center_code == period.center)
    for group, *counts, online in session.execute(
        select(key, *(func.sum(d.__table__.c[f"rated_{level}"]) for level in RATED_LEVELS), func.sum(d.web_ratings))
        .where(*where)
        .group_by(key)
    ):
        figures = groups[group]
        for level, count in zip(RATED_LEVELS, counts, strict=True):
            if count:
                figures.ratings[level] = figures.ratings.get(level, 0) + int(count)
        figures.web_ratings += int(online or 0)


def _count_rating_rows(
    session: Session,
    period: _Period,
    by: str,
    department: str | None,
    departments: dict[str, str | None],
    groups: dict[str | None, Figures],
) -> None:
    columns = {"window": Rating.window_id, "operator": Rating.operator_id, "center": Rating.center_code}
    grouped, where = _grouping(by, department, columns, Rating.item_code, departments)
    web = func.sum(case((Rating.channel == WEB_CHANNEL, 1), else_=0))
    for row in session.execute(
        select(*grouped, Rating.level, func.count(), web)
        .where(period.holds(Rating.center_code, Rating.rated_at), *where)
        .group_by(*grouped, Rating.level)
    ):
        value, level, count, online = row[0], row[1], row[2], row[3]
        figures = groups[_group_of(by, value, departments)]
        figures.ratings[int(level)] = figures.ratings.get(int(level), 0) + int(count)
        figures.web_ratings += int(online or 0)


def _count_complaints(
    session: Session,
    period: _Period,
    by: str,
    department: str | None,
    departments: dict[str, str | None],
    groups: dict[str | None, Figures],
) -> None:
    """Complaints are few (one in some hundreds of cases): read, and counted here."""
    c = Complaint
    for row in session.execute(
        select(
            c.center_code,
            c.window_id,
            c.about_window_id,
            c.about_operator_id,
            c.about_item_code,
            c.about_department_code,
            c.deadline,
            c.replied_at,
            c.source,
        ).where(period.holds(c.center_code, c.received_at))
    ):
        keys = Keys(
            row.about_window_id or row.window_id,
            row.about_operator_id,
            row.about_department_code or departments.get(row.about_item_code),
            row.center_code,
        )
        if department is not None and keys.department != department:
            continue
        figures = groups[keys.of(by)]
        figures.complaints += 1
        figures.web_complaints += row.source is ComplaintSource.WEB
        if row.replied_at is not None:
            figures.complaints_resolved += 1
            if period.day(row.center_code, row.replied_at) <= row.deadline:
                figures.complaints_on_time += 1


def _add(total: Figures, figures: Figures) -> None:
    for name, value in vars(figures).items():
        if name == "ratings":
            for level, count in value.items():
                total.ratings[level] = total.ratings.get(level, 0) + count
        else:
            setattr(total, name, getattr(total, name) + value)


def report_json(report: Report) -> dict[str, Any]:
    return {
        "from": report.start.isoformat(),
        "to": report.end.isoformat(),
        "by": report.by,
        "rows": [{"key": row.key, "label": row.label, **row.figures.as_dict()} for row in report.rows],
        "total": report.total.as_dict(),
    }
