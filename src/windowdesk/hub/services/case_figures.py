"""Each case's figures for the performance report (``case_figures``), kept with the case.

The report's definitions are domain.assessment's; this module works out, once per case
and again whenever something they depend on changes, the days and flags that let the
report count any period in SQL (hub/services/reports.py):

- the case, its steps, proxy and deferred materials change: the hub's decisions call
  :func:`refresh` for the cases they touched, in their transaction; the push only marks
  its cases due (figure_catchup.mark_due), and their figures are worked out later, in the
  background or by the next reader of the figures (hub/services/figure_catchup.py);
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
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Executable,
    Integer,
    Select,
    String,
    and_,
    bindparam,
    cast,
    delete,
    func,
    insert,
    literal_column,
    or_,
    select,
    true,
)
from sqlalchemy.orm import Session
from sqlalchemy.types import TypeEngine

from windowdesk.domain.calendar import WorkingCalendar
from windowdesk.domain.case_state import CaseStatus
from windowdesk.domain.delivery import DELIVERY_WORKING_DAYS
from windowdesk.domain.time_limits import Suspension, suspensions_from
from windowdesk.hub.services import figure_days
from windowdesk.hub.services.id_lists import Among, among_array, among_json, bound_ids, ids_as_json
from windowdesk.hub.storage.database import without_jit
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
from windowdesk.hub.storage.models_figures import CaseFigureDay, CaseFigureDue, CaseFigures

DECIDED = (CaseStatus.APPROVED, CaseStatus.REJECTED)  # the delivery deadline runs from here
CHUNK = 500  # ids per IN (...) list
_ONE_DAY = dt.timedelta(days=1)
# Calendar days that hold a working day's worth of days however long a holiday is (the
# Spring Festival's week plus its weekends): the search for a day a count reaches looks no
# further than this many days per working day, plus the longest holiday.
_DAYS_PER_WORKING_DAY, _LONGEST_BREAK = 2, 30


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
    key: CatalogsKey = tuple(
        (version, content_sha256)
        for version, content_sha256 in session.execute(
            select(CatalogVersion.version, CatalogVersion.content_sha256).order_by(CatalogVersion.imported_at)
        )
    )
    known = _published_limits
    if known is not None and known[0] == key:
        return dict(known[1])
    limits: ItemLimits = {}
    read: list[tuple[str, str]] = []  # the key of what this statement read (a catalog may come in between)
    for version, content_sha256, documents in session.execute(
        select(CatalogVersion.version, CatalogVersion.content_sha256, CatalogVersion.documents).order_by(
            CatalogVersion.imported_at
        )
    ):
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


def _due_day(
    promised_date: dt.date | None, accepted: dt.date, promised: int, clock: _Clock, calendar: WorkingCalendar
) -> dt.date | None:
    """The promise on the receipt (the window's, printed for the applicant) moved on by
    the days suspended before it is reached; the catalog's limit when the receipt had none."""
    if promised_date is None:
        return clock.first_day_reaching(promised)
    promised_on_receipt = calendar.working_days_between(accepted, promised_date)
    if promised_on_receipt <= 0:  # due on the day of acceptance (or a receipt's slip): nothing moves it
        return promised_date
    moved = clock.first_day_reaching(promised_on_receipt)
    # Never before the printed date (the cards find the cases by it first: time_cards.due_by).
    return None if moved is None else max(moved, promised_date)


# The columns a case's days decide, in the order :func:`day_figures` gives them and the
# refresh's INSERT reads them (after the case's id, department and promised limit).
DAY_COLUMNS: tuple[tuple[str, type[TypeEngine[Any]]], ...] = (
    ("accepted_day", Date),
    ("due_day", Date),
    ("overdue_day", Date),
    ("completed_day", Date),
    ("withdrawn_day", Date),
    ("finished_day", Date),
    ("handling_days", Integer),
    ("on_time", Boolean),
    ("decided_day", Date),
    ("delivered_day", Date),
    ("delivery_due_day", Date),
    ("counted_apart", Boolean),
)
DayFigures = tuple[Any, ...]  # JSON values in DAY_COLUMNS' order: dates as ISO text


def _iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


def day_figures(
    accepted: dt.date,
    promised: int,
    promised_date: dt.date | None,
    timeline: Sequence[tuple[dt.date, str]],
    calendar: WorkingCalendar,
) -> DayFigures:
    """The days and counts of a case accepted on its center's local day ``accepted``, from
    its timeline of (local day, status after the step): what the report's definitions
    (domain.assessment) make of it, in DAY_COLUMNS' order. Nothing else of the case
    counts, so cases with the same inputs share one answer (a push's are mostly alike)."""
    suspensions = suspensions_from(timeline)
    clock = _Clock(calendar, accepted, suspensions)
    completed, withdrawn = _first(timeline, (CaseStatus.COMPLETED,)), _first(timeline, (CaseStatus.WITHDRAWN,))
    decided, delivered = _first(timeline, DECIDED), _first(timeline, (CaseStatus.DELIVERED,))
    handling = clock.used(completed) if completed is not None else None
    running = any(period.end is None for period in suspensions)
    # Left out of the day sums when the steps' days are out of order (figure_days' own test).
    apart = figure_days.counted_apart(
        {"accepted_day": accepted, "completed_day": completed, "decided_day": decided, "delivered_day": delivered}
    )
    return (
        accepted.isoformat(),
        None if running else _iso(_due_day(promised_date, accepted, promised, clock, calendar)),
        _iso(clock.first_day_reaching(promised + 1)),
        _iso(completed),
        _iso(withdrawn),
        _iso(min((d for d in (completed, withdrawn) if d is not None), default=None)),
        handling,
        None if handling is None else handling <= promised,
        _iso(decided),
        _iso(delivered),
        None if decided is None else _iso(calendar.add_working_days(decided, DELIVERY_WORKING_DAYS + 1)),
        apart,
    )


@dataclass(frozen=True)
class _Statements:
    """A refresh's three statements, built once per way of binding the ids (id_lists):
    each has one text whatever the number of cases, so SQLAlchemy renders it once and
    the database prepares it once.

    ``read``: each case with its steps in order, the only inputs the figures need that
    SQL cannot work out (the local days need the centers' time zones, the working days
    the calendar), and the case's columns the day sums are kept by (figure_days: its
    window, operator, source, proxy and deferred materials, as the insert takes them).
    ``insert``: one INSERT ... SELECT per batch that takes what Python
    worked out as two JSON values (:func:`_worked_out`) and everything else (the case's
    own columns, its proxy and deferred materials) from the tables themselves; it used
    to be a row of 22 values per case, each built and bound in Python."""

    read: Select[*tuple[Any, ...]]
    lock: Select[*tuple[Any, ...]]
    delete: Executable
    insert: Executable
    as_json: bool

    @classmethod
    def built(cls, among: Among, *, as_json: bool) -> _Statements:
        proxy = select(CaseProxy.case_id).where(CaseProxy.case_id == Case.id).exists()
        deferred = select(CaseDeferredMaterial.case_id).where(CaseDeferredMaterial.case_id == Case.id).exists()
        read = (
            select(
                Case.id,
                Case.center_code,
                Case.item_code,
                Case.accepted_at,
                Case.promised_date,
                Case.window_id,
                Case.operator_id,
                Case.source,
                proxy,
                deferred,
                STEP_TIME,
                CaseEvent.to_status,
            )
            .select_from(Case)
            .outerjoin(CaseEvent, CaseEvent.case_id == Case.id)
            .where(among(Case.id))
            .order_by(Case.id, CaseEvent.seq)
        )
        kinds, case_ids = _sources(as_json=as_json)
        rows = (
            select(
                Case.id,
                Case.center_code,
                Case.window_id,
                Case.operator_id,
                Case.item_code,
                kinds.c.department_code,
                Case.applicant_kind,
                Case.source,
                proxy,
                deferred,
                kinds.c.promised_days,
                *(kinds.c[name] for name, _type in DAY_COLUMNS),
            )
            .select_from(case_ids)
            .join(kinds, kinds.c.position == case_ids.c.position)
            .join(Case, Case.id == case_ids.c.case_id)
        )
        columns = [
            "case_id",
            "center_code",
            "window_id",
            "operator_id",
            "item_code",
            "department_code",
            "applicant_kind",
            "source",
            "proxy",
            "deferred",
            "promised_days",
            *(name for name, _type in DAY_COLUMNS),
        ]
        return cls(
            read=read,
            # PostgreSQL: the cases locked in id order first (as a push and a hub decision
            # lock them), so two transactions never work out one case's figures at once.
            lock=select(Case.id).where(among(Case.id)).order_by(Case.id).with_for_update(),
            delete=delete(CaseFigures).where(among(CaseFigures.case_id)),
            insert=insert(CaseFigures).from_select(columns, rows),
            as_json=as_json,
        )


def _sources(*, as_json: bool) -> tuple[Any, Any]:
    """What :func:`_worked_out` makes, as two tables. ``kinds``: one row per distinct
    (department, promised limit, *DAY_COLUMNS), bound as the JSON array ``kinds`` and
    materialized, so each is decoded once, not once per case (decoding a JSON row per case
    cost more than SQLite's insert of it); ``case_ids``: each case's id with the position
    of its kind, bound as ``cases``, the JSON array of the case ids of each kind in turn.

    On SQLite a JSON value is stored as it is (dates as ISO text, true as 1, as
    SQLAlchemy writes them there); on PostgreSQL each is cast to its column's type."""
    names = ("department_code", "promised_days", *(name for name, _type in DAY_COLUMNS))
    types = (String, Integer, *(kind for _name, kind in DAY_COLUMNS))
    if as_json:
        each_kind = func.json_each(bindparam("kinds", type_=String)).table_valued("key", "value")
        fields = [
            func.json_extract(each_kind.c.value, literal_column(f"'$[{n}]'")).label(name)
            for n, name in enumerate(names)
        ]
        kinds = select(each_kind.c.key.label("position"), *fields).select_from(each_kind)
        groups = func.json_each(bindparam("cases", type_=String)).table_valued("key", "value").alias("kind_cases")
        ids = func.json_each(groups.c.value).table_valued("value").alias("case_ids")
        case_ids = select(groups.c.key.label("position"), ids.c.value.label("case_id"))
    else:
        each_kind = (
            func.json_array_elements(cast(bindparam("kinds", type_=String), JSON))
            .table_valued("value", with_ordinality="position")
            .render_derived()
        )
        fields = [
            cast(each_kind.c.value.op("->>")(literal_column(str(n))), kind()).label(name)
            for n, (name, kind) in enumerate(zip(names, types, strict=True))
        ]
        kinds = select(each_kind.c.position, *fields).select_from(each_kind)
        groups = (
            func.json_array_elements(cast(bindparam("cases", type_=String), JSON))
            .table_valued("value", with_ordinality="position")
            .render_derived("kind_cases")
        )
        ids = func.json_array_elements_text(groups.c.value).table_valued("value").render_derived("case_ids")
        case_ids = select(groups.c.position, ids.c.value.label("case_id"))
    case_ids = case_ids.select_from(groups).join(ids, true())
    return kinds.cte("kinds").prefix_with("MATERIALIZED"), case_ids.subquery("worked_out")


_BY_JSON = _Statements.built(among_json, as_json=True)
_BY_ARRAY = _Statements.built(among_array, as_json=False)


SummedBy = tuple[Any, ...]  # a kind's position, then the case's SUMMED_BY values
# The case's own columns the day sums are kept by (figure_days.add_case), as the read gives
# them after the figures' inputs; the rest of a summed row is its kind's days.
SUMMED_BY = ("center_code", "window_id", "operator_id", "source", "proxy", "deferred")


def _worked_out(
    rows: Iterable[Sequence[Any]], terms: Terms, memo: dict[tuple[Any, ...], DayFigures]
) -> tuple[list[tuple[Any, ...]], list[list[str]], dict[SummedBy, int]]:
    """The batch's kinds of figures (department, promised limit, *DAY_COLUMNS), each
    once, and the ids of the cases of each kind, from the read's rows: a row per step
    in case order (one with no step for a case without any). Also how many cases share
    each kind and SUMMED_BY values: the day sums of the rows the insert writes, added
    once per such group instead of read back and added case by case."""
    kinds: dict[tuple[Any, ...], int] = {}  # a kind's position in the two lists
    figures: list[tuple[Any, ...]] = []
    cases: list[list[str]] = []
    summed: dict[SummedBy, int] = {}
    zones, items, utc = terms.zones, terms.items, dt.UTC

    def add(
        case_id: str,
        center: str,
        item: str,
        accepted_at: dt.datetime,
        promised_date: dt.date | None,
        summed_by: tuple[Any, ...],
        steps: list[tuple[dt.datetime, str]],
    ) -> None:
        zone = zones.get(center, utc)
        department, promised = items.get(item, (None, 0))
        accepted = accepted_at.astimezone(zone).date()
        timeline = tuple((at.astimezone(zone).date(), status) for at, status in steps)
        key = (department, promised, accepted, promised_date, timeline)
        position = kinds.get(key)
        if position is None:
            days = memo.get(key[1:])
            if days is None:
                days = memo[key[1:]] = day_figures(accepted, promised, promised_date, timeline, terms.calendar)
            position = kinds[key] = len(figures)
            figures.append((department, promised, *days))
            cases.append([])
        cases[position].append(case_id)
        group = (position, center, *summed_by)
        summed[group] = summed.get(group, 0) + 1

    case: tuple[str, str, str, dt.datetime, dt.date | None, tuple[Any, ...]] | None = None
    steps: list[tuple[dt.datetime, str]] = []
    for case_id, center, item, accepted_at, promised_date, *summed_by, at, status in rows:
        if case is None or case_id != case[0]:
            if case is not None:
                add(*case, steps)
            case, steps = (case_id, center, item, accepted_at, promised_date, tuple(summed_by)), []
        if status is not None:
            steps.append((at, status))
    if case is not None:
        add(*case, steps)
    return figures, cases, summed


def _add_to_sums(changes: figure_days.Changes, figures: list[tuple[Any, ...]], summed: dict[SummedBy, int]) -> None:
    """The day sums of the rows the batch's insert wrote: each group of cases alike once,
    its figures counted as many times as it has cases (dates as the table gives them)."""
    days_of_kind = [
        {
            name: dt.date.fromisoformat(value) if kind is Date and value is not None else value
            for (name, kind), value in zip(DAY_COLUMNS, kind_figures[2:], strict=True)
        }
        for kind_figures in figures
    ]
    for (position, *values), count in summed.items():
        figure_days.add_case(changes, {**days_of_kind[position], **dict(zip(SUMMED_BY, values, strict=True))}, count)


def _chunks(ids: Sequence[str]) -> Iterator[Sequence[str]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def refresh(session: Session, case_ids: Iterable[str], terms: Terms | None = None) -> int:
    """Work out again the figures of these cases and move their day sums (figure_days)
    with them, in the caller's transaction; returns how many cases have figures now."""
    ids = sorted(set(case_ids))
    if not ids:
        return 0
    terms = terms or Terms.read(session)
    session.flush()  # the ORM's pending steps (a hub decision) are part of the case
    connection = session.connection()
    without_jit(connection)  # the INSERT ... SELECT's guessed cost would have it compiled
    statements = _BY_JSON if ids_as_json(connection) else _BY_ARRAY
    memo: dict[tuple[Any, ...], DayFigures] = {}  # cases alike share their days (one Terms)
    written, changes = 0, figure_days.new_changes()
    lock = connection.dialect.name == "postgresql"
    for chunk in _chunks(ids):
        bound = {"ids": bound_ids(chunk, as_json=statements.as_json)}
        if lock:  # one refresh of a case at a time (a hub decision, the catch-up, a calendar)
            connection.execute(statements.lock, bound)
        kinds, cases, summed = _worked_out(connection.execute(statements.read, bound), terms, memo)
        for old in figure_days.rows_of(session, chunk):  # the day sums follow the rows replaced
            figure_days.add_case(changes, old, -1)
        connection.execute(statements.delete, bound)
        if kinds:
            connection.execute(statements.insert, {"kinds": json.dumps(kinds), "cases": json.dumps(cases)})
            # The rows just written, summed from what they were made of (the kinds, and
            # the case's columns the read took in this transaction), not read back.
            _add_to_sums(changes, kinds, summed)
        written += sum(map(len, cases))
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
    return _refresh_where(
        session,
        and_(
            figures.accepted_day < last,
            or_(
                figures.due_day.is_(None),
                figures.due_day >= first - _ONE_DAY,
                figures.overdue_day.is_(None),
                figures.overdue_day >= first,
                figures.completed_day >= first,
                and_(
                    figures.decided_day.is_not(None),
                    or_(figures.delivery_due_day.is_(None), figures.delivery_due_day >= first),
                ),
            ),
        ),
    )


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
    session.execute(delete(CaseFigureDue))  # every case is worked out below
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
