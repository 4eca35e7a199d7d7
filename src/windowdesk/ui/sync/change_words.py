"""The kinds of changes a window sends to the hub, in words (the sync window's list of
refused changes shows these, not the protocol's names)."""

from __future__ import annotations

from windowdesk.i18n import N_, _

_WORDS = {
    "resident.registered": N_("Resident registered"),
    "organisation.registered": N_("Organisation registered"),
    "case.accepted": N_("Case accepted"),
    "notification.given": N_("One-time notification given"),
    "refusal.given": N_("Refusal given"),
    "case.status": N_("Case status changed"),
    "audit.entry": N_("Audit log entry"),
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
    "day.closed": N_("Day closed"),
}


def change_words(kind: str) -> str:
    """``kind`` in the current language; a kind this version does not know, as it is."""
    words = _WORDS.get(kind)
    return _(words) if words else kind
