"""网上预审 at the window: the online applications of this center that the sync brought
(services/application_fetch.py), oldest first, with what the resident typed and the
uploaded pages; the operator accepts one for the visit (the resident is told to bring the
originals) or returns it with the one-time list (一次性告知) of everything missing or to
be corrected, by the window's own material checks (services/intake.py): every material
marked once, a correction says what, and nothing is asked later.

Each decision is one write transaction: the application's state here, the audit entry
and the outbox event (application.decided) commit together; the hub updates the
application and the resident reads the outcome on the public pages.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from windowdesk.domain.permissions import Permission
from windowdesk.domain.text_rules import SHORT_NOTE, checked_text
from windowdesk.errors import NotFoundError, ValidationError
from windowdesk.i18n import _, current_locale
from windowdesk.services.audit import record_action
from windowdesk.services.authorization import authorize
from windowdesk.services.catalog import MaterialLine
from windowdesk.services.context import CounterContext
from windowdesk.services.intake import CORRECTION, MISSING, RECEIVED, MaterialCheck, _checked_materials
from windowdesk.storage import application_queries as queries
from windowdesk.storage import queries as catalog_queries
from windowdesk.storage.db import Database, Session
from windowdesk.storage.models_applications import OnlineApplication
from windowdesk.storage.page_store import page_store_for
from windowdesk.sync.outbox import enqueue
from windowdesk.sync.protocol import EVENT_APPLICATION_DECIDED, EventEntity

ACCEPT, RETURN = "accept", "return"


@dataclass(frozen=True)
class AppliedPage:
    page_id: str
    material_code: str
    sha256: str


@dataclass(frozen=True)
class AppliedMaterial:
    code: str
    name: str
    pages: int  # how many pages the resident uploaded for it


@dataclass(frozen=True)
class WaitingApplication:
    id: str
    number: str
    item_code: str
    item_name: str
    round: int
    submitted_at: dt.datetime
    values: dict[str, str]
    fields: tuple[tuple[str, str], ...]  # (label in the window's language, value), the form's order
    materials: tuple[AppliedMaterial, ...]
    pages: tuple[AppliedPage, ...]
    returned_before: tuple[dict[str, str], ...]  # the list of the last return, when sent again


@dataclass(frozen=True)
class Returned:
    material: str  # a material code, or "" for a note on the form itself
    kind: str  # missing / correction
    text: str


def _fields(row: OnlineApplication) -> tuple[tuple[str, str], ...]:
    """The values under the form's labels; a value the form does not name, under its code."""
    english = current_locale().startswith("en")
    labels = {
        str(f.get("code")): (str(f.get("label_en") or f.get("label")) if english else str(f.get("label")))
        for f in row.labels
    }
    order = [code for code in labels if code in row.values] + [code for code in row.values if code not in labels]
    return tuple((labels.get(code) or code, str(row.values[code])) for code in order)


def _view(session: Session, row: OnlineApplication) -> WaitingApplication:
    item = catalog_queries.item_with_details(session, row.item_code)
    pages = tuple(AppliedPage(str(p["page_id"]), str(p["material"]), str(p["sha256"])) for p in row.pages)
    counts: dict[str, int] = {}
    for page in pages:
        counts[page.material_code] = counts.get(page.material_code, 0) + 1
    materials = (
        tuple(AppliedMaterial(mat.code, mat.name, counts.get(mat.code, 0)) for mat in item.materials)
        if item is not None
        else ()
    )
    return WaitingApplication(
        id=row.id,
        number=row.number,
        item_code=row.item_code,
        item_name=item.name if item is not None else row.item_code,
        round=row.round,
        submitted_at=row.submitted_at,
        values=dict(row.values),
        fields=_fields(row),
        materials=materials,
        pages=pages,
        returned_before=tuple(dict(entry) for entry in row.returned),
    )


def waiting_applications(db: Database, ctx: CounterContext) -> list[WaitingApplication]:
    """The applications waiting for the pre-review, oldest first."""
    with db.read() as session:
        authorize(session, ctx, Permission.DECIDE_INTAKE)
        return [_view(session, row) for row in queries.waiting(session)]


def page_bytes(db: Database, ctx: CounterContext, *, application_id: str, page_id: str) -> bytes:
    """A page of a waiting application (a grey JPEG), from the window's page store."""
    with db.read() as session:
        authorize(session, ctx, Permission.DECIDE_INTAKE)
        row = queries.get(session, application_id)
        found = [p for p in (row.pages if row is not None else []) if p.get("page_id") == page_id]
    if not found:
        raise NotFoundError(_("Page not found"), _("This page is not part of the online application."))
    return page_store_for(db).read(str(found[0]["sha256"]))


def _waiting_row(session: Session, ctx: CounterContext, application_id: str) -> OnlineApplication:
    authorize(session, ctx, Permission.DECIDE_INTAKE)
    row = queries.get(session, application_id)
    if row is None or row.status != queries.SUBMITTED or row.fetched_round != row.round:
        raise ValidationError(_("This online application is not waiting for a pre-review any more."))
    return row


def _decide(
    session: Session, ctx: CounterContext, row: OnlineApplication, decision: str, returned: list[Returned]
) -> None:
    now = ctx.now()
    row.status = queries.ACCEPTED if decision == ACCEPT else queries.RETURNED
    row.returned = [{"material": r.material, "kind": r.kind, "text": r.text} for r in returned]
    row.decided_by, row.decided_at = ctx.operator_id, now
    record_action(
        session,
        ctx,
        action=f"application.{decision}",
        entity="online_application",
        entity_id=row.id,
        detail={"number": row.number, "round": row.round, "entries": len(returned)},
    )
    enqueue(
        session,
        entity=EventEntity.APPLICATION,
        entity_id=row.id,
        kind=EVENT_APPLICATION_DECIDED,
        now=now,
        payload={
            "id": row.id,
            "center": ctx.center_code,
            "window": ctx.window_id,
            "operator": ctx.operator_id,
            "decision": decision,
            "round": row.round,
            "returned": row.returned,
            "at": now.isoformat(),
        },
    )


def accept_for_visit(db: Database, ctx: CounterContext, *, application_id: str) -> None:
    """Accepted for the visit: the resident brings the originals; 受理 is at the window."""
    with db.write() as session:
        _decide(session, ctx, _waiting_row(session, ctx, application_id), ACCEPT, [])


def return_application(
    db: Database, ctx: CounterContext, *, application_id: str, checks: Sequence[MaterialCheck], note: str = ""
) -> list[Returned]:
    """Returned with everything missing or to be corrected at once: every material of the
    item marked (received / missing / correction, a correction saying what), and a note on
    the form itself when something typed is wrong."""
    note = checked_text(note, SHORT_NOTE, field="note", label=_("The note on the form")).strip()
    with db.write() as session:
        row = _waiting_row(session, ctx, application_id)
        item = catalog_queries.item_with_details(session, row.item_code)
        if item is None:
            raise ValidationError(_("This item is not in the catalog of this window any more."))
        returned = []
        for mat, check in _checked_materials(item, checks):
            if check.status == RECEIVED:
                continue
            line = MaterialLine(mat.code, mat.name, mat.form, mat.originals, mat.copies, mat.required, mat.note)
            # The resident's page names the material; the text says what it must be.
            text = (
                check.note.strip()
                if check.status == CORRECTION
                else "\uff1b".join(part for part in (line.requirement, check.note.strip()) if part)
            )
            returned.append(Returned(mat.code, MISSING if check.status == MISSING else CORRECTION, text))
        if note:
            returned.append(Returned("", CORRECTION, note))
        if not returned:
            raise ValidationError(
                _("Every material is marked as received: accept the application for the visit instead."),
                field="materials",
            )
        _decide(session, ctx, row, RETURN, returned)
        return returned
