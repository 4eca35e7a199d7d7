"""The hub answers a window in the window's language.

A window says which language it shows (``Accept-Language: zh-CN`` or ``en``, from its
own locale); the hub words its refusals and the reasons it rejects an event in that
language, from the same catalogs as the window (translations/). Without the header (a
script, curl, an older window) it answers in English, the source language. The command
line speaks the terminal's language (:mod:`windowdesk.hub.cli_language`); the hub's log
stays in English, for support.

Messages are kept as a template and its values (:class:`Text`) until the answer is
written, so one error object can be worded for any caller. A rejection's reason is
worded once, when the event is rejected, and stored that way: a window that sends the
event again gets the same words back.
"""

from __future__ import annotations

import functools
import gettext
from collections.abc import Mapping
from typing import Any

from windowdesk.domain.case_state import ACTION_LABELS, STATUS_LABELS, InvalidTransition
from windowdesk.i18n import SUPPORTED_LOCALES, load_catalog
from windowdesk.paths import translations_dir

SOURCE_LANGUAGE = "en"


def negotiate(accept_language: str | None) -> str:
    """The supported locale an ``Accept-Language`` header prefers most ("zh-CN,zh;q=0.9,
    en;q=0.8" → "zh_CN"); English when it names none of them or cannot be read."""
    best, best_weight = SOURCE_LANGUAGE, 0.0
    for part in (accept_language or "")[:200].split(","):
        tag, _sep, parameters = part.strip().partition(";")
        weight = 1.0
        if parameters.strip().startswith("q="):
            try:
                weight = float(parameters.strip()[2:])
            except ValueError:
                continue
        language = supported_language(tag.strip())
        # Strictly greater: of equal weights the first listed wins; q=0 means "not this".
        if language is not None and weight > best_weight:
            best, best_weight = language, weight
    return best


def supported_language(tag: str) -> str | None:
    """The supported locale a language tag names ("zh-TW", "zh_CN", "en-GB"), if any."""
    primary = tag.replace("_", "-").split("-")[0].lower()
    if primary == "zh":
        return "zh_CN"
    return primary if primary in SUPPORTED_LOCALES else None


@functools.cache
def _catalog(language: str) -> gettext.NullTranslations:
    return load_catalog(language, translations_dir())


def translate(message: str, language: str) -> str:
    """A plain message (marked with ``N_``) in ``language``."""
    return message if language == SOURCE_LANGUAGE else _catalog(language).gettext(message)


class Text:
    """A message and the values it names, worded when it is shown."""

    __slots__ = ("template", "values")

    def __init__(self, template: str, **values: Any) -> None:
        self.template = template
        self.values: Mapping[str, Any] = values

    def render(self, language: str = SOURCE_LANGUAGE) -> str:
        # A value may be words itself (a status, a kind of record): in the same language.
        values = {
            name: value.render(language) if isinstance(value, Text) else value for name, value in self.values.items()
        }
        try:
            return translate(self.template, language).format(**values)
        except (KeyError, IndexError, ValueError):
            # A translation that names another value: better English than no answer.
            return self.template.format(**values)

    def __str__(self) -> str:
        return self.render()

    def __repr__(self) -> str:
        return f"Text({self.render()!r})"


def transition_text(refusal: InvalidTransition) -> Text:
    """A step the case's status does not allow, with its status and action as words."""
    return Text(
        refusal.template, status=Text(STATUS_LABELS[refusal.current]), action=Text(ACTION_LABELS[refusal.action])
    )


def render(message: str | Text, language: str = SOURCE_LANGUAGE) -> str:
    return message.render(language) if isinstance(message, Text) else translate(message, language)
