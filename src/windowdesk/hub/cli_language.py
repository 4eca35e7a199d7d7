"""The language ``windowdesk-hub``'s command line speaks: the terminal's.

The hub's administrators and the departments' back-office staff read it, so it follows
the product's default, zh_CN, unless the terminal's locale names English. The locale is
read as gettext reads it: the first of LANGUAGE, LC_ALL, LC_MESSAGES and LANG that is
set decides (``LANGUAGE=en windowdesk-hub --help``). A locale that names no supported
language (C, POSIX, fr_FR) gets the default.

argparse's own words (usage, the headings of ``--help``, its error messages) are worded
from the same catalogs, which carry them (:data:`ARGPARSE_WORDS`).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import unicodedata
from collections.abc import Iterator, Mapping

from windowdesk import i18n
from windowdesk.hub.language import supported_language
from windowdesk.i18n import DEFAULT_LOCALE, N_

LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")
# How a section heading of --help ends ("位置参数：" in Chinese): argparse writes its
# colon outside the words it asks gettext for.
HEADING = N_("{heading}:")

# Python 3.11's argparse words, exactly as it asks gettext for them, so that the
# extraction puts them in the catalogs.
ARGPARSE_WORDS = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("the following arguments are required: %s"),
    N_("one of the arguments %s is required"),
    N_("not allowed with argument %s"),
    N_("unrecognized arguments: %s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("invalid %(type)s value: %(value)r"),
    N_("expected one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
)


def terminal_language(environ: Mapping[str, str] | None = None) -> str:
    environ = os.environ if environ is None else environ
    for name in LOCALE_VARIABLES:
        value = environ.get(name, "").strip()
        if not value:
            continue
        for entry in value.split(":"):  # LANGUAGE may list several, the preferred first
            tag = entry.split(".")[0].split("@")[0]
            language = supported_language(tag) if tag not in ("", "C", "POSIX") else None
            if language is not None:
                return language
        return DEFAULT_LOCALE
    return DEFAULT_LOCALE


@contextlib.contextmanager
def speaking(language: str) -> Iterator[None]:
    """The project's ``_`` and argparse's words in ``language`` until the block ends."""
    previous = i18n.current_locale()
    words = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    i18n.set_locale(language)
    argparse._, argparse.ngettext = i18n._, i18n.ngettext  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = words  # type: ignore[attr-defined]
        i18n.set_locale(previous)


def display_width(text: str) -> int:
    """Columns a terminal gives ``text``: two for a wide character (汉字), one otherwise."""
    return sum(2 if unicodedata.east_asian_width(char) in ("W", "F") else 1 for char in text)


def pad(text: str, width: int, *, right: bool = False) -> str:
    """``text`` filled with spaces to ``width`` terminal columns."""
    fill = " " * max(0, width - display_width(text))
    return fill + text if right else text + fill


def table_lines(rows: list[list[str]], *, right_from: int | None = None) -> list[str]:
    """Rows aligned in columns two spaces apart; columns from ``right_from`` on are
    aligned right (figures)."""
    widths = [max(display_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        "  ".join(
            pad(cell, width, right=right_from is not None and i >= right_from)
            for i, (cell, width) in enumerate(zip(row, widths, strict=False))
        ).rstrip()
        for row in rows
    ]


class HelpFormatter(argparse.HelpFormatter):
    """argparse's help, its section headings ended the language's way."""

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003 - argparse's own
        super().__init__(*args, **kwargs)
        self._headings: set[str] = set()

    def start_section(self, heading: str | None) -> None:
        if heading:
            self._headings.add(heading)
        super().start_section(heading)

    def format_help(self) -> str:
        text = super().format_help()
        for heading in self._headings:
            text = text.replace(f"\n{heading}:\n", "\n" + i18n._(HEADING).format(heading=heading) + "\n")
        return text
