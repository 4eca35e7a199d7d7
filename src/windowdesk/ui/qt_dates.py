"""Dates between Qt's date edits and the services."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate


def python_date(value: QDate) -> dt.date:
    """``value`` as a ``datetime.date``: what ``QDate.toPython()`` gives, typed (its stub says object)."""
    return dt.date(value.year(), value.month(), value.day())
