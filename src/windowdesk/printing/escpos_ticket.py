"""Sending the ticket image to a thermal printer with ESC/POS (python-escpos).

The printer is named by one setting: ``network:HOST[:PORT]`` (port 9100 by default),
``usb:VENDOR:PRODUCT`` (hex ids, e.g. usb:0x0416:0x5011) or ``serial:DEVICE[:BAUD]``.
What is sent: initialise (ESC @), the image as raster (GS v 0), feed and a full cut.
The bytes are made once with python-escpos's Dummy printer; a network printer gets them
through a socket of our own (python-escpos leaves its socket open when the printer does
not answer), USB and serial through python-escpos's devices.
"""

from __future__ import annotations

import socket

from PIL import Image

from windowdesk.errors import WindowdeskError
from windowdesk.i18n import _

NETWORK_TIMEOUT_S = 5.0
DEFAULT_PORT = 9100


class TicketPrinterError(WindowdeskError):
    def __init__(self, message: str) -> None:
        super().__init__(_("The ticket printer does not print"), message)


def ticket_bytes(image: Image.Image) -> bytes:
    from escpos.printer import Dummy

    job = Dummy()
    job.hw("INIT")
    job.image(image, impl="bitImageRaster")
    job.cut()
    return job.output


def _bad_setting(target: str) -> TicketPrinterError:
    return TicketPrinterError(
        _(
            "The ticket printer setting {target} is not one of network:HOST[:PORT], "
            "usb:VENDOR:PRODUCT or serial:DEVICE[:BAUD]."
        ).format(target=target)
    )


def _send(target: str, data: bytes) -> None:
    kind, _sep, rest = target.partition(":")
    parts = rest.split(":") if rest else []
    try:
        if kind == "network" and parts:
            port = int(parts[1]) if len(parts) > 1 else DEFAULT_PORT
            with socket.create_connection((parts[0], port), timeout=NETWORK_TIMEOUT_S) as connection:
                connection.sendall(data)
            return
        if kind == "usb" and len(parts) == 2:
            from escpos.printer import Usb

            device = Usb(int(parts[0], 16), int(parts[1], 16))
        elif kind == "serial" and parts:
            from escpos.printer import Serial

            device = Serial(parts[0], baudrate=int(parts[1]) if len(parts) > 1 else 9600)
        else:
            raise _bad_setting(target)
    except ValueError:
        raise _bad_setting(target) from None
    device.open()
    try:
        device._raw(data)  # the job's bytes as they are: python-escpos's own write
    finally:
        device.close()


def print_ticket_image(image: Image.Image, *, target: str) -> None:
    data = ticket_bytes(image)
    try:
        _send(target, data)
    except TicketPrinterError:
        raise
    except Exception as error:  # noqa: BLE001 - OS errors, python-escpos's device errors: all become TicketPrinterError
        raise TicketPrinterError(
            _(
                "The ticket printer at {target} could not print ({kind}). Check that it "
                "is on, has paper and is connected."
            ).format(target=target, kind=type(error).__name__)
        ) from None
