"""The citizen's voice, as plain rules: the five rating levels (好差评), which ratings need
a follow-up, and the working days allowed to follow up a rating or answer a complaint."""

from __future__ import annotations

from enum import IntEnum

from windowdesk.i18n import N_, _

# Working days, counted with the official calendar from the day it was recorded.
FOLLOW_UP_WORKING_DAYS = 3
COMPLAINT_REPLY_WORKING_DAYS = 5


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


def level_label(level: int | RatingLevel) -> str:
    return _(_LEVEL_LABELS[RatingLevel(level)])


def needs_follow_up(level: int | RatingLevel) -> bool:
    """差评: dissatisfied or worse gets an owner and a deadline."""
    return RatingLevel(level) <= RatingLevel.DISSATISFIED


def is_satisfied(level: int | RatingLevel) -> bool:
    """Counted as satisfied in the satisfaction rate: basically satisfied or better."""
    return not needs_follow_up(level)
