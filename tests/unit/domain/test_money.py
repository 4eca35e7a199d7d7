from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from windowdesk.domain.money import MAX_FEN, amount_in_capitals, format_yuan, parse_yuan
from windowdesk.errors import ValidationError

# --- format_yuan ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fen", "text"),
    [
        (0, "0.00"),
        (1, "0.01"),
        (10, "0.10"),
        (12050, "120.50"),
        (12000, "120.00"),
        (123456789, "1234567.89"),
        (-1, "-0.01"),
        (-12050, "-120.50"),
    ],
)
def test_format_yuan(fen, text):
    assert format_yuan(fen) == text


def test_format_yuan_grouping():
    assert format_yuan(123456789, grouping=True) == "1,234,567.89"
    assert format_yuan(-100000, grouping=True) == "-1,000.00"


@pytest.mark.parametrize("bad", [1.5, "100", None, True])
def test_format_yuan_refuses_non_int(bad):
    with pytest.raises(TypeError):
        format_yuan(bad)


# --- parse_yuan ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "fen"),
    [
        ("120", 12000),
        ("120.5", 12050),
        ("120.50", 12050),
        ("¥1,234.00", 123400),
        ("￥1,234.00", 123400),
        ("¥ 8", 800),
        ("8元", 800),
        ("  0.01 ", 1),
        ("0", 0),
        ("0.0", 0),
        ("007", 700),
        ("1,234,567.89", 123456789),
        ("１２０．５０", 12050),
        ("999999999999.99", MAX_FEN),
        ("-0", 0),
    ],
)
def test_parse_yuan(text, fen):
    assert parse_yuan(text) == fen


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "abc",
        "12a",
        "1.234",
        "0.001",
        "1.2.3",
        "1,23",
        "12,34.00",
        ",123",
        "1,234,",
        ".5",
        "5.",
        "¥",
        "元",
        "--5",
        "+5",
        "1e3",
        "1_000",
        "NaN",
        "inf",
        "١٢٣",
        "1000000000000.00",
        "¥¥5",
        "5 5",
    ],
)
def test_parse_yuan_refuses(text):
    with pytest.raises(ValidationError) as info:
        parse_yuan(text)
    assert info.value.field == "amount"
    assert info.value.message


def test_parse_yuan_messages():
    with pytest.raises(ValidationError, match="two digits"):
        parse_yuan("1.234")
    with pytest.raises(ValidationError, match="enter the amount"):
        parse_yuan(" ")
    with pytest.raises(ValidationError, match="negative"):
        parse_yuan("-5")


def test_parse_negative_when_allowed():
    assert parse_yuan("-120.50", allow_negative=True) == -12050
    assert parse_yuan("-¥1,234.00", allow_negative=True) == -123400


@given(st.integers(min_value=-MAX_FEN, max_value=MAX_FEN), st.booleans())
def test_format_parse_round_trip(fen, grouping):
    assert parse_yuan(format_yuan(fen, grouping=grouping), allow_negative=True) == fen
    if fen >= 0:
        assert parse_yuan("¥" + format_yuan(fen, grouping=grouping)) == fen


@given(st.text(max_size=20))
def test_parse_only_ever_raises_validation_error(text):
    try:
        fen = parse_yuan(text)
    except ValidationError:
        return
    assert 0 <= fen <= MAX_FEN


# --- amount_in_capitals -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fen", "words"),
    [
        (0, "零元整"),
        (12000, "壹佰贰拾元整"),
        (3050, "叁拾元伍角"),
        (3005, "叁拾元零伍分"),
        (5, "伍分"),
        (50, "伍角"),
        (55, "伍角伍分"),
        (100, "壹元整"),
        (1000, "壹拾元整"),
        (1010, "壹拾元壹角"),  # see the module docstring: no 零 between 元 and 角, like 叁拾元伍角
        (1001, "壹拾元零壹分"),
        (1011, "壹拾元壹角壹分"),
        (10000000, "壹拾万元整"),
        (1000000000000, "壹佰亿元整"),
        (100010000, "壹佰万零壹佰元整"),
        (100000100, "壹佰万零壹元整"),
        (168032, "壹仟陆佰捌拾元叁角贰分"),
        (1640902, "壹万陆仟肆佰零玖元零贰分"),
        (32500000, "叁拾贰万伍仟元整"),
        (100100, "壹仟零壹元整"),
        (1000100, "壹万零壹元整"),
        (1001000, "壹万零壹拾元整"),
        (10000000000, "壹亿元整"),
        (10000000100, "壹亿零壹元整"),
        (10010000000, "壹亿零壹拾万元整"),
        (11000000000, "壹亿壹仟万元整"),
        (1000100000, "壹仟万壹仟元整"),
        (MAX_FEN, "玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"),
    ],
)
def test_amount_in_capitals(fen, words):
    assert amount_in_capitals(fen) == words


def test_capitals_refuses():
    with pytest.raises(ValueError):
        amount_in_capitals(-1)
    with pytest.raises(ValueError):
        amount_in_capitals(MAX_FEN + 1)
    with pytest.raises(TypeError):
        amount_in_capitals(1.0)  # type: ignore[arg-type]


_DIGIT = {ch: i for i, ch in enumerate("零壹贰叁肆伍陆柒捌玖")}
_PLACE = {"拾": 10, "佰": 100, "仟": 1000}


def read_capitals(words: str) -> int:
    """An independent reader of capitals back to fen (the test's own inverse)."""
    total = section = number = 0
    yuan = jiao = fen = 0
    for ch in words:
        if ch in _DIGIT:
            number = _DIGIT[ch]
        elif ch in _PLACE:
            section += number * _PLACE[ch]
            number = 0
        elif ch == "万":
            total += (section + number) * 10_000
            section = number = 0
        elif ch == "亿":
            total = (total + section + number) * 100_000_000
            section = number = 0
        elif ch == "元":
            yuan = total + section + number
            total = section = number = 0
        elif ch == "角":
            jiao, number = number, 0
        elif ch == "分":
            fen, number = number, 0
        elif ch == "整":
            continue  # "whole": closes the amount, adds nothing
        else:
            raise AssertionError(f"unexpected {ch!r} in {words}")
    return yuan * 100 + jiao * 10 + fen


amounts = st.one_of(
    st.integers(min_value=0, max_value=10**12),
    st.integers(min_value=0, max_value=MAX_FEN),
    # amounts full of zeros, where the rules are hardest
    st.lists(st.sampled_from([0, 0, 0, 1, 5, 9]), min_size=1, max_size=14).map(
        lambda digits: int("".join(map(str, digits)))
    ),
)


@given(amounts)
def test_capitals_read_back_to_the_amount(fen):
    words = amount_in_capitals(fen)
    assert read_capitals(words) == fen


@given(amounts)
def test_capitals_shape(fen):
    words = amount_in_capitals(fen)
    assert "零零" not in words
    assert not words.endswith("零")
    assert words.startswith("零") == (fen == 0)
    assert words.endswith(("整", "角", "分"))
    assert words.endswith("整") == (fen % 100 == 0)
    assert "万亿" not in words and "亿万" not in words
    if fen >= 100:
        assert "元" in words
    if 10_00 <= fen % 100_000 < 20_00:  # ten-something yuan: 壹拾 written out
        assert "壹拾" in words


@given(amounts, amounts)
def test_different_amounts_give_different_words(a, b):
    if a != b:
        assert amount_in_capitals(a) != amount_in_capitals(b)
