"""绩效考核 figures against hand-computed expectations, on fixed facts across the 2025
National Day holiday (1-8 October off; Sunday 28 September and Saturday 11 October are
make-up working days).

Working days of the period: Fri 26 Sep, Sun 28 Sep, 29 Sep, 30 Sep, then 9, 10, Sat 11,
13, 14, 15, 16, 17 October.
"""

from __future__ import annotations

import datetime as dt

import pytest

from windowdesk.domain.assessment import (
    CaseFact,
    ComplaintFact,
    DecisionFact,
    Keys,
    RatingFact,
    WorkingDayIndex,
    build_report,
    used_working_days,
)
from windowdesk.domain.time_limits import Suspension
from windowdesk.paths import resources_dir
from windowdesk.services.working_days import load_shipped_calendar


def d(text: str) -> dt.date:
    return dt.date.fromisoformat("2025-" + text)


W1A = Keys("CH-01", "op-1", "MZJ", "CH")
W1B = Keys("CH-01", "op-2", "LBJ", "CH")
W2A = Keys("CH-02", "op-1", "MZJ", "CH")
W2B = Keys("CH-02", "op-2", "LBJ", "CH")

CASES = [
    # A: 5 used of 5 promised (30 Sep, 9, 10, 11, 13 Oct): on time.
    CaseFact(W1A, d("09-29"), 5, completed_day=d("10-13")),
    # B: 5 used of 3 (28, 29, 30 Sep, 9, 10 Oct): late.
    CaseFact(W1B, d("09-26"), 3, completed_day=d("10-10")),
    # C: 6 working days (10-16 Oct) less 2 suspended (11, 13 Oct) = 4 of 5: on time.
    CaseFact(W2A, d("10-09"), 5, completed_day=d("10-16"), suspensions=(Suspension(d("10-10"), d("10-14")),)),
    # D: open, 7 used of 3 by 17 Oct: open overdue.
    CaseFact(W2B, d("10-09"), 3),
    # E: open, 4 used of 10: fine.
    CaseFact(W1A, d("10-13"), 10),
    # F: withdrawn before the period: not counted at all.
    CaseFact(W1A, d("09-10"), 2, withdrawn_day=d("09-20")),
    # G: accepted after the period.
    CaseFact(W2A, d("10-20"), 5),
    # H: withdrawn inside the period: neither completed nor open at its end.
    CaseFact(W2B, d("09-29"), 3, withdrawn_day=d("10-15")),
]
DECISIONS = [
    DecisionFact(W1A, d("10-09"), "notification"),
    DecisionFact(W2A, d("09-30"), "notification"),  # before the period
    DecisionFact(W2B, d("10-17"), "refusal"),  # its last day counts
]
RATINGS = [
    RatingFact(W1A, d("10-09"), 5),
    RatingFact(W1B, d("10-10"), 4),
    RatingFact(W1A, d("10-10"), 2),
    RatingFact(W2A, d("10-17"), 1),
    RatingFact(W2A, d("10-18"), 3),  # the last one after the period
]
COMPLAINTS = [
    ComplaintFact(W1A, d("10-10"), d("10-17"), replied_day=d("10-16")),  # resolved on time
    ComplaintFact(W2B, d("10-13"), d("10-20")),  # open
    ComplaintFact(Keys(None, None, None, "CH"), d("10-14"), d("10-15"), replied_day=d("10-16")),  # late reply
]


@pytest.fixture(scope="module")
def calendar():
    return load_shipped_calendar(resources_dir())


def report(calendar, by):
    return build_report(
        start=d("10-01"),
        end=d("10-17"),
        by=by,
        calendar=calendar,
        cases=CASES,
        decisions=DECISIONS,
        ratings=RATINGS,
        complaints=COMPLAINTS,
    )


def test_used_working_days_skip_holidays_and_suspensions(calendar):
    index = WorkingDayIndex(calendar, d("09-01"), d("10-31"))
    assert [used_working_days(CASES[i], CASES[i].completed_day, index) for i in range(3)] == [5, 5, 4]
    assert used_working_days(CASES[3], d("10-17"), index) == 7
    # Still suspended: the clock stands from the day it stopped.
    waiting = CaseFact(W1A, d("10-09"), 5, suspensions=(Suspension(d("10-10"), None),))
    assert used_working_days(waiting, d("10-17"), index) == 1


def test_totals(calendar):
    total = report(calendar, "window").total
    assert (total.accepted, total.completed, total.on_time, total.late, total.open_overdue, total.overdue) == (
        3,
        3,
        2,
        1,
        1,
        2,
    )
    assert total.average_handling_days == 4.7  # (5 + 5 + 4) / 3
    assert (total.notifications, total.refusals) == (1, 1)
    assert total.ratings == {1: 1, 2: 1, 3: 0, 4: 1, 5: 1}
    assert total.satisfaction_rate == 0.5
    assert (total.complaints, total.complaints_resolved, total.complaints_on_time) == (3, 2, 1)
    assert total.resolution_rate == 0.6667


def test_by_window(calendar):
    rows = {row.key: row.figures for row in report(calendar, "window").rows}
    assert list(rows) == ["CH-01", "CH-02", None]
    w1, w2, unknown = rows["CH-01"], rows["CH-02"], rows[None]
    assert (w1.accepted, w1.completed, w1.on_time, w1.overdue, w1.average_handling_days) == (1, 2, 1, 1, 5.0)
    assert (w2.accepted, w2.completed, w2.on_time, w2.overdue, w2.average_handling_days) == (2, 1, 1, 1, 4.0)
    assert (w1.notifications, w1.refusals, w2.notifications, w2.refusals) == (1, 0, 0, 1)
    assert (w1.rating_count, w1.satisfaction_rate, w2.rating_count, w2.satisfaction_rate) == (3, 0.6667, 1, 0.0)
    assert (w1.complaints, w1.complaints_resolved, w2.complaints, w2.complaints_resolved) == (1, 1, 1, 0)
    assert (unknown.complaints, unknown.complaints_resolved, unknown.complaints_on_time) == (1, 1, 0)


def test_by_operator_and_department_add_up_to_the_same_total(calendar):
    by_operator = report(calendar, "operator")
    op1 = next(row.figures for row in by_operator.rows if row.key == "op-1")
    assert (op1.accepted, op1.completed, op1.on_time, op1.overdue) == (2, 2, 2, 0)  # C, E; A, C
    for by in ("operator", "department", "center"):
        built = report(calendar, by)
        assert sum(row.figures.accepted for row in built.rows) == 3
        assert sum(row.figures.overdue for row in built.rows) == 2
        assert sum(row.figures.rating_count for row in built.rows) == 4
    assert [row.key for row in report(calendar, "center").rows] == ["CH"]


def test_bad_periods_are_refused(calendar):
    with pytest.raises(ValueError):
        build_report(start=d("10-02"), end=d("10-01"), by="window", calendar=calendar)
    with pytest.raises(ValueError):
        build_report(start=d("10-01"), end=d("10-02"), by="street", calendar=calendar)
    empty = build_report(start=d("10-01"), end=d("10-02"), by="window", calendar=calendar)
    assert empty.rows == () and empty.total.satisfaction_rate is None and empty.total.average_handling_days is None
