"""The provincial record's kind of case (办件类型), from the catalog and the case."""

from __future__ import annotations

import datetime as dt

from windowdesk.domain.province_record import case_kind

MONDAY, TUESDAY = dt.date(2025, 10, 13), dt.date(2025, 10, 14)


def test_who_decides_comes_first_then_how_fast():
    assert (
        case_kind(reported_upward=True, parallel=True, promised_days=20, accepted_day=MONDAY, decided_day=MONDAY)
        == "上报"
    )
    assert (
        case_kind(reported_upward=False, parallel=True, promised_days=5, accepted_day=MONDAY, decided_day=MONDAY)
        == "联办"
    )
    assert (
        case_kind(reported_upward=False, parallel=False, promised_days=5, accepted_day=MONDAY, decided_day=MONDAY)
        == "即办"
    )
    assert (
        case_kind(reported_upward=False, parallel=False, promised_days=0, accepted_day=MONDAY, decided_day=None)
        == "即办"
    )
    for decided in (TUESDAY, None):
        assert (
            case_kind(reported_upward=False, parallel=False, promised_days=5, accepted_day=MONDAY, decided_day=decided)
            == "承诺"
        )
