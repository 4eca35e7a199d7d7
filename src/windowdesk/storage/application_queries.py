"""Queries of the online applications kept for the pre-review (storage/models_applications.py)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select, update

from windowdesk.domain.online_application_status import ApplicationStatus
from windowdesk.storage.db import Session
from windowdesk.storage.models_applications import OnlineApplication

SUBMITTED, ACCEPTED, RETURNED, CLOSED = (
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.ACCEPTED,
    ApplicationStatus.RETURNED,
    ApplicationStatus.CLOSED,
)


def waiting(session: Session) -> list[OnlineApplication]:
    """Applications waiting for this window's pre-review whose values and pages are here,
    oldest first."""
    return list(
        session.scalars(
            select(OnlineApplication)
            .where(OnlineApplication.status == SUBMITTED, OnlineApplication.fetched_round == OnlineApplication.round)
            .order_by(OnlineApplication.submitted_at, OnlineApplication.number)
        )
    )


def to_fetch(session: Session) -> list[tuple[str, int]]:
    """(id, round) of the applications waiting whose current round is not fetched yet."""
    return [
        (row.id, row.round)
        for row in session.execute(
            select(OnlineApplication.id, OnlineApplication.round)
            .where(OnlineApplication.status == SUBMITTED, OnlineApplication.fetched_round < OnlineApplication.round)
            .order_by(OnlineApplication.submitted_at)
        )
    ]


def submitted_ids(session: Session) -> set[str]:
    return set(session.scalars(select(OnlineApplication.id).where(OnlineApplication.status == SUBMITTED)))


def close(session: Session, ids: Iterable[str]) -> None:
    """No longer waiting at the hub (decided at another window, or deleted there): what the
    resident typed is not kept here for nothing."""
    ids = sorted(ids)
    if ids:
        session.execute(
            update(OnlineApplication)
            .where(OnlineApplication.id.in_(ids), OnlineApplication.status == SUBMITTED)
            .values(status=CLOSED, values={}, labels=[])
        )


def by_number(session: Session, number: str) -> OnlineApplication | None:
    return session.scalar(select(OnlineApplication).where(OnlineApplication.number == number))


def get(session: Session, application_id: str) -> OnlineApplication | None:
    return session.get(OnlineApplication, application_id)


def open_rows(session: Session, statuses: Iterable[str]) -> list[OnlineApplication]:
    return list(session.scalars(select(OnlineApplication).where(OnlineApplication.status.in_(list(statuses)))))
