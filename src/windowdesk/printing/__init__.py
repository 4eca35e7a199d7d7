"""Printed documents: plain data in (``printing.data``), PDF bytes out (reportlab).

Nothing here imports Qt, and nothing is done at import time: ``printing.data`` and
``printing.paper`` are plain Python that services may import without pulling in
reportlab; the renderers register the fonts on first use.
"""
