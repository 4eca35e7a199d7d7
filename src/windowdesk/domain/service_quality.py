"""Service quality, as plain rules: the five rating levels (好差评), which ratings need
a follow-up, and the working days allowed to follow up a rating or answer a complaint."""

from __future__ import annotations

from enum import IntEnum, StrEnum

from windowdesk.i18n import N_, _

# Working days, counted with the official calendar from the day it was recorded.
FOLLOW_UP_WORKING_DAYS = 3
COMPLAINT_REPLY_WORKING_DAYS = 5


class RatingChannel(StrEnum):
    """Where a rating was given (ratings.channel, window and hub); reports count the web's
    and the windows' apart and together."""

    OPERATOR_SCREEN = "operator_screen"  # the operator's screen, turned to the applicant
    APPLICANT_SCREEN = "applicant_screen"  # the applicant's own screen at the window
    WEB = "web"  # the hub's public pages
    NONE = ""  # the hub's: a window's push that named none (the column's default)


class RatingStage(StrEnum):
    """The stage of the case a resident rated on the public pages (hub ratings.stage; None
    for a window's rating)."""

    ACCEPTED = "accepted"
    COMPLETED = "completed"  # the case finished


WEB_CHANNEL = RatingChannel.WEB
# The channels a window gives a rating by.
WINDOW_CHANNELS = (RatingChannel.OPERATOR_SCREEN, RatingChannel.APPLICANT_SCREEN)
# Days after a first rating from the web in which one supplementary rating (追评) of the
# same stage may follow.
SUPPLEMENT_DAYS = 15
# The national aspects rated beside the overall grade (好差评: 整体, 办事效率, 服务质量, 服务态度).
ASPECTS = ("efficiency", "quality", "attitude")
ASPECT_LABELS = {
    "efficiency": N_("Efficiency"),
    "quality": N_("Quality of service"),
    "attitude": N_("Attitude"),
}


class RatingLevel(IntEnum):
    VERY_DISSATISFIED = 1
    DISSATISFIED = 2
    BASICALLY_SATISFIED = 3
    SATISFIED = 4
    VERY_SATISFIED = 5


_LEVEL_LABELS = {
    RatingLevel.VERY_SATISFIED: N_("Very satisfied"),
    RatingLevel.SATISFIED: N_("Satisfied"),
    RatingLevel.BASICALLY_SATISFIED: N_("Basically satisfied"),
    RatingLevel.DISSATISFIED: N_("Dissatisfied"),
    RatingLevel.VERY_DISSATISFIED: N_("Very dissatisfied"),
}

# Best first, as the applicant sees the buttons.
LEVELS_BEST_FIRST = tuple(sorted(RatingLevel, reverse=True))


def level_msgid(level: int | RatingLevel) -> str:
    """The level's words untranslated, for a page that translates in its reader's language."""
    return _LEVEL_LABELS[RatingLevel(level)]


def level_label(level: int | RatingLevel) -> str:
    return _(_LEVEL_LABELS[RatingLevel(level)])


def needs_follow_up(level: int | RatingLevel) -> bool:
    """差评: dissatisfied or worse gets an owner and a deadline."""
    return RatingLevel(level) <= RatingLevel.DISSATISFIED


def is_satisfied(level: int | RatingLevel) -> bool:
    """Counted as satisfied in the satisfaction rate: basically satisfied or better."""
    return not needs_follow_up(level)
