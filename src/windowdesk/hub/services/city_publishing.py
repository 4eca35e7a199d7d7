"""What the hub publishes to every window, from the console: the catalog (an item edited, then
a new catalog version), the working calendar (a year, a day) and the status page's address.

An administrator only; one audit entry per change, in the same transaction. The catalog
goes through catalog_import's own validation and publishing (``import-catalog``), the
calendar through calendar_years and admin (``calendar-year``, ``calendar-override``), the
address through status_page (``status-page``): the windows receive exactly what those
commands would have sent. All run in a ``write(feed=True)`` transaction.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from windowdesk.domain.calendar import PublishedYear
from windowdesk.hub.errors import Conflict, InvalidInput, NotFound
from windowdesk.hub.language import Text
from windowdesk.hub.services import admin, calendar_years, catalog_import, status_page
from windowdesk.hub.services.admin import Saved
from windowdesk.hub.services.catalog_import import CatalogImport
from windowdesk.hub.services.console_rights import ConsoleActor, require_administrator
from windowdesk.hub.services.hub_audit import console_action
from windowdesk.hub.storage.models import CalendarOverride, CalendarYear, CatalogVersion, Change
from windowdesk.i18n import N_
from windowdesk.sync.protocol import CHANGE_STATUS_PAGE

# The fields of an item the console edits (the catalog format's, items.json); the others
# (code, search keys, fields a later format adds) are kept as they are.
EDITABLE_FIELDS = frozenset(
    {
        "name",
        "name_en",
        "department",
        "category",
        "preconditions",
        "materials",
        "procedure",
        "legal_limit_days",
        "promised_limit_days",
        "warning_days",
        "fee",
        "legal_basis",
        "refusal_grounds",
        "parallel",
        "parallel_departments",
        "street_level",
        "where",
        "keywords",
    }
)
MAX_CALENDAR_FILE = 1024 * 1024


# --- the catalog ---------------------------------------------------------------------------


def current_catalog(session: Session, *, by: ConsoleActor) -> CatalogVersion:
    """The catalog version published last (the one every window has after its sync)."""
    require_administrator(by)
    row = session.scalars(select(CatalogVersion).order_by(CatalogVersion.imported_at.desc()).limit(1)).first()
    if row is None:
        raise NotFound(N_("No catalog is published yet: publish the first one with import-catalog at the hub."))
    return row


def catalog_item(session: Session, *, by: ConsoleActor, code: str) -> dict[str, Any]:
    """One item of the current catalog, as the catalog format has it (a copy)."""
    for item in current_catalog(session, by=by).documents["items"]["items"]:
        if item.get("code") == code:
            return copy.deepcopy(item)
    raise NotFound(Text(N_("The current catalog has no item {code}."), code=code))


def catalog_departments(session: Session, *, by: ConsoleActor) -> list[dict[str, str]]:
    """The departments an item may name: the current catalog's (departments.json), not every
    department the hub knows (one made with ``create-department`` is not in the catalog the
    windows have, so an item naming it would be refused)."""
    documents = current_catalog(session, by=by).documents
    return [{"code": d["code"], "name": d["name"]} for d in documents["departments"]["departments"]]


def next_version(now: dt.datetime) -> str:
    """A new version name for an edit made now: sorts after the day's earlier edits."""
    return f"{now:%Y.%m.%d-%H%M%S}"


@dataclass(frozen=True)
class ItemPublished:
    code: str
    published: CatalogImport


def publish_item(
    session: Session,
    *,
    by: ConsoleActor,
    code: str,
    fields: dict[str, Any],
    version: str,
    now: dt.datetime,
    address: str = "",
) -> ItemPublished:
    """The current catalog with item ``code``'s ``fields`` replaced, validated as
    ``import-catalog`` validates a folder, and published as ``version`` to every window."""
    current = current_catalog(session, by=by)
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise InvalidInput(Text(N_("These fields cannot be edited here: {fields}."), fields=", ".join(sorted(unknown))))
    version = version.strip()
    if not version:
        raise InvalidInput(N_("Give the new catalog version a name."))
    if session.get(CatalogVersion, version) is not None:
        raise Conflict(
            Text(N_("Catalog version {version} exists already: give the new one another name."), version=version)
        )
    documents = copy.deepcopy(current.documents)
    items = documents["items"]["items"]
    index = next((i for i, item in enumerate(items) if item.get("code") == code), None)
    if index is None:
        raise NotFound(Text(N_("The current catalog has no item {code}."), code=code))
    changed = sorted(name for name, value in fields.items() if items[index].get(name) != value)
    items[index] = {**items[index], **fields}
    documents["items"]["version"] = version
    documents["items"]["published_at"] = now.date().isoformat()
    catalog = catalog_import.parse_documents(documents)
    published = catalog_import.publish_documents(session, catalog=catalog, documents=documents, now=now)
    console_action(
        session,
        by,
        "catalog.item_published",
        "catalog_item",
        code,
        now,
        address,
        version=version,
        previous_version=current.version,
        fields=changed,
    )
    return ItemPublished(code, published)


# --- the status page's address --------------------------------------------------------------


def status_page_address(session: Session, *, by: ConsoleActor) -> str:
    """The address published last ("" when none is, or it was withdrawn)."""
    require_administrator(by)
    payload = session.scalar(
        select(Change.payload).where(Change.kind == CHANGE_STATUS_PAGE).order_by(Change.seq.desc()).limit(1)
    )
    url: str = (payload or {}).get("url", "")
    return url


def publish_status_page(session: Session, *, by: ConsoleActor, url: str, now: dt.datetime, address: str = "") -> int:
    require_administrator(by)
    seq = status_page.publish_status_page(session, url=url, now=now)
    console_action(
        session,
        by,
        "status_page.published",
        "status_page",
        "status_page",
        now,
        address,
        url=status_page.checked_address(url),
    )
    return seq


# --- the working calendar ----------------------------------------------------------------------


@dataclass(frozen=True)
class CalendarState:
    years: list[CalendarYear]
    overrides: list[CalendarOverride]


def calendar_state(session: Session, *, by: ConsoleActor, since: dt.date) -> CalendarState:
    """The published years, and the day overrides from ``since`` on."""
    require_administrator(by)
    years = list(session.scalars(select(CalendarYear).order_by(CalendarYear.year.desc())))
    overrides = list(
        session.scalars(select(CalendarOverride).where(CalendarOverride.day >= since).order_by(CalendarOverride.day))
    )
    return CalendarState(years, overrides)


def publish_calendar_year(
    session: Session,
    *,
    by: ConsoleActor,
    file_name: str,
    content: bytes,
    year: int | None,
    now: dt.datetime,
    address: str = "",
) -> tuple[PublishedYear, Saved]:
    """A year out of an uploaded calendar file, checked and published as ``calendar-year``."""
    require_administrator(by)
    if len(content) > MAX_CALENDAR_FILE:
        raise InvalidInput(
            Text(N_("The file {path} is larger than a calendar file can be. Nothing was published."), path=file_name)
        )
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidInput(
            Text(
                N_("The file {path} cannot be read ({kind}). Nothing was published."),
                path=file_name,
                kind="UnicodeDecodeError",
            )
        ) from None
    published = calendar_years.year_from_text(text, name=file_name, year=year)
    saved = calendar_years.publish_year(session, year=published, now=now)
    console_action(
        session,
        by,
        "calendar.year_published",
        "calendar",
        str(published.year),
        now,
        address,
        holidays=len(published.holidays),
        makeup_workdays=len(published.makeup_workdays),
        source=published.source,
    )
    return published, saved


def publish_calendar_day(
    session: Session,
    *,
    by: ConsoleActor,
    day: dt.date,
    is_working_day: bool,
    note: str,
    now: dt.datetime,
    address: str = "",
) -> Saved:
    """One day for every center, as ``calendar-override``."""
    require_administrator(by)
    saved = admin.publish_calendar_override(session, day=day, is_working_day=is_working_day, note=note, now=now)
    console_action(
        session,
        by,
        "calendar.day_published",
        "calendar",
        day.isoformat(),
        now,
        address,
        working=is_working_day,
        note=note.strip(),
    )
    return saved
