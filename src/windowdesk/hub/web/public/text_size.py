"""The large-text mode (for older readers): a link on every public page switches it, and
a cookie remembers it for a year."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import RedirectResponse

from windowdesk.hub.web.public import router
from windowdesk.hub.web.public.common import LARGE_TEXT_COOKIE

YEAR = 365 * 86400


def _safe_back(back: str) -> str:
    """Only a path on this site (never ``//elsewhere`` or ``https://elsewhere``)."""
    if not back.startswith("/") or back.startswith("//") or "\\" in back:
        return "/guides"
    return back


@router.get("/text-size")
def choose_text_size(request: Request, large: int = 0, back: str = "/guides") -> RedirectResponse:
    response = RedirectResponse(_safe_back(back), status_code=303)
    response.set_cookie(
        LARGE_TEXT_COOKIE,
        "1" if large else "0",
        max_age=YEAR,
        samesite="lax",
        httponly=True,
        secure=request.url.scheme == "https",
    )
    return response
