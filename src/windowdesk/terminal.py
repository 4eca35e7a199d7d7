"""What the command lines print: text for a person to read, never orders for the terminal.

Names, notes, case numbers and reasons that windows sent (and paths, and what the
administrator typed) reach ``windowdesk-hub``'s and ``windowdesk``'s output. A terminal
obeys some characters in them: ESC starts a sequence that can clear the screen, rewrite
the title, hide text or make a link; a carriage return writes over what the line said;
the bidirectional controls (U+202E…) show the letters of a line in another order than
they are stored. So the commands print through :func:`guarded_output`, at the one
boundary where their text leaves the program, and every such character comes out as a
visible escape, ``\\u001b``: the reader sees that it was there, and what it was. The
escape is the one JSON uses, so a JSON document (``report --format json``) still reads
back to the same strings. Kept: newline and tab, which lay text out and order nothing.
Half a UTF-16 character (text.py), which no UTF-8 terminal can be sent, is escaped too.
"""

from __future__ import annotations

import contextlib
import io
import re
import sys
from collections.abc import Iterator

# C0 controls but tab and newline, DEL and the C1 controls, the bidirectional marks,
# embeddings, overrides and isolates, the line and paragraph separators, surrogates.
_OBEYED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]")


def _escaped(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def shown(text: str) -> str:
    """``text`` with every character a terminal would obey written as ``\\uXXXX``."""
    return _OBEYED.sub(_escaped, text)


class TerminalStream(io.TextIOBase):
    """A text stream that hands its target only :func:`shown` text."""

    def __init__(self, target) -> None:  # noqa: ANN001 - any text stream
        super().__init__()
        self._target = target

    def write(self, text: str) -> int:
        self._target.write(shown(text))
        return len(text)

    def flush(self) -> None:
        self._target.flush()

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        # Asked by programs deciding whether to colour their output: this stream passes
        # no colour codes, so they should send none.
        return False

    def fileno(self) -> int:
        return self._target.fileno()

    @property
    def encoding(self) -> str | None:  # type: ignore[override]
        return getattr(self._target, "encoding", None)

    @property
    def errors(self) -> str | None:  # type: ignore[override]
        return getattr(self._target, "errors", None)


@contextlib.contextmanager
def guarded_output() -> Iterator[None]:
    """Standard output and standard error print :func:`shown` text until the block ends."""
    if isinstance(sys.stdout, TerminalStream):  # already guarded further out
        yield
        return
    out, err = sys.stdout, sys.stderr
    # None where there is no console at all (a windowed program on Windows).
    sys.stdout = TerminalStream(out) if out is not None else None
    sys.stderr = TerminalStream(err) if err is not None else None
    try:
        yield
    finally:
        sys.stdout, sys.stderr = out, err
