"""Polling turned into events, on the stand-in reader through ctypes."""

from __future__ import annotations

from windowdesk.devices.idcard import ReaderSettings, create_reader
from windowdesk.devices.idcard.watch import (
    MISSES_BEFORE_GONE,
    CardArrived,
    CardLeft,
    CardProblem,
    CardWatch,
    ReaderBack,
    ReaderDown,
)


def _watch(library) -> CardWatch:
    settings = ReaderSettings(plugin="sdtapi", library_path=str(library), port=1001)
    return CardWatch(lambda: create_reader(settings))


def _kinds(events) -> list[str]:
    return [type(event).__name__ for event in events]


def test_a_card_arrives_once_until_it_is_taken_away(standin_library, reader_control):
    watch = _watch(standin_library)
    try:
        assert watch.step() == []
        reader_control.set("present")
        events = watch.step()
        assert _kinds(events) == ["CardArrived"]
        assert events[0].card.id_number == "110101198001010010"
        # Left lying there: nothing more, however often the reader is asked.
        assert [watch.step() for _ in range(5)] == [[]] * 5
        # One missed poll is not a card taken away (readers miss a card right after reading it).
        reader_control.set("absent")
        assert watch.step() == []
        reader_control.set("present")
        assert watch.step() == []
        reader_control.set("absent")
        events = [e for _ in range(MISSES_BEFORE_GONE) for e in watch.step()]
        assert events == [CardLeft()]
        reader_control.set("present")
        assert _kinds(watch.step()) == ["CardArrived"]  # laid again: read again
    finally:
        watch.close()


def test_another_card_laid_in_its_place_arrives(standin_library, reader_control):
    watch = _watch(standin_library)
    try:
        reader_control.set("present")
        assert _kinds(watch.step()) == ["CardArrived"]
        reader_control.set("present", name="李娜", id="110101195612010024", birth="19561201", sex="2")
        events = watch.step()
        assert _kinds(events) == ["CardArrived"] and events[0].card.name == "李娜"
    finally:
        watch.close()


def test_a_failing_reader_is_told_once_and_its_return_once(standin_library, reader_control):
    watch = _watch(standin_library)
    try:
        reader_control.set("port_fail")
        events = watch.step()
        assert _kinds(events) == ["ReaderDown"] and "port 1001" in events[0].message
        assert [watch.step() for _ in range(4)] == [[]] * 4  # it keeps trying, quietly
        reader_control.set("present")
        events = watch.step()
        assert _kinds(events) == ["ReaderBack", "CardArrived"]
        reader_control.set("port_fail")  # unplugged while a card lies there
        assert _kinds(watch.step()) == ["ReaderDown"]
        reader_control.set("present")
        assert _kinds(watch.step()) == ["ReaderBack", "CardArrived"]
    finally:
        watch.close()


def test_a_card_that_cannot_be_read_is_told_once(standin_library, reader_control):
    watch = _watch(standin_library)
    try:
        reader_control.set("unreadable")
        events = watch.step()
        assert _kinds(events) == ["CardProblem"] and "lay it on the reader again" in events[0].message
        assert watch.step() == [] and watch.step() == []
        reader_control.set("present")
        assert _kinds(watch.step()) == ["CardArrived"]
    finally:
        watch.close()


def test_a_missing_library_is_a_reader_down(tmp_path):
    watch = _watch(tmp_path / "libsdtapi.so")
    events = watch.step()
    assert isinstance(events[0], ReaderDown) and "is not there" in events[0].message
    assert watch.step() == []
    assert not any(isinstance(e, (CardArrived, CardProblem, ReaderBack)) for e in watch.step())
