from __future__ import annotations

import contextlib
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from windowdesk.domain.numbering import (
    CaseNumber,
    DocumentNumber,
    DocumentSeries,
    ReceiptNumber,
    canonical_number,
    format_case_number,
    format_number,
    format_receipt_number,
    parse_case_number,
    parse_number,
    parse_receipt_number,
    receipt_sequence_scope,
    sequence_scope,
)
from windowdesk.errors import ValidationError

DAY = date(2026, 11, 25)


def test_case_number_format():
    assert format_case_number("CH", DAY, "03", 7) == "CH-20261125-03-0007"
    assert format_case_number("CH", DAY, "03", 9999) == "CH-20261125-03-9999"
    assert format_case_number("CH", DAY, "03", 10000) == "CH-20261125-03-10000"
    assert format_case_number("ch", DAY, "a1", 1) == "CH-20261125-A1-0001"
    assert str(CaseNumber("CH", DAY, "03", 7)) == "CH-20261125-03-0007"


def test_series_formats():
    assert format_number(DocumentSeries.CASE, "CH", DAY, "03", 7) == "CH-20261125-03-0007"
    assert format_number(DocumentSeries.NOTIFICATION, "CH", DAY, "03", 7) == "GZ-CH-20261125-03-0007"
    assert format_number(DocumentSeries.REFUSAL, "CH", DAY, "03", 12345) == "BY-CH-20261125-03-12345"
    assert format_number("GZ", "CH", DAY, "03", 7) == "GZ-CH-20261125-03-0007"  # type: ignore[arg-type]
    assert str(DocumentNumber(DocumentSeries.REFUSAL, "CH", DAY, "03", 7)) == "BY-CH-20261125-03-0007"


@pytest.mark.parametrize(
    "args",
    [
        ("", DAY, "03", 1),
        ("C-H", DAY, "03", 1),
        ("CH", DAY, "0 3", 1),
        ("CH", DAY, "", 1),
        ("CH", DAY, "03", 0),
        ("CH", DAY, "03", -1),
        ("CH", DAY, "03", True),
        ("CH", DAY, "03", 1.0),
    ],
)
def test_format_refuses_bad_parts(args):
    with pytest.raises(ValueError):
        format_case_number(*args)


def test_sequence_scope():
    assert sequence_scope(DocumentSeries.CASE, "CH", DAY, "03") == "case:CH:20261125:03"
    assert sequence_scope(DocumentSeries.NOTIFICATION, "CH", DAY, "03") == "notification:CH:20261125:03"
    assert sequence_scope(DocumentSeries.REFUSAL, "ch", DAY, "03") == "refusal:CH:20261125:03"


@pytest.mark.parametrize(
    "typed",
    [
        "CH-20261125-03-0007",
        "  ch-20261125-03-0007 \n",
        "CH - 20261125 - 03 - 0007",
        "ＣＨ－２０２６１１２５－０３－０００７",
        "CH\u201420261125\u201403\u20140007",
        "CH-20261125-03-7",
    ],
)
def test_parse_case_number_tolerant(typed):
    assert parse_case_number(typed) == CaseNumber("CH", DAY, "03", 7)


def test_parse_big_sequence():
    assert parse_case_number("CH-20261125-03-10000").seq == 10000


def test_parse_other_series():
    assert parse_number("gz-ch-20261125-03-0007") == DocumentNumber(DocumentSeries.NOTIFICATION, "CH", DAY, "03", 7)
    assert parse_number("BY-CH-20261125-03-0007").series is DocumentSeries.REFUSAL
    assert parse_number("CH-20261125-03-0007").series is DocumentSeries.CASE


def test_center_named_like_a_series():
    # A center may be called GZ (Guangzhou): four parts are always a case number.
    assert parse_number("GZ-20261125-03-0007") == DocumentNumber(DocumentSeries.CASE, "GZ", DAY, "03", 7)
    assert parse_number("GZ-GZ-20261125-03-0007").series is DocumentSeries.NOTIFICATION


def case_error(text) -> str:
    with pytest.raises(ValidationError) as info:
        parse_case_number(text)
    assert info.value.field == "case_number"
    return info.value.message


@pytest.mark.parametrize(
    "typed",
    [
        "CH",
        "CH-20261125-03",
        "CH-20261125-03-0007-1",
        "CH--03-0007",
        "CH-2026112-03-0007",
        "CH-202611250-03-0007",
        "CH-2026-11-25-03-0007",
        "CH-20261125-03-00O7",
        "CH-20261125-03-",
        "C_H-20261125-03-0007",
        "XX-CH-20261125-03-0007",
        "-CH-20261125-03-0007",
    ],
)
def test_malformed_case_numbers(typed):
    message = case_error(typed)
    assert "CH-20261125-03-0007" in message  # shows what it should look like


def test_empty_case_number():
    assert "enter the case number" in case_error("   ")
    assert "enter the case number" in case_error(None)


def test_impossible_date():
    message = case_error("CH-20260231-03-0007")
    assert "20260231" in message and "not a real date" in message


def test_zero_sequence():
    assert "zeros" in case_error("CH-20261125-03-0000")


def test_notification_is_not_a_case_number():
    message = case_error("GZ-CH-20261125-03-0007")
    assert "notification" in message


def test_expected_series_example():
    with pytest.raises(ValidationError) as info:
        parse_number("nonsense", expected=DocumentSeries.REFUSAL)
    assert "BY-CH-20261125-03-0007" in info.value.message


codes = st.text(alphabet="ABCDEFGHJKLMNPQRSTUVWXYZ0123456789", min_size=1, max_size=6)
days = st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31))
seqs = st.integers(min_value=1, max_value=10**7)


@given(st.sampled_from(DocumentSeries), codes, days, codes, seqs)
def test_round_trip(series, center, day, window, seq):
    text = format_number(series, center, day, window, seq)
    assert parse_number(text) == DocumentNumber(series, center, day, window, seq)
    assert parse_number(f"  {text.lower()} ") == DocumentNumber(series, center, day, window, seq)
    assert str(parse_number(text)) == text
    assert text.endswith(f"{seq:04d}")
    if series is DocumentSeries.CASE:
        assert parse_case_number(text) == CaseNumber(center, day, window, seq)


@given(codes, days, codes, seqs, seqs)
def test_same_scope_orders_by_sequence(center, day, window, a, b):
    # Padded to the same width, strings sort like the numbers (below 10,000).
    if a < 10_000 and b < 10_000:
        assert (format_case_number(center, day, window, a) < format_case_number(center, day, window, b)) == (a < b)


@given(st.text(max_size=40))
def test_parse_only_ever_raises_validation_error(text):
    # Any other exception (or a crash) fails the test.
    with contextlib.suppress(ValidationError):
        parse_number(text)


def _strictly_read(text: str, series: DocumentSeries) -> DocumentNumber | None:
    """The hub's rule before canonical_number: read tolerantly, then the text must be
    exactly what the number prints as."""
    try:
        parsed = parse_number(text, expected=series)
    except ValidationError:
        return None
    return parsed if str(parsed) == text else None


# Texts near the canonical form: parts from the alphabet of numbers, with the look-alikes
# the tolerant reader forgives (lowercase, full-width, spaces, other dashes, extra zeros).
number_like = st.lists(
    st.sampled_from(
        [
            "CH",
            "ch",
            "GZ",
            "BY",
            "03",
            "A1",
            "-",
            "\u2013",
            " ",
            "2026",
            "1125",
            "0229",
            "1301",
            "0",
            "00",
            "0007",
            "007",
            "10000",
            "010000",
            "0000",
            "\uff23\uff28",
            "20240229",
            "20250229",
        ]
    ),
    max_size=9,
).map("".join)


@given(st.sampled_from(DocumentSeries), st.one_of(number_like, st.text(max_size=30)))
def test_canonical_number_agrees_with_the_strict_reading(series, text):
    assert canonical_number(text, series) == _strictly_read(text, series)


@given(st.sampled_from(DocumentSeries), codes, days, codes, seqs)
def test_canonical_number_reads_what_format_number_writes(series, center, day, window, seq):
    text = format_number(series, center, day, window, seq)
    assert canonical_number(text, series) == DocumentNumber(series, center, day, window, seq)
    others = [other for other in DocumentSeries if other is not series]
    assert all(canonical_number(text, other) is None for other in others)


def test_canonical_number_refuses_what_is_only_readable():
    assert canonical_number("CH-20261125-03-0007", DocumentSeries.CASE) is not None
    for typed in (
        "ch-20261125-03-0007",
        " CH-20261125-03-0007",
        "CH-20261125-03-007",
        "CH-20261125-03-00007",
        "CH-20261125-03-0000",
        "CH-20261131-03-0007",
        "CH\u201320261125-03-0007",
    ):
        assert canonical_number(typed, DocumentSeries.CASE) is None, typed
    assert canonical_number("GZ-CH-20261125-03-0007", DocumentSeries.CASE) is None
    assert canonical_number("GZ-CH-20261125-03-0007", DocumentSeries.NOTIFICATION).center_code == "CH"


# --- receipts ---------------------------------------------------------------------------


def test_receipt_number():
    assert format_receipt_number("CH03", 2026, 123) == "CH03-2026-000123"
    assert format_receipt_number("ch03", 2026, 1_234_567) == "CH03-2026-1234567"
    assert receipt_sequence_scope("CH03", 2026) == "receipt:CH03:2026"
    assert parse_receipt_number(" ch03-2026-000123 ") == ReceiptNumber("CH03", 2026, 123)
    assert str(ReceiptNumber("CH03", 2026, 123)) == "CH03-2026-000123"
    for bad_year in (26, 20260, True):
        with pytest.raises(ValueError):
            format_receipt_number("CH03", bad_year, 1)
    with pytest.raises(ValueError):
        format_receipt_number("CH03", 2026, 0)


@pytest.mark.parametrize("typed", ["", "CH03", "CH03-26-000123", "CH03-2026-000000", "CH03-2026-12a", "CH03-2026"])
def test_bad_receipt_numbers(typed):
    with pytest.raises(ValidationError) as info:
        parse_receipt_number(typed)
    assert info.value.field == "receipt_number"


@given(codes, st.integers(min_value=1000, max_value=9999), seqs)
def test_receipt_round_trip(workstation, year, seq):
    assert parse_receipt_number(format_receipt_number(workstation, year, seq)) == ReceiptNumber(workstation, year, seq)
