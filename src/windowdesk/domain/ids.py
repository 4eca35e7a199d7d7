"""Identity numbers typed or scanned at the window.

* The resident identity card number (居民身份证号码, GB 11643-1999): 6-digit area code,
  8-digit birth date, 3-digit sequence (odd for men, even for women), check character.
* The unified social credit code of an organisation (统一社会信用代码, GB 32100-2015).

Both checks catch every single mistyped character, so a number that passes was at least
copied correctly. Input is forgiving about how it was typed: surrounding and inner
spaces, full-width characters from a Chinese input method (０-９, Ｘ) and a lowercase x.
Error messages are plain words for the operator; the field is always ``id_number`` or
``credit_code`` so a form can point at the right box.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from windowdesk.errors import ValidationError
from windowdesk.i18n import _

ID_FIELD = "id_number"
USCC_FIELD = "credit_code"

# Province-level codes (the first two digits of an area code).
PROVINCE_CODES: frozenset[str] = frozenset(
    [str(n) for n in range(11, 16)]
    + [str(n) for n in range(21, 24)]
    + [str(n) for n in range(31, 38)]
    + [str(n) for n in range(41, 47)]
    + [str(n) for n in range(50, 55)]
    + [str(n) for n in range(61, 66)]
    + ["71", "81", "82"]
)

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK_CHARS = "10X98765432"
_EARLIEST_BIRTH_YEAR = 1900

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_VALUES = {ch: i for i, ch in enumerate(USCC_ALPHABET)}
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

# Full-width ASCII (U+FF01..U+FF5E) to its ordinary form: a Chinese input method types
# "１１０１０５" and "Ｘ" unless switched to half-width.
_HALFWIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}


def _normalize(text: str) -> str:
    """Half-width, upper case, every kind of space removed (also U+3000 and NBSP)."""
    return "".join(str(text).translate(_HALFWIDTH).split()).upper()


# ---------------------------------------------------------------------------
# Resident identity card number
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ResidentId:
    number: str
    region_code: str
    birth_date: date
    gender: str  # "male" or "female"

    @property
    def masked(self) -> str:
        return mask_id_number(self.number)

    def age_on(self, day: date) -> int:
        """Completed years of age on ``day`` (someone born on 29 Feb turns a year older on 1 Mar)."""
        years = day.year - self.birth_date.year
        if (day.month, day.day) < (self.birth_date.month, self.birth_date.day):
            years -= 1
        return years


def resident_id_check_char(first17: str) -> str:
    """The 18th character for the first 17 digits of an ID number."""
    if len(first17) != 17 or not all("0" <= ch <= "9" for ch in first17):
        raise ValueError("resident_id_check_char needs exactly 17 ASCII digits")
    total = sum(int(ch) * w for ch, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK_CHARS[total % 11]


def parse_resident_id(text: str, *, today: date | None = None) -> ResidentId:
    """Check an 18-character resident ID number and read what it says.

    Raises ValidationError(field="id_number") with words the operator can act on.
    """
    number = _normalize(text or "")
    if not number:
        raise ValidationError(_("Please enter the ID number."), field=ID_FIELD)

    if len(number) != 18:
        if len(number) == 15 and number.isdigit():
            message = _(
                "The ID number must have 18 characters, this one has {count}. "
                "Old 15-digit numbers are no longer used; please ask for the number "
                "on the current ID card."
            )
        else:
            message = _("The ID number must have 18 characters, this one has {count}.")
        raise ValidationError(message.format(count=len(number)), field=ID_FIELD)

    for position, ch in enumerate(number[:17], start=1):
        if not ("0" <= ch <= "9"):
            raise ValidationError(
                _(
                    "Character {position} of the ID number is \u201c{char}\u201d; only digits "
                    "are allowed there (an X may appear only as the last character)."
                ).format(position=position, char=ch),
                field=ID_FIELD,
            )
    last = number[17]
    if not ("0" <= last <= "9" or last == "X"):
        raise ValidationError(
            _("The last character of the ID number is \u201c{char}\u201d; it must be a digit or the letter X.").format(
                char=last
            ),
            field=ID_FIELD,
        )

    region = number[:6]
    if region[:2] not in PROVINCE_CODES or region[2:] == "0000":
        raise ValidationError(
            _(
                "The first six digits ({code}) are not the code of a real place in China; "
                "please check the beginning of the ID number."
            ).format(code=region),
            field=ID_FIELD,
        )

    birth_text = number[6:14]
    try:
        birth = date(int(birth_text[:4]), int(birth_text[4:6]), int(birth_text[6:]))
    except ValueError:
        raise ValidationError(
            _(
                "Digits 7 to 14 of the ID number should be the date of birth, but "
                "{digits} is not a real date; please check them again."
            ).format(digits=birth_text),
            field=ID_FIELD,
        ) from None
    if today is None:
        today = date.today()
    if birth > today:
        raise ValidationError(
            _(
                "The date of birth in this ID number ({digits}) is in the future; please check digits 7 to 14 again."
            ).format(digits=birth_text),
            field=ID_FIELD,
        )
    if birth.year < _EARLIEST_BIRTH_YEAR:
        raise ValidationError(
            _(
                "The date of birth in this ID number ({digits}) is before 1900; please check digits 7 to 14 again."
            ).format(digits=birth_text),
            field=ID_FIELD,
        )

    if resident_id_check_char(number[:17]) != last:
        raise ValidationError(
            _("The last character of this ID number does not match the rest; please check each digit again."),
            field=ID_FIELD,
        )

    gender = "male" if int(number[16]) % 2 == 1 else "female"
    return ResidentId(number=number, region_code=region, birth_date=birth, gender=gender)


def mask_id_number(text: str) -> str:
    """An ID number safe to show or print: first 6 and last 4 kept, the rest as "*".

    Anything that is not an 18-character ID number is masked entirely (same length);
    this never raises, whatever it is given.
    """
    try:
        number = _normalize(text) if text else ""
    except Exception:  # noqa: BLE001  # pragma: no cover - str() of an odd object may raise anything; no number then
        return ""
    if (
        len(number) == 18
        and number[:17].isascii()
        and number[:17].isdigit()
        and (number[17] == "X" or "0" <= number[17] <= "9")
    ):
        return number[:6] + "*" * 8 + number[-4:]
    return "*" * len(number)


# 18 characters shaped like an ID number inside longer text (a note, a traceback); the
# check character is not verified: a mistyped number is just as personal.
_ID_NUMBER_IN_TEXT = re.compile(r"(?<![0-9])[1-9][0-9]{16}[0-9Xx](?![0-9])")


def mask_id_numbers_in(text: str) -> str:
    """``text`` with everything shaped like an ID number masked as :func:`mask_id_number`
    masks it, for text that leaves the window or reaches a log."""
    return _ID_NUMBER_IN_TEXT.sub(lambda found: mask_id_number(found.group()), text)


def mask_phone_number(text: str) -> str:
    """A phone number safe to show in a list: the first 3 and the last 4 digits kept
    (138****5678), as the hub's pages show them; a short number (a landline extension)
    keeps its last 2. Never raises."""
    digits = "".join(ch for ch in str(text or "") if not ch.isspace() and ch != "-")
    if len(digits) >= 11:
        return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]
    if len(digits) > 4:
        return "*" * (len(digits) - 2) + digits[-2:]
    return "*" * len(digits)


# ---------------------------------------------------------------------------
# Unified social credit code
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class OrganisationCode:
    code: str
    registration_authority: str  # character 1 (1 = organisation authorities, 9 = market regulator...)
    organisation_type: str  # character 2
    region_code: str  # characters 3-8
    organisation_id: str  # characters 9-17 (the former organisation code)
    check_char: str  # character 18


def uscc_check_char(first17: str) -> str:
    """The 18th character for the first 17 characters of a unified social credit code."""
    if len(first17) != 17 or any(ch not in _USCC_VALUES for ch in first17):
        raise ValueError("uscc_check_char needs exactly 17 characters from the code alphabet")
    total = sum(_USCC_VALUES[ch] * w for ch, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def parse_uscc(text: str) -> OrganisationCode:
    """Check an 18-character unified social credit code. Raises ValidationError(field="credit_code")."""
    code = _normalize(text or "")
    if not code:
        raise ValidationError(_("Please enter the unified social credit code."), field=USCC_FIELD)
    if len(code) != 18:
        raise ValidationError(
            _("The unified social credit code must have 18 characters, this one has {count}.").format(count=len(code)),
            field=USCC_FIELD,
        )
    for position, ch in enumerate(code, start=1):
        if ch not in _USCC_VALUES:
            raise ValidationError(
                _(
                    "Character {position} of the unified social credit code is \u201c{char}\u201d, "
                    "which never appears in such a code (only digits and capital letters "
                    "other than I, O, Z, S and V are used)."
                ).format(position=position, char=ch),
                field=USCC_FIELD,
            )
    region = code[2:8]
    if not region.isdigit():
        raise ValidationError(
            _(
                "Characters 3 to 8 of the unified social credit code are the area code "
                "and must all be digits; here they are {code}."
            ).format(code=region),
            field=USCC_FIELD,
        )
    if uscc_check_char(code[:17]) != code[17]:
        raise ValidationError(
            _(
                "The last character of this unified social credit code does not match "
                "the rest; please check each character again."
            ),
            field=USCC_FIELD,
        )
    return OrganisationCode(
        code=code,
        registration_authority=code[0],
        organisation_type=code[1],
        region_code=region,
        organisation_id=code[8:17],
        check_char=code[17],
    )
