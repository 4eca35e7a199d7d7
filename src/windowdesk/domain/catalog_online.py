"""网上申报 in the catalog: whether an item may be applied for online, its application
form's fields, and whether it may be handled fully online (the department decides without
a visit). Plain Python, like the rest of the catalog.

An item's ``online`` block in items.json (absent: the item is applied for at the window
only)::

    "online": {
      "fully_online": false,
      "fields": [
        {"code": "applicant_name", "label": "申请人姓名", "label_en": "Applicant's name",
         "kind": "text", "required": true},
        {"code": "id_number", "label": "身份证号码", "kind": "id_number", "required": true},
        {"code": "use", "label": "用途", "kind": "choice", "choices": ["自用", "出租"]}
      ]
    }

A field's value is checked by :func:`clean_value` with the validators the window uses (the
ID number's check digit, the credit code's, the phone's digits), at the hub when the
resident submits and again wherever the application is read back.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any, Protocol

from windowdesk.domain.ids import parse_resident_id, parse_uscc
from windowdesk.domain.text_rules import TextRule, checked_text
from windowdesk.errors import ValidationError
from windowdesk.i18n import N_, _

FIELD_CODE = re.compile(r"^[a-z][a-z0-9_]{0,29}$")
TEXT, ID_NUMBER, CREDIT_CODE, PHONE, DATE, CHOICE = "text", "id_number", "credit_code", "phone", "date", "choice"
FIELD_KINDS = (TEXT, ID_NUMBER, CREDIT_CODE, PHONE, DATE, CHOICE)
MAX_FIELDS = 30
MAX_CHOICES = 20
TEXT_RULE = TextRule(200)
# What the resident's page says of each kind (msgids).
KIND_WORDS = {
    TEXT: N_("text"),
    ID_NUMBER: N_("ID number"),
    CREDIT_CODE: N_("unified social credit code"),
    PHONE: N_("phone number"),
    DATE: N_("date (yyyy-mm-dd)"),
    CHOICE: N_("choice"),
}
_PHONE_DIGITS = re.compile(r"^[0-9]{7,12}$")


@dataclass(frozen=True)
class FormField:
    code: str
    label: str
    kind: str  # one of FIELD_KINDS
    required: bool = True
    label_en: str = ""
    choices: tuple[str, ...] = ()  # CHOICE only


@dataclass(frozen=True)
class OnlineApplication:
    """The item may be applied for online (网上申报) with these fields; ``fully_online``:
    the department may decide it without a visit to the window."""

    fields: tuple[FormField, ...]
    fully_online: bool = False

    def field(self, code: str) -> FormField | None:
        return next((field for field in self.fields if field.code == code), None)


class _Reader(Protocol):
    """What the catalog's reader offers (domain.catalog_reader._Reader)."""

    subject: str
    data: Any

    def fail(self, field: str | None, message: str) -> Any: ...
    def string(
        self, field: str, *, required: bool = True, default: str = "", pattern: re.Pattern[str] | None = None
    ) -> str: ...
    def boolean(self, field: str, *, required: bool = True, default: bool = False) -> bool: ...
    def array(self, field: str, *, required: bool = True) -> list[Any]: ...
    def strings(self, field: str, *, required: bool = True) -> tuple[str, ...]: ...
    def choice(self, field: str, choices: tuple[str, ...]) -> str: ...
    def child(self, label: str, data: Any) -> Any: ...


def parse_online(reader: _Reader) -> OnlineApplication | None:
    """The item's ``online`` block, or None when it has none."""
    data = reader.data.get("online")
    if data is None:
        return None
    block = reader.child("online", data)
    listed = block.array("fields")
    if not listed:
        block.fail(
            "fields", _("{subject}: an online application needs at least one field").format(subject=block.subject)
        )
    if len(listed) > MAX_FIELDS:
        block.fail("fields", _("{subject}: at most {most} fields").format(subject=block.subject, most=MAX_FIELDS))
    fields = [_parse_field(block.child(f"fields[{index}]", entry)) for index, entry in enumerate(listed)]
    codes = [field.code for field in fields]
    if len(set(codes)) != len(codes):
        block.fail("fields", _("{subject}: a field code is used more than once").format(subject=block.subject))
    return OnlineApplication(tuple(fields), fully_online=block.boolean("fully_online", required=False))


def _parse_field(reader: _Reader) -> FormField:
    kind = reader.choice("kind", FIELD_KINDS)
    choices = reader.strings("choices", required=False)
    if kind == CHOICE and not 2 <= len(choices) <= MAX_CHOICES:
        reader.fail(
            "choices",
            _("{subject}: a choice field needs from 2 to {most} choices").format(
                subject=reader.subject, most=MAX_CHOICES
            ),
        )
    if kind != CHOICE and choices:
        reader.fail(
            "choices", _("{subject}: choices are only allowed on a choice field").format(subject=reader.subject)
        )
    return FormField(
        code=reader.string("code", pattern=FIELD_CODE),
        label=reader.string("label").strip()[:60],
        kind=kind,
        required=reader.boolean("required", required=False, default=True),
        label_en=reader.string("label_en", required=False).strip()[:60],
        choices=choices,
    )


def clean_value(field: FormField, raw: str | None) -> str:
    """The value as stored (an ID number upper-cased, a phone's digits only), or
    ValidationError on ``field.code`` in words naming the field; "" for an optional field
    left empty."""
    text = (raw or "").strip()
    if not text:
        if field.required:
            raise ValidationError(_("Please fill in {label}.").format(label=field.label), field=field.code)
        return ""
    try:
        if field.kind == ID_NUMBER:
            return parse_resident_id(text).number
        if field.kind == CREDIT_CODE:
            return parse_uscc(text).code
    except ValidationError as error:  # same words, on this form's field
        raise ValidationError(error.message, field=field.code) from None
    if field.kind == PHONE:
        digits = re.sub(r"[\s-]", "", text)
        if not _PHONE_DIGITS.match(digits):
            raise ValidationError(_("The phone number may contain digits only (7 to 12 of them)."), field=field.code)
        return digits
    if field.kind == DATE:
        try:
            return dt.date.fromisoformat(text).isoformat()
        except ValueError:
            raise ValidationError(
                _("{label}: please give the date as year-month-day, like 2026-12-07.").format(label=field.label),
                field=field.code,
            ) from None
    if field.kind == CHOICE:
        if text not in field.choices:
            raise ValidationError(
                _("{label}: please choose one of the offered answers.").format(label=field.label), field=field.code
            )
        return text
    return checked_text(text, TEXT_RULE, field=field.code, label=field.label)


def clean_values(online: OnlineApplication, raw: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """Every field checked: (the clean values, the message for each field refused)."""
    values: dict[str, str] = {}
    problems: dict[str, str] = {}
    for field in online.fields:
        try:
            values[field.code] = clean_value(field, raw.get(field.code))
        except ValidationError as error:
            problems[field.code] = error.message
    return values, problems


@dataclass(frozen=True)
class FormApplicant:
    """Who an online form names as the applicant: kind "organisation" (by its credit code)
    or "resident" (by the ID number), with the name the form gives."""

    kind: str
    number: str
    name: str


def applicant_of(online: OnlineApplication, values: dict[str, str]) -> FormApplicant | None:
    """The applicant a form names, as the window registers one from it at the visit
    (services/online_visit.py): an organisation when a credit code is filled, else a resident
    by the first ID number; the name is the form's first text field. None when the form
    names neither (no case can be made for nobody)."""

    def first(kind: str) -> str:
        return next((values[f.code] for f in online.fields if f.kind == kind and values.get(f.code)), "")

    name = first(TEXT)
    if first(CREDIT_CODE):
        return FormApplicant("organisation", first(CREDIT_CODE), name)
    if first(ID_NUMBER):
        return FormApplicant("resident", first(ID_NUMBER), name)
    return None
