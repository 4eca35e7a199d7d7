"""Print the source messages that have no (or only a fuzzy) zh_CN translation.

    .venv/bin/python translations/check_missing.py                     list them; exit 1 if any
    .venv/bin/python translations/check_missing.py --restore-fstrings  also bring back the
        translations `pybabel update` made obsolete for _() calls written inside f-strings

Messages come from src/windowdesk as `pybabel extract` sees them (babel.cfg, keywords _, N_,
ngettext:1,2), plus the _() calls inside f-strings, which pybabel cannot see before
Python 3.12 but which still reach the screen. tests/i18n/test_catalogs.py checks the same.
"""

from __future__ import annotations

import argparse
import ast
import sys
from pathlib import Path

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po, write_po

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SOURCE = ROOT / "src" / "windowdesk"
ZH_PO = HERE / "zh_CN" / "LC_MESSAGES" / "windowdesk.po"
KEYWORDS = {**DEFAULT_KEYWORDS, "_": None, "N_": None, "ngettext": (1, 2)}


def method_map() -> list[tuple[str, str]]:
    try:
        from babel.messages.frontend import parse_mapping_cfg
    except ImportError:  # babel < 2.14
        from babel.messages.frontend import parse_mapping as parse_mapping_cfg
    with (HERE / "babel.cfg").open(encoding="utf-8") as handle:
        return parse_mapping_cfg(handle)[0]


def source_messages() -> dict[str, list[str]]:
    """msgid -> places; places inside f-strings end with " (f-string)"."""
    found: dict[str, list[str]] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(SOURCE), method_map=method_map(), keywords=KEYWORDS
    ):
        msgid = message[0] if isinstance(message, (tuple, list)) else message
        if msgid:
            found.setdefault(msgid, []).append(f"src/windowdesk/{filename}:{lineno}")
    for path in sorted(SOURCE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.JoinedStr):
                for call in ast.walk(node):
                    if isinstance(call, ast.Call) and call.args:
                        name = getattr(call.func, "id", None) or getattr(call.func, "attr", None)
                        first = call.args[0]
                        if name in KEYWORDS and isinstance(first, ast.Constant) and isinstance(first.value, str):
                            place = f"{path.relative_to(ROOT).as_posix()}:{call.lineno} (f-string)"
                            found.setdefault(first.value, []).append(place)
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--restore-fstrings", action="store_true")
    args = parser.parse_args()

    with ZH_PO.open("rb") as handle:
        catalog = read_po(handle, locale="zh_CN")
    needed = source_messages()

    if args.restore_fstrings:
        restored = []
        for msgid, places in needed.items():
            old = catalog.obsolete.get(msgid)
            if msgid not in catalog and old is not None and old.string and not old.fuzzy:
                locations = [(file, int(line)) for file, line in (p.split(" ")[0].rsplit(":", 1) for p in places)]
                catalog.add(msgid, old.string, locations=locations,
                            auto_comments=["Written inside an f-string, which pybabel extract does not see "
                                           "before Python 3.12: kept by hand."])
                del catalog.obsolete[msgid]
                restored.append(msgid)
        if restored:
            with ZH_PO.open("wb") as handle:
                write_po(handle, catalog)
            print(f"restored {len(restored)} translation(s): " + ", ".join(repr(m) for m in restored))

    missing = []
    for msgid, places in needed.items():
        message = catalog.get(msgid)
        strings = message.string if message is not None else ""
        strings = strings if isinstance(strings, (tuple, list)) else (strings,)
        if message is None or message.fuzzy or not all(strings):
            missing.append((msgid, places))
    for msgid, places in missing:
        print(f"{msgid!r}\n    {', '.join(places)}")
    print(f"{len(missing)} of {len(needed)} messages missing from {ZH_PO.relative_to(ROOT)}", file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
