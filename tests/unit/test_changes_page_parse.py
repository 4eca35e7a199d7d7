"""The window's reading of a /changes reply: the usual entries taken at once, anything
else refused with the field it lacks or gets wrong, as the field-by-field checks say."""

from __future__ import annotations

import pytest

from windowdesk.sync import protocol


def _entry(seq: object = 2, **fields: object) -> dict:
    return {"seq": seq, "kind": "case.note", "entity": "case", "entity_id": "c1", "payload": {"note": "x"}, **fields}


def _page(*entries: object, next_cursor: int = 2) -> dict:
    return {"changes": list(entries), "next_cursor": next_cursor, "has_more": False}


def test_a_usual_page_is_read_into_its_changes() -> None:
    page = protocol.parse_changes_page(_page(_entry(1), _entry(2, kind="case.decision")), 0)
    assert page.changes == (
        protocol.Change(1, "case.note", "case", "c1", {"note": "x"}),
        protocol.Change(2, "case.decision", "case", "c1", {"note": "x"}),
    )
    assert (page.next_cursor, page.has_more) == (2, False)


@pytest.mark.parametrize(
    ("entry", "words"),
    [
        ({k: v for k, v in _entry().items() if k != "payload"}, "missing field 'payload'"),
        ({k: v for k, v in _entry().items() if k != "seq"}, "missing field 'seq'"),
        (_entry(seq=1, kind=7), "increasing order"),  # the order is checked before the other fields
        (_entry(seq=True), "field 'seq' has the wrong type"),
        (_entry(seq="1"), "field 'seq' has the wrong type"),
        (_entry(kind=7), "field 'kind' has the wrong type"),
        (_entry(entity=None), "field 'entity' has the wrong type"),
        (_entry(entity_id=3), "field 'entity_id' has the wrong type"),
        (_entry(payload=["note"]), "field 'payload' has the wrong type"),
        (["seq", 1], "missing field 'seq'"),
        ("seq", "missing field 'seq'"),
        (None, "missing field 'seq'"),
    ],
)
def test_an_entry_that_is_not_a_change_is_refused_naming_its_field(entry: object, words: str) -> None:
    with pytest.raises(protocol.ProtocolError, match=words):
        protocol.parse_changes_page(_page(_entry(1), entry), 0)


def test_changes_out_of_order_are_refused() -> None:
    with pytest.raises(protocol.ProtocolError, match="increasing order"):
        protocol.parse_changes_page(_page(_entry(2), _entry(2)), 0)
    with pytest.raises(protocol.ProtocolError, match="increasing order"):
        protocol.parse_changes_page(_page(_entry(3)), 3)
