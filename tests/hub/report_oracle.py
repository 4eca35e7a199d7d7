"""The city-wide report as the hub built it before issue 26's projection: every case's
facts in Python, then domain.assessment.build_report. Kept here as the oracle the SQL
report (hub/services/reports.py over case_figures) must equal, figure for figure."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from windowdesk.domain.assessment import (
    GROUPINGS,
    CaseFact,
    ComplaintFact,
    DecisionFact,
    Keys,
    RatingFact,
    Report,
    build_report,
)
from windowdesk.domain.case_state import CaseStatus
from windowdesk.domain.service_quality import WEB_CHANNEL
from windowdesk.domain.time_limits import suspensions_from
from windowdesk.hub.services.calendar_years import hub_calendar
from windowdesk.hub.services.case_figures import item_limits
from windowdesk.hub.services.reports import check_period, labels
from windowdesk.hub.storage.models import (
    STEP_TIME,
    Case,
    CaseCommitment,
    CaseDeferredMaterial,
    CaseEvent,
    CaseProxy,
    Center,
    Notification,
    Refusal,
)
from windowdesk.hub.storage.models_quality import Complaint, Rating

FINISHING = ("completed", "withdrawn")
DECIDED = (CaseStatus.APPROVED.value, CaseStatus.REJECTED.value)  # the delivery deadline runs from here
# A case that finished is in one of these for good (no transition leaves them).
FINISHED_STATUSES = ("completed", "delivered", "withdrawn")
OPEN_STATUSES = tuple(status.value for status in CaseStatus if status.value not in FINISHED_STATUSES)
_CHUNK = 500
_MARGIN = dt.timedelta(days=1)


def oracle_report(
    session: Session,
    *,
    start: dt.date,
    end: dt.date,
    by: str = "center",
    center: str | None = None,
    department: str | None = None,
) -> Report:
    """The figures of every center (or ``center``) for the local days start..end; with
    ``department``, of that department's items only (what its staff token may read)."""
    return oracle_reports(session, start=start, end=end, groupings=(by,), center=center, department=department)[by]


def oracle_reports(
    session: Session,
    *,
    start: dt.date,
    end: dt.date,
    groupings: Sequence[str] = GROUPINGS,
    center: str | None = None,
    department: str | None = None,
) -> dict[str, Report]:
    """``oracle_report`` for each of ``groupings``: the facts of the period are read once
    and grouped each way (they do not depend on the grouping)."""
    check_period(start, end)
    zones = {code: ZoneInfo(zone) for code, zone in session.execute(select(Center.code, Center.timezone))}
    items = item_limits(session)
    low = dt.datetime.combine(start, dt.time.min, tzinfo=dt.UTC) - _MARGIN
    high = dt.datetime.combine(end, dt.time.min, tzinfo=dt.UTC) + 2 * _MARGIN

    def day(center_code: str, value: dt.datetime) -> dt.date:
        return value.astimezone(zones.get(center_code, dt.UTC)).date()

    def keys(
        center_code: str, window: str | None, operator: str | None, item: str | None, department: str | None = None
    ) -> Keys:
        return Keys(window, operator, department or items.get(item, (None, 0))[0], center_code)

    def where_center(column):
        return [column == center] if center is not None else []

    # The cases that can count: accepted before the period's end and not finished before
    # its start. Those still open are found by status (no case leaves a finished status),
    # those finished since the start by their finishing step (both through an index).
    columns = (
        Case.id,
        Case.center_code,
        Case.window_id,
        Case.item_code,
        Case.accepted_at,
        Case.operator_id,
        Case.source,
    )
    finished_since = select(CaseEvent.case_id).where(CaseEvent.to_status.in_(FINISHING), low <= STEP_TIME)
    # 送达: results still to be delivered (few: they leave within days), and those
    # delivered since the start, through the same index.
    delivered_since = select(CaseEvent.case_id).where(
        CaseEvent.to_status == CaseStatus.DELIVERED.value, low <= STEP_TIME
    )
    cases = {
        row.id: row
        for wanted in (
            Case.status.in_(OPEN_STATUSES),
            Case.id.in_(finished_since),
            Case.status == CaseStatus.COMPLETED.value,
            Case.id.in_(delivered_since),
        )
        for row in session.execute(
            select(*columns).where(wanted, Case.accepted_at < high, *where_center(Case.center_code))
        )
    }
    ids = list(cases)
    timelines: dict[str, list] = defaultdict(list)
    proxies: set[str] = set()  # 帮办代办, counted apart
    deferred: set[str] = set()  # 容缺受理, counted apart
    commitments: dict[str, tuple[dt.date, str | None]] = {}  # 告知承诺制: verification due, result
    for i in range(0, len(ids), _CHUNK):
        for case_id, at, status in session.execute(
            select(CaseEvent.case_id, STEP_TIME, CaseEvent.to_status)
            .where(CaseEvent.case_id.in_(ids[i : i + _CHUNK]))
            .order_by(CaseEvent.case_id, CaseEvent.seq)
        ):
            timelines[case_id].append((at, status))
        proxies.update(session.scalars(select(CaseProxy.case_id).where(CaseProxy.case_id.in_(ids[i : i + _CHUNK]))))
        deferred.update(
            session.scalars(
                select(CaseDeferredMaterial.case_id)
                .distinct()
                .where(CaseDeferredMaterial.case_id.in_(ids[i : i + _CHUNK]))
            )
        )
        commitments.update(
            (case_id, (due, result))
            for case_id, due, result in session.execute(
                select(CaseCommitment.case_id, CaseCommitment.verify_due, CaseCommitment.result).where(
                    CaseCommitment.case_id.in_(ids[i : i + _CHUNK])
                )
            )
        )
    case_facts = []
    for row in cases.values():
        timeline = [(day(row.center_code, at), status) for at, status in timelines[row.id]]
        item_department, promised = items.get(row.item_code, (None, 0))
        case_facts.append(
            CaseFact(
                Keys(row.window_id, row.operator_id, item_department, row.center_code),
                day(row.center_code, row.accepted_at),
                promised,
                completed_day=next((d for d, s in timeline if s == "completed"), None),
                withdrawn_day=next((d for d, s in timeline if s == "withdrawn"), None),
                suspensions=tuple(suspensions_from(timeline)),
                decided_day=next((d for d, s in timeline if s in DECIDED), None),
                delivered_day=next((d for d, s in timeline if s == CaseStatus.DELIVERED.value), None),
                proxy=row.id in proxies,
                deferred=row.id in deferred,
                online=row.source == "online",
                verify_due=commitments[row.id][0] if row.id in commitments else None,
                verified=commitments[row.id][1] if row.id in commitments else None,
            )
        )

    decisions = []
    for model, kind in ((Notification, "notification"), (Refusal, "refusal")):
        rows = session.execute(
            select(model.center_code, model.window_id, model.operator_id, model.item_code, model.created_at).where(
                model.created_at >= low, model.created_at < high, *where_center(model.center_code)
            )
        )
        decisions += [
            DecisionFact(
                keys(r.center_code, r.window_id, r.operator_id, r.item_code), day(r.center_code, r.created_at), kind
            )
            for r in rows
        ]
    ratings = [
        RatingFact(
            keys(r.center_code, r.window_id, r.operator_id, r.item_code),
            day(r.center_code, r.rated_at),
            r.level,
            r.channel == WEB_CHANNEL,
        )
        for r in session.execute(
            select(
                Rating.center_code,
                Rating.window_id,
                Rating.operator_id,
                Rating.item_code,
                Rating.rated_at,
                Rating.level,
                Rating.channel,
            ).where(Rating.rated_at >= low, Rating.rated_at < high, *where_center(Rating.center_code))
        )
    ]
    complaints = [
        ComplaintFact(
            keys(
                c.center_code,
                c.about_window_id or c.window_id,
                c.about_operator_id,
                c.about_item_code,
                c.about_department_code,
            ),
            day(c.center_code, c.received_at),
            c.deadline,
            day(c.center_code, c.replied_at) if c.replied_at else None,
            c.source == WEB_CHANNEL,
        )
        for c in session.scalars(
            select(Complaint).where(
                Complaint.received_at >= low, Complaint.received_at < high, *where_center(Complaint.center_code)
            )
        )
    ]
    if department is not None:
        case_facts, decisions, ratings, complaints = (
            [fact for fact in facts if fact.keys.department == department]
            for facts in (case_facts, decisions, ratings, complaints)
        )
    calendar = hub_calendar(session)
    return {
        by: build_report(
            start=start,
            end=end,
            by=by,
            calendar=calendar,
            cases=case_facts,
            decisions=decisions,
            ratings=ratings,
            complaints=complaints,
            label=labels(session, by),
        )
        for by in groupings
    }
