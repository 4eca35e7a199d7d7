"""送达 in the performance figures: results delivered in the period, those delivered more
than ten working days after the decision, and those still waiting past that deadline.
Period 1-31 October 2025 (National Day 1-8 October off; Sat 11 October worked)."""

from __future__ import annotations

import datetime as dt

from windowdesk.domain.assessment import CaseFact, Keys, build_report
from windowdesk.paths import resources_dir
from windowdesk.services.working_days import load_shipped_calendar

W = Keys("CH-01", "op-1", "MZJ", "CH")


def d(text: str) -> dt.date:
    return dt.date.fromisoformat("2025-" + text)


def test_deliveries_are_counted_against_ten_working_days_from_the_decision():
    calendar = load_shipped_calendar(resources_dir())
    cases = [
        # Decided Tue 30 Sep, due by Tue 21 Oct: delivered on the 21st (on time) ...
        CaseFact(W, d("09-26"), 5, completed_day=d("09-30"), decided_day=d("09-30"), delivered_day=d("10-21")),
        # ... on the 22nd (late) ...
        CaseFact(W, d("09-26"), 5, completed_day=d("09-30"), decided_day=d("09-30"), delivered_day=d("10-22")),
        # ... not yet on the 31st (overdue), not in November either.
        CaseFact(W, d("09-26"), 5, completed_day=d("09-30"), decided_day=d("09-30")),
        CaseFact(W, d("09-26"), 5, completed_day=d("09-30"), decided_day=d("09-30"), delivered_day=d("11-03")),
        # Decided on the 27th: its ten days run into November, not overdue yet.
        CaseFact(W, d("10-20"), 5, completed_day=d("10-27"), decided_day=d("10-27")),
        # Delivered in September: not in October's figures.
        CaseFact(W, d("09-01"), 5, completed_day=d("09-05"), decided_day=d("09-04"), delivered_day=d("09-08")),
        # No decision recorded (a window's own report): no delivery figure.
        CaseFact(W, d("10-09"), 5, completed_day=d("10-10")),
    ]
    figures = build_report(start=d("10-01"), end=d("10-31"), by="center", calendar=calendar, cases=cases).total
    assert (figures.delivered, figures.delivered_late, figures.delivery_overdue) == (2, 1, 2)
    assert figures.as_dict()["delivery_overdue"] == 2
