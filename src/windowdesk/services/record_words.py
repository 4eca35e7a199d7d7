"""Which record a change in the outbox is about, as a supervisor knows it.

The sync window lists the changes the hub refused; their record ids are UUIDs that
nobody at a counter can look up. A case, notification, refusal, receipt or complaint is
named by its number, a resident by name and masked ID number, an organisation by name
and credit code, a day's close by its day. Only what this workstation already holds is
shown (the change's own payload, this window's cases); an ID number is never shown whole.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from windowdesk.domain.ids import mask_id_number
from windowdesk.storage import models as m

SHORT_ID = 8


def _text(payload: dict[str, Any], key: str) -> str:
    value = payload.get(key)
    return value.strip() if isinstance(value, str) else ""


def record_words(session: Session, event: m.OutboxEvent) -> str:
    payload = event.payload if isinstance(event.payload, dict) else {}
    number = _text(payload, "number")
    if number:
        return number
    if event.entity == "case":
        case_number = session.query(m.Case.case_number).filter(m.Case.id == event.entity_id).scalar()
        if case_number:
            return case_number
    if event.kind == "resident.registered":
        return " ".join(part for part in (_text(payload, "name"), mask_id_number(_text(payload, "id_number"))) if part)
    if event.kind == "organisation.registered":
        return " ".join(part for part in (_text(payload, "name"), _text(payload, "credit_code")) if part)
    if event.kind == "day.closed" and _text(payload, "day"):
        return _text(payload, "day")
    if _text(payload, "receipt_number"):
        return _text(payload, "receipt_number")
    return event.entity_id[:SHORT_ID]
