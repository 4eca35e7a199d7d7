"""The translation catalogs agree with the source strings.

Messages are extracted from src/windowdesk *now*, with the same keywords and method map as
``pybabel extract -F translations/babel.cfg -k _ -k N_ -k ngettext:1,2``. A string added to
the code without a Simplified Chinese translation fails the build here, naming it.

How to refresh the catalogs: translations/README.md.
"""

from __future__ import annotations

import ast
import gettext
import io
import re
import string
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "src" / "windowdesk"
TRANSLATIONS = ROOT / "translations"
BABEL_CFG = TRANSLATIONS / "babel.cfg"
POT = TRANSLATIONS / "windowdesk.pot"
ZH_PO = TRANSLATIONS / "zh_CN" / "LC_MESSAGES" / "windowdesk.po"
EN_PO = TRANSLATIONS / "en" / "LC_MESSAGES" / "windowdesk.po"

# Same as the command line: babel's default keywords plus -k _ -k N_ -k ngettext:1,2.
KEYWORDS = {**DEFAULT_KEYWORDS, "_": None, "N_": None, "ngettext": (1, 2)}

REFRESH = (
    "Refresh the catalogs (see translations/README.md):\n"
    "  .venv/bin/pybabel extract -F translations/babel.cfg -k _ -k N_ -k ngettext:1,2 "
    "-o translations/windowdesk.pot src/windowdesk\n"
    "  .venv/bin/pybabel update -i translations/windowdesk.pot -d translations -D windowdesk\n"
    "  .venv/bin/python translations/check_missing.py --restore-fstrings\n"
    "then translate the new/changed entries in translations/zh_CN/LC_MESSAGES/windowdesk.po "
    "(and remove their '#, fuzzy' flags)."
)


@dataclass(frozen=True)
class Found:
    msgid: str
    where: str  # "src/windowdesk/ui/x.py:12"
    in_fstring: bool = False


def _method_map() -> list[tuple[str, str]]:
    try:
        from babel.messages.frontend import parse_mapping_cfg
    except ImportError:  # babel < 2.14
        from babel.messages.frontend import parse_mapping as parse_mapping_cfg
    with BABEL_CFG.open(encoding="utf-8") as handle:
        method_map, _options = parse_mapping_cfg(handle)
    return method_map


def _key(message: str | tuple[str, ...]) -> str:
    """The msgid (the singular for plural messages), as babel keys its catalogs."""
    return message[0] if isinstance(message, (tuple, list)) else message


def _extracted_by_babel() -> list[Found]:
    found = []
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(SOURCE), method_map=_method_map(), keywords=KEYWORDS
    ):
        msgid = _key(message)
        if msgid:
            found.append(Found(msgid, f"src/windowdesk/{filename}:{lineno}"))
    return found


def _inside_fstrings() -> list[Found]:
    """Translated literals written inside f-strings, e.g. f"<h3>{_('Materials')}</h3>".

    Before Python 3.12 the tokenizer hands babel a whole f-string as one string token, so
    ``pybabel extract`` never sees these calls. They still reach the screen, so they
    still need a translation.
    """
    found = []
    for path in sorted(SOURCE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.JoinedStr):
                continue
            for call in ast.walk(node):
                if not isinstance(call, ast.Call) or not call.args:
                    continue
                func = call.func
                name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
                first = call.args[0]
                if name in KEYWORDS and isinstance(first, ast.Constant) and isinstance(first.value, str):
                    where = f"{path.relative_to(ROOT).as_posix()}:{call.lineno}"
                    found.append(Found(first.value, where, in_fstring=True))
    return found


def _read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=locale, abort_invalid=True)


def _messages(catalog: Catalog) -> Iterable[Message]:
    return (message for message in catalog if message.id)


def _translated(message: Message, num_plurals: int) -> bool:
    if isinstance(message.string, (tuple, list)):
        return len(message.string) == num_plurals and all(message.string)
    return bool(message.string)


def _pairs(message: Message) -> list[tuple[str, str]]:
    """(source, translation) pairs; for a plural entry every form against the plural msgid."""
    if isinstance(message.id, (tuple, list)):
        strings = message.string if isinstance(message.string, (tuple, list)) else (message.string,)
        return [
            (message.id[0] if index == 0 and len(strings) > 1 else message.id[-1], text)
            for index, text in enumerate(strings)
            if text
        ]
    return [(message.id, message.string)] if message.string else []


@pytest.fixture(scope="module")
def extracted() -> list[Found]:
    found = _extracted_by_babel()
    assert found, f"no messages extracted from {SOURCE}: is translations/babel.cfg right?"
    return found


@pytest.fixture(scope="module")
def zh_cn() -> Catalog:
    return _read(ZH_PO, "zh_CN")


# --- completeness -------------------------------------------------------------------------


def test_every_message_has_a_zh_cn_translation(extracted: list[Found], zh_cn: Catalog) -> None:
    needed: dict[str, list[Found]] = {}
    for found in extracted + _inside_fstrings():
        needed.setdefault(found.msgid, []).append(found)
    missing = []
    for msgid, places in needed.items():
        message = zh_cn.get(msgid)
        if message is not None and not message.fuzzy and _translated(message, zh_cn.num_plurals):
            continue
        where = ", ".join(sorted({found.where for found in places}))
        note = ""
        if all(found.in_fstring for found in places):
            note = (
                "\n      (only used inside an f-string, which pybabel cannot extract on this "
                "Python: move the _() call out of the f-string; meanwhile "
                "`python translations/check_missing.py --restore-fstrings` brings back a "
                "translation that `pybabel update` made obsolete)"
            )
        missing.append(f"  {msgid!r}  ({where}){note}")
    assert not missing, (
        f"{len(missing)} message(s) have no zh_CN translation in {ZH_PO.relative_to(ROOT)}:\n"
        + "\n".join(missing)
        + "\n"
        + REFRESH
    )


def test_zh_cn_has_no_fuzzy_entries(zh_cn: Catalog) -> None:
    assert not zh_cn.fuzzy, "the zh_CN header is marked '#, fuzzy': pybabel compile would skip the whole catalog"
    fuzzy = [message.id for message in _messages(zh_cn) if message.fuzzy]
    assert not fuzzy, (
        "fuzzy (guessed) entries in the zh_CN catalog are not used by the app; check each "
        "translation and remove its '#, fuzzy' line:\n" + "\n".join(f"  {msgid!r}" for msgid in fuzzy)
    )


def test_pot_is_up_to_date(extracted: list[Found]) -> None:
    in_pot = {message.id if isinstance(message.id, str) else message.id[0] for message in _messages(_read(POT))}
    in_code = {found.msgid for found in extracted}
    new = sorted(in_code - in_pot)
    gone = sorted(in_pot - in_code)
    assert not new and not gone, (
        "translations/windowdesk.pot does not match the source strings.\n"
        + "".join(f"  not in the .pot yet: {msgid!r}\n" for msgid in new)
        + "".join(f"  no longer in the code: {msgid!r}\n" for msgid in gone)
        + REFRESH
    )


# --- quality of the translations -----------------------------------------------------------


def _placeholders(text: str) -> set[tuple[str, str, str]]:
    fields = set()
    for _literal, name, spec, conversion in string.Formatter().parse(text):
        if name is not None:
            fields.add((name, spec or "", conversion or ""))
    return fields


# Qt's own placeholders, e.g. QProgressBar.setFormat("Sending %v of %m").
_QT_PLACEHOLDER = re.compile(r"%[vmp]|%\d+")


def test_zh_cn_keeps_every_placeholder(zh_cn: Catalog) -> None:
    problems = []
    for message in _messages(zh_cn):
        for source, translation in _pairs(message):
            if sorted(_QT_PLACEHOLDER.findall(source)) != sorted(_QT_PLACEHOLDER.findall(translation)):
                problems.append(f"  {source!r} -> {translation!r}: keep Qt's {_QT_PLACEHOLDER.findall(source)}")
            try:
                expected = _placeholders(source)
                got = _placeholders(translation)
            except ValueError as error:  # an unbalanced "{" or "}"
                problems.append(f"  {source!r} -> {translation!r}: {error}")
                continue
            if expected != got:
                want = sorted("{" + name + "}" for name, _s, _c in expected)
                have = sorted("{" + name + "}" for name, _s, _c in got)
                problems.append(f"  {source!r} -> {translation!r}: needs {want}, has {have}")
    assert not problems, "zh_CN translations must keep the {placeholders} of their msgid:\n" + "\n".join(problems)


# "&" that marks a Qt mnemonic: not "&&" (a literal ampersand) and not an HTML entity.
_MNEMONIC = re.compile(r"(?<!&)&(?!&)(?!#?\w+;)(\S)")
_SHORTCUT = re.compile(r"\b(?:Ctrl|Alt|Shift|Meta)(?:\+[\w]+)+|\bF\d{1,2}\b")


def test_zh_cn_keeps_mnemonics_and_shortcuts(zh_cn: Catalog) -> None:
    """ "&Accept (Ctrl+Enter)" becomes "受理(&A) (Ctrl+Enter)": one mnemonic, same key."""
    problems = []
    for message in _messages(zh_cn):
        for source, translation in _pairs(message):
            wanted = _MNEMONIC.findall(source.replace("&&", ""))
            have = _MNEMONIC.findall(translation.replace("&&", ""))
            if wanted:
                key = wanted[0].upper()
                if len(have) != 1:
                    problems.append(f"  {source!r} -> {translation!r}: needs exactly one mnemonic, like (&{key})")
                elif have[0].upper() != key:
                    problems.append(f"  {source!r} -> {translation!r}: the mnemonic key must stay {key}, e.g. (&{key})")
            elif have:
                problems.append(f"  {source!r} -> {translation!r}: the msgid has no mnemonic '&'")
            for shortcut in _SHORTCUT.findall(source):
                if shortcut not in translation:
                    problems.append(f"  {source!r} -> {translation!r}: keep the shortcut {shortcut} as it is")
    assert not problems, "zh_CN translations must keep Qt mnemonics and shortcuts:\n" + "\n".join(problems)


# --- the catalogs work in the app ----------------------------------------------------------


def test_zh_cn_compiles_and_is_used(zh_cn: Catalog, tmp_path: Path) -> None:
    from windowdesk import i18n

    buffer = io.BytesIO()
    write_mo(buffer, zh_cn)
    buffer.seek(0)
    assert gettext.GNUTranslations(buffer).gettext("Offline") == "离线"

    # As installed: the compiled .mo.
    folder = tmp_path / "translations"
    (folder / "zh_CN" / "LC_MESSAGES").mkdir(parents=True)
    (folder / "zh_CN" / "LC_MESSAGES" / "windowdesk.mo").write_bytes(buffer.getvalue())
    i18n.set_locale("zh_CN", folder=folder)
    assert i18n._("Offline") == "离线"

    # As in a checkout: whatever translations/ holds (the .po when no current .mo).
    i18n.set_locale("zh_CN")
    assert i18n.current_locale() == "zh_CN"
    assert i18n._("Offline") == "离线"
    assert i18n._("&Accept (Ctrl+Enter)") == "受理(&A) (Ctrl+Enter)"
    money = i18n.format_fen(12050)
    assert "120.50" in money and "¥" in money, money

    i18n.set_locale("en")
    assert i18n._("Offline") == "Offline"


def test_en_catalog_is_valid_and_falls_back_to_the_source() -> None:
    english = _read(EN_PO, "en")
    assert english.num_plurals == 2
    buffer = io.BytesIO()
    write_mo(buffer, english)
    buffer.seek(0)
    translations = gettext.GNUTranslations(buffer)
    assert translations.gettext("Offline") == "Offline"
    assert not english.fuzzy, "the en header is marked '#, fuzzy': pybabel compile would skip the catalog"
