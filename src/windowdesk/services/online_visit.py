"""网上申报 at the visit: the resident's application number (or ID number) opens the
intake pre-filled from the online application the sync brought (services/prereview.py):
the item, the applicant (registered here from the form when not yet known), each material
with uploaded pages marked received. When the case is accepted (services/intake.py) it
records its source as online, the application is completed (the hub learns it with the
case), and the uploaded pages become the case's pages of their materials.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from windowdesk.domain.ids import parse_resident_id
from windowdesk.domain.permissions import Permission
from windowdesk.errors import NotFoundError, ValidationError
from windowdesk.i18n import _
from windowdesk.screen_dates import on_screen
from windowdesk.services import applicants
from windowdesk.services.applicants import ApplicantSummary
from windowdesk.services.authorization import authorize
from windowdesk.services.context import CounterContext
from windowdesk.storage import application_queries as queries
from windowdesk.storage.db import Database, Session
from windowdesk.storage.models_applications import OnlineApplication
from windowdesk.storage.page_store import page_store_for

# What may still be finished at the window: accepted for the visit, or not yet pre-reviewed.
OPEN_AT_THE_VISIT = (queries.ACCEPTED, queries.SUBMITTED)
NUMBER = re.compile(r"SQ-\d{8}-[A-Z0-9]{6}")


@dataclass(frozen=True)
class VisitForm:
    application_id: str
    number: str
    item_code: str
    applicant: ApplicantSummary | None
    with_pages: frozenset[str]  # the materials the resident uploaded pages for


def _field(row: OnlineApplication, kind: str) -> str:
    for entry in row.labels:
        if entry.get("kind") == kind and row.values.get(entry.get("code")):
            return str(row.values[entry["code"]])
    return ""


def _find(session: Session, key: str) -> OnlineApplication | None:
    if NUMBER.fullmatch(key):
        row = queries.by_number(session, key)
        return row if row is not None and row.status in OPEN_AT_THE_VISIT and row.fetched_round else None
    try:
        id_number = parse_resident_id(key).number
    except ValidationError:
        return None
    found = [
        row
        for row in queries.open_rows(session, OPEN_AT_THE_VISIT)
        if row.fetched_round and _field(row, "id_number") == id_number
    ]
    return found[0] if found else None


def waiting_for(db: Database, ctx: CounterContext, *, id_number: str) -> str | None:
    """The number (SQ-…) of an online application of this ID number waiting to be finished
    at this center, or None: what an ID card laid on the reader offers to open."""
    with db.read() as session:
        authorize(session, ctx, Permission.DECIDE_INTAKE)
        row = _find(session, id_number)
        return row.number if row is not None else None


def _tell_of_the_department_s_case(session: Session, key: str) -> None:
    """全程网办: an application its department accepted at the hub is a case already, with
    the hub's number; the window says so instead of offering a fresh intake."""
    row = queries.by_number(session, key) if NUMBER.fullmatch(key) else None
    if row is None or not row.case_number:
        return
    promised = on_screen(row.case_promised_date) if row.case_promised_date else "—"
    raise NotFoundError(
        _("Accepted online by the department"),
        _(
            "Online application {number} was accepted by the department {department} itself, as case {case} (promised "
            "by {promised}). The resident need not come: nothing is to be accepted here; the case is followed with "
            "its number and the query code from the application."
        ).format(number=row.number, department=row.case_department or "", case=row.case_number, promised=promised),
    )


def open_for_visit(db: Database, ctx: CounterContext, *, key: str) -> VisitForm:
    """The application by its number (SQ-…) or the applicant's ID number, ready for the
    intake; NotFoundError in words when there is none to finish here."""
    key = re.sub(r"\s+", "", key or "").upper()
    with db.read() as session:
        authorize(session, ctx, Permission.DECIDE_INTAKE)
        row = _find(session, key)
        if row is None:
            _tell_of_the_department_s_case(session, key)
            raise NotFoundError(
                _("No online application to finish"),
                _(
                    "There is no online application {key} waiting at this center (accepted for the visit, or not yet "
                    "pre-reviewed). Check the number, or sync first."
                ).format(key=key[:24]),
            )
        application_id, number, item_code = row.id, row.number, row.item_code
        id_number, name = _field(row, "id_number"), _field(row, "text")
        with_pages = frozenset(str(page["material"]) for page in row.pages)
    applicant = None
    if id_number:
        known = applicants.find_residents(db, ctx, query=id_number, limit=1)
        applicant = known[0] if known else applicants.register_resident(db, ctx, id_number=id_number, name=name)
    return VisitForm(application_id, number, item_code, applicant, with_pages)


def attach_pages(db: Database, ctx: CounterContext, *, case_id: str, application_id: str) -> int:
    """The application's uploaded pages as the case's pages of their materials; how many."""
    from windowdesk.services.material_pages import add_pages

    with db.read() as session:
        row = queries.get(session, application_id)
        pages = list(row.pages) if row is not None else []
    store = page_store_for(db)
    by_material: dict[str, list[bytes]] = {}
    for page in pages:
        by_material.setdefault(str(page["material"]), []).append(store.read(str(page["sha256"])))
    for material_code, contents in by_material.items():
        add_pages(db, store, ctx, case_id=case_id, material_code=material_code, contents=contents)
    return sum(len(contents) for contents in by_material.values())


def application_for_case(session: Session, *, application_id: str, item_code: str) -> OnlineApplication:
    """Inside the acceptance's transaction: the application may be finished by this case."""
    row = queries.get(session, application_id)
    if row is None or row.status not in OPEN_AT_THE_VISIT:
        raise ValidationError(
            _(
                "This online application cannot be finished here any more (already finished, "
                "returned, or decided at another window)."
            )
        )
    if row.item_code != item_code:
        raise ValidationError(
            _("The online application is for another item; choose its item or clear the form."), field="item"
        )
    return row
