"""绩效考核 city-wide: the same figures as the window's report (domain.assessment), from
what every window pushed, for every center or one.

Local days are each center's own (its time zone); times of window events are the
windows' clocks (``client_at``), hub decisions the hub's. The promised limits come from
the published catalogs (the latest version that lists the item). The operator of a
case, notification or refusal is the one its pushed event named (kept at push time).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from windowdesk.domain.assessment import (
    GROUPINGS,
    CaseFact,
    ComplaintFact,
    DecisionFact,
    Keys,
    RatingFact,
    Report,
    build_report,
)
from windowdesk.domain.case_state import CaseStatus
from windowdesk.domain.feedback import WEB_CHANNEL
from windowdesk.domain.time_limits import suspensions_from
from windowdesk.hub.errors import InvalidInput
from windowdesk.hub.language import Text
from windowdesk.hub.services.calendar_years import hub_calendar
from windowdesk.hub.storage.models import (
    STEP_TIME,
    Case,
    CaseDeferredMaterial,
    CaseEvent,
    CaseProxy,
    CatalogItem,
    CatalogVersion,
    Center,
    Department,
    Notification,
    Operator,
    Refusal,
    Window,
)
from windowdesk.hub.storage.models_service import Complaint, Rating
from windowdesk.i18n import N_

if TYPE_CHECKING:
    from collections.abc import Callable

    from sqlalchemy import ColumnElement, SQLColumnExpression

FINISHING = ("completed", "withdrawn")
DECIDED = (CaseStatus.APPROVED.value, CaseStatus.REJECTED.value)  # the delivery deadline runs from here
# A case that finished is in one of these for good (no transition leaves them).
FINISHED_STATUSES = ("completed", "delivered", "withdrawn")
OPEN_STATUSES = tuple(status.value for status in CaseStatus if status.value not in FINISHED_STATUSES)
_CHUNK = 500
_MARGIN = dt.timedelta(days=1)  # any center's local day lies within a day of UTC
# A report covers at most this many days (a leap year), within these years: a period as
# long as the calendar (0001-01-01..9999-12-31) overflowed the day arithmetic and would
# walk millions of days.
MAX_REPORT_DAYS = 366
FIRST_REPORT_YEAR, LAST_REPORT_YEAR = 2000, 2099


def _item_limits(session: Session) -> dict[str, tuple[str, int]]:
    limits: dict[str, tuple[str, int]] = {}
    for documents in session.scalars(select(CatalogVersion.documents).order_by(CatalogVersion.imported_at)):
        items = (documents or {}).get("items") or {}
        for item in items.get("items", []) if isinstance(items, dict) else []:
            limits[item["code"]] = (item.get("department"), int(item.get("promised_limit_days") or 0))
    for code, department in session.execute(select(CatalogItem.code, CatalogItem.department_code)):
        limits.setdefault(code, (department, 0))
    return limits


def _labels(session: Session, by: str) -> Callable[[str | None], str]:
    if by == "window":
        names = {w: f"{c} {code} {name}" for w, c, code, name in session.execute(
            select(Window.id, Window.center_code, Window.code, Window.name))}
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
        raise InvalidInput(Text(N_("A report's days must lie between {first}-01-01 and {last}-12-31."),
                                first=FIRST_REPORT_YEAR, last=LAST_REPORT_YEAR))
    if (end - start).days + 1 > MAX_REPORT_DAYS:
        raise InvalidInput(Text(N_("A report covers at most {most} days; ask for a shorter period "
                                   "(one report a year, say)."), most=MAX_REPORT_DAYS))


def city_report(
    session: Session, *, start: dt.date, end: dt.date, by: str = "center", center: str | None = None,
    department: str | None = None,
) -> Report:
    """The figures of every center (or ``center``) for the local days start..end; with
    ``department``, of that department's items only (what its staff token may read)."""
    if by not in GROUPINGS:
        raise InvalidInput(Text(N_("--by must be one of: {choices}."), choices=", ".join(GROUPINGS)))
    check_period(start, end)
    zones = {code: ZoneInfo(zone) for code, zone in session.execute(select(Center.code, Center.timezone))}
    if center is not None and center not in zones:
        raise InvalidInput(Text(N_("There is no center {center} on the hub."), center=center))
    items = _item_limits(session)
    low = dt.datetime.combine(start, dt.time.min, tzinfo=dt.UTC) - _MARGIN
    high = dt.datetime.combine(end, dt.time.min, tzinfo=dt.UTC) + 2 * _MARGIN

    def day(center_code: str, value: dt.datetime) -> dt.date:
        return value.astimezone(zones.get(center_code, dt.UTC)).date()

    def keys(center_code: str, window: str | None, operator: str | None, item: str | None,
             department: str | None = None) -> Keys:
        return Keys(window, operator, department or items.get(item, (None, 0))[0], center_code)

    def where_center(column: SQLColumnExpression[str]) -> list[ColumnElement[bool]]:
        return [column == center] if center is not None else []

    # The cases that can count: accepted before the period's end and not finished before
    # its start. Those still open are found by status (no case leaves a finished status),
    # those finished since the start by their finishing step (both through an index).
    columns = (Case.id, Case.center_code, Case.window_id, Case.item_code, Case.accepted_at, Case.operator_id,
               Case.source)
    finished_since = select(CaseEvent.case_id).where(CaseEvent.to_status.in_(FINISHING), low <= STEP_TIME)
    # 送达: results still to be delivered (few: they leave within days), and those
    # delivered since the start, through the same index.
    delivered_since = select(CaseEvent.case_id).where(CaseEvent.to_status == CaseStatus.DELIVERED.value,
                                                      low <= STEP_TIME)
    cases = {
        row.id: row
        for wanted in (Case.status.in_(OPEN_STATUSES), Case.id.in_(finished_since),
                       Case.status == CaseStatus.COMPLETED.value, Case.id.in_(delivered_since))
        for row in session.execute(select(*columns).where(wanted, Case.accepted_at < high,
                                                          *where_center(Case.center_code)))
    }
    ids = list(cases)
    timelines: dict[str, list] = defaultdict(list)
    proxies: set[str] = set()  # 帮办代办, counted apart
    deferred: set[str] = set()  # 容缺受理, counted apart
    for i in range(0, len(ids), _CHUNK):
        for case_id, at, status in session.execute(
            select(CaseEvent.case_id, STEP_TIME, CaseEvent.to_status)
            .where(CaseEvent.case_id.in_(ids[i:i + _CHUNK])).order_by(CaseEvent.case_id, CaseEvent.seq)
        ):
            timelines[case_id].append((at, status))
        proxies.update(session.scalars(select(CaseProxy.case_id).where(CaseProxy.case_id.in_(ids[i:i + _CHUNK]))))
        deferred.update(session.scalars(select(CaseDeferredMaterial.case_id).distinct()
                                        .where(CaseDeferredMaterial.case_id.in_(ids[i:i + _CHUNK]))))
    case_facts = []
    for row in cases.values():
        timeline = [(day(row.center_code, at), status) for at, status in timelines[row.id]]
        item_department, promised = items.get(row.item_code, (None, 0))
        case_facts.append(CaseFact(
            Keys(row.window_id, row.operator_id, item_department, row.center_code),
            day(row.center_code, row.accepted_at), promised,
            completed_day=next((d for d, s in timeline if s == "completed"), None),
            withdrawn_day=next((d for d, s in timeline if s == "withdrawn"), None),
            suspensions=tuple(suspensions_from(timeline)),
            decided_day=next((d for d, s in timeline if s in DECIDED), None),
            delivered_day=next((d for d, s in timeline if s == CaseStatus.DELIVERED.value), None),
            proxy=row.id in proxies, deferred=row.id in deferred, online=row.source == "online",
        ))

    decisions = []
    for model, kind in ((Notification, "notification"), (Refusal, "refusal")):
        rows = session.execute(select(model.center_code, model.window_id, model.operator_id, model.item_code,
                                      model.created_at)
                               .where(model.created_at >= low, model.created_at < high,
                                      *where_center(model.center_code)))
        decisions += [DecisionFact(keys(r.center_code, r.window_id, r.operator_id, r.item_code),
                                   day(r.center_code, r.created_at), kind) for r in rows]
    ratings = [
        RatingFact(keys(r.center_code, r.window_id, r.operator_id, r.item_code), day(r.center_code, r.rated_at), r.level,
                   r.channel == WEB_CHANNEL)
        for r in session.execute(select(Rating.center_code, Rating.window_id, Rating.operator_id, Rating.item_code,
                                        Rating.rated_at, Rating.level, Rating.channel)
                                 .where(Rating.rated_at >= low, Rating.rated_at < high, *where_center(Rating.center_code)))
    ]
    complaints = [
        ComplaintFact(keys(c.center_code, c.about_window_id or c.window_id, c.about_operator_id, c.about_item_code,
                           c.about_department_code), day(c.center_code, c.received_at), c.deadline,
                      day(c.center_code, c.replied_at) if c.replied_at else None)
        for c in session.scalars(select(Complaint).where(Complaint.received_at >= low, Complaint.received_at < high,
                                                         *where_center(Complaint.center_code)))
    ]
    if department is not None:
        case_facts, decisions, ratings, complaints = (
            [fact for fact in facts if fact.keys.department == department]
            for facts in (case_facts, decisions, ratings, complaints))
    return build_report(start=start, end=end, by=by, calendar=hub_calendar(session), cases=case_facts,
                        decisions=decisions, ratings=ratings, complaints=complaints, label=_labels(session, by))


def report_json(report: Report) -> dict:
    return {
        "from": report.start.isoformat(), "to": report.end.isoformat(), "by": report.by,
        "rows": [{"key": row.key, "label": row.label, **row.figures.as_dict()} for row in report.rows],
        "total": report.total.as_dict(),
    }
