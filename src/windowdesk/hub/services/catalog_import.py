"""Importing and publishing the service catalog, in the format of resources/catalog/.

The three documents are validated with the client's own parser
(windowdesk.domain.catalog), so the hub never publishes a catalog a client would
refuse, and published exactly as read: the "catalog.published" change carries them for
every center, and a client re-imports them with ``parse_catalog``.

Importing the same version again with the same content does nothing; the same version
with other content is refused (a client that has that version would never see it).

The published items also carry each item's pinyin keys (``search_keys``: the name's and
every keyword's full pinyin and initials), made here once, so that a window stores them
and never loads pypinyin while its operator types. They are not part of the stored
documents nor of their fingerprint: they follow from the items.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import select, update
from sqlalchemy.orm import InstrumentedAttribute, Session

from windowdesk.domain.catalog import (
    CENTERS_FILE,
    DEPARTMENTS_FILE,
    ITEMS_FILE,
    Catalog,
    CatalogFormatError,
    load_catalog,
    parse_catalog,
)
from windowdesk.domain.catalog_model import CenterKind
from windowdesk.domain.search_keys import item_search_keys, keys_document
from windowdesk.hub.errors import Conflict, InvalidInput
from windowdesk.hub.language import Text
from windowdesk.hub.services import case_figures, catalog_forms
from windowdesk.hub.services.feed import append_change
from windowdesk.hub.storage.models import CatalogItem, CatalogVersion, Center, Department, Window
from windowdesk.i18n import N_
from windowdesk.sync.protocol import CHANGE_CATALOG

MAX_VERSION_LENGTH = 40
T = TypeVar("T")


@dataclass(frozen=True)
class CatalogImport:
    version: str
    published: bool  # False: this exact version was already published
    seq: int | None
    centers: int
    windows: int
    departments: int
    items: int


def _read_documents(folder: Path) -> tuple[Catalog, dict[str, Any]]:
    try:
        catalog = load_catalog(folder)
    except CatalogFormatError as error:
        raise InvalidInput(error.message, title=error.title) from None
    # load_catalog has just read and decoded these same files.
    documents = {
        key: json.loads((folder / name).read_text(encoding="utf-8"))
        for key, name in (("centers", CENTERS_FILE), ("departments", DEPARTMENTS_FILE), ("items", ITEMS_FILE))
    }
    return catalog, documents


def _fingerprint(documents: dict[str, Any]) -> str:
    canonical = json.dumps(documents, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def import_catalog(session: Session, *, folder: Path, now: dt.datetime) -> CatalogImport:
    """Validate, store and publish; run in a ``write(feed=True)`` transaction."""
    folder = Path(folder)
    if not folder.is_dir():
        raise InvalidInput(
            Text(
                N_("{folder} is not a folder holding {centers}, {departments} and {items}."),
                folder=folder,
                centers=CENTERS_FILE,
                departments=DEPARTMENTS_FILE,
                items=ITEMS_FILE,
            )
        )
    catalog, documents = _read_documents(folder)
    files = catalog_forms.read_form_files(folder, catalog)
    return publish_documents(session, catalog=catalog, documents=documents, now=now, files=files)


def parse_documents(documents: dict[str, Any]) -> Catalog:
    """The three decoded documents validated as ``import-catalog`` validates a folder's."""
    try:
        return parse_catalog(documents["centers"], documents["departments"], documents["items"])
    except CatalogFormatError as error:
        raise InvalidInput(error.message, title=error.title) from None


def publish_documents(
    session: Session,
    *,
    catalog: Catalog,
    documents: dict[str, Any],
    now: dt.datetime,
    files: Mapping[str, bytes] | None = None,
) -> CatalogImport:
    """Store and publish validated documents (``catalog`` is what they parse to): the path of
    every catalog version, from a folder or edited in the console. Runs in a
    ``write(feed=True)`` transaction. ``files``: the forms' files read from a folder, by name
    (catalog_forms); the documents' form entries get their hash and version first, so they
    count in the fingerprint."""
    if len(catalog.version) > MAX_VERSION_LENGTH:
        raise InvalidInput(Text(N_("The catalog version is longer than {count} characters."), count=MAX_VERSION_LENGTH))
    store_forms = catalog_forms.attach_forms(
        session, documents=documents, files=files or {}, catalog_version=catalog.version, now=now
    )
    fingerprint = _fingerprint(documents)
    windows = sum(len(center.windows) for center in catalog.centers)
    counts = dict(
        centers=len(catalog.centers), windows=windows, departments=len(catalog.departments), items=len(catalog.items)
    )
    existing = session.get(CatalogVersion, catalog.version)
    if existing is not None:
        if existing.content_sha256 == fingerprint:
            return CatalogImport(catalog.version, False, None, **counts)
        raise Conflict(
            Text(
                N_(
                    "Catalog version {version} was already published with other content. Give the new catalog a "
                    'new "version" in {items}.'
                ),
                version=catalog.version,
                items=ITEMS_FILE,
            )
        )
    figures_before = case_figures.catalog_terms(session)
    _store_organisation(session, catalog)
    _store_items(session, catalog)
    store_forms()
    session.add(
        CatalogVersion(
            version=catalog.version,
            published_at=catalog.published_at,
            content_sha256=fingerprint,
            documents=documents,
            imported_at=now,
        )
    )
    session.flush()
    case_figures.refresh_catalog(session, figures_before)  # an item's limit or a center's time zone changed
    seq = append_change(
        session,
        kind=CHANGE_CATALOG,
        entity="catalog",
        entity_id=catalog.version,
        center_code=None,
        payload={
            "version": catalog.version,
            **documents,
            "items": _items_with_search_keys(documents["items"], catalog),
        },
        now=now,
    )
    return CatalogImport(catalog.version, True, seq, **counts)


def _items_with_search_keys(items_document: dict[str, Any], catalog: Catalog) -> dict[str, Any]:
    """The items document with each item's ``search_keys`` added (a copy)."""
    keys = {item.code: item_search_keys(item.name, item.keywords) for item in catalog.items}
    return {
        **items_document,
        "items": [{**item, "search_keys": keys_document(keys[item["code"]])} for item in items_document["items"]],
    }


def _store_organisation(session: Session, catalog: Catalog) -> None:
    """Centers, windows and departments: created or renamed, never deleted (workstations
    and cases keep pointing at them). Each table is read once, not looked up row by row."""
    centers = _rows_by_key(session, Center, Center.code)
    for center in catalog.centers:
        _store(
            session,
            centers,
            Center,
            code=center.code,
            name=center.name,
            kind=CenterKind(center.kind),
            timezone=center.timezone,
        )
    session.flush()
    windows = _rows_by_key(session, Window, Window.id)
    for center in catalog.centers:
        for window in center.windows:
            _store(
                session,
                windows,
                Window,
                id=f"{center.code}-{window.code}",
                center_code=center.code,
                code=window.code,
                name=window.name,
            )
    departments = _rows_by_key(session, Department, Department.code)
    for department in catalog.departments:
        _store(session, departments, Department, code=department.code, name=department.name)
    session.flush()


def _store_items(session: Session, catalog: Catalog) -> None:
    """Items of this version become active; items it dropped stay known, inactive."""
    session.execute(update(CatalogItem).values(active=False))
    items = _rows_by_key(session, CatalogItem, CatalogItem.code)
    for item in catalog.items:
        _store(
            session,
            items,
            CatalogItem,
            code=item.code,
            name=item.name,
            department_code=item.department,
            parallel_departments=list(item.parallel_departments),
            catalog_version=catalog.version,
            active=True,
        )
    session.flush()


def _rows_by_key(session: Session, model: type[T], key: InstrumentedAttribute[str]) -> dict[str, T]:
    """A table's rows by their primary key: read once, where ``session.merge`` per row
    looked each up (and flushed) again, most of a catalog import's time."""
    return {getattr(row, key.key): row for row in session.scalars(select(model))}


def _store(session: Session, rows: dict[str, T], model: type[T], **values: Any) -> None:
    """The row with these values, as ``session.merge`` would leave it. The first value is
    the primary key ``rows`` is keyed by."""
    key = next(iter(values.values()))
    row = rows.get(key)
    if row is None:
        rows[key] = row = model(**values)
        session.add(row)
        return
    for name, value in values.items():
        setattr(row, name, value)
