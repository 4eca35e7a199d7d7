from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from windowdesk.domain.calendar import WorkingCalendar, default_calendar_path, load_calendar
from windowdesk.errors import StartupError

DATA_FILE = Path(__file__).resolve().parents[3] / "resources" / "calendar" / "cn_working_calendar.json"
CAL = load_calendar(DATA_FILE)


def d(text: str) -> date:
    return date.fromisoformat(text)


# --- the shipped data ---------------------------------------------------------------


def test_default_path_is_the_shipped_file(monkeypatch):
    monkeypatch.delenv("WINDOWDESK_RESOURCES", raising=False)
    assert default_calendar_path().resolve() == DATA_FILE


def test_data_file_header():
    raw = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    assert raw["source"] == "chinese-calendar 1.11.0 (State Council holiday notices)"
    assert raw["first_year"] == 2004
    assert raw["last_year"] >= 2026
    assert CAL.first_year == 2004 and CAL.last_year == raw["last_year"]


def test_national_day_2025():
    for day in range(1, 9):
        assert not CAL.is_working_day(date(2025, 10, day)), day
        assert date(2025, 10, day) in CAL.holidays
    assert CAL.is_working_day(d("2025-09-28"))  # Sunday, make-up working day
    assert CAL.is_working_day(d("2025-10-11"))  # Saturday, make-up working day
    assert d("2025-09-28").weekday() == 6 and d("2025-10-11").weekday() == 5
    assert CAL.is_working_day(d("2025-09-30"))
    assert CAL.is_working_day(d("2025-10-09"))
    assert not CAL.is_working_day(d("2025-10-12"))  # ordinary Sunday
    assert CAL.holiday_name(d("2025-10-01")) == "National Day"
    assert CAL.holiday_name(d("2025-10-11")) == "National Day"
    assert CAL.holiday_name(d("2025-10-10")) is None


def test_spring_festival_2026():
    # Nine days off, 15-23 February 2026; Saturdays 14 and 28 February are worked.
    for day in range(15, 24):
        assert not CAL.is_working_day(date(2026, 2, day)), day
        assert CAL.holiday_name(date(2026, 2, day)) == "Spring Festival"
    assert CAL.is_working_day(d("2026-02-13"))
    assert CAL.is_working_day(d("2026-02-14"))
    assert CAL.is_working_day(d("2026-02-24"))
    assert CAL.is_working_day(d("2026-02-28"))
    assert CAL.add_working_days(d("2026-02-13"), 1) == d("2026-02-14")
    assert CAL.add_working_days(d("2026-02-14"), 1) == d("2026-02-24")
    assert CAL.working_days_between(d("2026-02-13"), d("2026-02-28")) == 6


def test_plain_weeks():
    assert CAL.is_working_day(d("2025-11-24"))  # Monday
    assert CAL.is_working_day(d("2025-11-28"))  # Friday
    assert not CAL.is_working_day(d("2025-11-29"))  # Saturday
    assert not CAL.is_working_day(d("2025-11-30"))  # Sunday


def test_add_working_days_across_national_day_2025():
    assert CAL.add_working_days(d("2025-09-30"), 1) == d("2025-10-09")
    assert CAL.add_working_days(d("2025-09-30"), 3) == d("2025-10-11")
    assert CAL.add_working_days(d("2025-09-30"), 4) == d("2025-10-13")
    assert CAL.add_working_days(d("2025-09-26"), 1) == d("2025-09-28")
    assert CAL.add_working_days(d("2025-09-26"), 4) == d("2025-10-09")
    # 20 working days from Thursday 25 September 2025, counted by hand:
    # 26, 28, 29, 30 Sep; 9, 10, 11, 13-17, 20-24, 27, 28, 29 Oct.
    assert CAL.add_working_days(d("2025-09-25"), 20) == d("2025-10-29")
    # Start on a holiday: the first working day after it.
    assert CAL.add_working_days(d("2025-10-03"), 1) == d("2025-10-09")


def test_add_zero_and_negative():
    assert CAL.add_working_days(d("2025-10-03"), 0) == d("2025-10-03")
    with pytest.raises(ValueError):
        CAL.add_working_days(d("2025-10-03"), -1)


def test_working_days_between():
    assert CAL.working_days_between(d("2025-09-30"), d("2025-10-09")) == 1
    assert CAL.working_days_between(d("2025-09-25"), d("2025-10-29")) == 20
    assert CAL.working_days_between(d("2025-10-29"), d("2025-09-25")) == -20
    assert CAL.working_days_between(d("2025-10-01"), d("2025-10-08")) == 0
    assert CAL.working_days_between(d("2025-10-09"), d("2025-10-09")) == 0
    # end counts, start does not
    assert CAL.working_days_between(d("2025-11-24"), d("2025-11-25")) == 1
    assert CAL.working_days_between(d("2025-11-25"), d("2025-11-24")) == -1


def test_outside_the_data_plain_weekends():
    assert not CAL.covers(d("2003-12-31"))
    assert CAL.covers(d("2004-01-01"))
    assert CAL.covers(date(CAL.last_year, 12, 31))
    assert not CAL.covers(date(CAL.last_year + 1, 1, 1))
    # 1 October 2099 is a Thursday and nobody has declared it a holiday yet.
    assert CAL.is_working_day(d("2099-10-01"))
    assert not CAL.is_working_day(d("2099-10-03"))


# --- overrides ------------------------------------------------------------------------


def test_overrides_flip_days():
    closed = d("2025-11-25")  # a Tuesday, say the hall is closed for a power cut
    opened = d("2025-10-05")  # a holiday, the hall opens for an emergency
    cal = CAL.with_overrides({closed: False, opened: True})
    assert not cal.is_working_day(closed)
    assert cal.is_working_day(opened)
    assert CAL.is_working_day(closed) and not CAL.is_working_day(opened)  # original untouched
    assert cal.add_working_days(d("2025-10-04"), 1) == opened
    assert cal.covers(d("2030-01-01")) is False
    assert cal.with_overrides({d("2030-01-01"): False}).covers(d("2030-01-01"))


def test_override_wins_over_makeup_day():
    cal = CAL.with_overrides({d("2025-09-28"): False})
    assert not cal.is_working_day(d("2025-09-28"))


def test_later_overrides_win():
    day = d("2025-11-25")
    cal = CAL.with_overrides({day: False}).with_overrides({day: True})
    assert cal.is_working_day(day)
    assert dict(cal.overrides) == {day: True}


def test_overrides_are_copied_and_read_only():
    source = {d("2025-11-25"): False}
    cal = WorkingCalendar(frozenset(), frozenset(), 2025, 2025, source)
    source[d("2025-11-25")] = True
    assert not cal.is_working_day(d("2025-11-25"))
    with pytest.raises(TypeError):
        cal.overrides[d("2025-11-26")] = False  # type: ignore[index]


def test_calendars_read_twice_share_one_working_day_index_and_a_changed_one_gets_its_own():
    # The hub reads its calendar afresh for every pushed batch (issue 29): the index over
    # every covered day is built once for the same days, not once per reading.
    first, again = load_calendar(DATA_FILE), load_calendar(DATA_FILE)
    assert first is not again
    assert first.working_days_between(d("2025-09-30"), d("2025-10-10")) == 2
    assert again._cumulative is first._cumulative
    closed = d("2025-10-09")  # a Thursday after National Day, closed for the day
    changed = load_calendar(DATA_FILE).with_overrides({closed: False})
    assert changed._cumulative is not first._cumulative
    assert changed.working_days_between(d("2025-09-30"), d("2025-10-10")) == 1
    assert changed.add_working_days(d("2025-10-08"), 1) == d("2025-10-10")
    assert first.add_working_days(d("2025-10-08"), 1) == closed


def test_small_calendar_rules_in_order():
    holiday, makeup = d("2025-06-02"), d("2025-06-07")  # Monday, Saturday
    cal = WorkingCalendar(frozenset({holiday}), frozenset({makeup}), 2025, 2025)
    assert not cal.is_working_day(holiday)
    assert cal.is_working_day(makeup)
    assert cal.is_working_day(d("2025-06-03"))
    assert not cal.is_working_day(d("2025-06-08"))
    assert cal == WorkingCalendar(frozenset({holiday}), frozenset({makeup}), 2025, 2025)
    with pytest.raises(ValueError):
        WorkingCalendar(frozenset(), frozenset(), 2026, 2025)


# --- loading ----------------------------------------------------------------------------


def write(tmp_path: Path, content: str) -> Path:
    path = tmp_path / "cal.json"
    path.write_text(content, encoding="utf-8")
    return path


def valid_payload(**changes) -> dict:
    payload = {
        "source": "test",
        "first_year": 2025,
        "last_year": 2025,
        "holidays": {"2025-10-01": "National Day"},
        "makeup_workdays": {"2025-09-28": "National Day"},
    }
    payload.update(changes)
    return payload


def test_load_small_file(tmp_path):
    cal = load_calendar(write(tmp_path, json.dumps(valid_payload())))
    assert cal.holidays == {d("2025-10-01")}
    assert cal.makeup_workdays == {d("2025-09-28")}
    assert (cal.first_year, cal.last_year) == (2025, 2025)


def test_missing_file(tmp_path):
    with pytest.raises(StartupError) as info:
        load_calendar(tmp_path / "nowhere.json")
    assert info.value.title
    assert "missing" in info.value.message
    assert "nowhere.json" in info.value.message


@pytest.mark.parametrize(
    "content",
    [
        "",
        "{not json",
        "[]",
        json.dumps(valid_payload(first_year="2025")),
        json.dumps(valid_payload(first_year=True)),
        json.dumps(valid_payload(last_year=2024)),
        json.dumps(valid_payload(holidays=["2025-10-01"])),
        json.dumps(valid_payload(holidays={"2025-10-32": "x"})),
        json.dumps(valid_payload(holidays={"2025-10-01": 3})),
        json.dumps(valid_payload(makeup_workdays=None)),
        json.dumps(valid_payload(makeup_workdays={"2025-10-01": "clash"})),
        json.dumps({"source": "x"}),
    ],
)
def test_malformed_file(tmp_path, content):
    with pytest.raises(StartupError) as info:
        load_calendar(write(tmp_path, content))
    assert "damaged" in info.value.message


def test_unreadable_bytes(tmp_path):
    path = tmp_path / "cal.json"
    path.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(StartupError):
        load_calendar(path)


def test_a_folder_instead_of_a_file(tmp_path):
    with pytest.raises(StartupError):
        load_calendar(tmp_path)


# --- properties on the real data ------------------------------------------------------------

starts = st.dates(min_value=date(2004, 1, 1), max_value=date(2027, 12, 31))
counts = st.integers(min_value=1, max_value=250)


def naive_add(cal: WorkingCalendar, start: date, n: int) -> date:
    day = start
    while n:
        day += timedelta(days=1)
        n -= cal.is_working_day(day)
    return day


@given(starts, counts)
def test_result_is_a_later_working_day(start, n):
    result = CAL.add_working_days(start, n)
    assert result > start
    assert CAL.is_working_day(result)
    assert result == naive_add(CAL, start, n)


@given(starts, st.integers(min_value=0, max_value=250))
def test_between_inverts_add(start, n):
    assert CAL.working_days_between(start, CAL.add_working_days(start, n)) == n


@given(starts, counts)
def test_monotonic_in_n(start, n):
    assert CAL.add_working_days(start, n) < CAL.add_working_days(start, n + 1)


@given(starts, starts)
def test_between_is_antisymmetric(a, b):
    assert CAL.working_days_between(a, b) == -CAL.working_days_between(b, a)


@given(starts, starts, starts)
def test_between_adds_up(a, b, c):
    assert CAL.working_days_between(a, b) + CAL.working_days_between(b, c) == CAL.working_days_between(a, c)


@given(starts, counts, st.dictionaries(starts, st.booleans(), max_size=20))
def test_properties_hold_with_overrides(start, n, overrides):
    cal = CAL.with_overrides(overrides)
    result = cal.add_working_days(start, n)
    assert result > start and cal.is_working_day(result)
    assert cal.working_days_between(start, result) == n
    for day, working in overrides.items():
        assert cal.is_working_day(day) is working


# --- a year published by the hub ----------------------------------------------------------


def _year(year: int, holidays: dict[str, str], makeups: dict[str, str] | None = None):
    from windowdesk.domain.calendar import published_year_from_json

    return published_year_from_json(
        {"year": year, "source": "notice", "holidays": holidays, "makeup_workdays": makeups or {}}
    )


def test_a_published_year_is_known_and_counted_by_its_own_days():
    year = CAL.last_year + 1
    published = _year(
        year,
        {f"{year}-01-01": "New Year's Day", f"{year}-01-04": "New Year's Day"},
        {f"{year}-01-09": "New Year's Day"},
    )
    assert not CAL.covers(date(year, 6, 1))
    calendar = CAL.with_years([published])
    assert calendar.covers(date(year, 6, 1)) and not calendar.covers(date(year + 1, 6, 1))
    for day in (date(year, 1, 1), date(year, 1, 4)):
        assert not calendar.is_working_day(day)
        assert calendar.holiday_name(day) == "New Year's Day"
    assert not CAL.is_working_day(date(year, 1, 9)) and calendar.is_working_day(date(year, 1, 9))  # a weekend day
    # Counting runs through the published days, also from a shipped year into it.
    assert calendar.working_days_between(date(year - 1, 12, 31), date(year, 1, 11)) == sum(
        calendar.is_working_day(date(year - 1, 12, 31) + timedelta(days=n)) for n in range(1, 12)
    )
    assert calendar.with_overrides({date(year, 1, 4): True}).is_working_day(date(year, 1, 4))  # a day override wins


def test_a_published_year_replaces_what_was_shipped_for_it():
    shipped_year = CAL.last_year
    national_day = date(shipped_year, 10, 1)
    assert not CAL.is_working_day(national_day) and not CAL.is_working_day(date(shipped_year, 10, 2))
    corrected = CAL.with_years([_year(shipped_year, {national_day.isoformat(): "National Day"})])
    assert not corrected.is_working_day(national_day)
    assert corrected.is_working_day(date(shipped_year, 10, 2)) == (date(shipped_year, 10, 2).weekday() < 5)
    assert corrected.published_years == frozenset()  # shipped years were known already
    assert corrected.published_year(shipped_year).holidays == {national_day: "National Day"}


@pytest.mark.parametrize(
    ("document", "reason"),
    [
        ([], "not an object"),
        ({"year": "2027", "holidays": {}, "makeup_workdays": {}}, "not a year"),
        ({"year": 2027, "holidays": {"2028-01-01": "x"}, "makeup_workdays": {}}, "2028-01-01 is not in 2027"),
        ({"year": 2027, "holidays": {"2027-02-07": "x"}, "makeup_workdays": {"2027-02-07": "y"}}, "both"),
        ({"year": 2027, "holidays": {"someday": "x"}, "makeup_workdays": {}}, "not a date"),
        ({"year": 2027, "holidays": {}, "makeup_workdays": {}, "source": 5}, "source is not text"),
    ],
)
def test_a_malformed_published_year_is_refused_with_its_reason(document, reason):
    from windowdesk.domain.calendar import MalformedCalendar, published_year_from_json

    with pytest.raises(MalformedCalendar, match=reason):
        published_year_from_json(document)


def test_a_published_year_reads_back_as_it_was_written():
    from windowdesk.domain.calendar import published_year_from_json

    year = CAL.published_year(CAL.last_year, source="shipped")
    assert published_year_from_json(json.loads(json.dumps(year.as_json()))) == year
