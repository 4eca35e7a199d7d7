"""Where a follow-up, an inquiry or a resident's question stands, and where a follow-up's
outcome was recorded (follow_ups.status / source at the window, inquiries.status at the
window and the hub, the hub's questions.status)."""

from __future__ import annotations

from enum import StrEnum


class FollowUpStatus(StrEnum):
    """A bad rating's follow-up (回访整改) at the window."""

    OPEN = "open"
    CLOSED = "closed"  # its outcome recorded


class FollowUpSource(StrEnum):
    """Where a follow-up's outcome was recorded: a window's is not replaced by the hub's."""

    WINDOW = "window"
    HUB = "hub"


class InquiryStatus(StrEnum):
    """A first inquiry (首问负责) in the register."""

    OPEN = "open"
    ANSWERED = "answered"


class QuestionStatus(StrEnum):
    """A resident's question asked on the hub's public pages, answered by a department."""

    OPEN = "open"
    ANSWERED = "answered"
