"""The rules' per-event checks, made cheaper (h29-hubread), refuse and accept what they did:
a required field missing, null or empty; a required text that is blank (any Unicode
space, as str.strip() saw it); a case's source that is not one of the words, whatever
JSON type it is; a time in UTC, in another zone, naive, or beyond what UTC can hold."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from windowdesk.domain.case_sources import CaseSource
from windowdesk.hub.services.application_rules import case_source
from windowdesk.hub.services.push_rules import IncomingEvent, PayloadReader, Rejected, utc_instant
from windowdesk.i18n import set_locale
from windowdesk.sync.protocol import EVENT_REQUIRED_FIELDS, EventKind

NOW = dt.datetime(2026, 12, 8, 1, 0, tzinfo=dt.UTC)
CASE_ID = "01a2530c-a428-7238-b460-583a7429ee73"
COMPLETE = dict.fromkeys(EVENT_REQUIRED_FIELDS[EventKind.CASE_ACCEPTED], "x")


@pytest.fixture(autouse=True)
def _english() -> None:
    set_locale("en")


def _reader(payload: dict[str, Any]) -> PayloadReader:
    event = IncomingEvent(
        event_id=CASE_ID,
        seq=1,
        entity="case",
        entity_id=CASE_ID,
        kind=EventKind.CASE_ACCEPTED,
        payload=payload,
        created_at=NOW,
    )
    return PayloadReader(event)


@pytest.mark.parametrize("value", [None, "", "MISSING"])
def test_a_required_field_missing_null_or_empty_is_named(value: object) -> None:
    payload = {**COMPLETE, "window": value, "item": value}
    if value == "MISSING":
        del payload["window"], payload["item"]
    with pytest.raises(Rejected) as refused:
        _reader(payload)
    assert str(refused.value) == "The case.accepted event is missing: window, item."


@pytest.mark.parametrize("value", [0, False, [], {}, " ", "\u3000"])
def test_a_required_field_present_but_not_empty_text_is_not_missing(value: object) -> None:
    _reader({**COMPLETE, "note": value, "window": value})  # its own check words it


@pytest.mark.parametrize("blank", [" ", "\t\n", "\u3000", "\u00a0\u2003", "\x1c"])
def test_a_blank_required_text_is_refused_and_an_optional_one_kept(blank: str) -> None:
    assert not blank.strip()  # what the check said before
    read = _reader({**COMPLETE, "name": blank})
    with pytest.raises(Rejected, match="field 'name' must be text"):
        read.text("name", 60)
    assert read.text("name", 60, required=False) == blank


@pytest.mark.parametrize("text", ["a", " a ", "\u3000王\u3000", "x" * 60])
def test_a_text_with_something_in_it_is_kept_as_sent(text: str) -> None:
    assert _reader({**COMPLETE, "name": text}).text("name", 60) == text


@pytest.mark.parametrize(
    ("sent", "source"),
    [("MISSING", CaseSource.WINDOW), ("window", CaseSource.WINDOW), ("online", CaseSource.ONLINE)],
)
def test_a_case_s_source_is_read_as_its_word(sent: object, source: CaseSource) -> None:
    payload = dict(COMPLETE) if sent == "MISSING" else {**COMPLETE, "source": sent}
    found, completes = case_source(_reader(payload), "CH", NOW)
    assert found is source and completes is None


@pytest.mark.parametrize("sent", [None, "", "Online", "web", 1, True, ["online"], {"online": 1}])
def test_any_other_source_is_refused_whatever_its_type(sent: object) -> None:
    with pytest.raises(Rejected) as refused:
        case_source(_reader({**COMPLETE, "source": sent}), "CH", NOW)
    assert str(refused.value) == "The case.accepted event's source must be window or online."


@pytest.mark.parametrize(
    ("sent", "expected"),
    [
        ("2026-12-08T00:27:46.914067+00:00", dt.datetime(2026, 12, 8, 0, 27, 46, 914067, tzinfo=dt.UTC)),
        ("2026-12-08T00:27:46Z", dt.datetime(2026, 12, 8, 0, 27, 46, tzinfo=dt.UTC)),
        ("2026-12-08T08:27:46+08:00", dt.datetime(2026, 12, 8, 0, 27, 46, tzinfo=dt.UTC)),
        ("2026-12-08T00:27:46", dt.datetime(2026, 12, 8, 0, 27, 46, tzinfo=dt.UTC)),
        ("0001-01-01T00:00:00+14:00", None),
    ],
)
def test_a_time_is_taken_in_utc(sent: str, expected: dt.datetime | None) -> None:
    found = utc_instant(dt.datetime.fromisoformat(sent))
    assert found == expected
    if found is not None:
        assert found.tzinfo is dt.UTC
