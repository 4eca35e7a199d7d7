"""The sdtapi plug-in through ctypes, against the stand-in library built from C."""

from __future__ import annotations

from datetime import date

import pytest

from tests.devices.standin import PHOTO, build_shared_library
from windowdesk.devices.idcard import CardUnreadable, ReaderError, ReaderSettings, create_reader
from windowdesk.devices.idcard.sdtapi import SdtapiReader, describe_code


def _reader(library, port=1001):
    return create_reader(ReaderSettings(plugin="sdtapi", library_path=str(library), port=port))


def test_the_registry_makes_the_sdtapi_plug_in(standin_library):
    assert isinstance(_reader(standin_library), SdtapiReader)
    with pytest.raises(ReaderError, match="no ID card reader plug-in named"):
        create_reader(ReaderSettings(plugin="nonesuch", library_path=str(standin_library)))


def test_a_card_laid_on_the_reader_is_found_and_read(standin_library, reader_control):
    reader = _reader(standin_library)
    reader.open()
    try:
        assert reader.poll() is False
        reader_control.set("present")
        assert reader.poll() is True
        card = reader.read()
    finally:
        reader.close()
    assert card.name == "王小明"
    assert card.id_number == "110101198001010010"
    assert (card.sex, card.ethnicity, card.birth_date) == ("男", "汉族", date(1980, 1, 1))
    assert card.address == "北京市东城区东华门街道南池子大街1号"
    assert card.issuing_authority == "北京市公安局东城分局"
    assert (card.valid_from, card.valid_until) == (date(2016, 3, 1), date(2036, 3, 1))
    assert card.photo == PHOTO


def test_valid_for_life_and_expired_cards(standin_library, reader_control):
    reader = _reader(standin_library)
    reader.open()
    try:
        reader_control.set("present", until="长期")
        assert reader.poll() and reader.read().valid_until is None
        reader_control.set("expired")
        assert reader.poll()
        assert reader.read().is_expired(date(2026, 12, 7))
    finally:
        reader.close()


def test_the_configured_port_is_the_one_opened(standin_library, reader_control):
    reader_control.set("present", port=1003)
    with pytest.raises(ReaderError, match=r"port 1001 cannot be used.*plugged in"):
        _reader(standin_library, port=1001).open()
    reader = _reader(standin_library, port=1003)
    reader.open()
    assert reader.poll()
    reader.close()


def test_a_port_that_fails_is_said_in_plain_words(standin_library, reader_control):
    reader_control.set("port_fail")
    with pytest.raises(ReaderError) as raised:
        _reader(standin_library).open()
    assert "port 1001" in raised.value.message and "0x01" in raised.value.message
    reader_control.set("present")
    reader = _reader(standin_library)
    reader.open()
    reader_control.set("port_fail")  # unplugged while open
    with pytest.raises(ReaderError, match="stopped working"):
        reader.poll()
    reader.close()


def test_a_card_that_cannot_be_read_is_not_a_reader_failure(standin_library, reader_control):
    reader = _reader(standin_library)
    reader.open()
    try:
        reader_control.set("unreadable")
        assert reader.poll()
        with pytest.raises(CardUnreadable, match="lay it on the reader again"):
            reader.read()
    finally:
        reader.close()


def test_a_missing_or_foreign_library_is_said_in_plain_words(tmp_path):
    with pytest.raises(ReaderError, match="is not there"):
        _reader(tmp_path / "libsdtapi.so").open()
    not_a_library = tmp_path / "notes.txt"
    not_a_library.write_text("hello")
    with pytest.raises(ReaderError, match="could not be loaded"):
        _reader(not_a_library).open()
    # A real shared library, but another one (a printer driver's, say).
    other = tmp_path / "other.c"
    other.write_text("int something_else(void) { return 1; }\n")
    build_shared_library(other, tmp_path / "libother.so")
    with pytest.raises(ReaderError, match="not an ID card reader library: it lacks SDT_OpenPort"):
        _reader(tmp_path / "libother.so").open()


def test_return_codes_are_named():
    assert "not a resident ID card" in describe_code(0x40)
    assert "0x66" in describe_code(0x66) and "not authorised" in describe_code(0x66)
    assert "unknown error" in describe_code(0x77)
