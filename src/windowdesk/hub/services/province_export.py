"""The provincial record (docs/province-case-record.schema.json): one JSON line per case
for each day, for ``windowdesk-hub export-province``.

A day's file holds every case with something recorded on that day at its center (on the
center's clock): accepted, reviewed, decided, completed, delivered, suspended, resumed or
rated; each line is the case's whole record as the hub has it when exporting, so the
province can take the latest line of a case as the truth. Personal data is masked (the
applicant's ID number) or left out (names, addresses).
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from windowdesk.domain.case_state import CaseStatus
from windowdesk.domain.case_steps import StepSource
from windowdesk.domain.ids import mask_id_number
from windowdesk.domain.province_record import (
    ACCEPTANCE,
    SCHEMA_VERSION,
    STAGE_OF_STATUS,
    STAGES,
    case_kind,
)
from windowdesk.domain.suspensions import suspension_kind
from windowdesk.hub.errors import InvalidInput
from windowdesk.hub.language import Text
from windowdesk.hub.storage.models import (
    STEP_TIME,
    Case,
    CaseCommitment,
    CaseEvent,
    CatalogItem,
    CatalogVersion,
    Center,
    Organisation,
    Resident,
)
from windowdesk.hub.storage.models_delivery import CaseDelivery, CaseHandover
from windowdesk.hub.storage.models_quality import Rating
from windowdesk.i18n import N_

MAX_EXPORT_DAYS = 366
_MARGIN = dt.timedelta(days=1)  # any center's local day lies within a day of UTC
_CHUNK = 500


def _catalog_items(session: Session) -> dict[str, dict[str, Any]]:
    """Every item as last published (the catalog's own words: limits, parallel,
    certificate, reported upward)."""
    items: dict[str, dict[str, Any]] = {}
    for documents in session.scalars(select(CatalogVersion.documents).order_by(CatalogVersion.imported_at)):
        published = (documents or {}).get("items") or {}
        for item in published.get("items", []) if isinstance(published, dict) else []:
            items[item["code"]] = item
    return items


def _cases_of_day(session: Session, day: dt.date, zones: dict[str, ZoneInfo]) -> list[str]:
    low = dt.datetime.combine(day, dt.time.min, tzinfo=dt.UTC) - _MARGIN
    high = low + 3 * _MARGIN
    found: set[str] = set()

    def local_day(center: str, at: dt.datetime) -> dt.date:
        return at.astimezone(zones.get(center, dt.UTC)).date()

    for case_id, center, at in session.execute(
        select(CaseEvent.case_id, Case.center_code, STEP_TIME)
        .join(Case, Case.id == CaseEvent.case_id)
        .where(STEP_TIME.between(low, high))
    ):
        if local_day(center, at) == day:
            found.add(case_id)
    for rated_case, center, at in session.execute(
        select(Rating.case_id, Rating.center_code, Rating.rated_at).where(
            Rating.case_id.is_not(None), Rating.rated_at >= low, Rating.rated_at < high
        )
    ):
        if rated_case is not None and local_day(center, at) == day:
            found.add(rated_case)
    return sorted(found)


def day_records(session: Session, day: dt.date) -> list[dict[str, Any]]:
    """The provincial records of ``day``'s cases, by case number."""
    centers = {center.code: center for center in session.scalars(select(Center))}
    zones = {code: ZoneInfo(center.timezone) for code, center in centers.items()}
    catalog = _catalog_items(session)
    departments = dict(session.execute(select(CatalogItem.code, CatalogItem.department_code)).all())
    ids = _cases_of_day(session, day, zones)
    records = []
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        steps: dict[str, list[CaseEvent]] = defaultdict(list)
        for event in session.scalars(select(CaseEvent).where(CaseEvent.case_id.in_(chunk)).order_by(CaseEvent.seq)):
            steps[event.case_id].append(event)
        choices = {
            row.case_id: row for row in session.scalars(select(CaseDelivery).where(CaseDelivery.case_id.in_(chunk)))
        }
        handovers = {
            row.case_id: row for row in session.scalars(select(CaseHandover).where(CaseHandover.case_id.in_(chunk)))
        }
        ratings: dict[str, Rating] = {}
        for rating in session.scalars(select(Rating).where(Rating.case_id.in_(chunk)).order_by(Rating.rated_at)):
            if rating.case_id is not None:
                ratings[rating.case_id] = rating  # the latest counts
        for case in session.scalars(select(Case).where(Case.id.in_(chunk))):
            zone = zones.get(case.center_code, ZoneInfo("UTC"))
            records.append(
                _record(
                    session,
                    case,
                    steps[case.id],
                    zone,
                    centers.get(case.center_code),
                    catalog.get(case.item_code, {}),
                    departments.get(case.item_code),
                    choices.get(case.id),
                    handovers.get(case.id),
                    ratings.get(case.id),
                    day,
                )
            )
    return sorted(records, key=lambda record: record["case_number"])


def _time(at: dt.datetime | None, zone: ZoneInfo) -> str | None:
    return at.astimezone(zone).isoformat() if at is not None else None


def _step_time(event: CaseEvent) -> dt.datetime:
    return event.client_at or event.recorded_at


def _applicant(session: Session, case: Case) -> dict[str, str]:
    if case.applicant_kind == "resident":
        resident = session.get(Resident, case.applicant_id)
        return {"type": "resident", "id_masked": mask_id_number(resident.id_number) if resident else ""}
    organisation = session.get(Organisation, case.applicant_id)
    return {"type": "organisation", "id_masked": organisation.credit_code if organisation else ""}


def _stages(case: Case, steps: list[CaseEvent], zone: ZoneInfo) -> list[dict[str, Any]]:
    # 受理 by the window, or by the department for a fully-online item it accepted itself (全程网办).
    accepted_by = case.window_id or case.accepted_by_department or StepSource.HUB
    stages = [{"stage": ACCEPTANCE, "at": _time(case.accepted_at, zone), "by": accepted_by, "opinion": ""}]
    reached = {ACCEPTANCE}
    for event in steps:
        stage = STAGE_OF_STATUS.get(event.to_status)
        if stage is None or stage in reached or event.from_status == event.to_status:
            continue
        reached.add(stage)
        by = event.department_code or (case.window_id if event.source == StepSource.WINDOW else StepSource.HUB)
        stages.append({"stage": stage, "at": _time(_step_time(event), zone), "by": by, "opinion": event.note or ""})
    return sorted(stages, key=lambda s: STAGES.index(s["stage"]))


def _suspensions(steps: list[CaseEvent], zone: ZoneInfo) -> list[dict[str, Any]]:
    periods: list[dict[str, Any]] = []
    for event in steps:
        if event.to_status == CaseStatus.SUSPENDED and event.from_status != CaseStatus.SUSPENDED:
            periods.append(
                {
                    "kind": suspension_kind(event.suspension_kind).value,
                    "from": _time(_step_time(event), zone),
                    "to": None,
                    "reason": event.note or "",
                }
            )
        elif event.from_status == CaseStatus.SUSPENDED and event.to_status != CaseStatus.SUSPENDED and periods:
            periods[-1]["to"] = _time(_step_time(event), zone)
    return periods


def _record(
    session: Session,
    case: Case,
    steps: list[CaseEvent],
    zone: ZoneInfo,
    center: Center | None,
    item: dict[str, Any],
    department: str | None,
    choice: CaseDelivery | None,
    handover: CaseHandover | None,
    rating: Rating | None,
    day: dt.date,
) -> dict[str, Any]:
    decided = next((e for e in steps if e.to_status in (CaseStatus.APPROVED, CaseStatus.REJECTED)), None)
    accepted_day = case.accepted_at.astimezone(zone).date()
    promised = int(item.get("promised_limit_days") or 0)
    return {
        "schema_version": SCHEMA_VERSION,
        "export_day": day.isoformat(),
        "case_number": case.case_number,
        "center": {"code": case.center_code, "name": center.name if center else ""},
        "window": case.window_id,
        "item": {
            "code": case.item_code,
            "name": item.get("name", ""),
            "department": department or "",
            "promised_days": promised,
            "legal_days": int(item.get("legal_limit_days") or 0),
        },
        "kind": case_kind(
            reported_upward=bool(item.get("reported_upward")),
            parallel=bool(item.get("parallel")),
            promised_days=promised,
            accepted_day=accepted_day,
            decided_day=_step_time(decided).astimezone(zone).date() if decided else None,
        ),
        "source": case.source,
        "applicant": _applicant(session, case),
        "accepted_at": _time(case.accepted_at, zone),
        "status": case.status,
        "stages": _stages(case, steps, zone),
        "suspensions": _suspensions(steps, zone),
        "result": decided.to_status if decided else None,
        "certificate_number": case.certificate_number or None,
        "delivery": {
            "mode": choice.mode if choice else (handover.mode if handover else None),
            "handed_over_as": handover.mode if handover else None,
            "handed_over_at": _time(handover.at, zone) if handover else None,
            "waybill": handover.waybill if handover and handover.waybill else None,
            "by_agent": handover.by_agent if handover else None,
            "id_read_from_card": handover.read_from_card if handover else None,
        },
        "rating": {"level": rating.level, "at": _time(rating.rated_at, zone), "channel": rating.channel or None}
        if rating
        else None,
        "commitment": _commitment(session, case.id),
    }


def _commitment(session: Session, case_id: str) -> dict[str, Any] | None:
    """告知承诺制: the verification's due day and the department's finding (None: not recorded)."""
    row = session.get(CaseCommitment, case_id)
    return {"verify_due": row.verify_due.isoformat(), "verification": row.result} if row is not None else None


def export_days(session: Session, *, start: dt.date, end: dt.date, out: Path) -> list[tuple[Path, int]]:
    """One file per day, province-YYYY-MM-DD.jsonl (empty on a day without cases, so the
    province sees the day was exported); the files written and their line counts."""
    if end < start:
        raise InvalidInput(N_("The period ends before it starts."))
    if (end - start).days + 1 > MAX_EXPORT_DAYS:
        raise InvalidInput(Text(N_("An export covers at most {most} days."), most=MAX_EXPORT_DAYS))
    out.mkdir(parents=True, exist_ok=True)
    written = []
    day = start
    while day <= end:
        records = day_records(session, day)
        path = out / f"province-{day.isoformat()}.jsonl"
        partial = path.with_suffix(".jsonl.part")
        with partial.open("w", encoding="utf-8", newline="\n") as handle:
            for record in records:
                handle.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n")
        partial.replace(path)  # a file the province finds is always whole
        written.append((path, len(records)))
        day += dt.timedelta(days=1)
    return written
