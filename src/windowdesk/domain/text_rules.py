"""What a typed field may hold: its length and its content, refused in plain words.

A name is one line of letters and digits (any script), with spaces, "·" (阿依古丽·买买提),
"-", "'", "." and brackets; an address or a short note is one line; a reason or a legal basis may have several.
No field takes control characters: a pasted address with its line break, a tab, a
stray terminal code. Too long is refused with how long it may be and how long it was,
never cut silently.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from windowdesk.errors import ValidationError
from windowdesk.i18n import _

NAME_MARKS = "·•・-'.() （）"


@dataclass(frozen=True)
class TextRule:
    max_length: int
    multiline: bool = False
    name: bool = False  # letters, digits and the marks names use, nothing else


PERSON_NAME = TextRule(30, name=True)
ORGANISATION_NAME = TextRule(100)
ADDRESS = TextRule(120)
SHORT_NOTE = TextRule(200)
REASON = TextRule(500, multiline=True)
LEGAL_BASIS = TextRule(2000, multiline=True)


def _control_characters(text: str, multiline: bool) -> bool:
    allowed = "\n\t" if multiline else ""
    return any(unicodedata.category(c) in ("Cc", "Cf") and c not in allowed for c in text)


def checked_text(value: str | None, rule: TextRule, *, field: str, label: str, required: bool = False) -> str:
    """``value`` stripped, as the rule allows it; ValidationError (on ``field``) in words
    naming ``label`` otherwise."""
    text = (value or "").strip()
    if multiline := rule.multiline:
        text = "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    if required and not text:
        raise ValidationError(_("Please fill in {label}.").format(label=label), field=field)
    if not multiline and re.search(r"[\r\n\u2028\u2029]", text):
        raise ValidationError(
            _("{label} must be one line: it holds a line break (was something pasted with it?).").format(label=label),
            field=field,
        )
    if _control_characters(text, multiline):
        raise ValidationError(
            _("{label} holds an invisible control character; please type it again.").format(label=label), field=field
        )
    if len(text) > rule.max_length:
        raise ValidationError(
            _("{label} is too long: at most {most} characters, this one has {count}.").format(
                label=label, most=rule.max_length, count=len(text)
            ),
            field=field,
        )
    if rule.name and any(not (c.isalnum() or c in NAME_MARKS) for c in text):
        raise ValidationError(
            _(
                "{label} may hold letters and digits, with \u201c\u00b7\u201d between the parts of a name; "
                "no other signs."
            ).format(label=label),
            field=field,
        )
    return text
