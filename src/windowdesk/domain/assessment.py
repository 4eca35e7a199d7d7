"""绩效考核: performance figures per window, operator, department or center for a period.

Plain Python over plain facts, so the window (its own center, offline, services/reports.py)
and the hub (city-wide, hub/services/reports.py) count exactly alike. Definitions, for a
period [start, end] of local days:

- accepted: cases accepted on a day of the period; of them, proxy_accepted: those an
  agent applied for (帮办代办), and deferred_accepted: those accepted with materials to
  follow (容缺受理), online_accepted: those finishing an online application (网上申报,
  the case's source), and commitment_accepted: those accepted under notify-and-commit
  (告知承诺制), each counted apart;
- verifications (核查) of the notify-and-commit cases accepted in the period, as the
  department recorded them by now: found false; not recorded and due by the end of the
  period (verifications_due), or past their due day at the end (verifications_overdue);
- completed: cases that reached 办结 (completed) on a day of the period;
- on time / late: of those completed, used working days <= / > the item's promised limit
  (working days after the acceptance day up to the completion day, without the days the
  case waited for supplementary materials — the case clock of domain.time_limits);
- open overdue: cases accepted by the end of the period, neither completed nor withdrawn
  by then, whose used working days at the end are past the promised limit;
- overdue = late + open overdue;
- average handling time: the mean used working days of the cases completed in the period;
- notifications (一次性告知) and refusals (不予受理) given on a day of the period;
- ratings given in the period by level; satisfaction rate = basically satisfied or better
  over all ratings (domain.service_quality.is_satisfied);
- complaints received in the period; resolved = replied to (by now), on time when the
  reply came on or before the deadline;
- delivered (送达): results delivered on a day of the period; delivered late: of those,
  more than DELIVERY_WORKING_DAYS working days after the decision (approve or reject);
  delivery overdue: decided by the end of the period, neither delivered nor withdrawn by
  then, and more than DELIVERY_WORKING_DAYS working days since the decision. Counted
  where the facts carry the decision and delivery days (the hub's city report).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from windowdesk.domain.calendar import WorkingCalendar
from windowdesk.domain.delivery import DELIVERY_WORKING_DAYS
from windowdesk.domain.service_quality import RatingLevel, is_satisfied
from windowdesk.domain.time_limits import Suspension

GROUPINGS = ("window", "operator", "department", "center")
_ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Keys:
    """Who and what a fact belongs to; None when it is not known (e.g. no operator named)."""

    window: str | None
    operator: str | None
    department: str | None
    center: str | None

    def of(self, by: str) -> str | None:
        value: str | None = getattr(self, by)
        return value


@dataclass(frozen=True)
class CaseFact:
    keys: Keys
    accepted_day: dt.date
    promised_days: int
    completed_day: dt.date | None = None
    withdrawn_day: dt.date | None = None
    suspensions: tuple[Suspension, ...] = ()
    decided_day: dt.date | None = None  # the first approve or reject
    delivered_day: dt.date | None = None
    proxy: bool = False  # 帮办代办: an agent applied for the applicant
    deferred: bool = False  # 容缺受理: accepted with materials to follow
    online: bool = False  # 网上申报: its source is an online application
    # 告知承诺制: the verification's due day (None: not accepted so) and its result
    # ("true", "false", or None while not recorded).
    verify_due: dt.date | None = None
    verified: str | None = None


@dataclass(frozen=True)
class DecisionFact:
    keys: Keys
    day: dt.date
    kind: str  # notification / refusal


@dataclass(frozen=True)
class RatingFact:
    keys: Keys
    day: dt.date
    level: int
    web: bool = False  # given on the hub's public pages, not at a window


@dataclass(frozen=True)
class ComplaintFact:
    keys: Keys
    day: dt.date
    deadline: dt.date
    replied_day: dt.date | None = None
    web: bool = False  # filed on the hub's public pages, not at a window


@dataclass
class Figures:
    accepted: int = 0
    proxy_accepted: int = 0  # of accepted
    deferred_accepted: int = 0  # of accepted
    online_accepted: int = 0  # of accepted
    commitment_accepted: int = 0  # of accepted
    verifications_due: int = 0  # of commitment_accepted: not recorded, not past due at the period's end
    verifications_overdue: int = 0  # of commitment_accepted: not recorded, past due at the period's end
    verifications_false: int = 0  # of commitment_accepted: found false (marked for revocation)
    completed: int = 0
    on_time: int = 0
    late: int = 0
    open_overdue: int = 0
    handling_days: int = 0  # summed over the completed cases
    notifications: int = 0
    refusals: int = 0
    ratings: dict[int, int] = field(default_factory=lambda: {int(level): 0 for level in RatingLevel})
    web_ratings: int = 0  # of rating_count: given online; the others at a window
    complaints: int = 0
    web_complaints: int = 0  # of complaints: filed online; the others at a window
    complaints_resolved: int = 0
    complaints_on_time: int = 0
    delivered: int = 0
    delivered_late: int = 0
    delivery_overdue: int = 0

    @property
    def overdue(self) -> int:
        return self.late + self.open_overdue

    @property
    def average_handling_days(self) -> float | None:
        return round(self.handling_days / self.completed, 1) if self.completed else None

    @property
    def on_time_rate(self) -> float | None:
        return round(self.on_time / self.completed, 4) if self.completed else None

    @property
    def rating_count(self) -> int:
        return sum(self.ratings.values())

    @property
    def window_ratings(self) -> int:
        return self.rating_count - self.web_ratings

    @property
    def window_complaints(self) -> int:
        return self.complaints - self.web_complaints

    @property
    def satisfaction_rate(self) -> float | None:
        total = self.rating_count
        satisfied = sum(n for level, n in self.ratings.items() if is_satisfied(level))
        return round(satisfied / total, 4) if total else None

    @property
    def resolution_rate(self) -> float | None:
        return round(self.complaints_resolved / self.complaints, 4) if self.complaints else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "accepted": self.accepted,
            "proxy_accepted": self.proxy_accepted,
            "deferred_accepted": self.deferred_accepted,
            "online_accepted": self.online_accepted,
            "commitment_accepted": self.commitment_accepted,
            "verifications_due": self.verifications_due,
            "verifications_overdue": self.verifications_overdue,
            "verifications_false": self.verifications_false,
            "completed": self.completed,
            "on_time": self.on_time,
            "late": self.late,
            "open_overdue": self.open_overdue,
            "overdue": self.overdue,
            "notifications": self.notifications,
            "refusals": self.refusals,
            "average_handling_days": self.average_handling_days,
            "on_time_rate": self.on_time_rate,
            "ratings": {str(k): v for k, v in sorted(self.ratings.items())},
            "rating_count": self.rating_count,
            "window_ratings": self.window_ratings,
            "web_ratings": self.web_ratings,
            "satisfaction_rate": self.satisfaction_rate,
            "complaints": self.complaints,
            "window_complaints": self.window_complaints,
            "web_complaints": self.web_complaints,
            "complaints_resolved": self.complaints_resolved,
            "complaints_on_time": self.complaints_on_time,
            "resolution_rate": self.resolution_rate,
            "delivered": self.delivered,
            "delivered_late": self.delivered_late,
            "delivery_overdue": self.delivery_overdue,
        }


@dataclass(frozen=True)
class ReportRow:
    key: str | None
    label: str
    figures: Figures


@dataclass(frozen=True)
class Report:
    start: dt.date
    end: dt.date
    by: str
    rows: tuple[ReportRow, ...]
    total: Figures


class WorkingDayIndex:
    """Working days between two dates in constant time, from one pass over the range."""

    def __init__(self, calendar: WorkingCalendar, first: dt.date, last: dt.date) -> None:
        self.first = first
        self._cumulative = [0]
        day = first
        while day <= last:
            day += _ONE_DAY
            self._cumulative.append(self._cumulative[-1] + (1 if calendar.is_working_day(day) else 0))
        self.last = day

    def between(self, start: dt.date, end: dt.date) -> int:
        """Working days d with start < d <= end (0 when end <= start)."""
        if end <= start:
            return 0
        return self._cumulative[(end - self.first).days] - self._cumulative[(start - self.first).days]


def used_working_days(case: CaseFact, until: dt.date, index: WorkingDayIndex) -> int:
    """The case clock's working days used on ``until`` (suspended days left out)."""
    used = index.between(case.accepted_day, until)
    for period in case.suspensions:
        last_suspended = (period.end - _ONE_DAY) if period.end is not None else until
        used -= index.between(max(period.start, case.accepted_day), min(last_suspended, until))
    return used


def _within(day: dt.date | None, start: dt.date, end: dt.date) -> bool:
    return day is not None and start <= day <= end


def build_report(
    *,
    start: dt.date,
    end: dt.date,
    by: str,
    calendar: WorkingCalendar,
    cases: Iterable[CaseFact] = (),
    decisions: Iterable[DecisionFact] = (),
    ratings: Iterable[RatingFact] = (),
    complaints: Iterable[ComplaintFact] = (),
    label: Callable[[str | None], str] = lambda key: key or "-",
) -> Report:
    if by not in GROUPINGS:
        raise ValueError(f"by must be one of {GROUPINGS}")
    if end < start:
        raise ValueError("the period ends before it starts")
    cases = list(cases)
    first = min([start, *(c.accepted_day for c in cases)]) - _ONE_DAY
    last = max(
        [
            end,
            *(c.completed_day for c in cases if c.completed_day),
            *(c.delivered_day for c in cases if c.delivered_day),
        ]
    )
    index = WorkingDayIndex(calendar, first, last)
    groups: dict[str | None, Figures] = {}
    total = Figures()

    def add(keys: Keys, update: Callable[[Figures], None]) -> None:
        update(total)
        update(groups.setdefault(keys.of(by), Figures()))

    for case in cases:
        if case.accepted_day > end:
            continue
        if _within(case.accepted_day, start, end):
            add(case.keys, _bump("accepted"))
            if case.proxy:
                add(case.keys, _bump("proxy_accepted"))
            if case.deferred:
                add(case.keys, _bump("deferred_accepted"))
            if case.online:
                add(case.keys, _bump("online_accepted"))
            if case.verify_due is not None:
                add(case.keys, _bump("commitment_accepted"))
                figure = _verification_figure(case, end)
                if figure:
                    add(case.keys, _bump(figure))
        if case.completed_day is not None and _within(case.completed_day, start, end):
            used = used_working_days(case, case.completed_day, index)
            on_time = used <= case.promised_days
            add(case.keys, _completed(used, on_time))
        finished = min((d for d in (case.completed_day, case.withdrawn_day) if d is not None), default=None)
        if (finished is None or finished > end) and used_working_days(case, end, index) > case.promised_days:
            add(case.keys, _bump("open_overdue"))
        _count_delivery(case, start, end, index, add)
    for decision in decisions:
        if _within(decision.day, start, end):
            add(decision.keys, _bump("notifications" if decision.kind == "notification" else "refusals"))
    for rating in ratings:
        if _within(rating.day, start, end):
            add(rating.keys, _rated(int(rating.level), rating.web))
    for complaint in complaints:
        if _within(complaint.day, start, end):
            add(complaint.keys, _complained(complaint))
    rows = sorted(
        (ReportRow(key, label(key), figures) for key, figures in groups.items()),
        key=lambda row: (row.key is None, row.label),
    )
    return Report(start, end, by, tuple(rows), total)


def _count_delivery(
    case: CaseFact,
    start: dt.date,
    end: dt.date,
    index: WorkingDayIndex,
    add: Callable[[Keys, Callable[[Figures], None]], None],
) -> None:
    decided = case.decided_day
    if decided is None or decided > end:
        return
    delivered = case.delivered_day
    if delivered is not None and _within(delivered, start, end):
        add(case.keys, _bump("delivered"))
        if index.between(decided, delivered) > DELIVERY_WORKING_DAYS:
            add(case.keys, _bump("delivered_late"))
    waiting = case.delivered_day is None or case.delivered_day > end
    withdrawn = case.withdrawn_day is not None and case.withdrawn_day <= end
    if waiting and not withdrawn and index.between(decided, end) > DELIVERY_WORKING_DAYS:
        add(case.keys, _bump("delivery_overdue"))


def _bump(name: str) -> Callable[[Figures], None]:
    def update(figures: Figures) -> None:
        setattr(figures, name, getattr(figures, name) + 1)

    return update


def _completed(used: int, on_time: bool) -> Callable[[Figures], None]:
    def update(figures: Figures) -> None:
        figures.completed += 1
        figures.handling_days += used
        if on_time:
            figures.on_time += 1
        else:
            figures.late += 1

    return update


def _rated(level: int, web: bool) -> Callable[[Figures], None]:
    def update(figures: Figures) -> None:
        figures.ratings[level] = figures.ratings.get(level, 0) + 1
        figures.web_ratings += web

    return update


def _complained(complaint: ComplaintFact) -> Callable[[Figures], None]:
    def update(figures: Figures) -> None:
        figures.complaints += 1
        figures.web_complaints += complaint.web
        if complaint.replied_day is not None:
            figures.complaints_resolved += 1
            if complaint.replied_day <= complaint.deadline:
                figures.complaints_on_time += 1

    return update


def _verification_figure(case: CaseFact, end: dt.date) -> str | None:
    """Which verification figure a notify-and-commit case counts in (None: found true)."""
    if case.verified == "false":
        return "verifications_false"
    if case.verified is None and case.verify_due is not None:
        return "verifications_overdue" if case.verify_due < end else "verifications_due"
    return None


def report_columns() -> Sequence[str]:
    """The figures' names in the order tables and CSV files show them."""
    return (
        "accepted",
        "proxy_accepted",
        "deferred_accepted",
        "online_accepted",
        "commitment_accepted",
        "verifications_due",
        "verifications_overdue",
        "verifications_false",
        "completed",
        "on_time",
        "overdue",
        "notifications",
        "refusals",
        "average_handling_days",
        "rating_count",
        "window_ratings",
        "web_ratings",
        "satisfaction_rate",
        "complaints",
        "window_complaints",
        "web_complaints",
        "complaints_resolved",
    )
