"""The city's setup from the console: centers, windows, departments and the windows' operators.

Each function is the console's doorway to the service the matching ``windowdesk-hub``
command uses (services/admin.py): it checks that the person is an administrator and
records one entry in the hub's audit log in the same transaction, then does exactly what
the command does. Operators are published to their center through the change feed, so
those functions run in a ``write(feed=True)`` transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from windowdesk.hub.errors import NotFound
from windowdesk.hub.language import Text
from windowdesk.hub.services import admin
from windowdesk.hub.services.admin import Saved
from windowdesk.hub.services.console_rights import ConsoleActor, require_administrator
from windowdesk.hub.services.hub_audit import console_action
from windowdesk.hub.storage.models import Center, Department, Operator, Window
from windowdesk.i18n import N_


@dataclass(frozen=True)
class Organisation:
    centers: list[Center]
    windows: dict[str, list[Window]]  # center code -> its windows, by code
    departments: list[Department]


def organisation(session: Session, *, by: ConsoleActor) -> Organisation:
    require_administrator(by)
    centers = list(session.scalars(select(Center).order_by(Center.kind, Center.code)))
    windows: dict[str, list[Window]] = {center.code: [] for center in centers}
    for window in session.scalars(select(Window).order_by(Window.center_code, Window.code)):
        windows.setdefault(window.center_code, []).append(window)
    departments = list(session.scalars(select(Department).order_by(Department.code)))
    return Organisation(centers, windows, departments)


def save_center(
    session: Session,
    *,
    by: ConsoleActor,
    code: str,
    name: str,
    kind: str,
    timezone: str,
    now: dt.datetime,
    address: str = "",
) -> Saved:
    require_administrator(by)
    saved = admin.save_center(session, code=code, name=name, kind=kind, timezone=timezone)
    console_action(
        session,
        by,
        "center.created" if saved.created else "center.renamed",
        "center",
        code,
        now,
        address,
        name=name.strip(),
        kind=kind,
    )
    return saved


def save_window(
    session: Session, *, by: ConsoleActor, center_code: str, code: str, name: str, now: dt.datetime, address: str = ""
) -> Saved:
    require_administrator(by)
    saved = admin.save_window(session, center_code=center_code, code=code, name=name)
    console_action(
        session,
        by,
        "window.created" if saved.created else "window.renamed",
        "window",
        f"{center_code}-{code}",
        now,
        address,
        name=name.strip(),
    )
    return saved


def save_department(
    session: Session, *, by: ConsoleActor, code: str, name: str, now: dt.datetime, address: str = ""
) -> Saved:
    require_administrator(by)
    saved = admin.save_department(session, code=code, name=name)
    console_action(
        session,
        by,
        "department.created" if saved.created else "department.renamed",
        "department",
        code,
        now,
        address,
        name=name.strip(),
    )
    return saved


# --- the windows' operators ------------------------------------------------------------------


def operators(session: Session, *, by: ConsoleActor, center_code: str | None = None) -> list[Operator]:
    require_administrator(by)
    query = select(Operator).order_by(Operator.center_code, Operator.login)
    if center_code:
        query = query.where(Operator.center_code == center_code)
    return list(session.scalars(query))


def publish_operator(
    session: Session,
    *,
    by: ConsoleActor,
    login: str,
    display_name: str,
    center_code: str,
    role: str,
    password: str | None,
    now: dt.datetime,
    address: str = "",
) -> tuple[Operator, Saved]:
    """Create or update an active operator, as ``create-operator`` (the password, if given, is
    a first one the operator changes at the window's first login)."""
    require_administrator(by)
    operator, saved = admin.publish_operator(
        session,
        login=login,
        display_name=display_name,
        center_code=center_code,
        role=role,
        active=True,
        password=password,
        now=now,
    )
    # Never the password, not even its hash: the log is read by more people than the table.
    console_action(
        session,
        by,
        "operator.created" if saved.created else "operator.updated",
        "operator",
        operator.id,
        now,
        address,
        login=operator.login,
        center=center_code,
        role=role,
        first_password=password is not None,
    )
    return operator, saved


def _operator(session: Session, login: str) -> Operator:
    row = session.scalar(select(Operator).where(Operator.login == login.strip()))
    if row is None:
        raise NotFound(Text(N_("There is no operator {login} on the hub (see create-operator)."), login=login))
    return row


def reset_operator_password(
    session: Session, *, by: ConsoleActor, login: str, password: str, now: dt.datetime, address: str = ""
) -> tuple[Operator, int]:
    """A new first password, published to the operator's center (``set-password``)."""
    require_administrator(by)
    operator, seq = admin.set_operator_password(
        session, login=_operator(session, login).login, password=password, now=now
    )
    console_action(session, by, "operator.password_reset", "operator", operator.id, now, address, login=operator.login)
    return operator, seq


def set_operator_active(
    session: Session, *, by: ConsoleActor, login: str, active: bool, now: dt.datetime, address: str = ""
) -> tuple[Operator, Saved]:
    """Disable (or enable again) an operator, published to the center like ``create-operator
    --inactive``: the window refuses their login from its next sync."""
    require_administrator(by)
    row = _operator(session, login)
    operator, saved = admin.publish_operator(
        session,
        login=row.login,
        display_name=row.display_name,
        center_code=row.center_code,
        role=row.role,
        active=active,
        now=now,
    )
    console_action(
        session,
        by,
        "operator.enabled" if active else "operator.disabled",
        "operator",
        operator.id,
        now,
        address,
        login=operator.login,
    )
    return operator, saved
