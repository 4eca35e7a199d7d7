"""Money as whole fen (分, 1/100 yuan): never a float anywhere.

``format_yuan`` and ``parse_yuan`` are the plain "120.50" form used in entry fields and
data files (the locale-aware "¥120.50" for display is ``windowdesk.i18n.format_fen``).
``amount_in_capitals`` writes the amount in Chinese capital numerals as a receipt must
(中文大写金额), following the rules for filling in payment documents:

* a zero between digits is read as one 零, however many zeros there are
  (1,000,100 yuan -> 壹佰万零壹佰元整);
* 壹拾 is written out (10 yuan -> 壹拾元整);
* 整 follows 元 when there are no 角 and 分; after 角 nothing follows (叁拾元伍角);
* when 角 is zero and 分 is not, 零 stands between them (叁拾元零伍分);
* a 零 is not written between 元 and 角 (壹拾元壹角 — the rules allow both forms).
"""

from __future__ import annotations

import re
from typing import TypeAlias

from windowdesk.errors import ValidationError
from windowdesk.i18n import _

Fen: TypeAlias = int

AMOUNT_FIELD = "amount"
# 999,999,999,999.99 yuan: the most amount_in_capitals can write (up to 仟亿).
MAX_FEN: Fen = 10**14 - 1

_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_PLACES = ("", "拾", "佰", "仟")
_GROUP_UNITS = ("", "万", "亿")

_HALFWIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_AMOUNT = re.compile(r"(?P<int>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.(?P<frac>[0-9]{1,2}))?")


def format_yuan(fen: Fen, *, grouping: bool = False) -> str:
    """``12050`` -> ``"120.50"``; negative amounts get a leading "-"; ``grouping`` adds thousands commas."""
    if isinstance(fen, bool) or not isinstance(fen, int):
        raise TypeError(f"an amount in fen must be an int, got {type(fen).__name__}")
    sign = "-" if fen < 0 else ""
    yuan, cents = divmod(abs(fen), 100)
    whole = f"{yuan:,}" if grouping else str(yuan)
    return f"{sign}{whole}.{cents:02d}"


def parse_yuan(text: str, *, allow_negative: bool = False) -> Fen:
    """An amount typed in yuan, as fen: "120", "120.5", "120.50", "¥1,234.00", "￥8 元".

    Raises ValidationError(field="amount") for anything else: empty, letters, more than
    two decimals, a misplaced comma, a negative amount (unless ``allow_negative``), or
    more than MAX_FEN.
    """
    cleaned = str(text or "").translate(_HALFWIDTH).replace("\uffe5", "¥").strip()
    if not cleaned:
        raise ValidationError(_("Please enter the amount."), field=AMOUNT_FIELD)
    negative = False
    if cleaned[0] in "-\u2212":
        negative = True
        cleaned = cleaned[1:].strip()
    if cleaned.startswith("¥"):
        cleaned = cleaned[1:].strip()
    if cleaned.endswith("元"):
        cleaned = cleaned[:-1].strip()
    match = _AMOUNT.fullmatch(cleaned)
    if match is None:
        if re.fullmatch(r"[0-9,]*\.[0-9]{3,}", cleaned):
            message = _("An amount can have at most two digits after the point (fen).")
        else:
            message = _("\u201c{text}\u201d is not an amount of money; please type it like 120 or 120.50.").format(
                text=str(text).strip()
            )
        raise ValidationError(message, field=AMOUNT_FIELD)
    whole = int(match["int"].replace(",", ""))
    frac = (match["frac"] or "").ljust(2, "0")
    fen = whole * 100 + int(frac)
    if negative and fen and not allow_negative:
        raise ValidationError(_("The amount cannot be negative."), field=AMOUNT_FIELD)
    if fen > MAX_FEN:
        raise ValidationError(_("This amount is too large; please check it again."), field=AMOUNT_FIELD)
    return -fen if negative else fen


def _group_in_capitals(group: int) -> str:
    """1..9999 in capitals, with one 零 for any run of inner zeros and none at the end."""
    out: list[str] = []
    pending_zero = False
    for place in range(3, -1, -1):
        digit = group // 10**place % 10
        if digit == 0:
            if out:
                pending_zero = True
            continue
        if pending_zero:
            out.append("零")
            pending_zero = False
        out.append(_DIGITS[digit] + _PLACES[place])
    return "".join(out)


def _yuan_in_capitals(yuan: int) -> str:
    groups = []
    while yuan:
        yuan, group = divmod(yuan, 10_000)
        groups.append(group)
    out: list[str] = []
    pending_zero = False
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            if out:
                pending_zero = True
            continue
        if out and (pending_zero or group < 1000):
            out.append("零")
        out.append(_group_in_capitals(group) + _GROUP_UNITS[index])
        pending_zero = False
    return "".join(out)


def amount_in_capitals(fen: Fen) -> str:
    """The amount in Chinese capital numerals, as written on a receipt.

    0 -> 零元整, 12000 -> 壹佰贰拾元整, 3050 -> 叁拾元伍角, 3005 -> 叁拾元零伍分, 5 -> 伍分.
    Raises ValueError for a negative amount or one above MAX_FEN.
    """
    if isinstance(fen, bool) or not isinstance(fen, int):
        raise TypeError(f"an amount in fen must be an int, got {type(fen).__name__}")
    if fen < 0:
        raise ValueError("a negative amount cannot be written in capitals")
    if fen > MAX_FEN:
        raise ValueError("amount too large to write in capitals")
    yuan, cents = divmod(fen, 100)
    jiao, fen_digit = divmod(cents, 10)
    if yuan == 0 and cents == 0:
        return "零元整"
    out = ""
    if yuan:
        out = _yuan_in_capitals(yuan) + "元"
        if cents == 0:
            return out + "整"
        if jiao == 0:
            return out + "零" + _DIGITS[fen_digit] + "分"
    if jiao:
        out += _DIGITS[jiao] + "角"
    if fen_digit:
        out += _DIGITS[fen_digit] + "分"
    return out
