"""Every failure leaves the hub as {"error": {"code", "title", "message"}}.

Validation problems name the field, never echo the value (it may be personal data).
Unexpected exceptions are logged with their traceback here, on the hub, and answered
with a plain 500; a database that cannot be reached (or is busy beyond the timeout) is
a 503, which tells a client to try again later. Logged tracebacks have resident ID
numbers masked: a database error's text may quote the row it refused. Titles and
messages are in the caller's language (``Accept-Language``, hub/language.py); what
pydantic says about a field stays in English inside them.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from windowdesk.domain.ids import mask_id_numbers_in
from windowdesk.hub.api.json_body import JsonBodyRequest
from windowdesk.hub.errors import HubError
from windowdesk.hub.language import Text, negotiate, render
from windowdesk.hub.storage.database import is_disk_full
from windowdesk.i18n import N_
from windowdesk.sync.protocol import ERROR_HUB_DISK_FULL
from windowdesk.text import as_unicode_text

log = logging.getLogger("windowdesk.hub")

MAX_REPORTED_PROBLEMS = 5
UNREADABLE = N_("The request cannot be read")
_HTTP_CODES = {
    400: ("bad_request", UNREADABLE),
    404: ("not_found", N_("Not found")),
    405: ("method_not_allowed", N_("Not allowed")),
}


def request_language(request: Request) -> str:
    return negotiate(request.headers.get("accept-language"))


def error_response(
    status: int, code: str, title: str, message: str, headers: dict | None = None, extra: dict[str, Any] | None = None
) -> JSONResponse:
    """``extra``: more fields of the error (a busy hub's "retry_after")."""
    # A message may quote what a client sent, half characters included; a reply is UTF-8.
    error = {"code": code, "title": as_unicode_text(title), "message": as_unicode_text(message), **(extra or {})}
    return JSONResponse({"error": error}, status_code=status, headers=headers)


def worded_error(
    request: Request, status: int, code: str, title: str | Text, message: str | Text, headers: dict | None = None
) -> JSONResponse:
    language = request_language(request)
    return error_response(status, code, render(title, language), render(message, language), headers)


def _hub_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HubError)
    title, message = exc.worded(request_language(request))
    return error_response(exc.status, exc.code, title, message, exc.headers, getattr(exc, "extra", None))


def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    code, title = _HTTP_CODES.get(exc.status_code, ("http_error", N_("The request cannot be served")))
    message: str | Text = exc.detail if isinstance(exc.detail, str) else title
    if exc.status_code == 404 and message == "Not Found":
        message = Text(N_("The hub has no {path}; check the hub address."), path=request.url.path[:200])
    elif exc.status_code == 405:
        message = Text(
            N_("{path} does not answer {method} requests."), path=request.url.path[:200], method=request.method
        )
    return worded_error(request, exc.status_code, code, title, message, getattr(exc, "headers", None))


def describe_validation_errors(errors: list[dict[str, Any]]) -> tuple[int, str, Text]:
    """(status, code, message): 400 for a body that is not JSON at all, 422 otherwise."""
    if any(error.get("type") == "json_invalid" for error in errors):
        return 400, "invalid_json", Text(N_("The request body is not valid JSON."))
    problems = []
    for error in errors[:MAX_REPORTED_PROBLEMS]:
        where = ".".join(str(part) for part in error.get("loc", ()) if part != "body") or "body"
        problems.append(f"{where}: {error.get('msg', 'invalid')}")
    more = len(errors) - MAX_REPORTED_PROBLEMS
    if more > 0:
        problems.append(f"and {more} more")
    return (
        422,
        "invalid_request",
        Text(N_("The request does not follow the protocol: {problems}."), problems="; ".join(problems)),
    )


def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    status, code, message = describe_validation_errors(list(exc.errors()))
    return worded_error(request, status, code, UNREADABLE, message)


def unexpected_error_response(request: Request, exc: BaseException) -> Response:
    if isinstance(exc, OperationalError) and is_disk_full(exc):
        # The transaction was rolled back: nothing of the request is stored, and the
        # window keeps its events until a later push is answered.
        log.error(
            "the disk of the hub's database is full (during %s %s): nothing was stored; "
            "free space for the database, then the windows' next sync sends their work again",
            request.method,
            request.url.path,
        )
        return worded_error(
            request,
            503,
            ERROR_HUB_DISK_FULL,
            N_("The hub's disk is full"),
            N_(
                "The hub cannot store anything until its administrator frees space on its disk. "
                "Nothing of this request was stored; send it again later."
            ),
            headers={"Retry-After": "60"},
        )
    if isinstance(exc, OperationalError):
        log.warning("database unavailable during %s %s: %s", request.method, request.url.path, type(exc.orig).__name__)
        return worded_error(
            request,
            503,
            "database_unavailable",
            N_("The hub is busy"),
            N_("The hub cannot use its database right now. Try again in a moment."),
            headers={"Retry-After": "5"},
        )
    details = "".join(traceback.format_exception(exc))
    log.error(
        "unexpected error during %s %s\n%s",
        request.method,
        request.url.path,
        mask_id_numbers_in(details),
    )
    return worded_error(
        request,
        500,
        "internal_error",
        N_("The hub met a problem"),
        N_(
            "The hub met an unexpected problem with this request. Try again later; if it keeps "
            "happening, tell the hub administrator (the hub's log has the details)."
        ),
    )


class ErrorReportingRoute(APIRoute):
    """Answers an unexpected exception with the error body instead of letting it reach
    Starlette's last-resort handler (which answers in plain text and raises it again).
    Its JSON bodies are read by ``json_body`` (the faster parser)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def handle(request: Request) -> Response:
            try:
                return await handler(JsonBodyRequest(request.scope, request.receive))
            except (HubError, StarletteHTTPException, RequestValidationError):
                raise
            except Exception as exc:  # noqa: BLE001 - the boundary: logged, answered
                return unexpected_error_response(request, exc)

        return handle


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(HubError, _hub_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(Exception, unexpected_error_response)
