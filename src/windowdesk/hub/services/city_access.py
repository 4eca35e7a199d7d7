"""Who may talk to the hub, from the console: workstations (enrollment codes, revoking) and the
back-office staff tokens.

The console's doorway to services/enrollment.py, which the ``enroll-code``, ``revoke``,
``list-workstations``, ``staff-token``, ``staff-tokens`` and ``revoke-staff-token``
commands use: an administrator only, one audit entry per change. Codes and tokens are
shown once to the person who asked and never written to the audit log.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from windowdesk.hub.errors import InvalidInput
from windowdesk.hub.language import Text
from windowdesk.hub.services import enrollment
from windowdesk.hub.services.console_rights import ConsoleActor, require_administrator
from windowdesk.hub.services.hub_audit import console_action
from windowdesk.hub.storage.models import StaffToken, Workstation
from windowdesk.i18n import N_

MAX_CODE_HOURS = 24 * 14
MAX_STAFF_TOKEN_DAYS = 366


def issue_enrollment_code(
    session: Session,
    *,
    by: ConsoleActor,
    center_code: str,
    window: str,
    valid_hours: int,
    now: dt.datetime,
    address: str = "",
) -> enrollment.IssuedCode:
    require_administrator(by)
    if not 1 <= valid_hours <= MAX_CODE_HOURS:
        raise InvalidInput(Text(N_("An enrollment code stays valid from 1 to {most} hours."), most=MAX_CODE_HOURS))
    issued = enrollment.issue_enrollment_code(
        session, center_code=center_code, window=window, now=now, valid_for=dt.timedelta(hours=valid_hours)
    )
    console_action(
        session,
        by,
        "enrollment_code.issued",
        "window",
        issued.window_id,
        now,
        address,
        expires_at=issued.expires_at.isoformat(),
    )
    return issued


def workstations(session: Session, *, by: ConsoleActor, center_code: str | None = None) -> list[Workstation]:
    require_administrator(by)
    return enrollment.list_workstations(session, center_code=center_code)


def revoke_workstation(
    session: Session, *, by: ConsoleActor, workstation_id: str, now: dt.datetime, address: str = ""
) -> Workstation:
    require_administrator(by)
    workstation = enrollment.revoke_workstation(session, workstation_id=workstation_id, now=now)
    console_action(
        session, by, "workstation.revoked", "workstation", workstation.id, now, address, window=workstation.window_id
    )
    return workstation


def staff_tokens(session: Session, *, by: ConsoleActor) -> list[StaffToken]:
    require_administrator(by)
    return enrollment.list_staff_tokens(session)


def issue_staff_token(
    session: Session, *, by: ConsoleActor, department_code: str, days: int, now: dt.datetime, address: str = ""
) -> enrollment.IssuedStaffToken:
    require_administrator(by)
    if not 1 <= days <= MAX_STAFF_TOKEN_DAYS:
        raise InvalidInput(Text(N_("A staff token stays valid from 1 to {most} days."), most=MAX_STAFF_TOKEN_DAYS))
    issued = enrollment.issue_staff_token(
        session, department_code=department_code, now=now, valid_for=dt.timedelta(days=days)
    )
    console_action(
        session,
        by,
        "staff_token.issued",
        "staff_token",
        issued.token_id,
        now,
        address,
        department=department_code,
        expires_at=issued.expires_at.isoformat(),
    )
    return issued


def revoke_staff_token(
    session: Session, *, by: ConsoleActor, token_id: str, now: dt.datetime, address: str = ""
) -> StaffToken:
    require_administrator(by)
    row = enrollment.revoke_staff_token(session, token_id=token_id, now=now)
    console_action(
        session, by, "staff_token.revoked", "staff_token", row.id, now, address, department=row.department_code
    )
    return row
