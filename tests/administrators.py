"""An administrator account on a workstation, for the tests that enroll it with a hub
(only an administrator may, with their own password typed at the window). Written
straight into the local database, as an account pulled from the hub would be: a
supervisor cannot make an administrator through the services."""

from __future__ import annotations

import dataclasses

ADMIN_LOGIN = "admin-it"
ADMIN_PASSWORD = "Pine-Harbor-7314"


def add_administrator(db, ctx, *, login: str = ADMIN_LOGIN, password: str = ADMIN_PASSWORD):
    """The context of a new administrator of ``ctx``'s center at that window, and the
    credentials to type for them (services.approval.SupervisorCredentials)."""
    from windowdesk.domain.passwords import hash_password
    from windowdesk.domain.uuid7 import new_uuid
    from windowdesk.services.approval import SupervisorCredentials
    from windowdesk.storage.models import Operator

    operator_id = new_uuid()
    with db.write() as session:
        session.add(
            Operator(
                id=operator_id,
                center_code=ctx.center_code,
                login=login,
                display_name="信息科管理员",
                role="administrator",
                active=True,
                created_at=ctx.now(),
                password_hash=hash_password(password),
                must_change_password=False,
                failed_attempts=0,
                origin="local",
            )
        )
    admin_ctx = dataclasses.replace(
        ctx, operator_id=operator_id, operator_name="信息科管理员", operator_role="administrator"
    )
    return admin_ctx, SupervisorCredentials(login, password)


def administrator_of(db, ctx):
    """The administrator :func:`add_administrator` made at this workstation (made now if
    there is none yet), without logging in (which would add to the audit log)."""
    from windowdesk.services.approval import SupervisorCredentials
    from windowdesk.storage import queries

    with db.read() as session:
        row = queries.operator_by_login(session, ADMIN_LOGIN)
        operator_id = row.id if row is not None else None
    if operator_id is None:
        return add_administrator(db, ctx)
    admin_ctx = dataclasses.replace(
        ctx, operator_id=operator_id, operator_name="信息科管理员", operator_role="administrator"
    )
    return admin_ctx, SupervisorCredentials(ADMIN_LOGIN, ADMIN_PASSWORD)


DEMO_PASSWORD_CHANGED = "Quartz-Lane-6093"


def leave_the_demo_password(db) -> None:
    """A demo folder syncs nothing while its demo login has the published password
    (services/bootstrap.py): tests that sync demo data first give it another one. Written
    straight, as auth.change_password would, but without its audit entry, which would add
    an event to the outbox these tests count."""
    from windowdesk.domain.passwords import hash_password
    from windowdesk.services.bootstrap import DEMO_LOGIN
    from windowdesk.storage import queries

    with db.write() as session:
        queries.operator_by_login(session, DEMO_LOGIN).password_hash = hash_password(DEMO_PASSWORD_CHANGED)
