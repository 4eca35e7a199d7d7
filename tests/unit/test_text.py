"""Text with half a UTF-16 character in it: found, and shown as U+FFFD."""

from __future__ import annotations

import pytest

from windowdesk.text import as_unicode_text, is_unicode_text


@pytest.mark.parametrize(
    ("text", "unicode"),
    [
        ("CH-01", True),
        ("窗口 😀", True),
        ("", True),
        ("\ud83d", False),
        ("窗\udcbf\udcda", False),  # half an emoji; GBK bytes as a terminal hands them over
    ],
)
def test_half_characters_are_found(text: str, unicode: bool) -> None:
    assert is_unicode_text(text) is unicode


def test_half_characters_are_shown_as_replacement_characters_and_the_rest_is_kept() -> None:
    assert as_unicode_text("center \ud83d, 窗口") == "center \ufffd, 窗口"
    assert as_unicode_text("\ud83d\ude00") == "😀"  # two halves written apart: one character again
    assert as_unicode_text("窗口") == "窗口"
