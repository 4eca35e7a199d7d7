"""Rating a case on the public pages (好差评): the five national grades for the whole
service and for its aspects, with a comment.

One rating per case and stage (acceptance; the finished case), and one supplementary
rating (追评) of that stage within SUPPLEMENT_DAYS of the first; the database refuses a
second of either (a unique index), so two browsers sending at once cannot both count.
A rating of 不满意 or below opens the same follow-up as one given at a window: an owner
(the center's supervisor) and a deadline FOLLOW_UP_WORKING_DAYS working days away on the
official calendar. The rating reaches the window that accepted the case through the
change feed ("rating.web"): it is counted there with the window's own, and apart.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, literal, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from windowdesk.domain.permissions import Role
from windowdesk.domain.quality_states import FollowUpStatus
from windowdesk.domain.service_quality import (
    ASPECTS,
    FOLLOW_UP_WORKING_DAYS,
    SUPPLEMENT_DAYS,
    WEB_CHANNEL,
    RatingLevel,
    RatingStage,
    needs_follow_up,
)
from windowdesk.domain.uuid7 import new_uuid
from windowdesk.hub.services import figure_days
from windowdesk.hub.services.calendar_years import hub_calendar
from windowdesk.hub.services.feed import append_change
from windowdesk.hub.services.public_cases import FINISHED
from windowdesk.hub.storage.database import HubDatabase
from windowdesk.hub.storage.models import Case, Center, Operator
from windowdesk.hub.storage.models_quality import Rating
from windowdesk.i18n import N_
from windowdesk.sync.protocol import CHANGE_WEB_RATING

MAX_COMMENT = 500
# Why a rating is not taken (msgids: the page words them in the reader's language).
ALREADY_RATED = N_(
    "This stage of the case has already been rated, and its supplementary rating given or its time past."
)
BAD_GRADE = N_("Please choose a grade for the service and for each aspect.")
TOO_LONG = N_("The comment is longer than 500 characters.")


class RatingRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class RatingTaken:
    rating_id: str
    stage: RatingStage
    round: int  # 1 first, 2 supplementary
    follow_up_deadline: dt.date | None


@dataclass(frozen=True)
class RatingState:
    """What the case page offers: a first rating, a supplementary one, or nothing more."""

    stage: RatingStage
    next_round: int | None  # None: nothing more to rate at this stage


def _stage(status: str) -> RatingStage:
    return RatingStage.COMPLETED if status in FINISHED else RatingStage.ACCEPTED


# Built once (the case page reads it on every view).
WEB_ROUNDS = (
    select(Rating.round, Rating.rated_at)
    .where(
        # The channel spelled out, not bound: only then may SQLite use the partial index
        # (ux_ratings_web_case_stage_round) instead of reading every rating.
        Rating.case_id == bindparam("case_id"),
        Rating.stage == bindparam("stage"),
        Rating.channel == literal(WEB_CHANNEL.value, literal_execute=True),
    )
    .order_by(Rating.round)
)


def _rounds(session: Session, case_id: str, stage: RatingStage) -> list[tuple[int | None, dt.datetime]]:
    return [(round_, at) for round_, at in session.execute(WEB_ROUNDS, {"case_id": case_id, "stage": stage})]


def _next_round(rounds: list[tuple[int | None, dt.datetime]], now: dt.datetime) -> int | None:
    if not rounds:
        return 1
    if len(rounds) == 1 and now - rounds[0][1] <= dt.timedelta(days=SUPPLEMENT_DAYS):
        return 2
    return None


def rating_state(session: Session, *, case_id: str, status: str, now: dt.datetime) -> RatingState:
    """What may be rated now of the case whose status is ``status``, in the caller's read."""
    stage = _stage(status)
    return RatingState(stage, _next_round(_rounds(session, case_id, stage), now))


def current_rating_state(db: HubDatabase, *, case_id: str, now: dt.datetime) -> RatingState:
    """:func:`rating_state` of the case as it is now, in a read of its own."""
    with db.read() as session:
        status = session.scalar(select(Case.status).where(Case.id == case_id)) or ""
        return rating_state(session, case_id=case_id, status=status, now=now)


def _grade(value: object) -> int:
    try:
        return int(RatingLevel(int(value)))  # type: ignore[call-overload]
    except (TypeError, ValueError):
        raise RatingRefused(BAD_GRADE) from None


def supervisor_of(session: Session, center_code: str) -> str | None:
    """The follow-up's owner, as at a window: a supervisor of the center before an administrator."""
    rows = list(
        session.execute(
            select(Operator.id, Operator.role)
            .where(
                Operator.center_code == center_code,
                Operator.active.is_(True),
                Operator.role.in_((Role.SUPERVISOR.value, Role.ADMINISTRATOR.value)),
            )
            .order_by(Operator.display_name)
        ).all()
    )
    rows.sort(key=lambda row: row.role != Role.SUPERVISOR.value)
    return rows[0].id if rows else None


def rate_case(
    db: HubDatabase, *, case_id: str, level: object, aspects: dict[str, object], comment: str, now: dt.datetime
) -> RatingTaken:
    """Takes the rating, or raises RatingRefused with the reason's msgid."""
    overall = _grade(level)
    grades = {name: _grade(aspects.get(name)) for name in ASPECTS}
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT:
        raise RatingRefused(TOO_LONG)
    try:
        return db.run_write(lambda session: _store(session, case_id, overall, grades, comment, now), feed=True)
    except IntegrityError:
        raise RatingRefused(ALREADY_RATED) from None


def _store(
    session: Session, case_id: str, level: int, grades: dict[str, int], comment: str, now: dt.datetime
) -> RatingTaken:
    case = session.get(Case, case_id)
    if case is None:
        raise RatingRefused(ALREADY_RATED)
    stage = _stage(case.status)
    round_ = _next_round(_rounds(session, case.id, stage), now)
    if round_ is None:
        raise RatingRefused(ALREADY_RATED)
    rating_id = new_uuid()
    follow_up: dict[str, Any] | None = None
    if needs_follow_up(level):
        zone = session.scalar(select(Center.timezone).where(Center.code == case.center_code)) or "Asia/Shanghai"
        today = now.astimezone(ZoneInfo(zone)).date()
        follow_up = {
            "id": new_uuid(),
            "owner": supervisor_of(session, case.center_code),
            "deadline": hub_calendar(session).add_working_days(today, FOLLOW_UP_WORKING_DAYS),
        }
    session.add(
        Rating(
            # A case its department accepted online (全程网办) has neither window nor operator.
            id=rating_id,
            center_code=case.center_code,
            window_id=case.window_id or "",
            operator_id=case.operator_id or "",
            case_id=case.id,
            item_code=case.item_code,
            level=level,
            reason=comment,
            channel=WEB_CHANNEL,
            stage=stage,
            round=round_,
            aspects=grades,
            rated_at=now,
            received_at=now,
            follow_up_id=follow_up and follow_up["id"],
            follow_up_owner=follow_up and follow_up["owner"],
            follow_up_deadline=follow_up and follow_up["deadline"],
            follow_up_status=FollowUpStatus.OPEN if follow_up else None,
            follow_up_outcome="",
            follow_up_closed_at=None,
            follow_up_closed_by="",
        )
    )
    session.flush()  # the unique index speaks here, before the change is numbered
    figure_days.add_ratings(session, [rating_id])  # the report's sums by day
    append_change(
        session,
        kind=CHANGE_WEB_RATING,
        entity="rating",
        entity_id=rating_id,
        center_code=case.center_code,
        payload={
            "id": rating_id,
            "case_id": case.id,
            "case_number": case.case_number,
            "center": case.center_code,
            "window": case.window_id,
            "operator": case.operator_id,
            "item": case.item_code,
            "level": level,
            "aspects": grades,
            "stage": stage,
            "round": round_,
            "comment": comment,
            "rated_at": now.isoformat(),
            "follow_up": None if follow_up is None else {**follow_up, "deadline": follow_up["deadline"].isoformat()},
        },
        now=now,
    )
    return RatingTaken(rating_id, stage, round_, follow_up["deadline"] if follow_up else None)
