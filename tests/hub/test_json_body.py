"""The hub's JSON body parser gives what json.loads gives, faster, and falls back to it."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from windowdesk.hub.api.json_body import parse_json

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(), inner, max_size=5),
    max_leaves=30,
)


@given(JSON_VALUES, st.booleans())
def test_it_reads_what_json_loads_reads(value: object, ascii_only: bool) -> None:
    body = json.dumps(value, ensure_ascii=ascii_only).encode()
    assert parse_json(body) == json.loads(body)


@pytest.mark.parametrize(
    ("body", "check"),
    [
        # A lone surrogate: refused by pydantic's parser, read by the fallback, so the
        # event carrying it can be rejected on its own.
        (b'{"address": "\\ud83d"}', lambda value: value == {"address": "\ud83d"}),
        (b'{"n": NaN, "big": 1e400}', lambda value: math.isnan(value["n"]) and value["big"] == math.inf),
        ('{"名": "居民"}'.encode("utf-16"), lambda value: value == {"名": "居民"}),
    ],
)
def test_texts_only_json_loads_reads_are_read_by_the_fallback(body: bytes, check) -> None:
    assert check(parse_json(body))


@pytest.mark.parametrize("body", [b"{", b"", b"[1, 2] x", b"\xff\xfe\x00", b'{"a": }'])
def test_a_body_no_parser_reads_is_a_json_decode_error(body: bytes) -> None:
    with pytest.raises(json.JSONDecodeError):
        parse_json(body)
