"""The token every form of the console and the public pages carries (CSRF protection).

Double submit, signed: the browser holds a random value in an ``HttpOnly``,
``SameSite=Strict`` cookie; each form carries that value's HMAC under the hub's web key
(:mod:`.secret`). Another site can make a browser post a form to the hub, but can neither
read the cookie nor compute its signature, so its form is refused. Check it with the
:func:`require_csrf` dependency on every route that changes something.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from fastapi import HTTPException, Request
from fastapi.responses import Response

from windowdesk.hub.web.secret import key_for

COOKIE = "wd_csrf"
FIELD = "csrf_token"
_STATE_KEY = "wd_csrf_value"


def _signature(request: Request, value: str) -> str:
    key = key_for(request.app.state.settings)
    return hmac.new(key, b"csrf:" + value.encode("ascii", "replace"), hashlib.sha256).hexdigest()


def token_for(request: Request) -> tuple[str, str | None]:
    """The token for this page's forms, and the new cookie value to set (None when the
    browser already has one)."""
    value = getattr(request.state, _STATE_KEY, None) or request.cookies.get(COOKIE)
    new_cookie = None
    if not value or len(value) != 43:
        value = new_cookie = secrets.token_urlsafe(32)
        setattr(request.state, _STATE_KEY, value)
    return _signature(request, value), new_cookie


def set_cookie(request: Request, response: Response, value: str) -> None:
    response.set_cookie(COOKIE, value, httponly=True, samesite="strict", secure=request.url.scheme == "https", path="/")


async def require_csrf(request: Request) -> None:
    """Refuses (403) a form whose token is missing or does not match the browser's cookie."""
    form = await request.form()
    sent = form.get(FIELD)
    value = request.cookies.get(COOKIE)
    if not isinstance(sent, str) or not value or not hmac.compare_digest(sent, _signature(request, value)):
        from windowdesk.hub.web.templating import translator

        _ = translator(request)
        raise HTTPException(
            status_code=403,
            detail=_("This form has expired or did not come from this site. Reload the page and send it again."),
        )
