"""Each case's figures for the performance report (``case_figures``), kept with the case.

The report's definitions are domain.assessment's; this module works out, once per case
and again whenever something they depend on changes, the days and flags that let the
report count any period in SQL (hub/services/reports.py):

- the case, its steps, proxy and deferred materials change: the push and the hub's
  decisions call :func:`refresh` for the cases they touched, in their transaction;
- the working calendar changes (a year published, a day set): :func:`refresh_for_days`
  recomputes the cases whose counted days reach into the changed days;
- a catalog changes an item's department or promised limit: :func:`refresh_items`;
- anything else (a center's time zone, a hub migrated from before this table):
  ``windowdesk-hub rebuild-case-figures`` (:func:`rebuild`).

Counting (domain.assessment.used_working_days): the working days after the acceptance day
up to a day, without the days inside suspensions; these never go down as the day moves
on, so "overdue at the end of a period" is "the first overdue day is on or before it".
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, cast
from zoneinfo import ZoneInfo

from sqlalchemy import Select, and_, delete, insert, or_, select
from sqlalchemy.orm import Session

from windowdesk.domain.calendar import WorkingCalendar
from windowdesk.domain.case_state import CaseStatus
from windowdesk.domain.delivery import DELIVERY_WORKING_DAYS
from windowdesk.domain.time_limits import Suspension, suspensions_from
from windowdesk.hub.services import figure_days
from windowdesk.hub.services.id_lists import Among, among_array, among_json, bound_ids, ids_as_json
from windowdesk.hub.storage.bulk import execute_many
from windowdesk.hub.storage.models import (
    STEP_TIME,
    Case,
    CaseDeferredMaterial,
    CaseEvent,
    CaseProxy,
    CatalogItem,
    CatalogVersion,
    Center,
)
from windowdesk.hub.storage.models_figures import CaseFigureDay, CaseFigures

DECIDED = (CaseStatus.APPROVED.value, CaseStatus.REJECTED.value)  # the delivery deadline runs from here
CHUNK = 500  # ids per IN (...) list
_ONE_DAY = dt.timedelta(days=1)
# Calendar days that hold a working day's worth of days however long a holiday is (the
# Spring Festival's week plus its weekends): the search for a day a count reaches looks no
# further than this many days per working day, plus the longest holiday.
_DAYS_PER_WORKING_DAY, _LONGEST_BREAK = 2, 30
_INSERT = insert(CaseFigures)  # built once: the push's bulk insert keeps a plan per statement


ItemLimits = dict[str, tuple[str | None, int]]
CatalogsKey = tuple[tuple[str, str], ...]
# The published catalogs' limits, by the catalogs they were read from (version and content
# hash, in import order): every pushed batch needs them, and decoding every version's
# documents again for each batch cost more than the rest of reading the figures' terms.
# A version's documents never change (publish_documents refuses other content under a
# known version), so its hash names them.
_published_limits: tuple[CatalogsKey, ItemLimits] | None = None


def _limits_of_published_catalogs(session: Session) -> ItemLimits:
    global _published_limits
    key: CatalogsKey = tuple((version, content_sha256) for version, content_sha256 in session.execute(
        select(CatalogVersion.version, CatalogVersion.content_sha256).order_by(CatalogVersion.imported_at)))
    known = _published_limits
    if known is not None and known[0] == key:
        return dict(known[1])
    limits: ItemLimits = {}
    read: list[tuple[str, str]] = []  # the key of what this statement read (a catalog may come in between)
    for version, content_sha256, documents in session.execute(
            select(CatalogVersion.version, CatalogVersion.content_sha256, CatalogVersion.documents)
            .order_by(CatalogVersion.imported_at)):
        read.append((version, content_sha256))
        items = (documents or {}).get("items") or {}
        for item in items.get("items", []) if isinstance(items, dict) else []:
            limits[item["code"]] = (item.get("department"), int(item.get("promised_limit_days") or 0))
    _published_limits = (tuple(read), dict(limits))
    return limits


def item_limits(session: Session) -> ItemLimits:
    """Item code -> (department, promised limit in working days), from the published
    catalogs (the latest version that lists the item), else the item's own department."""
    limits = _limits_of_published_catalogs(session)
    for code, department in session.execute(select(CatalogItem.code, CatalogItem.department_code)):
        limits.setdefault(code, (department, 0))
    return limits


@dataclass(frozen=True)
class Terms:
    """What a case's figures depend on besides the case: read once per refresh."""

    calendar: WorkingCalendar
    items: dict[str, tuple[str | None, int]]
    zones: dict[str, ZoneInfo]

    @classmethod
    def read(cls, session: Session) -> Terms:
        # Imported here: publishing a calendar (calendar_years, admin) refreshes figures.
        from windowdesk.hub.services.calendar_years import hub_calendar

        zones = {code: ZoneInfo(zone) for code, zone in session.execute(select(Center.code, Center.timezone))}
        return cls(hub_calendar(session), item_limits(session), zones)

    def day(self, center: str, at: dt.datetime) -> dt.date:
        return at.astimezone(self.zones.get(center, dt.UTC)).date()


class _Clock:
    """One case's used working days on any day (domain.assessment.used_working_days)."""

    def __init__(self, calendar: WorkingCalendar, accepted: dt.date, suspensions: Sequence[Suspension]) -> None:
        self.calendar, self.accepted, self.suspensions = calendar, accepted, suspensions

    def _between(self, start: dt.date, end: dt.date) -> int:
        return self.calendar.working_days_between(start, end) if end > start else 0

    def used(self, until: dt.date) -> int:
        used = self._between(self.accepted, until)
        for period in self.suspensions:
            last_suspended = (period.end - _ONE_DAY) if period.end is not None else until
            used -= self._between(max(period.start, self.accepted), min(last_suspended, until))
        return used

    def first_day_reaching(self, count: int) -> dt.date | None:
        """The first day whose used working days reach ``count``; None if none does (a
        running suspension holds the clock short of it)."""
        if count <= 0:
            return self.accepted
        if not self.suspensions:  # most cases: the calendar's own index answers at once
            return self.calendar.add_working_days(self.accepted, count)
        low = self.accepted
        ends = [period.end for period in self.suspensions if period.end is not None]
        high = max([low, *ends]) + dt.timedelta(days=count * _DAYS_PER_WORKING_DAY + _LONGEST_BREAK)
        if self.used(high) < count:
            return None
        while high - low > _ONE_DAY:  # used(low) < count <= used(high)
            middle = low + (high - low) // 2
            if self.used(middle) >= count:
                high = middle
            else:
                low = middle
        return high


def _first(timeline: Sequence[tuple[dt.date, str]], wanted: Iterable[str]) -> dt.date | None:
    statuses = set(wanted)
    return next((day for day, status in timeline if status in statuses), None)


def _due_day(case: Any, accepted: dt.date, promised: int, clock: _Clock, calendar: WorkingCalendar) -> dt.date | None:
    """The promise on the receipt (the window's, printed for the applicant) moved on by
    the days suspended before it is reached; the catalog's limit when the receipt had none."""
    if case.promised_date is None:
        return clock.first_day_reaching(promised)
    promised_on_receipt = calendar.working_days_between(accepted, case.promised_date)
    if promised_on_receipt <= 0:  # due on the day of acceptance (or a receipt's slip): nothing moves it
        return cast("dt.date", case.promised_date)
    moved = clock.first_day_reaching(promised_on_receipt)
    # Never before the printed date (the cards find the cases by it first: time_cards.due_by).
    return None if moved is None else max(moved, case.promised_date)


def figures_row(case: Any, timeline: Sequence[tuple[dt.date, str]], *, proxy: bool, deferred: bool,
                terms: Terms) -> dict[str, Any]:
    """The ``case_figures`` row of one case (``case``: its row with the columns read
    in :func:`_rows`) from its timeline of (local day, status after the step)."""
    department, promised = terms.items.get(case.item_code, (None, 0))
    accepted = terms.day(case.center_code, case.accepted_at)
    suspensions = suspensions_from(timeline)
    clock = _Clock(terms.calendar, accepted, suspensions)
    completed, withdrawn = _first(timeline, ("completed",)), _first(timeline, ("withdrawn",))
    decided, delivered = _first(timeline, DECIDED), _first(timeline, (CaseStatus.DELIVERED.value,))
    handling = clock.used(completed) if completed is not None else None
    running = any(period.end is None for period in suspensions)
    return dict(
        case_id=case.id, center_code=case.center_code, window_id=case.window_id, operator_id=case.operator_id,
        item_code=case.item_code, department_code=department, applicant_kind=case.applicant_kind,
        source=case.source, proxy=proxy, deferred=deferred, accepted_day=accepted, promised_days=promised,
        due_day=None if running else _due_day(case, accepted, promised, clock, terms.calendar),
        overdue_day=clock.first_day_reaching(promised + 1),
        completed_day=completed, withdrawn_day=withdrawn,
        finished_day=min((d for d in (completed, withdrawn) if d is not None), default=None),
        handling_days=handling, on_time=None if handling is None else handling <= promised,
        decided_day=decided, delivered_day=delivered,
        delivery_due_day=None if decided is None else terms.calendar.add_working_days(decided,
                                                                                      DELIVERY_WORKING_DAYS + 1),
    )


@dataclass(frozen=True)
class _Reads:
    """What :func:`_rows` reads, built once per way of binding the ids (id_lists): with
    IN lists SQLAlchemy rendered the four statements again for every 500 cases, and
    reading the figures' inputs cost a push more than working the figures out."""

    cases: Select[*tuple[Any, ...]]
    steps: Select[*tuple[Any, ...]]
    proxies: Select[*tuple[Any, ...]]
    deferred: Select[*tuple[Any, ...]]
    as_json: bool

    @classmethod
    def built(cls, among: Among, *, as_json: bool) -> _Reads:
        return cls(
            cases=select(Case.id, Case.center_code, Case.window_id, Case.operator_id, Case.item_code,
                         Case.applicant_kind, Case.source, Case.accepted_at, Case.promised_date).where(among(Case.id)),
            steps=select(CaseEvent.case_id, STEP_TIME, CaseEvent.to_status)
            .where(among(CaseEvent.case_id)).order_by(CaseEvent.case_id, CaseEvent.seq),
            proxies=select(CaseProxy.case_id).where(among(CaseProxy.case_id)),
            deferred=select(CaseDeferredMaterial.case_id).distinct().where(among(CaseDeferredMaterial.case_id)),
            as_json=as_json,
        )


_READS_BY_JSON = _Reads.built(among_json, as_json=True)
_READS_BY_ARRAY = _Reads.built(among_array, as_json=False)


def _rows(session: Session, ids: Sequence[str], terms: Terms) -> list[dict[str, Any]]:
    connection = session.connection()
    reads = _READS_BY_JSON if ids_as_json(connection) else _READS_BY_ARRAY
    bound = {"ids": bound_ids(ids, as_json=reads.as_json)}
    cases = connection.execute(reads.cases, bound).all()
    timelines: dict[str, list[tuple[dt.date, str]]] = defaultdict(list)
    centers = {case.id: case.center_code for case in cases}
    for case_id, at, status in connection.execute(reads.steps, bound):
        timelines[case_id].append((terms.day(centers[case_id], at), status))
    proxies = set(connection.execute(reads.proxies, bound).scalars())
    deferred = set(connection.execute(reads.deferred, bound).scalars())
    rows = [figures_row(case, timelines[case.id], proxy=case.id in proxies, deferred=case.id in deferred,
                        terms=terms) for case in cases]
    for row in rows:
        row["counted_apart"] = figure_days.counted_apart(row)
    return rows


def _chunks(ids: Sequence[str]) -> Iterator[Sequence[str]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start:start + CHUNK]


def refresh(session: Session, case_ids: Iterable[str], terms: Terms | None = None) -> int:
    """Work out again the figures of these cases (in the caller's transaction); returns
    how many cases have figures now."""
    ids = sorted(set(case_ids))
    if not ids:
        return 0
    terms = terms or Terms.read(session)
    session.flush()  # the ORM's pending steps (a hub decision) are part of the case
    written, changes = 0, figure_days.new_changes()
    for chunk in _chunks(ids):
        rows = _rows(session, chunk, terms)
        for old in figure_days.rows_of(session, chunk):  # the day sums follow the rows replaced
            figure_days.add_case(changes, old, -1)
        session.execute(delete(CaseFigures).where(CaseFigures.case_id.in_(chunk)))
        if rows:
            execute_many(session.connection(), _INSERT, rows)
        for row in rows:
            figure_days.add_case(changes, row, 1)
        written += len(rows)
    figure_days.apply(session, changes)
    return written


def _refresh_where(session: Session, condition: Any) -> int:
    ids = list(session.scalars(select(CaseFigures.case_id).where(condition)))
    return refresh(session, ids)


def refresh_for_days(session: Session, first: dt.date, last: dt.date) -> int:
    """After the calendar changed on days first..last: the cases whose counted days reach
    into them (accepted before the last one, and still counting toward their overdue
    day, completion or delivery deadline by the first one)."""
    figures = CaseFigures
    return _refresh_where(session, and_(
        figures.accepted_day < last,
        or_(figures.due_day.is_(None), figures.due_day >= first - _ONE_DAY,
            figures.overdue_day.is_(None), figures.overdue_day >= first,
            figures.completed_day >= first,
            and_(figures.decided_day.is_not(None),
                 or_(figures.delivery_due_day.is_(None), figures.delivery_due_day >= first))),
    ))


CatalogTerms = tuple[dict[str, tuple[str | None, int]], dict[str, str]]


def catalog_terms(session: Session) -> CatalogTerms:
    """What a catalog sets that the figures depend on: the items' (department, limit)
    and the centers' time zones; kept before an import for :func:`refresh_catalog`."""
    return item_limits(session), dict(session.execute(select(Center.code, Center.timezone)).all())


def refresh_catalog(session: Session, before: CatalogTerms) -> int:
    """After a catalog import: the cases of the items whose department or promised limit
    changed, and of the centers whose time zone did."""
    (limits, zones), (new_limits, new_zones) = before, catalog_terms(session)
    items = sorted(code for code in limits.keys() | new_limits.keys() if limits.get(code) != new_limits.get(code))
    centers = sorted(code for code in new_zones if zones.get(code, new_zones[code]) != new_zones[code])
    count = 0
    for chunk in _chunks(items):
        count += refresh(session, session.scalars(select(Case.id).where(Case.item_code.in_(chunk))))
    for code in centers:
        count += refresh(session, session.scalars(select(Case.id).where(Case.center_code == code)))
        figure_days.resum_ratings(session, center=code)  # their local days moved too
    return count


def rebuild(session: Session, *, batch: int = 20_000) -> int:
    """Every case's figures anew (after the migration that made the table, or a change
    of a center's time zone); one pass over the cases by id, ``batch`` at a time."""
    session.execute(delete(CaseFigures))
    session.execute(delete(CaseFigureDay))
    figure_days.resum_ratings(session)
    terms = Terms.read(session)
    count, after = 0, ""
    while True:
        ids = list(session.scalars(select(Case.id).where(Case.id > after).order_by(Case.id).limit(batch)))
        if not ids:
            return count
        count += refresh(session, ids, terms)
        after = ids[-1]


def fill_if_missing(session: Session) -> int:
    """:func:`rebuild` when the hub has cases but no figures at all (upgraded from before
    the table existed); two lookups otherwise. Returns the cases worked out."""
    if session.scalar(select(CaseFigures.case_id).limit(1)) is not None:
        return 0
    if session.scalar(select(Case.id).limit(1)) is None:
        return 0
    return rebuild(session)
