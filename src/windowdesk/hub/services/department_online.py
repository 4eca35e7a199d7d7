"""全程网办: the department that decides a fully-online item pre-reviews its online
applications in the console and accepts them itself; the resident never visits.

- **Who**: only staff of the item's (lead) department, and only for items the published
  catalog marks ``fully_online``; anyone else is refused (console_rights), and an
  application of another item is answered as if it did not exist.
- **The pre-review** is the window's (网上预审, application_rules): accept, or return with
  the one-time list of what is missing or to be corrected (everything at once, each entry
  a material of the item or a note on the form); or refuse, with the reason, as a window
  refuses a case it cannot accept (不予受理). Only a submitted application's current round
  is decided, once: the window's pre-review of the same round is refused after it, and the
  other way round (the application's row is locked while it is decided).
- **Accepting** makes the case at the hub, in one transaction with the decision: numbered
  in the department's own series (hub_case_numbers), source ``online``, accepted by the
  department (no window), the applicant registered from the form, the promised date from
  the working-day calendar on the center's day, the query code the resident already holds
  (the application's, kept hashed: the case's public page opens with it), its report
  figures, and the change that tells the chosen center's windows. The case then waits in
  the department's queue like any other.

Every action is recorded in the hub's audit log with the signed-in person.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from windowdesk.domain.case_sources import CaseSource
from windowdesk.domain.case_state import CaseStatus
from windowdesk.domain.case_steps import StepKind, StepSource
from windowdesk.domain.catalog_model import CatalogItem
from windowdesk.domain.catalog_online import applicant_of
from windowdesk.domain.online_application_status import HubApplicationStatus
from windowdesk.domain.uuid7 import new_uuid
from windowdesk.hub.errors import Conflict, Forbidden, InvalidInput, NotFound
from windowdesk.hub.language import Text
from windowdesk.hub.services import case_figures, hub_audit
from windowdesk.hub.services import online_applications as applications
from windowdesk.hub.services.application_rules import MAX_RETURNED, MAX_TEXT, RETURN_KINDS
from windowdesk.hub.services.calendar_years import hub_calendar
from windowdesk.hub.services.clocks import center_time
from windowdesk.hub.services.console_rights import DEPARTMENT, ConsoleActor, require_department
from windowdesk.hub.services.hub_case_numbers import next_case_number
from windowdesk.hub.services.online_application_access import read_page_of
from windowdesk.hub.services.online_applications import ApplicationView, application_view
from windowdesk.hub.services.public_guides import current_catalog
from windowdesk.hub.storage.application_files import ApplicationFiles
from windowdesk.hub.storage.database import HubDatabase
from windowdesk.hub.storage.models import Case, CaseEvent, Organisation, Resident
from windowdesk.hub.storage.models_applications import OnlineApplication
from windowdesk.i18n import N_

MAX_REASON = 600
MAX_LISTED = 200
NO_SUCH = N_("There is no online application {id} for your department to pre-review.")
NOT_WAITING = N_(
    "Online application {number} was already pre-reviewed (at a window or in the console), or was "
    "sent again meanwhile; nothing was changed. Open it again to see where it is."
)
NO_APPLICANT = N_(
    "The form of this application names no ID number nor credit code: the case cannot be made "
    "here. Ask the resident to apply at the window."
)


@dataclass(frozen=True)
class Waiting:
    """A line of the department's list: no personal data."""

    id: str
    number: str
    item_code: str
    item_name: str
    center_code: str
    round: int
    submitted_at: dt.datetime  # on the center's clock


@dataclass(frozen=True)
class Opened:
    view: ApplicationView
    item: CatalogItem
    center_name: str
    submitted_at: dt.datetime  # on the center's clock
    case_number: str | None  # the case it was accepted as, if any


@dataclass(frozen=True)
class Accepted:
    case_id: str
    case_number: str
    promised_date: dt.date


def _department(actor: ConsoleActor) -> str:
    if actor.role != DEPARTMENT or not actor.department_code:
        raise Forbidden(N_("Only a department's staff pre-review online applications."))
    require_department(actor, actor.department_code)
    return actor.department_code


def fully_online_items(session: Session, department_code: str) -> dict[str, CatalogItem]:
    """The published items the department decides (as lead) that the catalog marks fully online."""
    published = current_catalog(session)
    if published is None:
        return {}
    return {
        item.code: item
        for item in published.catalog.items
        if item.department == department_code and item.online is not None and item.online.fully_online
    }


def waiting(session: Session, *, actor: ConsoleActor) -> list[Waiting]:
    """The department's fully-online applications waiting for a pre-review, oldest first."""
    items = fully_online_items(session, _department(actor))
    if not items:
        return []
    rows = session.scalars(
        select(OnlineApplication)
        .where(OnlineApplication.item_code.in_(sorted(items)), OnlineApplication.status == applications.SUBMITTED)
        .order_by(OnlineApplication.submitted_at)
        .limit(MAX_LISTED)
    ).all()
    return [
        Waiting(
            r.id,
            r.number,
            r.item_code,
            items[r.item_code].name,
            r.center_code,
            r.round,
            center_time(session, r.center_code, r.submitted_at),
        )
        for r in rows
    ]


def _row(
    session: Session, actor: ConsoleActor, application_id: str, *, lock: bool = False
) -> tuple[OnlineApplication, CatalogItem]:
    items = fully_online_items(session, _department(actor))
    row = session.get(OnlineApplication, application_id, with_for_update=lock)
    if row is None or row.item_code not in items:
        raise NotFound(Text(NO_SUCH, id=application_id[:40]))
    return row, items[row.item_code]


def open_application(
    session: Session,
    files: ApplicationFiles,
    *,
    actor: ConsoleActor,
    application_id: str,
    now: dt.datetime,
    address: str = "",
) -> Opened:
    """The application unsealed for the department's staff; the reading is audited."""
    row, item = _row(session, actor, application_id)
    hub_audit.record(
        session,
        actor=actor.audit_name,
        action="application.read",
        entity="online_application",
        entity_id=row.id,
        now=now,
        address=address,
    )
    published = current_catalog(session)
    center = published.center_name(row.center_code) if published else row.center_code
    number = session.scalar(select(Case.case_number).where(Case.id == row.case_id)) if row.case_id else None
    return Opened(
        application_view(session, files, row),
        item,
        center,
        center_time(session, row.center_code, row.submitted_at),
        number,
    )


def read_page(
    session: Session,
    files: ApplicationFiles,
    *,
    actor: ConsoleActor,
    application_id: str,
    page_id: str,
    now: dt.datetime,
) -> bytes:
    """One uploaded page's bytes, the reading audited (online_application_access)."""
    row, _item = _row(session, actor, application_id)
    return read_page_of(session, files, row, page_id, actor=actor.audit_name, now=now)


def _waiting_row(
    session: Session, actor: ConsoleActor, application_id: str, round_: int
) -> tuple[OnlineApplication, CatalogItem]:
    row, item = _row(session, actor, application_id, lock=True)
    if row.status is not applications.SUBMITTED or row.round != round_:
        raise Conflict(Text(NOT_WAITING, number=row.number))
    return row, item


def _decided(
    session: Session, row: OnlineApplication, actor: ConsoleActor, status: HubApplicationStatus, now: dt.datetime
) -> None:
    row.status, row.decided_by, row.decided_at, row.updated_at = status, actor.audit_name[:40], now, now
    session.flush()
    applications.tell_the_windows(session, row, now)


def returned_list(item: CatalogItem, entries: list[dict[str, str]]) -> list[dict[str, str]]:
    """The one-time list (一次性告知) checked as the push rule checks a window's: each entry
    a material of the item (or "" for the form), missing or to be corrected, with words."""
    materials = {material.code for material in item.materials}
    kept = []
    for entry in entries:
        text = (entry.get("text") or "").strip()
        material, kind = entry.get("material") or "", entry.get("kind") or ""
        if not text and not kind:
            continue  # a material left as it is
        if material and material not in materials:
            raise InvalidInput(N_("The list names a material this item does not ask for."))
        if kind not in RETURN_KINDS:
            raise InvalidInput(N_("Say for each entry whether the material is missing or to be corrected."))
        if not text or len(text) > MAX_TEXT:
            raise InvalidInput(
                Text(
                    N_(
                        "Each entry of the list needs a few words (at most {most} characters): "
                        "what to bring or what to correct."
                    ),
                    most=MAX_TEXT,
                )
            )
        kept.append({"material": material, "kind": kind, "text": text})
    if not kept:
        raise InvalidInput(
            N_("Returning an application needs the list of what is missing or to be corrected, everything at once.")
        )
    if len(kept) > MAX_RETURNED:
        raise InvalidInput(Text(N_("The list may have at most {most} entries."), most=MAX_RETURNED))
    return kept


def return_for_more(
    session: Session,
    *,
    actor: ConsoleActor,
    application_id: str,
    round_: int,
    entries: list[dict[str, str]],
    now: dt.datetime,
    address: str = "",
) -> None:
    """Returned with the one-time list; the resident corrects it and sends it again."""
    row, item = _waiting_row(session, actor, application_id, round_)
    row.returned = returned_list(item, entries)
    _decided(session, row, actor, applications.RETURNED, now)
    hub_audit.record(
        session,
        actor=actor.audit_name,
        action="application.returned",
        entity="online_application",
        entity_id=row.id,
        now=now,
        address=address,
        detail={"number": row.number, "round": row.round, "entries": len(row.returned)},
    )


def refuse(
    session: Session,
    *,
    actor: ConsoleActor,
    application_id: str,
    round_: int,
    reason: str,
    now: dt.datetime,
    address: str = "",
) -> None:
    """Refused (不予受理) with the reason the resident reads; the item's legal basis is shown with it."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(N_("Please write the reason for the refusal."))
    if len(reason) > MAX_REASON:
        raise InvalidInput(Text(N_("The reason is longer than {count} characters."), count=MAX_REASON))
    row, _item = _waiting_row(session, actor, application_id, round_)
    row.refused_reason, row.returned = reason, []
    _decided(session, row, actor, applications.REFUSED, now)
    hub_audit.record(
        session,
        actor=actor.audit_name,
        action="application.refused",
        entity="online_application",
        entity_id=row.id,
        now=now,
        address=address,
        note=reason,
        detail={"number": row.number, "round": row.round},
    )


def _register_applicant(
    session: Session, row: OnlineApplication, item: CatalogItem, values: dict[str, str], now: dt.datetime
) -> tuple[str, str]:
    assert item.online is not None
    applicant = applicant_of(item.online, values)
    if applicant is None:
        raise InvalidInput(NO_APPLICANT)
    applicant_id = new_uuid()
    record: Any
    if applicant.kind == "organisation":
        record = Organisation(
            id=applicant_id,
            credit_code=applicant.number,
            name=applicant.name[:200],
            center_code=row.center_code,
            received_at=now,
        )
    else:
        record = Resident(
            id=applicant_id,
            id_number=applicant.number,
            name=applicant.name[:60],
            center_code=row.center_code,
            received_at=now,
        )
    session.add(record)
    return applicant.kind, applicant_id


def accept(
    session: Session,
    files: ApplicationFiles,
    *,
    actor: ConsoleActor,
    application_id: str,
    round_: int,
    now: dt.datetime,
    address: str = "",
) -> Accepted:
    """Accepted (受理) by the department: the case made at the hub, in the caller's
    transaction (run it with ``run_write(..., feed=True)``)."""
    department = _department(actor)
    row, item = _waiting_row(session, actor, application_id, round_)
    values = application_view(session, files, row).values
    applicant_kind, applicant_id = _register_applicant(session, row, item, values, now)
    today = center_time(session, row.center_code, now).date()
    promised = hub_calendar(session).add_working_days(today, item.promised_limit_days)
    case_id = new_uuid()
    number = next_case_number(session, department_code=department, year=today.year)
    accepted = CaseStatus.ACCEPTED
    session.add(
        Case(
            id=case_id,
            case_number=number,
            center_code=row.center_code,
            window_id=None,
            accepted_by_department=department,
            item_code=item.code,
            applicant_kind=applicant_kind,
            applicant_id=applicant_id,
            operator_id=None,
            status=accepted,
            accepted_at=now,
            received_at=now,
            updated_at=now,
            promised_date=promised,
            source=CaseSource.ONLINE,
            certificate_number="",
            query_code_hash=row.query_code_hash,
        )
    )
    session.flush()  # the case before its step and figures (foreign keys)
    session.add(
        CaseEvent(
            case_id=case_id,
            source=StepSource.HUB,
            kind=StepKind.ACCEPTED,
            action=None,
            from_status=None,
            to_status=accepted,
            event_id=None,
            department_code=department,
            note="",
            client_at=now,
            recorded_at=now,
            suspension_kind=None,
        )
    )
    session.flush()
    row.case_id, row.returned = case_id, []
    _decided(session, row, actor, applications.COMPLETED, now)
    case_figures.refresh(session, [case_id])
    hub_audit.record(
        session,
        actor=actor.audit_name,
        action="application.accepted",
        entity="online_application",
        entity_id=row.id,
        now=now,
        address=address,
        detail={
            "number": row.number,
            "round": row.round,
            "case_id": case_id,
            "case_number": number,
            "department": department,
            "promised_date": promised.isoformat(),
        },
    )
    return Accepted(case_id, number, promised)


@dataclass(frozen=True)
class Receipt:
    """What the acceptance receipt (受理回执) of a case the department accepted says."""

    case_number: str
    item_name: str
    department_name: str
    center_name: str
    applicant_name: str
    accepted_at: dt.datetime  # on the center's clock
    promised_date: dt.date | None


def case_of(db: HubDatabase, *, application_id: str) -> str | None:
    """The id of the case the department accepted the application as, if it did."""
    with db.read() as session:
        return session.scalar(select(OnlineApplication.case_id).where(OnlineApplication.id == application_id))


def receipt_for_resident(
    db: HubDatabase, *, application_id: str, now: dt.datetime, address: str = ""
) -> Receipt | None:
    """:func:`receipt` for the resident who opened the application with its code; audited."""

    def work(session: Session) -> Receipt | None:
        found = receipt(session, application_id=application_id)
        if found is not None:
            hub_audit.record(
                session,
                actor=applications.RESIDENT_READER,
                action="application.receipt",
                entity="online_application",
                entity_id=application_id,
                now=now,
                address=address,
                detail={"case_number": found.case_number},
            )
        return found

    return db.run_write(work)


def receipt(session: Session, *, application_id: str) -> Receipt | None:
    """The receipt of the case an application became at its department, or None (not
    accepted online). The caller has checked that its reader may open the application."""
    row = session.get(OnlineApplication, application_id)
    case = session.get(Case, row.case_id) if row is not None and row.case_id else None
    if case is None:
        return None
    published = current_catalog(session)
    catalog = published.catalog if published else None
    item_name = catalog.item(case.item_code).name if catalog and catalog.has_item(case.item_code) else case.item_code
    center = published.center_name(case.center_code) if published else case.center_code
    department = published.department_name(case.accepted_by_department or "") if published else ""
    model: Any = Organisation if case.applicant_kind == "organisation" else Resident
    name = session.scalar(select(model.name).where(model.id == case.applicant_id)) or ""
    return Receipt(
        case.case_number,
        item_name,
        department or (case.accepted_by_department or ""),
        center,
        name,
        center_time(session, case.center_code, case.accepted_at),
        case.promised_date,
    )
