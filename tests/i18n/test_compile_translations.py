"""installer/compile_translations.py: the catalogs compiled beside their sources without a
reader of the checkout ever finding a half-written .mo (the packaging tests build while
the suite's other workers load the catalogs: an empty .mo once failed a test's teardown)."""

from __future__ import annotations

import gettext
import importlib.util
import io
import os
import shutil
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

REPO = Path(__file__).resolve().parents[2]


def _compiler():
    spec = importlib.util.spec_from_file_location(
        "compile_translations", REPO / "installer" / "compile_translations.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _copy_of_the_catalogs(tmp_path: Path) -> Path:
    folder = tmp_path / "translations"
    for po in (REPO / "translations").glob("*/LC_MESSAGES/windowdesk.po"):
        target = folder / po.relative_to(REPO / "translations")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(po, target)
    return folder


def test_each_catalog_is_compiled_as_babel_compiles_it_and_reads_back(tmp_path):
    folder = _copy_of_the_catalogs(tmp_path)
    written = _compiler().compile_folder(folder)
    assert sorted(mo.parent.parent.name for mo in written) == ["en", "zh_CN"]
    for mo in written:
        po = mo.with_suffix(".po")
        with po.open("rb") as handle:
            expected = io.BytesIO()
            write_mo(expected, read_po(handle, locale=po.parent.parent.name))
        assert mo.read_bytes() == expected.getvalue()
        with mo.open("rb") as handle:
            gettext.GNUTranslations(handle)  # a whole catalog
    assert not list(folder.rglob("*.partial")), "no temporary file is left behind"


def test_a_current_catalog_is_not_written_again_and_a_changed_one_is_replaced_whole(tmp_path):
    folder = _copy_of_the_catalogs(tmp_path)
    compiler = _compiler()
    compiler.compile_folder(folder)
    mo = folder / "zh_CN" / "LC_MESSAGES" / "windowdesk.mo"
    before = mo.stat()

    assert compiler.compile_folder(folder) == []  # current: left as it is
    assert (mo.stat().st_ino, mo.stat().st_mtime_ns) == (before.st_ino, before.st_mtime_ns)

    with mo.open("rb") as reader_of_the_old_file:
        po = mo.with_suffix(".po")
        os.utime(po, (before.st_mtime + 10, before.st_mtime + 10))
        assert compiler.compile_folder(folder) == [mo]
        # Renamed into place: a file another process had open is still the whole old one.
        assert mo.stat().st_ino != before.st_ino
        assert len(reader_of_the_old_file.read()) == before.st_size
