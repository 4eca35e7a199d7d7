"""Column types of the window's database beyond SQLAlchemy's own.

The hub has the same ``TextEnum`` in ``hub/storage/models.py``: the layer contract lets the
hub share only ``domain/`` and the sync protocol with the client, and neither may speak
SQL, so each side's storage keeps its copy (as each keeps its ``UTCDateTime``)."""

from __future__ import annotations

from enum import StrEnum
from typing import Any, TypeVar

from sqlalchemy import String
from sqlalchemy.types import TypeDecorator

_Values = TypeVar("_Values", bound=StrEnum)


class TextEnum(TypeDecorator[_Values]):
    """A column with a fixed set of values, a StrEnum of domain/: the value in the database
    (a plain VARCHAR, as before: no migration, no CHECK constraint), the member in Python.
    A value outside the set is refused when written (the statement fails, nothing is
    stored), and fails loudly when read."""

    impl = String
    cache_ok = True

    def __init__(self, values: type[_Values], length: int) -> None:
        super().__init__(length)
        self.values = values
        # By word, for the per-row conversions: a dictionary look-up is about a tenth of
        # the enum's own call (a 10,000-event push converts some 40,000 values).
        self._words: dict[str, str] = {member.value: member.value for member in values}
        self._members: dict[str, _Values] = {member.value: member for member in values}

    def process_bind_param(self, value: str | None, dialect: Any) -> str | None:
        if value is None:
            return None
        if value.__class__ is self.values:
            return value._value_
        word = self._words.get(value)
        # Outside the set: the enum's own error ("'fax' is not a valid CaseSource").
        return self.values(value).value if word is None else word

    def process_result_value(self, value: str | None, dialect: Any) -> _Values | None:
        if value is None:
            return None
        member = self._members.get(value)
        return self.values(value) if member is None else member
