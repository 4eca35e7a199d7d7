"""The console's accounts and sign-in.

- Accounts are made by an administrator (the first one with ``windowdesk-hub
  create-console-user`` at the terminal); each starts with a first password its holder must
  change at the first sign-in.
- Signing in checks the password (scrypt, domain/passwords.py) in the same time whether the
  login exists or not; five wrong passwords in a row lock the account for 15 minutes
  (the operators' rule). The web layer adds a limit per address.
- A session lasts at most ``SESSION_HOURS`` and ends after ``IDLE_MINUTES`` without a
  request; disabling an account or resetting its password ends its sessions at once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from windowdesk.domain import passwords
from windowdesk.domain.uuid7 import new_uuid
from windowdesk.errors import ValidationError
from windowdesk.hub.errors import Conflict, InvalidInput, NotFound
from windowdesk.hub.language import Text
from windowdesk.hub.services import hub_audit
from windowdesk.hub.services.console_rights import (
    ADMINISTRATOR,
    DEPARTMENT,
    ROLES,
    ConsoleActor,
    require_administrator,
)
from windowdesk.hub.storage.models import Department
from windowdesk.hub.storage.models_console import ConsoleSession, ConsoleUser
from windowdesk.i18n import N_

SESSION_HOURS = 10
IDLE_MINUTES = 30
LOGIN_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{1,39}$")
CLI_ACTOR = "cli"


@dataclass(frozen=True)
class SignedIn:
    token: str  # the cookie's value: shown to the browser once, stored only as a hash
    actor: ConsoleActor
    must_change_password: bool


class SignInRefused(InvalidInput):
    status = 401
    code = "sign_in_refused"
    title = N_("Sign-in refused")


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def actor_of(user: ConsoleUser) -> ConsoleActor:
    return ConsoleActor(
        user_id=user.id,
        login=user.login,
        display_name=user.display_name,
        role=user.role,
        department_code=user.department_code,
    )


def _checked_password(password: str, login: str) -> str:
    try:
        passwords.check_strength(password, login=login)
    except ValidationError as weak:
        raise InvalidInput(str(weak)) from weak
    return passwords.hash_password(password)


def create_user(
    session: Session,
    *,
    by: ConsoleActor | None,
    login: str,
    display_name: str,
    role: str,
    department_code: str | None,
    password: str,
    now: dt.datetime,
    address: str = "",
) -> ConsoleUser:
    """A new console account. ``by`` is the administrator making it (None: the terminal)."""
    if by is not None:
        require_administrator(by)
    login = login.strip().lower()
    if not LOGIN_PATTERN.match(login):
        raise InvalidInput(
            Text(
                N_(
                    "{login!r} is not a usable login name: 2 to 40 lower-case letters, digits, dots, "
                    "dashes or underscores, starting with a letter or digit."
                ),
                login=login,
            )
        )
    display_name = display_name.strip()
    if not display_name or len(display_name) > 60:
        raise InvalidInput(N_("Give the person's name (at most 60 characters)."))
    if role not in ROLES:
        raise InvalidInput(
            Text(N_("{role!r} is not a console role; choose department, supervisor or administrator."), role=role)
        )
    if role == DEPARTMENT:
        if not department_code or session.get(Department, department_code) is None:
            raise InvalidInput(
                Text(
                    N_("Department staff belong to a department: {code!r} is not one of the hub's departments."),
                    code=department_code or "",
                )
            )
    else:
        department_code = None
    if session.scalar(select(ConsoleUser.id).where(ConsoleUser.login == login)) is not None:
        raise Conflict(Text(N_("A console account named {login} exists already."), login=login))
    user = ConsoleUser(
        id=new_uuid(),
        login=login,
        display_name=display_name,
        role=role,
        department_code=department_code,
        password_hash=_checked_password(password, login),
        must_change_password=True,
        failed_logins=0,
        created_at=now,
        password_changed_at=now,
    )
    session.add(user)
    hub_audit.record(
        session,
        actor=by.audit_name if by else CLI_ACTOR,
        action="console_user.created",
        entity="console_user",
        entity_id=user.id,
        now=now,
        address=address,
        detail={"login": login, "role": role, "department": department_code},
    )
    return user


def list_users(session: Session, *, by: ConsoleActor) -> list[ConsoleUser]:
    require_administrator(by)
    return list(session.scalars(select(ConsoleUser).order_by(ConsoleUser.role, ConsoleUser.login)))


def _user(session: Session, login: str) -> ConsoleUser:
    user = session.scalar(select(ConsoleUser).where(ConsoleUser.login == login.strip().lower()))
    if user is None:
        raise NotFound(Text(N_("There is no console account named {login}."), login=login))
    return user


def _end_sessions(session: Session, user_id: str, now: dt.datetime) -> None:
    session.execute(
        update(ConsoleSession)
        .where(ConsoleSession.user_id == user_id, ConsoleSession.ended_at.is_(None))
        .values(ended_at=now)
    )


def reset_password(
    session: Session,
    *,
    by: ConsoleActor | None,
    login: str,
    password: str,
    now: dt.datetime,
    address: str = "",
) -> ConsoleUser:
    """A new first password (to be changed at the next sign-in); signs the account out."""
    if by is not None:
        require_administrator(by)
    user = _user(session, login)
    user.password_hash = _checked_password(password, user.login)
    user.must_change_password, user.failed_logins, user.locked_until = True, 0, None
    user.password_changed_at = now
    _end_sessions(session, user.id, now)
    hub_audit.record(
        session,
        actor=by.audit_name if by else CLI_ACTOR,
        action="console_user.password_reset",
        entity="console_user",
        entity_id=user.id,
        now=now,
        address=address,
    )
    return user


def set_enabled(
    session: Session,
    *,
    by: ConsoleActor,
    login: str,
    enabled: bool,
    now: dt.datetime,
    address: str = "",
) -> ConsoleUser:
    require_administrator(by)
    user = _user(session, login)
    if not enabled and user.id == by.user_id:
        raise InvalidInput(N_("You cannot disable your own account; another administrator can."))
    user.disabled_at = None if enabled else (user.disabled_at or now)
    if not enabled:
        _end_sessions(session, user.id, now)
    hub_audit.record(
        session,
        actor=by.audit_name,
        action="console_user.enabled" if enabled else "console_user.disabled",
        entity="console_user",
        entity_id=user.id,
        now=now,
        address=address,
    )
    return user


def change_own_password(
    session: Session,
    *,
    actor: ConsoleActor,
    current: str,
    new: str,
    now: dt.datetime,
    address: str = "",
) -> None:
    user = session.get(ConsoleUser, actor.user_id)
    if user is None or not passwords.verify_password(current, user.password_hash):
        raise InvalidInput(N_("The current password is not right; the password was not changed."))
    if current == new:
        raise InvalidInput(N_("Choose a new password different from the current one."))
    user.password_hash = _checked_password(new, user.login)
    user.must_change_password = False
    user.password_changed_at = now
    hub_audit.record(
        session,
        actor=actor.audit_name,
        action="console_user.password_changed",
        entity="console_user",
        entity_id=user.id,
        now=now,
        address=address,
    )


def sign_in(
    session: Session,
    *,
    login: str,
    password: str,
    now: dt.datetime,
    address: str = "",
) -> SignedIn | SignInRefused:
    """A new session, or the refusal (returned, not raised, so that the caller's transaction
    keeps the count of wrong passwords): the same words and time for every reason but a lock."""
    user = session.scalar(select(ConsoleUser).where(ConsoleUser.login == login.strip().lower()[:40]))
    usable = user is not None and user.disabled_at is None
    state = passwords.LockState(user.failed_logins, user.locked_until) if user is not None else None
    if user is not None and state is not None and state.is_locked(now):
        passwords.verify_password(password, passwords.unknown_login_hash())
        return SignInRefused(
            Text(
                N_(
                    "This account is locked after too many wrong passwords; try again after {minutes} "
                    "minutes or ask an administrator to reset it."
                ),
                minutes=passwords.LOCK_MINUTES,
            )
        )
    right = passwords.verify_password(
        password, user.password_hash if usable and user else passwords.unknown_login_hash()
    )
    if not (usable and right and user is not None):
        if user is not None and state is not None:
            after = passwords.after_failure(state, now)
            user.failed_logins, user.locked_until = after.failures, after.locked_until
            hub_audit.record(
                session,
                actor=f"console:{user.login}",
                action="console.sign_in_refused",
                entity="console_user",
                entity_id=user.id,
                now=now,
                address=address,
            )
        return SignInRefused(N_("The login name or the password is not right."))
    user.failed_logins, user.locked_until = 0, None
    token = secrets.token_urlsafe(32)
    session.add(
        ConsoleSession(
            id=new_uuid(),
            token_sha256=_token_hash(token),
            user_id=user.id,
            created_at=now,
            last_seen_at=now,
            expires_at=now + dt.timedelta(hours=SESSION_HOURS),
        )
    )
    hub_audit.record(
        session,
        actor=f"console:{user.login}",
        action="console.signed_in",
        entity="console_user",
        entity_id=user.id,
        now=now,
        address=address,
    )
    return SignedIn(token=token, actor=actor_of(user), must_change_password=user.must_change_password)


@dataclass(frozen=True)
class SessionState:
    actor: ConsoleActor
    must_change_password: bool
    stale: bool  # not marked as seen for a minute: the caller calls :func:`touch`


def session_actor(session: Session, *, token: str | None, now: dt.datetime) -> SessionState | None:
    """Who a session cookie signs in, or None when it is unknown, ended, idle too long, past
    its time or its account disabled. Reads only (a page view must not wait for a writer)."""
    if not token or len(token) > 100:
        return None
    row = session.scalar(select(ConsoleSession).where(ConsoleSession.token_sha256 == _token_hash(token)))
    if row is None or row.ended_at is not None or row.expires_at <= now:
        return None
    if row.last_seen_at + dt.timedelta(minutes=IDLE_MINUTES) <= now:
        return None
    user = session.get(ConsoleUser, row.user_id)
    if user is None or user.disabled_at is not None:
        return None
    stale = now - row.last_seen_at >= dt.timedelta(minutes=1)
    return SessionState(actor_of(user), user.must_change_password, stale)


def touch(session: Session, *, token: str, now: dt.datetime) -> None:
    """Marks a session as seen now (at most once a minute, see SessionState.stale)."""
    session.execute(
        update(ConsoleSession)
        .where(ConsoleSession.token_sha256 == _token_hash(token), ConsoleSession.ended_at.is_(None))
        .values(last_seen_at=now)
    )


def sign_out(session: Session, *, token: str | None, now: dt.datetime) -> None:
    if token:
        session.execute(
            update(ConsoleSession)
            .where(ConsoleSession.token_sha256 == _token_hash(token), ConsoleSession.ended_at.is_(None))
            .values(ended_at=now)
        )


def has_administrator(session: Session) -> bool:
    return (
        session.scalar(
            select(ConsoleUser.id).where(ConsoleUser.role == ADMINISTRATOR, ConsoleUser.disabled_at.is_(None)).limit(1)
        )
        is not None
    )
