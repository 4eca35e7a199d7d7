"""The case clock (电子监察): working days used and left against the promised and legal
limits, stopped while the case is suspended: waiting for supplementary materials, or for a
hearing, an inspection/test/appraisal or an expert review (domain.suspensions). Every
kind stops both clocks the same way; the kind is kept to say why.

Counting rule: the acceptance day itself does not count (as for the promised date); a
working day counts when it falls after acceptance, up to and including today, and not
inside a suspension. A suspension covers the days from the day it began (not counted)
up to and including the day before it ended: the day materials come back counts again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import NamedTuple

from windowdesk.domain.calendar import WorkingCalendar

DEFAULT_WARNING_DAYS = 2


class Light(str, Enum):
    GREEN = "green"
    YELLOW = "yellow"  # within the warning days of the promised date
    RED = "red"  # past the promised date
    DONE = "done"  # decided or delivered: the clock has stopped for good


@dataclass(frozen=True)
class Suspension:
    start: dt.date
    end: dt.date | None  # None: still suspended
    kind: str = "materials"  # a domain.suspensions.SuspensionKind value


class ClockState(NamedTuple):
    """One case's clock on one day. A named tuple, not a dataclass: the supervisor's
    watch makes thousands of them per look."""

    used: int
    suspended: int
    promised_left: int
    legal_left: int
    promised_due: dt.date
    legal_due: dt.date
    light: Light


def _suspended_in(period: Suspension, start: dt.date, end: dt.date, calendar: WorkingCalendar) -> int:
    """Working days of ``period`` that fall in (start, end]."""
    low = max(start, period.start)
    high = end if period.end is None else min(end, period.end - dt.timedelta(days=1))
    return calendar.working_days_between(low, high) if high > low else 0


def _count(
    start: dt.date, end: dt.date, calendar: WorkingCalendar, suspensions: Iterable[Suspension]
) -> tuple[int, int]:
    """(working days counted, working days suspended) in (start, end]."""
    if end <= start:
        return 0, 0
    # periods of one timeline never overlap
    suspended = sum(_suspended_in(period, start, end, calendar) for period in suspensions)
    return calendar.working_days_between(start, end) - suspended, suspended


def suspended_days_by_kind(
    accepted: dt.date, until: dt.date, calendar: WorkingCalendar, suspensions: Iterable[Suspension]
) -> dict[str, int]:
    """Working days in (accepted, until] that did not count, by kind of suspension (only
    the kinds that took some)."""
    found: dict[str, int] = {}
    for period in suspensions:
        days = _suspended_in(period, accepted, until, calendar)
        if days:
            found[period.kind] = found.get(period.kind, 0) + days
    return found


def due_date(accepted: dt.date, limit: int, calendar: WorkingCalendar, suspensions: Sequence[Suspension]) -> dt.date:
    """The day on which ``limit`` counted working days are reached (suspensions closed)."""
    if not suspensions:
        return calendar.add_working_days(accepted, limit)
    if any(s.end is None for s in suspensions):
        raise ValueError("close open suspensions before computing a due date")
    # Jump from one suspension to the next instead of walking every day: the days up to
    # and including a suspension's first day count, the days after it up to the day
    # before the materials came back do not.
    remaining, counted_until = limit, accepted
    for period in sorted(suspensions, key=lambda s: s.start):
        if remaining == 0:
            break
        if period.start > counted_until:
            available = calendar.working_days_between(counted_until, period.start)
            if remaining <= available:
                break
            remaining -= available
            counted_until = period.start
        assert period.end is not None  # open suspensions were refused above
        counted_until = max(counted_until, period.end - dt.timedelta(days=1))
    return calendar.add_working_days(counted_until, remaining)


def clock_state(
    *,
    accepted: dt.date,
    today: dt.date,
    promised_days: int,
    legal_days: int,
    calendar: WorkingCalendar,
    suspensions: Sequence[Suspension] = (),
    warning_days: int = DEFAULT_WARNING_DAYS,
    finished_on: dt.date | None = None,
) -> ClockState:
    """The clock of one case on ``today`` (or frozen on ``finished_on`` once decided)."""
    until = min(today, finished_on) if finished_on else today
    used, suspended = _count(accepted, until, calendar, suspensions)
    promised_left, legal_left = promised_days - used, legal_days - used
    if finished_on is not None:
        light = Light.DONE
    elif promised_left < 0:
        light = Light.RED
    elif promised_left <= warning_days:
        light = Light.YELLOW
    else:
        light = Light.GREEN
    # A suspension still running moves the due dates with it: shown as if the materials
    # came back tomorrow.
    closed = [
        s if s.end is not None else Suspension(s.start, max(s.start, until) + dt.timedelta(days=1), s.kind)
        for s in suspensions
    ]
    return ClockState(
        used=used,
        suspended=suspended,
        promised_left=promised_left,
        legal_left=legal_left,
        promised_due=due_date(accepted, promised_days, calendar, closed),
        legal_due=due_date(accepted, legal_days, calendar, closed),
        light=light,
    )


def suspensions_from(
    events: Sequence[tuple[dt.date, str | None] | tuple[dt.date, str | None, str | None]],
) -> list[Suspension]:
    """Suspension periods from a case's (local day, status after the event[, kind of
    suspension]) timeline; a step into a suspension without a kind is the wait for
    materials (steps recorded before there were other kinds)."""
    periods: list[Suspension] = []
    start: dt.date | None = None
    kind = "materials"
    for day, status, *named in events:
        if status == "suspended" and start is None:
            start, kind = day, (named[0] if named and named[0] else "materials")
        elif status is not None and status != "suspended" and start is not None:
            periods.append(Suspension(start, day, kind))
            start = None
    if start is not None:
        periods.append(Suspension(start, None, kind))
    return periods
