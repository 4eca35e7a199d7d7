"""One error family for everything a person at the counter may see.

Each carries a short title and a plain-language message, already translated when it
is raised. Lower layers convert library errors (SQLAlchemy, OS, requests) into these at
their boundary so the UI never shows a traceback.
"""

from __future__ import annotations


class WindowdeskError(Exception):
    """An error with words for the operator."""

    def __init__(self, title: str, message: str) -> None:
        super().__init__(message)
        self.title = title
        self.message = message

    def __str__(self) -> str:
        from windowdesk.i18n import _

        # Joined the language's way (a full-width colon in Chinese).
        return _("{title}: {message}").format(title=self.title, message=self.message)


class ValidationError(WindowdeskError):
    """Input that cannot be accepted as typed (an ID number, a missing field...)."""

    def __init__(self, message: str, *, field: str | None = None, title: str | None = None) -> None:
        from windowdesk.i18n import _

        super().__init__(title or _("Please check the input"), message)
        self.field = field


class NotFoundError(WindowdeskError):
    pass


class StorageError(WindowdeskError):
    """The local database could not do what was asked (disk full, file locked...)."""


class StartupError(WindowdeskError):
    """Start-up cannot continue (failed migration, unreadable database)."""
