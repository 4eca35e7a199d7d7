"""电子监察's red and yellow cards at the hub: open cases past (red) or near (yellow) their
promised date, counted by center, department and item, and listed for a drill-down.

The rule is the window's (domain.time_limits): red once the promised date has passed,
yellow from the working days of warning before it; a suspended case's clock is stopped
(no card). The date is the one on the acceptance receipt moved on by the days the case
was suspended (``case_figures.due_day``, kept with the case), so the counting is done by
the database over the open cases, not case by case in Python.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import cast
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import BindParameter, ColumnElement, and_, case, exists, func, literal, select
from sqlalchemy.orm import Session

from windowdesk.domain.case_parts import PartStatus, part_departments
from windowdesk.domain.case_state import CaseStatus
from windowdesk.domain.time_limits import DEFAULT_WARNING_DAYS, Light
from windowdesk.hub.errors import InvalidInput
from windowdesk.hub.language import Text
from windowdesk.hub.services.calendar_years import hub_calendar
from windowdesk.hub.services.clocks import city_time
from windowdesk.hub.services.console_rights import ConsoleActor, require_supervision
from windowdesk.hub.services.figure_catchup import require_current
from windowdesk.hub.storage.models import OPEN_CASE_STATUSES, Case, CatalogItem, Center, Department
from windowdesk.hub.storage.models_figures import CaseFigures
from windowdesk.hub.storage.models_quality import CasePart
from windowdesk.i18n import N_

# The clock runs while a department has the case; it stops while materials are awaited.
RUNNING = (CaseStatus.ACCEPTED.value, CaseStatus.IN_PROGRESS.value)  # spelled into SQL: plain words
DECIDED_PARTS = (PartStatus.APPROVED.value, PartStatus.REJECTED.value)
GROUPINGS = ("center", "department", "item")
CARDS = (Light.RED.value, Light.YELLOW.value)
PAGE_SIZE = 50


def with_due(session: Session) -> tuple[type[CaseFigures], ColumnElement[bool]]:
    """The join that gives an open case its due day. An open case is never finished
    (completed and withdrawn lead back to no open status), so on PostgreSQL the join says
    so: it then probes the small index of the unfinished cases' due days
    (ix_case_figures_open_due, migration 0017_h26pages) instead of the one of every case
    the hub ever had, which at 2,000,000 cases is read from disk. SQLite's planner, told
    the same, would start from every unfinished figures row instead of the open cases'
    index, so there the join stays as it was."""
    joined = CaseFigures.case_id == Case.id
    if session.get_bind().dialect.name != "postgresql":
        return CaseFigures, joined
    return CaseFigures, and_(joined, CaseFigures.finished_day.is_(None))


def due_by(day: dt.date) -> ColumnElement[bool]:
    """The case's due day is ``day`` or earlier. A suspension only moves the printed date
    later, so the printed one is asked first: the open cases' index finds the few near or
    past it, and only those are joined to their due day."""
    return and_(Case.promised_date <= day, CaseFigures.due_day <= day)


def spelled(values: tuple[str, ...]) -> list[BindParameter[str]]:
    """Values written into the SQL, not bound: only then may SQLite use a partial index
    whose condition names them (the open cases' indexes, migration 0014_h26ops)."""
    return [literal(value, literal_execute=True) for value in values]


def running_cases() -> ColumnElement[bool]:
    """Open cases whose clock runs, in terms SQLite matches with ix_cases_open_due's condition."""
    return and_(Case.status.in_(spelled(OPEN_CASE_STATUSES)), Case.status.in_(spelled(RUNNING)))


def today_and_warning_day(session: Session, now: dt.datetime) -> tuple[dt.date, dt.date]:
    """Today on the centers' clock, and the last day whose promised cases are yellow today."""
    today = (city_time(session, now) or now).date()
    # A walk of a few days, not calendar.add_working_days: that builds the calendar's
    # index of every day of every year first, dozens of milliseconds on each page.
    calendar, day, left = hub_calendar(session), today, DEFAULT_WARNING_DAYS
    while left:
        day += dt.timedelta(days=1)
        left -= calendar.is_working_day(day)
    return today, day


def center_clocks(session: Session) -> Callable[[str, dt.datetime], dt.datetime]:
    """clocks.center_time for many rows: the centers' zones read once, not once a row."""
    zones: dict[str, ZoneInfo] = {}
    for code, zone in session.execute(select(Center.code, Center.timezone)):
        with contextlib.suppress(ValueError, ZoneInfoNotFoundError):
            zones[code] = ZoneInfo(zone)
    return lambda center, at: at.astimezone(zones[center]) if center in zones else at


class NoCard(str, Enum):
    """Why an open case has no card today."""

    STOPPED = "stopped"  # suspended: its clock waits for materials, a hearing, a review
    UNDATED = "undated"  # its window sent no promised date (cases.promised_date is None)


# What the console shows of a case's time limit: a card, or why there is none.
Card = Light | NoCard


def card_due_date(promised_date: dt.date | None, due_day: dt.date | None) -> dt.date | None:
    """The date a case's card counts to, on every page alike (the queue, the case, the
    supervision office's cards, which count it in SQL by :func:`due_by`): the receipt's
    promised date moved on by the suspensions (``case_figures.due_day``); the printed
    one while a suspension runs (no moved date yet); none when the receipt had none."""
    if promised_date is None:
        return None
    return promised_date if due_day is None else due_day


def card_of(
    status: str, promised_date: dt.date | None, due_day: dt.date | None, today: dt.date, warning_day: dt.date
) -> Card:
    """A case's card today from its printed and moved dates (:func:`card_due_date`)."""
    return light_of(status, card_due_date(promised_date, due_day), today, warning_day)


def light_of(status: str, promised: dt.date | None, today: dt.date, warning_day: dt.date) -> Card:
    """The card today of a case due on ``promised`` (:func:`card_due_date`), or why it has
    none: its clock is stopped, or it has no promised date (running, but nothing to be late
    against: not a stopped clock)."""
    if status not in RUNNING:
        return NoCard.STOPPED if status == CaseStatus.SUSPENDED else Light.DONE
    if promised is None:
        return NoCard.UNDATED
    if promised < today:
        return Light.RED
    return Light.YELLOW if promised <= warning_day else Light.GREEN


@dataclass(frozen=True)
class CardRow:
    key: str
    label: str
    red: int
    yellow: int


@dataclass(frozen=True)
class CardTable:
    by: str
    rows: list[CardRow]  # most red first
    red: int
    yellow: int
    today: dt.date


def _items(session: Session) -> dict[str, CatalogItem]:
    return {item.code: item for item in session.scalars(select(CatalogItem))}


def _parallel(item: CatalogItem) -> list[str]:
    return (
        part_departments(item.department_code, item.parallel_departments)
        if len(set(item.parallel_departments or ())) >= 2
        else []
    )


def card_table(session: Session, *, actor: ConsoleActor, now: dt.datetime, by: str = "center") -> CardTable:
    """The city's cards by center, department or item (supervision office only)."""
    require_supervision(actor)
    require_current(session)  # no case's figures behind it (figure_catchup.current_figures)
    if by not in GROUPINGS:
        raise InvalidInput(Text(N_("Group the cards by one of: {choices}."), choices=", ".join(GROUPINGS)))
    today, warning_day = today_and_warning_day(session, now)
    red = func.sum(case((CaseFigures.due_day < today, 1), else_=0))
    yellow = func.sum(case((CaseFigures.due_day >= today, 1), else_=0))
    counted = session.execute(
        select(Case.center_code, Case.item_code, red, yellow)
        .join(*with_due(session))
        .where(running_cases(), due_by(warning_day))
        .group_by(Case.center_code, Case.item_code)
    ).all()
    items = _items(session)
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    if by == "department":
        parallel_items = [code for code, item in items.items() if _parallel(item)]
        for _center, item_code, reds, yellows in counted:
            item = items.get(item_code)
            if item is not None and item_code not in parallel_items:
                totals[item.department_code][0] += reds
                totals[item.department_code][1] += yellows
        # A parallel case is late for each department whose part is still open.
        for department, reds, yellows in _parallel_cards(session, parallel_items, today, warning_day):
            totals[department][0] += reds
            totals[department][1] += yellows
        names = dict(session.execute(select(Department.code, Department.name)).all())
    else:
        for center_code, item_code, reds, yellows in counted:
            key = center_code if by == "center" else item_code
            totals[key][0] += reds
            totals[key][1] += yellows
        names = (
            dict(session.execute(select(Center.code, Center.name)).all())
            if by == "center"
            else {code: item.name for code, item in items.items()}
        )
    rows = sorted(
        (CardRow(key, names.get(key, key), r, y) for key, (r, y) in totals.items() if r or y),
        key=lambda row: (-row.red, -row.yellow, row.key),
    )
    # The city's totals count each case once (a parallel case may be late for several departments).
    return CardTable(by, rows, sum(reds for _c, _i, reds, _y in counted), sum(ys for _c, _i, _r, ys in counted), today)


def _parallel_cards(
    session: Session, items: list[str], today: dt.date, warning_day: dt.date
) -> list[tuple[str, int, int]]:
    if not items:
        return []
    rows = session.execute(
        select(CatalogItem.department_code, CatalogItem.parallel_departments, Case.id, CaseFigures.due_day)
        .join(CatalogItem, CatalogItem.code == Case.item_code)
        .join(*with_due(session))
        .where(Case.item_code.in_(items), running_cases(), due_by(warning_day))
    ).all()
    decided: dict[str, set[str]] = defaultdict(set)
    ids = [row.id for row in rows]
    for start in range(0, len(ids), 500):
        for case_id, department in session.execute(
            select(CasePart.case_id, CasePart.department_code).where(
                CasePart.case_id.in_(ids[start : start + 500]), CasePart.status.in_(DECIDED_PARTS)
            )
        ):
            decided[case_id].add(department)
    found: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for lead, parallel, case_id, promised in rows:
        if promised is None:  # not selected (promised_date <= warning_day): typed as the column
            continue
        for department in part_departments(lead, parallel or ()):
            if department not in decided[case_id]:
                found[department][0 if promised < today else 1] += 1
    return [(department, reds, yellows) for department, (reds, yellows) in found.items()]


@dataclass(frozen=True)
class CardCase:
    case_id: str
    case_number: str
    center: str
    item_code: str
    item_name: str
    status: str
    accepted_at: dt.datetime
    promised_date: dt.date  # as moved on by the case's suspensions
    light: Light


@dataclass(frozen=True)
class CardCases:
    rows: list[CardCase]
    page: int
    pages: int
    total: int


def _department_condition(department: str, items: dict[str, CatalogItem]) -> ColumnElement[bool]:
    own = [
        code
        for code, item in items.items()
        if department in part_departments(item.department_code, item.parallel_departments or ())
    ]
    decided = exists().where(
        CasePart.case_id == Case.id, CasePart.department_code == department, CasePart.status.in_(DECIDED_PARTS)
    )
    return and_(Case.item_code.in_(own), ~decided)


def card_cases(
    session: Session,
    *,
    actor: ConsoleActor,
    now: dt.datetime,
    light: str | None = None,
    center: str | None = None,
    department: str | None = None,
    item: str | None = None,
    page: int = 1,
    page_size: int = PAGE_SIZE,
) -> CardCases:
    """The cases behind a count (red, yellow or both), latest promised date last; paged."""
    require_current(session)  # no case's figures behind it (figure_catchup.current_figures)
    require_supervision(actor)
    if light not in (None, "", *CARDS):
        raise InvalidInput(Text(N_("A card is red or yellow, not {light}."), light=light))
    today, warning_day = today_and_warning_day(session, now)
    conditions: list[ColumnElement[bool]] = [running_cases()]
    if light == Light.RED.value:
        conditions.append(due_by(today - dt.timedelta(days=1)))
    elif light == Light.YELLOW.value:
        conditions += [CaseFigures.due_day >= today, due_by(warning_day)]
    else:
        conditions.append(due_by(warning_day))
    if center:
        conditions.append(Case.center_code == center)
    if item:
        conditions.append(Case.item_code == item)
    items = _items(session)
    if department:
        conditions.append(_department_condition(department, items))
    where = and_(*conditions)
    total = session.scalar(select(func.count()).select_from(Case).join(*with_due(session)).where(where)) or 0
    pages = max(1, -(-total // page_size))
    page = min(max(1, page), pages)
    rows = session.execute(
        select(
            Case.id,
            Case.case_number,
            Case.center_code,
            Case.item_code,
            Case.status,
            Case.accepted_at,
            Case.promised_date,
            CaseFigures.due_day,
        )
        .join(*with_due(session))
        .where(where)
        .order_by(CaseFigures.due_day, Case.accepted_at, Case.id)
        .offset((page - 1) * page_size)
        .limit(page_size)
    ).all()
    local_time = center_clocks(session)
    return CardCases(
        [
            CardCase(
                row.id,
                row.case_number,
                row.center_code,
                row.item_code,
                items[row.item_code].name if row.item_code in items else row.item_code,
                row.status,
                local_time(row.center_code, row.accepted_at),
                row.due_day,
                cast("Light", card_of(row.status, row.promised_date, row.due_day, today, warning_day)),
            )
            for row in rows
        ],
        page,
        pages,
        total,
    )
