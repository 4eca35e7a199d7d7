"""What every request must carry: the protocol and client versions, and a token.

Run as FastAPI dependencies, in this order: versions first (a client too old to
understand anything else is told so even if its token is also wrong), then the token.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import Depends, Header, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from windowdesk.hub.api.limits import bearer_token, token_attempt
from windowdesk.hub.errors import VersionRefused
from windowdesk.hub.language import Text
from windowdesk.hub.services.enrollment import (
    StaffIdentity,
    WorkstationIdentity,
    authenticate_staff,
    authenticate_workstation,
)
from windowdesk.hub.settings import HubSettings, parse_version
from windowdesk.hub.storage.database import HubDatabase
from windowdesk.i18n import N_
from windowdesk.sync.protocol import ERROR_VERSION_REFUSED, HEADER_CLIENT, HEADER_PROTOCOL, SUPPORTED_PROTOCOLS

CLIENT_NAME = "windowdesk/"


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


bearer = HTTPBearer(auto_error=False, description="The workstation token from /enroll, or a staff token")


def hub_database(request: Request) -> HubDatabase:
    return request.app.state.db


def hub_settings(request: Request) -> HubSettings:
    return request.app.state.settings


def _refuse(message: Text) -> VersionRefused:
    return VersionRefused(message, code=ERROR_VERSION_REFUSED)


def check_protocol(value: str | None) -> None:
    served = ", ".join(str(p) for p in SUPPORTED_PROTOCOLS)
    try:
        protocol = int(value) if value is not None else None
    except ValueError:
        protocol = None
    if protocol is None:
        raise _refuse(
            Text(
                N_(
                    "This windowdesk is too old for the hub; ask your administrator to update it (it does not say "
                    "which protocol it speaks; the hub serves protocol {served})."
                ),
                served=served,
            )
        )
    if protocol in SUPPORTED_PROTOCOLS:
        return
    if protocol > max(SUPPORTED_PROTOCOLS):
        raise _refuse(
            Text(
                N_(
                    "This windowdesk is newer than the hub (protocol {protocol}; the hub serves {served}). "
                    "Ask your administrator to update the hub."
                ),
                protocol=protocol,
                served=served,
            )
        )
    raise _refuse(
        Text(
            N_(
                "This windowdesk is too old for the hub; ask your administrator to update it (it speaks protocol "
                "{protocol}; the hub serves {served})."
            ),
            protocol=protocol,
            served=served,
        )
    )


def check_client(value: str | None, settings: HubSettings) -> None:
    minimum = settings.min_client_version
    version = parse_version(value[len(CLIENT_NAME) :]) if value and value.startswith(CLIENT_NAME) else None
    if version is None:
        raise _refuse(
            Text(
                N_(
                    "This windowdesk is too old for the hub; ask your administrator to update it (it does not say "
                    "its version; the hub needs {minimum} or newer)."
                ),
                minimum=minimum,
            )
        )
    if version < settings.min_client_version_tuple:
        shown = (value or "")[len(CLIENT_NAME) :][:20]
        raise _refuse(
            Text(
                N_(
                    "This windowdesk is too old for the hub; ask your administrator to update it (version {shown}; "
                    "the hub needs {minimum} or newer)."
                ),
                shown=shown,
                minimum=minimum,
            )
        )


def check_versions(
    settings: Annotated[HubSettings, Depends(hub_settings)],
    protocol: Annotated[str | None, Header(alias=HEADER_PROTOCOL, description="Protocol version, e.g. 1")] = None,
    client: Annotated[str | None, Header(alias=HEADER_CLIENT, description="windowdesk/<version>")] = None,
) -> None:
    check_protocol(protocol)
    check_client(client, settings)


def _token(credentials: HTTPAuthorizationCredentials | None) -> str | None:
    return credentials.credentials if credentials is not None else None


# Where the request gate (api/request_gate.py) leaves the caller it found, so the route
# does not look the token up again.
SCOPE_WORKSTATION = "windowdesk.workstation"
SCOPE_STAFF = "windowdesk.staff"


def versions_of(request: Request) -> None:
    """check_versions, for the request gate (before the body is read)."""
    check_protocol(request.headers.get(HEADER_PROTOCOL))
    check_client(request.headers.get(HEADER_CLIENT), hub_settings(request))


def workstation_of(request: Request) -> WorkstationIdentity:
    with token_attempt(request), hub_database(request).read() as session:
        return authenticate_workstation(session, bearer_token(request))


def staff_of(request: Request) -> StaffIdentity:
    with token_attempt(request), hub_database(request).read() as session:
        return authenticate_staff(session, bearer_token(request), now=utc_now())


def current_workstation(
    request: Request,
    db: Annotated[HubDatabase, Depends(hub_database)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> WorkstationIdentity:
    found = request.scope.get(SCOPE_WORKSTATION)
    if found is not None:
        return found
    with token_attempt(request), db.read() as session:
        return authenticate_workstation(session, _token(credentials))


def current_staff(
    request: Request,
    db: Annotated[HubDatabase, Depends(hub_database)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> StaffIdentity:
    found = request.scope.get(SCOPE_STAFF)
    if found is not None:
        return found
    with token_attempt(request), db.read() as session:
        return authenticate_staff(session, _token(credentials), now=utc_now())
