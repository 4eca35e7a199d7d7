"""The ticket kiosk against a real ``windowdesk-hall`` process, printing to a fake
network printer on loopback (a TCP server that records the bytes)."""

from __future__ import annotations

import datetime as dt
import socket
import threading

import pytest
from PIL import Image

from tests.hall.hall_process import HallProcess
from windowdesk.printing.escpos_ticket import TicketPrinterError, print_ticket_image
from windowdesk.printing.ticket_image import WIDTH_DOTS, KioskTicket, render_ticket_image
from windowdesk.ui.queue.kiosk import KioskWindow

WAIT_MS = 15_000
INIT = b"\x1b@"
RASTER = b"\x1dv0\x00"
FULL_CUT = b"\x1dV\x00"


class FakePrinter:
    """Port 9100's stand-in: accepts connections and keeps what each one sent."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.jobs: list[bytes] = []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            try:
                connection, _address = self.server.accept()
            except OSError:
                return
            with connection:
                chunks = []
                while chunk := connection.recv(65536):
                    chunks.append(chunk)
                self.jobs.append(b"".join(chunks))

    def close(self) -> None:
        self.server.close()


@pytest.fixture
def printer():
    fake = FakePrinter()
    yield fake
    fake.close()


@pytest.fixture
def hall(tmp_path):
    process = HallProcess(tmp_path / "hall")
    process.cli("business", "A", "社保医保")
    process.cli("business", "B", "户籍证照")
    process.cli("window", "01", "--businesses", "A")
    process.start()
    yield process
    process.stop()


def _raster(job: bytes) -> Image.Image:
    """The image a printer would print from a job: ESC @, then GS v 0 blocks, then a cut."""
    assert job.startswith(INIT)
    assert job.endswith(FULL_CUT)
    rows: list[bytes] = []
    width = None
    at = job.find(RASTER)
    assert at >= 0, "no raster image in the job"
    while at >= 0:
        x_bytes = job[at + 4] + 256 * job[at + 5]
        height = job[at + 6] + 256 * job[at + 7]
        width = width or x_bytes
        assert x_bytes == width
        data = job[at + 8 : at + 8 + x_bytes * height]
        rows += [data[r * x_bytes : (r + 1) * x_bytes] for r in range(height)]
        at = job.find(RASTER, at + 8 + x_bytes * height)
    # In ESC/POS raster a set bit is a black dot; in PIL's mode "1" a black dot is 0.
    inverted = bytes(255 - b for b in b"".join(rows))
    return Image.frombytes("1", (width * 8, len(rows)), inverted)


def test_touching_a_business_issues_and_prints_the_ticket_as_a_raster_image(qtbot, hall, printer) -> None:
    kiosk = KioskWindow(
        hall.url, hall.token("kiosk"), printer=f"network:127.0.0.1:{printer.port}", center_name="市政务服务中心"
    )
    qtbot.addWidget(kiosk)
    kiosk.show()
    try:
        qtbot.waitUntil(lambda: "A" in kiosk.business_buttons, timeout=WAIT_MS)
        kiosk.priority_button.click()
        kiosk.business_buttons["A"].click()
        qtbot.waitUntil(lambda: kiosk.last_ticket is not None, timeout=WAIT_MS)
        ticket = kiosk.last_ticket
        assert ticket["number"] == "A001" and ticket["priority"] is True
        assert "A001" in kiosk.message.text()
        assert len(printer.jobs) == 1
        printed = _raster(printer.jobs[0])
        expected = render_ticket_image(
            KioskTicket(
                center_name="市政务服务中心",
                business_name="社保医保",
                number="A001",
                waiting_ahead=0,
                issued_at=dt.datetime.fromisoformat(ticket["issued_at"]),
                follow_url=f"{hall.url}/follow/A001",
                priority=True,
            )
        )
        assert printed.size == (WIDTH_DOTS, expected.height)
        assert printed.tobytes() == expected.tobytes()  # the very ticket, number and QR code included
        assert [t["number"] for t in hall.tickets()] == ["A001"]
    finally:
        kiosk.close()


def test_a_different_ticket_prints_a_different_image(printer) -> None:
    """The raster carries the ticket's own text: A001 and A002 differ."""
    when = dt.datetime(2026, 12, 7, 1, 0, tzinfo=dt.UTC)
    images = [
        render_ticket_image(KioskTicket("中心", "社保", number, 0, when, "http://h/follow/" + number))
        for number in ("A001", "A002")
    ]
    for image in images:
        print_ticket_image(image, target=f"network:127.0.0.1:{printer.port}")
    threading.Event().wait(0.2)
    assert [_raster(job).tobytes() for job in printer.jobs] == [image.tobytes() for image in images]
    assert images[0].tobytes() != images[1].tobytes()


def test_a_printer_that_does_not_answer_keeps_the_number_on_the_screen(qtbot, hall) -> None:
    closed = socket.create_server(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()  # nothing listens there now
    kiosk = KioskWindow(hall.url, hall.token("kiosk"), printer=f"network:127.0.0.1:{port}", center_name="中心")
    qtbot.addWidget(kiosk)
    kiosk.show()
    try:
        qtbot.waitUntil(lambda: "B" in kiosk.business_buttons, timeout=WAIT_MS)
        kiosk.business_buttons["B"].click()
        qtbot.waitUntil(lambda: kiosk.last_ticket is not None, timeout=WAIT_MS)
        assert "B001" in kiosk.message.text() and "did not print" in kiosk.message.text()
    finally:
        kiosk.close()


def test_a_bad_printer_setting_is_explained() -> None:
    with pytest.raises(TicketPrinterError, match="network:HOST"):
        print_ticket_image(Image.new("1", (8, 8), 1), target="lpt1")
