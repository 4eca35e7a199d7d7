"""The scanned pages of a case's materials (材料电子化): add, order, turn, delete, and the
"经与原件核对无误" stamp of a page checked against the original.

The bytes go to the page store (storage/page_store.py, the encrypted ``materials.db``), the
page records to the main database. Every change of a material's pages is one write
transaction holding the records, one ``case.pages`` outbox event with the material's whole
ordered list of pages (an empty list: all deleted) and its audit entry. Pages can change
only before the case is decided; after that the window says so and changes nothing.

Decoding and encoding take a moment per page: callers from the UI run these functions
off the UI thread (ui/materials/pages_dialog.py). Nothing here imports Qt. Pillow
(imaging/page_image.py) is imported by the functions that handle a page's bytes, not with
this module: the main window imports it at start, and Pillow would cost every window
memory it never uses unless pages are scanned (tests/integration/test_start_imports.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from windowdesk.domain.case_state import CaseStatus
from windowdesk.domain.permissions import Permission
from windowdesk.domain.uuid7 import new_uuid
from windowdesk.errors import NotFoundError, ValidationError, WindowdeskError
from windowdesk.i18n import _
from windowdesk.services.audit import record_action
from windowdesk.services.authorization import authorize
from windowdesk.services.context import CounterContext
from windowdesk.storage import models as m
from windowdesk.storage import page_queries
from windowdesk.storage.db import Database, Session
from windowdesk.storage.page_store import PageStore, content_hash, page_store_for
from windowdesk.sync.outbox import enqueue
from windowdesk.sync.protocol import EVENT_CASE_PAGES, EventEntity

# Once a department has decided (or the applicant withdrew), the file is what was decided on.
DECIDED = frozenset(
    {
        CaseStatus.APPROVED,
        CaseStatus.REJECTED,
        CaseStatus.COMPLETED,
        CaseStatus.DELIVERED,
        CaseStatus.WITHDRAWN,
    }
)
Progress = Callable[[Any], None]


@dataclass(frozen=True)
class PageView:
    page_id: str
    position: int
    rotation: int
    sha256: str
    mime: str
    size: int
    checked_by_name: str
    checked_at: dt.datetime | None


@dataclass(frozen=True)
class MaterialPages:
    code: str
    name: str
    pages: tuple[PageView, ...]


@dataclass(frozen=True)
class CasePages:
    case_id: str
    case_number: str
    status: str
    can_change: bool
    materials: tuple[MaterialPages, ...]

    def material(self, code: str) -> MaterialPages:
        return next(material for material in self.materials if material.code == code)


def open_page_store(db: Database) -> PageStore:
    """This workstation's page store (beside the database file, with its key)."""
    return page_store_for(db)


def case_pages(db: Database, ctx: CounterContext, *, case_id: str) -> CasePages:
    with db.read() as session:
        authorize(session, ctx, Permission.VIEW_DAY_WORK)
        case = _case(session, ctx, case_id)
        by_material: dict[str, list[PageView]] = {}
        for page in page_queries.pages_of_case(session, case.id):
            by_material.setdefault(page.material_id, []).append(_view(page))
        return CasePages(
            case.id,
            case.case_number,
            case.status,
            case.status not in DECIDED,
            tuple(
                MaterialPages(mat.material_code, mat.name, tuple(by_material.get(mat.id, ()))) for mat in case.materials
            ),
        )


# --- adding pages ------------------------------------------------------------------


def add_page_files(
    db: Database,
    store: PageStore,
    ctx: CounterContext,
    *,
    case_id: str,
    material_code: str,
    paths: Sequence[Path],
    progress: Progress | None = None,
) -> list[str]:
    """Image files (one page each) and PDF files (one page per PDF page, in order) added at
    the end of the material's pages, all in one change; the new pages' ids."""
    check_can_change(db, ctx, case_id)
    from windowdesk.imaging import page_image

    contents: list[bytes] = []
    for index, path in enumerate(paths):
        contents += page_image.pages_from_file(Path(path))
        if progress is not None:
            progress((index + 1, len(paths)))
    return add_pages(db, store, ctx, case_id=case_id, material_code=material_code, contents=contents)


def add_image(
    db: Database,
    store: PageStore,
    ctx: CounterContext,
    *,
    case_id: str,
    material_code: str,
    image: bytes,
) -> str:
    """One page from a scanner's or a camera's image (PNM, PNG, JPEG...); its id."""
    from windowdesk.imaging import page_image

    check_can_change(db, ctx, case_id)
    content = page_image.page_from_image_bytes(image, name=_("the scanned image"))
    return add_pages(db, store, ctx, case_id=case_id, material_code=material_code, contents=[content])[0]


def add_pages(
    db: Database,
    store: PageStore,
    ctx: CounterContext,
    *,
    case_id: str,
    material_code: str,
    contents: Sequence[bytes],
) -> list[str]:
    """Pages already in the stored form (page_image) added at the end; their ids.

    The bytes are stored first (a page sent twice is stored once), then the records. If
    the records cannot be saved (a full disk), bytes this call stored are taken back again:
    nothing is left half-stored."""
    if not contents:
        raise ValidationError(_("There is no page to add."), field="pages")
    fresh: list[str] = []
    hashes: list[str] = []
    try:
        for content in contents:
            known = _stored(store, content_hash(content))
            sha256 = store.put(content)
            if not known:
                fresh.append(sha256)
            hashes.append(sha256)
        return _record_new_pages(db, ctx, case_id, material_code, hashes, [len(c) for c in contents])
    except BaseException:
        _withdraw_unnamed(db, store, fresh)
        raise


def _record_new_pages(
    db: Database,
    ctx: CounterContext,
    case_id: str,
    material_code: str,
    hashes: list[str],
    sizes: list[int],
) -> list[str]:
    from windowdesk.imaging import page_image

    with db.write() as session:
        case, material = _changeable(session, ctx, case_id, material_code)
        pages = page_queries.pages_of_material(session, material.id)
        now, ids, first = ctx.now(), [], len(pages)
        for offset, (sha256, size) in enumerate(zip(hashes, sizes, strict=True)):
            page = m.CaseMaterialPage(
                id=new_uuid(),
                case_id=case.id,
                material_id=material.id,
                position=first + offset,
                rotation=0,
                sha256=sha256,
                mime=page_image.STORED_MIME,
                size=size,
                added_at=now,
                added_by=ctx.operator_id,
                checked_by=None,
                checked_by_name="",
                checked_at=None,
            )
            session.add(page)
            pages.append(page)
            ids.append(page.id)
        _changed(session, ctx, case, material, pages, action="case.pages_added", detail={"pages": len(ids)})
        return ids


def _stored(store: PageStore, sha256: str) -> bool:
    try:
        store.size(sha256)
    except NotFoundError:
        return False
    return True


def _withdraw_unnamed(db: Database, store: PageStore, hashes: list[str]) -> None:
    """Bytes stored for pages whose records were not saved, taken back unless some page names them."""
    if not hashes:
        return
    try:
        with db.read() as session:
            unnamed = [sha256 for sha256 in hashes if not page_queries.pages_naming(session, sha256)]
        for sha256 in unnamed:
            store.withdraw_unconfirmed(sha256)
    except WindowdeskError:
        # The first error is the one the operator must read; unnamed bytes do no harm.
        pass


# --- changing pages ----------------------------------------------------------------


def reorder_pages(
    db: Database, ctx: CounterContext, *, case_id: str, material_code: str, page_ids: Sequence[str]
) -> None:
    """The material's pages in the order ``page_ids`` gives (every page named once)."""
    with db.write() as session:
        case, material = _changeable(session, ctx, case_id, material_code)
        pages = {page.id: page for page in page_queries.pages_of_material(session, material.id)}
        if sorted(page_ids) != sorted(pages):
            raise ValidationError(_("The new order must name each page of this material once."), field="pages")
        for position, page_id in enumerate(page_ids):
            pages[page_id].position = position
        _changed(
            session,
            ctx,
            case,
            material,
            [pages[page_id] for page_id in page_ids],
            action="case.pages_reordered",
            detail={},
        )


def rotate_page(db: Database, ctx: CounterContext, *, page_id: str, quarter_turns: int = 1) -> int:
    """Turn a page clockwise by quarter turns (negative: counter-clockwise); its new rotation."""
    with db.write() as session:
        page, case, material = _page(session, ctx, page_id)
        page.rotation = (page.rotation + 90 * quarter_turns) % 360
        _changed(
            session,
            ctx,
            case,
            material,
            page_queries.pages_of_material(session, material.id),
            action="case.page_rotated",
            detail={"page_id": page.id, "rotation": page.rotation},
        )
        return page.rotation


def delete_page(db: Database, ctx: CounterContext, *, page_id: str) -> None:
    """The page leaves the material; its bytes stay in the page store until the hub has them."""
    with db.write() as session:
        page, case, material = _page(session, ctx, page_id)
        session.delete(page)
        session.flush()
        remaining = page_queries.pages_of_material(session, material.id)
        for position, other in enumerate(remaining):
            other.position = position
        _changed(
            session,
            ctx,
            case,
            material,
            remaining,
            action="case.page_deleted",
            detail={"page_id": page.id, "sha256": page.sha256},
        )


def mark_checked(db: Database, store: PageStore, ctx: CounterContext, *, page_id: str) -> PageView:
    """经与原件核对无误: the mark, the operator and the local date drawn on the page itself,
    stored as the page's new bytes, with an audit entry naming both hashes."""
    from windowdesk.imaging import page_image
    from windowdesk.paths import resources_dir
    from windowdesk.pdf_fonts import CJK_FILE, LATIN_FILE

    with db.read() as session:
        page, _case_row, _material = _page(session, ctx, page_id)
        old_sha256, rotation = page.sha256, page.rotation
    stamp = page_image.PageStamp(operator_name=ctx.operator_name, day=ctx.local_today())
    content = page_image.stamped(store.read(old_sha256), rotation, stamp, (resources_dir() / CJK_FILE, LATIN_FILE))
    known = _stored(store, content_hash(content))
    sha256 = store.put(content)
    try:
        with db.write() as session:
            page, case, material = _page(session, ctx, page_id)
            if page.sha256 != old_sha256:
                raise ValidationError(_("The page was changed meanwhile; please look at it again."), field="page")
            page.sha256, page.size, page.rotation = sha256, len(content), 0
            page.checked_by, page.checked_by_name, page.checked_at = ctx.operator_id, ctx.operator_name, ctx.now()
            _changed(
                session,
                ctx,
                case,
                material,
                page_queries.pages_of_material(session, material.id),
                action="case.page_checked",
                detail={"page_id": page.id, "sha256": sha256, "unstamped_sha256": old_sha256},
            )
            return _view(page)
    except BaseException:
        _withdraw_unnamed(db, store, [] if known else [sha256])
        raise


def page_preview(db: Database, store: PageStore, ctx: CounterContext, *, page_id: str, longest_side: int) -> bytes:
    """The page upright as shown, as a JPEG no larger than ``longest_side`` pixels."""
    from windowdesk.imaging import page_image

    with db.read() as session:
        authorize(session, ctx, Permission.VIEW_DAY_WORK)
        page = session.get(m.CaseMaterialPage, page_id)
        if page is None:
            raise _page_not_found()
        sha256, rotation = page.sha256, page.rotation
    return page_image.preview(store.read(sha256), rotation, longest_side)


# --- shared steps --------------------------------------------------------------------


def _view(page: m.CaseMaterialPage) -> PageView:
    return PageView(
        page.id, page.position, page.rotation, page.sha256, page.mime, page.size, page.checked_by_name, page.checked_at
    )


def _case(session: Session, ctx: CounterContext, case_id: str) -> m.Case:
    case = session.get(m.Case, case_id)
    if case is None or case.center_code != ctx.center_code:
        raise NotFoundError(_("Not found"), _("This case is not on this workstation."))
    return case


def _refuse_if_decided(case: m.Case) -> None:
    if case.status in DECIDED:
        raise ValidationError(
            _(
                "Case {number} has been decided: its pages can no longer be added, turned, reordered or "
                "deleted. Nothing was changed."
            ).format(number=case.case_number),
            field="pages",
            title=_("The case is decided"),
        )


def check_can_change(db: Database, ctx: CounterContext, case_id: str) -> None:
    """Before the slow decoding: a decided case is refused at once (and again when saving)."""
    with db.read() as session:
        authorize(session, ctx, Permission.DECIDE_INTAKE)
        _refuse_if_decided(_case(session, ctx, case_id))


def _changeable(
    session: Session, ctx: CounterContext, case_id: str, material_code: str
) -> tuple[m.Case, m.CaseMaterial]:
    authorize(session, ctx, Permission.DECIDE_INTAKE)
    case = _case(session, ctx, case_id)
    _refuse_if_decided(case)
    material = page_queries.material_of(session, case.id, material_code)
    if material is None:
        raise NotFoundError(
            _("Not found"),
            _("Case {number} has no material {code}.").format(number=case.case_number, code=material_code),
        )
    return case, material


def _page_not_found() -> NotFoundError:
    return NotFoundError(_("Not found"), _("This page is not on this workstation."))


def _page(session: Session, ctx: CounterContext, page_id: str) -> tuple[m.CaseMaterialPage, m.Case, m.CaseMaterial]:
    page = session.get(m.CaseMaterialPage, page_id)
    if page is None:
        raise _page_not_found()
    material = session.get_one(m.CaseMaterial, page.material_id)  # the page's material (a foreign key)
    case, material = _changeable(session, ctx, page.case_id, material.material_code)
    return page, case, material


def _changed(
    session: Session,
    ctx: CounterContext,
    case: m.Case,
    material: m.CaseMaterial,
    pages: Sequence[m.CaseMaterialPage],
    *,
    action: str,
    detail: dict[str, Any],
) -> None:
    """The one outbox event and the audit entry of a change of ``material``'s pages."""
    session.flush()
    now = ctx.now()
    enqueue(
        session,
        entity=EventEntity.CASE,
        entity_id=case.id,
        kind=EVENT_CASE_PAGES,
        now=now,
        payload={
            "case_id": case.id,
            "material_code": material.material_code,
            "pages": [
                {
                    "page_id": page.id,
                    "sha256": page.sha256,
                    "size": page.size,
                    "mime": page.mime,
                    "rotation": page.rotation,
                    "checked_by": page.checked_by,
                    "checked_at": page.checked_at.isoformat() if page.checked_at else None,
                }
                for page in pages
            ],
        },
    )
    record_action(
        session,
        ctx,
        action=action,
        entity="case",
        entity_id=case.id,
        detail={"number": case.case_number, "material": material.material_code, **detail},
    )
