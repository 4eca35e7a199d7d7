"""Service guides (办事指南) for the public pages: every item of the published catalog,
found by name, pinyin or initials, by department and by street center.

The guides are read from the catalog version the hub published last, exactly as every
window received it (``domain.catalog.parse_catalog``), so the web shows what the
window's printed guide shows. A version is parsed, and its items' pinyin keys are made
(``domain.search_keys``, the windows' own keys), once per worker process: afterwards a
guide page reads one short row (which version is current) and renders from memory.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from windowdesk.domain.catalog import parse_catalog
from windowdesk.domain.catalog_model import Catalog, CatalogItem, Center
from windowdesk.domain.search_keys import NO_MATCH, ItemSearchKeys, item_search_keys, normalize_query, rank
from windowdesk.hub.storage.models import CatalogVersion
from windowdesk.i18n import N_

MAX_RESULTS = 200
# Words of the catalog's codes; the same msgids as the window's (services/catalog.py), so
# the same translations; the templates translate them in the reader's language.
FORM_WORDS = {
    "original": "Original",
    "copy": "Copy",
    "original_and_copy": "Original and copy",
    "electronic": "Electronic file",
}
# The kinds of an item's forms (domain.catalog_forms.FORM_KINDS), msgids.
FORM_KIND_WORDS = {
    "application": N_("Application form"),
    "commitment": N_("Commitment"),
    "power_of_attorney": N_("Power of Attorney"),
    "other": N_("Other form"),
}


@dataclass(frozen=True)
class PublishedCatalog:
    catalog: Catalog
    keys: dict[str, ItemSearchKeys]  # item code -> its name's and keywords' pinyin
    # The published version's content fingerprint: what is worked out from this version
    # alone (the pages' rendered guides) is kept under it, and a new publication changes it.
    fingerprint: str = ""

    def department_name(self, code: str) -> str:
        return next((d.name for d in self.catalog.departments if d.code == code), code)

    def center(self, code: str) -> Center | None:
        return next((center for center in self.catalog.centers if center.code == code), None)

    def center_name(self, code: str) -> str:
        found = self.center(code)
        return found.name if found is not None else code

    @property
    def street_centers(self) -> tuple[Center, ...]:
        return tuple(center for center in self.catalog.centers if not center.is_city_hall)

    @property
    def city_hall(self) -> Center | None:
        return next((center for center in self.catalog.centers if center.is_city_hall), None)


_parsed: dict[str, PublishedCatalog] = {}  # by the version's content fingerprint
_parsing = threading.Lock()
# Built once, on the table (not the ORM's entity): every public page reads the current
# version, and building the statement cost more than running it.
_versions = CatalogVersion.__table__
LATEST_VERSION = (
    select(_versions.c.version, _versions.c.content_sha256).order_by(_versions.c.imported_at.desc()).limit(1)
)
VERSION_DOCUMENTS = select(_versions.c.documents).where(_versions.c.version == bindparam("version"))


def current_catalog(session: Session) -> PublishedCatalog | None:
    """The catalog the hub published last; None before any was."""
    latest = session.execute(LATEST_VERSION).first()
    if latest is None:
        return None
    version, fingerprint = latest
    found = _parsed.get(fingerprint)
    if found is not None:
        return found
    with _parsing:
        found = _parsed.get(fingerprint)
        if found is None:
            # The version was read in this same snapshot, above: it is there.
            documents = session.execute(VERSION_DOCUMENTS, {"version": version}).scalar_one()
            catalog = parse_catalog(documents["centers"], documents["departments"], documents["items"])
            found = PublishedCatalog(
                catalog, {item.code: item_search_keys(item.name, item.keywords) for item in catalog.items}, fingerprint
            )
            _parsed.clear()  # only the current version is served
            _parsed[fingerprint] = found
    return found


def _item_rank(query: str, item: CatalogItem, keys: ItemSearchKeys) -> int:
    """The best rank of the name or any keyword (domain.search_keys.rank)."""
    best = rank(query, item.name, keys.name)
    for keyword, keyword_keys in zip(item.keywords, keys.keywords, strict=False):
        best = min(best, rank(query, keyword, keyword_keys) + 1)
    return best


def find_guides(
    published: PublishedCatalog, *, query: str = "", department: str = "", street_center: str = ""
) -> list[CatalogItem]:
    """Items matching what was typed (name, full pinyin, initials, keywords), of one
    department, and doable at one street center (its delegated items), best match
    first, then in catalog order."""
    items = published.catalog.items
    if department:
        items = tuple(item for item in items if item.department == department)
    if street_center:
        items = tuple(item for item in items if item.street_level)
    if not normalize_query(query):
        return list(items[:MAX_RESULTS])
    ranked = [
        (_item_rank(query, item, published.keys[item.code]), position, item) for position, item in enumerate(items)
    ]
    return [item for score, _position, item in sorted(ranked, key=lambda r: (r[0], r[1])) if score < NO_MATCH][
        :MAX_RESULTS
    ]


def guide(published: PublishedCatalog, code: str) -> CatalogItem | None:
    return published.catalog.item(code) if published.catalog.has_item(code) else None


def where_to_go(published: PublishedCatalog, item: CatalogItem) -> list[Center]:
    """The centers where the item is done: the city hall, and every street center for an
    item delegated to the streets (权随责走)."""
    centers = [published.city_hall] if published.city_hall is not None else []
    if item.street_level:
        centers += list(published.street_centers)
    return centers
