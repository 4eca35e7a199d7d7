"""The blank forms the demo catalog publishes (issue 30): made by printing.blank_forms in
the words of the window's own papers; the shipped files are exactly what it makes (so
regenerating after a catalog edit is checked), and they read back in Chinese."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.printing.conftest import all_text
from windowdesk.i18n import current_locale
from windowdesk.paths import resources_dir
from windowdesk.printing.blank_forms import write_forms

SHIPPED = resources_dir() / "catalog"


def test_the_shipped_forms_are_what_the_generator_makes(tmp_path: Path) -> None:
    folder = tmp_path / "catalog"
    shutil.copytree(SHIPPED, folder)
    shutil.rmtree(folder / "forms")
    before = current_locale()
    written = write_forms(folder)
    assert current_locale() == before
    assert sorted(p.name for p in written) == sorted(p.name for p in (SHIPPED / "forms").iterdir())
    for path in written:
        assert path.read_bytes() == (SHIPPED / "forms" / path.name).read_bytes(), (
            f"{path.name} is stale: python -m windowdesk.printing.blank_forms resources/catalog"
        )


def test_the_blank_papers_read_back_in_the_words_of_the_window_s_papers() -> None:
    commitment = all_text((SHIPPED / "forms" / "MZ-002-F02.pdf").read_bytes())
    assert "承诺书" in commitment and "城市医疗救助申请" in commitment
    assert "基本医疗保险报销结算单" in commitment  # the item's deferrable materials are listed
    attorney = all_text((SHIPPED / "forms" / "LL-001-F02.pdf").read_bytes())
    assert "授权委托书" in attorney and "老年证办理" in attorney and "受托人" in attorney
    application = all_text((SHIPPED / "forms" / "MZ-001-F01.pdf").read_bytes())
    assert "城市居民最低生活保障申请" in application and "居民户口簿" in application
