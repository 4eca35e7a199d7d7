"""Errors on a web page are answered with a page, in the reader's language; the API keeps
its JSON answers (hub/api/errors.py). A console page that needs a signed-in person sends
the browser to the sign-in page instead."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from windowdesk.hub.errors import HubError
from windowdesk.hub.language import render as render_text
from windowdesk.hub.web.templating import page_language, render
from windowdesk.i18n import N_
from windowdesk.sync.protocol import API_PREFIX

UNREADABLE_FORM = N_("Some of what was sent could not be read; go back, check the form and send it again.")


class SignInNeeded(Exception):
    """The console page needs a signed-in person (none, or the session ended)."""


class PasswordChangeNeeded(Exception):
    """The person signed in with a first password and must choose their own first."""


def is_page(request: Request) -> bool:
    path = request.url.path
    return not (path.startswith(API_PREFIX) or path in ("/openapi.json", "/docs"))


def _error_page(request: Request, exc: Exception) -> Response:
    language = page_language(request)
    if isinstance(exc, HubError):
        status, (title, message) = exc.status, exc.worded(language)
    elif isinstance(exc, StarletteHTTPException):
        status = exc.status_code
        title = render_text("The request cannot be served", language)
        message = exc.detail if isinstance(exc.detail, str) else title
        if status == 404:
            title = message = render_text("Not found", language)
    else:
        status, title = 400, render_text("The request cannot be served", language)
        message = render_text(UNREADABLE_FORM, language)
    home = "/console/" if request.url.path.startswith("/console") else "/"
    return render(request, "error.html", {"title": title, "message": message, "home": home}, status_code=status)


def _page_or(api_handler: Callable) -> Callable:
    def handle(request: Request, exc: Exception) -> Response:
        return _error_page(request, exc) if is_page(request) else api_handler(request, exc)

    return handle


def _sign_in(request: Request, exc: Exception) -> Response:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/console/login?next={quote(target, safe='')}", status_code=303)


def _password(request: Request, exc: Exception) -> Response:
    return RedirectResponse("/console/password", status_code=303)


def install_page_errors(app: FastAPI) -> None:
    """After hub/api/errors.install_error_handlers: wraps its handlers for the pages."""
    for exc_class in (HubError, StarletteHTTPException, RequestValidationError):
        app.add_exception_handler(exc_class, _page_or(app.exception_handlers[exc_class]))
    app.add_exception_handler(SignInNeeded, _sign_in)
    app.add_exception_handler(PasswordChangeNeeded, _password)
