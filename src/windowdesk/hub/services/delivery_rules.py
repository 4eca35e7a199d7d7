"""Push rules for 出件 / 送达: the applicant's choice in a case.accepted event, the
handover in a case.status "deliver" event (services/delivery.py at the window).

Both are optional (windows from before send neither); when present they are checked and
projected into case_deliveries / case_handovers, without the personal data: the address
is masked here, the collector's name is not kept, an ID number must arrive masked.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import insert
from sqlalchemy.sql import Executable

from windowdesk.domain.delivery import DELIVERY_MODES, MAX_ADDRESS_LENGTH, MAX_LOCKER_LENGTH, mask_address
from windowdesk.hub.storage.models_delivery import CaseDelivery, CaseHandover
from windowdesk.i18n import N_

INSERT_DELIVERY = insert(CaseDelivery.__table__)
INSERT_HANDOVER = insert(CaseHandover.__table__)
STATEMENTS = (INSERT_DELIVERY, INSERT_HANDOVER)
Statement = tuple[Executable, dict[str, Any]]  # as push_rules.Statement (which imports this module)


def _refuse(message: str, **fields: Any) -> Exception:
    from windowdesk.hub.services.push_rules import Rejected  # push_rules imports this module first

    return Rejected(message, **fields)


def _text(part: dict[str, Any], name: str, limit: int) -> str:
    value = part.get(name, "")
    if value is None:
        return ""
    if not isinstance(value, str) or len(value) > limit:
        raise _refuse(
            N_("The delivery's field {name!r} must be text of at most {limit} characters."), name=name, limit=limit
        )
    return value


def _mode(part: dict[str, Any]) -> str:
    mode = part.get("mode")
    if mode not in DELIVERY_MODES:
        raise _refuse(
            N_("The delivery mode {mode!r} is not one of: {modes}."),
            mode=str(mode)[:40],
            modes=", ".join(DELIVERY_MODES),
        )
    return str(mode)


def _part(payload: dict[str, Any], name: str) -> dict[str, Any] | None:
    part = payload.get(name)
    if part is None:
        return None
    if not isinstance(part, dict):
        raise _refuse(N_("The event's field {name!r} must be an object."), name=name)
    return part


def choice_statements(payload: dict[str, Any], case_id: str) -> list[Statement]:
    """The applicant's choice of a case.accepted event, if it has one."""
    part = _part(payload, "delivery")
    if part is None:
        return []
    mode = _mode(part)
    address = _text(part, "address", MAX_ADDRESS_LENGTH)
    if mode == "post" and not address.strip():
        raise _refuse(N_("A result sent by post needs the address."))
    return [
        (
            INSERT_DELIVERY,
            dict(
                case_id=case_id,
                mode=mode,
                address_masked=mask_address(address),
                locker=_text(part, "locker", MAX_LOCKER_LENGTH),
            ),
        )
    ]


def handover_statements(payload: dict[str, Any], case_id: str, at: dt.datetime | None) -> list[Statement]:
    """The handover of a case.status "deliver" event, if it has one."""
    part = _part(payload, "handover")
    if part is None:
        return []
    mode = _mode(part)
    masked = _text(part, "collector_id_masked", 18)
    if masked and "*" not in masked:
        raise _refuse(N_("The collector's ID number must arrive masked."))
    waybill = _text(part, "waybill", 20)
    if mode == "post" and not waybill:
        raise _refuse(N_("A result sent by post needs its waybill number."))
    return [
        (
            INSERT_HANDOVER,
            dict(
                case_id=case_id,
                mode=mode,
                at=at,
                collector_id_masked=masked,
                by_agent=part.get("agent") is True,
                power_of_attorney=_text(part, "power_of_attorney", 200),
                read_from_card=part.get("read_from_card") is True,
                waybill=waybill,
            ),
        )
    ]
