"""Permission checks, made inside the service's own transaction against the operator's
row in the database — not against what the caller claims — so they hold for the UI,
scripts and tests alike."""

from __future__ import annotations

from dataclasses import dataclass

from windowdesk.domain.permissions import Permission, is_allowed, permission_label
from windowdesk.errors import WindowdeskError
from windowdesk.i18n import _
from windowdesk.services.context import CounterContext
from windowdesk.storage import queries
from windowdesk.storage.db import Database, Session
from windowdesk.storage.queries import OperatorStanding


class PermissionDenied(WindowdeskError):
    pass


def authorize(session: Session, ctx: CounterContext, permission: Permission) -> OperatorStanding:
    operator = queries.operator_standing(session, ctx.operator_id)
    if operator is None or not operator.active:
        raise PermissionDenied(_("Not logged in"), _("This operator account does not exist here or has been disabled."))
    if operator.locked_until is not None and operator.locked_until > ctx.now():
        raise PermissionDenied(_("Account locked"), _("This account is locked for a while after wrong passwords."))
    if not is_allowed(operator.role, permission):
        raise PermissionDenied(
            _("Not allowed"),
            _("{name} may not {action}. Ask a supervisor.").format(
                name=operator.display_name, action=permission_label(permission)
            ),
        )
    return operator


def may(db: Database, ctx: CounterContext, permission: Permission) -> bool:
    """For the UI to hide what a role cannot use; the services still check."""
    with db.read() as session:
        operator = queries.operator_standing(session, ctx.operator_id)
        return operator is not None and operator.active and is_allowed(operator.role, permission)


@dataclass(frozen=True)
class OperatorRights:
    """What the logged-in operator may do, read from their row once: for a screen being
    built to show or hide its controls without asking the database once per control. The
    services still check each action against the row itself."""

    operator_id: str
    permissions: frozenset[Permission]

    def allows(self, permission: Permission) -> bool:
        return permission in self.permissions


def rights_of(db: Database, ctx: CounterContext) -> OperatorRights:
    """The operator's rights as their row stands now (none for a missing or disabled operator)."""
    with db.read() as session:
        operator = queries.operator_standing(session, ctx.operator_id)
    if operator is None or not operator.active:
        return OperatorRights(ctx.operator_id, frozenset())
    return OperatorRights(ctx.operator_id, frozenset(p for p in Permission if is_allowed(operator.role, p)))
