"""A supervisor's approval at the operator's own workstation.

Voiding a receipt and confirming a day close need a supervisor (中心负责人). The
supervisor walks to the counter and types their own login and password into the
approval box; the window stays logged in as the operator. The password is checked the
way a login checks it, with the same lockout (five wrong in a row lock the account for
15 minutes), so the approval box cannot be used to guess a supervisor's password.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from windowdesk.domain.passwords import LockState, after_failure, after_success, unknown_login_hash, verify_password
from windowdesk.domain.permissions import Permission, is_allowed
from windowdesk.errors import WindowdeskError
from windowdesk.i18n import _
from windowdesk.services.audit import record_action
from windowdesk.services.context import CounterContext
from windowdesk.storage import queries
from windowdesk.storage.db import Database, Session
from windowdesk.storage.models import Operator


class ApprovalRefused(WindowdeskError):
    pass


@dataclass(frozen=True)
class SupervisorCredentials:
    login: str
    password: str = field(repr=False)


def _wrong_credentials() -> ApprovalRefused:
    """One answer for an unknown login, a disabled or locked account and a wrong password:
    the approval box tells a stranger nothing about which logins exist."""
    return ApprovalRefused(
        _("Not approved"),
        _(
            "The supervisor's login name or password is wrong, or the account is locked for a while after "
            "too many wrong passwords."
        ),
    )


def approve_as_supervisor(
    db: Database, ctx: CounterContext, *, login: str, password: str, permission: Permission = Permission.APPROVE_VOID
) -> str:
    """The id of the supervisor whose credentials these are, if they may give ``permission``
    at this center. Raises :class:`ApprovalRefused`; a wrong password counts towards the
    supervisor's lockout and is audited (without the login typed: it may be a password)."""
    login = (login or "").strip()
    now = ctx.now()
    with db.read() as session:
        row = queries.operator_by_login(session, login)
        if row is None or not row.active or LockState(row.failed_attempts, row.locked_until).is_locked(now):
            known = False
            operator_id, stored_hash = "", None
        else:
            known = True
            operator_id, stored_hash = row.id, row.password_hash
    if not known:
        verify_password(password or "", unknown_login_hash())  # as slow as a real check
        raise _wrong_credentials()
    # Checked outside the write transaction: the slow hash must not hold the write lock.
    matches = verify_password(password or "", stored_hash)
    with db.write() as session:
        operator = session.get_one(Operator, operator_id)  # read above, never deleted
        if not matches:
            state = after_failure(LockState(operator.failed_attempts, operator.locked_until), now)
            operator.failed_attempts, operator.locked_until = state.failures, state.locked_until
            record_action(
                session,
                ctx,
                action="approval.failed",
                entity="operator",
                entity_id=operator_id,
                detail={"permission": permission.value},
            )
            session.commit()  # the failure counts even though we raise
            raise _wrong_credentials()
        if operator.failed_attempts or operator.locked_until is not None:
            state = after_success()
            operator.failed_attempts, operator.locked_until = state.failures, state.locked_until
        if not is_allowed(operator.role, permission) or operator.center_code != ctx.center_code:
            raise ApprovalRefused(
                _("Not approved"),
                _("{name} is not a supervisor of this center and cannot approve this.").format(
                    name=operator.display_name
                ),
            )
    return operator_id


def require_approver(session: Session, ctx: CounterContext, supervisor_id: str, permission: Permission) -> Operator:
    """Inside the action's own transaction: the approver still exists and may approve."""
    operator = session.get(Operator, supervisor_id)
    if operator is None or not operator.active or not is_allowed(operator.role, permission):
        raise ApprovalRefused(_("Not approved"), _("A supervisor of this center must approve this."))
    return operator
