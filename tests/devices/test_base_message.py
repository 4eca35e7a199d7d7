"""Decoding the card's 256-byte base message (pure; no reader)."""

from __future__ import annotations

from datetime import date

import pytest

from windowdesk.devices.idcard.base_message import BASE_MESSAGE_SIZE, LAYOUT, decode_base_message
from windowdesk.devices.idcard.codes import ETHNICITY_NAMES
from windowdesk.devices.idcard.reader import CardUnreadable


def _message(**overrides: str) -> bytes:
    """A base message laid out field by field as a card stores it."""
    fields = {
        "name": "李娜",
        "sex": "2",
        "ethnicity": "03",
        "birth": "19561201",
        "address": "北京市东城区东华门街道1号",
        "id_number": "110101195612010024",
        "authority": "北京市公安局东城分局",
        "valid_from": "20100801",
        "valid_until": "长期",
        "reserved": "",
        **overrides,
    }
    out = b""
    for name, size in LAYOUT:
        encoded = fields[name].encode("utf-16-le")
        out += encoded + " ".encode("utf-16-le") * ((size - len(encoded)) // 2)
    return out


def test_the_layout_is_the_cards_256_bytes():
    assert sum(size for _name, size in LAYOUT) == BASE_MESSAGE_SIZE == 256
    assert [name for name, _size in LAYOUT][:3] == ["name", "sex", "ethnicity"]


def test_every_field_is_read_and_the_codes_are_named():
    card = decode_base_message(_message(), b"\x01\x02photo")
    assert card.name == "李娜"
    assert (card.sex_code, card.sex, card.gender) == ("2", "女", "female")
    assert (card.ethnicity_code, card.ethnicity) == ("03", "回族")
    assert card.birth_date == date(1956, 12, 1)
    assert card.address == "北京市东城区东华门街道1号"
    assert card.id_number == "110101195612010024"
    assert card.issuing_authority == "北京市公安局东城分局"
    assert card.valid_from == date(2010, 8, 1)
    assert card.valid_until is None  # 长期
    assert card.photo == b"\x01\x02photo"


def test_a_card_with_an_end_date_expires_after_its_last_day():
    card = decode_base_message(_message(valid_from="20100801", valid_until="20300801"))
    assert card.valid_until == date(2030, 8, 1)
    assert not card.is_expired(date(2030, 8, 1))
    assert card.is_expired(date(2030, 8, 2))
    assert not decode_base_message(_message()).is_expired(date(2099, 1, 1))  # 长期 never expires


def test_all_56_ethnic_groups_and_the_two_other_codes_are_known():
    groups = [code for code in ETHNICITY_NAMES if int(code) <= 56]
    assert groups == [f"{n:02d}" for n in range(1, 57)]
    assert ETHNICITY_NAMES["01"] == "汉族" and ETHNICITY_NAMES["56"] == "基诺族"
    assert set(ETHNICITY_NAMES) - set(groups) == {"97", "98"}
    assert decode_base_message(_message(ethnicity="56")).ethnicity == "基诺族"


def test_the_x_check_character_is_kept_as_a_capital():
    # 11010119800101003X: born 1980-01-01, sequence 003 (male)
    from windowdesk.domain.ids import resident_id_check_char

    number = "11010119800101003" + resident_id_check_char("11010119800101003")
    card = decode_base_message(_message(id_number=number.lower(), birth="19800101", sex="1"))
    assert card.id_number == number.upper()


@pytest.mark.parametrize(
    "overrides",
    [
        {"id_number": "110101195612010025"},  # check character wrong
        {"birth": "19561202"},  # disagrees with the ID number
        {"sex": "1"},  # disagrees with the ID number
        {"sex": "5"},  # no such code
        {"ethnicity": "77"},  # no such code
        {"valid_from": "2010080"},  # not a date
        {"valid_until": "20301399"},  # not a date
        {"name": ""},
    ],
)
def test_a_garbled_message_is_refused_in_plain_words(overrides):
    with pytest.raises(CardUnreadable) as raised:
        decode_base_message(_message(**overrides))
    assert "lay" in raised.value.message and "reader again" in raised.value.message


def test_a_short_message_is_refused():
    with pytest.raises(CardUnreadable, match="only in part"):
        decode_base_message(_message()[:200])


def test_the_cards_repr_shows_no_personal_data():
    card = decode_base_message(_message())
    assert "110101195612010024" not in repr(card) and "李娜" not in repr(card)
    assert card.masked_id_number == "110101********0024"
