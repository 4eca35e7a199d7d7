"""Logging in at the counter, offline: operators' passwords are checked against slow
salted hashes kept in the local database (synced down from the hub, or made here by a
supervisor when the hub was never reached)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING

from windowdesk.domain.passwords import (
    LOCK_MINUTES,
    LockState,
    after_failure,
    after_success,
    check_strength,
    hash_password,
    unknown_login_hash,
    verify_password,
)
from windowdesk.domain.permissions import Permission, Role
from windowdesk.domain.uuid7 import new_uuid
from windowdesk.errors import ValidationError, WindowdeskError
from windowdesk.i18n import _
from windowdesk.services.audit import record_action
from windowdesk.services.authorization import authorize
from windowdesk.services.context import CounterContext, utc_now
from windowdesk.services.workstation import KEY_OPERATOR, workstation_context_for
from windowdesk.storage import queries
from windowdesk.storage.db import Database
from windowdesk.storage.models import ORIGIN_LOCAL, Operator

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Callable


class LoginFailed(WindowdeskError):
    pass


@dataclass(frozen=True)
class LoginResult:
    ctx: CounterContext
    must_change_password: bool


def _wrong_password() -> LoginFailed:
    """The one answer to every failed login: an unknown login, a disabled or locked account
    and a wrong password read the same, so the login box tells a stranger nothing about
    which logins exist (the wording names the lock, for the one who knows the password)."""
    return LoginFailed(
        _("Cannot log in"),
        _(
            "The login name or the password is wrong, or the account is locked for {minutes} minutes after "
            "too many wrong passwords. Ask a supervisor if it does not work."
        ).format(minutes=LOCK_MINUTES),
    )


def log_in(db: Database, *, login: str, password: str, clock: Callable[[], dt.datetime] = utc_now) -> LoginResult:
    """Check the password; five wrong ones in a row lock the account for 15 minutes."""
    login = (login or "").strip()
    now = clock()
    with db.write() as session:
        operator = queries.operator_by_login(session, login)
        if (
            operator is None
            or not operator.active
            or LockState(operator.failed_attempts, operator.locked_until).is_locked(now)
        ):
            verify_password(password or "", unknown_login_hash())  # as slow as a real check
            raise _wrong_password()
        state = LockState(operator.failed_attempts, operator.locked_until)
        ctx = workstation_context_for(session, operator, clock=clock)
        if not verify_password(password or "", operator.password_hash):
            state = after_failure(state, now)
            operator.failed_attempts, operator.locked_until = state.failures, state.locked_until
            record_action(session, ctx, action="login.failed", entity="operator", entity_id=operator.id)
            session.commit()  # the failure counts even though we raise
            raise _wrong_password()
        state = after_success()
        operator.failed_attempts, operator.locked_until = state.failures, state.locked_until
        operator.last_login_at = now
        queries.set_local_setting(session, KEY_OPERATOR, operator.id)
        record_action(session, ctx, action="login", entity="operator", entity_id=operator.id)
        return LoginResult(ctx, operator.must_change_password)


def verify_operator_password(db: Database, ctx: CounterContext, *, password: str) -> bool:
    """Unlocking the screen: the same operator's password, with the same lockout."""
    try:
        result = log_in(db, login=login_of(db, ctx), password=password, clock=ctx.clock)
    except LoginFailed:
        return False
    return result.ctx.operator_id == ctx.operator_id


def login_of(db: Database, ctx: CounterContext) -> str:
    """The login of the operator at the counter ("" for one no longer kept here)."""
    with db.read() as session:
        operator = session.get(Operator, ctx.operator_id)
        return operator.login if operator else ""


def change_password(db: Database, ctx: CounterContext, *, current: str, new: str) -> None:
    with db.write() as session:
        operator = session.get(Operator, ctx.operator_id)
        if operator is None or not verify_password(current, operator.password_hash):
            raise ValidationError(_("The current password is wrong."), field="current_password")
        if new == current:
            raise ValidationError(_("The new password must differ from the current one."), field="password")
        check_strength(new, login=operator.login, center=operator.center_code)
        operator.password_hash = hash_password(new)
        operator.must_change_password = False
        record_action(session, ctx, action="password.change", entity="operator", entity_id=operator.id)


def create_operator(
    db: Database, ctx: CounterContext, *, login: str, display_name: str, role: str, initial_password: str
) -> str:
    """A supervisor makes an account here (the hub was never reached); the new operator
    must choose their own password at first login."""
    login, display_name = (login or "").strip(), (display_name or "").strip()
    if not login or not display_name:
        raise ValidationError(_("Please give the login name and the operator's name."), field="login")
    try:
        Role(role)
    except ValueError:
        raise ValidationError(_("Unknown role."), field="role") from None
    check_strength(initial_password, login=login, center=ctx.center_code)
    with db.write() as session:
        creator = authorize(session, ctx, Permission.MANAGE_OPERATORS)
        if role == Role.ADMINISTRATOR and creator.role != Role.ADMINISTRATOR:
            raise ValidationError(_("Only an administrator may create another administrator."), field="role")
        if queries.operator_by_login(session, login) is not None:
            raise ValidationError(_("This login name is taken."), field="login")
        operator = Operator(
            id=new_uuid(),
            center_code=ctx.center_code,
            login=login,
            display_name=display_name,
            role=role,
            active=True,
            created_at=ctx.now(),
            password_hash=hash_password(initial_password),
            must_change_password=True,
            failed_attempts=0,
            origin=ORIGIN_LOCAL,
        )
        session.add(operator)
        session.flush()
        record_action(
            session, ctx, action="operator.create", entity="operator", entity_id=operator.id, detail={"role": role}
        )
        return operator.id


def switch_operator(ctx: CounterContext, other: CounterContext) -> CounterContext:
    """The context of another operator at the same window (after their own login)."""
    return dataclasses.replace(other, clock=ctx.clock)
