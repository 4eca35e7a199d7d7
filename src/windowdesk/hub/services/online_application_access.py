"""Who reads an online application at the hub besides the resident: the departments of its
item (the lead department and, for a parallel item, every department taking part). Anyone
else is answered as if the application did not exist. Every opening of the values and
every reading of a page's bytes is recorded in the hub's audit log, in the same
transaction as the reading.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from windowdesk.domain.online_application_status import HubApplicationStatus
from windowdesk.hub.errors import NotFound
from windowdesk.hub.language import Text
from windowdesk.hub.services import hub_audit
from windowdesk.hub.services.online_applications import ApplicationView, application_view
from windowdesk.hub.services.public_guides import current_catalog
from windowdesk.hub.storage.application_files import ApplicationFiles
from windowdesk.hub.storage.database import HubDatabase
from windowdesk.hub.storage.models_applications import OnlineApplication, OnlineApplicationPage
from windowdesk.i18n import N_

NO_SUCH = N_("There is no online application {id}.")
# A page without its file: a hub restored from a backup made before backups carried the
# applications' page files (hub/storage/application_backup.py), or a file lost since.
FILE_GONE = N_("The page's file is not at the hub any more (was the hub restored from a backup?).")
MAX_LISTED = 200


@dataclass(frozen=True)
class ApplicationSummary:
    """What a list shows: no personal data."""

    id: str
    number: str
    item_code: str
    center_code: str
    status: HubApplicationStatus
    round: int
    submitted_at: dt.datetime
    updated_at: dt.datetime


def department_items(session: Session, department_code: str) -> set[str]:
    """The published items a department decides or takes part in."""
    published = current_catalog(session)
    if published is None:
        return set()
    return {
        item.code
        for item in published.catalog.items
        if item.department == department_code or department_code in item.parallel_departments
    }


def list_for_department(
    db: HubDatabase, *, department_code: str, status: str | None = None
) -> list[ApplicationSummary]:
    """The department's applications, newest change first."""
    with db.read() as session:
        items = department_items(session, department_code)
        if not items:
            return []
        query = select(OnlineApplication).where(OnlineApplication.item_code.in_(sorted(items)))
        if status:
            wanted = _status_named(status)
            if wanted is None:
                return []  # no application is in a state the hub does not have
            query = query.where(OnlineApplication.status == wanted)
        rows = session.scalars(query.order_by(OnlineApplication.updated_at.desc()).limit(MAX_LISTED)).all()
        return [
            ApplicationSummary(
                r.id, r.number, r.item_code, r.center_code, r.status, r.round, r.submitted_at, r.updated_at
            )
            for r in rows
        ]


def _status_named(word: str) -> HubApplicationStatus | None:
    try:
        return HubApplicationStatus(word)
    except ValueError:
        return None


def _allowed_row(session: Session, application_id: str, department_code: str) -> OnlineApplication:
    row = session.get(OnlineApplication, application_id)
    if row is None or row.item_code not in department_items(session, department_code):
        raise NotFound(Text(NO_SUCH, id=application_id))
    return row


def open_for_department(
    db: HubDatabase, files: ApplicationFiles, *, application_id: str, department_code: str, now: dt.datetime
) -> ApplicationView:
    def work(session: Session) -> ApplicationView:
        row = _allowed_row(session, application_id, department_code)
        hub_audit.record(
            session,
            actor=f"department:{department_code}",
            action="application.read",
            entity="online_application",
            entity_id=row.id,
            now=now,
        )
        return application_view(session, files, row)

    return db.run_write(work)


def read_page_for_department(
    db: HubDatabase,
    files: ApplicationFiles,
    *,
    application_id: str,
    page_id: str,
    department_code: str,
    now: dt.datetime,
) -> bytes:
    def work(session: Session) -> bytes:
        row = _allowed_row(session, application_id, department_code)
        return read_page_of(session, files, row, page_id, actor=f"department:{department_code}", now=now)

    return db.run_write(work)


def read_page_of(
    session: Session, files: ApplicationFiles, row: OnlineApplication, page_id: str, *, actor: str, now: dt.datetime
) -> bytes:
    """One page's bytes of an application its reader may open, the reading recorded."""
    page = session.scalar(
        select(OnlineApplicationPage).where(
            OnlineApplicationPage.id == page_id, OnlineApplicationPage.application_id == row.id
        )
    )
    if page is None:
        raise NotFound(Text(NO_SUCH, id=row.id))
    try:
        data = files.read(row.id, page.id)
    except FileNotFoundError:
        raise NotFound(FILE_GONE) from None
    hub_audit.record(
        session,
        actor=actor,
        action="application.page_read",
        entity="online_application",
        entity_id=row.id,
        now=now,
        detail={"page": page.id},
    )
    return data


# --- the chosen center's windows (网上预审) ------------------------------------------
# A workstation reads only the applications of its own center; every opening of the
# values and every page's bytes is recorded with the workstation's id.


def waiting_for_center(db: HubDatabase, *, center_code: str) -> list[ApplicationSummary]:
    """The center's applications waiting for a pre-review (submitted), oldest first."""
    with db.read() as session:
        rows = session.scalars(
            select(OnlineApplication)
            .where(
                OnlineApplication.center_code == center_code,
                OnlineApplication.status == HubApplicationStatus.SUBMITTED,
            )
            .order_by(OnlineApplication.submitted_at)
            .limit(MAX_LISTED)
        ).all()
        return [
            ApplicationSummary(
                r.id, r.number, r.item_code, r.center_code, r.status, r.round, r.submitted_at, r.updated_at
            )
            for r in rows
        ]


def form_fields(db: HubDatabase, *, item_code: str) -> list[dict[str, str]]:
    """The labels of the item's online form in the published catalog ({"code", "label",
    "label_en", "kind"}, in the form's order), for the window to show what each value is."""
    with db.read() as session:
        published = current_catalog(session)
    if published is None or not published.catalog.has_item(item_code):
        return []
    online = published.catalog.item(item_code).online
    return (
        [{"code": f.code, "label": f.label, "label_en": f.label_en, "kind": f.kind} for f in online.fields]
        if online
        else []
    )


def _center_row(session: Session, application_id: str, center_code: str) -> OnlineApplication:
    row = session.get(OnlineApplication, application_id)
    if row is None or row.center_code != center_code:
        raise NotFound(Text(NO_SUCH, id=application_id))
    return row


def open_for_workstation(
    db: HubDatabase,
    files: ApplicationFiles,
    *,
    application_id: str,
    center_code: str,
    workstation_id: str,
    now: dt.datetime,
) -> ApplicationView:
    def work(session: Session) -> ApplicationView:
        row = _center_row(session, application_id, center_code)
        hub_audit.record(
            session,
            actor=f"workstation:{workstation_id}",
            action="application.read",
            entity="online_application",
            entity_id=row.id,
            now=now,
        )
        return application_view(session, files, row)

    return db.run_write(work)


def read_page_for_workstation(
    db: HubDatabase,
    files: ApplicationFiles,
    *,
    application_id: str,
    page_id: str,
    center_code: str,
    workstation_id: str,
    now: dt.datetime,
) -> bytes:
    def work(session: Session) -> bytes:
        row = _center_row(session, application_id, center_code)
        return read_page_of(session, files, row, page_id, actor=f"workstation:{workstation_id}", now=now)

    return db.run_write(work)
