"""What the command lines print: characters a terminal would obey are shown as escapes."""

from __future__ import annotations

import io
import json
import sys

import pytest

from windowdesk.terminal import TerminalStream, guarded_output, shown


@pytest.mark.parametrize(
    ("text", "printed"),
    [
        ("王芳 CH-01\tnote\n", "王芳 CH-01\tnote\n"),  # newline and tab lay text out: kept
        ("\x1b[2Jgone", "\\u001b[2Jgone"),  # ESC: clear the screen
        ("\x1b]0;title\x07", "\\u001b]0;title\\u0007"),  # OSC: set the window's title
        ("paid\rvoid", "paid\\u000dvoid"),  # a carriage return writes over the line
        ("\x9b31m", "\\u009b31m"),  # C1 CSI, one character
        ("abc\u202egnp.exe", "abc\\u202egnp.exe"),  # shown reversed
        ("\u2066x\u2069\u200f\u061c", "\\u2066x\\u2069\\u200f\\u061c"),
        ("a\u2028b", "a\\u2028b"),
        ("窗\udcbf", "窗\\udcbf"),  # half a character, as a GBK terminal hands it over
        ("\x00\x7f", "\\u0000\\u007f"),
    ],
)
def test_characters_a_terminal_obeys_are_escaped_and_the_rest_is_kept(text: str, printed: str) -> None:
    assert shown(text) == printed


def test_escaped_text_in_a_json_string_reads_back_as_it_was() -> None:
    value = "王\u202e\x85\x1bx"
    document = json.dumps({"name": value}, ensure_ascii=False)
    assert json.loads(shown(document)) == {"name": value}


def test_guarded_output_covers_both_streams_and_gives_them_back() -> None:
    out, err = io.StringIO(), io.StringIO()
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = out, err
    try:
        with guarded_output():
            print("\x1b[31mred")
            print("\x1b[32mgreen", file=sys.stderr)
            assert not sys.stdout.isatty()
            with guarded_output():  # nested: one guard only
                assert isinstance(sys.stdout, TerminalStream) and sys.stdout._target is out
        assert (sys.stdout, sys.stderr) == (out, err)
    finally:
        sys.stdout, sys.stderr = saved
    assert (out.getvalue(), err.getvalue()) == ("\\u001b[31mred\n", "\\u001b[32mgreen\n")
