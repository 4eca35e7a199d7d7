"""Cases with material rows, and page images made here (real PNG, PDF and PNM files)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from windowdesk.services import applicants, intake
from windowdesk.services.catalog import get_item_guide
from windowdesk.storage.page_store import PageStore

ITEM = "MZ-002"  # 城市医疗救助申请: materials M01..M07
MATERIAL = "M01"


@pytest.fixture
def store(migrated_db) -> Iterator[PageStore]:
    page_store = PageStore.beside(migrated_db.path, key=migrated_db.key)
    try:
        yield page_store
    finally:
        page_store.dispose()


def accept_case(demo) -> intake.IntakeResult:
    who = applicants.find_residents(demo.db, demo.ctx, query="230902196210010496")[0].ref
    guide = get_item_guide(demo.db, item_code=ITEM)
    checks = [intake.MaterialCheck(mat.code, intake.RECEIVED) for mat in guide.materials]
    return intake.accept_case(
        demo.db, demo.ctx, item_code=ITEM, applicant=who, checks=checks, shipped_calendar=demo.calendar
    )


def page_png(label: str, size: tuple[int, int] = (620, 877)) -> bytes:
    """A small white page with a black frame and a label (distinct bytes per label)."""
    image = Image.new("L", size, 255)
    draw = ImageDraw.Draw(image)
    draw.rectangle((20, 20, size[0] - 20, size[1] - 20), outline=0, width=4)
    draw.text((60, 60), label, fill=0)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def pdf_with_pages(count: int) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    sheet = canvas.Canvas(out, pagesize=A4)
    for number in range(count):
        sheet.drawString(72, 770, f"Page {number + 1}")
        sheet.rect(60, 60, 475, 720)
        sheet.showPage()
    sheet.save()
    return out.getvalue()


def write(path: Path, content: bytes) -> Path:
    path.write_bytes(content)
    return path
