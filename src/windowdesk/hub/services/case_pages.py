"""A case's scanned pages at the hub, for those who may see them (issue 24).

Who may: the departments that take part in the case (the department of its item, and
on a parallel item each department with a part) and the case's own center. Anyone else
is told the case has no pages for them, in the same words as a case that does not exist:
nobody learns which cases exist outside their reach. Every reading of a page's bytes is
recorded in ``page_readings`` (who, which page, when) in the same transaction that hands
them out; listing the pages reads no bytes and is not recorded.

Used by the back office's API (api/case_page_routes.py), the console, and the archive
export (services/case_archive.py, recorded as the "archive" actor).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from windowdesk.domain.page_readers import PageReader
from windowdesk.hub.errors import NotFound
from windowdesk.hub.language import Text
from windowdesk.hub.storage.models import Case, CatalogItem
from windowdesk.hub.storage.models_pages import CasePageList, PageBlob, PageReading
from windowdesk.hub.storage.models_quality import CasePart
from windowdesk.hub.storage.page_store import PageStore
from windowdesk.i18n import N_

DEPARTMENT, CENTER, ARCHIVE = PageReader.DEPARTMENT, PageReader.CENTER, PageReader.ARCHIVE


@dataclass(frozen=True)
class PageActor:
    kind: PageReader
    code: str  # the department's or center's code; for the archive, who ran it


@dataclass(frozen=True)
class CasePage:
    material_code: str
    position: int  # 1, 2, ... within its material
    page_id: str
    sha256: str
    size: int
    mime: str
    rotation: int
    checked_by: str | None
    checked_at: str | None
    stored: bool  # the hub holds the page's bytes (they follow the list; may not be there yet)


def departments_of(session: Session, case: Case) -> set[str]:
    item = session.get(CatalogItem, case.item_code)
    taking_part = {item.department_code, *item.parallel_departments} if item else set()
    taking_part.update(session.scalars(select(CasePart.department_code).where(CasePart.case_id == case.id)))
    return taking_part


def may_see(session: Session, case: Case, actor: PageActor) -> bool:
    if actor.kind == ARCHIVE:
        return True
    if actor.kind == CENTER:
        return actor.code == case.center_code
    return actor.kind == DEPARTMENT and actor.code in departments_of(session, case)


def _not_for_you(case_ref: str) -> NotFound:
    return NotFound(Text(N_("There is no case {case} on the hub (has its window synced?)."), case=case_ref))


def _case(session: Session, case_id: str, actor: PageActor) -> Case:
    case = session.get(Case, case_id)
    if case is None or not may_see(session, case, actor):
        raise _not_for_you(case_id)
    return case


def current_pages(session: Session, case_id: str) -> list[CasePage]:
    """Each material's newest list, materials in code order, pages in their order."""
    newest: dict[str, list[dict[str, Any]]] = {}
    for material, pages in session.execute(
        select(CasePageList.material_code, CasePageList.pages)
        .where(CasePageList.case_id == case_id)
        .order_by(CasePageList.seq)
    ):
        newest[material] = pages
    hashes = {page["sha256"] for pages in newest.values() for page in pages}
    stored = (
        set(session.scalars(select(PageBlob.sha256).where(PageBlob.sha256.in_(sorted(hashes))))) if hashes else set()
    )
    return [
        CasePage(
            material,
            position,
            page["page_id"],
            page["sha256"],
            page["size"],
            page["mime"],
            page.get("rotation", 0),
            page.get("checked_by"),
            page.get("checked_at"),
            page["sha256"] in stored,
        )
        for material in sorted(newest)
        for position, page in enumerate(newest[material], start=1)
    ]


def list_case_pages(session: Session, *, case_id: str, actor: PageActor) -> list[CasePage]:
    return current_pages(session, _case(session, case_id, actor).id)


def read_case_page(
    session: Session,
    store: PageStore,
    *,
    case_id: str,
    page_id: str,
    actor: PageActor,
    now: dt.datetime,
) -> tuple[CasePage, bytes]:
    """A page of the case's current lists and its bytes, the reading recorded (call in a
    write transaction: nothing is handed out unless the record commits with it)."""
    case = _case(session, case_id, actor)
    page = next((p for p in current_pages(session, case.id) if p.page_id == page_id), None)
    if page is None:
        raise NotFound(Text(N_("Case {case} has no page {page}."), case=case.case_number, page=page_id))
    if not page.stored:
        raise NotFound(
            Text(
                N_("Page {page} of case {case} has not reached the hub yet; its window sends it at its next sync."),
                page=page_id,
                case=case.case_number,
            )
        )
    data = store.read(page.sha256)
    session.add(
        PageReading(
            case_id=case.id,
            page_id=page.page_id,
            sha256=page.sha256,
            actor_kind=actor.kind,
            actor_code=actor.code,
            read_at=now,
        )
    )
    return page, data
