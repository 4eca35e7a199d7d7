"""The queries the services need, kept here so that only storage speaks SQLAlchemy."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Sequence
from typing import Any, NamedTuple

from sqlalchemy import bindparam, func, insert, or_, select, update
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.sql.elements import BindParameter

from windowdesk.domain.case_state import CaseStatus
from windowdesk.domain.fees import PaymentMethod, Utility
from windowdesk.domain.material_status import MaterialStatus
from windowdesk.domain.outbox_state import OutboxState
from windowdesk.domain.permissions import Role
from windowdesk.storage import models as m
from windowdesk.storage.sent_events import state_is

NAME_RANGE_END = "\U0010ffff"


# --- numbering --------------------------------------------------------------------


def next_sequence_value(session: Session, scope: str) -> int:
    """Bump and return the counter of ``scope`` inside the caller's write transaction."""
    bumped = session.execute(
        update(m.NumberSequence)
        .where(m.NumberSequence.scope == scope)
        .values(last_value=m.NumberSequence.last_value + 1)
        .returning(m.NumberSequence.last_value)
    ).scalar_one_or_none()
    if bumped is not None:
        return bumped
    session.add(m.NumberSequence(scope=scope, last_value=1))
    session.flush()
    return 1


# --- organisation -----------------------------------------------------------------


def all_centers(session: Session) -> Sequence[m.Center]:
    return session.scalars(select(m.Center).order_by(m.Center.code)).all()


def windows_of_center(session: Session, center_code: str) -> Sequence[m.Window]:
    return session.scalars(select(m.Window).where(m.Window.center_code == center_code).order_by(m.Window.code)).all()


def operator_by_login(session: Session, login: str) -> m.Operator | None:
    return session.scalars(select(m.Operator).where(m.Operator.login == login)).first()


class OperatorStanding(NamedTuple):
    """What a permission check reads of an operator (services.authorization)."""

    id: str
    display_name: str
    role: Role
    active: bool
    locked_until: dt.datetime | None


_OPERATORS = m.Operator.__table__.c
# Built once: every service call checks its operator first, so this runs at every keystroke
# of a lookup (issue 29, aim 4); the ORM's get() made and cached a whole Operator for it.
_OPERATOR_STANDING = select(
    _OPERATORS.id, _OPERATORS.display_name, _OPERATORS.role, _OPERATORS.active, _OPERATORS.locked_until
).where(_OPERATORS.id == bindparam("operator_id"))


def operator_standing(session: Session, operator_id: str) -> OperatorStanding | None:
    row = session.connection().execute(_OPERATOR_STANDING, {"operator_id": operator_id}).first()
    return OperatorStanding(*row) if row is not None else None


def local_setting(session: Session, key: str) -> str | None:
    row = session.get(m.LocalSetting, key)
    return row.value if row else None


def local_settings(session: Session, keys: Collection[str]) -> dict[str, str]:
    """The settings of ``keys`` that are set, key -> value, in one statement."""
    if not keys:
        return {}
    rows = session.execute(select(m.LocalSetting.key, m.LocalSetting.value).where(m.LocalSetting.key.in_(list(keys))))
    return dict(rows.all())


def set_local_setting(session: Session, key: str, value: str) -> None:
    row = session.get(m.LocalSetting, key)
    if row is None:
        session.add(m.LocalSetting(key=key, value=value))
    else:
        row.value = value


# --- catalog ------------------------------------------------------------------------


def catalog_item_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(m.CatalogItem)) or 0


def catalog_keys(session: Session) -> dict[type, set[str]]:
    """The primary keys already stored of each catalog table (centers, windows,
    departments, items): an import adds the others without asking for each in turn."""
    return {
        model: set(session.scalars(select(column)))
        for model, column in (
            (m.Center, m.Center.code),
            (m.Window, m.Window.id),
            (m.Department, m.Department.code),
            (m.CatalogItem, m.CatalogItem.code),
        )
    }


def insert_catalog_items(
    session: Session, *, items: list[dict[str, Any]], materials: list[dict[str, Any]], fee_rules: list[dict[str, Any]]
) -> None:
    """New catalog items with their materials and fee rules: one executemany per table, in
    the order given (the rows' ids follow it). ``render_nulls``: a None is stored as NULL
    in the one statement, rather than splitting the rows by which of their values are None."""
    for model, rows in ((m.CatalogItem, items), (m.ItemMaterial, materials), (m.FeeRule, fee_rules)):
        if rows:
            session.execute(insert(model).execution_options(render_nulls=True), rows)


def active_items(session: Session) -> Sequence[m.CatalogItem]:
    return session.scalars(
        select(m.CatalogItem).where(m.CatalogItem.active.is_(True)).order_by(m.CatalogItem.code)
    ).all()


def item_with_details(session: Session, code: str) -> m.CatalogItem | None:
    return session.scalars(
        select(m.CatalogItem)
        .where(m.CatalogItem.code == code)
        .options(selectinload(m.CatalogItem.materials), selectinload(m.CatalogItem.fee_rules))
    ).first()


def all_departments(session: Session) -> Sequence[m.Department]:
    return session.scalars(select(m.Department).order_by(m.Department.code)).all()


def calendar_years(session: Session) -> list[tuple[int, str, dict[str, Any], dict[str, Any]]]:
    """(year, source, holidays, make-up days) of every year the hub published."""
    return [
        tuple(row)
        for row in session.execute(
            select(
                m.CalendarYear.year, m.CalendarYear.source, m.CalendarYear.holidays, m.CalendarYear.makeup_workdays
            ).order_by(m.CalendarYear.year)
        )
    ]


def calendar_overrides(session: Session) -> dict[dt.date, bool]:
    rows = session.execute(select(m.CalendarOverride.day, m.CalendarOverride.is_working_day))
    return {day: working for day, working in rows}  # noqa: C416 - a Result has keys(): dict() would read it as a mapping


# --- applicants ---------------------------------------------------------------------


def resident_by_id_number(session: Session, id_number: str) -> m.Resident | None:
    return session.scalars(select(m.Resident).where(m.Resident.id_number == id_number)).first()


class ListedResident(NamedTuple):
    """A resident as a lookup lists them: the columns of ``ix_residents_name_lookup``, so
    that a lookup by name is read from that index alone (no table page per resident, and
    no ORM object: a lookup runs at every keystroke)."""

    id: str
    name: str
    id_number: str
    phone: str
    gender: str
    birth_date: dt.date


# The lookups' statements are built once, with bound parameters: a lookup runs at every
# keystroke, and building a statement and its cache key anew cost more CPU than SQLite's
# reading of the index (issue 29, aim 4). Table columns, not ORM attributes: the rows are
# executed on the session's connection, without the ORM's layer.
_RESIDENTS = m.Resident.__table__.c
_LISTED_RESIDENT = select(
    _RESIDENTS.id, _RESIDENTS.name, _RESIDENTS.id_number, _RESIDENTS.phone, _RESIDENTS.gender, _RESIDENTS.birth_date
)
_LIMIT: BindParameter[int] = bindparam("limit")


def _listed_from(column: Any, *order: Any) -> Any:
    """Residents whose ``column`` lies in [start, end), in ``order``, the first ``limit``."""
    return (
        _LISTED_RESIDENT.where(column >= bindparam("start"), column < bindparam("end")).order_by(*order).limit(_LIMIT)
    )


# A range, not LIKE: SQLite uses the index for it whatever the collation.
_BY_NAME = _listed_from(_RESIDENTS.name, _RESIDENTS.name, _RESIDENTS.id_number)
_BY_ID_NUMBER = _listed_from(_RESIDENTS.id_number, _RESIDENTS.id_number)
_BY_PHONE = _listed_from(_RESIDENTS.phone, _RESIDENTS.phone)


def _recently_visited_with_tail() -> Any:
    """Residents with the given end of the ID number (``tail``: its last 4 characters,
    ``pattern``: LIKE the whole typed end) who registered, or came for a case, a notice or
    a refusal, at ``center`` since ``since``. The residents come from
    ``ix_residents_id_tail`` (about 1 in 11,000 share the last 4 characters), each checked
    against its own visits through the (resident, center, time) indexes: the cost grows
    with those namesakes of the end, not with the center's traffic."""
    resident = _RESIDENTS.id
    center: BindParameter[str] = bindparam("center")
    since: BindParameter[dt.datetime] = bindparam("since")
    cases = m.Case.__table__.c
    notices = m.OneTimeNotification.__table__.c
    refusals = m.Refusal.__table__.c
    # resident_id is selected: in the index, so a check reads no case, notice or refusal row.
    visited = or_(
        (_RESIDENTS.registered_center == center) & (_RESIDENTS.created_at >= since),
        select(cases.resident_id)
        .where(cases.resident_id == resident, cases.center_code == center, cases.accepted_at >= since)
        .exists(),
        select(notices.resident_id)
        .where(notices.resident_id == resident, notices.center_code == center, notices.created_at >= since)
        .exists(),
        select(refusals.resident_id)
        .where(refusals.resident_id == resident, refusals.center_code == center, refusals.created_at >= since)
        .exists(),
    )
    return (
        _LISTED_RESIDENT.where(
            bindparam("tail") == m.RESIDENT_ID_TAIL, _RESIDENTS.id_number.like(bindparam("pattern")), visited
        )
        .order_by(_RESIDENTS.name, _RESIDENTS.id_number)
        .limit(_LIMIT)
    )


_RECENT_BY_TAIL = _recently_visited_with_tail()


def _listed(session: Session, statement: Any, **parameters: Any) -> list[ListedResident]:
    return [ListedResident(*row) for row in session.connection().execute(statement, parameters)]


def residents_by_id_prefix(session: Session, prefix: str, limit: int) -> list[ListedResident]:
    return _listed(session, _BY_ID_NUMBER, start=prefix, end=prefix + NAME_RANGE_END, limit=limit)


def recent_residents_by_id_suffix(
    session: Session, suffix: str, *, center_code: str, since: dt.datetime, limit: int
) -> list[ListedResident]:
    """Residents whose ID number ends with ``suffix`` (4 to 6 characters: digits, perhaps an
    X) among those this center served or registered since ``since``: the applicants a
    clerk sees again."""
    return _listed(
        session,
        _RECENT_BY_TAIL,
        tail=suffix[-m.RESIDENT_ID_TAIL_LENGTH :],
        pattern="%" + suffix,
        center=center_code,
        since=since,
        limit=limit,
    )


def residents_by_name_prefix(session: Session, prefix: str, limit: int) -> list[ListedResident]:
    return _listed(session, _BY_NAME, start=prefix, end=prefix + NAME_RANGE_END, limit=limit)


def residents_by_phone_prefix(session: Session, prefix: str, limit: int) -> list[ListedResident]:
    return _listed(session, _BY_PHONE, start=prefix, end=prefix + NAME_RANGE_END, limit=limit)


def organisation_by_code(session: Session, credit_code: str) -> m.Organisation | None:
    return session.scalars(select(m.Organisation).where(m.Organisation.credit_code == credit_code)).first()


def organisations_matching(session: Session, text: str, limit: int) -> Sequence[m.Organisation]:
    return session.scalars(
        select(m.Organisation)
        .where(
            (m.Organisation.credit_code >= text) & (m.Organisation.credit_code < text + NAME_RANGE_END)
            | m.Organisation.name.contains(text, autoescape=True)
        )
        .order_by(m.Organisation.name)
        .limit(limit)
    ).all()


# --- the day's work ---------------------------------------------------------------


def cases_of_window_between(session: Session, window_id: str, start: dt.datetime, end: dt.datetime) -> Sequence[m.Case]:
    return session.scalars(
        select(m.Case)
        .where(m.Case.window_id == window_id, m.Case.accepted_at >= start, m.Case.accepted_at < end)
        .order_by(m.Case.accepted_at)
    ).all()


def notifications_of_window_between(
    session: Session, window_id: str, start: dt.datetime, end: dt.datetime
) -> Sequence[m.OneTimeNotification]:
    return session.scalars(
        select(m.OneTimeNotification)
        .where(
            m.OneTimeNotification.window_id == window_id,
            m.OneTimeNotification.created_at >= start,
            m.OneTimeNotification.created_at < end,
        )
        .order_by(m.OneTimeNotification.created_at)
    ).all()


def refusals_of_window_between(
    session: Session, window_id: str, start: dt.datetime, end: dt.datetime
) -> Sequence[m.Refusal]:
    return session.scalars(
        select(m.Refusal)
        .where(
            m.Refusal.window_id == window_id,
            m.Refusal.created_at >= start,
            m.Refusal.created_at < end,
        )
        .order_by(m.Refusal.created_at)
    ).all()


def case_with_details(session: Session, case_id: str) -> m.Case | None:
    return session.scalars(
        select(m.Case).where(m.Case.id == case_id).options(selectinload(m.Case.materials), selectinload(m.Case.events))
    ).first()


def case_has_materials_to_follow(session: Session, case_id: str) -> bool:
    """容缺受理: whether the case was accepted with materials to follow (arrived since or not)."""
    return (
        session.scalar(
            select(m.CaseMaterial.id)
            .where(m.CaseMaterial.case_id == case_id, m.CaseMaterial.due_date.is_not(None))
            .limit(1)
        )
        is not None
    )


def materials_to_follow(session: Session, center_code: str) -> list[tuple[m.CaseMaterial, m.Case, m.CatalogItem]]:
    """容缺受理: the deferred materials of the center's cases not arrived yet, earliest due first."""
    return [
        (material, case, item)
        for material, case, item in session.execute(
            select(m.CaseMaterial, m.Case, m.CatalogItem)
            .join(m.Case, m.Case.id == m.CaseMaterial.case_id)
            .join(m.CatalogItem, m.CatalogItem.code == m.Case.item_code)
            .where(
                m.Case.center_code == center_code,
                m.CaseMaterial.status == MaterialStatus.DEFERRED,
                m.Case.status.not_in((CaseStatus.COMPLETED, CaseStatus.DELIVERED, CaseStatus.WITHDRAWN)),
            )
            .order_by(m.CaseMaterial.due_date, m.Case.case_number, m.CaseMaterial.position)
        )
    ]


def notification_with_entries(session: Session, notification_id: str) -> m.OneTimeNotification | None:
    return session.scalars(
        select(m.OneTimeNotification)
        .where(m.OneTimeNotification.id == notification_id)
        .options(selectinload(m.OneTimeNotification.entries))
    ).first()


# --- audit and outbox ---------------------------------------------------------------


def last_audit_hash(session: Session) -> str | None:
    return session.scalar(select(m.AuditEntry.hash).order_by(m.AuditEntry.seq.desc()).limit(1))


def audit_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(m.AuditEntry)) or 0


def audit_entries(session: Session) -> Sequence[m.AuditEntry]:
    return session.scalars(select(m.AuditEntry).order_by(m.AuditEntry.seq)).all()


def outbox_count(session: Session, state: OutboxState = OutboxState.PENDING) -> int:
    """Events in ``state``: the pending and the refused ones counted from their partial
    indexes (models.OutboxEvent)."""
    return session.scalar(select(func.count()).select_from(m.OutboxEvent).where(state_is(OutboxState(state)))) or 0


def outbox_by_event_ids(session: Session, event_ids: list[str]) -> Sequence[m.OutboxEvent]:
    return session.scalars(select(m.OutboxEvent).where(m.OutboxEvent.event_id.in_(event_ids))).all()


def case_by_number(session: Session, case_number: str) -> m.Case | None:
    return session.scalars(
        select(m.Case).where(m.Case.case_number == case_number).options(selectinload(m.Case.events))
    ).first()


# A case that reached one of these never runs again (the state machine has no way back).
FINISHED_STATUSES = ("completed", "delivered", "withdrawn")
OPEN_STATUSES = ("accepted", "in_progress", "suspended", "approved", "rejected")
_ID_CHUNK = 500  # ids per IN list, well below SQLite's limit on bound parameters


class OpenCase(NamedTuple):  # a plain row; the watch reads thousands
    id: str
    case_number: str
    item_code: str
    status: str
    accepted_day: dt.date
    # The steps into and out of a suspension, (time, status after, kind of suspension)
    # in recorded order: the others cannot change the clock of a case that is still open.
    suspension_steps: tuple[tuple[dt.datetime, str | None, str | None], ...]


def open_cases(
    session: Session, center_code: str, window_id: str | None, *, promised_by: dt.date | None = None
) -> list[OpenCase]:
    """Cases still running (not completed, delivered or withdrawn), in no particular
    order, with their suspension steps; with ``promised_by``, only those whose promised
    date is on or before it. Plain rows, not ORM objects: the supervisor's watch may read
    thousands.

    The open statuses are named (not "not finished") so that the (center, status,
    promised date) index finds them without reading the year's finished cases; the index
    also holds how many suspensions each had, so only those cases' steps are read."""
    selection = [m.Case.center_code == center_code, m.Case.status.in_(OPEN_STATUSES)]
    if window_id is not None:
        selection.append(m.Case.window_id == window_id)
    if promised_by is not None:
        selection.append(m.Case.promised_date <= promised_by)
    # No ORDER BY: sorting by acceptance time made SQLite walk the center's whole year in
    # that index's order instead of seeking the open ones; callers sort what they show.
    rows = session.execute(
        select(
            m.Case.id, m.Case.case_number, m.Case.item_code, m.Case.status, m.Case.accepted_day, m.Case.suspensions
        ).where(*selection)
    ).all()
    steps = suspension_steps(session, [row[0] for row in rows if row[5]])
    return [
        OpenCase(case_id, number, item_code, status, accepted_day, steps.get(case_id, ()))
        for case_id, number, item_code, status, accepted_day, _suspensions in rows
    ]


def case_applicants(
    session: Session, case_ids: list[str], *, center_code: str, window_id: str | None = None
) -> dict[str, tuple[str, str]]:
    """case id -> (applicant's name, phone), resident or organisation, for the few cases
    the watch shows (read after the clocks chose them, not for the center's year); only
    cases of ``center_code`` and, if given, of ``window_id``.

    The scope is checked on the rows read, not in the WHERE clause: a condition on the
    center there made SQLite walk the center's cases by their center index instead of
    seeking each id."""
    found: dict[str, tuple[str, str]] = {}
    for start in range(0, len(case_ids), _ID_CHUNK):
        chunk = case_ids[start : start + _ID_CHUNK]
        rows = session.execute(
            select(
                m.Case.id,
                m.Case.center_code,
                m.Case.window_id,
                func.coalesce(m.Resident.name, m.Organisation.name, ""),
                func.coalesce(m.Resident.phone, m.Organisation.phone, ""),
            )
            .outerjoin(m.Resident, m.Resident.id == m.Case.resident_id)
            .outerjoin(m.Organisation, m.Organisation.id == m.Case.organisation_id)
            .where(m.Case.id.in_(chunk))
        ).all()
        found.update(
            {
                case_id: (name, phone)
                for case_id, center, window, name, phone in rows
                if center == center_code and window_id in (None, window)
            }
        )
    return found


def suspension_steps(
    session: Session, case_ids: list[str]
) -> dict[str, tuple[tuple[dt.datetime, str | None, str | None], ...]]:
    """case id -> its steps into and out of suspensions, (time, status after, kind of
    suspension) in recorded order. A suspension begins with a step to "suspended" and
    ends with the next step, which is one from "suspended"; no other step changes a clock
    before the case is done."""
    found: dict[str, list[tuple[dt.datetime, str | None, str | None]]] = defaultdict(list)
    for start in range(0, len(case_ids), _ID_CHUNK):
        for case_id, at, to_status, kind in session.execute(
            select(m.CaseEvent.case_id, m.CaseEvent.at, m.CaseEvent.to_status, m.CaseEvent.suspension_kind)
            .where(
                m.CaseEvent.case_id.in_(case_ids[start : start + _ID_CHUNK]),
                or_(m.CaseEvent.to_status == "suspended", m.CaseEvent.from_status == "suspended"),
            )
            .order_by(m.CaseEvent.case_id, m.CaseEvent.position, m.CaseEvent.at)
        ):
            found[case_id].append((at, to_status, kind))
    return {case_id: tuple(steps) for case_id, steps in found.items()}


class AwaitingDelivery(NamedTuple):
    id: str
    case_number: str
    item_code: str
    decided_at: dt.datetime  # the first step to approved or rejected


def awaiting_delivery(session: Session, center_code: str, window_id: str | None) -> list[AwaitingDelivery]:
    """Completed cases whose result has not been delivered yet, with when they were
    decided: the delivery deadline runs from there. Found by the (center, status) index;
    there are few, since results leave within days."""
    selection = [m.Case.center_code == center_code, m.Case.status == "completed"]
    if window_id is not None:
        selection.append(m.Case.window_id == window_id)
    decided = func.min(m.CaseEvent.at)
    rows = session.execute(
        select(m.Case.id, m.Case.case_number, m.Case.item_code, decided)
        .join(m.CaseEvent, m.CaseEvent.case_id == m.Case.id)
        .where(*selection, m.CaseEvent.to_status.in_(("approved", "rejected")))
        .group_by(m.Case.id, m.Case.case_number, m.Case.item_code)
    ).all()
    return [AwaitingDelivery(*row) for row in rows]


class ItemClockRules(NamedTuple):
    name: str
    promised_limit_days: int
    legal_limit_days: int
    warning_days: int


def item_clock_rules(session: Session) -> dict[str, ItemClockRules]:
    """What the case clock needs of every catalog item (also retired ones: old cases
    point at them), by code, as plain values: the watch reads them for thousands of cases."""
    rows = session.execute(
        select(
            m.CatalogItem.code,
            m.CatalogItem.name,
            m.CatalogItem.promised_limit_days,
            m.CatalogItem.legal_limit_days,
            m.CatalogItem.warning_days,
        )
    )
    return {code: ItemClockRules(name, promised, legal, warning) for code, name, promised, legal, warning in rows}


def widest_warning_days(session: Session) -> int:
    return session.scalar(select(func.max(m.CatalogItem.warning_days))) or 0


# --- money at the window ----------------------------------------------------------------


def day_close_of(session: Session, window_id: str, day: dt.date) -> m.DayClose | None:
    return session.scalars(
        select(m.DayClose).where(m.DayClose.window_id == window_id, m.DayClose.business_day == day)
    ).first()


def earliest_unclosed_receipt_day(session: Session, window_id: str, before: dt.date) -> dt.date | None:
    """The oldest day before ``before`` that has receipts at this window and no close."""
    closed = select(m.DayClose.business_day).where(m.DayClose.window_id == window_id)
    return session.scalar(
        select(m.Receipt.business_day)
        .where(
            m.Receipt.window_id == window_id,
            m.Receipt.business_day < before,
            m.Receipt.business_day.not_in(closed),
        )
        .order_by(m.Receipt.business_day)
        .limit(1)
    )


def receipt_with_lines(session: Session, receipt_id: str) -> m.Receipt | None:
    return session.scalars(
        select(m.Receipt).where(m.Receipt.id == receipt_id).options(selectinload(m.Receipt.lines))
    ).first()


def void_of_receipt(session: Session, receipt_id: str) -> m.ReceiptVoid | None:
    return session.scalars(select(m.ReceiptVoid).where(m.ReceiptVoid.receipt_id == receipt_id)).first()


def unvoided_receipt_of_case(session: Session, case_id: str) -> m.Receipt | None:
    voided = select(m.ReceiptVoid.receipt_id)
    return session.scalars(
        select(m.Receipt).where(m.Receipt.case_id == case_id, m.Receipt.id.not_in(voided)).limit(1)
    ).first()


def paid_case_ids(session: Session, case_ids: Sequence[str]) -> set[str]:
    """Of these cases, those with a fee receipt that was not voided."""
    if not case_ids:
        return set()
    voided = select(m.ReceiptVoid.receipt_id)
    return set(
        session.scalars(select(m.Receipt.case_id).where(m.Receipt.case_id.in_(case_ids), m.Receipt.id.not_in(voided)))
    )


def receipts_of_window_day(
    session: Session, window_id: str, day: dt.date
) -> Sequence[tuple[m.Receipt, m.ReceiptVoid | None]]:
    """A till's receipts of one day in number order, each with its void if it has one."""
    rows = session.execute(
        select(m.Receipt, m.ReceiptVoid)
        .outerjoin(m.ReceiptVoid, m.ReceiptVoid.receipt_id == m.Receipt.id)
        .where(m.Receipt.window_id == window_id, m.Receipt.business_day == day)
        .order_by(m.Receipt.year, m.Receipt.seq)
    )
    return [(receipt, void) for receipt, void in rows]


def till_totals(session: Session, window_id: str, day: dt.date) -> Sequence[tuple[PaymentMethod, bool, int, int]]:
    """(method, voided, receipts, amount in fen) of a till's day, in one aggregate query."""
    voided = m.ReceiptVoid.id.is_not(None)
    rows = session.execute(
        select(m.Receipt.method, voided, func.count(), func.coalesce(func.sum(m.Receipt.amount_fen), 0))
        .outerjoin(m.ReceiptVoid, m.ReceiptVoid.receipt_id == m.Receipt.id)
        .where(m.Receipt.window_id == window_id, m.Receipt.business_day == day)
        .group_by(m.Receipt.method, voided)
    )
    return [(method, bool(is_voided), count, total) for method, is_voided, count, total in rows]


def till_number_range(session: Session, window_id: str, day: dt.date) -> tuple[str, str]:
    """The first and last receipt numbers of a till's day ("" when there are none)."""
    base = select(m.Receipt.number).where(m.Receipt.window_id == window_id, m.Receipt.business_day == day)
    first = session.scalar(base.order_by(m.Receipt.year, m.Receipt.seq).limit(1))
    last = session.scalar(base.order_by(m.Receipt.year.desc(), m.Receipt.seq.desc()).limit(1))
    return first or "", last or ""


def last_utility_payment(session: Session, center_code: str, utility: Utility, account_number: str) -> m.Receipt | None:
    """The latest payment to this utility account at this center, void or not: the
    holder's name was right even when the amount was not."""
    return session.scalars(
        select(m.Receipt)
        .where(
            m.Receipt.center_code == center_code,
            m.Receipt.utility == utility,
            m.Receipt.account_number == account_number,
        )
        .order_by(m.Receipt.paid_at.desc())
        .limit(1)
    ).first()


def fee_rules_of_item(session: Session, item_code: str) -> Sequence[m.FeeRule]:
    """Only the fee rules of an item: what a payment needs, without its materials."""
    return session.scalars(select(m.FeeRule).where(m.FeeRule.item_code == item_code).order_by(m.FeeRule.position)).all()


def active_credit_flag(session: Session, key_hash: str) -> m.CreditFlag | None:
    """告知承诺制: a credit flag not lifted for this keyed hash of an applicant's number."""
    return session.scalars(
        select(m.CreditFlag)
        .where(m.CreditFlag.key_hash == key_hash, m.CreditFlag.lifted_at.is_(None))
        .order_by(m.CreditFlag.flagged_at)
        .limit(1)
    ).first()


def commitment_cases(session: Session, center_code: str) -> list[tuple[m.CaseCommitment, m.Case]]:
    """告知承诺制: the center's cases accepted on a commitment, the earliest verification first."""
    return [
        (commitment, case)
        for commitment, case in session.execute(
            select(m.CaseCommitment, m.Case)
            .join(m.Case, m.Case.id == m.CaseCommitment.case_id)
            .where(m.Case.center_code == center_code)
            .order_by(m.CaseCommitment.verify_due, m.Case.case_number)
        )
    ]
