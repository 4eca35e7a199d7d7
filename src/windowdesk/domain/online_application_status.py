"""Where an online application (网上申报) stands: at the hub (``HubApplicationStatus``, the
hub's online_applications.status) and at the window (``ApplicationStatus``, the window's).

The hub decides the application's state and tells the window by its feed (the change
``application.pending``); the window adds two of its own. A word the hub sends that this
version does not know (a state a newer hub added) is kept as ``NEWER_HUB``: the row stays,
typed, and the window neither shows it for a pre-review nor offers it at a visit, as for
any state it has no rules for.
"""

from __future__ import annotations

from enum import StrEnum


class HubApplicationStatus(StrEnum):
    """The hub's own five words, which it decides and sends the window (the change
    ``application.pending``): every one of them is also an ``ApplicationStatus``."""

    SUBMITTED = "submitted"  # waiting for the window's (or the department's) pre-review
    RETURNED = "returned"  # sent back with the one-time list; the resident corrects and sends again
    ACCEPTED = "accepted"  # passed the window's pre-review: the resident visits with the originals
    COMPLETED = "completed"  # a case: accepted at the window, or by the department (全程网办)
    REFUSED = "refused"  # refused by the department of a fully-online item


class ApplicationStatus(StrEnum):
    SUBMITTED = "submitted"  # waiting for the pre-review (网上预审)
    RETURNED = "returned"  # sent back with the one-time list of what to mend (一次性告知)
    ACCEPTED = "accepted"  # passed the pre-review: the resident brings the originals
    COMPLETED = "completed"  # a case was accepted for it
    REFUSED = "refused"  # refused by the department of a fully-online item (at the hub)
    CLOSED = "closed"  # the window's: no longer waiting at the hub (decided elsewhere, deleted)
    NEWER_HUB = "newer_hub"  # the window's: a state of a newer hub, kept and left alone


def received_status(word: object) -> ApplicationStatus:
    """The status the hub sent, as a member; a word this version does not know is the
    state of a newer hub. The window's own two are never the hub's to send."""
    try:
        status = ApplicationStatus(str(word))
    except ValueError:
        return ApplicationStatus.NEWER_HUB
    return ApplicationStatus.NEWER_HUB if status in _THE_WINDOWS_OWN else status


_THE_WINDOWS_OWN = frozenset({ApplicationStatus.CLOSED, ApplicationStatus.NEWER_HUB})
