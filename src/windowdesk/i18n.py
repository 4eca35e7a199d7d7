"""Translation and locale-aware formatting (gettext catalogs via babel).

Source strings are English; ``zh_CN`` is the default locale. ``_`` looks the string
up in the catalog chosen by :func:`set_locale` at call time, so messages built after a
language change follow it. A server that answers each caller in their own language (the
hub's web pages) sets the language of one request with :func:`speaking_in`, which holds
for the code that request runs only (a context variable), not for the other requests.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gettext
from collections.abc import Iterator
from contextvars import ContextVar
from pathlib import Path

from babel import Locale
from babel.dates import format_date as _babel_format_date
from babel.dates import format_datetime as _babel_format_datetime
from babel.numbers import format_currency as _babel_format_currency

from windowdesk.paths import translations_dir

DOMAIN = "windowdesk"
DEFAULT_LOCALE = "zh_CN"
SUPPORTED_LOCALES = ("zh_CN", "en")

_translations: gettext.NullTranslations = gettext.NullTranslations()
_locale_name: str = "en"
# The language of the request being served, where one is set (speaking_in); else the above.
_speaking: ContextVar[tuple[gettext.NullTranslations, str] | None] = ContextVar("windowdesk_speaking", default=None)


def load_catalog(locale_name: str, folder: Path) -> gettext.NullTranslations:
    """The compiled .mo when it is there and current, else the .po read directly."""
    po = folder / locale_name / "LC_MESSAGES" / f"{DOMAIN}.po"
    mo = po.with_suffix(".mo")
    if mo.exists() and (not po.exists() or mo.stat().st_mtime >= po.stat().st_mtime):
        with mo.open("rb") as handle:
            return gettext.GNUTranslations(handle)
    if po.exists():
        return _translations_from_po(po, locale_name)
    return gettext.NullTranslations()


def _translations_from_po(po: Path, locale_name: str) -> gettext.NullTranslations:
    import io

    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as handle:
        catalog = read_po(handle, locale=locale_name)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def set_locale(locale_name: str = DEFAULT_LOCALE, folder: Path | None = None) -> None:
    global _translations, _locale_name
    if locale_name not in SUPPORTED_LOCALES:
        locale_name = DEFAULT_LOCALE
    _translations = load_catalog(locale_name, folder or translations_dir())
    _locale_name = locale_name


@contextlib.contextmanager
def speaking_in(translations: gettext.NullTranslations, locale_name: str) -> Iterator[None]:
    """``_``, ``ngettext`` and :func:`current_locale` in ``translations`` for the code run in
    this block (in this thread or task, and the tasks and threads it starts); everywhere
    else the language :func:`set_locale` chose."""
    token = _speaking.set((translations, locale_name))
    try:
        yield
    finally:
        _speaking.reset(token)


def current_locale() -> str:
    speaking = _speaking.get()
    return speaking[1] if speaking is not None else _locale_name


def _words() -> gettext.NullTranslations:
    speaking = _speaking.get()
    return speaking[0] if speaking is not None else _translations


def _(message: str) -> str:
    return _words().gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    return _words().ngettext(singular, plural, count)


def N_(message: str) -> str:
    """Mark a string for extraction; it is translated later where it is shown."""
    return message


def format_date(value: dt.date, fmt: str = "medium") -> str:
    return _babel_format_date(value, format=fmt, locale=Locale.parse(_locale_name))


def format_datetime(value: dt.datetime, fmt: str = "medium", tz: dt.tzinfo | None = None) -> str:
    return _babel_format_datetime(value, format=fmt, tzinfo=tz, locale=Locale.parse(_locale_name))


def format_fen(amount_fen: int) -> str:
    """An amount in integer fen as the locale writes yuan (¥120.50)."""
    from decimal import Decimal

    return _babel_format_currency(Decimal(amount_fen) / 100, "CNY", locale=Locale.parse(_locale_name))
