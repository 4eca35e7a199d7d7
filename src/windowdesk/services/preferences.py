"""Preferences of this workstation that are not about the work itself: the language
its screens speak. Kept in the local database beside the workstation's identity, so a
counter keeps its language across restarts and operators."""

from __future__ import annotations

from windowdesk.errors import ValidationError
from windowdesk.i18n import SUPPORTED_LOCALES, _
from windowdesk.storage import queries
from windowdesk.storage.db import Database

KEY_LANGUAGE = "ui.language"


def saved_language(db: Database) -> str | None:
    """The language chosen at this workstation, or None if nobody chose one."""
    with db.read() as session:
        value = queries.local_setting(session, KEY_LANGUAGE)
    return value if value in SUPPORTED_LOCALES else None


def save_language(db: Database, locale_name: str) -> None:
    if locale_name not in SUPPORTED_LOCALES:
        raise ValidationError(_("This language is not available."), field="language")
    with db.write() as session:
        queries.set_local_setting(session, KEY_LANGUAGE, locale_name)
