"""Queries of parallel parts, service quality and the performance report.

Services call these; they never build SQL themselves (only storage imports SQLAlchemy).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Date, Row, func, literal, or_, select, union
from sqlalchemy.orm import Session

from windowdesk.domain.case_sources import CaseSource
from windowdesk.domain.complaints import ComplaintStatus
from windowdesk.domain.quality_states import FollowUpStatus, InquiryStatus
from windowdesk.storage import models as m
from windowdesk.storage.models_quality import CasePart, Complaint, FollowUp, Inquiry, Rating

_CHUNK = 500


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
        query = query.where(FollowUp.status == FollowUpStatus.OPEN)
    return list(session.scalars(query.order_by(FollowUp.deadline, FollowUp.created_at)))


def inquiries(session: Session, center_code: str, *, open_only: bool, owner_id: str | None) -> list[Inquiry]:
    query = select(Inquiry).where(Inquiry.center_code == center_code)
    if open_only:
        query = query.where(Inquiry.status == InquiryStatus.OPEN)
    if owner_id is not None:
        query = query.where(Inquiry.owner_id == owner_id)
    return list(session.scalars(query.order_by(Inquiry.asked_at)))


def complaints(session: Session, center_code: str, *, open_only: bool) -> list[Complaint]:
    query = select(Complaint).where(Complaint.center_code == center_code)
    if open_only:
        query = query.where(Complaint.status == ComplaintStatus.OPEN)
    return list(session.scalars(query.order_by(Complaint.deadline, Complaint.received_at)))


# --- the performance report -------------------------------------------------------------


def item_limits(session: Session) -> dict[str, tuple[str, int]]:
    """item code -> (department code, promised limit in working days)."""
    return {
        code: (department, promised)
        for code, department, promised in session.execute(
            select(m.CatalogItem.code, m.CatalogItem.department_code, m.CatalogItem.promised_limit_days)
        )
    }


def window_labels(session: Session, center_code: str) -> dict[str, str]:
    return {
        w.id: f"{w.code} {w.name}" for w in session.scalars(select(m.Window).where(m.Window.center_code == center_code))
    }


def center_names(session: Session) -> dict[str, str]:
    return dict(session.execute(select(m.Center.code, m.Center.name)).all())


@dataclass
class ReportCase:
    """A case that can count in a period. ``finished_at``: when it was completed or
    withdrawn (``status`` says which); ``steps``: its steps into and out of suspensions,
    (time, status after) in recorded order, read only for cases that were suspended."""

    id: str
    window_id: str
    operator_id: str | None
    item_code: str
    accepted_day: dt.date
    status: str
    finished_at: dt.datetime | None
    steps: list[tuple[dt.datetime, str | None]] = field(default_factory=list)
    proxy: bool = False  # 帮办代办
    deferred: bool = False  # 容缺受理
    verify_due: dt.date | None = None  # 告知承诺制: the verification's due day
    verified: str | None = None  # and its result, once the hub published it
    online: bool = False  # 网上申报: the case's source


def report_cases(
    session: Session, center_code: str, start_day: dt.date, end_day: dt.date, low: dt.datetime, high: dt.datetime
) -> list[ReportCase]:
    """The center's cases that can change a figure of the local days start..end (UTC
    [low, high)): accepted in it, finished in it, or not finished by its end and open
    long enough to be overdue (a case open fewer calendar days than its promised working
    days cannot be). The rest of the year stays in the database."""
    case, item = m.Case, m.CatalogItem
    columns = (
        case.id,
        case.window_id,
        case.operator_id,
        case.item_code,
        case.accepted_day,
        case.status,
        case.finished_at,
        case.suspensions,
        case.source,
    )
    open_long = func.julianday(literal(end_day, Date)) - func.julianday(case.accepted_day) > func.coalesce(
        item.promised_limit_days, 0
    )
    rows = session.execute(
        union(
            select(*columns).where(case.center_code == center_code, case.accepted_day.between(start_day, end_day)),
            select(*columns).where(case.center_code == center_code, case.finished_at >= low, case.finished_at < high),
            select(*columns)
            .outerjoin(item, item.code == case.item_code)
            .where(
                case.center_code == center_code,
                or_(case.finished_at.is_(None), case.finished_at >= high),
                case.accepted_day <= end_day,
                open_long,
            ),
        )
    ).all()
    found = {row[0]: ReportCase(*row[:7], online=row[8] == CaseSource.ONLINE) for row in rows}
    suspended = [row[0] for row in rows if row[7]]
    for i in range(0, len(suspended), _CHUNK):
        # A suspension begins with a step to "suspended" and ends with the next step,
        # which is one from "suspended".
        for case_id, at, to_status in session.execute(
            select(m.CaseEvent.case_id, m.CaseEvent.at, m.CaseEvent.to_status)
            .where(
                m.CaseEvent.case_id.in_(suspended[i : i + _CHUNK]),
                or_(m.CaseEvent.to_status == "suspended", m.CaseEvent.from_status == "suspended"),
            )
            .order_by(m.CaseEvent.case_id, m.CaseEvent.position, m.CaseEvent.at)
        ):
            found[case_id].steps.append((at, to_status))
    ids = list(found)
    for i in range(0, len(ids), _CHUNK):
        for case_id in session.scalars(select(m.CaseProxy.case_id).where(m.CaseProxy.case_id.in_(ids[i : i + _CHUNK]))):
            found[case_id].proxy = True
        for case_id in session.scalars(
            select(m.CaseMaterial.case_id)
            .distinct()
            .where(m.CaseMaterial.case_id.in_(ids[i : i + _CHUNK]), m.CaseMaterial.due_date.is_not(None))
        ):
            found[case_id].deferred = True
        for case_id, due, result in session.execute(
            select(m.CaseCommitment.case_id, m.CaseCommitment.verify_due, m.CaseCommitment.verified_result).where(
                m.CaseCommitment.case_id.in_(ids[i : i + _CHUNK])
            )
        ):
            found[case_id].verify_due, found[case_id].verified = due, result
    return list(found.values())


def report_decisions(
    session: Session, center_code: str, low: dt.datetime, high: dt.datetime, leave_out: Collection[str] = ()
) -> list[tuple[Any, ...]]:
    """(kind, window, operator, item, time) of notifications and refusals in [low, high),
    but those whose id is in ``leave_out``."""
    rows = []
    for model, kind in ((m.OneTimeNotification, "notification"), (m.Refusal, "refusal")):
        rows += [
            (kind, *row[1:])
            for row in session.execute(
                select(model.id, model.window_id, model.operator_id, model.item_code, model.created_at).where(
                    model.center_code == center_code, model.created_at >= low, model.created_at < high
                )
            )
            if row[0] not in leave_out
        ]
    return rows


def report_ratings(
    session: Session, center_code: str, low: dt.datetime, high: dt.datetime
) -> Sequence[Row[str, str, str | None, dt.datetime, int, str]]:
    return session.execute(
        select(
            Rating.window_id, Rating.operator_id, Rating.item_code, Rating.rated_at, Rating.level, Rating.channel
        ).where(Rating.center_code == center_code, Rating.rated_at >= low, Rating.rated_at < high)
    ).all()


def report_complaints(session: Session, center_code: str, low: dt.datetime, high: dt.datetime) -> list[Complaint]:
    return list(
        session.scalars(
            select(Complaint).where(
                Complaint.center_code == center_code, Complaint.received_at >= low, Complaint.received_at < high
            )
        )
    )
