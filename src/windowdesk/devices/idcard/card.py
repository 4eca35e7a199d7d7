"""What a resident ID card (第二代居民身份证) says, as read from a reader."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from windowdesk.domain.ids import mask_id_number


@dataclass(frozen=True, repr=False)
class IdCard:
    name: str
    sex_code: str  # GB/T 2261.1: "1" male, "2" female
    sex: str  # the code's name, 男 / 女
    gender: str  # the project's word: "male" / "female"
    ethnicity_code: str  # GB 3304: "01".."56", "97", "98"
    ethnicity: str  # 汉族, 蒙古族, ...
    birth_date: date
    address: str
    id_number: str
    issuing_authority: str
    valid_from: date
    valid_until: date | None  # None: 长期 (valid for life)
    # The photo as the card stores it (usually 1,024 bytes of the vendor's WLT
    # compression). Kept in memory only, never saved or logged.
    photo: bytes = field(default=b"", repr=False)

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    def is_expired(self, on: date) -> bool:
        """The card is valid up to and including its last day."""
        return self.valid_until is not None and self.valid_until < on

    def __repr__(self) -> str:
        # A card that lands in a traceback or a log line shows no personal data.
        return f"IdCard(id_number={self.masked_id_number!r})"
