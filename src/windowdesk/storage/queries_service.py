"""Queries of parallel parts, the citizen's voice and the performance report.

Services call these; they never build SQL themselves (only storage imports SQLAlchemy).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from windowdesk.storage import models as m
from windowdesk.storage.models_service import CasePart, Complaint, FollowUp, Inquiry, Rating

_CHUNK = 500
FINISHING = ("completed", "withdrawn")


def parts_of_case(session: Session, case_id: str) -> list[CasePart]:
    return list(session.scalars(select(CasePart).where(CasePart.case_id == case_id).order_by(CasePart.position)))


def department_names(session: Session) -> dict[str, str]:
    return dict(session.execute(select(m.Department.code, m.Department.name)).all())


def operator_names(session: Session) -> dict[str, str]:
    return dict(session.execute(select(m.Operator.id, m.Operator.display_name)).all())


def active_staff(session: Session, center_code: str, roles: Sequence[str] | None = None) -> list[m.Operator]:
    query = select(m.Operator).where(m.Operator.center_code == center_code, m.Operator.active.is_(True))
    if roles is not None:
        query = query.where(m.Operator.role.in_(tuple(roles)))
    return list(session.scalars(query.order_by(m.Operator.display_name)))


def follow_ups(session: Session, center_code: str, *, open_only: bool) -> list[FollowUp]:
    query = select(FollowUp).where(FollowUp.center_code == center_code)
    if open_only:
        query = query.where(FollowUp.status == "open")
    return list(session.scalars(query.order_by(FollowUp.deadline, FollowUp.created_at)))


def inquiries(session: Session, center_code: str, *, open_only: bool, owner_id: str | None) -> list[Inquiry]:
    query = select(Inquiry).where(Inquiry.center_code == center_code)
    if open_only:
        query = query.where(Inquiry.status == "open")
    if owner_id is not None:
        query = query.where(Inquiry.owner_id == owner_id)
    return list(session.scalars(query.order_by(Inquiry.asked_at)))


def complaints(session: Session, center_code: str, *, open_only: bool) -> list[Complaint]:
    query = select(Complaint).where(Complaint.center_code == center_code)
    if open_only:
        query = query.where(Complaint.status == "open")
    return list(session.scalars(query.order_by(Complaint.deadline, Complaint.received_at)))


# --- the performance report -------------------------------------------------------------


def item_limits(session: Session) -> dict[str, tuple[str, int]]:
    """item code -> (department code, promised limit in working days)."""
    return {code: (department, promised) for code, department, promised in session.execute(
        select(m.CatalogItem.code, m.CatalogItem.department_code, m.CatalogItem.promised_limit_days))}


def window_labels(session: Session, center_code: str) -> dict[str, str]:
    return {w.id: f"{w.code} {w.name}" for w in session.scalars(select(m.Window).where(m.Window.center_code == center_code))}


def center_names(session: Session) -> dict[str, str]:
    return dict(session.execute(select(m.Center.code, m.Center.name)).all())


def report_cases(session: Session, center_code: str, end_day: dt.date, start_utc: dt.datetime):
    """(id, window, operator, item, accepted day) of the cases that can count in a period:
    accepted by its last day and not completed or withdrawn before its first."""
    finished_early = exists().where(
        m.CaseEvent.case_id == m.Case.id, m.CaseEvent.to_status.in_(FINISHING), m.CaseEvent.at < start_utc
    )
    return session.execute(
        select(m.Case.id, m.Case.window_id, m.Case.operator_id, m.Case.item_code, m.Case.accepted_day)
        .where(m.Case.center_code == center_code, m.Case.accepted_day <= end_day, ~finished_early)
    ).all()


def timelines(session: Session, case_ids: Sequence[str]) -> dict[str, list[tuple[dt.datetime, str | None]]]:
    """case id -> [(time, status after)] in time order."""
    found: dict[str, list[tuple[dt.datetime, str | None]]] = defaultdict(list)
    for i in range(0, len(case_ids), _CHUNK):
        for case_id, at, to_status in session.execute(
            select(m.CaseEvent.case_id, m.CaseEvent.at, m.CaseEvent.to_status)
            .where(m.CaseEvent.case_id.in_(case_ids[i:i + _CHUNK])).order_by(m.CaseEvent.at)
        ):
            found[case_id].append((at, to_status))
    return found


def report_decisions(session: Session, center_code: str, low: dt.datetime, high: dt.datetime):
    """(kind, window, operator, item, time) of notifications and refusals in [low, high)."""
    rows = []
    for model, kind in ((m.OneTimeNotification, "notification"), (m.Refusal, "refusal")):
        rows += [(kind, *row) for row in session.execute(
            select(model.window_id, model.operator_id, model.item_code, model.created_at)
            .where(model.center_code == center_code, model.created_at >= low, model.created_at < high))]
    return rows


def report_ratings(session: Session, center_code: str, low: dt.datetime, high: dt.datetime):
    return session.execute(
        select(Rating.window_id, Rating.operator_id, Rating.item_code, Rating.rated_at, Rating.level)
        .where(Rating.center_code == center_code, Rating.rated_at >= low, Rating.rated_at < high)
    ).all()


def report_complaints(session: Session, center_code: str, low: dt.datetime, high: dt.datetime) -> list[Complaint]:
    return list(session.scalars(select(Complaint).where(
        Complaint.center_code == center_code, Complaint.received_at >= low, Complaint.received_at < high)))
