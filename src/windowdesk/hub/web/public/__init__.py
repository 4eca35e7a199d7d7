"""The public pages for residents (service guides, following a case, ratings,
complaints, bookings), made first for a phone's screen."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
