"""The signed-in person of a console page: the FastAPI dependencies every console route uses.

    @router.get("/cases")
    def cases(request: Request, actor: ConsoleActor = Depends(current_actor)): ...

The session cookie (``wd_console``) is ``HttpOnly``, ``SameSite=Strict``, ``Secure`` when
the hub is reached over HTTPS, and holds a random token of which the hub keeps only the hash
(services/console_accounts.py). Forms that change something also carry the CSRF token
(``Depends(require_csrf)``).
"""

from __future__ import annotations

import datetime as dt

from fastapi import Request
from fastapi.responses import Response

from windowdesk.hub.services import console_accounts
from windowdesk.hub.services.console_rights import ConsoleActor
from windowdesk.hub.storage.database import HubDatabase
from windowdesk.hub.web.errors import PasswordChangeNeeded, SignInNeeded

COOKIE = "wd_console"
PASSWORD_PATH = "/console/password"


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def hub_db(request: Request) -> HubDatabase:
    return request.app.state.db


def client_address(request: Request) -> str:
    """The browser's address (uvicorn has already applied the trusted proxies' headers)."""
    return request.client.host if request.client else ""


def current_actor(request: Request) -> ConsoleActor:
    """The signed-in person, or SignInNeeded (the browser goes to the sign-in page)."""
    token = request.cookies.get(COOKIE)
    now = utc_now()
    db = hub_db(request)
    with db.read() as session:
        state = console_accounts.session_actor(session, token=token, now=now)
    if state is None or token is None:
        raise SignInNeeded
    if state.stale:
        with db.write() as session:
            console_accounts.touch(session, token=token, now=now)
    if state.must_change_password and request.url.path != PASSWORD_PATH:
        raise PasswordChangeNeeded
    request.state.console_actor = state.actor
    return state.actor


def set_session_cookie(request: Request, response: Response, token: str) -> None:
    response.set_cookie(
        COOKIE,
        token,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path="/console",
        max_age=console_accounts.SESSION_HOURS * 3600,
    )


def clear_session_cookie(response: Response) -> None:
    response.delete_cookie(COOKIE, path="/console")
