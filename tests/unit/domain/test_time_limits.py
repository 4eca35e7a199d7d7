"""The case clock across holidays, make-up working days and suspensions."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.hypothesis_profiles import examples
from windowdesk.domain.time_limits import (
    Light,
    Suspension,
    clock_state,
    due_date,
    suspensions_from,
)
from windowdesk.paths import resources_dir
from windowdesk.services.working_days import load_shipped_calendar

D = dt.date


@pytest.fixture(scope="module")
def calendar():
    return load_shipped_calendar(resources_dir())


def test_national_day_2025_counts_only_working_days(calendar):
    # Accepted Tue 30 Sep 2025; 1-8 Oct holidays; Sat 11 Oct a make-up working day.
    state = clock_state(
        accepted=D(2025, 9, 30), today=D(2025, 10, 13), promised_days=5, legal_days=20, calendar=calendar
    )
    assert state.used == 4  # 9, 10, 11 (make-up Saturday), 13 October
    assert state.promised_left == 1 and state.light is Light.YELLOW
    assert state.promised_due == D(2025, 10, 14)
    assert state.promised_due == calendar.add_working_days(D(2025, 9, 30), 5)


def test_overdue_turns_red_and_a_decided_case_stops(calendar):
    late = clock_state(accepted=D(2025, 3, 3), today=D(2025, 3, 20), promised_days=5, legal_days=10, calendar=calendar)
    assert late.light is Light.RED and late.promised_left < 0
    done = clock_state(
        accepted=D(2025, 3, 3),
        today=D(2025, 3, 20),
        promised_days=5,
        legal_days=10,
        calendar=calendar,
        finished_on=D(2025, 3, 6),
    )
    assert done.light is Light.DONE and done.used == 3


def test_suspension_stops_the_clock_and_moves_the_due_date(calendar):
    # Mon 3 Mar 2025 accepted; suspended on Wed 5th, materials back on Mon 10th.
    pause = [Suspension(D(2025, 3, 5), D(2025, 3, 10))]
    state = clock_state(
        accepted=D(2025, 3, 3),
        today=D(2025, 3, 11),
        promised_days=5,
        legal_days=10,
        calendar=calendar,
        suspensions=pause,
    )
    assert state.used == 4  # 4th, 5th, 10th, 11th
    assert state.suspended == 2  # 6th, 7th
    assert state.promised_due == D(2025, 3, 12)
    running = clock_state(
        accepted=D(2025, 3, 3),
        today=D(2025, 3, 11),
        promised_days=5,
        legal_days=10,
        calendar=calendar,
        suspensions=[Suspension(D(2025, 3, 5), None)],
    )
    assert running.used == 2 and running.light is Light.GREEN
    assert running.promised_due == D(2025, 3, 14)  # as if the materials came back on the 12th


def test_suspensions_from_timeline():
    events = [
        (D(2025, 3, 3), "accepted"),
        (D(2025, 3, 5), "suspended"),
        (D(2025, 3, 10), "in_progress"),
        (D(2025, 3, 12), "suspended"),
    ]
    assert suspensions_from(events) == [Suspension(D(2025, 3, 5), D(2025, 3, 10)), Suspension(D(2025, 3, 12), None)]


CALENDAR = load_shipped_calendar(resources_dir())
days = st.dates(min_value=D(2005, 1, 1), max_value=D(2026, 6, 30))


@settings(max_examples=examples(200), deadline=None)
@given(
    accepted=days,
    limit=st.integers(1, 60),
    gap=st.integers(0, 90),
    pause_at=st.integers(0, 40),
    pause_len=st.integers(0, 30),
)
def test_clock_properties(accepted, limit, gap, pause_at, pause_len):
    calendar = CALENDAR
    pause = [Suspension(accepted + dt.timedelta(days=pause_at), accepted + dt.timedelta(days=pause_at + pause_len))]
    today = accepted + dt.timedelta(days=gap)
    state = clock_state(
        accepted=accepted, today=today, promised_days=limit, legal_days=limit * 2, calendar=calendar, suspensions=pause
    )
    plain = clock_state(accepted=accepted, today=today, promised_days=limit, legal_days=limit * 2, calendar=calendar)
    # A suspension only ever gives time back, and used + suspended is the plain count.
    assert state.used + state.suspended == plain.used
    assert state.promised_due >= plain.promised_due
    assert plain.promised_due == calendar.add_working_days(accepted, limit)
    # The due date is a working day, and on it exactly `limit` days have been used.
    assert calendar.is_working_day(state.promised_due)
    on_due = clock_state(
        accepted=accepted,
        today=state.promised_due,
        promised_days=limit,
        legal_days=limit * 2,
        calendar=calendar,
        suspensions=pause,
    )
    assert on_due.used == limit and on_due.promised_left == 0
    assert state.light in (Light.GREEN, Light.YELLOW, Light.RED)
    # Red only once a working day has passed beyond the due date (a weekend after a
    # Friday due date is not yet late).
    assert (state.light is Light.RED) == (state.promised_left < 0)
    if today <= state.promised_due:
        assert state.light is not Light.RED


def test_due_date_refuses_an_open_suspension(calendar):
    with pytest.raises(ValueError):
        due_date(D(2025, 3, 3), 5, calendar, [Suspension(D(2025, 3, 4), None)])


def _due_by_walking(accepted, limit, calendar, suspensions):
    """The definition, one day at a time: a working day counts unless it lies after a
    suspension's first day and before the day the materials came back."""
    counted, day = 0, accepted
    while counted < limit:
        day += dt.timedelta(days=1)
        suspended = any(s.start < day < s.end for s in suspensions)
        if calendar.is_working_day(day) and not suspended:
            counted += 1
    return day


@st.composite
def separate_suspensions(draw, accepted):
    """Up to three suspensions that do not overlap, given in any order, some starting
    before the acceptance day or lasting no counted day at all."""
    periods, start = [], accepted + dt.timedelta(days=draw(st.integers(-5, 20)))
    for _ in range(draw(st.integers(1, 3))):
        end = start + dt.timedelta(days=draw(st.integers(0, 25)))
        periods.append(Suspension(start, end))
        start = end + dt.timedelta(days=draw(st.integers(0, 15)))
    return draw(st.permutations(periods))


@settings(max_examples=examples(300), deadline=None)
@given(data=st.data(), accepted=days, limit=st.integers(0, 60))
def test_due_date_with_suspensions_matches_the_day_by_day_definition(data, accepted, limit):
    suspensions = data.draw(separate_suspensions(accepted))
    assert due_date(accepted, limit, CALENDAR, suspensions) == _due_by_walking(accepted, limit, CALENDAR, suspensions)
