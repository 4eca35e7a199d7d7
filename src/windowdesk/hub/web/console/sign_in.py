"""Signing in and out of the console, changing one's password, and the start page."""

from __future__ import annotations

from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from windowdesk.hub.errors import InvalidInput
from windowdesk.hub.language import render as render_text
from windowdesk.hub.ratelimit import RateLimit, SlidingWindowLimiter
from windowdesk.hub.services import console_accounts
from windowdesk.hub.services.console_rights import ROLE_LABELS, ConsoleActor
from windowdesk.hub.web.console.navigation import sections_for
from windowdesk.hub.web.console.session import (
    COOKIE,
    clear_session_cookie,
    client_address,
    current_actor,
    hub_db,
    set_session_cookie,
    utc_now,
)
from windowdesk.hub.web.csrf import require_csrf
from windowdesk.hub.web.templating import page_language, render
from windowdesk.i18n import N_

router = APIRouter()
# Per address, besides the per-account lock: a script trying many logins from one place waits.
SIGN_IN_ATTEMPTS = RateLimit(20, 600)
_attempts = SlidingWindowLimiter(SIGN_IN_ATTEMPTS)
TOO_MANY = N_("Too many sign-in attempts from this computer; wait {seconds} seconds and try again.")


def _safe_next(target: str | None) -> str:
    """Only a console address of this hub: never another site (an open redirect)."""
    if not target:
        return "/console/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path.startswith("/console/") or "\\" in target:
        return "/console/"
    return target


@router.get("/login")
def login_page(request: Request, next: str | None = None) -> Response:
    return render(request, "console/login.html", {"next": _safe_next(next), "error": None, "login": ""})


@router.post("/login", dependencies=[Depends(require_csrf)])
def login(
    request: Request,
    login: str = Form(""),
    password: str = Form(""),
    next: str = Form("/console/"),
) -> Response:
    address = client_address(request)
    language = page_language(request)
    wait = _attempts.take(address)
    if wait is not None:
        error = render_text(TOO_MANY, language).format(seconds=wait)
        return render(
            request, "console/login.html", {"next": _safe_next(next), "error": error, "login": login}, status_code=429
        )
    with hub_db(request).write() as session:
        outcome = console_accounts.sign_in(session, login=login, password=password, now=utc_now(), address=address)
    if isinstance(outcome, console_accounts.SignInRefused):
        return render(
            request,
            "console/login.html",
            {"next": _safe_next(next), "error": outcome.worded(language)[1], "login": login},
            status_code=401,
        )
    target = "/console/password" if outcome.must_change_password else _safe_next(next)
    response = RedirectResponse(target, status_code=303)
    set_session_cookie(request, response, outcome.token)
    return response


@router.post("/logout", dependencies=[Depends(require_csrf)])
def logout(request: Request) -> Response:
    with hub_db(request).write() as session:
        console_accounts.sign_out(session, token=request.cookies.get(COOKIE), now=utc_now())
    response = RedirectResponse("/console/login", status_code=303)
    clear_session_cookie(response)
    return response


@router.get("/password")
def password_page(request: Request, actor: ConsoleActor = Depends(current_actor)) -> Response:
    return render(request, "console/password.html", console_context(actor, error=None))


@router.post("/password", dependencies=[Depends(require_csrf)])
def change_password(
    request: Request,
    current: str = Form(""),
    new: str = Form(""),
    again: str = Form(""),
    actor: ConsoleActor = Depends(current_actor),
) -> Response:
    language = page_language(request)
    try:
        if new != again:
            raise InvalidInput(N_("The two new passwords differ; the password was not changed."))
        with hub_db(request).write() as session:
            console_accounts.change_own_password(
                session, actor=actor, current=current, new=new, now=utc_now(), address=client_address(request)
            )
    except InvalidInput as refused:
        return render(
            request, "console/password.html", console_context(actor, error=refused.worded(language)[1]), status_code=400
        )
    return RedirectResponse("/console/?changed=password", status_code=303)


@router.get("/")
def start_page(request: Request, actor: ConsoleActor = Depends(current_actor)) -> Response:
    return render(request, "console/home.html", console_context(actor))


def console_context(actor: ConsoleActor, **values: object) -> dict[str, object]:
    """What the console's layout needs (the person, their role, their menu) and ``values``."""
    return {"actor": actor, "role_label": ROLE_LABELS[actor.role], "sections": sections_for(actor), **values}
