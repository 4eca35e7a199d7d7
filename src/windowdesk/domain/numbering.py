"""Human numbers printed on paper and typed back in at the window.

* case number                 ``CH-20261125-03-0007``      ``<center>-<yyyymmdd>-<window>-<seq>``
* one-time notification (告知) ``GZ-CH-20261125-03-0007``
* refusal notice (不予受理)    ``BY-CH-20261125-03-0007``
* receipt                     ``CH03-2026-000123``          ``<workstation>-<year>-<seq>``

Sequences are zero-padded (4 digits, 6 for receipts) and simply grow longer past the
padding; nothing is ever truncated. Center, window and workstation codes are capital
letters and digits without "-", so the parts of a number never run together: a number
with five parts has a series prefix, one with four parts is a case number (a center
may well be called "GZ").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import Enum

from windowdesk.errors import ValidationError
from windowdesk.i18n import _

CASE_NUMBER_FIELD = "case_number"
RECEIPT_NUMBER_FIELD = "receipt_number"

_CODE = re.compile(r"[A-Z0-9]+")
_DIGITS = re.compile(r"[0-9]+")
_HALFWIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
# Dash look-alikes a keyboard, an input method or a word processor may produce.
_DASHES = str.maketrans(dict.fromkeys("‐‑‒–—―−ー", "-"))


class DocumentSeries(str, Enum):
    CASE = ""
    NOTIFICATION = "GZ"
    REFUSAL = "BY"

    @property
    def scope_name(self) -> str:
        return self.name.lower()


@dataclass(frozen=True)
class DocumentNumber:
    series: DocumentSeries
    center_code: str
    day: date
    window_code: str
    seq: int

    def __str__(self) -> str:
        return format_number(self.series, self.center_code, self.day, self.window_code, self.seq)


@dataclass(frozen=True)
class CaseNumber:
    center_code: str
    day: date
    window_code: str
    seq: int

    def __str__(self) -> str:
        return format_case_number(self.center_code, self.day, self.window_code, self.seq)


@dataclass(frozen=True)
class ReceiptNumber:
    workstation_code: str
    year: int
    seq: int

    def __str__(self) -> str:
        return format_receipt_number(self.workstation_code, self.year, self.seq)


def _code(value: str, what: str) -> str:
    code = str(value).strip().upper()
    if not _CODE.fullmatch(code):
        raise ValueError(f"{what} must be letters and digits only, got {value!r}")
    return code


def _seq(seq: int) -> int:
    if isinstance(seq, bool) or not isinstance(seq, int) or seq < 1:
        raise ValueError(f"a sequence number starts at 1, got {seq!r}")
    return seq


def format_number(series: DocumentSeries, center_code: str, day: date, window_code: str, seq: int) -> str:
    series = DocumentSeries(series)
    body = f"{_code(center_code, 'center_code')}-{day:%Y%m%d}-{_code(window_code, 'window_code')}-{_seq(seq):04d}"
    return f"{series.value}-{body}" if series.value else body


def format_case_number(center_code: str, day: date, window_code: str, seq: int) -> str:
    return format_number(DocumentSeries.CASE, center_code, day, window_code, seq)


def sequence_scope(series: DocumentSeries, center_code: str, day: date, window_code: str) -> str:
    """The key a counter is kept under, e.g. ``case:CH:20261125:03``."""
    series = DocumentSeries(series)
    return f"{series.scope_name}:{_code(center_code, 'center_code')}:{day:%Y%m%d}:{_code(window_code, 'window_code')}"


def _clean(text: str) -> str:
    return "".join(str(text or "").translate(_HALFWIDTH).translate(_DASHES).split()).upper()


def _series_word(series: DocumentSeries | None) -> str:
    if series is DocumentSeries.NOTIFICATION:
        return _("notification number")
    if series is DocumentSeries.REFUSAL:
        return _("refusal notice number")
    return _("case number")


def parse_number(text: str, *, expected: DocumentSeries | None = None) -> DocumentNumber:
    """Read a case, notification or refusal number as typed or scanned.

    Tolerates surrounding or stray spaces, lowercase and full-width characters. With
    ``expected`` the number must belong to that series. Raises ValidationError(field="case_number").
    """
    what = _series_word(expected)
    cleaned = _clean(text)
    if not cleaned:
        raise ValidationError(_("Please enter the {what}.").format(what=what), field=CASE_NUMBER_FIELD)

    def shape_error() -> ValidationError:
        # Built only when needed: the hub parses every pushed number (10,000 in a push).
        example = format_number(expected or DocumentSeries.CASE, "CH", date(2026, 11, 25), "03", 7)
        return ValidationError(
            _("This is not a complete {what}; it should look like {example}.").format(what=what, example=example),
            field=CASE_NUMBER_FIELD,
        )

    parts = cleaned.split("-")
    if len(parts) == 5:
        try:
            series = DocumentSeries(parts[0])
        except ValueError:
            raise shape_error() from None
        if series is DocumentSeries.CASE:
            raise shape_error()
        parts = parts[1:]
    elif len(parts) == 4:
        series = DocumentSeries.CASE
    else:
        raise shape_error()
    center, day_text, window, seq_text = parts
    if not (
        _CODE.fullmatch(center)
        and _CODE.fullmatch(window)
        and len(day_text) == 8
        and _DIGITS.fullmatch(day_text)
        and _DIGITS.fullmatch(seq_text)
    ):
        raise shape_error()
    try:
        day = date(int(day_text[:4]), int(day_text[4:6]), int(day_text[6:]))
    except ValueError:
        raise ValidationError(
            _("The date in this number ({digits}) is not a real date; please check it again.").format(digits=day_text),
            field=CASE_NUMBER_FIELD,
        ) from None
    seq = int(seq_text)
    if seq < 1:
        raise ValidationError(
            _("The last part of this number cannot be all zeros; please check it again."),
            field=CASE_NUMBER_FIELD,
        )
    if expected is not None and series is not expected:
        raise ValidationError(
            _("This is a {found}, not a {what}.").format(found=_series_word(series), what=what),
            field=CASE_NUMBER_FIELD,
        )
    return DocumentNumber(series, center, day, window, seq)


_CANONICAL = {
    series: re.compile(
        (re.escape(series.value) + "-" if series.value else "")
        + r"([A-Z0-9]+)-([0-9]{4})([0-9]{2})([0-9]{2})-([A-Z0-9]+)-([0-9]{4,})"
    )
    for series in DocumentSeries
}


def canonical_number(text: str, series: DocumentSeries) -> DocumentNumber | None:
    """The number ``text`` names when it is written exactly as :func:`format_number`
    writes it (the form a window sends to the hub), else None.

    The same answer as ``parse_number(text, expected=series)`` followed by comparing its
    ``str`` with ``text``, without the tolerant reading: the hub checks every pushed
    number, and a push carries thousands.
    """
    found = _CANONICAL[series].fullmatch(text)
    if found is None:
        return None
    center, year, month, day, window, seq_text = found.groups()
    seq = int(seq_text)
    if seq < 1 or (len(seq_text) > 4 and seq_text[0] == "0"):
        return None
    try:
        return DocumentNumber(series, center, date(int(year), int(month), int(day)), window, seq)
    except ValueError:
        return None


def parse_case_number(text: str) -> CaseNumber:
    number = parse_number(text, expected=DocumentSeries.CASE)
    return CaseNumber(number.center_code, number.day, number.window_code, number.seq)


# ---------------------------------------------------------------------------
# Receipts
# ---------------------------------------------------------------------------


def format_receipt_number(workstation_code: str, year: int, seq: int) -> str:
    """E.g. ``CH03-2026-000123``: per workstation and year, strictly sequential."""
    if isinstance(year, bool) or not isinstance(year, int) or not 1000 <= year <= 9999:
        raise ValueError(f"year must have four digits, got {year!r}")
    return f"{_code(workstation_code, 'workstation_code')}-{year:04d}-{_seq(seq):06d}"


def receipt_sequence_scope(workstation_code: str, year: int) -> str:
    """The key the receipt counter is kept under, e.g. ``receipt:CH03:2026``."""
    return f"receipt:{_code(workstation_code, 'workstation_code')}:{year:04d}"


_CANONICAL_RECEIPT = re.compile(r"[A-Z0-9]+-[0-9]{4}-(?:[0-9]{6}|[1-9][0-9]{6,})")


def is_canonical_receipt_number(text: object) -> bool:
    """Whether ``text`` is a receipt number exactly as :func:`format_receipt_number` writes
    it (the form a window sends to the hub)."""
    return isinstance(text, str) and _CANONICAL_RECEIPT.fullmatch(text) is not None and not text.endswith("-000000")


def parse_receipt_number(text: str) -> ReceiptNumber:
    cleaned = _clean(text)
    if not cleaned:
        raise ValidationError(_("Please enter the receipt number."), field=RECEIPT_NUMBER_FIELD)
    parts = cleaned.split("-")
    if (
        len(parts) != 3
        or not _CODE.fullmatch(parts[0])
        or not (len(parts[1]) == 4 and _DIGITS.fullmatch(parts[1]))
        or not _DIGITS.fullmatch(parts[2])
        or int(parts[2]) < 1
    ):
        raise ValidationError(
            _("This is not a complete receipt number; it should look like {example}.").format(
                example="CH03-2026-000123"
            ),
            field=RECEIPT_NUMBER_FIELD,
        )
    return ReceiptNumber(parts[0], int(parts[1]), int(parts[2]))
