"""The first thing every request meets: who is asking, and how much it may send.

A plain ASGI middleware in front of everything (issue 21, finding 4). Before a byte of a
request's body is read:

- a request that needs a token (a push, a decision, a chunk of a page) has its versions and its token
  checked, as the route would check them, and a refused one is answered at once (401,
  426, 429): its body is never read, so a stranger's 77 MB push costs the hub a header
  parse and one indexed look-up;
- a body whose declared length is over its route's cap (MAX_PUSH_BODY_BYTES for a push,
  MAX_CHUNK_BYTES for a chunk of a page, MAX_LARGE_FORM_BYTES for the console's calendar
  upload and catalog item forms, MAX_SMALL_BODY_BYTES for anything else) is answered 413.

The body is then read up to the cap and handed on; a body sent without a length
(chunked) that goes past the cap is answered 413 as soon as it does, and the rest is
never read (the server closes the connection). The caller found here is handed to the
route in the scope, so the token is looked up once.
"""

from __future__ import annotations

import html
import re

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from windowdesk.hub.api.checks import SCOPE_STAFF, SCOPE_WORKSTATION, staff_of, versions_of, workstation_of
from windowdesk.hub.api.errors import error_response, request_language
from windowdesk.hub.errors import HubError
from windowdesk.hub.language import Text, render
from windowdesk.hub.services.online_uploads import MAX_BODY_BYTES, MAX_FILE_BYTES
from windowdesk.hub.web.templating import page_language
from windowdesk.i18n import N_
from windowdesk.sync.protocol import API_PREFIX, MAX_CHUNK_BYTES, MAX_PUSH_BODY_BYTES, MAX_SMALL_BODY_BYTES

PUSH_PATH = f"{API_PREFIX}/push"
# A chunk of a scanned page (blob_routes): a workstation's, at most MAX_CHUNK_BYTES.
BLOB_PATH = re.compile(re.escape(API_PREFIX) + r"/blobs/[^/]+")
DECISION_PATH = re.compile(re.escape(API_PREFIX) + r"/cases/[^/]+/decisions")
TOO_LARGE_TITLE = N_("The request is too large")
TOO_LARGE = N_("The hub reads at most {most} bytes in one such request; nothing of it was stored.")
FILES_TOO_LARGE = N_(
    "What was sent is larger than {most} MB in all ({each} MB a file at most). Nothing was stored; "
    "go back and choose smaller files."
)


# The console's forms that carry a calendar file or a whole catalog item (a form sends a
# Chinese character as 9 bytes: an item with its materials and legal basis passes 16 KB).
LARGE_FORM_PATH = re.compile(r"/console/admin/(calendar/year|catalog/[^/]+)")
MAX_LARGE_FORM_BYTES = 1_100_000
# The public forms of an online application with its photos and PDFs (网上申报): every file at
# its largest (hub/services/online_uploads.py); answered with a page, not JSON, when too large.
APPLICATION_FORM_PATH = re.compile(r"/apply/[^/]+|/application/resubmit")


def body_cap(path: str) -> int:
    if path == PUSH_PATH:
        return MAX_PUSH_BODY_BYTES
    if BLOB_PATH.fullmatch(path):
        return MAX_CHUNK_BYTES
    if APPLICATION_FORM_PATH.fullmatch(path):
        return MAX_BODY_BYTES
    return MAX_LARGE_FORM_BYTES if LARGE_FORM_PATH.fullmatch(path) else MAX_SMALL_BODY_BYTES


class _TooLarge(Exception):
    pass


class RequestGate:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        path, cap = scope["path"], body_cap(scope["path"])
        try:
            if scope["method"] == "POST":
                await self._check_caller(request, scope, path)
            elif scope["method"] == "PUT" and BLOB_PATH.fullmatch(path):
                versions_of(request)
                scope[SCOPE_WORKSTATION] = await run_in_threadpool(workstation_of, request)
        except HubError as refusal:
            title, message = refusal.worded(request_language(request))
            # The connection is closed after the answer: a body on its way is never read.
            headers = {**(refusal.headers or {}), "Connection": "close"}
            await error_response(refusal.status, refusal.code, title, message, headers)(scope, receive, send)
            return
        declared = _declared_length(request)
        if declared is not None and declared > cap:
            await _too_large(request, cap)(scope, receive, send)
            return
        try:
            body = await _received_body(receive, cap)
        except _TooLarge:
            await _too_large(request, cap)(scope, receive, send)
            return
        if body is None:
            return  # the client went away before it had sent its request: nobody to answer
        await self.app(scope, replaying(body, receive), send)

    async def _check_caller(self, request: Request, scope: Scope, path: str) -> None:
        if path == PUSH_PATH:
            versions_of(request)
            scope[SCOPE_WORKSTATION] = await run_in_threadpool(workstation_of, request)
        elif DECISION_PATH.fullmatch(path):
            versions_of(request)
            scope[SCOPE_STAFF] = await run_in_threadpool(staff_of, request)


def _declared_length(request: Request) -> int | None:
    value = request.headers.get("content-length")
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        return None  # the server refuses such a request itself


def _too_large(request: Request, cap: int):  # noqa: ANN202 - a JSONResponse
    language = request_language(request)
    if APPLICATION_FORM_PATH.fullmatch(request.url.path):
        return _files_too_large_page(request)
    # Told to close the connection: the rest of the body is never read.
    return error_response(
        413,
        "request_too_large",
        render(TOO_LARGE_TITLE, language),
        render(Text(TOO_LARGE, most=cap), language),
        headers={"Connection": "close"},
    )


def _files_too_large_page(request: Request) -> HTMLResponse:
    """A resident's phone shows this page: plain words in the page's language, nothing stored."""
    language = page_language(request)
    message = render(
        Text(FILES_TOO_LARGE, most=MAX_BODY_BYTES // (1024 * 1024), each=MAX_FILE_BYTES // (1024 * 1024)), language
    )
    body = (
        f'<!doctype html><html lang="{"en" if language == "en" else "zh-CN"}"><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(render(TOO_LARGE_TITLE, language))}</title>"
        f'<p role="alert">{html.escape(message)}</p><p><a href="javascript:history.back()">&larr;</a></p>'
    )
    return HTMLResponse(body, status_code=413, headers={"Connection": "close"})


async def _received_body(receive: Receive, cap: int) -> bytes | None:
    """The whole body, at most ``cap`` bytes (else _TooLarge, read no further), or None
    if the client went away first."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return None
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > cap:
            raise _TooLarge
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def replaying(body: bytes, receive: Receive) -> Receive:
    """What the app reads: the body already received, then the connection as it is (the
    push gate replays the bodies it reads the same way)."""
    replayed = False

    async def replay() -> Message:
        nonlocal replayed
        if not replayed:
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay
