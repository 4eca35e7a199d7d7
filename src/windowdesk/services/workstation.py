"""This workstation's identity: which center, which window, which operator.

Chosen once on first run (or by --demo); kept in the local database, not in the
user's preference file, because the case numbers depend on it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from windowdesk.domain.passwords import check_strength, hash_password
from windowdesk.domain.uuid7 import new_uuid
from windowdesk.errors import ValidationError
from windowdesk.i18n import _
from windowdesk.services.context import CounterContext, utc_now
from windowdesk.storage import queries
from windowdesk.storage.db import Database, Session
from windowdesk.storage.models import ORIGIN_LOCAL, Center, Operator, Window

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Callable

KEY_CENTER = "workstation.center"
KEY_WINDOW = "workstation.window"
KEY_OPERATOR = "workstation.operator"
# The administrator made at the first start (no hub reached yet); disabled when the first
# sync brings an administrator from the hub (migration 0013_h21_operator_origin).
KEY_FIRST_RUN_ADMINISTRATOR = "workstation.first_run_administrator"


@dataclass(frozen=True)
class CenterChoice:
    code: str
    name: str
    kind: str


@dataclass(frozen=True)
class WindowChoice:
    id: str
    code: str
    name: str


def list_centers(db: Database) -> list[CenterChoice]:
    with db.read() as session:
        return [CenterChoice(c.code, c.name, c.kind) for c in queries.all_centers(session)]


def list_windows(db: Database, *, center_code: str) -> list[WindowChoice]:
    with db.read() as session:
        return [WindowChoice(w.id, w.code, w.name) for w in queries.windows_of_center(session, center_code)]


def configure_workstation(
    db: Database,
    *,
    center_code: str,
    window_code: str,
    operator_name: str,
    operator_login: str | None = None,
    password: str | None = None,
    role: str = "operator",
) -> CounterContext:
    """Record the center and window of this machine and the person setting it up.

    On a real first run that person gives a password (checked for strength) and becomes
    the workstation's administrator until the hub sends the real accounts.
    """
    operator_name = operator_name.strip()
    if not operator_name:
        raise ValidationError(_("Please type the operator's name."), field="operator_name")
    login = (operator_login or operator_name).strip()
    if password is not None:
        check_strength(password, login=login, center=center_code)
    with db.write() as session:
        center = session.get(Center, center_code)
        if center is None:
            raise ValidationError(_("Please choose a service center."), field="center")
        window = session.get(Window, f"{center_code}-{window_code}")
        if window is None:
            raise ValidationError(_("Please choose a window of this center."), field="window")
        operator = queries.operator_by_login(session, login)
        if operator is None:
            operator = Operator(
                id=new_uuid(),
                center_code=center_code,
                login=login,
                display_name=operator_name,
                role=role,
                active=True,
                created_at=utc_now(),
                password_hash=hash_password(password) if password is not None else None,
                must_change_password=password is None,
                failed_attempts=0,
                origin=ORIGIN_LOCAL,
            )
            session.add(operator)
            session.flush()
            if role == "administrator" and password is not None:
                # Until the hub's first administrator arrives (services/sync_apply.py).
                queries.set_local_setting(session, KEY_FIRST_RUN_ADMINISTRATOR, operator.id)
        queries.set_local_setting(session, KEY_CENTER, center_code)
        queries.set_local_setting(session, KEY_WINDOW, window.id)
        queries.set_local_setting(session, KEY_OPERATOR, operator.id)
        context = _context(center, window, operator, utc_now)
    return context


def workstation_context_for(
    session: Session, operator: Operator, *, clock: Callable[[], dt.datetime] = utc_now
) -> CounterContext:
    """Inside a session: the context of ``operator`` at this configured workstation."""
    center = session.get(Center, queries.local_setting(session, KEY_CENTER) or "")
    window = session.get(Window, queries.local_setting(session, KEY_WINDOW) or "")
    if center is None or window is None:
        raise ValidationError(_("This workstation is not set up yet."), field="center")
    return _context(center, window, operator, clock)


def current_context(db: Database, *, clock: Callable[[], dt.datetime] = utc_now) -> CounterContext | None:
    """The context of the last operator who logged in here, or None before set-up."""
    with db.read() as session:
        center_code = queries.local_setting(session, KEY_CENTER)
        window_id = queries.local_setting(session, KEY_WINDOW)
        operator_id = queries.local_setting(session, KEY_OPERATOR)
        if not (center_code and window_id and operator_id):
            return None
        center = session.get(Center, center_code)
        window = session.get(Window, window_id)
        operator = session.get(Operator, operator_id)
        if center is None or window is None or operator is None:
            return None
        return _context(center, window, operator, clock)


def _context(center: Center, window: Window, operator: Operator, clock: Callable[[], dt.datetime]) -> CounterContext:
    return CounterContext(
        center_code=center.code,
        center_name=center.name,
        window_id=window.id,
        window_code=window.code,
        window_name=window.name,
        operator_id=operator.id,
        operator_name=operator.display_name,
        operator_role=operator.role,
        timezone=center.timezone,
        clock=clock,
    )


def is_configured(db: Database) -> bool:
    """Center and window chosen (someone set this machine up)."""
    with db.read() as session:
        return bool(queries.local_setting(session, KEY_CENTER) and queries.local_setting(session, KEY_WINDOW))


def workstation_place(db: Database) -> tuple[str, str, str] | None:
    """This workstation's center name, window code and window name (for the login box),
    or None before set-up. Nothing personal: shown before anyone logs in."""
    with db.read() as session:
        center = session.get(Center, queries.local_setting(session, KEY_CENTER) or "")
        window = session.get(Window, queries.local_setting(session, KEY_WINDOW) or "")
        if center is None or window is None:
            return None
        return center.name, window.code, window.name
