"""Time that does not count: every kind of suspension stops both clocks, across holidays."""

from __future__ import annotations

import datetime as dt

import pytest

from windowdesk.domain.suspensions import (
    SUSPENSION_KINDS,
    SuspensionKind,
    end_needs_reason,
    suspension_kind,
    suspension_label,
)
from windowdesk.domain.time_limits import Suspension, clock_state, suspended_days_by_kind, suspensions_from
from windowdesk.errors import ValidationError
from windowdesk.paths import resources_dir
from windowdesk.services.working_days import load_shipped_calendar

D = dt.date


@pytest.fixture(scope="module")
def calendar():
    return load_shipped_calendar(resources_dir())


def test_the_four_kinds_and_steps_from_before_kinds_existed():
    assert SUSPENSION_KINDS == ("materials", "hearing", "inspection", "expert_review")
    assert suspension_kind(None) is SuspensionKind.MATERIALS  # a step recorded before there were kinds
    assert suspension_kind("hearing") is SuspensionKind.HEARING
    with pytest.raises(ValidationError):
        suspension_kind("holiday")
    assert suspension_label(None) == "Waiting for supplementary materials"
    assert suspension_label("expert_review") == "Suspended for expert review"
    assert not end_needs_reason("materials") and end_needs_reason("inspection")


def test_the_timeline_gives_each_period_its_kind():
    events = [
        (D(2025, 3, 3), "accepted", None),
        (D(2025, 3, 5), "suspended", "hearing"),
        (D(2025, 3, 10), "in_progress", None),
        (D(2025, 3, 12), "suspended", None),
    ]
    assert suspensions_from(events) == [
        Suspension(D(2025, 3, 5), D(2025, 3, 10), "hearing"),
        Suspension(D(2025, 3, 12), None, "materials"),
    ]
    # Two-element steps (what callers without kinds pass) still read as before.
    assert suspensions_from([(D(2025, 3, 5), "suspended"), (D(2025, 3, 6), "in_progress")]) == [
        Suspension(D(2025, 3, 5), D(2025, 3, 6), "materials")
    ]


@pytest.mark.parametrize("kind", ["hearing", "inspection", "expert_review", "materials"])
def test_every_kind_stops_both_clocks_across_national_day(calendar, kind):
    # Accepted Mon 29 Sep 2025; suspended Tue 30 Sep; 1-8 Oct holidays, Sat 11 Oct a
    # make-up working day; running again Tue 14 Oct; looked at Thu 16 Oct.
    pause = [Suspension(D(2025, 9, 30), D(2025, 10, 14), kind)]
    state = clock_state(
        accepted=D(2025, 9, 29),
        today=D(2025, 10, 16),
        promised_days=5,
        legal_days=20,
        calendar=calendar,
        suspensions=pause,
    )
    assert state.suspended == 4  # 9, 10, 11 (the make-up Saturday) and 13 October
    assert state.used == 4  # 30 September, 14, 15, 16 October
    assert state.promised_left == 1 and state.legal_left == 16
    assert state.promised_due == D(2025, 10, 17)  # the 5th counted working day
    assert suspended_days_by_kind(D(2025, 9, 29), D(2025, 10, 16), calendar, pause) == {kind: 4}


def test_suspended_days_are_told_apart_by_kind(calendar):
    # Spring Festival 2025: 28 Jan - 4 Feb off, Sun 26 Jan and Sat 8 Feb make-up working days.
    pauses = [
        Suspension(D(2025, 1, 20), D(2025, 1, 23), "materials"),
        Suspension(D(2025, 1, 24), D(2025, 2, 10), "inspection"),
    ]
    days = suspended_days_by_kind(D(2025, 1, 17), D(2025, 2, 12), calendar, pauses)
    # materials: 21, 22 Jan; inspection: 26, 27 Jan, 5, 6, 7, 8 Feb (26th and 8th make-up days)
    assert days == {"materials": 2, "inspection": 6}
