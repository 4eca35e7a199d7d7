"""网上申报: a resident applies online; the resident's side of it.

- **Submit**: for a published item whose catalog entry offers it online, at a center that
  does the item (public_guides.where_to_go). Every field is checked with the window's
  validators (domain.catalog_online); every file is made safe or the whole submission is
  refused (online_uploads); nothing is stored until all of it is good. Limits: per address
  and per applicant (the ID number, or the credit code, of the form) per day. The answer
  is the application's number and its query code; only the code's slow hash is kept, like
  a case's (domain.query_codes).
- **Follow**: the number and the code open the application, with the same lock-out as
  following a case (public_cases: five wrong tries per number or per address in 15
  minutes, a dummy hash when the number is unknown, the tries kept in ``lookup_failures``).
- **Correct**: an application returned with its list of what is missing is corrected and
  submitted again, the same application (its round counts up), with new pages added.
- **Forget**: an application never completed is deleted with its pages after
  ``keep_days`` (90 by default) since its last change (:func:`purge`).

What the resident typed is sealed (hub/storage/sealing.py); every opening of it is
recorded in the hub's audit log with who read it.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
import uuid
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, delete, func, select
from sqlalchemy.orm import Session

from windowdesk.domain.catalog_model import CatalogItem
from windowdesk.domain.catalog_online import CREDIT_CODE, ID_NUMBER, clean_values
from windowdesk.domain.online_application_status import HubApplicationStatus
from windowdesk.domain.query_codes import ALPHABET, hash_query_code, looks_like_code, new_query_code, verify_query_code
from windowdesk.hub.services import hub_audit
from windowdesk.hub.services.feed import append_change
from windowdesk.hub.services.online_uploads import Page, Upload, UploadRefused, safe_pages
from windowdesk.hub.services.public_cases import (
    LOOKUP_WINDOW,
    MAX_TRIES,
    address_scope,
    recent_failures,
    record_failure,
)
from windowdesk.hub.services.public_guides import PublishedCatalog, current_catalog, where_to_go
from windowdesk.hub.storage.application_files import ApplicationFiles
from windowdesk.hub.storage.database import HubDatabase
from windowdesk.hub.storage.models import Case
from windowdesk.hub.storage.models_applications import OnlineApplication, OnlineApplicationPage
from windowdesk.i18n import N_
from windowdesk.sync.protocol import CHANGE_APPLICATION

SUBMITTED = HubApplicationStatus.SUBMITTED
RETURNED = HubApplicationStatus.RETURNED
ACCEPTED = HubApplicationStatus.ACCEPTED
COMPLETED = HubApplicationStatus.COMPLETED
REFUSED = HubApplicationStatus.REFUSED  # by the department of a fully-online item (department_online.py)
STATUS_WORDS = {
    SUBMITTED: N_("Submitted: waiting for the window's pre-review"),
    RETURNED: N_("Returned: please add or correct what is listed"),
    ACCEPTED: N_("Accepted for the visit: bring the originals to the window"),
    COMPLETED: N_("Completed at the window"),
    REFUSED: N_("Not accepted: the reason is below"),
}

KEEP_DAYS = 90
MAX_PER_ADDRESS_PER_DAY = 10
MAX_PER_APPLICANT_PER_DAY = 3
NUMBER_PREFIX = "SQ"
MAX_NUMBER = 24
RESIDENT_READER = "resident"

NO_ONLINE = N_("This item cannot be applied for online. Please apply at the window.")
NO_CENTER = N_("Please choose a center that handles this item.")
ADDRESS_LIMIT = N_("Too many applications were sent from this network today. Please try again tomorrow.")
APPLICANT_LIMIT = N_("Too many applications were sent for this applicant today. Please try again tomorrow.")
NOT_RETURNED = N_("This application is not waiting for corrections: it cannot be sent again now.")
UNKNOWN_MATERIAL = N_("A file was sent for a material this item does not ask for.")

FOUND, WRONG, LOCKED = "found", "wrong", "locked"


class ApplicationRefused(Exception):
    """Refused with a msgid (``message``) and the values it names."""

    def __init__(self, message: str, **values: object) -> None:
        super().__init__(message)
        self.message = message
        self.values = values


class FieldsRefused(Exception):
    """Fields the resident must correct: field code -> the message (in the page's language)."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__(", ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Submitted:
    application_id: str
    number: str
    code: str  # shown once to the resident, never kept


@dataclass(frozen=True)
class Lookup:
    outcome: str  # FOUND / WRONG / LOCKED
    application_id: str | None = None
    tries_left: int = 0


@dataclass(frozen=True)
class ReturnedItem:
    material: str  # a material code, or "" for a note on the form itself
    kind: str  # "missing" / "correction"
    text: str


@dataclass(frozen=True)
class ApplicationView:
    """An application opened by someone allowed to (its values unsealed)."""

    id: str
    number: str
    item_code: str
    center_code: str
    status: HubApplicationStatus
    round: int
    values: dict[str, str]
    pages: dict[str, int]  # material code -> how many pages
    returned: tuple[ReturnedItem, ...]
    submitted_at: dt.datetime
    updated_at: dt.datetime
    page_list: tuple[tuple[str, str, str], ...] = field(default=())  # (page id, material, sha256) in order
    case_id: str | None = None  # the case a department accepted it as (全程网办)
    refused_reason: str = ""  # a department's refusal


def _context(application_id: str) -> str:
    return f"application:{application_id}"


def online_item(published: PublishedCatalog | None, item_code: str) -> CatalogItem | None:
    """The published item when it may be applied for online."""
    if published is None or not published.catalog.has_item(item_code):
        return None
    item = published.catalog.item(item_code)
    return item if item.online is not None else None


def centers_for(published: PublishedCatalog, item: CatalogItem) -> list[tuple[str, str]]:
    """(code, name) of the centers that take the item."""
    return [(center.code, center.name) for center in where_to_go(published, item)]


def _applicant_key(item: CatalogItem, values: dict[str, str]) -> str:
    """What the per-applicant limit counts by: the form's first ID number or credit code."""
    assert item.online is not None
    for kind in (ID_NUMBER, CREDIT_CODE):
        for form_field in item.online.fields:
            if form_field.kind == kind and values.get(form_field.code):
                return f"{kind}:{values[form_field.code]}"
    return "none"


def _new_number(session: Session, now: dt.datetime) -> str:
    while True:
        number = f"{NUMBER_PREFIX}-{now:%Y%m%d}-" + "".join(secrets.choice(ALPHABET) for _ in range(6))
        if session.scalar(select(OnlineApplication.id).where(OnlineApplication.number == number)) is None:
            return number


def _check_materials(item: CatalogItem, uploads: list[Upload]) -> None:
    codes = {material.code for material in item.materials}
    if any(upload.material_code not in codes for upload in uploads):
        raise ApplicationRefused(UNKNOWN_MATERIAL)


def _made_safe(item: CatalogItem, uploads: list[Upload], pages_already: int = 0) -> list[Page]:
    _check_materials(item, uploads)
    try:
        return safe_pages(uploads, pages_already=pages_already)
    except UploadRefused as refused:
        raise ApplicationRefused(refused.message, **refused.values) from None


def _write_pages(
    files: ApplicationFiles,
    session: Session,
    application_id: str,
    pages: list[Page],
    page_ids: list[str],
    *,
    round_: int,
    start: dict[str, int],
    now: dt.datetime,
) -> None:
    """Each page's sealed file, then its row. The ids are made before the transaction, so a
    transaction run again (run_write) writes the same files again, never new ones."""
    positions = dict(start)
    for page, page_id in zip(pages, page_ids, strict=True):
        files.write(application_id, page_id, page.data)
        positions[page.material_code] = positions.get(page.material_code, 0) + 1
        session.add(
            OnlineApplicationPage(
                id=page_id,
                application_id=application_id,
                material_code=page.material_code,
                position=positions[page.material_code],
                round=round_,
                sha256=page.sha256,
                size=len(page.data),
                added_at=now,
            )
        )


def submit(
    db: HubDatabase,
    files: ApplicationFiles,
    *,
    item_code: str,
    center_code: str,
    values: dict[str, str],
    uploads: list[Upload],
    address: str,
    now: dt.datetime,
) -> Submitted:
    """A new application; ApplicationRefused / FieldsRefused, with nothing stored, else its
    number and query code."""
    with db.read() as session:
        published = current_catalog(session)
    item = online_item(published, item_code)
    if item is None or item.online is None or published is None:
        raise ApplicationRefused(NO_ONLINE)
    if center_code not in {code for code, _name in centers_for(published, item)}:
        raise ApplicationRefused(NO_CENTER)
    clean, problems = clean_values(item.online, values)
    if problems:
        raise FieldsRefused(problems)
    pages = _made_safe(item, uploads)
    sealer = files.sealer
    address_hash = sealer.keyed_hash("address", address or "unknown")
    applicant_hash = sealer.keyed_hash("applicant", _applicant_key(item, clean))
    code = new_query_code()
    code_hash = hash_query_code(code)
    application_id = str(uuid.uuid4())
    page_ids = [str(uuid.uuid4()) for _page in pages]

    def work(session: Session) -> Submitted:
        since = now - dt.timedelta(days=1)
        if _count_since(session, OnlineApplication.address_hash == address_hash, since) >= MAX_PER_ADDRESS_PER_DAY:
            raise ApplicationRefused(ADDRESS_LIMIT)
        if (
            _count_since(session, OnlineApplication.applicant_hash == applicant_hash, since)
            >= MAX_PER_APPLICANT_PER_DAY
        ):
            raise ApplicationRefused(APPLICANT_LIMIT)
        number = _new_number(session, now)
        session.add(
            OnlineApplication(
                id=application_id,
                number=number,
                item_code=item.code,
                center_code=center_code,
                status=SUBMITTED,
                query_code_hash=code_hash,
                sealed=_seal(files, application_id, clean),
                applicant_hash=applicant_hash,
                address_hash=address_hash,
                round=1,
                returned=[],
                decided_by="",
                submitted_at=now,
                updated_at=now,
                decided_at=None,
            )
        )
        session.flush()
        _write_pages(files, session, application_id, pages, page_ids, round_=1, start={}, now=now)
        tell_the_windows(session, session.get(OnlineApplication, application_id), now)
        hub_audit.record(
            session,
            actor=RESIDENT_READER,
            action="application.submitted",
            entity="online_application",
            entity_id=application_id,
            now=now,
            detail={"item": item.code, "center": center_code, "pages": len(pages)},
        )
        return Submitted(application_id, number, code)

    try:
        return db.run_write(work, feed=True)
    except Exception:
        files.delete_application(application_id)  # pages written before the row was refused
        raise


def tell_the_windows(session: Session, row: OnlineApplication | None, now: dt.datetime) -> None:
    """The chosen center's windows pull the application for their pre-review (网上预审):
    its number, item and round, never what the resident typed (they fetch that through
    the workstation's endpoints, every reading recorded). A department's decision on a
    fully-online item is told the same way (its status; an accepted one with its case's
    number and the department that accepted it)."""
    assert row is not None
    payload: dict[str, object] = {
        "id": row.id,
        "number": row.number,
        "item": row.item_code,
        "center": row.center_code,
        "status": row.status.value,
        "round": row.round,
        "submitted_at": row.submitted_at.isoformat(),
        "updated_at": row.updated_at.isoformat(),
    }
    if row.case_id is not None:
        case = session.execute(
            select(Case.case_number, Case.accepted_by_department, Case.promised_date).where(Case.id == row.case_id)
        ).one()
        payload["case"] = {
            "id": row.case_id,
            "number": case.case_number,
            "department": case.accepted_by_department,
            "promised_date": case.promised_date.isoformat() if case.promised_date else None,
        }
    append_change(
        session,
        kind=CHANGE_APPLICATION,
        entity="application",
        entity_id=row.id,
        center_code=row.center_code,
        now=now,
        payload=payload,
    )


def _count_since(session: Session, condition: ColumnElement[bool], since: dt.datetime) -> int:
    return (
        session.scalar(
            select(func.count()).select_from(OnlineApplication).where(condition, OnlineApplication.submitted_at > since)
        )
        or 0
    )


def _seal(files: ApplicationFiles, application_id: str, values: dict[str, str]) -> bytes:
    return files.sealer.seal(json.dumps(values, ensure_ascii=False).encode("utf-8"), context=_context(application_id))


def _unsealed(files: ApplicationFiles, row: OnlineApplication) -> dict[str, str]:
    values: dict[str, str] = json.loads(files.sealer.open(row.sealed, context=_context(row.id)).decode("utf-8"))
    return values


def application_scope(number: str) -> str:
    return "appl:" + number[:MAX_NUMBER]


def look_up(db: HubDatabase, *, number: str, code: str, address: str, now: dt.datetime) -> Lookup:
    """FOUND with the application's id when ``code`` is its query code; else WRONG (with the
    tries left) or LOCKED, the same for a number that does not exist."""
    number = (number or "").strip().upper()[:MAX_NUMBER]
    scopes = (application_scope(number), address_scope(address))
    since = now - LOOKUP_WINDOW
    with db.read() as session:
        used = max(recent_failures(session, scope, since) for scope in scopes)
        if used >= MAX_TRIES:
            return Lookup(LOCKED)
        row = (
            session.execute(
                select(OnlineApplication.id, OnlineApplication.query_code_hash).where(
                    OnlineApplication.number == number
                )
            ).first()
            if number
            else None
        )
    matches = verify_query_code(code, row.query_code_hash if row is not None else None) and looks_like_code(code)
    if not matches or row is None:
        record_failure(db, scopes, now)
        left = MAX_TRIES - used - 1
        return Lookup(LOCKED) if left <= 0 else Lookup(WRONG, tries_left=left)
    return Lookup(FOUND, row.id)


def application_view(session: Session, files: ApplicationFiles, row: OnlineApplication) -> ApplicationView:
    pages = session.execute(
        select(OnlineApplicationPage.id, OnlineApplicationPage.material_code, OnlineApplicationPage.sha256)
        .where(OnlineApplicationPage.application_id == row.id)
        .order_by(OnlineApplicationPage.material_code, OnlineApplicationPage.position)
    ).all()
    counts: dict[str, int] = {}
    for page in pages:
        counts[page.material_code] = counts.get(page.material_code, 0) + 1
    return ApplicationView(
        id=row.id,
        number=row.number,
        item_code=row.item_code,
        center_code=row.center_code,
        status=row.status,
        round=row.round,
        values=_unsealed(files, row),
        pages=counts,
        returned=tuple(
            ReturnedItem(str(e.get("material", "")), str(e.get("kind", "")), str(e.get("text", "")))
            for e in row.returned or []
        ),
        submitted_at=row.submitted_at,
        updated_at=row.updated_at,
        page_list=tuple((page.id, page.material_code, page.sha256) for page in pages),
        case_id=row.case_id,
        refused_reason=row.refused_reason or "",
    )


def open_application(
    db: HubDatabase, files: ApplicationFiles, *, application_id: str, reader: str, now: dt.datetime, address: str = ""
) -> ApplicationView | None:
    """The application unsealed, its reading recorded (``reader``: who; the caller has
    checked that they may). None when there is none (deleted meanwhile)."""

    def work(session: Session) -> ApplicationView | None:
        row = session.get(OnlineApplication, application_id)
        if row is None:
            return None
        hub_audit.record(
            session,
            actor=reader,
            action="application.read",
            entity="online_application",
            entity_id=row.id,
            now=now,
            address=address,
        )
        return application_view(session, files, row)

    return db.run_write(work)


def resubmit(
    db: HubDatabase,
    files: ApplicationFiles,
    *,
    application_id: str,
    values: dict[str, str],
    uploads: list[Upload],
    now: dt.datetime,
) -> ApplicationView:
    """The returned application corrected and sent again: the same number, the next round.
    A field left empty keeps the value sent before (ID numbers are not shown back)."""
    with db.read() as session:
        row = session.get(OnlineApplication, application_id)
        if row is None or row.status != RETURNED:
            raise ApplicationRefused(NOT_RETURNED)
        published = current_catalog(session)
        item_code, before = row.item_code, _unsealed(files, row)
        pages_already = (
            session.scalar(
                select(func.count())
                .select_from(OnlineApplicationPage)
                .where(OnlineApplicationPage.application_id == application_id)
            )
            or 0
        )
    item = online_item(published, item_code)
    if item is None or item.online is None:
        raise ApplicationRefused(NO_ONLINE)
    merged = {
        code: (values.get(code) or "").strip() or before.get(code, "")
        for code in (form_field.code for form_field in item.online.fields)
    }
    clean, problems = clean_values(item.online, merged)
    if problems:
        raise FieldsRefused(problems)
    pages = _made_safe(item, uploads, pages_already)
    page_ids = [str(uuid.uuid4()) for _page in pages]

    def work(session: Session) -> ApplicationView:
        current = session.get(OnlineApplication, application_id, with_for_update=True)
        if current is None or current.status != RETURNED:
            raise ApplicationRefused(NOT_RETURNED)
        current.round += 1
        current.status, current.updated_at, current.sealed = SUBMITTED, now, _seal(files, application_id, clean)
        start: dict[str, int] = dict(
            session.execute(
                select(OnlineApplicationPage.material_code, func.max(OnlineApplicationPage.position))
                .where(OnlineApplicationPage.application_id == application_id)
                .group_by(OnlineApplicationPage.material_code)
            ).all()
        )
        _write_pages(files, session, application_id, pages, page_ids, round_=current.round, start=start, now=now)
        session.flush()
        tell_the_windows(session, current, now)
        hub_audit.record(
            session,
            actor=RESIDENT_READER,
            action="application.resubmitted",
            entity="online_application",
            entity_id=application_id,
            now=now,
            detail={"round": current.round, "pages": len(pages)},
        )
        return application_view(session, files, current)

    try:
        return db.run_write(work, feed=True)
    except Exception:
        for page_id in page_ids:
            files.delete_page(application_id, page_id)
        raise


def purge(db: HubDatabase, files: ApplicationFiles, *, now: dt.datetime, keep_days: int = KEEP_DAYS) -> int:
    """Applications never completed and unchanged for ``keep_days`` deleted with their pages
    (and any folder of pages whose application was never committed); how many."""
    before = now - dt.timedelta(days=keep_days)

    def work(session: Session) -> list[str]:
        ids = list(
            session.scalars(
                select(OnlineApplication.id).where(
                    OnlineApplication.status != COMPLETED, OnlineApplication.updated_at < before
                )
            )
        )
        if ids:
            session.execute(delete(OnlineApplicationPage).where(OnlineApplicationPage.application_id.in_(ids)))
            session.execute(delete(OnlineApplication).where(OnlineApplication.id.in_(ids)))
            hub_audit.record(
                session,
                actor="purge",
                action="application.purged",
                entity="online_application",
                entity_id="purge",
                now=now,
                detail={"keep_days": keep_days, "count": len(ids)},
            )
        return ids

    purged = db.run_write(work)
    for application_id in purged:
        files.delete_application(application_id)
    with db.read() as session:
        known = set(session.scalars(select(OnlineApplication.id)))
    for folder in files.folders():
        # A folder whose application never committed (a crash between the files and the
        # row); an hour old at least, so a submission being written now is left alone.
        if folder not in known and _older_than(files, folder, now - dt.timedelta(hours=1)):
            files.delete_application(folder)
    return len(purged)


def _older_than(files: ApplicationFiles, folder: str, moment: dt.datetime) -> bool:
    try:
        return (files.root / folder).stat().st_mtime < moment.timestamp()
    except OSError:
        return False
