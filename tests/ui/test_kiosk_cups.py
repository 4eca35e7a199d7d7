"""The kiosk's ticket through the OS print queue (issue 25): ``--printer cups:QUEUE``
prints the same ticket as the thermal printer gets, through Qt to a real CUPS queue
whose backend (cups-pdf) writes a PDF, read back here."""

from __future__ import annotations

import datetime as dt

import pypdf
import pypdfium2 as pdfium
import pytest
from PIL import Image

from tests.hall.hall_process import HallProcess
from tests.printing.test_cups_print import QUEUE, _wait_for_pdf, cups_out  # noqa: F401 - cups_out is a fixture
from windowdesk.printing.paper import MM
from windowdesk.printing.ticket_image import DPI, ROLL_DOTS, KioskTicket, render_ticket_image
from windowdesk.ui.queue.kiosk import KioskWindow

WAIT_MS = 30_000


@pytest.fixture
def hall(tmp_path):
    process = HallProcess(tmp_path / "hall")
    process.cli("business", "A", "社保医保")
    process.cli("window", "01", "--businesses", "A")
    process.start()
    yield process
    process.stop()


def _page_as_printed(path) -> Image.Image:
    """The printed page back at the ticket's 203 dpi, black and white, the roll's margins off."""
    page = pdfium.PdfDocument(str(path))[0]
    image = page.render(scale=DPI / 72).to_pil().convert("L").point(lambda v: 255 if v > 127 else 0).convert("1")
    margin = (image.width - (ROLL_DOTS - 2 * 32)) // 2
    return image.crop((margin, 0, margin + ROLL_DOTS - 64, image.height))


def _agreeing_where_they_differ(shown: Image.Image, one: Image.Image, other: Image.Image) -> float:
    """Of the dots where two tickets differ (the number, the QR code), the share the printed
    page has as ``one`` has them: near 1 for ``one``'s ticket, near 0 for ``other``'s."""
    height = min(shown.height, one.height, other.height)
    rows = [image.crop((0, 0, image.width, height)).tobytes() for image in (shown, one, other)]
    differ = agree = 0
    for s_byte, a_byte, b_byte in zip(*rows, strict=True):
        mask = a_byte ^ b_byte
        differ += bin(mask).count("1")
        agree += bin(~(s_byte ^ a_byte) & mask & 0xFF).count("1")
    assert differ > 1000, "the two tickets hardly differ: nothing to tell them apart by"
    return agree / differ


def test_the_kiosk_prints_its_ticket_to_a_cups_queue(qtbot, hall, cups_out):  # noqa: F811 - the fixture
    kiosk = KioskWindow(hall.url, hall.token("kiosk"), printer=f"cups:{QUEUE}", center_name="市政务服务中心")
    qtbot.addWidget(kiosk)
    kiosk.show()
    try:
        qtbot.waitUntil(lambda: "A" in kiosk.business_buttons, timeout=WAIT_MS)
        kiosk.business_buttons["A"].click()
        qtbot.waitUntil(lambda: kiosk.last_ticket is not None, timeout=WAIT_MS)
        ticket = kiosk.last_ticket
        assert "did not print" not in kiosk.message.text(), kiosk.message.text()
    finally:
        kiosk.close()
    printed = _wait_for_pdf(cups_out, f"ticket-{ticket['number']}-{ticket['id'][:8]}")
    [page] = pypdf.PdfReader(printed).pages
    assert float(page.mediabox.width) == pytest.approx(80 * MM, abs=3)  # the roll, not A4
    shown = _page_as_printed(printed)

    def expected(number: str) -> Image.Image:
        return render_ticket_image(
            KioskTicket(
                center_name="市政务服务中心",
                business_name="社保医保",
                number=number,
                waiting_ahead=0,
                issued_at=dt.datetime.fromisoformat(ticket["issued_at"]),
                follow_url=f"{hall.url}/follow/{number}",
            )
        )

    # This very ticket, its number and QR code, not merely a ticket of the same shape.
    assert (
        _agreeing_where_they_differ(shown, expected("A001"), expected("A002")) > 0.8
    )  # 0.95 measured; the other ticket 0.05


def test_a_kiosk_naming_no_such_queue_keeps_the_number_on_the_screen(qtbot, hall):
    kiosk = KioskWindow(hall.url, hall.token("kiosk"), printer="cups:no-such-queue", center_name="中心")
    qtbot.addWidget(kiosk)
    kiosk.show()
    try:
        qtbot.waitUntil(lambda: "A" in kiosk.business_buttons, timeout=WAIT_MS)
        kiosk.business_buttons["A"].click()
        qtbot.waitUntil(lambda: kiosk.last_ticket is not None, timeout=WAIT_MS)
        assert kiosk.last_ticket["number"] in kiosk.message.text()
        assert "did not print" in kiosk.message.text()
    finally:
        kiosk.close()
