"""The card's base message (基本信息): 256 bytes of UCS-2 little-endian text, as every
reader's ``SDT_ReadBaseMsg`` hands it over. Fixed fields, each padded with spaces:

    name 30 · sex code 2 · ethnicity code 4 · birth date 16 (YYYYMMDD) · address 70 ·
    ID number 36 · issuing authority 30 · valid from 16 · valid until 16 (YYYYMMDD or
    长期) · reserved 36

The ID number is checked with the project's own checker, and the card's birth date and
sex must agree with it: a message garbled on the way (a card lifted mid-read) is refused
rather than half believed.
"""

from __future__ import annotations

from datetime import date

from windowdesk.devices.idcard.card import IdCard
from windowdesk.devices.idcard.codes import ETHNICITY_NAMES, SEX_GENDERS, SEX_NAMES
from windowdesk.devices.idcard.reader import CardUnreadable
from windowdesk.domain.ids import parse_resident_id
from windowdesk.errors import ValidationError
from windowdesk.i18n import _

BASE_MESSAGE_SIZE = 256
# (field, bytes), in the order they are stored.
LAYOUT: tuple[tuple[str, int], ...] = (
    ("name", 30),
    ("sex", 2),
    ("ethnicity", 4),
    ("birth", 16),
    ("address", 70),
    ("id_number", 36),
    ("authority", 30),
    ("valid_from", 16),
    ("valid_until", 16),
    ("reserved", 36),
)
VALID_FOR_LIFE = "长期"


def split_fields(message: bytes) -> dict[str, str]:
    """The text of each field, the padding (spaces, NULs) removed."""
    if len(message) < BASE_MESSAGE_SIZE:
        raise CardUnreadable(_("The card was read only in part; please lay it on the reader again."))
    fields: dict[str, str] = {}
    offset = 0
    for name, size in LAYOUT:
        raw = message[offset : offset + size]
        offset += size
        try:
            text = raw.decode("utf-16-le")
        except UnicodeDecodeError:
            raise CardUnreadable(_("The card's data could not be read; please lay it on the reader again.")) from None
        fields[name] = text.replace("\x00", " ").strip()
    return fields


def _card_date(text: str) -> date:
    if len(text) != 8 or not text.isdigit():
        raise ValueError(text)
    return date(int(text[:4]), int(text[4:6]), int(text[6:]))


def decode_base_message(message: bytes, photo: bytes = b"", *, today: date | None = None) -> IdCard:
    """An :class:`IdCard` from the 256-byte base message and the photo bytes as read.

    Raises CardUnreadable with plain words when the message does not hold a valid card.
    """
    fields = split_fields(message)
    garbled = CardUnreadable(_("The card's data could not be read; please lay it on the reader again."))
    try:
        parsed = parse_resident_id(fields["id_number"], today=today)
    except ValidationError as error:
        raise CardUnreadable(
            _(
                "The ID number read from the card is not valid ({reason}); please lay the card on the reader again."
            ).format(reason=error.message)
        ) from None
    try:
        birth = _card_date(fields["birth"])
        valid_from = _card_date(fields["valid_from"])
        valid_until = None if fields["valid_until"] == VALID_FOR_LIFE else _card_date(fields["valid_until"])
    except ValueError:
        raise garbled from None
    sex_code = fields["sex"]
    if not fields["name"] or sex_code not in SEX_NAMES or fields["ethnicity"] not in ETHNICITY_NAMES:
        raise garbled
    # The ID number carries the birth date and the sex: a card whose fields disagree
    # with it was not read correctly.
    if birth != parsed.birth_date or SEX_GENDERS.get(sex_code) != parsed.gender:
        raise garbled
    return IdCard(
        name=fields["name"],
        sex_code=sex_code,
        sex=SEX_NAMES[sex_code],
        gender=parsed.gender,
        ethnicity_code=fields["ethnicity"],
        ethnicity=ETHNICITY_NAMES[fields["ethnicity"]],
        birth_date=birth,
        address=fields["address"],
        id_number=parsed.number,
        issuing_authority=fields["authority"],
        valid_from=valid_from,
        valid_until=valid_until,
        photo=bytes(photo),
    )
