"""A QR code as an SVG image made by the hub (the ``qrcode`` package the receipts already
use, with its SVG drawing instead of Pillow's), as a data: URI for an ``<img>``."""

from __future__ import annotations

import base64

import qrcode
import qrcode.image.svg


def qr_data_uri(content: str) -> str:
    image = qrcode.make(content, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    return "data:image/svg+xml;base64," + base64.b64encode(image.to_string()).decode()
