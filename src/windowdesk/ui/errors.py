"""Showing an error to the operator: a title and plain words, never a traceback."""

from __future__ import annotations

import logging
import traceback

from PySide6.QtWidgets import QMessageBox, QWidget

from windowdesk.errors import WindowdeskError
from windowdesk.i18n import _

log = logging.getLogger("windowdesk.ui")


def show_error(parent: QWidget | None, error: BaseException) -> None:
    if isinstance(error, WindowdeskError):
        QMessageBox.warning(parent, error.title, error.message)
        return
    # Unexpected: log the type only (messages may hold personal data) and say so plainly.
    # The message itself is left out: it may quote a resident's data.
    log.error("unexpected error %s\n%s", type(error).__name__, "".join(traceback.format_tb(error.__traceback__)))
    QMessageBox.critical(
        parent,
        _("Something went wrong"),
        _(
            "The action could not be completed and nothing was saved. Please try again; "
            "if it happens again, call your administrator."
        ),
    )
