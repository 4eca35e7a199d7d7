"""Every typed field has a length and a content rule, said in plain words."""

from __future__ import annotations

import pytest

from windowdesk.domain.text_rules import ADDRESS, LEGAL_BASIS, PERSON_NAME, checked_text
from windowdesk.errors import ValidationError


def test_a_name_is_trimmed_and_kept():
    assert checked_text("  阿依古丽·买买提 ", PERSON_NAME, field="name", label="The name") == "阿依古丽·买买提"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("赵" * 500, "at most 30 characters, this one has 500"),
        ("张三\n七台河市新兴区兴华路12号", "one line"),
        ("张三\t", None),  # a trailing tab is only whitespace: stripped
        ("张\u200b三", "control character"),
        ("张三<script>", "no other signs"),
    ],
)
def test_a_name_that_breaks_the_rules_is_refused_in_words(text, words):
    if words is None:
        assert checked_text(text, PERSON_NAME, field="name", label="The name") == "张三"
        return
    with pytest.raises(ValidationError) as caught:
        checked_text(text, PERSON_NAME, field="name", label="The name")
    assert words in caught.value.message and caught.value.field == "name"
    assert caught.value.message.startswith("The name")


def test_an_address_is_one_line_and_a_legal_basis_may_have_several():
    with pytest.raises(ValidationError, match="one line"):
        checked_text("兴华路12号\r\n3单元", ADDRESS, field="address", label="The address")
    assert checked_text("《条例》第一条\r\n第二条  ", LEGAL_BASIS, field="b", label="B") == "《条例》第一条\n第二条"
