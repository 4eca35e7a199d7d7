"""The hub administrator's records: centers, windows, departments, calendar, operators.

Centers, windows and departments normally come with the catalog (catalog_import); the
commands here set them up without one, for a new street center or a test. Calendar
overrides and operators are published to clients through the change feed, so those
functions must run in a ``write(feed=True)`` transaction.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from windowdesk.domain.catalog import CENTER_CODE, CENTER_KINDS, DEPARTMENT_CODE, WINDOW_CODE
from windowdesk.domain.catalog_model import CenterKind
from windowdesk.domain.passwords import check_strength, hash_password
from windowdesk.domain.permissions import Role
from windowdesk.domain.uuid7 import new_uuid
from windowdesk.errors import ValidationError
from windowdesk.hub.errors import InvalidInput, NotFound
from windowdesk.hub.language import Text
from windowdesk.hub.services import case_figures, figure_days
from windowdesk.hub.services.feed import append_change
from windowdesk.hub.storage.models import CalendarOverride, Case, Center, Department, Operator, Window
from windowdesk.i18n import N_
from windowdesk.sync.protocol import CHANGE_CALENDAR, CHANGE_OPERATOR

OPERATOR_ROLES = tuple(role.value for role in Role)  # plain strings: argparse's choices, the forms' options


@dataclass(frozen=True)
class Saved:
    """What a create-or-update did, for the person at the command line."""

    created: bool
    seq: int | None = None  # the change published, if any

    @property
    def verb(self) -> str:
        """Marked for translation; the command line words it."""
        return N_("Created") if self.created else N_("Updated")


def _required_text(value: str, what: str, max_length: int) -> str:
    value = (value or "").strip()
    if not value:
        raise InvalidInput(Text(N_("Please give the {what}."), what=Text(what)))
    if len(value) > max_length:
        raise InvalidInput(Text(N_("The {what} is longer than {count} characters."), what=Text(what), count=max_length))
    return value


def _code(value: str, pattern: re.Pattern[str], what: str) -> str:
    if not pattern.match(value or ""):
        raise InvalidInput(
            Text(
                N_("{value!r} is not a valid {what} (pattern {pattern})."),
                value=value,
                what=Text(what),
                pattern=pattern.pattern,
            )
        )
    return value


def save_center(session: Session, *, code: str, name: str, kind: str, timezone: str = "Asia/Shanghai") -> Saved:
    _code(code, CENTER_CODE, N_("center code"))
    if kind not in CENTER_KINDS:
        raise InvalidInput(Text(N_("The center kind must be one of: {choices}."), choices=", ".join(CENTER_KINDS)))
    row = session.get(Center, code)
    created = row is None
    if row is None:
        row = Center(code=code)
        session.add(row)
    row.name = _required_text(name, N_("center name"), 100)
    row.kind = CenterKind(kind)
    moved = not created and row.timezone != timezone
    row.timezone = timezone
    session.flush()
    if moved:  # the center's local days are the report's
        case_figures.refresh(session, session.scalars(select(Case.id).where(Case.center_code == code)))
        figure_days.resum_ratings(session, center=code)  # their local days moved too
    return Saved(created)


def save_window(session: Session, *, center_code: str, code: str, name: str) -> Saved:
    _code(code, WINDOW_CODE, N_("window code (two digits)"))
    if session.get(Center, center_code) is None:
        raise NotFound(Text(N_("There is no center {center} on the hub."), center=center_code))
    window_id = f"{center_code}-{code}"
    row = session.get(Window, window_id)
    created = row is None
    if row is None:
        row = Window(id=window_id, center_code=center_code, code=code)
        session.add(row)
    row.name = _required_text(name, N_("window name"), 100)
    session.flush()
    return Saved(created)


def save_department(session: Session, *, code: str, name: str) -> Saved:
    _code(code, DEPARTMENT_CODE, N_("department code"))
    row = session.get(Department, code)
    created = row is None
    if row is None:
        row = Department(code=code)
        session.add(row)
    row.name = _required_text(name, N_("department name"), 100)
    session.flush()
    return Saved(created)


def publish_calendar_override(
    session: Session, *, day: dt.date, is_working_day: bool, note: str, now: dt.datetime
) -> Saved:
    """A working-day decision for every center (a make-up working Sunday, a holiday)."""
    note = (note or "").strip()
    if len(note) > 200:
        raise InvalidInput(Text(N_("The note is longer than {count} characters."), count=200))
    row = session.get(CalendarOverride, day)
    created = row is None
    if row is None:
        row = CalendarOverride(day=day)
        session.add(row)
    row.is_working_day = is_working_day
    row.note = note
    row.updated_at = now
    session.flush()
    case_figures.refresh_for_days(session, day, day)
    seq = append_change(
        session,
        kind=CHANGE_CALENDAR,
        entity="calendar",
        entity_id=day.isoformat(),
        center_code=None,
        payload={"day": day.isoformat(), "is_working_day": is_working_day, "note": note},
        now=now,
    )
    return Saved(created, seq)


def _set_password(row: Operator, password: str, now: dt.datetime) -> None:
    """Only the slow salted hash is kept; the administrator's password is a first one,
    which the operator must change at the first login."""
    try:
        check_strength(password, login=row.login, center=row.center_code)
    except ValidationError as weak:
        raise InvalidInput(weak.message, title=N_("The password is too weak")) from None
    row.password_hash = hash_password(password)
    row.must_change_password = True
    row.password_set_at = now


def _publish(session: Session, row: Operator, *, with_password: bool, now: dt.datetime) -> int:
    payload = {
        "id": row.id,
        "login": row.login,
        "display_name": row.display_name,
        "role": row.role,
        "center_code": row.center_code,
        "active": row.active,
    }
    if with_password:
        # Only when set now: a later rename must not undo a password the operator has
        # since changed at the window (the hub never learns that one).
        payload.update(password_hash=row.password_hash, must_change_password=row.must_change_password)
    return append_change(
        session,
        kind=CHANGE_OPERATOR,
        entity="operator",
        entity_id=row.id,
        center_code=row.center_code,
        payload=payload,
        now=now,
    )


def publish_operator(
    session: Session,
    *,
    login: str,
    display_name: str,
    center_code: str,
    role: str,
    active: bool = True,
    password: str | None = None,
    now: dt.datetime,
) -> tuple[Operator, Saved]:
    """Create or update an operator (by login) and publish it to the clients of its center."""
    login = _required_text(login, N_("login"), 60)
    if role not in OPERATOR_ROLES:
        raise InvalidInput(Text(N_("The role must be one of: {choices}."), choices=", ".join(OPERATOR_ROLES)))
    if session.get(Center, center_code) is None:
        raise NotFound(Text(N_("There is no center {center} on the hub."), center=center_code))
    row = session.scalar(select(Operator).where(Operator.login == login))
    created = row is None
    if row is None:
        row = Operator(id=new_uuid(), login=login, must_change_password=True)
        session.add(row)
    row.display_name = _required_text(display_name, N_("operator's name"), 60)
    row.role = Role(role)
    row.center_code = center_code
    row.active = active
    row.updated_at = now
    if password is not None:
        _set_password(row, password, now)
    session.flush()
    return row, Saved(created, _publish(session, row, with_password=password is not None, now=now))


def set_operator_password(session: Session, *, login: str, password: str, now: dt.datetime) -> tuple[Operator, int]:
    """A new first password (forgotten, or locked out): published to the operator's center."""
    row = session.scalar(select(Operator).where(Operator.login == login))
    if row is None:
        raise NotFound(Text(N_("There is no operator {login} on the hub (see create-operator)."), login=login))
    _set_password(row, password, now)
    row.updated_at = now
    session.flush()
    return row, _publish(session, row, with_password=True, now=now)
