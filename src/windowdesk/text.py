"""Text that is Unicode all through, as UTF-8 (every database, file and reply) needs it.

Python's JSON reader accepts half of a UTF-16 pair escaped on its own ("\\ud83d"), and a
terminal in another encoding hands Python its bytes as such halves (surrogate escapes).
Such a string is a Python ``str`` but no UTF-8 text: encoding it fails wherever it goes.
"""

from __future__ import annotations


def is_unicode_text(text: str) -> bool:
    """False when ``text`` holds a lone UTF-16 surrogate."""
    if text.isascii():  # what nearly everything is; isascii needs no pass over the text
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def as_unicode_text(text: str) -> str:
    """``text`` with each lone surrogate shown as U+FFFD (a surrogate pair written as two
    halves becomes its one character)."""
    if is_unicode_text(text):
        return text
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
