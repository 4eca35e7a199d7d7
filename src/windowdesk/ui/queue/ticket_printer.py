"""Where the kiosk's ticket goes, named by its ``--printer`` setting:

- ``network:HOST[:PORT]``, ``usb:VENDOR:PRODUCT``, ``serial:DEVICE[:BAUD]``: the 80 mm
  thermal printer spoken to in ESC/POS (printing/escpos_ticket.py);
- ``cups:QUEUE``: an OS print queue (CUPS), through Qt as the windows print their papers
  (ui/printing/printer.py), for a kiosk whose printer has a system driver, or a queue
  in front of several printers. The same ticket image, on an 80 mm page.

Either way a failure is a WindowdeskError in plain words, and the number stands.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from windowdesk.printing.escpos_ticket import print_ticket_image
from windowdesk.printing.ticket_image import ticket_pdf
from windowdesk.ui.printing.printer import named_printer, print_pdf

if TYPE_CHECKING:
    from PIL import Image

CUPS_PREFIX = "cups:"


def print_kiosk_ticket(image: Image.Image, *, target: str, job_name: str = "") -> None:
    """``image`` to the printer ``target`` names; ``job_name`` is what the print queue
    shows for the job (the ticket's number)."""
    if target.startswith(CUPS_PREFIX):
        printer = named_printer(target.removeprefix(CUPS_PREFIX).strip())  # PrinterError if there is no such queue
        printer.setDocName(job_name or "ticket")
        print_pdf(ticket_pdf(image), printer)
        return
    print_ticket_image(image, target=target)
