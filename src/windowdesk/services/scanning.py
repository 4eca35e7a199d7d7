"""Scanning a page into a case's material: SANE gives the image (devices/scanner.py), the
page is stored like any other (services/material_pages.py)."""

from __future__ import annotations

import time
from dataclasses import dataclass

from windowdesk.devices import scanner
from windowdesk.devices.scanner import ScannerDevice, ScannerError
from windowdesk.services import material_pages
from windowdesk.services.context import CounterContext, Database
from windowdesk.storage.page_store import PageStore

__all__ = ["ScannedPage", "ScannerDevice", "ScannerError", "list_scanners", "scan_into"]


@dataclass(frozen=True)
class ScannedPage:
    page_id: str
    scan_seconds: float  # the device's time to deliver the image
    store_seconds: float  # from delivery to the page stored (decoded, encoded, saved)


def list_scanners() -> list[ScannerDevice]:
    return scanner.list_scanners()


def scan_into(
    db: Database,
    store: PageStore,
    ctx: CounterContext,
    *,
    case_id: str,
    material_code: str,
    device: str,
    dpi: int = scanner.DEFAULT_DPI,
) -> ScannedPage:
    """One page from ``device`` (grey, ``dpi``) added at the end of the material's pages."""
    material_pages.check_can_change(db, ctx, case_id)  # before the paper goes through
    started = time.perf_counter()
    image = scanner.scan_page(device, dpi=dpi)
    delivered = time.perf_counter()
    page_id = material_pages.add_image(db, store, ctx, case_id=case_id, material_code=material_code, image=image)
    return ScannedPage(page_id, delivered - started, time.perf_counter() - delivered)
