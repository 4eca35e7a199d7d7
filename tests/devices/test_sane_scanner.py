"""Scanning through SANE's real scanimage from its "test" device (no hardware): listing,
one grey 300 dpi page into a case's material, and the words when scanning cannot work."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from windowdesk.devices import scanner
from windowdesk.services import material_pages, scanning
from windowdesk.storage.page_store import PageStore

from ..materials.conftest import MATERIAL, accept_case


@pytest.fixture
def sane_test_device(tmp_path, monkeypatch) -> str:
    """SANE with its test backend switched on (Debian ships it commented out in dll.conf)."""
    config = tmp_path / "sane.d"
    config.mkdir()
    (config / "dll.conf").write_text("test\n")
    monkeypatch.setenv("SANE_CONFIG_DIR", str(config))
    return "test:0"


def test_the_test_device_is_listed(sane_test_device):
    devices = scanner.list_scanners()
    assert sane_test_device in [device.name for device in devices]
    found = next(device for device in devices if device.name == sane_test_device)
    assert found.label and found.kind


def test_a_scanned_page_is_stored_grey_at_300_dpi_in_the_material(demo, sane_test_device):
    case = accept_case(demo)
    store = PageStore.beside(demo.db.path, key=demo.db.key)
    try:
        scanned = scanning.scan_into(
            demo.db, store, demo.ctx, case_id=case.id, material_code=MATERIAL, device=sane_test_device
        )
        page = material_pages.case_pages(demo.db, demo.ctx, case_id=case.id).material(MATERIAL).pages[0]
        assert page.page_id == scanned.page_id
        with Image.open(io.BytesIO(store.read(page.sha256))) as image:
            assert (image.format, image.mode, image.info["dpi"]) == ("JPEG", "L", (300, 300))
            # The test device scans 80 x 100 mm unless told otherwise: 945 x 1181 pixels at 300 dpi.
            assert abs(image.size[0] - round(80 / 25.4 * 300)) <= 2
            assert abs(image.size[1] - round(100 / 25.4 * 300)) <= 2
        assert scanned.scan_seconds > 0 and scanned.store_seconds > 0
    finally:
        store.dispose()


def test_a_device_that_is_not_there_is_named_in_plain_words(sane_test_device):
    with pytest.raises(scanner.ScannerError) as caught:
        scanner.scan_page("test:no-such-scanner")
    assert caught.value.title == "The scanner gave no page"
    assert "test:no-such-scanner" in caught.value.message and "switched on" in caught.value.message


def test_without_sane_installed_the_window_says_what_to_install(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # a machine where scanimage was never installed
    with pytest.raises(scanner.ScannerError) as caught:
        scanner.list_scanners()
    assert caught.value.title == "Scanning is not installed" and "sane-utils" in caught.value.message
