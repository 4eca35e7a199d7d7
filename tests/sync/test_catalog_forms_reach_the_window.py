"""The catalog's forms at the window (表格下载, issue 30): a window started on the shipped
catalog holds its forms' files from the start (offline); a new file the hub publishes
reaches the window with the catalog at its next sync, fetched by hash and checked, and is
the file the public guide page serves. A real hub process, a real window."""

from __future__ import annotations

import shutil
from pathlib import Path

import requests

from windowdesk.paths import resources_dir
from windowdesk.services import form_files

from .test_sync_with_hub import blank_stations, enrolled, hub, new_station, sync  # noqa: F401

SHIPPED = resources_dir() / "catalog"


def test_a_window_holds_the_shipped_forms_and_gets_a_new_file_at_its_sync(hub, new_station, tmp_path: Path) -> None:  # noqa: F811
    station = new_station()
    shipped = (SHIPPED / "forms" / "MZ-002-F01.pdf").read_bytes()
    # Before any sync: the forms of the shipped catalog, printable offline.
    lines = form_files.item_forms(station.db, item_code="MZ-002")
    assert [(f.code, f.kind, f.here) for f in lines] == [
        ("F01", "application", True),
        ("F02", "commitment", True),
        ("F03", "power_of_attorney", True),
    ]
    assert form_files.form_file(station.db, item_code="MZ-002", form_code="F01") == ("application/pdf", shipped)

    folder = tmp_path / "catalog-new"
    shutil.copytree(SHIPPED, folder)
    items = folder / "items.json"
    items.write_text(
        items.read_text(encoding="utf-8").replace('"2026.11-demo"', '"2026.12-forms"', 1), encoding="utf-8"
    )
    edition = shipped.replace(b"%%EOF", b"% the 2026.12 edition\n%%EOF")
    (folder / "forms" / "MZ-002-F01.pdf").write_bytes(edition)
    hub.import_catalog(folder)
    hub.start()
    report = sync(enrolled(station, hub))
    assert report.ok, report.error

    lines = {f.code: f for f in form_files.item_forms(station.db, item_code="MZ-002")}
    assert lines["F01"].version == 2 and lines["F01"].here and lines["F02"].version == 1
    assert form_files.form_file(station.db, item_code="MZ-002", form_code="F01") == ("application/pdf", edition)
    # The window prints what the public guide page hands out.
    assert requests.get(f"{hub.url}/guides/MZ-002/forms/F01", timeout=10).content == edition
    assert hub.unexpected_errors() == ""
