"""Errors the hub hands to a caller: an HTTP status, a stable code and plain words.

The same objects serve the API (turned into ``{"error": {"code", "title", "message"}}``)
and the command line (printed, exit code 2). Messages never carry personal data: record
ids, human numbers and codes only. ``code`` is stable so a client may act on it.

Titles and messages are English templates (``N_``, :class:`~windowdesk.hub.language.Text`)
worded in the caller's language when an answer or the command line's output is written
(hub/language.py); ``message`` is the English wording, for the log.
"""

from __future__ import annotations

from windowdesk.hub.language import SOURCE_LANGUAGE, Text, render
from windowdesk.i18n import N_


class HubError(Exception):
    status = 400
    code = "bad_request"
    title = N_("The request cannot be served")
    headers: dict[str, str] | None = None  # extra HTTP headers of the answer (Retry-After)

    def __init__(self, message: str | Text, *, code: str | None = None, title: str | None = None) -> None:
        super().__init__(str(message))
        self.text = message
        self.message = str(message)
        if code is not None:
            self.code = code
        if title is not None:
            self.title = title

    def worded(self, language: str = SOURCE_LANGUAGE) -> tuple[str, str]:
        """(title, message) in ``language``."""
        return render(self.title, language), render(self.text, language)

    def __str__(self) -> str:
        return self.message


class InvalidInput(HubError):
    status = 400
    code = "invalid_input"
    title = N_("Please check the input")


class Unauthorized(HubError):
    status = 401
    code = "unauthorized"
    title = N_("Not signed in to the hub")


class Forbidden(HubError):
    status = 403
    code = "forbidden"
    title = N_("Not allowed")


class NotFound(HubError):
    status = 404
    code = "not_found"
    title = N_("Not found")


class Conflict(HubError):
    status = 409
    code = "conflict"
    title = N_("This cannot be done now")


class VersionRefused(HubError):
    status = 426
    code = "version_refused"
    title = N_("Update needed")


class TooManyRequests(HubError):
    """Too many attempts from one address; the answer says when to try again."""

    status = 429
    code = "rate_limited"
    title = N_("Too many attempts")

    def __init__(self, message: str | Text, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after
        self.headers = {"Retry-After": str(retry_after)}


class StartupFailed(HubError):
    """The hub cannot start: the database cannot be reached or migrated."""

    status = 500
    code = "startup_failed"
    title = N_("The hub cannot start")


class CopyFailed(StartupFailed):
    """A backup or a restore could not be done (a full disk, pg_dump failing): the
    command fails as a start-up does, in its own words."""

    code = "copy_failed"
    title = N_("The copy did not succeed")
