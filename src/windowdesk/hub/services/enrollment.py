"""Who may talk to the hub: enrollment codes, workstation tokens, staff tokens.

An administrator issues a one-time code for a center's window; the workstation trades
it for its own token (kept in the client's keyring). The hub keeps SHA-256 hashes only,
so neither codes nor tokens can be read back: a lost token means a new enrollment.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, NoReturn, cast

from sqlalchemy import CursorResult, bindparam, select, update
from sqlalchemy.orm import Session

from windowdesk.domain.uuid7 import new_uuid
from windowdesk.hub import security
from windowdesk.hub.errors import Conflict, InvalidInput, NotFound, Unauthorized
from windowdesk.hub.language import Text
from windowdesk.hub.services.clocks import center_time
from windowdesk.hub.storage.models import (
    Center,
    Department,
    EnrollmentCode,
    StaffToken,
    Window,
    Workstation,
)
from windowdesk.i18n import N_
from windowdesk.sync.protocol import ERROR_REVOKED

DEFAULT_CODE_VALIDITY = dt.timedelta(hours=72)


@dataclass(frozen=True)
class IssuedCode:
    code: str
    center_code: str
    window_id: str
    expires_at: dt.datetime


@dataclass(frozen=True)
class Enrolled:
    token: str
    workstation_id: str
    center_code: str
    window_code: str


@dataclass(frozen=True)
class WorkstationIdentity:
    workstation_id: str
    center_code: str
    window_id: str
    window_code: str


@dataclass(frozen=True)
class StaffIdentity:
    department_code: str


def find_window(session: Session, center_code: str, window: str) -> Window:
    """A window by its code in the center ("01") or by its id ("CH-01")."""
    if session.get(Center, center_code) is None:
        raise NotFound(
            Text(
                N_("There is no center {center} on the hub. Import the catalog or create the center first."),
                center=center_code,
            )
        )
    window_id = window if window.startswith(f"{center_code}-") else f"{center_code}-{window}"
    found = session.get(Window, window_id)
    if found is None:
        raise NotFound(
            Text(N_("Center {center} has no window {window} on the hub."), center=center_code, window=window)
        )
    return found


def issue_enrollment_code(
    session: Session,
    *,
    center_code: str,
    window: str,
    now: dt.datetime,
    valid_for: dt.timedelta = DEFAULT_CODE_VALIDITY,
) -> IssuedCode:
    if valid_for <= dt.timedelta(0):
        raise InvalidInput(N_("An enrollment code must stay valid for some time."))
    target = find_window(session, center_code, window)
    code = security.new_enrollment_code()
    row = EnrollmentCode(
        code_sha256=security.sha256_hex(code),
        center_code=target.center_code,
        window_id=target.id,
        created_at=now,
        expires_at=now + valid_for,
    )
    session.add(row)
    session.flush()
    return IssuedCode(code, target.center_code, target.id, row.expires_at)


# How long after a code was used its installation may still ask again for the answer it
# lost: long enough for an administrator to notice and retry, short enough that an old
# code is dead.
RETRY_WINDOW = dt.timedelta(hours=1)


def enroll(
    session: Session, *, code: str, client_version: str, now: dt.datetime, installation_id: str | None = None
) -> Enrolled:
    """Trade a one-time code for a workstation token. The claim is one conditional
    UPDATE, so two workstations racing with one code cannot both win.

    The answer carries the token, which the hub cannot show again; if it is lost on the
    way, the same installation (same ``installation_id``) asking again within
    RETRY_WINDOW gets the same workstation with a new token, and the first one stops
    working. Anyone else is refused as before."""
    code_hash = security.sha256_hex(security.normalise_enrollment_code(code))
    installation_hash = security.sha256_hex(installation_id) if installation_id else None
    claimed = session.execute(
        update(EnrollmentCode)
        .where(
            EnrollmentCode.code_sha256 == code_hash,
            EnrollmentCode.used_at.is_(None),
            EnrollmentCode.expires_at > now,
        )
        .values(used_at=now, installation_sha256=installation_hash)
    )
    if not cast("CursorResult[Any]", claimed).rowcount:
        return _answer_again(session, session.get(EnrollmentCode, code_hash), installation_hash, client_version, now)
    row = session.get_one(EnrollmentCode, code_hash)  # the claim above found it
    token = security.new_workstation_token()
    window = session.get_one(Window, row.window_id)
    workstation = Workstation(
        id=new_uuid(),
        center_code=row.center_code,
        window_id=row.window_id,
        token_sha256=security.sha256_hex(token),
        client_version=client_version[:40],
        enrolled_at=now,
    )
    session.add(workstation)
    row.workstation_id = workstation.id
    session.flush()
    return Enrolled(token, workstation.id, workstation.center_code, window.code)


def _answer_again(
    session: Session, row: EnrollmentCode | None, installation_hash: str | None, client_version: str, now: dt.datetime
) -> Enrolled:
    """The installation that used this code asks again: its answer was lost."""
    same_installation = (
        row is not None
        and row.used_at is not None
        and installation_hash is not None
        and row.installation_sha256 == installation_hash
        and row.workstation_id is not None
        and now - row.used_at <= RETRY_WINDOW
    )
    workstation = session.get(Workstation, row.workstation_id) if row is not None and same_installation else None
    if workstation is None or workstation.revoked_at is not None:
        _refuse_code(session, row)
    token = security.new_workstation_token()
    workstation.token_sha256 = security.sha256_hex(token)
    workstation.client_version = client_version[:40]
    session.flush()
    return Enrolled(token, workstation.id, workstation.center_code, session.get_one(Window, workstation.window_id).code)


def _refuse_code(session: Session, row: EnrollmentCode | None) -> NoReturn:
    if row is None:
        raise Unauthorized(
            N_("The hub does not know this enrollment code. Check it, or ask your administrator for a new one."),
            code="enrollment_code_unknown",
        )
    if row.used_at is not None:
        raise Conflict(
            N_(
                "This enrollment code was already used. Each code enrolls one workstation once; "
                "ask your administrator for a new one."
            ),
            code="enrollment_code_used",
        )
    raise Unauthorized(
        Text(
            N_("This enrollment code expired at {at:%Y-%m-%d %H:%M}. Ask your administrator for a new one."),
            at=center_time(session, row.center_code, row.expires_at),
        ),
        code="enrollment_code_expired",
    )


# Built once and read as plain columns: every request of every window runs it, and
# building it and loading a Workstation object cost more than the look-up itself.
_WORKSTATION_BY_TOKEN = (
    select(Workstation.id, Workstation.center_code, Workstation.window_id, Window.code, Workstation.revoked_at)
    .join(Window, Window.id == Workstation.window_id)
    .where(Workstation.token_sha256 == bindparam("token_sha256"))
)


def authenticate_workstation(session: Session, token: str | None) -> WorkstationIdentity:
    if not token:
        raise Unauthorized(N_("This request carries no workstation token. Enroll this workstation with the hub first."))
    found = session.connection().execute(_WORKSTATION_BY_TOKEN, {"token_sha256": security.sha256_hex(token)}).first()
    if found is None:
        raise Unauthorized(
            N_(
                "The hub does not know this workstation's token. Enroll the workstation again with a "
                "new code from your administrator."
            )
        )
    workstation_id, center_code, window_id, window_code, revoked_at = found
    if revoked_at is not None:
        raise Unauthorized(
            Text(
                N_(
                    "This workstation was revoked at {at:%Y-%m-%d %H:%M} and may no "
                    "longer sync. Ask your administrator for a new enrollment code."
                ),
                at=center_time(session, center_code, revoked_at),
            ),
            code=ERROR_REVOKED,
        )
    return WorkstationIdentity(workstation_id, center_code, window_id, window_code)


def revoke_workstation(session: Session, *, workstation_id: str, now: dt.datetime) -> Workstation:
    workstation = session.get(Workstation, workstation_id)
    if workstation is None:
        raise NotFound(
            Text(
                N_("There is no workstation {workstation} on the hub (see list-workstations)."),
                workstation=workstation_id,
            )
        )
    if workstation.revoked_at is None:
        workstation.revoked_at = now
        session.flush()
    return workstation


def list_workstations(session: Session, *, center_code: str | None = None) -> list[Workstation]:
    query = select(Workstation).order_by(Workstation.center_code, Workstation.window_id, Workstation.enrolled_at)
    if center_code:
        query = query.where(Workstation.center_code == center_code)
    return list(session.scalars(query))


DEFAULT_STAFF_TOKEN_LIFETIME = dt.timedelta(days=90)


@dataclass(frozen=True)
class IssuedStaffToken:
    token: str  # shown once: the hub keeps only its hash
    token_id: str
    expires_at: dt.datetime


def issue_staff_token(
    session: Session,
    *,
    department_code: str,
    now: dt.datetime,
    valid_for: dt.timedelta = DEFAULT_STAFF_TOKEN_LIFETIME,
) -> IssuedStaffToken:
    if session.get(Department, department_code) is None:
        raise NotFound(Text(N_("There is no department {department} on the hub."), department=department_code))
    if valid_for <= dt.timedelta(0):
        raise InvalidInput(N_("A staff token must stay valid for some time."))
    token = security.new_staff_token()
    row = StaffToken(
        id=new_uuid(),
        department_code=department_code,
        token_sha256=security.sha256_hex(token),
        created_at=now,
        expires_at=now + valid_for,
    )
    session.add(row)
    session.flush()
    return IssuedStaffToken(token, row.id, row.expires_at)


def list_staff_tokens(session: Session, *, department_code: str | None = None) -> list[StaffToken]:
    query = select(StaffToken).order_by(StaffToken.department_code, StaffToken.created_at)
    if department_code:
        query = query.where(StaffToken.department_code == department_code)
    return list(session.scalars(query))


def revoke_staff_token(session: Session, *, token_id: str, now: dt.datetime) -> StaffToken:
    row = session.get(StaffToken, token_id)
    if row is None:
        raise NotFound(Text(N_("There is no staff token {token} on the hub (see staff-tokens)."), token=token_id))
    if row.revoked_at is None:
        row.revoked_at = now
        session.flush()
    return row


def authenticate_staff(session: Session, token: str | None, *, now: dt.datetime) -> StaffIdentity:
    if not token:
        raise Unauthorized(N_("This request carries no staff token. Ask the hub administrator for one (staff-token)."))
    row = session.scalar(select(StaffToken).where(StaffToken.token_sha256 == security.sha256_hex(token)))
    if row is None or row.revoked_at is not None:
        raise Unauthorized(N_("The hub does not accept this staff token. Ask the hub administrator for a new one."))
    if row.expires_at <= now:
        raise Unauthorized(N_("This staff token has expired. Ask the hub administrator for a new one."))
    return StaffIdentity(row.department_code)
