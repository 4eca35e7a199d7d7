"""A change a window sends to the hub, in words: what was done, and which record it is
about as people know it. The window's list of refused changes and the hub's
``refused`` command show these, not the protocol's kinds and UUIDs.

A case, notification, refusal, receipt or complaint is named by its number, a resident by
name and masked ID number, an organisation by name and credit code, a day's close by its
day. Only what the change itself carries is used, and what the caller can look up (a
case's number); an ID number is never shown whole.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from windowdesk.domain.ids import mask_id_number
from windowdesk.i18n import N_, _
from windowdesk.sync.protocol import EventEntity, EventKind

SHORT_ID = 8

_WORDS: dict[str, str] = {
    EventKind.RESIDENT_REGISTERED: N_("Resident registered"),
    EventKind.ORGANISATION_REGISTERED: N_("Organisation registered"),
    EventKind.CASE_ACCEPTED: N_("Case accepted"),
    EventKind.NOTIFICATION_GIVEN: N_("One-time notification given"),
    EventKind.REFUSAL_GIVEN: N_("Refusal given"),
    EventKind.CASE_STATUS: N_("Case status changed"),
    EventKind.AUDIT_ENTRY: N_("Audit log entry"),
    EventKind.CASE_QUERY_CODE_REISSUED: N_("New query code issued"),
    EventKind.RATING_GIVEN: N_("Rating given"),
    EventKind.FOLLOWUP_CLOSED: N_("Follow-up closed"),
    EventKind.INQUIRY_LOGGED: N_("Inquiry logged"),
    EventKind.INQUIRY_ANSWERED: N_("Inquiry answered"),
    EventKind.INQUIRY_HANDED_OVER: N_("Inquiry handed over"),
    EventKind.COMPLAINT_RECEIVED: N_("Complaint received"),
    EventKind.COMPLAINT_REPLIED: N_("Complaint replied to"),
    EventKind.RECTIFICATION_SET: N_("Rectification task set"),
    EventKind.RECTIFICATION_DONE: N_("Rectification done"),
    EventKind.PAYMENT_RECEIVED: N_("Fee received"),
    EventKind.UTILITY_PAID: N_("Utility bill paid"),
    EventKind.PAYMENT_VOIDED: N_("Receipt voided"),
    EventKind.CASE_PAGES: N_("Scanned pages of a material changed"),
    EventKind.QUEUE_DAY_FIGURES: N_("A finished day of the hall's queue"),
    EventKind.CASE_MATERIAL_ARRIVED: N_("A material to follow arrived"),
    EventKind.DAY_CLOSED: N_("Day closed"),
    EventKind.APPLICATION_DECIDED: N_("Online application pre-reviewed"),
}


def change_words(kind: str) -> str:
    """``kind`` in the current language; a kind this version does not know, as it is."""
    words = _WORDS.get(kind)
    return _(words) if words else kind


def text_of(mapping: Any, key: str) -> str:
    """A text a window sent (in a payload, an audit entry's detail), stripped; "" for
    anything else, whatever ``mapping`` holds."""
    value = mapping.get(key) if isinstance(mapping, dict) else None
    return value.strip() if isinstance(value, str) else ""


def record_words(
    kind: str, entity: str, entity_id: str, payload: Any, *, case_number: Callable[[str], str | None]
) -> str:
    """``case_number`` finds a case's number by its id (a status change carries none)."""
    number = text_of(payload, "number")
    if number:
        return number
    if entity == EventEntity.CASE:
        found = case_number(entity_id)
        if found:
            return found
    if kind == EventKind.RESIDENT_REGISTERED:
        return " ".join(
            part for part in (text_of(payload, "name"), mask_id_number(text_of(payload, "id_number"))) if part
        )
    if kind == EventKind.ORGANISATION_REGISTERED:
        return " ".join(part for part in (text_of(payload, "name"), text_of(payload, "credit_code")) if part)
    if kind == EventKind.DAY_CLOSED and text_of(payload, "day"):
        return text_of(payload, "day")
    if text_of(payload, "receipt_number"):
        return text_of(payload, "receipt_number")
    return entity_id[:SHORT_ID]
