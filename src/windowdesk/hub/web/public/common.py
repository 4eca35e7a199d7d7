"""What every public page shares: the large-text mode and the time the hub reads."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse

from windowdesk.hub.storage.database import HubDatabase
from windowdesk.hub.web import templating

LARGE_TEXT_COOKIE = "wd_large"


def large_text(request: Request) -> bool:
    return request.cookies.get(LARGE_TEXT_COOKIE) == "1"


def database(request: Request) -> HubDatabase:
    return request.app.state.db


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def page(request: Request, template: str, context: dict[str, Any], *, status_code: int = 200) -> HTMLResponse:
    """A public page: the reader's language, large text when chosen, and where the text
    size link brings the reader back to."""
    back = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return templating.render(
        request, template, {"large_text": large_text(request), "back": back, **context}, status_code=status_code
    )
