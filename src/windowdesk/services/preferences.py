"""Preferences of this workstation that are not about the work itself: the language
its screens speak. Kept in the local database beside the workstation's identity, so a
counter keeps its language across restarts and operators."""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping

from windowdesk.errors import ValidationError
from windowdesk.i18n import SUPPORTED_LOCALES, _
from windowdesk.storage import queries
from windowdesk.storage.db import Database

KEY_LANGUAGE = "ui.language"


def read_settings(db: Database, keys: Collection[str]) -> dict[str, str]:
    """This workstation's settings named by ``keys`` that are set (key -> value), read in
    one statement: for a screen that needs several at once, such as the main window while
    it is built, which hands each part the values it would otherwise read one by one."""
    with db.read() as session:
        return queries.local_settings(session, keys)


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


KEY_PRINT_AT_ONCE = "ui.print_at_once"
KEY_WINDOW_GEOMETRY = "ui.main_window.geometry"
KEY_WINDOW_MAXIMISED = "ui.main_window.maximised"


def prints_at_once(db: Database, settings: Mapping[str, str] | None = None) -> bool:
    """True when each decision's document and each receipt goes straight to the default
    printer, without the preview (the preview opens only when that fails).

    The default until someone unticks it (Printing menu), decided in issue 22: the
    applicant's paper is wanted after every decision, so the preview cost a key at each
    intake for a look nobody takes with a queue waiting; a failure still opens the
    preview with the reason, and a reprint always previews.

    ``settings``: read already (``read_settings``, with KEY_PRINT_AT_ONCE among its keys)."""
    if settings is not None:
        return settings.get(KEY_PRINT_AT_ONCE) != "0"
    with db.read() as session:
        return queries.local_setting(session, KEY_PRINT_AT_ONCE) != "0"


def save_print_at_once(db: Database, at_once: bool) -> None:
    with db.write() as session:
        queries.set_local_setting(session, KEY_PRINT_AT_ONCE, "1" if at_once else "0")


def window_geometry(db: Database) -> tuple[str | None, bool]:
    """The main window's last geometry (Qt's saveGeometry, hex) and whether it was maximised."""
    with db.read() as session:
        geometry = queries.local_setting(session, KEY_WINDOW_GEOMETRY)
        maximised = queries.local_setting(session, KEY_WINDOW_MAXIMISED) == "1"
    return geometry, maximised


def save_window_geometry(db: Database, *, geometry: str, maximised: bool) -> None:
    if not all(c in "0123456789abcdef" for c in geometry):
        raise ValidationError(_("The window's size could not be kept."), field="geometry")
    with db.write() as session:
        queries.set_local_setting(session, KEY_WINDOW_GEOMETRY, geometry)
        queries.set_local_setting(session, KEY_WINDOW_MAXIMISED, "1" if maximised else "0")


DRAFT_PREFIX = "ui.intake_draft."


def draft_key(operator_id: str) -> str:
    """The setting that keeps an operator's unsaved intake form."""
    return DRAFT_PREFIX + operator_id


def save_intake_draft(db: Database, operator_id: str, draft: dict) -> None:
    """Keep an operator's unsaved intake form (item, applicant by reference, marks) until
    they next open the window. No ID number is in it: the applicant is named by id."""
    with db.write() as session:
        queries.set_local_setting(session, draft_key(operator_id), json.dumps(draft, ensure_ascii=False))


def take_intake_draft(db: Database, operator_id: str, settings: Mapping[str, str] | None = None) -> dict | None:
    """The operator's kept form, once: it is forgotten as it is given back. ``settings``:
    read already (``read_settings`` with ``draft_key(operator_id)``): with no form kept
    there, nothing is read or written."""
    if settings is not None and not settings.get(draft_key(operator_id)):
        return None
    with db.write() as session:
        stored = queries.local_setting(session, draft_key(operator_id))
        if not stored:
            return None
        queries.set_local_setting(session, draft_key(operator_id), "")
    try:
        draft = json.loads(stored)
    except ValueError:
        return None
    return draft if isinstance(draft, dict) else None
