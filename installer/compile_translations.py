"""Compile translations/<locale>/LC_MESSAGES/windowdesk.po into the .mo beside it.

    python installer/compile_translations.py [FOLDER]     (default: the checkout's translations)

What `pybabel compile -d translations -D windowdesk` did, with two differences that matter
when the packaging scripts run while other processes of the same checkout read the
catalogs (the test suite's workers, a window started from the checkout): a .mo already
newer than its .po is left as it is (the rule windowdesk.i18n.load_catalog reads them by),
and a new one is written under a temporary name and renamed into place, so a reader finds
the old file or the new one, never one half written. Fuzzy entries are left out, as pybabel
leaves them out.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

DOMAIN = "windowdesk"


def compile_folder(folder: Path) -> list[Path]:
    """The .mo files written (those that were current are not)."""
    written = []
    for po in sorted(folder.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with po.open("rb") as handle:
            catalog = read_po(handle, locale=po.parent.parent.name)
        descriptor, temporary = tempfile.mkstemp(dir=po.parent, prefix=f".{DOMAIN}.", suffix=".mo.partial")
        try:
            with os.fdopen(descriptor, "wb") as out:
                write_mo(out, catalog)
            os.chmod(temporary, 0o644)
            os.replace(temporary, mo)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        written.append(mo)
    return written


def main(argv: list[str]) -> int:
    folder = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parent.parent / "translations"
    if not any(folder.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        print(f"no {DOMAIN}.po catalogs under {folder}", file=sys.stderr)
        return 1
    compile_folder(folder)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
