"""Working days in mainland China: weekends, public holidays and make-up working days.

Legal time limits (承诺时限) count working days, so a case accepted before National Day
is due days later than a plain weekday count says. The data comes from the State Council
holiday notices via ``resources/calendar/cn_working_calendar.json``. The hub publishes
what came later: a whole year once its notice is out (:class:`PublishedYear`, which
replaces whatever was shipped for that year), and overrides for a single day (a local
closure) that win over both.

Days of a year neither shipped nor published follow the plain weekend rule; callers that
promise a date should check :meth:`WorkingCalendar.covers` and warn when it is False.
"""

from __future__ import annotations

import json
from bisect import bisect_left
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import cached_property, lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from windowdesk.errors import StartupError
from windowdesk.i18n import _

CALENDAR_FILE_NAME = "cn_working_calendar.json"
_INDEX_MARGIN_YEARS = 3
_ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class WorkingCalendar:
    holidays: frozenset[date]
    makeup_workdays: frozenset[date]
    first_year: int
    last_year: int
    overrides: Mapping[date, bool] = field(default_factory=dict, hash=False)
    # Holiday and make-up day names ("National Day"), for showing why a day is off.
    names: Mapping[date, str] = field(default_factory=dict, hash=False, compare=False, repr=False)
    # Years outside first_year..last_year that the hub published whole.
    published_years: frozenset[int] = frozenset()

    def __post_init__(self) -> None:
        object.__setattr__(self, "holidays", frozenset(self.holidays))
        object.__setattr__(self, "makeup_workdays", frozenset(self.makeup_workdays))
        object.__setattr__(self, "published_years", frozenset(self.published_years))
        object.__setattr__(self, "overrides", MappingProxyType(dict(self.overrides)))
        object.__setattr__(self, "names", MappingProxyType(dict(self.names)))
        if self.first_year > self.last_year:
            raise ValueError("first_year must not be after last_year")

    def is_working_day(self, day: date) -> bool:
        override = self.overrides.get(day)
        if override is not None:
            return bool(override)
        if day in self.makeup_workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5

    @cached_property
    def _cumulative(self) -> tuple[int, tuple[int, ...]]:
        """Working days counted from a base day, one entry a day over the covered years
        (and a margin): counting and adding become a subtraction and a bisection instead
        of a walk over every day, which the case clock does for thousands of cases."""
        return _working_day_index(self)

    def _indexed(self, day: date) -> int | None:
        """Working days in [base, day], or None outside the index."""
        base, counts = self._cumulative
        offset = day.toordinal() - base
        return counts[offset + 1] if 0 <= offset < len(counts) - 1 else None

    def add_working_days(self, start: date, n: int) -> date:
        """The n-th working day after ``start`` (``start`` itself never counts); n == 0 gives ``start``."""
        if n < 0:
            raise ValueError("n must not be negative")
        if n == 0:
            return start
        before = self._indexed(start)
        if before is not None:
            base, counts = self._cumulative
            position = bisect_left(counts, before + n)  # first index whose count reaches it
            if position < len(counts):
                return date.fromordinal(base + position - 1)
        day = start
        remaining = n
        while remaining:
            day += _ONE_DAY
            if self.is_working_day(day):
                remaining -= 1
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Working days d with start < d <= end; negative (the count for end < d <= start) if end < start."""
        if end < start:
            return -self.working_days_between(end, start)
        low, high = self._indexed(start), self._indexed(end)
        if low is not None and high is not None:
            return high - low
        count = 0
        day = start + _ONE_DAY
        while day <= end:
            if self.is_working_day(day):
                count += 1
            day += _ONE_DAY
        return count

    def covers(self, day: date) -> bool:
        """Whether the data knows this day (its year was shipped or published, or the hub
        set the day explicitly)."""
        return (
            self.first_year <= day.year <= self.last_year or day.year in self.published_years or day in self.overrides
        )

    def with_overrides(self, mapping: Mapping[date, bool]) -> WorkingCalendar:
        """A new calendar with these days set to working (True) or closed (False); later wins."""
        merged = dict(self.overrides)
        merged.update(mapping)
        return replace(self, overrides=merged)

    def with_years(self, years: Iterable[PublishedYear]) -> WorkingCalendar:
        """A new calendar in which each of these years is as published: its holidays and
        make-up days replace those this calendar had for it (day overrides still win)."""
        years = list(years)
        if not years:
            return self
        replaced = {published.year for published in years}
        holidays = {day for day in self.holidays if day.year not in replaced}
        makeups = {day for day in self.makeup_workdays if day.year not in replaced}
        names = {day: name for day, name in self.names.items() if day.year not in replaced}
        for published in years:
            holidays.update(published.holidays)
            makeups.update(published.makeup_workdays)
            names.update({**published.holidays, **published.makeup_workdays})
        outside = {year for year in replaced if not self.first_year <= year <= self.last_year}
        return replace(
            self,
            holidays=frozenset(holidays),
            makeup_workdays=frozenset(makeups),
            names=names,
            published_years=self.published_years | outside,
        )

    def as_published(self, years: Iterable[PublishedYear], overrides: Mapping[date, bool]) -> WorkingCalendar:
        """This (shipped) calendar with what the hub published: whole years, then day
        overrides, which win. Itself when the hub published nothing (its working-day index
        is then not built again)."""
        calendar = self.with_years(years)
        return calendar.with_overrides(overrides) if overrides else calendar

    def published_year(self, year: int, *, source: str = "") -> PublishedYear:
        """This calendar's holidays and make-up days of ``year``, as the hub publishes them."""
        if not (self.first_year <= year <= self.last_year or year in self.published_years):
            raise ValueError(f"the calendar does not cover {year}")
        return PublishedYear(
            year=year,
            holidays={day: self.names.get(day, "") for day in self.holidays if day.year == year},
            makeup_workdays={day: self.names.get(day, "") for day in self.makeup_workdays if day.year == year},
            source=source,
        )

    def holiday_name(self, day: date) -> str | None:
        """The English source name of the holiday or make-up day ("National Day"), if any."""
        return self.names.get(day)


@lru_cache(maxsize=8)
def _working_day_index(calendar: WorkingCalendar) -> tuple[int, tuple[int, ...]]:
    """The index of :attr:`WorkingCalendar._cumulative`, shared by equal calendars (the
    same days, years and overrides): the hub reads its calendar afresh for every pushed
    batch, and building the index (a walk over some 10,000 days) cost about as much as
    working out the figures of the batch's cases."""
    first = date(calendar.first_year - 1, 1, 1)
    last = date(max((calendar.last_year, *calendar.published_years)) + _INDEX_MARGIN_YEARS, 12, 31)
    counts = [0]
    day = first
    while day <= last:
        counts.append(counts[-1] + (1 if calendar.is_working_day(day) else 0))
        day += _ONE_DAY
    return first.toordinal(), tuple(counts)


def default_calendar_path() -> Path:
    from windowdesk.paths import resources_dir

    return resources_dir() / "calendar" / CALENDAR_FILE_NAME


class _Malformed(Exception):
    pass


class MalformedCalendar(ValueError):
    """Calendar data (a file, a published year) that cannot be used; says why."""


@dataclass(frozen=True)
class PublishedYear:
    """One year of the official calendar as the hub publishes it: every holiday and
    every make-up working day of the year (with their names), and where it comes from."""

    year: int
    holidays: Mapping[date, str]
    makeup_workdays: Mapping[date, str]
    source: str = ""

    def as_json(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "source": self.source,
            "holidays": {day.isoformat(): name for day, name in sorted(self.holidays.items())},
            "makeup_workdays": {day.isoformat(): name for day, name in sorted(self.makeup_workdays.items())},
        }


def published_year_from_json(data: object) -> PublishedYear:
    """The inverse of :meth:`PublishedYear.as_json`; raises MalformedCalendar with the reason."""
    try:
        if not isinstance(data, dict):
            raise _Malformed("it is not an object")
        year = data.get("year")
        if not isinstance(year, int) or isinstance(year, bool) or not 1900 <= year <= 9999:
            raise _Malformed("its year is not a year")
        holidays = _parse_days(data.get("holidays"), "holidays")
        makeups = _parse_days(data.get("makeup_workdays"), "makeup_workdays")
        strays = sorted(day for day in (*holidays, *makeups) if day.year != year)
        if strays:
            raise _Malformed(f"{strays[0]} is not in {year}")
        both = holidays.keys() & makeups.keys()
        if both:
            raise _Malformed(f"{min(both)} is both a holiday and a make-up working day")
        source = data.get("source", "")
        if not isinstance(source, str):
            raise _Malformed("its source is not text")
    except _Malformed as exc:
        raise MalformedCalendar(str(exc)) from None
    return PublishedYear(year, holidays, makeups, source)


def calendar_from_json(data: object) -> WorkingCalendar:
    """A calendar file's parsed JSON (the format of the shipped file); raises MalformedCalendar."""
    try:
        return _calendar_from_json(data)
    except _Malformed as exc:
        raise MalformedCalendar(str(exc)) from None


def _parse_days(raw: object, key: str) -> dict[date, str]:
    if not isinstance(raw, dict):
        raise _Malformed(f"{key} is not an object")
    days: dict[date, str] = {}
    for text, name in raw.items():
        try:
            day = date.fromisoformat(text)
        except (TypeError, ValueError):
            raise _Malformed(f"{key}: {text!r} is not a date") from None
        if not isinstance(name, str):
            raise _Malformed(f"{key}: the name of {text} is not text")
        days[day] = name
    return days


def _calendar_from_json(data: object) -> WorkingCalendar:
    if not isinstance(data, dict):
        raise _Malformed("the top level is not an object")
    first, last = data.get("first_year"), data.get("last_year")
    for key, value in (("first_year", first), ("last_year", last)):
        if not isinstance(value, int) or isinstance(value, bool) or not 1900 <= value <= 9999:
            raise _Malformed(f"{key} is not a year")
    assert isinstance(first, int) and isinstance(last, int)
    if first > last:
        raise _Malformed("first_year is after last_year")
    holidays = _parse_days(data.get("holidays"), "holidays")
    makeups = _parse_days(data.get("makeup_workdays"), "makeup_workdays")
    both = holidays.keys() & makeups.keys()
    if both:
        raise _Malformed(f"{min(both)} is both a holiday and a make-up working day")
    return WorkingCalendar(
        holidays=frozenset(holidays),
        makeup_workdays=frozenset(makeups),
        first_year=first,
        last_year=last,
        names={**holidays, **makeups},
    )


def load_calendar(path: Path) -> WorkingCalendar:
    """Read the working-day calendar file. Raises StartupError with plain words if it cannot."""
    title = _("The calendar of working days cannot be read")
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise StartupError(
            title,
            _(
                "The file {path} is missing. Without it due dates cannot be worked out; "
                "please reinstall the program or ask technical support."
            ).format(path=path),
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise StartupError(
            title,
            _("The file {path} could not be opened ({reason}). Please ask technical support.").format(
                path=path, reason=exc.__class__.__name__
            ),
        ) from None
    try:
        return _calendar_from_json(json.loads(text))
    except (ValueError, _Malformed) as exc:
        raise StartupError(
            title,
            _(
                "The file {path} is damaged and cannot be used ({reason}). Please reinstall "
                "the program or ask technical support."
            ).format(path=path, reason=str(exc)),
        ) from None
