"""The link between a center's hall service (``windowdesk-hall``, the queue) and the hub:
the hall reads its center's bookings of a day, so that its kiosk checks residents in by
their booking code even while the hub cannot be reached (it keeps what it read last).

The smallest credential that does this: one token per center, made by the hub's
administrator (``windowdesk-hub hall-token CENTER``, printed once, kept here as a hash; a
new one replaces the old). It opens one read, the center's bookings of a day, with names
masked and without phone or ID numbers; it cannot push, read cases or act as a window.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from windowdesk.hub import security
from windowdesk.hub.errors import NotFound, Unauthorized
from windowdesk.hub.language import Text
from windowdesk.hub.services import hub_audit
from windowdesk.hub.services.public_cases import mask_name
from windowdesk.hub.storage.models import Center
from windowdesk.hub.storage.models_public import Booking, HallLink
from windowdesk.i18n import N_

TOKEN_PREFIX = "wdhall_"


def issue_hall_token(session: Session, *, center_code: str, now: dt.datetime, actor: str = "cli") -> str:
    """A new token for the center's hall; the one it had before stops working."""
    if session.get(Center, center_code) is None:
        raise NotFound(Text(N_("There is no center {code}."), code=center_code))
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = session.get(HallLink, center_code)
    if row is None:
        session.add(HallLink(center_code=center_code, token_sha256=security.sha256_hex(token), issued_at=now))
    else:
        row.token_sha256, row.issued_at = security.sha256_hex(token), now
    hub_audit.record(session, actor=actor, action="hall.token", entity="center", entity_id=center_code, now=now)
    return token


def hall_center(session: Session, token: str | None) -> str:
    """The center whose hall holds ``token``."""
    if not token:
        raise Unauthorized(N_("This request carries no hall token. Ask the hub administrator for one (hall-token)."))
    center = session.scalar(select(HallLink.center_code).where(HallLink.token_sha256 == security.sha256_hex(token)))
    if center is None:
        raise Unauthorized(N_("The hub does not accept this hall token. Ask the hub administrator for a new one."))
    return center


def day_bookings(session: Session, *, center_code: str, day: dt.date) -> list[dict[str, Any]]:
    """The center's bookings of ``day``, cancelled ones too (so a hall drops them)."""
    rows = session.scalars(
        select(Booking).where(Booking.center_code == center_code, Booking.day == day).order_by(Booking.booked_at)
    ).all()
    return [
        {
            "code": row.code,
            "day": row.day.isoformat(),
            "half_day": row.half_day,
            "item": row.item_code,
            "name": mask_name(row.name),
            "status": row.status,
        }
        for row in rows
    ]
