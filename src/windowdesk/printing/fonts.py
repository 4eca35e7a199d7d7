"""The fonts every printed document is set in: :mod:`windowdesk.pdf_fonts`, shared with the
hub's PDF reports (the hub may not import ``printing``)."""

from __future__ import annotations

from windowdesk.pdf_fonts import CJK, LATIN, draw_text, ensure_fonts, markup, registration_count, runs, string_width

__all__ = ["CJK", "LATIN", "draw_text", "ensure_fonts", "markup", "registration_count", "runs", "string_width"]
