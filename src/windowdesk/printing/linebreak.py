"""Where a line of a document may end: the Chinese line-breaking rules (避头尾).

Chinese may break between any two characters, with two exceptions every printed notice
keeps: closing punctuation never starts a line (no "，" or "。" under the margin) and an
opening bracket never ends one (no "（" left dangling). A Latin word or number (a case
number, a phone number) is kept whole unless it is longer than the line.

``line_ends`` is the rule, on plain characters and widths; ``RuledParagraph`` is
reportlab's Paragraph with its CJK line breaking replaced by it, and every paragraph of
every document is one (``blocks.para``). reportlab's own CJK wrap hangs only a few
marks past the margin (not "，", "；", "：", "！", "？" or "》") and ignores the opening
brackets.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from reportlab.platypus import Paragraph
from reportlab.platypus.paragraph import ParaLines, cjkU, makeCJKParaLine

# Never at the start of a line: closing and pausing punctuation, full width and ASCII.
NO_LINE_START = frozenset("，。、；：！？）》」』】〕〉”’…—・·%‰℃,.;:!?)]}")
# Never at the end of a line: opening brackets and quotes.
NO_LINE_END = frozenset("（《「『【〔〈“‘([{")
FORCED_BREAK = "\n"
# Slack for rounding in width sums, as reportlab allows.
_FUZZ = 1e-6


def _is_wide(ch: str) -> bool:
    """A character of CJK text (ideographs, kana, full-width forms, CJK punctuation)."""
    return ord(ch) >= 0x2E80


def _may_break_between(before: str, after: str) -> bool:
    if before == FORCED_BREAK:
        return True
    if after in NO_LINE_START or before in NO_LINE_END:
        return False
    if before.isspace() or after.isspace():
        return before.isspace()  # after a space, never before it
    # Inside a Latin word or number there is no break; beside a CJK character there is.
    return _is_wide(before) or _is_wide(after)


def line_ends(chars: Sequence[str], widths: Sequence[float], max_widths: Sequence[float]) -> list[int]:
    """Where each line ends, as the index one past its last character.

    ``max_widths[n]`` is the width of line n (the last one repeats). A line is filled as
    far as it goes, then ends at the last place the rules allow; only a single word
    longer than the whole line is cut where it overflows. ``FORCED_BREAK`` ends its line.
    """
    ends: list[int] = []
    start = 0
    count = len(chars)
    while start < count:
        limit = max_widths[min(len(ends), len(max_widths) - 1)]
        used = 0.0
        end = start
        while end < count:
            if chars[end] == FORCED_BREAK:
                end += 1
                break
            if used + widths[end] > limit + _FUZZ and end > start:
                end = _last_break(chars, start, end)
                break
            used += widths[end]
            end += 1
        ends.append(end)
        start = end
    return ends


def _last_break(chars: Sequence[str], start: int, overflow: int) -> int:
    """The last allowed break at or before ``overflow`` (the first character that did
    not fit); the overflow itself when the line is one unbreakable run."""
    for position in range(overflow, start, -1):
        if _may_break_between(chars[position - 1], chars[position]):
            return position
    return overflow


def wrap_lines(text: str, max_width: float, width_of: Callable[[str], float] = lambda ch: 1.0) -> list[str]:
    """``text`` broken into lines no wider than ``max_width`` (for tests and plain text)."""
    chars = list(text)
    lines, start = [], 0
    for end in line_ends(chars, [width_of(ch) for ch in chars], [max_width]):
        lines.append("".join(chars[start:end]).rstrip(FORCED_BREAK))
        start = end
    return lines


class RuledParagraph(Paragraph):
    """A Paragraph whose CJK lines break by ``line_ends``."""

    def breakLinesCJK(self, maxWidths: Sequence[float]) -> ParaLines:  # noqa: N802, N803 - reportlab API
        if getattr(self, "_splitpara", 0) and hasattr(self, "blPara"):
            return self.blPara  # the second half of a split keeps the lines it was given
        units: list[Any] = []  # reportlab's cjkU (untyped)
        for frag in self.frags:
            text = frag.text
            if text:
                units.extend(cjkU(ch, frag, "utf8") for ch in text)
            else:
                units.append(cjkU("", frag, "utf8"))  # a <br/> (or an empty run)
        if not units:
            return ParaLines(kind=1, lines=[])
        chars = [FORCED_BREAK if hasattr(u.frag, "lineBreak") else (str(u) or "\u200b") for u in units]
        widths = [u.width for u in units]
        lines, start = [], 0
        for number, end in enumerate(line_ends(chars, widths, maxWidths)):
            width = maxWidths[min(number, len(maxWidths) - 1)]
            # Trailing spaces and the break take no room: a centred line stays centred.
            last = end
            while last > start and (chars[last - 1] == FORCED_BREAK or chars[last - 1].isspace()):
                last -= 1
            used = sum(widths[start:last])
            forced = chars[end - 1] == FORCED_BREAK
            lines.append(makeCJKParaLine(units[start:end], width, used, width - used, forced, False))
            start = end
        return ParaLines(kind=1, lines=lines)
