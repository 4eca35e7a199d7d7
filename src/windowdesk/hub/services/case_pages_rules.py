"""The push rule of case.pages: a material's full, ordered list of scanned pages.

Each event replaces the list of its (case, material): the hub appends it to
``case_page_lists`` and the newest row is the current list (an empty list: every page of
the material deleted). A resend is a duplicate like any event; an older list never comes
after a newer one, because a window's events apply in its outbox's order. The pages'
bytes arrive apart, as blobs (services/blobs.py): a list may name pages not yet uploaded.

A case of another center is answered as one the hub does not have, like case.status.
Joined to push_rules.RULES at the end of that module; imports it only at its own end.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import insert
from sqlalchemy.sql import Executable

from windowdesk.hub.storage.models_pages import CasePageList
from windowdesk.hub.storage.page_store import is_sha256
from windowdesk.i18n import N_
from windowdesk.sync.protocol import EVENT_CASE_PAGES, MAX_BLOB_BYTES, EventEntity

INSERT_CASE_PAGE_LIST = insert(CasePageList.__table__)
STATEMENTS: tuple[Executable, ...] = (INSERT_CASE_PAGE_LIST,)
MAX_PAGES = 500  # of one material: far beyond any paper a window checks
PAGE_MIMES = ("image/jpeg", "image/png", "application/pdf")
ROTATIONS = (0, 90, 180, 270)


def _page(read: base.PayloadReader, raw: Any, position: int) -> dict[str, Any]:
    kind = read.event.kind
    if not isinstance(raw, dict):
        raise base.Rejected(N_("Page {position} of the {kind} event is not an object."), position=position, kind=kind)

    def wrong(name: str) -> base.Rejected:
        return base.Rejected(
            N_("Page {position} of the {kind} event has a wrong {name!r}."), position=position, kind=kind, name=name
        )

    if not base.is_uuid(raw.get("page_id")):
        raise wrong("page_id")
    sha256 = raw.get("sha256")
    if not isinstance(sha256, str) or not is_sha256(sha256):
        raise wrong("sha256")
    size = raw.get("size")
    if isinstance(size, bool) or not isinstance(size, int) or not 0 < size <= MAX_BLOB_BYTES:
        raise wrong("size")
    if raw.get("mime") not in PAGE_MIMES:
        raise wrong("mime")
    rotation = raw.get("rotation", 0)
    if isinstance(rotation, bool) or rotation not in ROTATIONS:
        raise wrong("rotation")
    checked_by = raw.get("checked_by")
    if checked_by is not None and not base.is_uuid(checked_by):
        raise wrong("checked_by")
    checked_at = raw.get("checked_at")
    if checked_at is not None:
        try:
            parsed = dt.datetime.fromisoformat(checked_at) if isinstance(checked_at, str) else None
        except ValueError:
            parsed = None
        if parsed is None or base.utc_instant(parsed) is None:
            raise wrong("checked_at")
    return {
        "page_id": raw["page_id"],
        "sha256": sha256,
        "size": size,
        "mime": raw["mime"],
        "rotation": rotation,
        "checked_by": checked_by,
        "checked_at": checked_at,
    }


def case_pages(event: base.IncomingEvent, pusher: base.Pusher, view: base.BatchView, now: dt.datetime) -> base.Plan:
    read = base.PayloadReader(event)
    if event.entity != EventEntity.CASE:
        raise base.Rejected(N_("A case.pages event must be about a case, not {entity!r}."), entity=event.entity[:40])
    case_id = event.entity_id
    if read.payload.get("case_id") != case_id:
        raise base.Rejected(N_("The case.pages event's case_id does not match its entity id."))
    material = read.text("material_code", 40)
    raw_pages = read.payload.get("pages")
    if not isinstance(raw_pages, list) or len(raw_pages) > MAX_PAGES:
        raise base.Rejected(N_("The case.pages event's pages must be a list of at most {most} pages."), most=MAX_PAGES)
    pages = [_page(read, raw, position) for position, raw in enumerate(raw_pages, start=1)]
    if len({page["page_id"] for page in pages}) != len(pages):
        raise base.Rejected(N_("The case.pages event names a page twice."))
    facts = view.cases.get(case_id)
    if facts is None or facts.center_code != pusher.center_code:
        raise base.unknown_case(view, case_id)
    row = dict(case_id=case_id, material_code=material, pages=pages, event_id=event.event_id, recorded_at=now)
    return base.Plan([(INSERT_CASE_PAGE_LIST, row)], base.nothing)


RULES: dict[str, base.Rule] = {EVENT_CASE_PAGES: case_pages}

from windowdesk.hub.services import push_rules as base  # noqa: E402 - see the module's docstring
