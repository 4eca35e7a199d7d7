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

SHORT_ID = 8

_WORDS = {
    "resident.registered": N_("Resident registered"),
    "organisation.registered": N_("Organisation registered"),
    "case.accepted": N_("Case accepted"),
    "notification.given": N_("One-time notification given"),
    "refusal.given": N_("Refusal given"),
    "case.status": N_("Case status changed"),
    "audit.entry": N_("Audit log entry"),
    "case.query_code_reissued": N_("New query code issued"),
    "rating.given": N_("Rating given"),
    "followup.closed": N_("Follow-up closed"),
    "inquiry.logged": N_("Inquiry logged"),
    "inquiry.answered": N_("Inquiry answered"),
    "inquiry.handed_over": N_("Inquiry handed over"),
    "complaint.received": N_("Complaint received"),
    "complaint.replied": N_("Complaint replied to"),
    "rectification.set": N_("Rectification task set"),
    "rectification.done": N_("Rectification done"),
    "payment.received": N_("Fee received"),
    "utility.paid": N_("Utility bill paid"),
    "payment.voided": N_("Receipt voided"),
    "case.pages": N_("Scanned pages of a material changed"),
    "queue.day_figures": N_("A finished day of the hall's queue"),
    "case.material_arrived": N_("A material to follow arrived"),
    "day.closed": N_("Day closed"),
    "application.decided": N_("Online application pre-reviewed"),
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
    if entity == "case":
        found = case_number(entity_id)
        if found:
            return found
    if kind == "resident.registered":
        return " ".join(part for part in (text_of(payload, "name"), mask_id_number(text_of(payload, "id_number"))) if part)
    if kind == "organisation.registered":
        return " ".join(part for part in (text_of(payload, "name"), text_of(payload, "credit_code")) if part)
    if kind == "day.closed" and text_of(payload, "day"):
        return text_of(payload, "day")
    if text_of(payload, "receipt_number"):
        return text_of(payload, "receipt_number")
    return entity_id[:SHORT_ID]
