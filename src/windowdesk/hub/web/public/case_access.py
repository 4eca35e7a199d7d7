"""After the right query code, the browser holds a short-lived signed cookie naming the
case, so that reloading the page or rating the case does not ask for the code (nor cost
the slow hash) again. Signed with the hub's web key: it cannot be made for another case.
"""

from __future__ import annotations

import hashlib
import hmac
import time

from fastapi import Request
from fastapi.responses import Response

from windowdesk.hub.web.secret import key_for

COOKIE = "wd_case"
LIFETIME_SECONDS = 30 * 60


def _signature(request: Request, case_id: str, expires: int) -> str:
    key = key_for(request.app.state.settings)
    return hmac.new(key, f"case:{case_id}:{expires}".encode(), hashlib.sha256).hexdigest()


def grant(request: Request, response: Response, case_id: str) -> None:
    expires = int(time.time()) + LIFETIME_SECONDS
    response.set_cookie(
        COOKIE,
        f"{case_id}.{expires}.{_signature(request, case_id, expires)}",
        max_age=LIFETIME_SECONDS,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path="/",
    )


def granted_case(request: Request) -> str | None:
    """The case this browser opened with its code, while the cookie lasts."""
    parts = (request.cookies.get(COOKIE) or "").split(".")
    if len(parts) != 3 or not parts[1].isdigit():
        return None
    case_id, expires, signature = parts[0], int(parts[1]), parts[2]
    if expires < time.time() or not hmac.compare_digest(signature, _signature(request, case_id, expires)):
        return None
    return case_id
