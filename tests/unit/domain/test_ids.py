from __future__ import annotations

import contextlib
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from windowdesk.domain.ids import (
    PROVINCE_CODES,
    USCC_ALPHABET,
    OrganisationCode,
    ResidentId,
    mask_id_number,
    mask_id_numbers_in,
    parse_resident_id,
    parse_uscc,
    resident_id_check_char,
    uscc_check_char,
)
from windowdesk.errors import ValidationError

TODAY = date(2026, 11, 25)
# The example from GB 11643-1999 itself.
STANDARD_EXAMPLE = "11010519491231002X"

REGIONS = [
    "110105",  # Beijing Chaoyang
    "310115",  # Shanghai Pudong
    "440305",  # Shenzhen Nanshan
    "510107",  # Chengdu Wuhou
    "650102",  # Urumqi Tianshan
    "130102",
    "230103",
    "370202",
    "460105",
    "540102",
    "710101",
    "810001",
    "820001",
]


def make_id(region: str, birth: date, seq: int) -> str:
    first17 = f"{region}{birth:%Y%m%d}{seq:03d}"
    return first17 + resident_id_check_char(first17)


valid_ids = st.builds(
    make_id,
    st.sampled_from(REGIONS),
    st.dates(min_value=date(1900, 1, 1), max_value=TODAY),
    st.integers(min_value=0, max_value=999),
)


def error_of(text: str, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as info:
        parse_resident_id(text, today=kwargs.pop("today", TODAY), **kwargs)
    assert info.value.field == "id_number"
    return info.value


# --- resident ID: known numbers ------------------------------------------------------


def test_standard_example_parses():
    rid = parse_resident_id(STANDARD_EXAMPLE, today=TODAY)
    assert rid == ResidentId(
        number="11010519491231002X", region_code="110105", birth_date=date(1949, 12, 31), gender="female"
    )
    assert rid.masked == "110105********002X"


def test_check_char_of_standard_example():
    assert resident_id_check_char("11010519491231002") == "X"


@pytest.mark.parametrize(
    "typed",
    [
        "11010519491231002x",
        "  11010519491231002X \n",
        "110105 19491231 002X",
        "１１０１０５１９４９１２３１００２Ｘ",
        "１１０１０５\u3000１９４９１２３１\u3000００２ｘ",
    ],
)
def test_tolerant_input(typed):
    assert parse_resident_id(typed, today=TODAY).number == STANDARD_EXAMPLE


def test_gender_from_17th_digit():
    assert parse_resident_id(make_id("110105", date(1980, 5, 6), 1), today=TODAY).gender == "male"
    assert parse_resident_id(make_id("110105", date(1980, 5, 6), 2), today=TODAY).gender == "female"
    assert parse_resident_id(make_id("110105", date(1980, 5, 6), 999), today=TODAY).gender == "male"
    assert parse_resident_id(make_id("110105", date(1980, 5, 6), 0), today=TODAY).gender == "female"


def test_age_on():
    rid = parse_resident_id(make_id("110105", date(1966, 11, 26), 11), today=TODAY)
    assert rid.age_on(date(2026, 11, 25)) == 59
    assert rid.age_on(date(2026, 11, 26)) == 60
    leap = parse_resident_id(make_id("110105", date(1964, 2, 29), 11), today=TODAY)
    assert leap.age_on(date(2024, 2, 28)) == 59
    assert leap.age_on(date(2024, 2, 29)) == 60
    assert leap.age_on(date(2025, 2, 28)) == 60
    assert leap.age_on(date(2025, 3, 1)) == 61


def test_today_defaults_to_the_real_today():
    assert parse_resident_id(STANDARD_EXAMPLE).birth_date == date(1949, 12, 31)


# --- resident ID: errors ---------------------------------------------------------------


@pytest.mark.parametrize("typed", ["", "   ", "\u3000"])
def test_empty(typed):
    assert "enter the ID number" in error_of(typed).message


def test_none_is_treated_as_empty():
    assert "enter the ID number" in error_of(None).message  # type: ignore[arg-type]


@pytest.mark.parametrize("count", [1, 10, 17, 19, 20])
def test_wrong_length_says_how_many(count):
    text = (STANDARD_EXAMPLE * 2)[:count]
    message = error_of(text).message
    assert "18 characters" in message
    assert f"has {count}" in message


def test_old_fifteen_digit_number_is_explained():
    message = error_of("110105491231002").message
    assert "has 15" in message
    assert "15-digit" in message


def test_letter_in_the_first_17():
    message = error_of("1101051949123I002X").message
    assert "Character 14" in message
    assert "\u201cI\u201d" in message


def test_x_in_the_middle_is_refused():
    assert "Character 6" in error_of("11010X19491231002X").message


def test_bad_last_char():
    message = error_of("11010519491231002Y").message
    assert "last character" in message
    assert "\u201cY\u201d" in message


@pytest.mark.parametrize(
    "region",
    [
        "000000",
        "100000",
        "160000",
        "190101",
        "240101",
        "380101",
        "470101",
        "550101",
        "660101",
        "700101",
        "720101",
        "800101",
        "830101",
        "990101",
        "110000",
        "440000",
    ],
)
def test_implausible_region(region):
    first17 = f"{region}19800101001"
    message = error_of(first17 + resident_id_check_char(first17)).message
    assert region in message
    assert "place" in message


@pytest.mark.parametrize("province", sorted(PROVINCE_CODES))
def test_every_province_accepted(province):
    parse_resident_id(make_id(province + "0101", date(1980, 1, 1), 123), today=TODAY)


def test_province_list_is_exactly_the_official_one():
    expected = {
        "11",
        "12",
        "13",
        "14",
        "15",
        "21",
        "22",
        "23",
        "31",
        "32",
        "33",
        "34",
        "35",
        "36",
        "37",
        "41",
        "42",
        "43",
        "44",
        "45",
        "46",
        "50",
        "51",
        "52",
        "53",
        "54",
        "61",
        "62",
        "63",
        "64",
        "65",
        "71",
        "81",
        "82",
    }
    assert expected == PROVINCE_CODES


@pytest.mark.parametrize("birth", ["19990231", "19990229", "20000230", "19801301", "19800001", "19800132", "00000000"])
def test_impossible_birth_date(birth):
    first17 = f"110105{birth}001"
    message = error_of(first17 + resident_id_check_char(first17)).message
    assert birth in message
    assert "not a real date" in message


def test_leap_day_birth_is_fine():
    assert parse_resident_id(make_id("110105", date(2000, 2, 29), 1), today=TODAY).birth_date == date(2000, 2, 29)


def test_birth_in_the_future():
    number = make_id("110105", TODAY + timedelta(days=1), 1)
    assert "future" in error_of(number).message
    # born today is fine
    parse_resident_id(make_id("110105", TODAY, 1), today=TODAY)


def test_birth_before_1900():
    assert "1900" in error_of(make_id("110105", date(1899, 12, 31), 1)).message
    parse_resident_id(make_id("110105", date(1900, 1, 1), 1), today=TODAY)


def test_wrong_check_char_in_plain_words():
    message = error_of("110105194912310021").message
    assert message == ("The last character of this ID number does not match the rest; please check each digit again.")


def test_error_has_a_title():
    err = error_of("123")
    assert err.title
    assert str(err).startswith(err.title)


def test_check_char_rejects_bad_input():
    for bad in ["", "1234", "1101051949123100", "110105194912310021", "1101051949123100X"]:
        with pytest.raises(ValueError):
            resident_id_check_char(bad)


# --- resident ID: properties -------------------------------------------------------------


@given(valid_ids)
def test_generated_ids_parse_and_round_trip(number):
    rid = parse_resident_id(number, today=TODAY)
    assert rid.number == number
    assert rid.region_code == number[:6]
    assert f"{rid.birth_date:%Y%m%d}" == number[6:14]
    assert rid.gender == ("male" if int(number[16]) % 2 else "female")
    assert parse_resident_id(rid.number, today=TODAY) == rid
    assert parse_resident_id(number.lower(), today=TODAY) == rid
    assert rid.masked == number[:6] + "********" + number[14:]


@given(valid_ids, st.integers(min_value=0, max_value=17), st.data())
def test_any_single_character_change_is_caught(number, position, data):
    choices = "0123456789X" if position == 17 else "0123456789"
    replacement = data.draw(st.sampled_from([c for c in choices if c != number[position]]))
    typo = number[:position] + replacement + number[position + 1 :]
    with pytest.raises(ValidationError):
        parse_resident_id(typo, today=TODAY)


@given(valid_ids, st.integers(min_value=0, max_value=16))
def test_swapping_different_neighbours_is_caught(number, position):
    a, b = number[position], number[position + 1]
    if a == b:
        return
    swapped = number[:position] + b + a + number[position + 2 :]
    with pytest.raises(ValidationError):
        parse_resident_id(swapped, today=TODAY)


@given(st.text(max_size=30))
def test_parse_only_ever_raises_validation_error(text):
    # Any other exception (or a crash) fails the test.
    with contextlib.suppress(ValidationError):
        parse_resident_id(text, today=TODAY)


# --- masking -------------------------------------------------------------------------------


def test_mask_examples():
    assert mask_id_number(STANDARD_EXAMPLE) == "110105********002X"
    assert mask_id_number("11010519491231002x") == "110105********002X"
    assert mask_id_number("110105 19491231 002X") == "110105********002X"
    assert mask_id_number("") == ""
    assert mask_id_number(None) == ""  # type: ignore[arg-type]
    assert mask_id_number("12345") == "*****"
    assert mask_id_number("110105491231002") == "*" * 15
    assert mask_id_number("11010519491231002Y") == "*" * 18
    assert mask_id_number("ABCDEFGHIJKLMNOPQR") == "*" * 18


def test_id_numbers_inside_text_are_masked_and_other_numbers_left_alone():
    note = f"申请人{STANDARD_EXAMPLE}已告知；办件 CH-20261205-01-0002，电话 13800138000，流水号 1101051949123100299"
    assert mask_id_numbers_in(note) == (
        "申请人110105********002X已告知；办件 CH-20261205-01-0002，电话 13800138000，流水号 1101051949123100299"
    )
    assert mask_id_numbers_in("11010519491231002x 与 110101199003074514") == "110105********002X 与 110101********4514"


@given(st.text(max_size=40))
def test_mask_never_raises_and_never_shows_odd_input(text):
    masked = mask_id_number(text)
    assert isinstance(masked, str)
    if len(masked) != 18 or masked[6:14] != "********":
        assert set(masked) <= {"*"}


@given(valid_ids)
def test_mask_hides_the_birth_date_and_keeps_length(number):
    masked = mask_id_number(number)
    assert len(masked) == 18
    assert masked[:6] == number[:6] and masked[-4:] == number[-4:]
    assert masked[6:14] == "*" * 8


# --- unified social credit code ------------------------------------------------------------

# Published codes of real companies.
REAL_USCC = ["91350100M000100Y43", "9144030071526726XG", "91110000802100433B"]


@pytest.mark.parametrize("code", REAL_USCC)
def test_real_uscc_parse(code):
    org = parse_uscc(code)
    assert org.code == code
    assert org.region_code == code[2:8]
    assert uscc_check_char(code[:17]) == code[17]


def test_uscc_parts():
    assert parse_uscc("91350100M000100Y43") == OrganisationCode(
        code="91350100M000100Y43",
        registration_authority="9",
        organisation_type="1",
        region_code="350100",
        organisation_id="M000100Y4",
        check_char="3",
    )


def test_uscc_tolerant_input():
    assert parse_uscc(" 9144 0300 7152 6726 xg ").code == "9144030071526726XG"
    assert parse_uscc("９１４４０３００７１５２６７２６ＸＧ").code == "9144030071526726XG"


def uscc_error(text):
    with pytest.raises(ValidationError) as info:
        parse_uscc(text)
    assert info.value.field == "credit_code"
    return info.value.message


def test_uscc_errors():
    assert "enter" in uscc_error("  ")
    assert "has 17" in uscc_error("91350100M000100Y4")
    assert "\u201cI\u201d" in uscc_error("91350100MI00100Y43")
    assert "\u201cO\u201d" in uscc_error("9135O100M000100Y43")
    assert "area code" in uscc_error("91A50100M000100Y43"[:17] + uscc_check_char("91A50100M000100Y4"))
    assert "does not match" in uscc_error("91350100M000100Y44")


def test_uscc_check_char_rejects_bad_input():
    with pytest.raises(ValueError):
        uscc_check_char("9135")
    with pytest.raises(ValueError):
        uscc_check_char("91350100MI00100Y4")


valid_uscc_bodies = st.builds(
    lambda head, region, body: head + region + body,
    st.text(alphabet=USCC_ALPHABET, min_size=2, max_size=2),
    st.sampled_from(REGIONS),
    st.text(alphabet=USCC_ALPHABET, min_size=9, max_size=9),
)
valid_usccs = valid_uscc_bodies.map(lambda first17: first17 + uscc_check_char(first17))


@given(valid_usccs)
def test_generated_uscc_round_trip(code):
    org = parse_uscc(code)
    assert org.code == code
    assert parse_uscc(code.lower()) == org
    assert (
        org.registration_authority + org.organisation_type + org.region_code + org.organisation_id + org.check_char
        == code
    )


@given(valid_usccs, st.integers(min_value=0, max_value=17), st.data())
def test_uscc_single_character_change_is_caught(code, position, data):
    replacement = data.draw(st.sampled_from([c for c in USCC_ALPHABET if c != code[position]]))
    typo = code[:position] + replacement + code[position + 1 :]
    with pytest.raises(ValidationError):
        parse_uscc(typo)


@given(st.text(max_size=30))
def test_parse_uscc_only_ever_raises_validation_error(text):
    # Any other exception (or a crash) fails the test.
    with contextlib.suppress(ValidationError):
        parse_uscc(text)
