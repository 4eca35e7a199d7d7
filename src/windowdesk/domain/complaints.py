"""A complaint's fixed words (complaints.source / kind / status / reply_source, window and
hub): where it came from, what it is, whether it has its reply and where that was given."""

from __future__ import annotations

from enum import StrEnum


class ComplaintSource(StrEnum):
    WINDOW = "window"  # received at a window
    WEB = "web"  # filed by a resident on the hub's public pages (service_quality.WEB_CHANNEL)


class ComplaintKind(StrEnum):
    COMPLAINT = "complaint"  # 投诉
    NOT_DONE = "not_done"  # 办不成事反映: only from the web form


class ComplaintStatus(StrEnum):
    OPEN = "open"
    REPLIED = "replied"


class ReplySource(StrEnum):
    NONE = ""  # no reply yet
    WINDOW = "window"  # given at a window (this one, or another of the center for a web complaint)
    HUB = "hub"  # given at the hub's console or command
